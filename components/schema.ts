import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import { shippedFolder } from "./package-files";
import { Problem, describe, suggestKey } from "./validation";

/*
 * Structural validation against the JSON Schemas under schema/, which `npm run schema` generates
 * from the option types and their TSDoc (scripts/generate-schemas.ts): types, enums, patterns,
 * ranges, required and unknown keys. ajv finds what is wrong; this module says it the way a person
 * fixes it, by property path: an unknown key with the likely intended one, a missing value as
 * required, a value that does not match with the help text its type carries.
 */

/** The schema files under schema/, each named after what it describes. */
export const SCHEMA_FILES = [
    "hub-spec.json", "eks-hub-args.json", "gke-hub-args.json", "ec2-hub-args.json", "jupyterhub-platform.json", "static-ip-ingress-args.json",
    "course-stack.json",
] as const;
export type SchemaFile = (typeof SCHEMA_FILES)[number];

/** Marks the schema of a `pulumi.Input<T>` field: a program may pass an Output or a Promise there. */
export const INPUT_MARKER = "x-pulumi-input";

/**
 * Our keywords in the schemas, beside JSON Schema's: help texts (`patternErrorMessage` and
 * `errorMessage` are the names the JSON and YAML language servers show too), a `@default` that is
 * prose rather than a value, and the Input marker.
 */
export const SCHEMA_KEYWORDS = ["patternErrorMessage", "errorMessage", "requiredMessage", "defaultDescription", INPUT_MARKER];

/** The parts of a JSON Schema this code reads. */
export interface JsonSchema {
    $ref?: string;
    type?: string;
    properties?: Record<string, JsonSchema>;
    required?: string[];
    anyOf?: JsonSchema[];
    enum?: unknown[];
    const?: unknown;
    minimum?: number;
    maximum?: number;
    minLength?: number;
    minItems?: number;
    pattern?: string;
    propertyNames?: JsonSchema;
    patternErrorMessage?: string;
    errorMessage?: string;
    requiredMessage?: string;
    description?: string;
    defaultDescription?: string;
    definitions?: Record<string, JsonSchema>;
    [keyword: string]: unknown;
}

/** The schema a local reference (`#/definitions/HubSpec`) names. */
export function resolveRef(root: JsonSchema, ref: string): JsonSchema {
    return ref.replace(/^#\//, "").split("/").map((part) => decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~"))
        .reduce<JsonSchema>((node, part) => node[part] as JsonSchema, root);
}

/** A value that a `pulumi.Input` may hold and that is known only during the deployment. */
export function isDeferred(value: unknown): boolean {
    return pulumi.Output.isInstance(value) || value instanceof Promise;
}

const DEFERRED_KEYWORD = "pulumiDeferred";

/** The schema with every Input field accepting an Output or a Promise as well as the plain value. */
function acceptingDeferred(node: unknown): unknown {
    if (Array.isArray(node)) {
        return node.map(acceptingDeferred);
    }
    if (typeof node !== "object" || node === null) {
        return node;
    }
    const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, acceptingDeferred(value)])) as JsonSchema;
    if (copy[INPUT_MARKER] !== true) {
        return copy;
    }
    const { description, requiredMessage, ...plain } = copy;
    delete plain[INPUT_MARKER];
    const annotations = Object.fromEntries(Object.entries({ description, requiredMessage }).filter(([, text]) => text !== undefined));
    return { ...annotations, if: { [DEFERRED_KEYWORD]: true }, else: plain };
}

interface Compiled {
    ajv: Ajv;
    schemas: Record<SchemaFile, JsonSchema>;
    /** Where each schema object sits (`hub-spec.json#/definitions/...`), to validate a union's branch alone. */
    addresses: WeakMap<object, string>;
}

let compiled: Compiled | undefined;

/** Loads and registers the schemas once per process; each is compiled on first use. */
function schemaSet(): Compiled {
    if (compiled) {
        return compiled;
    }
    const ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false, strictTuples: false });
    ajv.addVocabulary(SCHEMA_KEYWORDS);
    ajv.addKeyword({ keyword: DEFERRED_KEYWORD, schemaType: "boolean", errors: false, validate: (_: boolean, data: unknown) => isDeferred(data) });
    const addresses = new WeakMap<object, string>();
    const remember = (node: unknown, address: string): void => {
        if (typeof node === "object" && node !== null) {
            addresses.set(node, address);
            Object.entries(node).forEach(([key, value]) => remember(value, `${address}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`));
        }
    };
    const dir = shippedFolder("schema", SCHEMA_FILES[0]);
    const schemas = {} as Record<SchemaFile, JsonSchema>;
    for (const file of SCHEMA_FILES) {
        schemas[file] = acceptingDeferred(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"))) as JsonSchema;
        remember(schemas[file], `${file}#`);
        ajv.addSchema(schemas[file], file);
    }
    compiled = { ajv, schemas, addresses };
    return compiled;
}

function validatorAt(address: string): ValidateFunction {
    const validate = schemaSet().ajv.getSchema(address);
    if (!validate) {
        throw new Error(`no schema at ${address}`);
    }
    return validate;
}

/**
 * Checks `value` against a schema under schema/ and returns every problem, each at its property
 * path under `basePath` (`spec` for a HubSpec; `""` for a component's arguments, whose own path is
 * then `args`). Pure: creates nothing.
 */
export function schemaProblems(file: SchemaFile, value: unknown, basePath = ""): Problem[] {
    const validate = validatorAt(file);
    validate(value);
    return explain(file, validate.errors ?? [], value, basePath);
}

/**
 * Checks `value` against one type of a schema under schema/ (`HubChartOptions` in
 * course-stack.json), as {@link schemaProblems} checks the file's own type.
 */
export function definitionProblems(file: SchemaFile, definition: string, value: unknown, basePath: string): Problem[] {
    const validate = validatorAt(`${file}#/definitions/${definition}`);
    validate(value);
    return explain(file, validate.errors ?? [], value, basePath);
}

/** Problems that the schema found, replaced at the same path by a domain rule's more specific one. */
export function mergeProblems(structural: Problem[], rules: Problem[]): Problem[] {
    const ruled = new Set(rules.map((p) => p.propertyPath));
    return [...structural.filter((p) => !ruled.has(p.propertyPath)), ...rules];
}

/**
 * Whether the value at `at` has the shape its type says: no problem lies at it or beneath it, nor
 * at one of its parents (a parent that is itself wrong, say a string for an object).
 */
export function isValidAt(problems: Problem[], at: string): boolean {
    return !problems.some((p) => p.propertyPath === at || p.propertyPath.startsWith(`${at}.`) || p.propertyPath.startsWith(`${at}[`)
        || at.startsWith(`${p.propertyPath}.`) || at.startsWith(`${p.propertyPath}[`));
}

function pointerParts(instancePath: string): string[] {
    return instancePath === "" ? [] : instancePath.slice(1).split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function valueAt(value: unknown, parts: string[]): unknown {
    return parts.reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], value);
}

/** The property path of a JSON pointer (`/server/profiles/1/gpus`) into `value`, after `basePath`: `spec.server.profiles[1].gpus`. */
export function pointerPropertyPath(basePath: string, value: unknown, pointer: string): string {
    return propertyPath(basePath, value, pointerParts(pointer));
}

function propertyPath(basePath: string, value: unknown, parts: string[]): string {
    let result = basePath;
    parts.forEach((part, i) => {
        result = Array.isArray(valueAt(value, parts.slice(0, i))) ? `${result}[${part}]` : result ? `${result}.${part}` : part;
    });
    return result || "args";
}

function isWithin(instancePath: string, ancestor: string): boolean {
    return instancePath === ancestor || instancePath.startsWith(`${ancestor}/`);
}

/** What a schema asks for, in words: `a non-empty string`, `one of "a", "b"`, `an object or false`. */
function expected(file: SchemaFile, node: JsonSchema): string {
    const schema = node.$ref ? resolveRef(schemaSet().schemas[file], node.$ref) : node.else ? node.else as JsonSchema : node;
    if (schema !== node) {
        return expected(file, schema);
    }
    if (schema.enum) {
        return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`;
    }
    if ("const" in schema) {
        return JSON.stringify(schema.const);
    }
    if (schema.anyOf) {
        return [...new Set(schema.anyOf.map((branch) => expected(file, branch)))].join(" or ");
    }
    const byType: Record<string, string> = {
        string: (schema.minLength ?? 0) > 0 ? "a non-empty string" : "a string",
        integer: "an integer",
        number: "a number",
        boolean: "true or false",
        array: "a list",
        object: "an object",
    };
    return byType[schema.type ?? (schema.properties ? "object" : "")] ?? "a value";
}

/** A wrong value: empty (YAML's `key:` with nothing after it is null), or of another kind. */
function wrongValue(file: SchemaFile, node: JsonSchema, value: unknown): string {
    if (value === null) {
        return `is empty: give ${expected(file, node)}`;
    }
    const quoteHint = expected(file, node).endsWith("string") && (typeof value === "number" || typeof value === "boolean")
        ? " (quote numbers and booleans in YAML)" : "";
    return `must be ${expected(file, node)}, got ${describe(value)}${quoteHint}`;
}

/** Why a value fails the keyword `error` names, said the way a person fixes it. */
function reasonFor(file: SchemaFile, error: ErrorObject, value: unknown): string {
    const node = error.parentSchema as JsonSchema;
    const own = node.errorMessage;
    switch (error.keyword) {
        case "type":
        case "enum":
        case "const":
            return own ?? wrongValue(file, node, value);
        case "pattern":
            return own ?? `"${value}" is not valid: ${node.patternErrorMessage ?? `must match ${node.pattern}`}`;
        case "minimum":
        case "maximum":
            return own ?? (node.minimum !== undefined && node.maximum !== undefined
                ? `must be between ${node.minimum} and ${node.maximum}, got ${value}`
                : error.keyword === "minimum" ? `must be at least ${node.minimum}, got ${value}` : `must be at most ${node.maximum}, got ${value}`);
        case "minLength":
            return own ?? (value === "" ? `must be ${expected(file, node)}, got an empty string` : `must be at least ${node.minLength} characters long`);
        case "minItems":
            return own ?? (node.minItems === 1 ? "must not be empty: name at least one" : `must list at least ${node.minItems}`);
        case "not":
            return own ?? "is not an option here";
        default:
            return own ?? error.message ?? "is not valid";
    }
}

/** Severity of a complaint: one problem per path, the most basic first (a wrong type before its pattern). */
const RANK: Record<string, number> = { type: 0, required: 0, enum: 1, const: 1, anyOf: 1, minLength: 2 };

function explain(file: SchemaFile, errors: ErrorObject[], value: unknown, basePath: string): Problem[] {
    const { addresses } = schemaSet();
    // A union's branches each complain; only the branch the value was meant for speaks (below).
    const unions = errors.filter((e) => e.keyword === "anyOf").map((e) => e.instancePath);
    const found: (Problem & { rank: number })[] = [];
    const add = (parts: string[], reason: string, keyword: string) =>
        found.push({ propertyPath: propertyPath(basePath, value, parts), reason, rank: RANK[keyword] ?? 3 });
    for (const error of errors) {
        const parts = pointerParts(error.instancePath);
        const at = valueAt(value, parts);
        const node = error.parentSchema as JsonSchema;
        const deferredDepth = parts.findIndex((_, i) => isDeferred(valueAt(value, parts.slice(0, i + 1))));
        if (error.keyword === "if" || (error.propertyName !== undefined && error.keyword !== "propertyNames")) {
            continue;
        } else if (deferredDepth !== -1) {
            // An Output where a plain value belongs: its internals are nobody's business.
            const outputParts = parts.slice(0, deferredDepth + 1);
            add(outputParts, "must be a plain value, not a pulumi Output: it decides what the component creates, before any Output is known", "type");
        } else if (error.keyword === "anyOf") {
            const branch = bestBranch(node.anyOf!.map((b) => validatorAt(addresses.get(b)!)), node.anyOf!, file, at);
            found.push(...(branch
                ? explain(file, branch.errors, at, propertyPath(basePath, value, parts)).map((p) => ({ ...p, rank: 3 }))
                : [{ propertyPath: propertyPath(basePath, value, parts), reason: node.errorMessage ?? wrongValue(file, node, at), rank: 1 }]));
        } else if (unions.some((u) => isWithin(error.instancePath, u))) {
            continue;
        } else if (error.keyword === "required") {
            const key = (error.params as { missingProperty: string }).missingProperty;
            const property = node.properties?.[key] ?? {};
            const reason = property.requiredMessage ? `is required: ${property.requiredMessage}` : `is required (${expected(file, property)})`;
            add([...parts, key], reason, "required");
        } else if (error.keyword === "additionalProperties") {
            const key = (error.params as { additionalProperty: string }).additionalProperty;
            const known = Object.keys(node.properties ?? {});
            const hint = suggestKey(key, known, Object.keys(at as object));
            add([...parts, key], `unknown option${hint ? `; did you mean "${hint}"?` : "."} Known options: ${known.join(", ")}.`, "additionalProperties");
        } else if (error.keyword === "propertyNames") {
            const key = (error.params as { propertyName: string }).propertyName;
            const names = node.propertyNames!;
            add([...parts, key], `"${key}" is not a valid name: ${names.patternErrorMessage ?? `must match ${names.pattern}`}`, "propertyNames");
        } else {
            add(parts, reasonFor(file, error, at), error.keyword);
        }
    }
    const best = new Map<string, Problem & { rank: number }>();
    for (const problem of found) {
        const seen = best.get(problem.propertyPath);
        if (!seen || problem.rank < seen.rank) {
            best.set(problem.propertyPath, problem);
        }
    }
    return [...best.values()].map(({ propertyPath, reason }) => ({ propertyPath, reason }));
}

/**
 * The branch of a union an object was meant for: of the object branches, the one that leaves
 * fewest of its keys unknown, then knows most of them, then has fewest errors. A value that is not
 * an object, or fits no branch's kind, gets one message for the whole union instead.
 */
function bestBranch(validators: ValidateFunction[], branches: JsonSchema[], file: SchemaFile, value: unknown): { errors: ErrorObject[] } | undefined {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return undefined;
    }
    const keys = Object.keys(value);
    const scored = validators.map((validate, i) => {
        validate(value);
        const errors = validate.errors ?? [];
        const schema = branches[i].$ref ? resolveRef(schemaSet().schemas[file], branches[i].$ref!) : branches[i];
        const known = Object.keys(schema.properties ?? {});
        return {
            errors,
            fits: !errors.some((e) => e.instancePath === "" && e.keyword === "type"),
            score: [keys.filter((k) => !known.includes(k)).length, -keys.filter((k) => known.includes(k)).length, errors.length],
        };
    }).filter((branch) => branch.fits);
    const order = (a: { score: number[] }, b: { score: number[] }) => a.score[0] - b.score[0] || a.score[1] - b.score[1] || a.score[2] - b.score[2];
    scored.sort(order);
    // Two branches that fit equally well: which one was meant is anyone's guess, so the union speaks.
    return scored.length > 1 && order(scored[0], scored[1]) === 0 ? undefined : scored[0];
}
