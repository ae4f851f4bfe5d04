import { BILLING_ACCOUNT_KEY } from "../stacks/config-keys";
import { EXIT, PlanResult } from "./plan";
import { money } from "./render";

/*
 * A department's stacks planned together (`course-hubs plan <stack> <stack> ...`): each stack is
 * planned on its own, in a process of its own (Pulumi's mocks are process-global), then totalled
 * here. Each stack's estimate takes the GKE free tier off as if it were alone in its billing
 * account; a billing account has one credit however many stacks bill to it, so the total adds back
 * what the stacks of one account claimed beyond it. Offline nothing says which account a project
 * bills to: stacks that name none are taken to share one.
 */


/** One stack of the department, as its own plan left it. */
export interface DepartmentStack {
    stack: string;
    /** The stack file's platform (`<project>:platform`), when it sets one. */
    platform?: string;
    /**
     * The stack file's billing account (`<project>:billingAccount`).
     * @default the one billing account of the stacks planned with it that name none
     */
    billingAccount?: string;
    /** What `course-hubs plan <stack>` alone exits with. */
    exitCode: number;
    /** The stack's plan (`course-hubs plan <stack> --json`), when its process printed one. */
    plan?: PlanResult;
    /** What the stack's process reported instead of a plan: a usage error, a crash. */
    error?: string;
}

/** The GKE free tier of one billing account, across the department's stacks that claim it. */
export interface BillingAccountFreeTier {
    /** The account as its stacks name it; absent for the stacks that name none. */
    billingAccount?: string;
    /** The stacks of the account whose estimates take the free tier off. */
    stacks: string[];
    /** USD a month the stacks' estimates take off, each as if alone in the account. */
    claimed: number;
    /** USD a month the account's one credit pays: the credit, up to its zonal and Autopilot clusters' fees. */
    credited: number;
}

/** The department's stacks and what they cost together. */
export interface DepartmentPlan {
    /** The Pulumi project, whose name is the namespace of the stacks' config keys. */
    project: string;
    stacks: DepartmentStack[];
    /** Each billing account whose stacks claim the GKE free tier. */
    gkeFreeTier: BillingAccountFreeTier[];
    /** USD a month with every group at its minimum: the estimated stacks' floors, with the GKE free tier once per billing account. */
    floor: number;
    /** USD a month with every group at its maximum, likewise. */
    ceiling: number;
    /** Stacks without an estimate (refused or failed): not in the totals. */
    unestimated: string[];
    /** The highest of the stacks' exit codes. */
    exitCode: number;
}

const round = (usd: number) => Math.round(usd * 100) / 100;
const sum = (values: number[]) => round(values.reduce((total, value) => total + value, 0));

/** The GKE free tier of each billing account the stacks bill to, as they claim it. */
function freeTierByBillingAccount(stacks: DepartmentStack[]): BillingAccountFreeTier[] {
    const accounts = new Map<string | undefined, DepartmentStack[]>();
    for (const stack of stacks.filter((s) => s.plan?.cost?.gkeFreeTier !== undefined)) {
        accounts.set(stack.billingAccount, [...(accounts.get(stack.billingAccount) ?? []), stack]);
    }
    return [...accounts].map(([billingAccount, claimants]) => {
        const claims = claimants.map((s) => s.plan!.cost!.gkeFreeTier!);
        const perBillingAccount = Math.max(...claims.map((c) => c.perBillingAccount));
        return {
            ...(billingAccount !== undefined ? { billingAccount } : {}),
            stacks: claimants.map((s) => s.stack),
            claimed: sum(claims.map((c) => c.credit)),
            credited: Math.min(perBillingAccount, sum(claims.map((c) => c.eligibleFees))),
        };
    });
}

/** What the stacks of `project` cost together, from each one's own plan. */
export function departmentPlan(project: string, stacks: DepartmentStack[]): DepartmentPlan {
    const estimated = stacks.filter((s) => s.plan?.cost !== undefined);
    const gkeFreeTier = freeTierByBillingAccount(estimated);
    const addedBack = sum(gkeFreeTier.map((account) => account.claimed - account.credited));
    return {
        project,
        stacks,
        gkeFreeTier,
        floor: sum([...estimated.map((s) => s.plan!.cost!.floor), addedBack]),
        ceiling: sum([...estimated.map((s) => s.plan!.cost!.ceiling), addedBack]),
        unestimated: stacks.filter((s) => !estimated.includes(s)).map((s) => s.stack),
        exitCode: Math.max(...stacks.map((s) => s.exitCode)),
    };
}

const blank = "".padStart(10);

/** Why a stack has no estimate, or what else its exit code says. */
function verdict(stack: DepartmentStack): string {
    const details = `course-hubs plan ${stack.stack} says why`;
    switch (stack.exitCode) {
        case EXIT.ok:
            return "";
        case EXIT.mandatoryViolation:
            return `: a mandatory policy is violated (exit ${stack.exitCode}); ${details}`;
        case EXIT.invalidConfig:
            return `: not in the totals, its config is not valid (exit ${stack.exitCode}); ${details}`;
        case EXIT.programFailed:
            return `: not in the totals, the program failed (exit ${stack.exitCode}); ${details}`;
        default:
            return `: not in the totals, not planned (exit ${stack.exitCode}): ${stack.error?.split("\n")[0] ?? "no output"}`;
    }
}

function stackRow(stack: DepartmentStack): string {
    const cost = stack.plan?.cost;
    const claim = cost?.gkeFreeTier;
    const about = [stack.platform ?? "no platform", ...(stack.billingAccount !== undefined ? [`billing account ${stack.billingAccount}`] : [])];
    const figures = cost ? `${money(cost.floor)}${money(cost.ceiling)}` : `${"-".padStart(10)}${"-".padStart(10)}`;
    return `  ${figures}${claim ? money(-claim.credit) : blank}  ${stack.stack} (${about.join(", ")})${verdict(stack)}`;
}

function freeTierRow(account: BillingAccountFreeTier): string {
    const added = round(account.claimed - account.credited);
    const which = account.billingAccount !== undefined ? `billing account ${account.billingAccount}` : "the billing account of the stacks that name none";
    return `  ${money(added)}${money(added)}${blank}  GKE free tier once for ${which}: ${account.stacks.join(", ")} `
        + `claimed ${account.claimed.toFixed(2)}, its credit pays ${account.credited.toFixed(2)}`;
}

/** The department's table, as a person reads it in a terminal or a CI log. */
export function renderDepartment(department: DepartmentPlan): string {
    const estimated = department.stacks.filter((s) => s.plan?.cost !== undefined).map((s) => s.plan!.cost!);
    const key = `${department.project}:${BILLING_ACCOUNT_KEY}`;
    const named = department.stacks.some((s) => s.billingAccount !== undefined);
    const unnamed = department.stacks.some((s) => s.billingAccount === undefined);
    const prices = estimated[0]?.prices;
    return [
        `Offline plan of ${department.stacks.length} stacks of project ${department.project}, each planned on its own as course-hubs plan <stack> `
            + "plans it: nothing is created, no cloud is called.",
        "",
        `Estimated monthly cost (USD${prices ? `; list prices of ${prices.aws} / ${prices.gcp} as of ${prices.date}` : ""}):`,
        `  ${"floor".padStart(10)}${"ceiling".padStart(10)}${"free tier".padStart(10)}  stack`,
        ...department.stacks.map(stackRow),
        `  ${money(sum(estimated.map((c) => c.floor)))}${money(sum(estimated.map((c) => c.ceiling)))}${blank}  `
            + "sum of the stacks' estimates, each with the GKE free tier as if alone in its billing account",
        ...department.gkeFreeTier.map(freeTierRow),
        `  ${money(department.floor)}${money(department.ceiling)}${blank}  department total: floor = always on, nobody online; `
            + "ceiling = every group at its maximum",
        "",
        "The total has the GKE free tier once per billing account. "
            + (unnamed ? `Stacks that name no ${key} are taken to bill to one billing account together${named ? ", not to any account named" : ""}; ` : "")
            + `a stack names its own with ${key} in its stack file.`,
        "",
    ].join("\n");
}
