import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";

/*
 * A Pulumi project and one stack's config, read the way the Pulumi CLI hands them to a program,
 * without the CLI: structured values as JSON strings, bare keys in the project's namespace, and
 * every `secure:` value replaced by a placeholder (offline, nothing can be decrypted) that is
 * still marked secret.
 */

/** What a secret's value is replaced with in an offline plan. */
export const SECRET_PLACEHOLDER = "offline-plan-placeholder";

/** A bad command line or a project/stack that cannot be read: the plan cannot start. */
export class PlanUsageError extends Error {}

export interface PulumiProject {
    name: string;
    /** Directory of Pulumi.yaml. */
    dir: string;
    /** The program's entry (a file or a directory with an index), absolute. */
    main: string;
    /** Where `Pulumi.<stack>.yaml` files are, absolute. */
    stackConfigDir: string;
    /** Config keys the project declares `secret: true`, namespaced. */
    declaredSecrets: string[];
    /** Project-level defaults, namespaced, as the CLI passes them. */
    defaults: Record<string, string>;
}

export interface StackConfig {
    stack: string;
    /** Every config value as the program's `pulumi.Config` reads it. */
    config: Record<string, string>;
    /** Keys whose value is secret (placeholders included). */
    secretKeys: string[];
    /** Declared secrets the stack file does not set: they get placeholders too. */
    unsetSecrets: string[];
}

/** The parts of Pulumi.yaml the plan reads. */
interface ProjectFile {
    name?: unknown;
    main?: string;
    stackConfigDir?: string;
    config?: Record<string, unknown>;
}

/** A config key as Pulumi.yaml declares it: a bare default, or an object. */
interface ConfigDeclaration {
    default?: unknown;
    value?: unknown;
    secret?: unknown;
}

function readYaml(file: string): unknown {
    try {
        return YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
    } catch (err) {
        throw new PlanUsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
}

function namespaced(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** The Pulumi project whose Pulumi.yaml is in `dir`. */
export function readProject(dir: string): PulumiProject {
    const file = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(file)) {
        throw new PlanUsageError(`no Pulumi.yaml in ${dir}: run the plan in a Pulumi project's directory, or give --cwd <dir>`);
    }
    const project = readYaml(file) as ProjectFile;
    const name = project.name;
    if (typeof name !== "string") {
        throw new PlanUsageError(`${file} has no project name`);
    }
    const declared: Record<string, unknown> = project.config ?? {};
    const defaults: Record<string, string> = {};
    for (const [key, declaration] of Object.entries(declared)) {
        const value = typeof declaration === "object" && declaration !== null
            ? (declaration as ConfigDeclaration).default ?? (declaration as ConfigDeclaration).value
            : declaration;
        if (value !== undefined) {
            defaults[namespaced(name, key)] = configString(value);
        }
    }
    return {
        name,
        dir,
        main: path.resolve(dir, project.main ?? "."),
        stackConfigDir: path.resolve(dir, project.stackConfigDir ?? "."),
        declaredSecrets: Object.entries(declared)
            .filter(([, d]) => typeof d === "object" && (d as ConfigDeclaration | null)?.secret === true)
            .map(([key]) => namespaced(name, key)),
        defaults,
    };
}

/** The stacks that have a config file in the project. */
export function stackNames(project: PulumiProject): string[] {
    return fs.readdirSync(project.stackConfigDir).map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1]).filter((s): s is string => s !== undefined).sort();
}

function configString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

const isSecure = (value: unknown): boolean => typeof value === "object" && value !== null && Object.keys(value).length === 1 && "secure" in value;

/** The value with each `secure:` leaf replaced by the placeholder; whether there was one. */
function withPlaceholders(value: unknown): { value: unknown; secret: boolean } {
    if (isSecure(value)) {
        return { value: SECRET_PLACEHOLDER, secret: true };
    }
    if (typeof value === "object" && value !== null) {
        let secret = false;
        const entries = Object.entries(value).map(([k, v]) => {
            const inner = withPlaceholders(v);
            secret ||= inner.secret;
            return [k, inner.value];
        });
        return { value: Array.isArray(value) ? entries.map(([, v]) => v) : Object.fromEntries(entries), secret };
    }
    return { value, secret: false };
}

/**
 * One stack's config. Declared secrets the file does not set get a placeholder too, so the plan
 * shows what the course would create once they are set.
 */
export function readStackConfig(project: PulumiProject, stack: string): StackConfig {
    const file = [".yaml", ".yml"].map((ext) => path.join(project.stackConfigDir, `Pulumi.${stack}${ext}`)).find((f) => fs.existsSync(f));
    if (!file) {
        const known = stackNames(project);
        const expected = path.join(project.stackConfigDir, `Pulumi.${stack}.yaml`);
        throw new PlanUsageError(`no stack "${stack}": ${expected} does not exist; stacks here: ${known.join(", ") || "none"}`);
    }
    const config: Record<string, string> = { ...project.defaults };
    const secretKeys: string[] = [];
    for (const [key, raw] of Object.entries<unknown>((readYaml(file) as ProjectFile).config ?? {})) {
        const { value, secret } = withPlaceholders(raw);
        config[namespaced(project.name, key)] = configString(value);
        if (secret) {
            secretKeys.push(namespaced(project.name, key));
        }
    }
    const unsetSecrets = project.declaredSecrets.filter((key) => !(key in config));
    for (const key of unsetSecrets) {
        config[key] = SECRET_PLACEHOLDER;
        secretKeys.push(key);
    }
    return { stack, config, secretKeys, unsetSecrets };
}
