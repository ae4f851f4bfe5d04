import { EnforcementLevel, StackValidationPolicy } from "@pulumi/policy";
import { PACK_ENFORCEMENT, policies, schemaDefaults } from "../policy/policies";
import { RecordedResource, providerUrn, unwrapSecrets } from "./mock-engine";

/*
 * Runs the course-hubs policies on recorded resources the way the analyzer does: secrets
 * unwrapped, each policy's config with its schema defaults applied (the CLI's job), every
 * violation reported with the enforcement level the policy config gives it.
 */

export interface Violation {
    policy: string;
    resource: string;
    message: string;
    enforcementLevel: EnforcementLevel;
}

/** A resource as a policy sees it. */
export interface PolicyInput {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
    provider?: { type: string; props: Record<string, unknown> };
}

/**
 * A policy config file as `pulumi up --policy-pack-config` reads it: per policy, a level
 * (`"advisory"`) or an object of settings with an optional `enforcementLevel`; `all` sets the level
 * of every policy the file does not name.
 */
export type PolicyConfig = Record<string, EnforcementLevel | Record<string, unknown>>;

/** How a caller that feeds preview values sees a policy reading an unknown one. */
export interface UnknownValueHandling {
    /** Wraps props so that reading an unknown value throws. */
    wrapProps(props: Record<string, unknown>): Record<string, unknown>;
    /** Whether an error is that throw. */
    isUnknownValueError(err: unknown): boolean;
}

type Policy = (typeof policies)[number];

/** What a resource policy receives from this runner: the resource and its config. */
type ResourceCheck = (
    args: PolicyInput & { getConfig: () => Record<string, unknown> },
    report: (message: string) => void,
) => void;

/** What a stack policy receives from this runner: every resource and its config. */
type StackCheck = (
    args: { resources: PolicyInput[]; getConfig: () => Record<string, unknown> },
    report: (message: string, urn?: string) => void,
) => void;

function levelOf(policy: Policy, config: PolicyConfig): EnforcementLevel {
    const own = config[policy.name];
    if (typeof own === "string") {
        return own;
    }
    const all = config.all;
    return (own?.enforcementLevel as EnforcementLevel | undefined)
        ?? (typeof all === "string" ? all : undefined)
        ?? policy.enforcementLevel
        ?? PACK_ENFORCEMENT;
}

function settingsOf(policy: Policy, config: PolicyConfig): Record<string, unknown> {
    const own = config[policy.name];
    const settings = typeof own === "object"
        ? Object.fromEntries(Object.entries(own).filter(([key]) => key !== "enforcementLevel"))
        : {};
    return { ...schemaDefaults(policy), ...settings };
}

/** Turns recorded registrations into what policies receive (our own components and providers aside). */
export function policyInputs(resources: RecordedResource[]): PolicyInput[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    return resources
        .filter((r) => !r.read && !r.type.startsWith("course-hubs:") && !r.type.startsWith("pulumi:providers:"))
        .map((r) => {
            const provider = r.provider ? byUrn.get(providerUrn(r.provider)) : undefined;
            return {
                type: r.type, name: r.name, urn: r.urn, props: unwrapSecrets(r.inputs),
                provider: provider ? { type: provider.type, props: unwrapSecrets(provider.inputs) } : undefined,
            };
        });
}

/**
 * Every violation of the pack's enabled policies on these resources. With `unknowns`, a value
 * unknown during preview makes a policy report `unknown` for that resource (as the server does),
 * never crash.
 */
export function runPolicies(inputs: PolicyInput[], config: PolicyConfig = {}, unknowns?: UnknownValueHandling): Violation[] {
    const violations: Violation[] = [];
    const wrap = unknowns?.wrapProps ?? ((props) => props);
    const wrapped = inputs.map((input) => ({
        ...input,
        props: wrap(input.props),
        provider: input.provider ? { ...input.provider, props: wrap(input.provider.props) } : undefined,
    }));
    for (const policy of policies) {
        const enforcementLevel = levelOf(policy, config);
        if (enforcementLevel === "disabled") {
            continue;
        }
        const report = (resource: string, message: string) => violations.push({ policy: policy.name, resource, message, enforcementLevel });
        const guarded = (resource: string, check: () => void) => {
            try {
                check();
            } catch (err) {
                if (!unknowns?.isUnknownValueError(err)) {
                    throw err;
                }
                report(resource, "unknown");
            }
        };
        const getConfig = () => settingsOf(policy, config);
        if ("validateResource" in policy) {
            const validate = ([] as unknown[]).concat(policy.validateResource) as ResourceCheck[];
            for (const input of wrapped) {
                guarded(input.name, () => validate.forEach((v) => v({ ...input, getConfig }, (message) => report(input.name, message))));
            }
        } else {
            const validate = ([] as unknown[]).concat((policy as StackValidationPolicy).validateStack) as StackCheck[];
            guarded("(stack)", () => validate.forEach((v) => v({ resources: wrapped, getConfig }, (message, urn) =>
                report(wrapped.find((p) => p.urn === urn)?.name ?? "(stack)", message))));
        }
    }
    return violations;
}
