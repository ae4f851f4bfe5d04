import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { CostEstimate, GkeFreeTierClaim, estimateCost } from "../../plan/cost";
import { BillingAccountFreeTier, DepartmentStack, departmentPlan, renderDepartment } from "../../plan/department";
import { RecordedResource } from "../../plan/mock-engine";
import { PlanResult } from "../../plan/plan";
import { recordedResource } from "../support/recorded";

/*
 * A department's stacks planned together: the GKE free tier, which each stack's estimate takes off
 * as if alone in its billing account, counted once per billing account. The prices, by hand from
 * plan/prices.json: GKE management $0.10 an hour, 0.10 x 730 = $73.00 a month a cluster; the free
 * tier $74.40 a month per billing account, on the fees of its zonal and Autopilot clusters.
 */

/** What a stack with one zonal cluster claims: the credit up to its one fee, min(74.40, 73.00). */
const ONE_ZONAL_CLUSTER: GkeFreeTierClaim = { credit: 73, eligibleFees: 73, perBillingAccount: 74.4 };

/** A stack whose plan estimated `cost`, as `course-hubs plan <stack> --json` would print it. */
function estimated(
    stack: string, platform: string, cost: Pick<CostEstimate, "floor" | "ceiling" | "gkeFreeTier">, billingAccount?: string, exitCode = 0,
): DepartmentStack {
    const plan: PlanResult = {
        project: "course-hubs", stack, resources: [], counts: [], outputs: {}, stackReferences: [], secretsToSet: [],
        policy: { violations: [], mandatoryViolations: exitCode === 2 ? 1 : 0 },
        cost: { currency: "USD", hoursPerMonth: 730, prices: { date: "2026-11-25", aws: "us-east-1", gcp: "us-central1" }, lines: [], notes: [], ...cost },
    };
    return { stack, platform, ...(billingAccount !== undefined ? { billingAccount } : {}), exitCode, plan };
}

const gke = (stack: string, floor: number, ceiling: number, billingAccount?: string) =>
    estimated(stack, "gke", { floor, ceiling, gkeFreeTier: ONE_ZONAL_CLUSTER }, billingAccount);
const eks = (stack: string, floor: number, ceiling: number, billingAccount?: string) => estimated(stack, "eks", { floor, ceiling }, billingAccount);


describe("a department's plan (course-hubs plan <stack> <stack> ...)", () => {
    describe("what one stack's estimate claims of the GKE free tier", () => {
        const cluster = (name: string, inputs: Record<string, unknown>) => recordedResource("gcp:container/cluster:Cluster", name, { name, ...inputs });
        const claimOf = (...clusters: RecordedResource[]) => estimateCost(clusters, {}).gkeFreeTier;

        it("a zonal cluster claims the credit up to its fee, on a line that says the claim is the billing account's", () => {
            const cost = estimateCost([cluster("a", { location: "us-central1-a" })], {});
            assert.deepEqual(cost.gkeFreeTier, ONE_ZONAL_CLUSTER);
            // 73.00 of management less the 73.00 credit.
            assert.deepEqual(cost.lines.map((l) => [l.item, l.floor]), [
                ["GKE cluster management", 73],
                ["GKE free tier, if no other zonal or Autopilot cluster of this billing account claims it", -73],
            ]);
            assert.equal(cost.floor, 0);
        });

        it("a regional cluster claims nothing, a regional Autopilot cluster does, two zonal clusters claim the whole credit", () => {
            assert.equal(claimOf(cluster("regional", { location: "us-central1" })), undefined);
            assert.deepEqual(claimOf(cluster("autopilot", { location: "us-central1", enableAutopilot: true })), ONE_ZONAL_CLUSTER);
            // Fees 2 x 73.00 = 146.00, of which the credit pays 74.40.
            assert.deepEqual(claimOf(cluster("a", { location: "us-central1-a" }), cluster("b", { location: "us-central1-b" })),
                { credit: 74.4, eligibleFees: 146, perBillingAccount: 74.4 });
        });
    });

    describe("the total, from the stacks' own plans", () => {
        it("two GKE stacks of one billing account: the sum of their estimates with the credit once; an EKS stack claims none", () => {
            const department = departmentPlan("course-hubs", [gke("ds100", 48.46, 500), gke("stats", 72.92, 300), eks("cs101", 122.94, 1000)]);
            // Each GKE estimate took 73.00 off: 146.00 claimed. The account's credit pays
            // min(74.40, 73.00 + 73.00) = 74.40, so 146.00 - 74.40 = 71.60 comes back.
            // Floor 48.46 + 72.92 + 122.94 = 244.32, + 71.60 = 315.92; ceiling 1,800.00 + 71.60 = 1,871.60.
            assert.deepEqual(department.gkeFreeTier, [{ stacks: ["ds100", "stats"], claimed: 146, credited: 74.4 }]);
            assert.equal(department.floor, 315.92);
            assert.equal(department.ceiling, 1871.6);
            assert.deepEqual([department.unestimated, department.exitCode], [[], 0]);
        });

        it("stacks of different billing accounts each keep their credit; one that names none is in an account of its own", () => {
            const named = departmentPlan("course-hubs", [gke("ds100", 48.46, 500, "0A0A0A-0A0A0A-0A0A0A"), gke("stats", 72.92, 300, "0B0B0B-0B0B0B-0B0B0B")]);
            // Each account's credit pays its one stack's 73.00: nothing comes back; 48.46 + 72.92 = 121.38.
            assert.deepEqual(named.gkeFreeTier, [
                { billingAccount: "0A0A0A-0A0A0A-0A0A0A", stacks: ["ds100"], claimed: 73, credited: 73 },
                { billingAccount: "0B0B0B-0B0B0B-0B0B0B", stacks: ["stats"], claimed: 73, credited: 73 },
            ]);
            assert.deepEqual([named.floor, named.ceiling], [121.38, 800]);
            const oneNamed = departmentPlan("course-hubs", [gke("ds100", 48.46, 500, "0A0A0A-0A0A0A-0A0A0A"), gke("stats", 72.92, 300)]);
            assert.equal(oneNamed.floor, 121.38);
            // An EKS stack of the same account as a GKE one takes nothing from it.
            const mixed = departmentPlan("course-hubs", [gke("ds100", 48.46, 500, "0A0A0A-0A0A0A-0A0A0A"), eks("cs101", 122.94, 1000, "0A0A0A-0A0A0A-0A0A0A")]);
            assert.deepEqual(mixed.gkeFreeTier, [{ billingAccount: "0A0A0A-0A0A0A-0A0A0A", stacks: ["ds100"], claimed: 73, credited: 73 }]);
            assert.equal(mixed.floor, 171.4);
        });

        it("a stack whose own clusters use up the credit: the other stack of its account gets none of it", () => {
            const twoClusters = estimated("big", "gke", {
                floor: 200, ceiling: 900, gkeFreeTier: { credit: 74.4, eligibleFees: 146, perBillingAccount: 74.4 },
            });
            const department = departmentPlan("course-hubs", [twoClusters, gke("small", 48.46, 500)]);
            // Claimed 74.40 + 73.00 = 147.40; the account's credit pays min(74.40, 146.00 + 73.00) = 74.40:
            // 73.00 comes back. 200.00 + 48.46 + 73.00 = 321.46.
            assert.deepEqual(department.gkeFreeTier, [{ stacks: ["big", "small"], claimed: 147.4, credited: 74.4 }]);
            assert.equal(department.floor, 321.46);
        });

        it("leaves out of the totals a stack that has no estimate, and exits with the highest of the stacks' codes", () => {
            const { plan } = estimated("broken", "eks", { floor: 0, ceiling: 0 });
            const refused: DepartmentStack = {
                stack: "broken", platform: "eks", exitCode: 1, plan: { ...plan!, cost: undefined, configError: "Stack broken has 1 configuration problem" },
            };
            const unreadable: DepartmentStack = { stack: "crashed", exitCode: 70, error: "TypeError: boom\n    at somewhere" };
            const violating = estimated("gpu", "gke", { floor: 10, ceiling: 20 }, undefined, 2);
            const department = departmentPlan("course-hubs", [refused, violating, eks("cs101", 122.94, 1000), unreadable]);
            // A policy violation still has an estimate: 10.00 + 122.94 = 132.94.
            assert.deepEqual([department.floor, department.ceiling], [132.94, 1020]);
            assert.deepEqual(department.unestimated, ["broken", "crashed"]);
            assert.equal(department.exitCode, 70);
            assert.equal(departmentPlan("course-hubs", [refused, violating]).exitCode, 2);
            const text = renderDepartment(department);
            assert.match(text, /^ +- +- {12}broken \(eks\): not in the totals, its config is not valid \(exit 1\); course-hubs plan broken says why$/m);
            assert.match(text, /^ +- +- {12}crashed \(no platform\): not in the totals, not planned \(exit 70\): TypeError: boom$/m);
            assert.match(text, /^ +10\.00 +20\.00 {12}gpu \(gke\): a mandatory policy is violated \(exit 2\)/m);
        });

        it("prints a table of the stacks, the credit added back once per billing account, the total and what it assumes", () => {
            const text = renderDepartment(departmentPlan("course-hubs", [gke("ds100", 48.46, 500), gke("stats", 72.92, 300), eks("cs101", 122.94, 1000)]));
            assert.deepEqual(text.split("\n").slice(2, 11), [
                "Estimated monthly cost (USD; list prices of us-east-1 / us-central1 as of 2026-11-25):",
                "       floor   ceiling free tier  stack",
                "       48.46    500.00    -73.00  ds100 (gke)",
                "       72.92    300.00    -73.00  stats (gke)",
                "      122.94   1000.00            cs101 (eks)",
                "      244.32   1800.00            sum of the stacks' estimates, each with the GKE free tier as if alone in its billing account",
                "       71.60     71.60            GKE free tier once for the billing account of the stacks that name none: ds100, stats claimed 146.00, "
                    + "its credit pays 74.40",
                "      315.92   1871.60            department total: floor = always on, nobody online; ceiling = every group at its maximum",
                "",
            ]);
            assert.match(text, /Stacks that name no course-hubs:billingAccount are taken to bill to one billing account together; a stack names its own/);
        });
    });

    describe("on the command line, each stack in a process of its own", function () {
        this.timeout(120000);
        // The repository's bin on the sources, as `npx course-hubs plan` runs here.
        const ROOT = path.resolve(__dirname, "../..");
        const STACKS = path.join(ROOT, "stacks");
        const plan = (args: string[], cwd = ROOT) => {
            const child = spawnSync(process.execPath, [path.join(ROOT, "bin", "course-hubs.js"), "plan", ...args], { cwd, encoding: "utf8" });
            const json = args.includes("--json") && child.stdout ? JSON.parse(child.stdout) : undefined;
            return { code: child.status, stdout: child.stdout, stderr: child.stderr, json };
        };
        const stackFile = (stack: string) => YAML.parse(fs.readFileSync(path.join(STACKS, `Pulumi.${stack}.yaml`), "utf8"));
        const dirs: string[] = [];
        after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

        it("totals the example stacks with one GKE free tier for the two GKE stacks planned together", () => {
            const { code, json, stderr } = plan(["spring-ds100", "dept-stats-cluster", "fall-cs101", "--json"]);
            assert.equal(code, 0, stderr);
            assert.deepEqual(json.stacks.map((s: DepartmentStack) => [s.stack, s.platform, s.exitCode]),
                [["spring-ds100", "gke", 0], ["dept-stats-cluster", "gke", 0], ["fall-cs101", "eks", 0]]);
            const floors: number[] = json.stacks.map((s: DepartmentStack) => s.plan!.cost!.floor);
            // Both GKE stacks took 73.00 off; their one billing account's credit pays 74.40 of their
            // 146.00 in fees: the total is the sum of the three floors plus 73.00 + 73.00 - 74.40 = 71.60.
            assert.deepEqual(json.gkeFreeTier, [{ stacks: ["spring-ds100", "dept-stats-cluster"], claimed: 146, credited: 74.4 }]);
            assert.equal(json.floor, Math.round((floors[0] + floors[1] + floors[2] + 73 + 73 - 74.4) * 100) / 100);
        });

        it("refuses a stack it cannot read among several with the usage exit code, naming it, before planning any", () => {
            const { code, stdout, stderr } = plan(["spring-ds100", "no-such-course", "fall-cs101"]);
            assert.equal(code, 64);
            assert.equal(stdout, "");
            assert.match(stderr, /^course-hubs: no stack "no-such-course": .*stacks here: dept-stats-cluster, .*\n\(course-hubs --help for usage\)$/m);
            const twice = plan(["fall-cs101", "fall-cs101"]);
            assert.equal(twice.code, 64);
            assert.match(twice.stderr, /stack "fall-cs101" is named twice[\s\S]*Usage: course-hubs plan <stack> \[<stack> \.\.\.\]/);
        });

        it("plans the rest when a stack's config is refused, exits with its code, and keeps a credit per billing account named", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "course-hubs-department-"));
            dirs.push(dir);
            const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), YAML.stringify({ ...project, main: STACKS, stackConfigDir: "." }));
            const cluster = stackFile("dept-stats-cluster");
            cluster.config["course-hubs:billingAccount"] = "0X0X0X-0X0X0X-0X0X0X";
            const broken = stackFile("fall-cs101");
            delete broken.config["course-hubs:eks"].apiAccessCidrs;
            const files = { "spring-ds100": stackFile("spring-ds100"), "dept-stats-cluster": cluster, broken };
            Object.entries(files).forEach(([stack, file]) => fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), YAML.stringify(file)));
            // spring-ds100's policy config allows its GPU pool.
            fs.copyFileSync(path.join(STACKS, "policy-config.spring-ds100.json"), path.join(dir, "policy-config.spring-ds100.json"));
            const { code, json, stderr } = plan(["spring-ds100", "dept-stats-cluster", "broken", "--json"], dir);
            assert.equal(code, 1, stderr);
            assert.deepEqual(json.stacks.map((s: DepartmentStack) => s.exitCode), [0, 0, 1]);
            assert.match(json.stacks[2].plan.configError, /course-hubs:eks\.apiAccessCidrs/);
            assert.deepEqual(json.unestimated, ["broken"]);
            // Two billing accounts (the one named, the one of the stack that names none), each with its credit: the sum of the two floors.
            const accounts = json.gkeFreeTier.map((a: BillingAccountFreeTier) => [a.billingAccount, a.claimed, a.credited]);
            assert.deepEqual(accounts, [[undefined, 73, 73], ["0X0X0X-0X0X0X-0X0X0X", 73, 73]]);
            assert.equal(json.floor, Math.round((json.stacks[0].plan.cost.floor + json.stacks[1].plan.cost.floor) * 100) / 100);
        });
    });
});
