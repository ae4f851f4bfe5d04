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
 * Collects problems while walking an untyped value (stack config arrives as parsed YAML, so a
 * TypeScript type is a hope, not a fact), for arguments that have no generated schema
 * (`StaticIpIngress`); it also gathers the domain rules' problems of those that have one. Each
 * check records a problem and returns whether the value passed, so callers can skip checks that
 * would only repeat the first complaint.
 */
export class ProblemCollector {
    readonly problems: Problem[] = [];

    add(propertyPath: string, reason: string): void {
        this.problems.push({ propertyPath, reason });
    }

    /**
     * Reports keys of `value` that are not in `known`, with the closest known key that is not set
     * already as a hint (suggesting a key the object has would send the reader in a circle).
     */
    knownKeys(path: string, value: object, known: readonly string[]): void {
        const keys = Object.keys(value);
        for (const key of keys) {
            if (!known.includes(key)) {
                const hint = suggestKey(key, known, keys);
                this.add(`${path}.${key}`, `unknown option${hint ? `; did you mean "${hint}"?` : "."} Known options: ${known.join(", ")}.`);
            }
        }
    }

    /**
     * Reports a value that is not what `expected` says: an absent one as required, an empty YAML
     * key (which parses as null) as empty, anything else with what it is.
     */
    private wrongValue(path: string, value: unknown, expected: string, hint?: string): void {
        if (value === undefined) {
            this.add(path, `is required (${expected})`);
        } else if (value === null) {
            this.add(path, `is empty: give ${expected}`);
        } else {
            this.add(path, `must be ${expected}, got ${describe(value)}${hint ? ` (${hint})` : ""}`);
        }
    }

    isObject(path: string, value: unknown): value is Record<string, unknown> {
        if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            return true;
        }
        this.wrongValue(path, value, "an object");
        return false;
    }

    isString(path: string, value: unknown, pattern?: RegExp, patternHelp?: string): value is string {
        if (typeof value !== "string" || value.length === 0) {
            this.wrongValue(path, value, "a non-empty string");
            return false;
        }
        if (pattern && !pattern.test(value)) {
            this.add(path, `"${value}" is not valid: ${patternHelp ?? `must match ${pattern}`}`);
            return false;
        }
        return true;
    }

    isBoolean(path: string, value: unknown): value is boolean {
        if (typeof value !== "boolean") {
            this.wrongValue(path, value, "true or false");
            return false;
        }
        return true;
    }

    isOneOf<T extends string>(path: string, value: unknown, choices: readonly T[]): value is T {
        if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) {
            this.wrongValue(path, value, `one of ${choices.map((c) => `"${c}"`).join(", ")}`);
            return false;
        }
        return true;
    }

    /** Checks an array and each element with `each`, reporting elements as `path[i]`. */
    isArray(path: string, value: unknown, each: (itemPath: string, item: unknown) => void): value is unknown[] {
        if (!Array.isArray(value)) {
            this.wrongValue(path, value, "a list");
            return false;
        }
        value.forEach((item, i) => each(`${path}[${i}]`, item));
        return true;
    }

    /** Reports a missing required value. Returns whether it is present. */
    present(path: string, value: unknown, howToFix?: string): boolean {
        if (value === undefined || value === null) {
            this.add(path, `is required${howToFix ? `: ${howToFix}` : ""}`);
            return false;
        }
        return true;
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
