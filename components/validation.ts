import * as pulumi from "@pulumi/pulumi";

/** One thing wrong with an argument, at its property path (`spec.auth.clientId`). */
export interface Problem {
    propertyPath: string;
    reason: string;
}

/** Problems as an indented list, one `path: reason` a line. */
export function problemList(problems: Problem[]): string {
    return problems.map((p) => `  - ${p.propertyPath}: ${p.reason}`).join("\n");
}

/**
 * Throws every problem at once as a `pulumi.InputPropertiesError`, which the engine prints per
 * property, with a message that lists them all for anyone calling the function outside Pulumi.
 */
export function throwIfProblems(subject: string, problems: Problem[]): void {
    if (problems.length === 0) {
        return;
    }
    throw new pulumi.InputPropertiesError({
        message: `${subject} has ${problems.length} invalid argument${problems.length === 1 ? "" : "s"}:\n${problemList(problems)}`,
        errors: problems,
    });
}

/**
 * Gathers the problems a component's domain rules find, the rules that run once its arguments
 * have the shape their schema describes.
 */
export class ProblemCollector {
    readonly problems: Problem[] = [];

    add(propertyPath: string, reason: string): void {
        this.problems.push({ propertyPath, reason });
    }
}

/** A short description of a value's type for error messages. */
export function describe(value: unknown): string {
    if (value === null) {
        return "null";
    }
    if (pulumi.Output.isInstance(value) || value instanceof Promise) {
        return "a pulumi Output (known only during the deployment)";
    }
    if (Array.isArray(value)) {
        return "a list";
    }
    if (typeof value === "string") {
        return value.length === 0 ? "an empty string" : `the string "${value}"`;
    }
    if (typeof value === "object") {
        return "an object";
    }
    return `${typeof value} ${String(value)}`;
}

/**
 * The known key closest to a misspelled one, if it is close enough to be a likely typo, leaving
 * out the keys in `alreadySet`.
 */
export function suggestKey(key: string, known: readonly string[], alreadySet: readonly string[] = []): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of known.filter((k) => !alreadySet.includes(k))) {
        const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}
