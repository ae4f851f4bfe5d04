import { strict as assert } from "node:assert";
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as services from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as messages from "@pulumi/pulumi/proto/analyzer_pb";
import { policies, schemaDefaults } from "../../policy/policies";
import { UNKNOWN } from "../support/policy";

/*
 * The pack as the Pulumi CLI runs it: `node <@pulumi/pulumi>/cmd/run-policy-pack/index.js
 * <engine> .` in policy/, which prints the port of its Analyzer gRPC service; then the CLI's calls
 * through the generated clients that ship in @pulumi/pulumi.
 */
const PULUMI = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
/** A module of @pulumi/pulumi's own dependencies (not this package's), the copy its generated clients use. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from @pulumi/pulumi's directory at run time
const fromPulumi = (module: string) => require(require.resolve(module, { paths: [PULUMI] }));
const grpc = fromPulumi("@grpc/grpc-js");
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb");
const { Empty } = fromPulumi("google-protobuf/google/protobuf/empty_pb");

function call<T>(client: any, method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => client[method](request, (err: Error | null, response: T) => (err ? reject(err) : resolve(response))));
}

function analyzerResource<K extends "AnalyzeRequest" | "AnalyzerResource">(
    kind: K,
    type: string,
    name: string,
    properties: Record<string, unknown>,
): InstanceType<(typeof messages)[K]> {
    const message = new messages[kind]();
    message.setType(type);
    message.setName(name);
    message.setUrn(`urn:pulumi:test::course-hubs::${type}::${name}`);
    message.setProperties(Struct.fromJavaScript(properties));
    message.setOptions(new messages.AnalyzerResourceOptions());
    return message as InstanceType<(typeof messages)[K]>;
}

/** [policy, violation, level] of each diagnostic; the server puts the policy's description above the violation. */
const diagnostics = (response: any) => response.getDiagnosticsList().map((d: any) => {
    const [description, violation] = d.getMessage().split("\n");
    assert.equal(description, policies.find((p) => p.name === d.getPolicyname())!.description);
    return [d.getPolicyname(), violation, d.getEnforcementlevel()];
});

describe("the policy pack, started as the Pulumi CLI starts it", function () {
    this.timeout(120000);
    let pack: ChildProcess;
    let client: any;

    before(async () => {
        pack = spawn(process.execPath, [path.join(PULUMI, "cmd/run-policy-pack/index.js"), "127.0.0.1:1", "."], {
            cwd: path.resolve(__dirname, "../../policy"),
            stdio: ["ignore", "pipe", "pipe"],
        });
        let errors = "";
        pack.stderr!.on("data", (chunk) => (errors += chunk));
        const port = await new Promise<number>((resolve, reject) => {
            let output = "";
            pack.stdout!.on("data", (chunk) => {
                output += chunk;
                const match = /^(\d+)\s*$/m.exec(output);
                if (match) {
                    resolve(Number(match[1]));
                }
            });
            pack.on("exit", (code) => reject(new Error(`the pack exited with ${code} before printing its port:\n${errors}`)));
        });
        client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        pack?.kill();
    });

    it("describes itself: name, version from policy/package.json, every policy", async () => {
        const info: any = await call(client, "getAnalyzerInfo", new Empty());
        assert.equal(info.getName(), "course-hubs");
        assert.equal(info.getVersion(), "0.1.0");
        assert.deepEqual(info.getPoliciesList().map((p: any) => p.getName()).sort(), policies.map((p) => p.name).sort());
    });

    it("takes its config as the CLI sends it, schema defaults included", async () => {
        const request = new messages.ConfigureAnalyzerRequest();
        for (const policy of policies) {
            const config = new messages.PolicyConfig();
            config.setEnforcementlevel(messages.EnforcementLevel.MANDATORY);
            const defaults = schemaDefaults(policy);
            config.setProperties(Struct.fromJavaScript(policy.name === "course-instance-limits" ? { ...defaults, maxInstances: 12 } : defaults));
            request.getPolicyconfigMap().set(policy.name, config);
        }
        await call(client, "configure", request);
    });

    it("analyzes one resource: an untagged instance without IMDSv2", async () => {
        const response = await call(client, "analyze", analyzerResource("AnalyzeRequest", "aws:ec2/instance:Instance", "legacy", {
            instanceType: "t3.small", rootBlockDevice: { encrypted: true }, metadataOptions: { httpTokens: "optional" },
        }));
        assert.deepEqual(diagnostics(response).sort(), [
            [
                "course-required-tags",
                "Missing the tags course, term, owner, managed-by: add them to tags, or to the provider's defaultTags.",
                messages.EnforcementLevel.MANDATORY,
            ],
            ["imdsv2-required", "IMDSv2 is not required: set metadataOptions.httpTokens to \"required\".", messages.EnforcementLevel.MANDATORY],
        ]);
    });

    it("analyzes plain HTTP behind TLS offload, an SSM secret under aws/ssm, Kubernetes APIs open too widely; a preview's unknown key passes", async () => {
        const analyze = async (type: string, name: string, properties: Record<string, unknown>) =>
            diagnostics(await call(client, "analyze", analyzerResource("AnalyzeRequest", type, name, properties)));
        const MANDATORY = messages.EnforcementLevel.MANDATORY;
        const offload = {
            chart: "jupyterhub", values: { proxy: { service: { type: "LoadBalancer" }, https: { enabled: true, type: "offload", hosts: ["a"] } } },
        };
        assert.deepEqual(await analyze("kubernetes:helm.sh/v3:Release", "hub", offload), [[
            "hubs-use-https",
            "With TLS offload, port 80 of the proxy's Service reaches the hub over plain HTTP: set proxy.service.disableHttpPort to true.",
            MANDATORY,
        ]]);
        const tags = { course: "cs101", term: "fall-2026", owner: "it@example.edu", "managed-by": "course-hubs" };
        assert.deepEqual(await analyze("aws:ssm/parameter:Parameter", "secret", { type: "SecureString", value: "s3cret", tags }), [[
            "ssm-secrets-use-customer-keys",
            "No keyId: the SecureString is encrypted with the account's aws/ssm key, which any principal of the account allowed to read the parameter can use; "
            + "set keyId to a customer-managed KMS key.",
            MANDATORY,
        ]]);
        const keyOfThisPreview = { type: "SecureString", value: "s3cret", tags, keyId: UNKNOWN };
        assert.deepEqual(await analyze("aws:ssm/parameter:Parameter", "secret", keyOfThisPreview), []);
        const labels = { course: "cs101", term: "fall-2026", owner: "it_example_edu", "managed-by": "course-hubs" };
        const cluster = { resourceLabels: labels, masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "203.0.113.0/24" }] } };
        assert.deepEqual(await analyze("gcp:container/cluster:Cluster", "cluster", cluster), [[
            "kubernetes-api-restricted",
            "masterAuthorizedNetworksConfig also admits the public address of every Compute Engine VM, any Google Cloud customer's: "
            + "set gcpPublicCidrsAccessEnabled to false.",
            MANDATORY,
        ]]);
        assert.deepEqual(await analyze("eks:index:Cluster", "cluster", { tags, endpointPublicAccess: true }), [[
            "kubernetes-api-restricted",
            "The Kubernetes API is open to every address: without publicAccessCidrs, EKS admits 0.0.0.0/0 (and ::/0 on IPv6 clusters); "
            + "list the campus and VPN ranges there, or set endpointPublicAccess to false.",
            MANDATORY,
        ]]);
        const awsCluster = { tags, roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["subnet-1"], publicAccessCidrs: ["::/0"] } };
        assert.deepEqual(await analyze("aws:eks/cluster:Cluster", "cluster", awsCluster), [[
            "kubernetes-api-restricted",
            "vpcConfig.publicAccessCidrs admits ::/0: name the campus and VPN ranges instead.",
            MANDATORY,
        ]]);
    });

    it("analyzes a whole stack against the configured instance limit", async () => {
        const request = new messages.AnalyzeStackRequest();
        request.setResourcesList([
            analyzerResource("AnalyzerResource", "aws:autoscaling/group:Group", "workers", { maxSize: 10, tags: [] }),
            analyzerResource("AnalyzerResource", "aws:eks/nodeGroup:NodeGroup", "users", { scalingConfig: { maxSize: 5 }, instanceTypes: ["m6i.xlarge"] }),
        ]);
        const response = await call(client, "analyzeStack", request);
        assert.deepEqual(diagnostics(response), [
            [
                "course-instance-limits",
                "The stack may run 15 instances (workers 10, users 5), more than the limit of 12; lower the groups' maxima or raise maxInstances.",
                messages.EnforcementLevel.MANDATORY,
            ],
        ]);
    });
});
