/*
 * `npm run readme-tables` (and `npm run schema`, after the schemas): renders the README's option
 * tables from the JSON Schemas under schema/, which `npm run schema` generates from the option
 * types and their TSDoc. A table sits between two markers in README.md, which name it:
 *
 *     <!-- generated: eks-hub-args -->
 *     ...
 *     <!-- end generated -->
 *
 * and everything between them is rewritten. The wording, the defaults and which options exist all
 * come from the TSDoc, so a README table cannot say what the types do not: to change a row, edit
 * the TSDoc and run `npm run schema`. test/readme-tables.test.ts fails when the README differs
 * from a fresh rendering; it reads only JSON.
 *
 * A table has a row for each option, nested ones by path (`userNodes.maxCount`,
 * `server.profiles[].slug`). A union of object types lists its alternatives in its own row and
 * then their fields; a union told apart by a field (`auth.type`) has a row for each kind, with the
 * fields of that kind after it, and the fields every kind shares before them. A type already
 * shown in the table refers to its first rows instead of repeating them, and a type with tables of
 * its own (the HubSpec) links to them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { JsonSchema, SCHEMA_FILES, SchemaFile, resolveRef } from "../components/schema";

const ROOT = path.resolve(__dirname, "..");
export const README = path.join(ROOT, "README.md");

export interface TableSource {
    /** The schema whose type the table describes. */
    file: SchemaFile;
    /** Heading of the first column. */
    heading: string;
    /** For a type shown in several tables, the options of this one, in order; else all of them. */
    options?: string[];
}

/** Every generated table of the README, by the name its markers give. */
export const TABLES: Record<string, TableSource> = {
    "jupyterhub-platform": { file: "jupyterhub-platform.json", heading: "`platform` field" },
    "eks-hub-args": { file: "eks-hub-args.json", heading: "`EksHub` argument" },
    "gke-hub-args": { file: "gke-hub-args.json", heading: "`GkeHub` argument" },
    "ec2-hub-args": { file: "ec2-hub-args.json", heading: "`EC2AutoscaleHub` argument" },
    "hub-spec-identity": {
        file: "hub-spec.json", heading: "field",
        options: ["course", "term", "owner", "displayName", "announcement", "logo", "hostname", "https", "allowedSourceRanges"],
    },
    "hub-spec-login": { file: "hub-spec.json", heading: "field", options: ["auth", "adminUsers", "staffUsers", "allowedUsers"] },
    "hub-spec-server": { file: "hub-spec.json", heading: "field", options: ["server"] },
    "hub-spec-storage": { file: "hub-spec.json", heading: "field", options: ["storage", "culling", "prewarm", "spawn", "notebookIdentity"] },
};

/** Types that have tables of their own: elsewhere, a link to those instead of their fields. */
const DOCUMENTED_AT: Record<string, string> = { HubSpec: "[HubSpec reference](#hubspec-reference)" };

const START = /^<!-- generated: (\S+) -->$/;
const END = "<!-- end generated -->";

interface Row {
    option: string;
    meaning: string;
    defaultValue: string;
}

/** What rendering one table needs: its schema, its rows so far, and where each type's fields were first shown. */
interface Table {
    root: JsonSchema;
    rows: Row[];
    shownAt: Map<string, string>;
}

/** A schema with its references followed: the referenced type under the annotations of the referring schema, and the type's name. */
function resolve(root: JsonSchema, node: JsonSchema): { schema: JsonSchema; type?: string } {
    let annotations: JsonSchema = {};
    let current = node;
    let type: string | undefined;
    while (current.$ref) {
        const { $ref, ...own } = current;
        annotations = { ...own, ...annotations };
        type = decodeURIComponent($ref.slice($ref.lastIndexOf("/") + 1));
        current = resolveRef(root, $ref);
    }
    const target = { ...current };
    if ("default" in annotations || "defaultDescription" in annotations) {
        // The option's own default replaces its type's, whichever way either is written.
        delete target.default;
        delete target.defaultDescription;
    }
    return { schema: { ...target, ...annotations }, type };
}

/** The kinds of a union told apart by one field (`allOf` of `if: { properties: { type: { const } } }, then: ...`). */
function kinds(root: JsonSchema, schema: JsonSchema): { key: string; value: unknown; schema: JsonSchema }[] {
    return ((schema.allOf ?? []) as JsonSchema[]).filter((branch) => branch.if && branch.then).map((branch) => {
        const [[key, condition]] = Object.entries((branch.if as JsonSchema).properties!);
        return { key, value: condition.const, schema: resolve(root, branch.then as JsonSchema).schema };
    });
}

/** Whether an object type gets rows for its fields: it has kinds, or fields that say what they are. */
function hasDocumentedFields(root: JsonSchema, schema: JsonSchema): boolean {
    return kinds(root, schema).length > 0 || Object.values(schema.properties ?? {}).some((field) => resolve(root, field).schema.description);
}

/** Text for one table cell: on one line, with the table's own separator escaped. */
function cell(text: string): string {
    return text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|").trim();
}

function sentences(...parts: (string | undefined)[]): string {
    return parts.filter((part) => part).join(" ");
}

/** A value as it is written in TypeScript (and, for strings, numbers and lists, in YAML too). */
function literal(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(literal).join(", ")}]`;
    }
    if (typeof value === "object" && value !== null) {
        const entries = Object.entries(value);
        return entries.length === 0 ? "{}" : `{ ${entries.map(([key, item]) => `${key}: ${literal(item)}`).join(", ")} }`;
    }
    return JSON.stringify(value);
}

/**
 * The default column: `required`, the default value, or its description. An object without one
 * is there with its fields' defaults if it needs no field (nothing to say: the rows below say
 * it), and absent if it needs some.
 */
function defaultCell(root: JsonSchema, schema: JsonSchema, required: boolean): string {
    if (required) {
        return "required";
    }
    if ("default" in schema) {
        return `\`${literal(schema.default)}\``;
    }
    if (typeof schema.defaultDescription === "string") {
        return schema.defaultDescription;
    }
    return schema.properties && hasDocumentedFields(root, schema) && !schema.required?.length ? "" : "none";
}

/** The fields of an object type, as a reader recognises them in a stack file: `{ vpcId, publicSubnets, privateSubnets }`. */
function shape(schema: JsonSchema): string {
    return `\`{ ${Object.keys(schema.properties ?? {}).join(", ")} }\``;
}

/** The choices of a union, each by its fields and what its type says about it. */
function alternatives(root: JsonSchema, branches: JsonSchema[]): string {
    const choices = branches.map((branch) => {
        const { schema } = resolve(root, branch);
        if ("const" in schema) {
            return `\`${literal(schema.const)}\``;
        }
        if (!schema.properties) {
            return `a ${schema.type ?? "value"}`;
        }
        const about = schema.description?.replace(/^[A-Z](?=[a-z ])/, (letter) => letter.toLowerCase()).replace(/\.$/, "");
        return about ? `${shape(schema)}: ${about}` : shape(schema);
    });
    return choices.length === 2 ? `Either ${choices[0]}. Or ${choices[1]}.` : `One of: ${choices.join("; ")}.`;
}

/** The values of an enumeration that its description does not name already. */
function enumeration(schema: JsonSchema): string | undefined {
    const values = schema.enum?.map((value) => String(value));
    return values && values.some((value) => !schema.description?.includes(value)) ? `One of ${values.map((v) => `\`${v}\``).join(", ")}.` : undefined;
}

function optionPath(parent: string, key: string): string {
    return parent ? `${parent}.${key}` : key;
}

/** The row of an option, then the rows of what it holds. */
function optionRows(table: Table, option: string, node: JsonSchema, required: boolean): void {
    const { schema, type } = resolve(table.root, node);
    const row: Row = {
        option: `\`${option}\``,
        meaning: sentences(schema.description, enumeration(schema)),
        defaultValue: defaultCell(table.root, schema, required),
    };
    table.rows.push(row);
    if (type && DOCUMENTED_AT[type]) {
        row.meaning = sentences(row.meaning, `See the ${DOCUMENTED_AT[type]}.`);
    } else if (schema.anyOf) {
        row.meaning = sentences(row.meaning, alternatives(table.root, schema.anyOf));
        schema.anyOf.forEach((branch) => fieldRows(table, option, branch, row));
    } else if (schema.type === "array" && schema.items) {
        fieldRows(table, `${option}[]`, schema.items as JsonSchema, row);
    } else {
        fieldRows(table, option, node, row);
    }
}

/**
 * The rows of an object type's fields under `option`, unless the type was shown already (the row
 * then says where) or its fields are not documented (the row then names them).
 */
function fieldRows(table: Table, option: string, node: JsonSchema, row: Row): void {
    const { schema, type } = resolve(table.root, node);
    if (!schema.properties) {
        return;
    }
    if (!hasDocumentedFields(table.root, schema)) {
        row.meaning = option.endsWith("[]") ? sentences(row.meaning, `Each ${shape(schema)}.`) : row.meaning;
        return;
    }
    const shownAt = type && table.shownAt.get(type);
    if (shownAt) {
        row.meaning = sentences(row.meaning, `Fields as \`${shownAt}\`.`);
        return;
    }
    if (type) {
        table.shownAt.set(type, option);
    }
    objectRows(table, option, schema, new Set());
}

/**
 * The rows of an object's fields, then of each of its kinds: first the fields all kinds share,
 * then a row for each kind (`auth.type: "github"`) followed by its own fields. Fields that tell
 * kinds apart (`skip`) are said by those rows instead.
 */
function objectRows(table: Table, parent: string, schema: JsonSchema, skip: Set<string>): void {
    const required = new Set(schema.required ?? []);
    const variants = kinds(table.root, schema);
    const discriminators = new Set([...skip, ...variants.map((variant) => variant.key)]);
    for (const [key, field] of Object.entries(schema.properties ?? {})) {
        if (!discriminators.has(key)) {
            optionRows(table, optionPath(parent, key), field, required.has(key));
        }
    }
    if (variants.length === 0) {
        return;
    }
    const shared = Object.keys(variants[0].schema.properties ?? {}).filter((key) => !discriminators.has(key)
        && variants.every((variant) => JSON.stringify(variant.schema.properties?.[key]) === JSON.stringify(variants[0].schema.properties![key])));
    for (const key of shared) {
        optionRows(table, optionPath(parent, key), variants[0].schema.properties![key], variants.every((variant) => variant.schema.required?.includes(key)));
    }
    for (const variant of variants) {
        const option = `\`${optionPath(parent, variant.key)}: ${literal(variant.value)}\``;
        table.rows.push({ option, meaning: variant.schema.description ?? "", defaultValue: "" });
        const own = Object.fromEntries(Object.entries(variant.schema.properties ?? {}).filter(([key]) => !shared.includes(key)));
        objectRows(table, parent, { ...variant.schema, properties: own }, discriminators);
    }
}

/** One table as Markdown, heading first. */
export function renderTable(source: TableSource, schema: JsonSchema): string {
    const type = resolve(schema, schema).schema;
    const table: Table = { root: schema, rows: [], shownAt: new Map() };
    const options = source.options ?? Object.keys(type.properties ?? {});
    for (const option of options) {
        const field = type.properties?.[option];
        if (!field) {
            throw new Error(`${source.file} has no option ${option}: remove it from TABLES in scripts/generate-readme-tables.ts`);
        }
        optionRows(table, option, field, type.required?.includes(option) ?? false);
    }
    return [
        `| ${source.heading} | meaning | default |`,
        "|---|---|---|",
        ...table.rows.map((row) => `| ${cell(row.option)} | ${cell(row.meaning)} | ${cell(row.defaultValue)} |`),
    ].join("\n");
}

/** Options of a type spread over several tables that are in none of them, or in more than one. */
function coverageProblems(schemas: Record<SchemaFile, JsonSchema>): string[] {
    return SCHEMA_FILES.flatMap((file) => {
        const tables = Object.entries(TABLES).filter(([, source]) => source.file === file && source.options);
        if (tables.length === 0) {
            return [];
        }
        const listed = tables.flatMap(([, source]) => source.options!);
        return Object.keys(resolve(schemas[file], schemas[file]).schema.properties ?? {}).flatMap((option) => {
            const count = listed.filter((o) => o === option).length;
            const where = count === 0 ? "no table" : `${count} tables`;
            return count === 1 ? [] : [`${file}: option ${option} is in ${where} of TABLES in scripts/generate-readme-tables.ts`];
        });
    });
}

/** The README with every generated table rendered afresh from `schemas`. */
export function withGeneratedTables(readme: string, schemas: Record<SchemaFile, JsonSchema>): string {
    const problems = coverageProblems(schemas);
    const lines = readme.split("\n");
    const output: string[] = [];
    const seen: string[] = [];
    for (let i = 0; i < lines.length; i++) {
        output.push(lines[i]);
        const name = START.exec(lines[i])?.[1];
        if (name === undefined) {
            continue;
        }
        const end = lines.indexOf(END, i + 1);
        const nextStart = lines.findIndex((line, j) => j > i && START.test(line));
        if (end === -1 || (nextStart !== -1 && nextStart < end)) {
            problems.push(`README.md line ${i + 1}: the table ${name} has no ${END} before the next table`);
            continue;
        }
        if (!TABLES[name]) {
            problems.push(`README.md line ${i + 1}: no table is named ${name}; the names are ${Object.keys(TABLES).join(", ")}`);
        } else {
            output.push("", renderTable(TABLES[name], schemas[TABLES[name].file]), "");
        }
        output.push(END);
        seen.push(name);
        i = end;
    }
    for (const name of Object.keys(TABLES)) {
        const count = seen.filter((s) => s === name).length;
        if (count !== 1) {
            problems.push(`README.md has the table ${name} ${count} times: mark its place once with <!-- generated: ${name} --> and ${END}`);
        }
    }
    if (problems.length > 0) {
        throw new Error(`The README's tables cannot be generated:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    return output.join("\n");
}

/** The schemas as schema/ holds them. */
export function committedSchemas(): Record<SchemaFile, JsonSchema> {
    const read = (file: SchemaFile) => JSON.parse(fs.readFileSync(path.join(ROOT, "schema", file), "utf8")) as JsonSchema;
    return Object.fromEntries(SCHEMA_FILES.map((file) => [file, read(file)])) as Record<SchemaFile, JsonSchema>;
}

if (require.main === module) {
    const readme = fs.readFileSync(README, "utf8");
    const updated = withGeneratedTables(readme, committedSchemas());
    fs.writeFileSync(README, updated);
    console.log(updated === readme ? "README.md: tables already up to date" : "README.md: tables rewritten from schema/");
}
