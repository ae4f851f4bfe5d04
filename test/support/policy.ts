import { UnknownValueError, unknownCheckingProxy } from "@pulumi/policy";
import { PolicyConfig, PolicyInput, Violation, runPolicies } from "../../plan/policy-check";

export { PolicyInput, Violation, policyInputs } from "../../plan/policy-check";

/** Pulumi's marker for a string not known until the resource exists (preview), as the CLI sends it. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Every violation of the pack, with values unknown during preview reported as `unknown`. */
export function runPack(inputs: PolicyInput[], config: PolicyConfig = {}): Violation[] {
    return runPolicies(inputs, config, { wrapProps: unknownCheckingProxy, isUnknownValueError: (err) => err instanceof UnknownValueError });
}

/** One resource, for direct tests of a policy. */
export function resource(type: string, props: Record<string, any>, name = "it", provider?: PolicyInput["provider"]): PolicyInput {
    return { type, name, urn: `urn:pulumi:test::course-hubs::${type}::${name}`, props, provider };
}

/** Every violation of the pack as "policy resource: message", the form tests compare. */
export function packSummary(inputs: PolicyInput[], config: PolicyConfig = {}): string[] {
    return runPack(inputs, config).map((v) => `${v.policy} ${v.resource}: ${v.message}`);
}

/**
 * A broken variant of a component's resources: the named resource (of the type, when names repeat
 * across types) with its props changed, every other resource untouched. Fails if there is no such
 * resource, so a variant never silently breaks nothing.
 */
export function broken(inputs: PolicyInput[], name: string, change: (props: Record<string, any>) => Record<string, any>, type?: string): PolicyInput[] {
    const targets = inputs.filter((i) => i.name === name && (type === undefined || i.type === type));
    if (targets.length !== 1) {
        throw new Error(`expected one resource named ${name}${type ? ` of type ${type}` : ""} to break, found ${targets.length}`);
    }
    return inputs.map((i) => (i === targets[0] ? { ...i, props: change(structuredClone(i.props)) } : i));
}

/** The inputs with one launch template's disks unencrypted: what `encrypted-storage` must catch. */
export function withUnencryptedDisks(inputs: PolicyInput[], template: { name: string; type: string }): PolicyInput[] {
    return broken(
        inputs,
        template.name,
        (props) => ({
            ...props,
            blockDeviceMappings: props.blockDeviceMappings.map((d: any) => ({ ...d, ebs: { ...d.ebs, encrypted: "false" } })),
        }),
        template.type,
    );
}
