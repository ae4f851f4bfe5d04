import { HubSpec } from "./hub/spec";
import { Problem, throwIfProblems } from "./validation";

/*
 * One validation pass per entry point. The stack program, EksHub, GkeHub, EC2AutoscaleHub and
 * JupyterHub each validate what they are given before anything is registered; what one of them
 * hands to another (the stack program its arguments to EksHub, EksHub its spec to JupyterHub) has
 * been validated already, and is not validated again.
 *
 * The proof travels with the value: validation hands back a copy that is registered here, and a
 * component asks whether it was given such a copy. A flag would do the same work, but a flag is a
 * promise anyone can make, in a stack file too; this proof only validation can issue, and a
 * renderer's signature can demand it. A spec rebuilt with a change (`{ ...spec, term }`) is a new
 * object, without the proof.
 */

declare const validatedBrand: unique symbol;

/** A value that an entry point has validated: renderers take it, and no component validates it again. */
export type Validated<T> = T & { readonly [validatedBrand]: true };

/** Arguments of a hub component, validated with the spec inside them. */
export type ValidatedArgs<T extends { spec: HubSpec }> = Validated<T> & { readonly spec: Validated<HubSpec> };

const issued = new WeakSet<object>();

/** Whether `value` is a copy that validation handed back. */
export function isValidated<T extends object>(value: T): value is Validated<T> {
    return issued.has(value);
}

/**
 * A validated copy of `value`, given the problems its validation found: none, since the caller has
 * reported them (anything else is a bug in the caller, and throws).
 */
export function validated<T extends object>(value: T, problems: Problem[]): Validated<T> {
    if (problems.length > 0) {
        throw new Error(`a value with ${problems.length} problem${problems.length === 1 ? "" : "s"} cannot be validated; report them first`);
    }
    const copy = { ...value };
    issued.add(copy);
    return copy as Validated<T>;
}

/** A validated copy of a component's arguments, whose spec is a validated copy too. */
export function validatedArgs<T extends { spec: HubSpec }>(args: T, problems: Problem[]): ValidatedArgs<T> {
    return validated({ ...args, spec: validated(args.spec, problems) }, problems) as ValidatedArgs<T>;
}

/**
 * A component's arguments, validated once: as given when an entry point validated them already,
 * else checked by `validate`, every problem thrown at once as a `pulumi.InputPropertiesError`.
 */
export function validatedOnce<T extends { spec: HubSpec }>(subject: string, args: T, validate: (args: T) => Problem[]): ValidatedArgs<T> {
    if (isValidated(args) && isValidated(args.spec)) {
        return args as ValidatedArgs<T>;
    }
    const problems = validate(args);
    throwIfProblems(subject, problems);
    return validatedArgs(args, problems);
}
