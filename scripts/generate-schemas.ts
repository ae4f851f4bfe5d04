/*
 * `npm run schema`: writes the JSON Schemas under schema/ from the TypeScript types of the options.
 *
 * The types are the source and the schemas are generated from them, not the other way round: the
 * types' TSDoc is the documentation every reader of the code and of the package's .d.ts files
 * already sees, the compiler checks every use of them, and a rule written once in a TSDoc tag
 * (`@pattern`, `@minimum`, `@asType integer`, `@default`, and our `@patternErrorMessage`,
 * `@errorMessage` and `@requiredMessage` help texts) reaches the run-time validation, an editor
 * checking a stack file, and the README's option tables (scripts/generate-readme-tables.ts)
 * alike. Schemas first would leave the TSDoc to be written by a code generator, and the types to
 * drift from what a person reads.
 *
 * The generator is ts-json-schema-generator; it is given one parser of its own, for
 * `pulumi.Input<T>`: a stack file holds plain values, so such a field's schema is the schema of T,
 * marked `x-pulumi-input` so that the run-time validation also accepts an Output there.
 * test/schema.test.ts fails when the committed files differ from a fresh generation.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import {
    AnnotatedType, BaseType, BasicAnnotationsReader, CompletedConfig, Context, DEFAULT_CONFIG, NodeParser, SchemaGenerator, SubNodeParser,
    createFormatter, createParser, createProgram,
} from "ts-json-schema-generator";
import Ajv from "ajv";
import { INPUT_MARKER, JsonSchema, SCHEMA_FILES, SCHEMA_KEYWORDS, SchemaFile, resolveRef } from "../components/schema";
import { HUB_SECRETS, NAMESPACE } from "../stacks/course";

const ROOT = path.resolve(__dirname, "..");
export const SCHEMA_DIR = path.join(ROOT, "schema");

/** Which type each file describes, and the source file that declares it (for its `$comment`). */
const SOURCES: Record<SchemaFile, { type: string; source: string }> = {
    "hub-spec.json": { type: "HubSpec", source: "components/hub/spec.ts" },
    "eks-hub-args.json": { type: "EksHubArgs", source: "components/aws/eks-args.ts" },
    "gke-hub-args.json": { type: "GkeHubArgs", source: "components/gcp/gke-args.ts" },
    "ec2-hub-args.json": { type: "EC2AutoscaleHubArgs", source: "components/aws/ec2-args.ts" },
    "jupyterhub-platform.json": { type: "JupyterHubPlatformArgs", source: "components/hub/platform.ts" },
    "static-ip-ingress-args.json": { type: "StaticIpIngressOptions", source: "components/ingress/static-ip-ingress.ts" },
    "course-stack.json": { type: "CourseStackConfig", source: "stacks/stack-file.ts" },
};

/** `pulumi.Input<T>` is T in a schema, marked so that validation in a program accepts an Output too. */
class PulumiInputParser implements SubNodeParser {
    constructor(private readonly types: NodeParser) {}

    supportsNode(node: ts.Node): boolean {
        return ts.isTypeReferenceNode(node) && node.typeName.getText() === "pulumi.Input" && node.typeArguments?.length === 1;
    }

    createType(node: ts.TypeReferenceNode, context: Context): BaseType {
        return new AnnotatedType(this.types.createType(node.typeArguments![0], context), { [INPUT_MARKER]: true }, false);
    }
}

/** Marks a `@default` written as prose, until it becomes `defaultDescription`. */
const PROSE_DEFAULT = "x-prose-default";
let proseDefaultsMarked = false;

/**
 * The generator reads a `@default` as JSON5 and keeps text that is not JSON5 as a string, so prose
 * (`@default the cluster's default storage class`) on a string option would become its default
 * value, which an editor inserts into a stack file. Text the generator could not parse (it then
 * returns the text itself: a parsed string comes from a quoted one) is marked as prose instead.
 */
function markProseDefaults(): void {
    if (proseDefaultsMarked) {
        return;
    }
    proseDefaultsMarked = true;
    const reader = BasicAnnotationsReader.prototype as unknown as { parseJsDocTag(tag: ts.JSDocTagInfo): unknown };
    const parse = reader.parseJsDocTag;
    reader.parseJsDocTag = function (this: BasicAnnotationsReader, tag: ts.JSDocTagInfo): unknown {
        const value = parse.call(this, tag);
        const text = tag.text?.map((part) => part.text).join("");
        return tag.name === "default" && value === text ? { [PROSE_DEFAULT]: text } : value;
    };
}

/** Every schema under schema/, by file name, generated from the current sources. */
export function generateSchemas(): Record<SchemaFile, JsonSchema> {
    const config: CompletedConfig = {
        ...DEFAULT_CONFIG,
        // One root that imports every options type: the program is built once for all files.
        path: path.join(ROOT, "stacks", "stack-file.ts"),
        tsconfig: path.join(ROOT, "tsconfig.json"),
        // tsc checks the types already (npm run typecheck).
        skipTypeCheck: true,
        extraTags: SCHEMA_KEYWORDS.filter((k) => k !== INPUT_MARKER),
    };
    markProseDefaults();
    const program = createProgram(config);
    // The augmentor is handed the chain of all parsers, which parses an Input's type argument too.
    const parser = createParser(program, config, (chain) => chain.addNodeParser(new PulumiInputParser(chain as unknown as NodeParser)));
    const generator = new SchemaGenerator(program, parser, createFormatter(config), config);
    const schemas = {} as Record<SchemaFile, JsonSchema>;
    for (const file of SCHEMA_FILES) {
        const { type, source } = SOURCES[file];
        // A copy: the generator shares definition objects between schemas, and asStackFile changes its own.
        const schema = JSON.parse(JSON.stringify(generator.createSchema(type))) as JsonSchema;
        const tidy = { $comment: `Generated by npm run schema from the ${type} type in ${source}: edit the type and its TSDoc, not this file.`, ...schema };
        schemas[file] = file === "course-stack.json" ? asStackFile(tidy) : tidy;
        requireNonEmptyStrings(schemas[file]);
        requireDiscriminators(schemas[file]);
        separateProseDefaults(schemas[file]);
        plainLinks(schemas[file]);
    }
    return schemas;
}

/**
 * A string option is never empty: an empty YAML value is a slip, and every string the components
 * take names or holds something. The values of maps (environment variables) may be empty.
 */
function requireNonEmptyStrings(node: unknown, isMapValue = false): void {
    if (Array.isArray(node)) {
        node.forEach((item) => requireNonEmptyStrings(item));
        return;
    }
    if (typeof node !== "object" || node === null) {
        return;
    }
    const schema = node as JsonSchema;
    if (schema.type === "string" && !isMapValue && schema.const === undefined && schema.enum === undefined && schema.minLength === undefined) {
        schema.minLength = 1;
    }
    for (const [key, value] of Object.entries(schema)) {
        if (key !== "default" && key !== "examples") {
            requireNonEmptyStrings(value, key === "additionalProperties");
        }
    }
}

/**
 * A discriminated union is an `allOf` of `if: { properties: { mode: { const: "x" } } }, then: ...`;
 * an `if` is true of an object without the key, so without `required` there every branch would
 * apply to an object that lacks its discriminator (and each would report its own fields missing).
 */
function requireDiscriminators(node: unknown): void {
    if (typeof node !== "object" || node === null) {
        return;
    }
    const schema = node as JsonSchema;
    const condition = schema.if as JsonSchema | undefined;
    if (condition?.properties && condition.required === undefined) {
        condition.required = Object.keys(condition.properties);
    }
    Object.values(schema).forEach(requireDiscriminators);
}

/**
 * A TSDoc `@default` is often prose ("the platform's class, else the cluster default"). JSON
 * Schema's `default` is a value an editor inserts, so prose, and a value that is not valid for the
 * option, moves to `defaultDescription`, kept for people (and the README's tables).
 */
function separateProseDefaults(root: JsonSchema): void {
    const ajv = new Ajv({ strict: false, validateSchema: false });
    const visit = (node: unknown): void => {
        if (typeof node !== "object" || node === null) {
            return;
        }
        if (Array.isArray(node)) {
            node.forEach(visit);
            return;
        }
        const schema = node as JsonSchema;
        const prose = (schema.default as Record<string, unknown> | undefined)?.[PROSE_DEFAULT];
        if (typeof prose === "string") {
            delete schema.default;
            schema.defaultDescription = prose;
        } else if ("default" in schema && !("properties" in schema && schema.type === undefined)) {
            const { default: value, ...rest } = schema;
            if (!ajv.validate({ ...rest, definitions: root.definitions }, value)) {
                delete schema.default;
                schema.defaultDescription = String(value);
            }
        }
        Object.entries(schema).filter(([key]) => key !== "default").forEach(([, value]) => visit(value));
    };
    visit(root.definitions);
}

/**
 * A TSDoc link to a type reaches the schema as its parts joined by spaces, braces and all; an
 * editor's hover and the README show the type's name as code instead.
 */
function plainLinks(node: unknown): void {
    if (typeof node !== "object" || node === null) {
        return;
    }
    const schema = node as JsonSchema;
    for (const key of ["description", "defaultDescription"]) {
        const text = schema[key];
        if (typeof text === "string" && text.includes("{@link")) {
            schema[key] = text.replace(/\s*\{@link\s+([^\s|}]+)[^}]*\}\s*/g, (link: string, name: string, offset: number, whole: string) => {
                const end = offset + link.length;
                const before = offset > 0 && !/[([]$/.test(whole.slice(0, offset)) ? " " : "";
                const after = end < whole.length && !/^[)\].,;:]/.test(whole.slice(end)) ? " " : "";
                return `${before}\`${name}\`${after}`;
            });
        }
    }
    Object.values(schema).forEach(plainLinks);
}

/**
 * The stack file: `config:` holds CourseStackConfig, whose `course-hubs:hub` has no secrets (each
 * has its secret key); any other namespace's key is the provider's business.
 */
function asStackFile(generated: JsonSchema): JsonSchema {
    const { $comment, $schema, $ref, definitions } = generated;
    const stackConfig = resolveRef(generated, $ref as string);
    stackConfig.patternProperties = { [`^(?!${NAMESPACE}:)`]: {} };
    for (const { path: secretPath } of HUB_SECRETS) {
        let holders = objectSchemas(generated, stackConfig.properties![`${NAMESPACE}:hub`]);
        for (const key of secretPath.slice(0, -1)) {
            holders = holders.flatMap((holder) => holder.properties?.[key] ? objectSchemas(generated, holder.properties[key]) : []);
        }
        const secret = secretPath[secretPath.length - 1];
        for (const holder of holders) {
            if (holder.properties?.[secret]) {
                delete holder.properties[secret];
                holder.required = holder.required?.filter((r) => r !== secret);
            }
        }
    }
    return {
        $comment,
        $schema,
        title: "course-hubs stack file (stacks/Pulumi.<stack>.yaml)",
        type: "object",
        properties: {
            config: { $ref, description: "The stack's configuration: the course-hubs keys are checked, other namespaces' keys are left to their providers." },
        },
        required: ["config"],
        definitions,
    };
}

/** The object schemas a value at `schema` may have to match: through references, unions and discriminated branches. */
function objectSchemas(root: JsonSchema, schema: JsonSchema): JsonSchema[] {
    if (schema.$ref) {
        return objectSchemas(root, resolveRef(root, schema.$ref));
    }
    const discriminated = (schema.allOf as JsonSchema[] | undefined ?? []).map((branch) => (branch.then as JsonSchema | undefined) ?? branch);
    return [...(schema.properties ? [schema] : []), ...[...(schema.anyOf ?? []), ...discriminated].flatMap((branch) => objectSchemas(root, branch))];
}

/** The file's text as committed: two-space JSON and a final newline. */
export function schemaText(schema: JsonSchema): string {
    return `${JSON.stringify(schema, null, 2)}\n`;
}

if (require.main === module) {
    const schemas = generateSchemas();
    fs.mkdirSync(SCHEMA_DIR, { recursive: true });
    for (const [file, schema] of Object.entries(schemas)) {
        fs.writeFileSync(path.join(SCHEMA_DIR, file), schemaText(schema));
        console.log(`wrote schema/${file}`);
    }
}
