import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SECRET_PLACEHOLDER as OFFLINE_PLACEHOLDER, readProject, readStackConfig } from "../../plan/stack-config";
import { deployCourse } from "../../stacks/course";
import { run } from "./program";

/** The example course stacks, one file each. */
export const STACKS = path.resolve(__dirname, "../../stacks");
export const SECRET_PLACEHOLDER = "placeholder-secret-from-pulumi-config";

/**
 * A stack file's config as the CLI hands it to the program, without the plan's placeholders for unset secrets:
 * `folder/Pulumi.<stack>.yaml`, read as a stack of this project.
 */
export function stackConfig(stack: string, folder = STACKS): Record<string, string> {
    const { config, unsetSecrets } = readStackConfig({ ...readProject(path.resolve(STACKS, "..")), stackConfigDir: folder }, stack);
    return Object.fromEntries(Object.entries(config).filter(([key]) => !unsetSecrets.includes(key)));
}

/**
 * Runs the program with a stack's config; `secure:` values cannot be decrypted offline, so every
 * secret key the course needs gets a placeholder, marked secret, unless `secretValues` gives its
 * value as the CLI would decrypt it.
 */
export async function deploy(config: Record<string, string>, secrets: string[] = ["course-hubs:authClientSecret"], secretValues: Record<string, string> = {}) {
    pulumi.runtime.setAllConfig(
        { ...config, ...Object.fromEntries(secrets.map((key) => [key, SECRET_PLACEHOLDER])), ...secretValues },
        [...secrets, ...Object.keys(secretValues)],
    );
    let outputs: Record<string, unknown> = {};
    let error: any;
    const resources = await run(() => {
        try {
            outputs = deployCourse();
        } catch (err) {
            error = err;
        }
    });
    pulumi.runtime.setAllConfig({});
    return { resources, outputs, error };
}

/** Issue 17's eight university hubs as 2i2c runs them, one course stack file each (the folder's README.md says where each comes from). */
export const REAL_HUBS = path.resolve(__dirname, "../fixtures/real-hubs");
export const REAL_HUB_STACKS = fs.readdirSync(REAL_HUBS).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => s !== undefined).sort();

/** A real hub's stack deployed; its `secure:` keys (stand-in ciphertexts) reach the program as secrets, as the CLI passes them. */
export async function deployRealHub(stack: string) {
    const config = stackConfig(stack, REAL_HUBS);
    return deploy(config, [], Object.fromEntries(Object.entries(config).filter(([, value]) => value.includes(OFFLINE_PLACEHOLDER))));
}
