import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { JsonSchema, SCHEMA_FILES } from "../components/schema";
import { README, TABLES, committedSchemas, renderTable, withGeneratedTables } from "../scripts/generate-readme-tables";

/** Each generated table of a README text, by name. */
function generatedTables(readme: string): Map<string, string> {
    return new Map([...readme.matchAll(/^<!-- generated: (\S+) -->\n([\s\S]*?)^<!-- end generated -->$/gm)].map((m) => [m[1], m[2]]));
}

describe("the README's option tables", () => {
    const readme = fs.readFileSync(README, "utf8");

    it("are what npm run readme-tables renders from the schemas under schema/", () => {
        const fresh = withGeneratedTables(readme, committedSchemas());
        const committed = generatedTables(readme);
        const differing = [...generatedTables(fresh)].filter(([name, table]) => committed.get(name) !== table).map(([name]) => name);
        assert.ok(fresh === readme, `README.md's tables ${differing.join(", ")} differ from the types' TSDoc: run npm run schema (or npm run readme-tables)`);
        assert.deepEqual([...committed.keys()].sort(), Object.keys(TABLES).sort());
    });

    it("refuse an option of the HubSpec that no table shows, a table without its end, and a table of no name", () => {
        const schemas = committedSchemas();
        schemas["hub-spec.json"].definitions!.HubSpec.properties!.lectureHall = { type: "string", description: "Where the lecture is." };
        assert.throws(() => withGeneratedTables(readme, schemas), /hub-spec\.json: option lectureHall is in no table of TABLES in scripts\/generate-readme-tables\.ts/);
        const unterminated = readme.replace("<!-- generated: gke-hub-args -->\n", "<!-- generated: gke-hub-args -->\n<!-- generated: spare -->\n");
        assert.throws(() => withGeneratedTables(unterminated, committedSchemas()), (error: Error) =>
            /the table gke-hub-args has no <!-- end generated --> before the next table/.test(error.message) && /no table is named spare/.test(error.message));
    });
});

describe("the annotations the tables show, as npm run schema writes them", () => {
    const schemas = committedSchemas();
    const platform = schemas["jupyterhub-platform.json"].definitions!.JupyterHubPlatformArgs.properties!;
    /** Every description and default description in a schema. */
    const texts = (node: unknown): string[] => typeof node !== "object" || node === null ? [] : Object.entries(node).flatMap(([key, value]) =>
        ["description", "defaultDescription"].includes(key) && typeof value === "string" ? [value] : texts(value));

    it("keep a prose @default of a string option as defaultDescription, not as a value an editor would insert", () => {
        const loadBalancerIP = platform.proxyService.properties!.loadBalancerIP;
        assert.deepEqual([loadBalancerIP.default, loadBalancerIP.defaultDescription], [undefined, "an address the cloud assigns"]);
        const timeZone = schemas["hub-spec.json"].definitions!.PrewarmSpec.properties!.timeZone;
        assert.equal(timeZone.default, undefined);
        assert.equal(timeZone.defaultDescription, "\"Etc/UTC\" (only when there is no schedule, where it does not matter)");
        const eks = schemas["eks-hub-args.json"].definitions!.EksHubArgs.properties!;
        assert.deepEqual([eks.kubernetesVersion.default, eks.kubernetesVersion.defaultDescription], ["1.35", undefined]);
    });

    it("name a linked type as code, not as TSDoc's link syntax", () => {
        const linked = SCHEMA_FILES.flatMap((file) => texts(schemas[file]).filter((text) => text.includes("{@link")).map((text) => `${file}: ${text}`));
        assert.deepEqual(linked, []);
        const content = schemas["hub-spec.json"].definitions!.ServerSpec.properties!.content.description!;
        assert.match(content, /\(see `ContentSpec`\)\.$/);
    });
});

describe("an option table", () => {
    /* A type of every kind the tables render: a type documented elsewhere, an enumeration, a union of objects, a list of objects,
     * a type shown twice, a union told apart by a field, and objects whose fields are not documented. */
    const schema: JsonSchema = {
        $ref: "#/definitions/CourseArgs",
        definitions: {
            CourseArgs: {
                type: "object",
                properties: {
                    spec: { $ref: "#/definitions/HubSpec", description: "The course hub." },
                    size: { type: "string", enum: ["small", "large"], description: "How big | how fast.", default: "small" },
                    network: {
                        anyOf: [{ $ref: "#/definitions/NewNetwork" }, { type: "boolean", const: false }],
                        description: "Where it runs.",
                        defaultDescription: "a new network",
                    },
                    pools: { type: "array", items: { $ref: "#/definitions/Pool" }, description: "Node pools.", default: [] },
                    spare: { $ref: "#/definitions/Pool", description: "A spare pool." },
                    login: { $ref: "#/definitions/Login", description: "How people log in." },
                    tolerations: {
                        type: "array",
                        items: { type: "object", properties: { key: { type: "string" }, effect: { type: "string" } } },
                        description: "Taints tolerated.",
                    },
                },
                required: ["spec", "login"],
            },
            HubSpec: { type: "object", properties: { course: { type: "string", description: "Course code." } } },
            NewNetwork: {
                type: "object",
                description: "A new network.",
                properties: { cidr: { type: "string", description: "Address range.", default: "10.0.0.0/16" } },
            },
            Pool: {
                type: "object",
                description: "A pool.",
                properties: { machine: { type: "string", description: "Machine type." }, count: { type: "integer", description: "Nodes.", default: 1 } },
                required: ["machine"],
            },
            Login: {
                type: "object",
                properties: { kind: { enum: ["token", "oidc"] } },
                required: ["kind"],
                allOf: [
                    { if: { properties: { kind: { const: "token" } }, required: ["kind"] }, then: { $ref: "#/definitions/TokenLogin" } },
                    { if: { properties: { kind: { const: "oidc" } }, required: ["kind"] }, then: { $ref: "#/definitions/OidcLogin" } },
                ],
            },
            TokenLogin: {
                type: "object",
                description: "A shared token.",
                properties: {
                    kind: { const: "token" },
                    clientId: { type: "string", description: "Client ID." },
                    token: { type: "string", description: "The token." },
                },
                required: ["kind", "clientId", "token"],
            },
            OidcLogin: {
                type: "object",
                description: "OpenID Connect.",
                properties: {
                    kind: { const: "oidc" },
                    clientId: { type: "string", description: "Client ID." },
                    issuer: { type: "string", description: "Issuer URL.", default: "https://login.example.edu" },
                },
                required: ["kind", "clientId"],
            },
        },
    };

    it("has a row for each option by its path, with what its TSDoc says and its default", () => {
        assert.equal(renderTable({ file: "eks-hub-args.json", heading: "`Course` argument" }, schema), [
            "| `Course` argument | meaning | default |",
            "|---|---|---|",
            "| `spec` | The course hub. See the [HubSpec reference](#hubspec-reference). | required |",
            "| `size` | How big \\| how fast. One of `small`, `large`. | `\"small\"` |",
            "| `network` | Where it runs. Either `{ cidr }`: a new network. Or `false`. | a new network |",
            "| `network.cidr` | Address range. | `\"10.0.0.0/16\"` |",
            "| `pools` | Node pools. | `[]` |",
            "| `pools[].machine` | Machine type. | required |",
            "| `pools[].count` | Nodes. | `1` |",
            "| `spare` | A spare pool. Fields as `pools[]`. | none |",
            "| `login` | How people log in. | required |",
            "| `login.clientId` | Client ID. | required |",
            "| `login.kind: \"token\"` | A shared token. |  |",
            "| `login.token` | The token. | required |",
            "| `login.kind: \"oidc\"` | OpenID Connect. |  |",
            "| `login.issuer` | Issuer URL. | `\"https://login.example.edu\"` |",
            "| `tolerations` | Taints tolerated. Each `{ key, effect }`. | none |",
        ].join("\n"));
    });

    it("shows the options it is given, in their order, and refuses one the type does not have", () => {
        const source = { file: "eks-hub-args.json" as const, heading: "field", options: ["size", "spec"] };
        assert.deepEqual(renderTable(source, schema).split("\n").slice(2).map((row) => row.split(" | ")[0]), ["| `size`", "| `spec`"]);
        assert.throws(() => renderTable({ ...source, options: ["sizes"] }, schema), /eks-hub-args\.json has no option sizes/);
    });
});
