import { strict as assert } from "node:assert";
import { RecordedResource, resetRecording, settled, unwrapSecrets } from "../setup-mocks";

export { providerUrn } from "../setup-mocks";

/** Runs a program under the mocks and returns what it registered. */
export async function run(program: () => void): Promise<RecordedResource[]> {
    resetRecording();
    program();
    return [...(await settled())];
}

/** Runs a program that must throw before registering anything; returns the error. */
export async function runExpectingError(program: () => void): Promise<{ error: any; resources: RecordedResource[] }> {
    let error: any;
    const resources = await run(() => {
        try {
            program();
        } catch (err) {
            error = err;
        }
    });
    return { error, resources };
}

/** The one recorded resource of a type (and name), failing if there are none or several. */
export function one(resources: RecordedResource[], type: string, name?: string): RecordedResource {
    const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    assert.equal(found.length, 1, `expected one ${type} ${name ?? ""}, found ${found.length}`);
    return found[0];
}

/** Every type::name registered twice: the real engine refuses a program with any. */
export function duplicateNames(resources: RecordedResource[]): string[] {
    const keys = resources.filter((r) => !r.read).map((r) => `${r.type}::${r.name}`);
    return keys.filter((k, i) => keys.indexOf(k) !== i);
}

/**
 * Every physical name registered twice: the names resources carry in their cloud or cluster
 * (`name`, a GCP `accountId`, a Kubernetes `metadata.name`), each within its scope (the cluster's
 * provider and namespace for Kubernetes objects and Helm releases), where a second one would collide.
 */
export function duplicatePhysicalNames(resources: RecordedResource[]): string[] {
    const keys = resources.filter((r) => !r.read).flatMap((r) => {
        const inputs = unwrapSecrets(r.inputs ?? {});
        const scope = `${r.type}::${r.provider}::${inputs.metadata?.namespace ?? inputs.namespace ?? ""}`;
        return [inputs.name, inputs.accountId, inputs.metadata?.name]
            .filter((name): name is string => typeof name === "string")
            .map((name) => `${scope}::${name}`);
    });
    return keys.filter((k, i) => keys.indexOf(k) !== i);
}

/** Warnings logged while `body` runs; without an engine, as under the mocks, Pulumi writes them to the console. */
export async function capturingWarnings(body: () => Promise<void>): Promise<string[]> {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(" "));
    try {
        await body();
    } finally {
        console.warn = original;
    }
    return warnings;
}
