import { UserGroupCapacity } from "../components/capacity";
import { CostEstimate } from "./cost";
import { TermCost } from "./term-cost";
import { PlanResult, PlannedResource } from "./plan";
import { StackReferenceNote } from "./stack-references";

/* The plan as a person reads it in a terminal or a CI log. */

function tree(resources: PlannedResource[]): string[] {
    const children = new Map<string, PlannedResource[]>();
    for (const r of resources) {
        children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    }
    const lines: string[] = [];
    const walk = (parent: string, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            lines.push(`${"  ".repeat(depth + 1)}${r.read ? "(read) " : ""}${r.type}  ${r.name}`);
            walk(`${r.type}::${r.name}`, depth + 1);
        }
    };
    walk("", 0);
    return lines;
}

function stackReferenceLines(references: StackReferenceNote[]): string[] {
    if (references.length === 0) {
        return [];
    }
    return [
        "",
        "Other stacks read: offline, a stand-in answers for each, with outputs assumed rather than read from the stack:",
        ...references.map((r) => {
            const checked = r.projectStack !== undefined
                ? `stack ${r.projectStack} of this project (its stack file checked)`
                : "a stand-in for another project's stack, which the plan cannot check";
            return `  ${r.name}: ${checked}; outputs assumed: ${r.assumedOutputs.join(", ")}`;
        }),
    ];
}

/** A dollar amount in the plan's ten-character column. */
export const money = (usd: number) => usd.toFixed(2).padStart(10);
const perSeat = (usd: number) => `$${usd.toFixed(4)}`;

/** Seats on the user nodes, from the stack output `capacity` (EksHub, GkeHub, EC2AutoscaleHub report it). */
function capacityLines(capacity: unknown): string[] {
    if (!Array.isArray(capacity) || capacity.length === 0) {
        return [];
    }
    const binds = { cpu: "CPU binds", memory: "memory binds", pods: "the pod limit binds" } as const;
    return [
        "",
        "Seats on the user nodes (stack output capacity; a seat-hour with every seat of the node taken):",
        ...(capacity as UserGroupCapacity[]).map((c) => {
            const cost = c.usdPerSeatHour === undefined ? "no price" : `${perSeat(c.usdPerSeatHour)} a seat-hour`;
            const cheapest = c.cheapest ? `; cheapest type that holds it: ${c.cheapest.instanceType}, ${perSeat(c.cheapest.usdPerSeatHour)}` : "";
            return `  ${c.group} (${c.request.cpuMillis / 1000} CPU, ${Number((c.request.memoryMiB / 1024).toFixed(2))} GiB guaranteed): `
                + `${c.instanceType} holds ${c.seatsPerNode} (${binds[c.binding]}), ${c.seatsAtMaximum} at ${c.maxNodes} nodes; ${cost}${cheapest}`;
        }),
    ];
}

/** What the whole term costs, when the stack gives its term. */
function termLines(term: TermCost | undefined): string[] {
    if (!term) {
        return [];
    }
    return [
        "",
        `The term, ${term.start} to ${term.end} (${term.days} days):`,
        `  ${money(term.floor)}  the floor over the term`,
        ...term.lectures.map((l) => `  ${money(l.usd)}  lectures ${l.window}: ${l.opens} times, ${l.hours.toFixed(2)} hours, `
            + `${l.nodes} more node${l.nodes === 1 ? "" : "s"} for ${l.seats} seats`),
        ...(term.outsideLectures
            ? [`  ${money(term.outsideLectures.usd)}  outside lectures: ${term.outsideLectures.students} students x `
                + `${term.outsideLectures.hoursPerStudentWeek} hours a week = ${Math.round(term.outsideLectures.seatHours)} seat-hours `
                + `at ${perSeat(term.outsideLectures.usdPerSeatHour)}`]
            : []),
        ...(term.homes ? [`  ${money(term.homes.usd)}  homes: ${term.homes.students} students at $${term.homes.usdPerStudentMonth.toFixed(2)} a month`] : []),
        `  ${money(term.total)}  total for the term`,
        ...term.notes.map((note) => `  - ${note}`),
    ];
}

function costLines(cost: CostEstimate): string[] {
    return [
        `Estimated monthly cost (${cost.currency}; list prices of ${cost.prices.aws} / ${cost.prices.gcp} as of ${cost.prices.date}; ${cost.hoursPerMonth} hours):`,
        `  ${"floor".padStart(10)}${"ceiling".padStart(10)}  item`,
        ...cost.lines.map((line) => `  ${money(line.floor)}${money(line.ceiling)}  ${line.item}${line.unitPrice === undefined ? " (no price)" : ""}`),
        `  ${money(cost.floor)}${money(cost.ceiling)}  total: floor = always on, nobody online; ceiling = every group at its maximum`,
        ...(cost.notes.length > 0 ? ["  Not in the totals:", ...cost.notes.map((note) => `  - ${note}`)] : []),
    ];
}

export function renderPlan(result: PlanResult): string {
    const heading = `Offline plan of stack ${result.stack} (project ${result.project}): nothing is created, no cloud is called.`;
    if (result.configError !== undefined || result.programError !== undefined) {
        return [
            heading,
            ...(result.configError !== undefined ? ["", "The stack's config is not valid; nothing would be created:", result.configError] : []),
            ...(result.programError !== undefined ? ["", "The program failed; nothing would be created:", result.programError] : []),
            "",
        ].join("\n");
    }
    const reads = result.resources.filter((r) => r.read).length;
    const mandatory = result.policy.mandatoryViolations;
    const readNote = reads > 0 ? `, ${reads} read (they exist already; offline, stand-in values answer for them)` : "";
    const verdict = result.policy.violations.length === 0
        ? "no violations"
        : `${result.policy.violations.length} violation(s), ${mandatory} mandatory`;
    const lines = [
        heading,
        "",
        `Resources: ${result.resources.length - reads} to create${readNote}`,
        ...tree(result.resources),
        "",
        "By type:",
        ...result.counts.map((c) => `  ${String(c.count).padStart(4)}  ${c.type}`),
        "",
        "Outputs:",
        ...Object.entries(result.outputs).filter(([key]) => key !== "capacity")
            .map(([key, value]) => `  ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`),
        ...capacityLines(result.outputs.capacity),
        ...stackReferenceLines(result.stackReferences),
        "",
        `Policy pack course-hubs (${result.policy.configFile ?? "default config"}): ${verdict}`,
        ...result.policy.violations.map((v) => `  [${v.enforcementLevel}] ${v.policy} on ${v.resource}: ${v.message}`),
        "",
        ...(result.cost ? costLines(result.cost) : []),
        ...termLines(result.term),
    ];
    if (result.secretsToSet.length > 0) {
        lines.push(
            "",
            "The plan used placeholders for secrets this stack does not set yet; before `pulumi up`:",
            ...result.secretsToSet.map((s) => `  ${s.command}`),
        );
    }
    lines.push("");
    return lines.join("\n");
}
