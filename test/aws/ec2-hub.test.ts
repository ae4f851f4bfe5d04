import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { EC2AutoscaleHub, EC2AutoscaleHubArgs } from "../../components";
import { RecordedResource, isSecret, mockRandomHex, plaintextOccurrences, unwrapSecrets } from "../setup-mocks";
import { COURSE_TAGS, UNTAGGABLE_AWS_TYPES } from "../support/aws";
import { duplicateNames, one, run, runExpectingError } from "../support/program";
import { CLIENT_SECRET, MINIMAL_SPEC } from "../support/specs";

const WITH_WORKERS: EC2AutoscaleHubArgs = {
    spec: { ...MINIMAL_SPEC, prewarm: { seats: 10, timeZone: "America/Chicago", schedule: [{ start: "50 8 * * 1-5", end: "0 12 * * 1-5", seats: 60 }] } },
    workers: { instanceType: "m6i.xlarge", maxCount: 8 },
};
const SINGLE_VM: EC2AutoscaleHubArgs = { spec: MINIMAL_SPEC, hub: { instanceType: "t4g.large" }, workers: false };

for (const [label, args] of [["with workers", WITH_WORKERS], ["single VM", SINGLE_VM]] as const) {
    describe(`EC2AutoscaleHub under Pulumi mocks: ${label}`, () => {
        let resources: RecordedResource[];
        before(async () => {
            resources = await run(() => new EC2AutoscaleHub("cs101", args));
        });

        it("tags every taggable resource, and the group's instances through propagated tags", () => {
            const taggable = resources.filter((r) => r.type.startsWith("aws:") && !UNTAGGABLE_AWS_TYPES.has(r.type) && !r.read);
            assert.ok(taggable.length >= 15, `only ${taggable.length} taggable resources`);
            for (const resource of taggable) {
                for (const [key, value] of Object.entries(COURSE_TAGS)) {
                    assert.equal(resource.inputs.tags?.[key], value, `${resource.type}::${resource.name} lacks ${key}`);
                }
            }
            const hub = one(resources, "aws:ec2/instance:Instance");
            assert.equal(hub.inputs.volumeTags.course, "cs101", "the hub's disk is tagged");
            for (const group of resources.filter((r) => r.type === "aws:autoscaling/group:Group")) {
                for (const key of Object.keys(COURSE_TAGS)) {
                    assert.ok(group.inputs.tags.some((t: any) => t.key === key && t.propagateAtLaunch === true), `the group does not propagate ${key}`);
                }
            }
        });

        it("requires IMDSv2 and encrypts every disk and the file system", () => {
            const hub = one(resources, "aws:ec2/instance:Instance").inputs;
            assert.equal(hub.metadataOptions.httpTokens, "required");
            assert.deepEqual([hub.rootBlockDevice.encrypted, hub.rootBlockDevice.deleteOnTermination], [true, true]);
            for (const template of resources.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")) {
                assert.equal(template.inputs.metadataOptions.httpTokens, "required");
                assert.ok(template.inputs.blockDeviceMappings.every((d: any) => d.ebs.encrypted === "true" && d.ebs.deleteOnTermination === "true"));
            }
            assert.equal(one(resources, "aws:efs/fileSystem:FileSystem").inputs.encrypted, true);
        });

        it("opens only 80 and 443, only on the hub, to the world", () => {
            const hubGroup = one(resources, "aws:ec2/securityGroup:SecurityGroup", "cs101-hub");
            const open = resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && (r.inputs.cidrIpv4 || r.inputs.cidrIpv6));
            assert.deepEqual(open.map((r) => `${r.inputs.fromPort}-${r.inputs.toPort}`).sort(), ["443-443", "443-443", "80-80", "80-80"]);
            assert.ok(open.every((r) => r.inputs.securityGroupId === `${hubGroup.name}-id`));
            for (const group of resources.filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")) {
                assert.deepEqual(group.inputs.ingress ?? [], [], "no inline rules");
            }
        });

        it("grants no wildcard IAM action", () => {
            const documents = resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy").map((r) => JSON.parse(r.inputs.policy));
            assert.ok(documents.length >= 1);
            for (const statement of documents.flatMap((d) => d.Statement)) {
                for (const action of [].concat(statement.Action)) {
                    assert.ok(!String(action).includes("*"), `wildcard action ${action}`);
                }
            }
        });

        it("keeps secrets out of user-data, tags and outputs: SSM SecureStrings hold them", () => {
            const secrets = [CLIENT_SECRET, ...["cookie-secret", "crypt-key", "proxy-token"].map((r) => mockRandomHex(`cs101-${r}`))];
            for (const secret of secrets) {
                assert.deepEqual(plaintextOccurrences(secret, resources), [], `${secret.slice(0, 10)}… in plaintext`);
            }
            const parameters = resources.filter((r) => r.type === "aws:ssm/parameter:Parameter" && r.inputs.type === "SecureString" && !r.name.includes("swarm"));
            assert.equal(parameters.length, 4);
            assert.ok(parameters.every((p) => isSecret(p.inputs.value)));
            assert.equal(unwrapSecrets(one(resources, "aws:ssm/parameter:Parameter", "cs101-auth-secret").inputs.value), CLIENT_SECRET);
            const userData = one(resources, "aws:ec2/instance:Instance").inputs.userData;
            assert.ok(userData.startsWith("#cloud-config"));
            assert.ok(!userData.includes(CLIENT_SECRET));
        });
    });
}

describe("EC2AutoscaleHub behaviour", () => {
    it("follows the class: target tracking on servers per worker and a lecture schedule", async () => {
        const resources = await run(() => new EC2AutoscaleHub("cs101", WITH_WORKERS));
        const group = one(resources, "aws:autoscaling/group:Group").inputs;
        // m6i.xlarge: 16 GiB less 1 GiB reserved holds 15 servers of 1G; 10 standing seats need 1 worker.
        assert.deepEqual([group.minSize, group.maxSize, group.name], [1, 8, "cs101-fall-2026-workers"]);
        const policy = one(resources, "aws:autoscaling/policy:Policy").inputs.targetTrackingConfiguration;
        assert.equal(policy.customizedMetricSpecification.metricName, "ServersPerWorker");
        assert.equal(policy.targetValue, 12);
        const schedules = resources.filter((r) => r.type === "aws:autoscaling/schedule:Schedule").map((r) => r.inputs);
        assert.deepEqual(schedules.map((s) => [s.recurrence, s.minSize, s.timeZone]), [["50 8 * * 1-5", 4, "America/Chicago"], ["0 12 * * 1-5", 1, "America/Chicago"]]);
        const workerPolicy = JSON.parse(one(resources, "aws:iam/rolePolicy:RolePolicy", "cs101-worker-policy").inputs.policy);
        assert.deepEqual(workerPolicy.Statement[1], {
            Effect: "Allow", Action: ["autoscaling:SetInstanceProtection"],
            Resource: "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/cs101-fall-2026-workers",
        });
    });

    it("in single-VM mode runs servers on the hub, with no workers", async () => {
        const resources = await run(() => new EC2AutoscaleHub("cs101", SINGLE_VM));
        assert.equal(resources.filter((r) => r.type.startsWith("aws:autoscaling/")).length, 0);
        assert.match(one(resources, "aws:ec2/instance:Instance").inputs.userData, /dockerspawner\.DockerSpawner/);
        assert.equal(resources.filter((r) => r.type === "aws:ssm/parameter:Parameter" && r.name.includes("swarm")).length, 0);
    });

    it("leaves nothing behind by default; keeps homes and backups only when asked", async () => {
        const gone = await run(() => new EC2AutoscaleHub("cs101", WITH_WORKERS));
        assert.deepEqual(gone.filter((r) => r.retainOnDelete || r.protect).map((r) => r.type), []);
        const swarmParameters = gone.filter((r) => r.type === "aws:ssm/parameter:Parameter" && r.name.includes("swarm"));
        assert.equal(swarmParameters.length, 2, "the hub's runtime parameters are owned by Pulumi, so destroy removes them");
        const kept = await run(() => new EC2AutoscaleHub("cs101", { ...WITH_WORKERS, keepStudentWork: true }));
        assert.deepEqual(kept.filter((r) => r.retainOnDelete).map((r) => r.type).sort(), ["aws:backup/vault:Vault", "aws:efs/fileSystem:FileSystem"]);
        assert.equal(one(kept, "aws:backup/selection:Selection").inputs.conditions[0].stringEquals[0].value, "cs101");
    });

    it("two hubs in one program do not collide", async () => {
        const resources = await run(() => {
            new EC2AutoscaleHub("cs101", WITH_WORKERS);
            new EC2AutoscaleHub("bootcamp", { ...SINGLE_VM, spec: { ...MINIMAL_SPEC, course: "bootcamp", hostname: "bootcamp.hubs.example.edu" } });
        });
        assert.deepEqual(duplicateNames(resources), []);
        const parameterNames = resources.filter((r) => r.type === "aws:ssm/parameter:Parameter").map((r) => r.inputs.name);
        assert.equal(new Set(parameterNames).size, parameterNames.length);
    });

    it("reports every invalid argument at once, before creating anything", async () => {
        const { error, resources } = await runExpectingError(() => new EC2AutoscaleHub("bad", {
            spec: {
                ...MINIMAL_SPEC,
                https: { mode: "letsencrypt" } as any,
                server: { resources: { memoryGuarantee: "20G", memoryLimit: "24G" } },
                prewarm: { schedule: [{ start: "0 25 * * *", end: "0 12 * * *", seats: 10 }] },
            },
            network: { vpcId: "vpc-aaa", hubSubnet: { id: "subnet-1", vpcId: "vpc-aaa" }, workerSubnets: [{ id: "subnet-2", vpcId: "vpc-bbb" }] },
            workers: { instanceType: "m6i.xlarge", minCount: 5, maxCount: 2 },
        }));
        assert.ok(pulumi.InputPropertiesError.isInstance(error), `expected an InputPropertiesError, got ${error}`);
        assert.deepEqual(error.errors.map((e: any) => e.propertyPath).sort(), [
            "network.workerSubnets[0].vpcId", "spec.https.contactEmail", "spec.prewarm.schedule[0].start", "workers.maxCount",
        ]);
        assert.deepEqual(resources, []);
    });

    it("refuses an instance type too small for one server", async () => {
        const spec = { ...MINIMAL_SPEC, server: { resources: { memoryGuarantee: "20G", memoryLimit: "24G" } } };
        const { error } = await runExpectingError(() => new EC2AutoscaleHub("bad", { spec, workers: { instanceType: "m6i.xlarge" } }));
        assert.deepEqual(error.errors.map((e: any) => e.propertyPath), ["workers.instanceType"]);
        const { error: single } = await runExpectingError(() => new EC2AutoscaleHub("bad", { spec: MINIMAL_SPEC, workers: false }));
        assert.match(single.errors[0].reason, /t4g.small has 2 GiB/);
        const { error: unclear } = await runExpectingError(() => new EC2AutoscaleHub("bad", { spec: MINIMAL_SPEC, workers: true as any }));
        assert.match(unclear.errors[0].reason, /or false for single-VM mode/);
    });

    it("scales a worker group when workers are left out", async () => {
        const resources = await run(() => new EC2AutoscaleHub("cs101", { spec: MINIMAL_SPEC }));
        const group = one(resources, "aws:autoscaling/group:Group").inputs;
        assert.deepEqual([group.minSize, group.maxSize], [0, 10]);
        assert.equal(one(resources, "aws:ec2/launchTemplate:LaunchTemplate").inputs.instanceType, "m6i.xlarge");
    });

    it("refuses options with no VM equivalent", async () => {
        const { error } = await runExpectingError(() => new EC2AutoscaleHub("bad", {
            ...SINGLE_VM,
            spec: { ...MINIMAL_SPEC, server: { sidecars: [{ name: "db", image: { name: "postgres", tag: "16" } }], profiles: [{ slug: "gpu", displayName: "GPU", gpus: 1 }] } },
        }));
        assert.deepEqual(error.errors.map((e: any) => e.propertyPath).sort(), ["spec.server.profiles[0].gpus", "spec.server.sidecars"]);
    });
});
