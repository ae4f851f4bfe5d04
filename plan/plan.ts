import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { problemList } from "../components/validation";
import { EKS_DEFAULTS } from "../components/aws/eks-args";
import { READY_SEAT_GROUP, UserGroupCapacity } from "../components/capacity";
import { HubSpec } from "../components/hub/spec";
import { eksSupportWindow } from "../components/versions";
import { CostEstimate, estimateCost } from "./cost";
import { CourseTerm, TermCost, estimateTermCost } from "./term-cost";
import { RecordedResource, STAND_IN_STACK_OUTPUTS, installRecordingEngine, settled } from "./mock-engine";
import { PolicyConfig, Violation, policyInputs, runPolicies } from "./policy-check";
import { PlanUsageError, PulumiProject, readStackConfig } from "./stack-config";
import { StackReferenceNote, clusterStackProblems, stackOfProject } from "./stack-references";

/*
 * The offline plan: one stack's real program run in this process under the recording engine,
 * then the policy pack and the cost estimate applied to what it registered. One plan per process,
 * because Pulumi's mocks (and the stack name they answer with) are process-global.
 */

/** A resource the program would create (or read), placed in the tree by its parent. */
export interface PlannedResource {
    type: string;
    name: string;
    /** `type::name` of the parent; empty for the stack's direct children. */
    parent: string;
    /** A read of something that exists (`Resource.get`, a StackReference), not a creation. */
    read: boolean;
}

export interface PlanResult {
    project: string;
    stack: string;
    /** Why the program refused the stack's config, if it did: nothing is planned then. */
    configError?: string;
    /** How the program failed otherwise (a bug, a module it cannot load): nothing is planned then. */
    programError?: string;
    resources: PlannedResource[];
    /** How many resources of each type, most first. */
    counts: { type: string; count: number }[];
    /** The stack outputs; secret ones as `[secret]`. */
    outputs: Record<string, unknown>;
    /** Other stacks the program read: offline, their outputs are stand-ins. */
    stackReferences: StackReferenceNote[];
    /** Secrets the program reads that the stack file does not set, with the command that sets each. */
    secretsToSet: { key: string; command: string }[];
    policy: { configFile?: string; violations: Violation[]; mandatoryViolations: number };
    cost?: CostEstimate;
    /** What the whole term costs, when the stack gives its term (`course-hubs:term`). */
    term?: TermCost;
}

export interface PlanOptions {
    /**
     * A policy config file (`pulumi up --policy-pack-config`).
     * @default `policy-config.<stack>.json` beside the stack file when there is one, else the pack's defaults
     */
    policyConfigFile?: string;
}

/** Exit codes of `course-hubs plan`, for a course repository's CI. */
export const EXIT = { ok: 0, invalidConfig: 1, mandatoryViolation: 2, programFailed: 3, usage: 64 } as const;

export function exitCodeOf(result: PlanResult): number {
    if (result.configError !== undefined) {
        return EXIT.invalidConfig;
    }
    if (result.programError !== undefined) {
        return EXIT.programFailed;
    }
    return result.policy.mandatoryViolations > 0 ? EXIT.mandatoryViolation : EXIT.ok;
}

function policyConfigFor(project: PulumiProject, stack: string, given?: string): { file?: string; config: PolicyConfig } {
    const conventional = path.join(project.stackConfigDir, `policy-config.${stack}.json`);
    const file = given ? path.resolve(given) : fs.existsSync(conventional) ? conventional : undefined;
    if (!file) {
        return { config: {} };
    }
    try {
        return { file, config: JSON.parse(fs.readFileSync(file, "utf8")) };
    } catch (err) {
        throw new PlanUsageError(`cannot read the policy config ${file}: ${(err as Error).message}`);
    }
}

/** Registers TypeScript for a `.ts` program with the project's own ts-node, as Pulumi's runtime would. */
function registerTypeScript(project: PulumiProject): void {
    const isTypeScript = project.main.endsWith(".ts") || fs.existsSync(path.join(project.main, "index.ts"));
    if (!isTypeScript || (process as unknown as Record<symbol, unknown>)[Symbol.for("ts-node.register.instance")]) {
        return;
    }
    let tsNode: string;
    try {
        tsNode = require.resolve("ts-node", { paths: [project.dir, __dirname] });
    } catch {
        throw new PlanUsageError(`${project.main} is TypeScript and ts-node is not installed: npm install --save-dev ts-node typescript`);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the project's own ts-node, found by path at run time
    require(tsNode).register({ transpileOnly: true, projectSearchDir: project.dir });
}

/** Records the config keys the program reads, so that the plan names only the secrets it needs. */
function recordConfigReads(): Set<string> {
    const reads = new Set<string>();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- patches the module's exports object in place (an import namespace is read-only)
    const runtimeConfig = require("@pulumi/pulumi/runtime/config");
    const getConfig = runtimeConfig.getConfig;
    runtimeConfig.getConfig = (key: string) => {
        reads.add(key);
        return getConfig(key);
    };
    return reads;
}

async function resolveOutputs(exported: unknown): Promise<Record<string, unknown>> {
    if (typeof exported !== "object" || exported === null) {
        return {};
    }
    const resolved: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(exported)) {
        const output = pulumi.output(value);
        resolved[key] = (await pulumi.isSecret(output)) ? "[secret]" : await new Promise((resolve) => output.apply((v) => resolve(v)));
    }
    return resolved;
}

function plannedResources(resources: RecordedResource[]): PlannedResource[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    return resources.map((r) => {
        const parent = byUrn.get(r.parentUrn);
        return { type: r.type, name: r.name, parent: parent ? `${parent.type}::${parent.name}` : "", read: r.read };
    });
}

function countsOf(resources: PlannedResource[]): { type: string; count: number }[] {
    const counts = new Map<string, number>();
    resources.forEach((r) => counts.set(r.type, (counts.get(r.type) ?? 0) + 1));
    return [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

/** Plans one stack of a project. Call once per process. */
export async function planStack(project: PulumiProject, stack: string, options: PlanOptions = {}): Promise<PlanResult> {
    const stackConfig = readStackConfig(project, stack);
    const referenceProblems = clusterStackProblems(project, stackConfig);
    const policy = policyConfigFor(project, stack, options.policyConfigFile);
    registerTypeScript(project);
    installRecordingEngine(project.name, stack);
    pulumi.runtime.setAllConfig(stackConfig.config, stackConfig.secretKeys);
    const reads = recordConfigReads();
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    let exported: unknown;
    try {
        // As Pulumi's runtime does: a program exporting a function is run, and its result awaited.
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the user's program, loaded by path after the mocks are set
        const loaded = require(project.main);
        exported = await (typeof loaded === "function" ? loaded() : loaded);
    } catch (err) {
        failures.push(err);
    }
    const resources = [...(await settled())];
    process.off("unhandledRejection", onRejection);
    const result: PlanResult = {
        project: project.name,
        stack,
        resources: [],
        counts: [],
        outputs: {},
        stackReferences: [],
        secretsToSet: stackConfig.unsetSecrets.filter((key) => reads.has(key)).map((key) => ({
            key, command: `pulumi config set --secret ${key} <value> --stack ${stack}`,
        })),
        policy: { configFile: policy.file, violations: [], mandatoryViolations: 0 },
    };
    if (failures.length > 0 || referenceProblems.length > 0) {
        // The two ways a program refuses its inputs; anything else is the program failing.
        const refuses = (f: unknown) => pulumi.RunError.isInstance(f) || pulumi.InputPropertiesError.isInstance(f);
        const refusals = failures.filter(refuses).map((f) => (f as Error).message);
        const others = failures.filter((f) => !refuses(f));
        if (referenceProblems.length > 0) {
            const names = referenceProblems.length === 1 ? "a stack" : "stacks";
            refusals.push(`Stack ${stack} names ${names} this project's stack files do not provide:\n${problemList(referenceProblems)}`);
        }
        if (refusals.length > 0) {
            result.configError = refusals.join("\n");
        }
        if (others.length > 0) {
            result.programError = others.map((f) => (f instanceof Error ? f.stack ?? f.message : String(f))).join("\n");
        }
        return result;
    }
    result.resources = plannedResources(resources);
    result.counts = countsOf(result.resources);
    result.outputs = await resolveOutputs(exported);
    result.stackReferences = resources.filter((r) => r.type === "pulumi:pulumi:StackReference").map((r) => ({
        name: r.inputs.name, projectStack: stackOfProject(project, r.inputs.name), assumedOutputs: Object.keys(STAND_IN_STACK_OUTPUTS),
    }));
    const violations = runPolicies(policyInputs(resources), policy.config);
    result.policy.violations = violations;
    result.policy.mandatoryViolations = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    result.cost = estimateCost(resources, stackConfig.config);
    result.term = termCostOf(stackConfig.config, result.outputs, result.cost);
    return result;
}

/**
 * What the stack's term costs, when its config gives the term (`course-hubs:term`), from its
 * course's spec, the server's seats its platform reports (the stack output `capacity`) and the
 * monthly estimate. The program has checked the term already.
 */
function termCostOf(config: Record<string, string>, outputs: Record<string, unknown>, cost: CostEstimate): TermCost | undefined {
    const term = config["course-hubs:term"];
    const spec = config["course-hubs:hub"];
    if (term === undefined || spec === undefined) {
        return undefined;
    }
    const groups = Array.isArray(outputs.capacity) ? outputs.capacity as UserGroupCapacity[] : [];
    const readySeats = groups.find((group) => group.group === READY_SEAT_GROUP);
    const estimate = estimateTermCost(JSON.parse(term) as CourseTerm, JSON.parse(spec) as HubSpec, groups[0], cost, readySeats ?? groups[0]);
    const version = config["course-hubs:platform"] === "eks"
        ? (JSON.parse(config["course-hubs:eks"] ?? "{}") as { kubernetesVersion?: string }).kubernetesVersion ?? EKS_DEFAULTS.kubernetesVersion
        : undefined;
    const support = version === undefined ? undefined : eksSupportWindow(version);
    if (support && estimate.end >= support.endOfStandardSupport) {
        estimate.notes.push(`Kubernetes ${version} leaves EKS standard support on ${support.endOfStandardSupport}, before the term ends: EKS then upgrades `
            + "the control plane mid-term (upgrade policy STANDARD). Choose a version whose standard support outlasts the term.");
    }
    return estimate;
}
