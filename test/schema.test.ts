import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import Ajv from "ajv";
import * as YAML from "yaml";
import { validateEc2HubArgs, validateEksHubArgs, validateHubSpec } from "../components";
import { SCHEMA_FILES, SchemaFile } from "../components/schema";
import { SCHEMA_DIR, generateSchemas, schemaText } from "../scripts/generate-schemas";
import { CONFIG_KEYS, HUB_SECRETS, NAMESPACE } from "../stacks/course";
import { MINIMAL_SPEC } from "./support/specs";
import { STACKS } from "./support/stacks";

const committed = (file: SchemaFile) => JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), "utf8"));

/** A validator as any JSON Schema tool builds one from the shipped file: plain ajv, our help-text keywords ignored. */
function plainValidator(file: SchemaFile) {
    return new Ajv({ allErrors: true, strict: false }).compile(committed(file));
}

const EXAMPLE_STACKS = fs.readdirSync(STACKS).filter((f) => /^Pulumi\..+\.yaml$/.test(f))
    .map((file) => ({ file, document: YAML.parse(fs.readFileSync(path.join(STACKS, file), "utf8")) }));

describe("the JSON Schemas under schema/", function () {
    this.timeout(120000);

    it("are what npm run schema generates from the current types and their TSDoc", () => {
        const fresh = generateSchemas();
        assert.deepEqual(Object.keys(fresh).sort(), [...SCHEMA_FILES].sort());
        for (const file of SCHEMA_FILES) {
            const text = fs.readFileSync(path.join(SCHEMA_DIR, file), "utf8");
            assert.ok(text === schemaText(fresh[file]), `schema/${file} differs from its types: run npm run schema and commit the result`);
        }
    });

    describe("hub-spec.json, with plain ajv", () => {
        const hubSpec = plainValidator("hub-spec.json");
        /** The hub of a stack file with the secrets the stack program adds from their own keys: those the schema finds missing. */
        const withSecrets = (hub: Record<string, unknown>) => {
            const spec = structuredClone(hub);
            hubSpec(spec);
            for (const error of hubSpec.errors ?? []) {
                const secret = HUB_SECRETS.find(({ path: at }) => error.keyword === "required"
                    && error.instancePath === `/${at.slice(0, -1).join("/")}` && error.params.missingProperty === at[at.length - 1]);
                if (secret) {
                    const holder = secret.path.slice(0, -1).reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, spec);
                    holder[secret.path[secret.path.length - 1]] = "placeholder-secret";
                }
            }
            return spec;
        };

        for (const { file, document } of EXAMPLE_STACKS) {
            it(`${file}: its course-hubs:hub validates, and does not with a misspelt key`, () => {
                const spec = withSecrets(document.config[`${NAMESPACE}:hub`]);
                assert.ok(hubSpec(spec), new Ajv().errorsText(hubSpec.errors));
                assert.equal(hubSpec({ ...spec, culing: { enabled: false } }), false);
                assert.deepEqual(hubSpec.errors!.map((e) => [e.instancePath, e.keyword, e.params]),
                    [["", "additionalProperties", { additionalProperty: "culing" }]]);
                const server = { ...(spec.server as object), imgae: { name: "quay.io/jupyter/scipy-notebook", tag: "2025-10-20" } };
                assert.equal(hubSpec({ ...spec, server }), false);
                assert.deepEqual(hubSpec.errors!.map((e) => [e.instancePath, e.params]), [["/server", { additionalProperty: "imgae" }]]);
            });
        }
    });

    describe("course-stack.json, with plain ajv", () => {
        const stackFile = plainValidator("course-stack.json");
        const cs101 = EXAMPLE_STACKS.find((s) => s.file === "Pulumi.fall-cs101.yaml")!.document;
        const withConfig = (config: Record<string, unknown>) => ({ ...cs101, config: { ...cs101.config, ...config } });
        const hub = cs101.config[`${NAMESPACE}:hub`];

        it("accepts every example stack file, each of which names it for the YAML language server", () => {
            for (const { file, document } of EXAMPLE_STACKS) {
                assert.ok(stackFile(document), `${file}: ${new Ajv().errorsText(stackFile.errors)}`);
                const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(fs.readFileSync(path.join(STACKS, file), "utf8"));
                assert.equal(modeline && path.resolve(STACKS, modeline[1]), path.join(SCHEMA_DIR, "course-stack.json"), file);
            }
        });

        it("refuses a misspelt key, a course-hubs key the project does not have, and a secret written into the hub; accepts other namespaces' keys", () => {
            assert.equal(stackFile(withConfig({ [`${NAMESPACE}:hub`]: { ...hub, adminUser: ["prof-smith"] } })), false);
            assert.equal(stackFile(withConfig({ [`${NAMESPACE}:eks`]: { ...cs101.config[`${NAMESPACE}:eks`], maxNode: 20 } })), false);
            assert.equal(stackFile(withConfig({ [`${NAMESPACE}:plattform`]: "eks" })), false);
            assert.equal(stackFile(withConfig({ [`${NAMESPACE}:hub`]: { ...hub, auth: { ...hub.auth, clientSecret: "in plain text" } } })), false);
            assert.equal(stackFile(withConfig({ "gcp:project": "cs-courses", "pulumi:tags": { team: "cs" } })), true);
        });

        it("knows exactly the project's config keys", () => {
            const keys = Object.keys(committed("course-stack.json").definitions.CourseStackConfig.properties);
            assert.deepEqual(keys.map((k) => k.slice(`${NAMESPACE}:`.length)).sort(), [...CONFIG_KEYS].sort());
        });
    });
});

describe("validation against the schemas in a program", () => {
    it("accepts an Output or a Promise where the type is a pulumi.Input, and still checks a plain value there", () => {
        const clientSecret = Promise.resolve("from-a-secret-store");
        assert.deepEqual(validateHubSpec({ ...MINIMAL_SPEC, auth: { ...MINIMAL_SPEC.auth, clientSecret } }), []);
        const network = { vpcId: pulumi.output("vpc-0abc"), hubSubnet: { id: pulumi.output("subnet-1"), vpcId: pulumi.output("vpc-0abc") }, workerSubnets: [] };
        assert.deepEqual(validateEc2HubArgs({ spec: MINIMAL_SPEC, network }), []);
        const plain = validateEc2HubArgs({ spec: MINIMAL_SPEC, network: { ...network, vpcId: "vpc_0abc" } });
        assert.deepEqual(plain, [{ propertyPath: "network.vpcId", reason: "\"vpc_0abc\" is not valid: use a VPC ID, vpc-..." }]);
    });

    it("refuses an Output where a plain value decides what is created, with one problem at the Output", () => {
        const hub = pulumi.output({ instanceType: "t4g.small" });
        const problems = validateEc2HubArgs({ spec: MINIMAL_SPEC, keepStudentWork: pulumi.output(true), hub });
        assert.deepEqual(problems.map((p) => p.propertyPath).sort(), ["hub", "keepStudentWork"]);
        for (const { reason } of problems) {
            assert.match(reason, /^must be a plain value, not a pulumi Output/);
        }
    });

    it("says what the TSDoc says: a pattern's help text and a required value's reason", () => {
        assert.deepEqual(validateHubSpec({ ...MINIMAL_SPEC, hostname: "CS101.example.edu" }), [
            {
                propertyPath: "spec.hostname",
                reason: "\"CS101.example.edu\" is not valid: use a lowercase fully qualified name such as cs101.hubs.example.edu",
            },
        ]);
        const { apiAccessCidrs, ...withoutCidrs } = { spec: MINIMAL_SPEC, apiAccessCidrs: ["203.0.113.0/24"] };
        assert.ok(apiAccessCidrs);
        assert.deepEqual(validateEksHubArgs(withoutCidrs), [{
            propertyPath: "apiAccessCidrs",
            reason: "is required: list the networks that may reach the Kubernetes API (campus, VPN), or [\"0.0.0.0/0\"] to open it to the world",
        }]);
    });

    it("answers for the branch of a union an object was meant for, and for the union when no branch or two fit", () => {
        const eks = { spec: MINIMAL_SPEC, apiAccessCidrs: ["203.0.113.0/24"] };
        assert.deepEqual(validateEksHubArgs({ ...eks, network: { vpcId: "vpc-0abc" } }), [
            { propertyPath: "network.publicSubnets", reason: "is required (a list)" },
        ]);
        assert.deepEqual(validateEksHubArgs({ ...eks, network: { zoneCount: "2" } }), [
            { propertyPath: "network.zoneCount", reason: "must be an integer, got the string \"2\"" },
        ]);
        assert.deepEqual(validateEc2HubArgs({ spec: MINIMAL_SPEC, workers: true }), [{
            propertyPath: "workers",
            reason: "must be worker options ({ instanceType, maxCount, ... }) or false for single-VM mode; leave it out for the default group",
        }]);
        const both = { awsRoleArn: "arn:aws:iam::123456789012:role/notebooks", gcpServiceAccountEmail: "nb@p.iam.gserviceaccount.com" };
        for (const notebookIdentity of [{}, both]) {
            assert.deepEqual(validateHubSpec({ ...MINIMAL_SPEC, notebookIdentity }), [
                { propertyPath: "spec.notebookIdentity", reason: "give exactly one of awsRoleArn or gcpServiceAccountEmail" },
            ]);
        }
    });
});
