import { UnknownValueError, unknownCheckingProxy } from "@pulumi/policy";
import { policies, schemaDefaults } from "../../policy/policies";
import { RecordedResource, unwrapSecrets } from "../setup-mocks";
import { providerUrn } from "./program";

/*
 * Runs the pack's policies the way the analyzer does: secrets unwrapped, props behind
 * `unknownCheckingProxy` (so reading a preview-unknown value throws), each policy's config with its
 * schema defaults applied (the CLI's job), reporting every violation.
 */

export interface Violation {
    policy: string;
    resource: string;
    message: string;
}

/** A resource as a policy sees it. */
export interface PolicyInput {
    type: string;
    name: string;
    urn: string;
    props: Record<string, any>;
    provider?: { type: string; props: Record<string, any> };
}

type PolicyConfig = Record<string, Record<string, unknown>>;

function configOf(policy: (typeof policies)[number], config: PolicyConfig): Record<string, unknown> {
    return { ...schemaDefaults(policy), ...config[policy.name] };
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
 * Every violation of the pack on these resources. A value unknown during preview makes a policy
 * report `unknown` for that resource (as the server does, advisorily), never crash.
 */
export function runPack(inputs: PolicyInput[], config: PolicyConfig = {}): Violation[] {
    const violations: Violation[] = [];
    const guarded = (policy: string, resource: string, check: () => void) => {
        try {
            check();
        } catch (err) {
            if (!(err instanceof UnknownValueError)) {
                throw err;
            }
            violations.push({ policy, resource, message: "unknown" });
        }
    };
    const proxied = inputs.map((input) => ({
        ...input,
        props: unknownCheckingProxy(input.props),
        provider: input.provider ? { ...input.provider, props: unknownCheckingProxy(input.provider.props) } : undefined,
    }));
    for (const policy of policies) {
        const getConfig = () => configOf(policy, config);
        if ("validateResource" in policy) {
            const validate = [].concat(policy.validateResource as any) as ((args: any, report: (m: string) => void) => void)[];
            for (const input of proxied) {
                guarded(policy.name, input.name, () => validate.forEach((v) => v({ ...input, getConfig }, (message) =>
                    violations.push({ policy: policy.name, resource: input.name, message }))));
            }
        } else {
            const validate = [].concat((policy as any).validateStack) as ((args: any, report: (m: string, urn?: string) => void) => void)[];
            guarded(policy.name, "(stack)", () => validate.forEach((v) => v({ resources: proxied, getConfig }, (message, urn) =>
                violations.push({ policy: policy.name, resource: proxied.find((p) => p.urn === urn)?.name ?? "(stack)", message }))));
        }
    }
    return violations;
}

/** One resource, for direct tests of a policy. */
export function resource(type: string, props: Record<string, any>, name = "it", provider?: PolicyInput["provider"]): PolicyInput {
    return { type, name, urn: `urn:pulumi:test::course-hubs::${type}::${name}`, props, provider };
}
