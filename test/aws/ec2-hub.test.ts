import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { EC2AutoscaleHub, EC2AutoscaleHubArgs } from "../../components";
import { RecordedResource, isSecret, mockRandomHex, plaintextOccurrences, unwrapSecrets } from "../setup-mocks";
import { PolicyDocument, ParameterKeyUser, parameterKeyPolicy } from "../../components/aws/iam";
import { certificateBlocks } from "../../components/hub/network-access";
import { COURSE_TAGS } from "../support/aws";
import {
    ACCOUNT, ANONYMOUS, MANAGED_POLICIES, ParameterAccess, REGION, identityAllows, parameterArn, resourcePolicyAllows, roleArn,
} from "../support/aws-access";
import { broken, packSummary, policyInputs, withUnencryptedDisks } from "../support/policy";
import { duplicateNames, one, run, runExpectingError } from "../support/program";
import { CERTIFICATE_HTTPS, CLIENT_SECRET, MINIMAL_SPEC, TEST_CERTIFICATE_CHAIN, TEST_PRIVATE_KEY } from "../support/specs";

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

        it(
            "passes the policy pack: tags (propagated to the group's instances), IMDSv2, encryption, no open admin port, no wildcard IAM action, HTTPS, instance limits",
            () => {
                const inputs = policyInputs(resources);
                assert.ok(inputs.filter((i) => i.type.startsWith("aws:")).length >= 25, "the pack sees the component's AWS resources");
                assert.deepEqual(packSummary(inputs), []);
            },
        );

        it("tags the hub's disk, which the pack cannot see; encrypts it and deletes it with the hub", () => {
            const hub = one(resources, "aws:ec2/instance:Instance").inputs;
            assert.deepEqual(hub.volumeTags, COURSE_TAGS);
            assert.deepEqual([hub.rootBlockDevice.encrypted, hub.rootBlockDevice.deleteOnTermination], [true, true]);
        });

        it("the pack refuses exactly what is broken: the hub without IMDSv2, its disk unencrypted, an untagged file system, a wildcard action", () => {
            const inputs = policyInputs(resources);
            assert.deepEqual(
                packSummary(broken(
                    inputs,
                    "cs101-hub",
                    (props) => ({ ...props, metadataOptions: { httpTokens: "optional" } }),
                    "aws:ec2/instance:Instance",
                )),
                ["imdsv2-required cs101-hub: IMDSv2 is not required: set metadataOptions.httpTokens to \"required\"."],
            );
            assert.deepEqual(
                packSummary(broken(
                    inputs,
                    "cs101-hub",
                    (props) => ({ ...props, rootBlockDevice: { ...props.rootBlockDevice, encrypted: false } }),
                    "aws:ec2/instance:Instance",
                )),
                ["encrypted-storage cs101-hub: The root disk is not encrypted: set rootBlockDevice.encrypted to true."],
            );
            assert.deepEqual(packSummary(broken(inputs, "cs101-homes", (props) => ({ ...props, tags: undefined }), "aws:efs/fileSystem:FileSystem")),
                ["course-required-tags cs101-homes: Missing the tags course, term, owner, managed-by: add them to tags, or to the provider's defaultTags."]);
            const policies = inputs.filter((i) => i.type === "aws:iam/rolePolicy:RolePolicy");
            assert.deepEqual(
                policies.map((p) => p.name).sort(),
                ["cs101-hub-policy", "cs101-hub-session-manager", ...(args.workers ? ["cs101-worker-policy", "cs101-worker-session-manager"] : [])],
            );
            for (const policy of policies) {
                const widened = broken(inputs, policy.name, (props) => {
                    const document = JSON.parse(props.policy);
                    document.Statement.push({ Effect: "Allow", Action: "ssm:*", Resource: "*" });
                    return { ...props, policy: JSON.stringify(document) };
                });
                assert.deepEqual(packSummary(widened), [`no-wildcard-iam-actions ${policy.name}: The policy grants wildcard actions ssm:*: name each action.`]);
            }
        });

        if (args.workers) {
            it("the pack refuses exactly what is broken in the worker fleet: a template without IMDSv2, an unencrypted disk, a tag not propagated", () => {
                const inputs = policyInputs(resources);
                const template = one(resources, "aws:ec2/launchTemplate:LaunchTemplate");
                assert.deepEqual(template.inputs.blockDeviceMappings.map((d: any) => [d.ebs.encrypted, d.ebs.deleteOnTermination]), [["true", "true"]]);
                assert.deepEqual(
                    packSummary(broken(inputs, template.name, (props) => ({ ...props, metadataOptions: { httpTokens: "optional" } }), template.type)),
                    [`imdsv2-required ${template.name}: IMDSv2 is not required: set metadataOptions.httpTokens to "required".`],
                );
                const unencrypted = withUnencryptedDisks(inputs, template);
                assert.deepEqual(packSummary(unencrypted), [
                    `encrypted-storage ${template.name}: The disk ${template.inputs.blockDeviceMappings[0].deviceName} of this launch template is not encrypted.`,
                ]);
                const group = one(resources, "aws:autoscaling/group:Group");
                const unpropagated = broken(
                    inputs,
                    group.name,
                    (props) => ({ ...props, tags: props.tags.map((t: any) => (t.key === "owner" ? { ...t, propagateAtLaunch: false } : t)) }),
                    group.type,
                );
                assert.deepEqual(packSummary(unpropagated), [
                    `course-required-tags ${group.name}: The group's instances would lack the tags owner: add them to tags with propagateAtLaunch: true.`,
                ]);
            });
        }

        it("opens only 80 and 443, only on the hub, to the world", () => {
            const hubGroup = one(resources, "aws:ec2/securityGroup:SecurityGroup", "cs101-hub");
            const open = resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
                && (r.inputs.cidrIpv4 || r.inputs.cidrIpv6));
            assert.deepEqual(open.map((r) => `${r.inputs.fromPort}-${r.inputs.toPort}`).sort(), ["443-443", "443-443", "80-80", "80-80"]);
            assert.ok(open.every((r) => r.inputs.securityGroupId === `${hubGroup.name}-id`));
            for (const group of resources.filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")) {
                assert.deepEqual(group.inputs.ingress ?? [], [], "no inline rules");
            }
        });

        const prefix = "/course-hubs/cs101-fall-2026";
        const hubSecrets = ["auth-secret", "cookie-secret", "crypt-key", "proxy-token"].map((key) => `${prefix}/${key}`);
        const joinToken = `${prefix}/swarm-join-token`;
        const swarmManager = `${prefix}/swarm-manager`;
        const parameterNames = (type?: string) => resources
            .filter((r) => r.type === "aws:ssm/parameter:Parameter" && (type === undefined || r.inputs.type === type)).map((r) => r.inputs.name).sort();
        const role = (access: ParameterAccess, name: string) => ({ arn: roleArn(name), policies: access.rolePolicies(name) });
        const readable = (access: ParameterAccess, who: { arn: string; policies: PolicyDocument[] }) =>
            parameterNames().filter((parameter) => access.mayRead(who.arn, who.policies, parameter));

        it("encrypts every SecureString under the course's own key (rotated, tagged, aliased), never the account's aws/ssm key", () => {
            const key = one(resources, "aws:kms/key:Key");
            assert.deepEqual([key.name, key.inputs.enableKeyRotation, key.inputs.deletionWindowInDays], ["cs101-parameters", true, 7]);
            assert.deepEqual(key.inputs.tags, COURSE_TAGS);
            const alias = one(resources, "aws:kms/alias:Alias").inputs;
            assert.deepEqual([alias.name, alias.targetKeyId], ["alias/course-hubs/cs101-fall-2026", "cs101-parameters"]);
            assert.deepEqual(parameterNames("SecureString"), args.workers ? [...hubSecrets, joinToken] : hubSecrets);
            for (const parameter of resources.filter((r) => r.type === "aws:ssm/parameter:Parameter" && r.inputs.type === "SecureString")) {
                assert.equal(parameter.inputs.keyId, "arn:aws:kms:us-east-1:123456789012:key/cs101-parameters", parameter.inputs.name);
                // An advanced parameter is encrypted with GenerateDataKey, which no one may use the key for.
                assert.equal(parameter.inputs.tier, "Standard", parameter.inputs.name);
            }
        });

        it("attaches no managed policy to the VMs' roles (AmazonSSMManagedInstanceCore reads every parameter) and keeps Session Manager working", () => {
            const attached = resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((r) => r.inputs.policyArn);
            assert.deepEqual(attached, []);
            const access = new ParameterAccess(resources);
            for (const name of args.workers ? ["cs101-hub-role", "cs101-worker-role"] : ["cs101-hub-role"]) {
                const { arn, policies } = role(access, name);
                for (const action of ["ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]) {
                    assert.ok(identityAllows(policies, { principal: arn, action, resource: "*" }), `${name} may not ${action}`);
                }
            }
        });

        it("lets each VM read exactly what it uses: the hub its secrets, a worker the swarm's join details", () => {
            const access = new ParameterAccess(resources);
            assert.deepEqual(readable(access, role(access, "cs101-hub-role")), args.workers ? [...hubSecrets, swarmManager] : hubSecrets);
            if (args.workers) {
                assert.deepEqual(readable(access, role(access, "cs101-worker-role")), [joinToken, swarmManager]);
            }
        });

        it("keeps each VM to its own parameters at each layer alone: the key decrypts, and IAM gets, only what the VM uses", () => {
            const access = new ParameterAccess(resources);
            const decryptable = (who: { arn: string; policies: PolicyDocument[] }) =>
                parameterNames("SecureString").filter((name) => access.keyAllows(who.arn, who.policies, name, "kms:Decrypt"));
            // Other courses' and other terms' parameters share the path's beginning.
            const candidates = [...parameterNames(), "/course-hubs/cs1010-fall-2026/cookie-secret", "/course-hubs/cs101-fall-2026-old/cookie-secret"];
            const gettable = (who: { arn: string; policies: PolicyDocument[] }) => candidates.filter((name) =>
                identityAllows(who.policies, { principal: who.arn, action: "ssm:GetParameter", resource: parameterArn(name) }));
            const hub = role(access, "cs101-hub-role");
            assert.deepEqual(decryptable(hub), hubSecrets);
            assert.deepEqual(gettable(hub), parameterNames());
            if (args.workers) {
                const worker = role(access, "cs101-worker-role");
                assert.deepEqual(decryptable(worker), [joinToken]);
                assert.deepEqual(gettable(worker), [joinToken, swarmManager]);
            }
        });

        it("lets no other principal of the account read a secret, even one allowed every parameter and every key, or an SSM-managed instance", () => {
            const access = new ParameterAccess(resources);
            const everything: PolicyDocument = {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: ["ssm:GetParameter", "kms:Decrypt"], Resource: "*" }],
            };
            const otherTeam = { arn: roleArn("another-teams-app"), policies: [everything] };
            const managedInstance = { arn: roleArn("another-teams-vm"), policies: [MANAGED_POLICIES["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]] };
            for (const principal of [otherTeam, managedInstance]) {
                assert.deepEqual(readable(access, principal), args.workers ? [swarmManager] : [], principal.arn);
            }
        });

        it("lets the deployer's role (not its passing session) write every SecureString and read it back, as the provider does", () => {
            const access = new ParameterAccess(resources);
            const deployer = "arn:aws:iam::123456789012:role/course-it-deployer";
            const parameters: PolicyDocument = {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: ["ssm:PutParameter", "ssm:GetParameter"], Resource: "*" }],
            };
            for (const name of parameterNames()) {
                assert.ok(access.mayWrite(deployer, [parameters], name) && access.mayRead(deployer, [parameters], name), name);
            }
        });

        if (args.workers) {
            it("lets the hub publish the join token, and no worker replace it", () => {
                const access = new ParameterAccess(resources);
                const hub = role(access, "cs101-hub-role");
                const worker = role(access, "cs101-worker-role");
                assert.deepEqual(parameterNames().filter((name) => access.mayWrite(hub.arn, hub.policies, name)), [joinToken, swarmManager]);
                assert.deepEqual(parameterNames().filter((name) => access.mayWrite(worker.arn, worker.policies, name)), []);
            });
        }

        it("lets each VM's role read every parameter its scripts read", () => {
            const access = new ParameterAccess(resources);
            const readBy = (userData: string) => JSON.parse(userData.slice("#cloud-config\n".length)).write_files
                .flatMap((f: { content: string }) => [...f.content.matchAll(/\$\(parameter ([a-z-]+)\)/g)].map((m) => `${prefix}/${m[1]}`));
            const hubReads = readBy(one(resources, "aws:ec2/instance:Instance").inputs.userData);
            assert.ok(hubReads.length >= 3, "the hub's scripts read its secrets");
            const hub = role(access, "cs101-hub-role");
            assert.deepEqual(hubReads.filter((name: string) => !access.mayRead(hub.arn, hub.policies, name)), []);
            if (args.workers) {
                const template = one(resources, "aws:ec2/launchTemplate:LaunchTemplate").inputs;
                const workerReads = readBy(Buffer.from(template.userData, "base64").toString());
                assert.deepEqual([...new Set(workerReads)].sort(), [joinToken, swarmManager]);
                const worker = role(access, "cs101-worker-role");
                assert.deepEqual(workerReads.filter((name: string) => !access.mayRead(worker.arn, worker.policies, name)), []);
            }
        });

        it("refuses any client of the course file system that mounts without TLS", () => {
            const fileSystem = one(resources, "aws:efs/fileSystem:FileSystem");
            const policy = one(resources, "aws:efs/fileSystemPolicy:FileSystemPolicy").inputs;
            assert.equal(policy.fileSystemId, fileSystem.id);
            const fileSystemArn = `arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/${fileSystem.id}`;
            const mount = (action: string, context: Record<string, string>) =>
                resourcePolicyAllows(JSON.parse(policy.policy), [], { principal: ANONYMOUS, action, resource: fileSystemArn, context });
            for (const action of ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"]) {
                assert.ok(mount(action, { "aws:SecureTransport": "true", "elasticfilesystem:AccessedViaMountTarget": "true" }), `${action} over TLS`);
                assert.ok(!mount(action, { "aws:SecureTransport": "false", "elasticfilesystem:AccessedViaMountTarget": "true" }), `${action} in the clear`);
            }
        });

        it("keeps secrets out of user-data, tags and outputs: SSM SecureStrings hold them", () => {
            const secrets = [CLIENT_SECRET, ...["cookie-secret", "crypt-key", "proxy-token"].map((r) => mockRandomHex(`cs101-${r}`))];
            for (const secret of secrets) {
                assert.deepEqual(plaintextOccurrences(secret, resources), [], `${secret.slice(0, 10)}… in plaintext`);
            }
            const parameters = resources.filter((r) => r.type === "aws:ssm/parameter:Parameter"
                && r.inputs.type === "SecureString"
                && !r.name.includes("swarm"));
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
        // m6i.xlarge: Docker Swarm places a server by its CPU and memory reservations. 4 CPUs hold 8
        // servers of 0.5 CPU, which binds (the ~14.4 GiB left of 16 would hold 14 of 1G); 10 standing
        // seats need 2 workers, the lecture's 60 need 8.
        assert.deepEqual([group.minSize, group.maxSize, group.name], [2, 8, "cs101-fall-2026-workers"]);
        const policy = one(resources, "aws:autoscaling/policy:Policy").inputs.targetTrackingConfiguration;
        assert.equal(policy.customizedMetricSpecification.metricName, "ServersPerWorker");
        assert.equal(policy.targetValue, 6, "80% of 8, rounded down");
        const schedules = resources.filter((r) => r.type === "aws:autoscaling/schedule:Schedule").map((r) => r.inputs);
        assert.deepEqual(schedules.map((s) => [s.recurrence, s.minSize, s.timeZone]), [
            ["50 8 * * 1-5", 8, "America/Chicago"],
            ["0 12 * * 1-5", 2, "America/Chicago"],
        ]);
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
                prewarm: { timeZone: "America/New_York", schedule: [{ start: "0 25 * * *", end: "0 12 * * *", seats: 10 }] },
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
        // The cheapest seat for 0.5 CPU and 1G on x86 (the default image is amd64 only) among types of at
        // most 8 vCPUs: m6a.large, $0.0864 an hour for 4 seats (2 CPUs bind) = $0.0216 a seat-hour;
        // m6a.xlarge costs the same per seat and is bigger; c6a.large's 4 GiB hold only 2 seats.
        assert.equal(one(resources, "aws:ec2/launchTemplate:LaunchTemplate").inputs.instanceType, "m6a.large");
    });

    it("refuses options with no VM equivalent", async () => {
        const { error } = await runExpectingError(() => new EC2AutoscaleHub("bad", {
            ...SINGLE_VM,
            spec: {
                ...MINIMAL_SPEC,
                server: {
                    sidecars: [{ name: "db", image: { name: "postgres", tag: "16" } }],
                    profiles: [{ slug: "gpu", displayName: "GPU", gpus: 1 }],
                },
                // EFS has no per-user size and no storage class: these would be silently dropped.
                storage: { home: { size: "5Gi", storageClass: "gp3" }, sharedCourseFolder: true, sharedSize: "100Gi" },
            },
        }));
        assert.deepEqual(error.errors.map((e: any) => e.propertyPath).sort(), [
            "spec.server.profiles[0].gpus", "spec.server.sidecars", "spec.storage.home.size", "spec.storage.home.storageClass", "spec.storage.sharedSize",
        ]);
        assert.match(error.message, /storage\.home\.size: homes on EC2 are folders on the course's EFS file system, which has no per-user size/);
    });
});

describe("the course key's policy (parameterKeyPolicy)", () => {
    const hub = roleArn("hub");
    const [secret, token, elsewhere] = ["/course-hubs/cs101-fall-2026/cookie-secret", "/course-hubs/cs101-fall-2026/swarm-join-token", "/other/secret"]
        .map(parameterArn);
    const users: ParameterKeyUser[] = [{ label: "Hub", principal: hub, decrypts: [secret], encrypts: [token] }];
    const policy = parameterKeyPolicy(ACCOUNT, REGION, users);
    const throughParameterStore = (parameter: string) => ({
        "kms:ViaService": `ssm.${REGION}.amazonaws.com`, "kms:CallerAccount": ACCOUNT, "kms:EncryptionContext:PARAMETER_ARN": parameter,
    });
    const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/course`;
    const allows = (principal: string, identity: PolicyDocument[], action: string, context: Record<string, string>) =>
        resourcePolicyAllows(policy, identity, { principal, action, resource: keyArn, context });

    it("lets a principal decrypt and encrypt only the parameters named for it, and only through Parameter Store", () => {
        assert.ok(allows(hub, [], "kms:Decrypt", throughParameterStore(secret)));
        assert.ok(!allows(hub, [], "kms:Decrypt", throughParameterStore(token)));
        assert.ok(!allows(hub, [], "kms:Decrypt", throughParameterStore(elsewhere)));
        assert.ok(!allows(hub, [], "kms:Decrypt", { ...throughParameterStore(secret), "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` }));
        assert.ok(allows(hub, [], "kms:Encrypt", throughParameterStore(token)));
        assert.ok(!allows(hub, [], "kms:Encrypt", throughParameterStore(secret)));
    });

    it("leaves the key to the account's administrators to manage, never to use: IAM policies granting kms:* on every key decrypt nothing", () => {
        const administrator = roleArn("account-administrator");
        const everything: PolicyDocument[] = [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] }];
        const administration = ["kms:DescribeKey", "kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:ScheduleKeyDeletion", "kms:TagResource",
            "kms:CreateAlias"];
        for (const action of administration) {
            assert.ok(allows(administrator, everything, action, {}), `${action} for the administrators`);
        }
        for (const action of ["kms:Decrypt", "kms:Encrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:CreateGrant"]) {
            assert.ok(!allows(administrator, everything, action, throughParameterStore(secret)), `${action} for any administrator`);
        }
        assert.ok(!allows(administrator, [], "kms:DescribeKey", {}), "nothing without an IAM policy");
    });

    it("names every action: no wildcard reaches a principal", () => {
        const actions = policy.Statement.flatMap((statement) => [statement.Action].flat());
        assert.deepEqual(actions.filter((action) => action.includes("*")), []);
    });
});

describe("EC2AutoscaleHub with a certificate of its own, open to the campus only (Pulumi mocks)", () => {
    const campus = ["198.51.100.0/22", "203.0.113.0/24"];
    const prefix = "/course-hubs/cs101-fall-2026";
    const tlsParameters = ["tls-certificate-1", "tls-certificate-2", "tls-private-key"].map((key) => `${prefix}/${key}`);
    let resources: RecordedResource[];
    before(async () => {
        const spec = { ...MINIMAL_SPEC, https: CERTIFICATE_HTTPS, allowedSourceRanges: campus };
        resources = await run(() => new EC2AutoscaleHub("cs101", { ...WITH_WORKERS, spec }));
    });

    it("opens 443 to the campus ranges only, and 80 to everyone for Let's Encrypt's challenge and the redirect to HTTPS", () => {
        const open = resources
            .filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && (r.inputs.cidrIpv4 || r.inputs.cidrIpv6))
            .map((r) => `${r.inputs.fromPort}-${r.inputs.toPort} ${r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6}`).sort();
        assert.deepEqual(open, ["443-443 198.51.100.0/22", "443-443 203.0.113.0/24", "80-80 0.0.0.0/0", "80-80 ::/0"]);
    });

    it("stores the chain, one certificate a parameter, and the key as SecureStrings under the course key that only the hub's role reads", () => {
        const stored = resources.filter((r) => r.type === "aws:ssm/parameter:Parameter" && tlsParameters.includes(r.inputs.name));
        assert.deepEqual(stored.map((r) => [r.inputs.name, r.inputs.type, r.inputs.tier, r.inputs.keyId, isSecret(r.inputs.value)]),
            tlsParameters.map((name) => [name, "SecureString", "Standard", "arn:aws:kms:us-east-1:123456789012:key/cs101-parameters", true]));
        assert.deepEqual(stored.slice(0, 2).map((r) => unwrapSecrets(r.inputs.value)), certificateBlocks(TEST_CERTIFICATE_CHAIN));
        assert.equal(unwrapSecrets(stored[2].inputs.value), TEST_PRIVATE_KEY);
        const access = new ParameterAccess(resources);
        const readers = (name: string) => ["cs101-hub-role", "cs101-worker-role"]
            .filter((role) => access.mayRead(roleArn(role), access.rolePolicies(role), name));
        assert.deepEqual(tlsParameters.map(readers), tlsParameters.map(() => ["cs101-hub-role"]));
        const everything: PolicyDocument = {
            Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ssm:GetParameter", "kms:Decrypt"], Resource: "*" }],
        };
        assert.deepEqual(tlsParameters.filter((name) => access.mayRead(roleArn("another-teams-app"), [everything], name)), []);
    });

    it("keeps the private key out of user-data, tags and outputs, and passes the policy pack", () => {
        assert.deepEqual(plaintextOccurrences(TEST_PRIVATE_KEY, resources), []);
        assert.deepEqual(packSummary(policyInputs(resources)), []);
    });
});
