import Ajv, { ErrorObject } from "ajv";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";

/*
 * Validates Helm values the way `helm install` does for the z2jh chart: deep-merge them over the
 * chart's values.yaml (maps key by key; lists and scalars replace), then check the result
 * against the chart's values.schema.yaml. Both files are the chart's own (test/fixtures/z2jh, with
 * their upstream source in SOURCES.md).
 */

export const Z2JH_FIXTURES = path.resolve(__dirname, "../fixtures/z2jh");

function readYaml(file: string): any {
    return YAML.parse(fs.readFileSync(path.join(Z2JH_FIXTURES, file), "utf8"));
}

const chartDefaults = readYaml("values.yaml");
const validate = new Ajv({ strict: false, allErrors: true }).compile(readYaml("values.schema.yaml"));

/** Helm's merge: maps merge recursively, everything else (lists, scalars, null) replaces. */
export function helmMerge(base: unknown, override: unknown): unknown {
    if (isMap(base) && isMap(override)) {
        const merged: Record<string, unknown> = { ...base };
        for (const [key, value] of Object.entries(override)) {
            merged[key] = key in base ? helmMerge(base[key], value) : value;
        }
        return merged;
    }
    return override;
}

function isMap(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Schema errors of `values` merged over the chart defaults, as readable lines; empty if valid. */
export function z2jhSchemaErrors(values: unknown): string[] {
    const merged = helmMerge(chartDefaults, JSON.parse(JSON.stringify(values)));
    if (validate(merged)) {
        return [];
    }
    return (validate.errors ?? []).map(describeError);
}

function describeError(error: ErrorObject): string {
    const extra = error.keyword === "additionalProperties" ? ` (${(error.params as { additionalProperty: string }).additionalProperty})` : "";
    return `${error.instancePath || "/"} ${error.message}${extra}`;
}
