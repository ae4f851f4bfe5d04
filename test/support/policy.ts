import { UnknownValueError, unknownCheckingProxy } from "@pulumi/policy";
import { PolicyConfig, PolicyInput, Violation, runPolicies } from "../../plan/policy-check";

export { PolicyInput, Violation, policyInputs } from "../../plan/policy-check";

/** Every violation of the pack, with values unknown during preview reported as `unknown`. */
export function runPack(inputs: PolicyInput[], config: PolicyConfig = {}): Violation[] {
    return runPolicies(inputs, config, { wrapProps: unknownCheckingProxy, isUnknownValueError: (err) => err instanceof UnknownValueError });
}

/** One resource, for direct tests of a policy. */
export function resource(type: string, props: Record<string, any>, name = "it", provider?: PolicyInput["provider"]): PolicyInput {
    return { type, name, urn: `urn:pulumi:test::course-hubs::${type}::${name}`, props, provider };
}
