import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import * as YAML from "yaml";
import { EksHub } from "../../components";
import { machineType } from "../../components/machine-types";
import PRICES from "../../plan/prices.json";
import { SECRET_PLACEHOLDER } from "../../plan/stack-config";
import { guardCluster } from "../../stacks/course";
import { run } from "../support/program";
import { RAW_CHART_VALUES, REFUSED_CHART_PATHS, REFUSED_CHART_VALUES } from "../support/specs";

/*
 * The offline plan as a course repository's CI runs it: `course-hubs plan <stack>` in a child
 * process (its own mock engine and stack name), checked by exit code and output. The plans run
 * the CLI and the course program compiled from the current sources once for this file (bin/ beside
 * dist/, as the package ships them), so each child starts in a fraction of a second instead of
 * compiling every source through ts-node; one test runs the repository's own bin on the sources,
 * as `npx course-hubs plan` does here.
 */
const ROOT = path.resolve(__dirname, "../..");
const STACKS = path.join(ROOT, "stacks");
const SOURCE_BIN = path.join(ROOT, "bin", "course-hubs.js");

/**
 * Compiles the package's sources (tsconfig.build.json) and the course program (stacks/) file by
 * file, as ts-node does for the repository's bin, into `dir/dist`, with bin/course-hubs.js copied
 * to `dir/bin`: there it finds no sources beside it and runs `dist/plan/cli.js`, as when installed.
 * Types are checked once, by `tsc --noEmit`, before mocha runs. Inside the repository, so the
 * compiled code resolves its node_modules.
 */
function buildCli(dir: string): { bin: string; stacks: string } {
    const buildConfig = path.join(ROOT, "tsconfig.build.json");
    const { config } = ts.readConfigFile(buildConfig, ts.sys.readFile);
    const { options, fileNames } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, buildConfig);
    const compilerOptions = { ...options, declaration: false, declarationMap: false, sourceMap: false, noEmit: false };
    const sources = [...fileNames, ...ts.sys.readDirectory(STACKS, [".ts"], undefined, ["**/*"])];
    assert.ok(sources.some((f) => f.endsWith("plan/cli.ts")) && sources.some((f) => f.endsWith("stacks/index.ts")), "nothing to build");
    for (const source of sources) {
        const out = path.join(dir, "dist", path.relative(ROOT, source)).replace(/\.ts$/, ".js");
        const { outputText } = ts.transpileModule(fs.readFileSync(source, "utf8"), { compilerOptions, fileName: source });
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, outputText);
    }
    // JSON the sources import (tsc copies it; the price table).
    for (const json of new Set(sources.map((f) => path.dirname(f)))) {
        fs.readdirSync(json).filter((f) => f.endsWith(".json")).forEach((f) => {
            fs.copyFileSync(path.join(json, f), path.join(dir, "dist", path.relative(ROOT, json), f));
        });
    }
    fs.mkdirSync(path.join(dir, "bin"));
    fs.copyFileSync(SOURCE_BIN, path.join(dir, "bin", "course-hubs.js"));
    return { bin: path.join(dir, "bin", "course-hubs.js"), stacks: path.join(dir, "dist", "stacks") };
}

/** The compiled CLI and course program, and a project running that program on the stack files in stacks/. */
let cli: { bin: string; stacks: string; project: string };
interface CliRun {
    code: number;
    stdout: string;
    stderr: string;
    /** The parsed output of a `--json` run. */
    json?: any;
}

/** `course-hubs plan ARGS` in `cwd` (by default the project of the example stacks), by the compiled CLI or by `bin`. */
function plan(args: string[], cwd = cli.project, bin = cli.bin): CliRun {
    const child = spawnSync(process.execPath, [bin, "plan", ...args], { cwd, encoding: "utf8" });
    const json = args.includes("--json") && child.stdout ? JSON.parse(child.stdout) : undefined;
    return { code: child.status ?? -1, stdout: child.stdout, stderr: child.stderr, json };
}

const stackFile = (stack: string) => YAML.parse(fs.readFileSync(path.join(STACKS, `Pulumi.${stack}.yaml`), "utf8"));

const projectDirs: string[] = [];

/** A project beside the real one: the same (compiled) program and declared config, these stack files. */
function projectWith(stacks: Record<string, { config: Record<string, unknown> } | string>, stackConfigDir = "."): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "course-hubs-plan-"));
    projectDirs.push(dir);
    const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), YAML.stringify({ ...project, main: cli.stacks, stackConfigDir }));
    for (const [stack, content] of Object.entries(stacks)) {
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), typeof content === "string" ? content : YAML.stringify(content));
    }
    return dir;
}

/** The smallest course on each platform: every option at its default. */
const HUB = {
    course: "cs50",
    term: "fall-2026",
    owner: "it@example.edu",
    hostname: "cs50.example.edu",
    https: { mode: "letsencrypt", contactEmail: "it@example.edu" },
    auth: { type: "github", clientId: "Iv1.0a", allowedOrganizations: ["example"] },
    adminUsers: ["prof"],
};
const DEFAULTS = {
    "eks-defaults": {
        config: {
            "aws:region": "us-east-1",
            "course-hubs:platform": "eks",
            "course-hubs:hub": HUB,
            "course-hubs:eks": { apiAccessCidrs: ["203.0.113.0/24"] },
        },
    },
    "gke-defaults": {
        config: {
            "gcp:project": "p",
            "gcp:zone": "us-central1-a",
            "course-hubs:platform": "gke",
            "course-hubs:hub": HUB,
            "course-hubs:gke": { apiAccessCidrs: ["203.0.113.0/24"] },
        },
    },
    "ec2-defaults": { config: { "aws:region": "us-east-1", "course-hubs:platform": "ec2", "course-hubs:hub": HUB } },
};

/**
 * Each example's idle (floor) cost, computed by hand from the price tables (plan/prices.json and
 * components/machine-table.json; 730 hours), which the plan must match within 5%; and the target
 * of its platform in DESIGN.md where its options are the target's.
 */
const EXAMPLE_FLOORS: Record<string, { byHand: number; target?: number }> = {
    // EKS control plane 0.10 x 730 = 73.00; t4g.medium core node 0.0336 x 730 = 24.53, its 20 GB gp3
    // disk 20 x 0.08 = 1.60 and public IPv4 0.005 x 730 = 3.65; the NLB 0.0225 x 730 = 16.43 and its
    // one IPv4 3.65; the 1 GiB hub database 0.08. No ready seats outside lectures: no user node.
    "fall-cs101": { byHand: 73.00 + 24.53 + 1.60 + 3.65 + 16.43 + 3.65 + 0.08, target: 125 },
    // Hub VM t4g.small 0.0168 x 730 = 12.26, its 20 GB gp3 disk 1.60, the Elastic IP 3.65, the KMS
    // key 1.00, two custom metrics 0.60, their puts 2 x 43,800 / 1,000 x 0.01 = 0.88, two alarms 0.20.
    "summer-bootcamp": { byHand: 12.26 + 1.60 + 3.65 + 1.00 + 0.60 + 0.88 + 0.20, target: 25 },
    // One more course on a shared cluster: its 1 GiB database on the cluster's class, priced at the
    // dearer of gp3 (0.08) and pd-balanced (0.10).
    "dept-stats-stat200": { byHand: 0.10, target: 5 },
    // GKE management 0.10 x 730 = 73.00 less the free tier's 73.00 (this stack alone in its billing
    // account); e2-medium core node 0.033503 x 730 = 24.46, its 20 GB pd-balanced disk 2.00 and IPv4
    // 3.65; the ingress's reserved address, free while its forwarding rule holds it; Filestore
    // standard at the CSI driver's 100 GiB minimum 100 x 0.20 = 20.00; the forwarding rule
    // 0.025 x 730 = 18.25; the database 0.10. User and GPU pools scale from zero.
    "spring-ds100": { byHand: 73.00 - 73.00 + 24.46 + 2.00 + 3.65 + 20.00 + 18.25 + 0.10 },
    // The department's cluster: an e2-standard-2 core node (it hosts every course's hub) 0.067011 x
    // 730 = 48.92, its disk 2.00 and IPv4 3.65, the forwarding rule 18.25, the database 0.10.
    "dept-stats-cluster": { byHand: 73.00 - 73.00 + 48.92 + 2.00 + 3.65 + 18.25 + 0.10 },
};

describe("the offline plan (course-hubs plan)", function () {
    this.timeout(120000);
    const examples = fs.readdirSync(STACKS).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => s !== undefined);
    const plans = new Map<string, CliRun>();
    before(() => {
        fs.mkdirSync(path.join(ROOT, ".tmp"), { recursive: true });
        const build = fs.mkdtempSync(path.join(ROOT, ".tmp", "plan-cli-"));
        projectDirs.push(build);
        cli = { ...buildCli(build), project: "" };
        cli.project = projectWith({}, STACKS);
        examples.forEach((stack) => plans.set(stack, plan([stack, "--json"])));
    });
    after(() => projectDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    it("plans every example stack: resources, no policy violation, a cost", () => {
        assert.deepEqual(examples.sort(), Object.keys(EXAMPLE_FLOORS).sort());
        for (const stack of examples) {
            const { code, json, stderr } = plans.get(stack)!;
            assert.equal(code, 0, `${stack}: ${stderr}`);
            assert.equal(json.configError, undefined);
            assert.ok(json.resources.length > 5, `${stack} plans only ${json.resources.length} resources`);
            assert.deepEqual(json.policy.violations, [], stack);
            assert.ok(json.cost.lines.length > 0 && json.cost.floor > 0 && json.cost.ceiling >= json.cost.floor, `${stack} has no cost`);
            const { byHand, target } = EXAMPLE_FLOORS[stack];
            assert.ok(Math.abs(json.cost.floor - byHand) <= byHand * 0.05, `${stack} floor $${json.cost.floor}, by hand $${byHand.toFixed(2)}`);
            assert.ok(target === undefined || json.cost.floor <= target, `${stack} floor $${json.cost.floor} is over its $${target} target`);
            assert.ok(String(json.outputs.url).startsWith("https://"), `${stack} has no URL output`);
        }
    });

    it("prints the tree, the verdicts, the cost and the secrets still to set, as a person reads them", () => {
        // The repository's own bin, on the sources through ts-node, in the repository: as its README runs it.
        const { code, stdout } = plan(["fall-cs101"], ROOT, SOURCE_BIN);
        assert.equal(code, 0);
        assert.match(stdout, /^ {2}course-hubs:aws:EksHub {2}cs101$/m);
        assert.match(stdout, /^ {6}kubernetes:helm\.sh\/v3:Release {2}cs101-hub-release$/m, "the hub's release sits under JupyterHub under EksHub");
        assert.match(stdout, /Policy pack course-hubs \(default config\): no violations/);
        assert.match(stdout, /^ +122\.94 +\d+\.\d\d {2}total/m);
        // The server's seats beside the cheapest type that holds it, and the term the stack file gives.
        assert.match(stdout, /^ {2}server \(0\.5 CPU, 1 GiB guaranteed\): c6g\.2xlarge holds 14 \(memory binds\), 168 at 12 nodes; \$0\.0194 a seat-hour; cheapest type that holds it: c6g\.8xlarge, \$0\.0188$/m);
        assert.match(stdout, /^The term, 2026-09-02 to 2026-12-16 \(106 days\):$/m);
        assert.match(stdout, /lectures 45 9 \* \* 1,3 to 30 11 \* \* 1,3: 31 times, 54\.25 hours, 11 more nodes for 150 seats$/m);
        assert.doesNotMatch(stdout, /^ {2}capacity:/m, "the seats are a section of their own, not a raw output");
        assert.match(stdout, /pulumi config set --secret course-hubs:authClientSecret <value> --stack fall-cs101/);
    });

    it("uses a stack's policy config file beside its stack file (spring-ds100 allows its GPU pool)", () => {
        assert.equal(plans.get("spring-ds100")!.json.policy.configFile, path.join(STACKS, "policy-config.spring-ds100.json"));
        const dir = projectWith({ "spring-ds100": stackFile("spring-ds100") });
        const strict = plan(["spring-ds100", "--json"], dir);
        assert.equal(strict.code, 2, "a GPU pool without allowGpu is a mandatory violation");
        assert.deepEqual(strict.json.policy.violations.map((v: any) => v.policy), ["course-instance-limits"]);
        assert.match(strict.json.policy.violations[0].message, /GPU/);
    });

    it("the plan's resources are what the component and its cluster guard record in the component tests", async () => {
        const config = stackFile("fall-cs101").config;
        const spec = { ...config["course-hubs:hub"], auth: { ...config["course-hubs:hub"].auth, clientSecret: "test-secret" } };
        const recorded = await run(() => guardCluster(spec, new EksHub("cs101", { ...config["course-hubs:eks"], spec })));
        const key = (r: { type: string; name: string; read: boolean }) => `${r.read ? "read " : ""}${r.type}::${r.name}`;
        const byUrn = new Map(recorded.map((r) => [r.urn, r]));
        const componentTree = recorded.map((r) => `${key(r)} < ${byUrn.has(r.parentUrn) ? key(byUrn.get(r.parentUrn)!) : ""}`);
        const planned = plans.get("fall-cs101")!.json.resources.map((r: any) => {
            const parent = r.parent ? key({ type: r.parent.split("::")[0], name: r.parent.split("::")[1], read: false }) : "";
            return `${key(r)} < ${parent}`;
        });
        assert.deepEqual(planned.sort(), componentTree.sort());
    });

    /** The plans of the DEFAULTS stacks, each made once. */
    const defaultPlans = new Map<string, CliRun>();
    const defaultPlan = (stack: keyof typeof DEFAULTS): CliRun => {
        if (!defaultPlans.has(stack)) {
            defaultPlans.set(stack, plan([stack, "--json"], projectWith({ [stack]: DEFAULTS[stack] })));
        }
        return defaultPlans.get(stack)!;
    };

    it("meets the idle cost targets with every option at its default", () => {
        const floor = (stack: keyof typeof DEFAULTS) => {
            const { code, json, stderr } = defaultPlan(stack);
            assert.equal(code, 0, stderr);
            return json.cost.floor;
        };
        // The README's figures, computed by hand before the plan existed: EKS control plane 73.00,
        // t4g.medium 24.53, its 20 GB gp3 1.60 and public IPv4 3.65, an NLB 16.43 and its one
        // IPv4 3.65, the 1 GiB hub database 0.08; GKE's first zonal cluster free, e2-medium 24.46,
        // its 20 GB pd-balanced 2.00 and IPv4 3.65, a forwarding rule 18.25, the database 0.10.
        assert.equal(floor("eks-defaults"), 122.94);
        assert.equal(floor("gke-defaults"), 48.46);
        assert.ok(floor("ec2-defaults") <= 25);
    });

    it("prices the default EC2 course exactly as computed by hand from the price table", () => {
        const { code, json, stderr } = defaultPlan("ec2-defaults");
        assert.equal(code, 0, stderr);
        const table = PRICES.aws;
        assert.deepEqual([
            machineType("aws", "t4g.small")!.usdPerHour,
            machineType("aws", "m6a.large")!.usdPerHour,
            table.volumesPerGbMonth.usd.gp3,
            table.publicIpv4PerHour.usd,
            table.cloudwatchCustomMetricPerMonth.usd,
            table.cloudwatchPutRequestsPerThousand.usd,
            table.cloudwatchAlarmPerMonth.usd,
            table.kmsKeyPerMonth.usd,
        ], [0.0168, 0.0864, 0.08, 0.005, 0.3, 0.01, 0.1, 1]);
        // By hand, 730 hours: hub t4g.small 0.0168 x 730 = 12.264; its 20 GB gp3 disk 20 x 0.08 = 1.60;
        // the Elastic IP 0.005 x 730 = 3.65; two custom metrics 2 x 0.30 = 0.60; a put of each a
        // minute 2 x 43,800 / 1,000 x 0.01 = 0.876; two target-tracking alarms 2 x 0.10 = 0.20; the
        // course's KMS key for its secrets 1.00.
        // Workers (0 to 10 of the default type, m6a.large for 0.5 CPU and 1G on x86; 50 GB disks, public
        // IPv4) cost nothing at the floor and 10 x 63.072 + 10 x 4.00 + 10 x 3.65 = 707.22 at the ceiling.
        assert.deepEqual(json.cost.lines.map((l: any) => [l.item, l.floor, l.ceiling]), [
            ["Auto Scaling group cs50-workers: m6a.large", 0, 630.72],
            ["Auto Scaling group cs50-workers: 50 GB gp3 disk each", 0, 40],
            ["Auto Scaling group cs50-workers: public IPv4 address each", 0, 36.5],
            ["instance cs50-hub: t4g.small", 12.26, 12.26],
            ["instance cs50-hub: 20 GB gp3 disk each", 1.6, 1.6],
            ["Elastic IP (public IPv4)", 3.65, 3.65],
            ["KMS key", 1, 1],
            ["CloudWatch: custom metrics the hub publishes", 0.6, 0.6],
            ["CloudWatch: the hub's metric puts", 0.88, 0.88],
            ["CloudWatch: target-tracking alarms", 0.2, 0.2],
        ]);
        assert.equal(json.cost.floor, 20.19);
        assert.equal(json.cost.ceiling, 727.41);
    });

    it("the README's cost figures are the plan's: each example's floor, each platform's default floor, fall-cs101's term", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        for (const stack of Object.keys(EXAMPLE_FLOORS)) {
            const row = new RegExp(`^\\| \`${stack}\`[^|]*\\| \\$(\\d+\\.\\d\\d) \\|`, "m").exec(readme);
            assert.ok(row, `the README's example table has no row for ${stack}`);
            assert.equal(Number(row[1]), plans.get(stack)!.json.cost.floor, stack);
        }
        const money = "\\$(\\d+\\.\\d\\d)";
        const defaults = new RegExp(`Each platform with every option at its default: EKS ${money}, GKE ${money} \\(≤ \\$50\\), EC2 ${money}\\.`).exec(readme);
        assert.ok(defaults, "the README states each platform's default floor");
        const platforms = ["eks-defaults", "gke-defaults", "ec2-defaults"] as const;
        assert.deepEqual(defaults.slice(1).map(Number), platforms.map((stack) => defaultPlan(stack).json.cost.floor));
        for (const [table, stack] of [["EKS", "eks-defaults"], ["GKE", "gke-defaults"]] as const) {
            const floors = [...readme.matchAll(/^\| \*\*floor\*\* \| \*\*≈ \$(\d+\.\d\d)\*\* \|$/gm)].map((m) => Number(m[1]));
            assert.ok(floors.includes(defaultPlan(stack).json.cost.floor), `the README's ${table} cost table ends with the plan's floor`);
        }
        const term = plans.get("fall-cs101")!.json.term;
        assert.ok(readme.includes(`${term.total.toFixed(2)}  total for the term`), "the README's sample plan shows fall-cs101's term total");
    });

    it("counts ready seats outside lectures in the floor: the user nodes their placeholders keep up all month, saying why", () => {
        const warm = plan(["eks-warm", "--json"], projectWith({
            "eks-warm": { config: { ...DEFAULTS["eks-defaults"].config, "course-hubs:hub": { ...HUB, prewarm: { seats: 20 } } } },
        }));
        assert.equal(warm.code, 0, warm.stderr);
        // The default image is amd64 only: c6a.2xlarge (8 CPUs, 16 GiB, $0.306 an hour) holds 14 servers of
        // 0.5 CPU and 1G (memory binds: 16 GiB as reported, less nodeadm's 893 MiB, the 100 MiB eviction
        // threshold and ebs-csi-node's 104 MiB, leaves 14.3 GiB). 20 seats need 2 nodes, one in each zone's
        // group: 2 x (0.306 x 730 + 50 x 0.08 + 0.005 x 730) = 2 x 231.03 = 462.06 over the defaults' 122.94.
        assert.ok(Math.abs(warm.json.cost.floor - (122.94 + 462.06)) <= 0.02, `floor $${warm.json.cost.floor}`);
        const userNodes = warm.json.cost.lines.filter((l: any) => /^node group cs50-user-nodes(-2)?: c6a\.2xlarge/.test(l.item));
        assert.deepEqual(userNodes.map((l: any) => [l.item, l.floorQuantity]), [
            ["node group cs50-user-nodes: c6a.2xlarge (1 kept up all month by 20 ready seats outside lectures (prewarm.seats))", 1],
            ["node group cs50-user-nodes-2: c6a.2xlarge (1 kept up all month by 20 ready seats outside lectures (prewarm.seats))", 1],
        ]);
    });

    it("plans a stack with course-hubs:chart, whose raw values reach the hub's release that the policy pack judges", () => {
        const withChart = (values: Record<string, unknown>) => {
            const stack = stackFile("fall-cs101");
            stack.config["course-hubs:chart"] = { values };
            return stack;
        };
        const dir = projectWith({ "with-chart": withChart(RAW_CHART_VALUES), "as-root": withChart({ singleuser: { uid: 0 } }) });
        const planned = plan(["with-chart", "--json"], dir);
        assert.equal(planned.code, 0, planned.stderr);
        assert.deepEqual(planned.json.resources, plans.get("fall-cs101")!.json.resources, "raw values change the release's values, not what is created");
        assert.deepEqual(planned.json.policy.violations, []);
        const asRoot = plan(["as-root", "--json"], dir);
        assert.equal(asRoot.code, 2, asRoot.stderr);
        assert.deepEqual(asRoot.json.policy.violations.map((v: any) => `${v.policy}: ${v.message}`),
            ["no-privileged-notebooks: Notebooks would run privileged: singleuser.uid is 0 (root)."]);
    });

    describe("refuses what cannot be deployed, with the exit code a CI job checks", () => {
        it("invalid config: every problem by config key, exit 1, nothing planned", () => {
            const stack = stackFile("fall-cs101");
            // A misspelt option, a missing one, a wrong type in the hub and in the platform, a value out of its set, a malformed name.
            stack.config["course-hubs:hub"].culling = { idleTimeoutMinute: 30 };
            delete stack.config["course-hubs:eks"].apiAccessCidrs;
            stack.config["course-hubs:hub"].server.resources.memoryLimit = 5;
            stack.config["course-hubs:eks"].userNodes.maxCount = "many";
            stack.config["course-hubs:hub"].auth.type = "facebook";
            stack.config["course-hubs:hub"].hostname = "not a host";
            const dir = projectWith({ broken: stack });
            const { code, json } = plan(["broken", "--json"], dir);
            const { code: textCode, stdout } = plan(["broken"], dir);
            assert.deepEqual([code, textCode], [1, 1]);
            assert.deepEqual(json.resources, []);
            const keys = json.configError.split("\n").slice(1).map((line: string) => line.trim().slice(2, line.trim().indexOf(": ")));
            assert.deepEqual(keys.sort(), [
                "course-hubs:eks.apiAccessCidrs", "course-hubs:eks.userNodes.maxCount", "course-hubs:hub.auth.type",
                "course-hubs:hub.culling.idleTimeoutMinute", "course-hubs:hub.hostname", "course-hubs:hub.server.resources.memoryLimit",
            ]);
            assert.match(json.configError, /course-hubs:hub\.culling\.idleTimeoutMinute: .*did you mean "idleTimeoutMinutes"/);
            assert.match(json.configError, /course-hubs:eks\.userNodes\.maxCount: must be an integer, got the string "many"/);
            assert.match(json.configError, /course-hubs:hub\.auth\.type: must be one of "github", "oidc", "ldap", "lti13", "sharedPassword"/);
            assert.match(stdout, /The stack's config is not valid; nothing would be created/);
        });

        it("course-hubs:chart values refused before deploying: exit 1, each by its config key", () => {
            const stack = stackFile("fall-cs101");
            stack.config["course-hubs:chart"] = { values: REFUSED_CHART_VALUES };
            const { code, json } = plan(["refused-chart", "--json"], projectWith({ "refused-chart": stack }));
            assert.equal(code, 1);
            assert.deepEqual(json.resources, []);
            const keys = json.configError.split("\n").slice(1).map((line: string) => line.trim().slice(2, line.trim().indexOf(": ")));
            assert.deepEqual(keys.sort(), REFUSED_CHART_PATHS.map((p) => `course-hubs:chart.values.${p}`));
        });

        it("what a stack file says that nothing would read, or says in plain text that must be secret: exit 1, by key", () => {
            const stack = stackFile("fall-cs101");
            // A misspelt platform block, a secret in plain text (in its own key and in the hub), a lecture schedule with no time zone.
            stack.config["course-hubs:ek"] = stack.config["course-hubs:eks"];
            delete stack.config["course-hubs:eks"];
            stack.config["course-hubs:authClientSecret"] = "plain-oauth-secret";
            stack.config["course-hubs:hub"].auth.clientSecret = "plain-oauth-secret";
            delete stack.config["course-hubs:hub"].prewarm.timeZone;
            const dir = projectWith({ careless: stack });
            const { code, json } = plan(["careless", "--json"], dir);
            assert.equal(code, 1);
            const keys = json.configError.split("\n").slice(1).map((line: string) => line.trim().slice(2, line.trim().indexOf(": ")));
            assert.deepEqual(keys.sort(), [
                "course-hubs:authClientSecret", "course-hubs:ek", "course-hubs:eks.apiAccessCidrs",
                "course-hubs:hub.auth.clientSecret", "course-hubs:hub.prewarm.timeZone",
            ]);
            assert.match(json.configError, /course-hubs:ek: .*did you mean course-hubs:eks\?/);
            const { stdout } = plan(["careless"], dir);
            assert.match(stdout, /course-hubs:authClientSecret: is written in plain text in the stack file: remove that line from Pulumi\.careless\.yaml and set it encrypted with: pulumi config set --secret course-hubs:authClientSecret <value> --stack careless/);
            assert.doesNotMatch(stdout, /plain-oauth-secret/);
        });

        it("a clusterStack of this project that is missing or makes no cluster: exit 1, by key, with the stacks that would do", () => {
            const onCluster = (clusterStack: string) => {
                const stack = stackFile("dept-stats-stat200");
                stack.config["course-hubs:kubernetes"].clusterStack = clusterStack;
                return stack;
            };
            const dir = projectWith({
                "dept-stats-cluster": stackFile("dept-stats-cluster"),
                "summer-bootcamp": stackFile("summer-bootcamp"),
                misspelt: onCluster("dept-stats-clustr"),
                "on-a-vm": onCluster("organization/course-hubs/summer-bootcamp"),
            });
            const misspelt = plan(["misspelt", "--json"], dir);
            assert.equal(misspelt.code, 1);
            assert.deepEqual(misspelt.json.resources, []);
            assert.match(misspelt.json.configError, new RegExp("^  - course-hubs:kubernetes\\.clusterStack: "
                + "\"dept-stats-clustr\" names stack dept-stats-clustr "
                + "of project course-hubs, which has no stack file Pulumi\\.dept-stats-clustr\\.yaml \\(did you mean dept-stats-cluster\\?\\); "
                + "stacks of this project that make a cluster: dept-stats-cluster \\(gke\\)$", "m"));
            const onVm = plan(["on-a-vm", "--json"], dir);
            assert.equal(onVm.code, 1);
            assert.match(onVm.json.configError, /course-hubs:kubernetes\.clusterStack: "organization\/course-hubs\/summer-bootcamp" names stack summer-bootcamp, whose platform is ec2: it makes no cluster/);
        });

        it("no platform: exit 1 naming course-hubs:platform and how to set it", () => {
            const stack = stackFile("fall-cs101");
            delete stack.config["course-hubs:platform"];
            const { code, json } = plan(["no-platform", "--json"], projectWith({ "no-platform": stack }));
            assert.equal(code, 1);
            assert.match(json.configError, /course-hubs:platform: is required \(one of eks, gke, ec2, kubernetes\); set it with: pulumi config set course-hubs:platform eks/);
        });

        it("a mandatory policy violation: exit 2; the same one made advisory: exit 0", () => {
            const dir = projectWith({});
            const tight = path.join(dir, "tight.json");
            fs.writeFileSync(tight, JSON.stringify({ "course-instance-limits": { maxInstances: 5 } }));
            const mandatory = plan(["fall-cs101", "--json", "--policy-config", tight]);
            assert.equal(mandatory.code, 2);
            assert.ok(mandatory.json.policy.violations.some((v: any) => v.policy === "course-instance-limits" && v.enforcementLevel === "mandatory"));
            fs.writeFileSync(tight, JSON.stringify({ "course-instance-limits": { maxInstances: 5, enforcementLevel: "advisory" } }));
            const advisory = plan(["fall-cs101", "--json", "--policy-config", tight]);
            assert.equal(advisory.code, 0);
            assert.equal(advisory.json.policy.mandatoryViolations, 0);
            assert.ok(advisory.json.policy.violations.length > 0);
        });

        it("an unknown stack, an unreadable stack file or a bad command line: exit 64 with the reason", () => {
            const unknown = plan(["fall-cs102"]);
            assert.equal(unknown.code, 64);
            assert.match(unknown.stderr, /no stack "fall-cs102".*stacks here: dept-stats-cluster, dept-stats-stat200, fall-cs101, spring-ds100, summer-bootcamp/);
            const unreadable = plan(["bad-yaml"], projectWith({ "bad-yaml": "config:\n  course-hubs:platform: [eks\n" }));
            assert.equal(unreadable.code, 64);
            assert.match(unreadable.stderr, /cannot read .*Pulumi\.bad-yaml\.yaml/);
            const twice = plan(["fall-cs101", "fall-cs101"]);
            assert.equal(twice.code, 64);
            assert.match(twice.stderr, /named twice[\s\S]*Usage: course-hubs plan <stack>/);
            const noStack = plan(["--json"]);
            assert.equal(noStack.code, 64);
            assert.match(noStack.stderr, /name the stack to plan/);
        });
    });

    it("says which stacks it read with stand-in outputs: of this project (checked) or of another project (assumed)", () => {
        const assumed = ["kubeconfig", "ingressClassName", "clusterIssuer"];
        assert.deepEqual(plans.get("dept-stats-stat200")!.json.stackReferences,
            [{ name: "dept-stats-cluster", projectStack: "dept-stats-cluster", assumedOutputs: assumed }]);
        const onCluster = (clusterStack: string) => {
            const stack = stackFile("dept-stats-stat200");
            stack.config["course-hubs:kubernetes"].clusterStack = clusterStack;
            return stack;
        };
        const dir = projectWith({ "dept-stats-cluster": stackFile("dept-stats-cluster"), qualified: onCluster("example-org/course-hubs/dept-stats-cluster"),
            elsewhere: onCluster("example-org/stats-platform/cluster") });
        const qualified = plan(["qualified", "--json"], dir);
        assert.equal(qualified.code, 0);
        assert.deepEqual(qualified.json.stackReferences,
            [{ name: "example-org/course-hubs/dept-stats-cluster", projectStack: "dept-stats-cluster", assumedOutputs: assumed }]);
        const elsewhere = plan(["elsewhere"], dir);
        assert.equal(elsewhere.code, 0);
        assert.match(elsewhere.stdout, new RegExp("^Other stacks read: offline, a stand-in answers for each, "
            + "with outputs assumed rather than read from the stack:\n"
            + "  example-org/stats-platform/cluster: a stand-in for another project's stack, which the plan cannot check; "
            + "outputs assumed: kubeconfig, ingressClassName, clusterIssuer$", "m"));
    });

    it("runs a program that exports a function, as Pulumi does, and plans what it returns", () => {
        const dir = projectWith({ "fall-cs101": stackFile("fall-cs101") });
        fs.writeFileSync(
            path.join(dir, "main.js"),
            `module.exports = async () => require(${JSON.stringify(path.join(cli.stacks, "course"))}).deployCourse();\n`,
        );
        const project = YAML.parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), YAML.stringify({ ...project, main: "main.js" }));
        const { code, json } = plan(["fall-cs101", "--json"], dir);
        assert.equal(code, 0);
        assert.equal(json.outputs.url, "https://cs101.hubs.example.edu/");
        assert.deepEqual(json.resources, plans.get("fall-cs101")!.json.resources);
    });

    it("replaces secure values with placeholders that stay secret and out of the output", () => {
        const stack = stackFile("dept-stats-stat200");
        stack.config["course-hubs:authClientSecret"] = { secure: "v1:c2VjcmV0LWNpcGhlcnRleHQ=" };
        const dir = projectWith({ "with-secret": stack, "dept-stats-cluster": stackFile("dept-stats-cluster") });
        const { code, json, stdout } = plan(["with-secret", "--json"], dir);
        assert.equal(code, 0);
        assert.deepEqual(json.secretsToSet, [], "a secret the stack sets is not asked for");
        assert.ok(!stdout.includes(SECRET_PLACEHOLDER) && !stdout.includes("c2VjcmV0LWNpcGhlcnRleHQ="));
    });
});
