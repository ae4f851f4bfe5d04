import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as s3 from "@pulumi/aws/s3";
import { EksHub, EksHubArgs, JupyterHub } from "../../components";
import { RecordedResource, isSecret, plaintextOccurrences, unwrapSecrets } from "../setup-mocks";
import { COURSE_TAGS } from "../support/aws";
import { PolicyConfig } from "../../plan/policy-check";
import { broken, packSummary, policyInputs, withUnencryptedDisks } from "../support/policy";
import { assertChartOptionReachesRelease } from "../support/chart-option";
import { duplicateNames, one, providerUrn, run, runExpectingError } from "../support/program";
import { CLIENT_SECRET, MAXIMAL_EKS_SPEC, MAXIMAL_SPEC, MINIMAL_SPEC, REFUSED_CHART_PATHS, REFUSED_CHART_VALUES } from "../support/specs";
import { z2jhSchemaErrors } from "../support/z2jh-schema";
import { validateEksHubArgs } from "../../components/aws/eks-validate";
import { CHARTS } from "../../components/versions";

const MINIMAL: EksHubArgs = { spec: MINIMAL_SPEC, apiAccessCidrs: ["203.0.113.0/24"] };
const FULL: EksHubArgs = {
    spec: { ...MAXIMAL_EKS_SPEC, https: { mode: "offload" }, notebookIdentity: undefined },
    apiAccessCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
    adminRoleArns: ["arn:aws:iam::123456789012:role/course-it"],
    network: { cidrBlock: "10.60.0.0/16", zoneCount: 3 },
    privateNodes: true,
    coreNodes: { instanceType: "t4g.medium", count: 2 },
    userNodes: { instanceTypes: ["m6i.xlarge", "m6a.xlarge"], spot: true, maxCount: 12 },
    // One GPU group per zone, each of at least one node: 3 zones need maxCount 3.
    gpuNodes: { maxCount: 3 },
    maxNodes: 17,
    certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
    notebookBucketAccess: { buckets: ["arn:aws:s3:::cs101-data"], readOnly: false },
    keepStudentWork: true,
};

for (const [label, args] of [["minimal", MINIMAL], ["full", FULL]] as const) {
    describe(`EksHub under Pulumi mocks: ${label} configuration`, () => {
        let resources: RecordedResource[];
        before(async () => {
            resources = await run(() => new EksHub("cs101", args));
        });

        // GPU groups are refused unless the stack's policy config allows them, as a GPU course's does.
        const packConfig: PolicyConfig = args.gpuNodes ? { "course-instance-limits": { allowGpu: true } } : {};

        it("passes the policy pack: tags, IMDSv2, encryption, no open admin port, no wildcard IAM action, instance limits", () => {
            const inputs = policyInputs(resources);
            assert.ok(inputs.filter((i) => i.type.startsWith("aws:")).length >= 30, "the pack sees the component's AWS resources");
            assert.deepEqual(packSummary(inputs, packConfig), []);
            if (args.gpuNodes) {
                assert.deepEqual(
                    packSummary(inputs).map((v) => v.split(":")[0]),
                    ["course-instance-limits cs101-gpu-nodes", "course-instance-limits cs101-gpu-nodes-2", "course-instance-limits cs101-gpu-nodes-3"],
                    "without the stack's allowGpu, exactly the GPU groups are refused",
                );
            }
        });

        it("the pack refuses exactly what is broken: an untagged VPC, node group or cluster, an unencrypted StorageClass", () => {
            const inputs = policyInputs(resources);
            const untag = (props: Record<string, any>) => ({ ...props, tags: undefined });
            const missingTags = "Missing the tags course, term, owner, managed-by: add them to tags, or to the provider's defaultTags.";
            for (const [type, name] of [
                ["aws:ec2/vpc:Vpc", "cs101-vpc"],
                ["aws:eks/nodeGroup:NodeGroup", "cs101-user-nodes"],
                ["eks:index:Cluster", "cs101-cluster"],
            ]) {
                assert.deepEqual(packSummary(broken(inputs, name, untag, type), packConfig), [`course-required-tags ${name}: ${missingTags}`]);
            }
            const plain = broken(inputs, "cs101-gp3", (props) => ({ ...props, parameters: { ...props.parameters, encrypted: "false" } }));
            assert.deepEqual(packSummary(plain, packConfig), [
                "encrypted-storage cs101-gp3: EBS volumes of this StorageClass are not encrypted: set parameters.encrypted to \"true\".",
            ]);
        });

        it("tags what the pack cannot see: instances, volumes and interfaces launched from each template, the load balancer, EBS volumes", () => {
            const templates = resources.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate");
            assert.equal(templates.length, args.gpuNodes ? 3 : 2);
            for (const template of templates) {
                // Instances are named after the cluster and their role: "cs101-fall-2026-user" for the template "cs101-user-nodes".
                const tags = { ...COURSE_TAGS, Name: `cs101-fall-2026-${template.name.replace(/^cs101-(\w+)-nodes$/, "$1")}` };
                assert.deepEqual(template.inputs.tagSpecifications.map((t: any) => [t.resourceType, t.tags]), [
                    ["instance", tags],
                    ["volume", tags],
                    ["network-interface", tags],
                ]);
            }
            const values = unwrapSecrets(one(resources, "kubernetes:helm.sh/v3:Release", "cs101-hub-release").inputs.values);
            assert.equal(values.proxy.service.annotations["service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags"],
                "course=cs101,term=fall-2026,owner=course-it@example.edu,managed-by=course-hubs");
            const gp3 = one(resources, "kubernetes:storage.k8s.io/v1:StorageClass", "cs101-gp3");
            assert.deepEqual(Object.values(gp3.inputs.parameters).filter((v) => String(v).includes("=")).sort(),
                ["course=cs101", "managed-by=course-hubs", "owner=course-it@example.edu", "term=fall-2026"]);
        });

        it("requires IMDSv2 with a hop limit of 1 and encrypted gp3 root disks on every launch template; the pack refuses each without", () => {
            const templates = resources.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate");
            assert.equal(templates.length, args.gpuNodes ? 3 : 2);
            const inputs = policyInputs(resources);
            for (const template of templates) {
                // One hop: a pod (one more hop away) cannot reach the node's credentials.
                assert.equal(template.inputs.metadataOptions.httpPutResponseHopLimit, 1);
                assert.deepEqual(
                    template.inputs.blockDeviceMappings.map((d: any) => [d.ebs.encrypted, d.ebs.volumeType, d.ebs.deleteOnTermination]),
                    [["true", "gp3", "true"]],
                );
                const optional = broken(
                    inputs,
                    template.name,
                    (props) => ({ ...props, metadataOptions: { ...props.metadataOptions, httpTokens: "optional" } }),
                    template.type,
                );
                assert.deepEqual(packSummary(optional, packConfig), [
                    `imdsv2-required ${template.name}: IMDSv2 is not required: set metadataOptions.httpTokens to "required".`,
                ]);
                const unencrypted = withUnencryptedDisks(inputs, template);
                assert.deepEqual(packSummary(unencrypted, packConfig), [
                    `encrypted-storage ${template.name}: The disk /dev/xvda of this launch template is not encrypted.`,
                ]);
            }
        });

        it("opens the Kubernetes API to the given networks only", () => {
            assert.deepEqual(one(resources, "eks:index:Cluster").inputs.publicAccessCidrs, args.apiAccessCidrs);
        });

        it("attaches only the AWS-managed policies EKS needs; the pack refuses a wildcard action in an inline policy or a trust policy", () => {
            const attachments = resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
            assert.ok(attachments.length >= 4, `only ${attachments.length} attachments`);
            for (const attachment of attachments) {
                assert.match(attachment.inputs.policyArn, /^arn:aws:iam::aws:policy\/(service-role\/)?(AmazonEKSWorkerNodePolicy|AmazonEC2ContainerRegistryReadOnly|AmazonEKS_CNI_Policy|AmazonEBSCSIDriverPolicy|AmazonEFSCSIDriverPolicy|AWSBackupServiceRolePolicyForBackup)$/);
            }
            const inputs = policyInputs(resources);
            const widened = broken(inputs, "cs101-cluster-autoscaler-policy", (props) => {
                const document = JSON.parse(props.policy);
                document.Statement[0].Action = [...[].concat(document.Statement[0].Action), "autoscaling:*"];
                return { ...props, policy: JSON.stringify(document) };
            });
            assert.deepEqual(packSummary(widened, packConfig), [
                "no-wildcard-iam-actions cs101-cluster-autoscaler-policy: The policy grants wildcard actions autoscaling:*: name each action.",
            ]);
            const trusting = broken(inputs, "cs101-node-role", (props) => {
                const document = JSON.parse(props.assumeRolePolicy);
                document.Statement[0].Action = "sts:*";
                return { ...props, assumeRolePolicy: JSON.stringify(document) };
            });
            assert.deepEqual(packSummary(trusting, packConfig), [
                "no-wildcard-iam-actions cs101-node-role: The policy grants wildcard actions sts:*: name each action.",
            ]);
        });

        it("creates the control plane with API authentication, IRSA, no default node group and a pinned version", () => {
            const cluster = one(resources, "eks:index:Cluster").inputs;
            assert.equal(cluster.authenticationMode, "API");
            assert.equal(cluster.createOidcProvider, true);
            assert.equal(cluster.skipDefaultNodeGroup, true);
            assert.equal(cluster.version, "1.35");
            assert.deepEqual(cluster.enabledClusterLogTypes, ["api", "audit", "authenticator"]);
            assert.deepEqual([cluster.useDefaultVpcCni, cluster.vpcCniOptions], [true, undefined], "the vpc-cni add-on is EksHub's own, not pulumi-eks's");
            assert.equal(Object.keys(cluster.accessEntries ?? {}).length, (args.adminRoleArns ?? []).length);
        });

        it("gives the VPC CNI's permissions to aws-node alone, through a vpc-cni add-on that every node group waits for", () => {
            const cluster = one(resources, "eks:index:Cluster");
            const attachments = resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
            assert.deepEqual(attachments.filter((a) => a.inputs.role === "cs101-node-role").map((a) => a.inputs.policyArn).sort(), [
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
                "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
            ], "a pod that reaches the node's credentials cannot change network interfaces");
            const withCniPolicy = attachments.filter((a) => a.inputs.policyArn === "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy");
            assert.equal(withCniPolicy.length, 1);
            const cniRole = one(resources, "aws:iam/role:Role", withCniPolicy[0].inputs.role);
            // The mock's OIDC provider of the cluster resource "cs101-cluster".
            const issuer = "oidc.eks.us-east-1.amazonaws.com/id/CS101-CLUSTER";
            assert.deepEqual(JSON.parse(cniRole.inputs.assumeRolePolicy).Statement, [{
                Effect: "Allow",
                Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${issuer}` },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: { StringEquals: { [`${issuer}:sub`]: "system:serviceaccount:kube-system:aws-node", [`${issuer}:aud`]: "sts.amazonaws.com" } },
            }]);

            const addons = resources.filter((r) => r.type === "aws:eks/addon:Addon" && r.inputs.addonName === "vpc-cni");
            assert.equal(addons.length, 1);
            const vpcCni = addons[0];
            assert.equal(vpcCni.inputs.clusterName, cluster.inputs.name);
            assert.equal(vpcCni.inputs.serviceAccountRoleArn, `arn:aws:iam::123456789012:role/${cniRole.name}`);
            assert.deepEqual(JSON.parse(vpcCni.inputs.configurationValues), { enableNetworkPolicy: "true", env: { ENABLE_PREFIX_DELEGATION: "true" } });
            assert.equal(vpcCni.inputs.resolveConflictsOnCreate, "OVERWRITE", "it takes over the aws-node DaemonSet that EKS installs with the cluster");
            assert.ok(vpcCni.dependencies.includes(cluster.urn));
            for (const group of resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup")) {
                assert.ok(group.dependencies.includes(vpcCni.urn), `${group.name} must wait for the vpc-cni add-on: nodes take maxPods from it as they join`);
            }
        });

        it("keeps the core group up and lets user groups scale from zero", () => {
            const groups = resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
            const coreGroup = groups.find((g) => g.name === "cs101-core-nodes")!;
            assert.equal(coreGroup.inputs.scalingConfig.minSize, args.coreNodes?.count ?? 1);
            assert.equal(coreGroup.inputs.scalingConfig.minSize, coreGroup.inputs.scalingConfig.maxSize);
            assert.equal(coreGroup.inputs.capacityType, "ON_DEMAND");
            assert.deepEqual(coreGroup.inputs.labels, { "hub.jupyter.org/node-purpose": "core" });
            assert.equal(coreGroup.inputs.subnetIds.length, 1, "the core group sits in the load balancer's zone");
            const values = unwrapSecrets(one(resources, "kubernetes:helm.sh/v3:Release", "cs101-hub-release").inputs.values);
            // Mock IDs are "<resource name>-id": the first public subnet and the first node subnet share zone 1.
            assert.equal(values.proxy.service.annotations["service.beta.kubernetes.io/aws-load-balancer-subnets"], "cs101-public-1-id",
                "the load balancer is pinned to one subnet (one public IPv4)");
            assert.equal(coreGroup.inputs.subnetIds[0], args.privateNodes ? "cs101-private-1-id" : "cs101-public-1-id");
            for (const group of groups.filter((g) => g !== coreGroup)) {
                assert.equal(group.inputs.scalingConfig.minSize, 0);
                assert.deepEqual(group.inputs.taints[0], { key: "hub.jupyter.org/dedicated", value: "user", effect: "NO_SCHEDULE" });
                const asgTags = resources.filter((r) => r.type === "aws:autoscaling/tag:Tag" && r.name.startsWith(`${group.name.replace(/-nodes(-\d+)?$/, "-asg$1")}-tag-`));
                const keys = asgTags.map((t) => t.inputs.tag.key);
                assert.ok(
                    keys.includes("k8s.io/cluster-autoscaler/node-template/label/hub.jupyter.org/node-purpose"),
                    `${group.name} lacks node-template tags`,
                );
                assert.ok(asgTags.every((t) => t.inputs.autoscalingGroupName === `eks-${group.name}-asg`));
            }
        });

        it("renders z2jh values the chart accepts, for labelled nodes with network policy", () => {
            const values = unwrapSecrets(one(resources, "kubernetes:helm.sh/v3:Release", "cs101-hub-release").inputs.values);
            assert.deepEqual(z2jhSchemaErrors(values), []);
            assert.equal(values.scheduling.corePods.nodeAffinity.matchNodePurpose, "require");
            // Homes on gp3: a volume for each user, or (the full spec) the XFS volume of the shared file system of homes.
            const homesDisk = resources.find((r) => r.name === "cs101-hub-homes-disk");
            assert.equal(homesDisk ? homesDisk.inputs.spec.storageClassName : values.singleuser.storage.dynamic.storageClass,
                args.spec.storage?.home?.sharedFileSystem ? "gp3-xfs-quota" : "gp3");
        });

        it("keeps secrets secret: release values, kubeconfig, client secret", () => {
            assert.ok(isSecret(one(resources, "kubernetes:helm.sh/v3:Release", "cs101-hub-release").inputs.values));
            const provider = one(resources, "pulumi:providers:kubernetes");
            assert.ok(isSecret(provider.inputs.kubeconfig));
            const kubeconfig = JSON.parse(unwrapSecrets(provider.inputs.kubeconfig));
            assert.deepEqual(kubeconfig.users[0].user.exec.args.slice(0, 2), ["eks", "get-token"]);
            assert.deepEqual(plaintextOccurrences(CLIENT_SECRET, resources), []);
        });

        it("orders teardown: the hub and its volumes go before the nodes, the cluster and the network", () => {
            const provider = one(resources, "pulumi:providers:kubernetes");
            const nodeGroups = resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
            assert.equal(nodeGroups.length, args.gpuNodes ? 7 : 3, "core, user and GPU groups");
            // Every Kubernetes object is deleted before its provider, the provider before what it depends on.
            for (const object of resources.filter((r) => r.type.startsWith("kubernetes:") && !r.read)) {
                assert.equal(providerUrn(object.provider), provider.urn, `${object.type}::${object.name} is not on the cluster's provider`);
            }
            for (const group of nodeGroups) {
                assert.ok(provider.dependencies.includes(group.urn), `the provider must depend on ${group.name}`);
                assert.ok(group.dependencies.includes(one(resources, "eks:index:Cluster").urn), `${group.name} must depend on the cluster`);
            }
            assert.ok(
                provider.dependencies.includes(one(resources, "aws:eks/addon:Addon", "cs101-ebs-csi").urn),
                "volumes are deleted while the EBS driver still runs",
            );
            const cluster = one(resources, "eks:index:Cluster");
            assert.ok(cluster.dependencies.includes(one(resources, "aws:ec2/vpc:Vpc").urn), "the cluster goes before its VPC");
            assert.ok(cluster.dependencies.includes(one(resources, "aws:cloudwatch/logGroup:LogGroup").urn), "the log group outlives the cluster");
        });
    });
}

describe("EksHub options", () => {
    it("adds NAT, EFS, a GPU group, offload and an S3 identity only when asked", async () => {
        const minimal = await run(() => new EksHub("cs101", MINIMAL));
        const full = await run(() => new EksHub("cs101", FULL));
        const count = (resources: RecordedResource[], type: string) => resources.filter((r) => r.type === type).length;
        assert.equal(count(minimal, "aws:ec2/natGateway:NatGateway"), 0, "public nodes need no NAT gateway");
        assert.equal(count(full, "aws:ec2/natGateway:NatGateway"), 1);
        assert.equal(count(minimal, "aws:ec2/subnet:Subnet"), 4, "public and private subnets in two zones");
        assert.equal(count(full, "aws:ec2/subnet:Subnet"), 6);
        assert.deepEqual(one(minimal, "aws:ec2/routeTable:RouteTable", "cs101-private").inputs.routes, [], "no way out without NAT");
        assert.equal(one(minimal, "eks:index:Cluster").inputs.privateSubnetIds.length, 2);
        assert.equal(count(minimal, "aws:efs/fileSystem:FileSystem"), 0);
        const fileSystem = one(full, "aws:efs/fileSystem:FileSystem");
        assert.equal(fileSystem.inputs.encrypted, true);
        assert.equal(count(full, "aws:efs/mountTarget:MountTarget"), 3);
        const values = unwrapSecrets(one(full, "kubernetes:helm.sh/v3:Release", "cs101-hub-release").inputs.values);
        assert.equal(values.proxy.https.type, "offload");
        assert.equal(values.proxy.service.annotations["service.beta.kubernetes.io/aws-load-balancer-ssl-cert"], FULL.certificateArn);
        assert.equal(values.singleuser.serviceAccountName, "notebook");
        const notebookRole = one(full, "aws:iam/role:Role", "cs101-notebooks-role");
        const trust = JSON.parse(notebookRole.inputs.assumeRolePolicy);
        assert.equal(Object.values(trust.Statement[0].Condition.StringEquals)[0], "system:serviceaccount:cs101-fall-2026:notebook");
        const account = one(full, "kubernetes:core/v1:ServiceAccount", "cs101-hub-notebook-identity");
        assert.equal(account.inputs.metadata.annotations["eks.amazonaws.com/role-arn"], "arn:aws:iam::123456789012:role/cs101-notebooks-role");
    });

    it("takes pass-through data made in the same program: Output ARNs and CIDRs pass validation and reach their resources", async () => {
        const resources = await run(() => {
            const bucket = new s3.Bucket("cs101-late-data", { bucket: "cs101-late-data" });
            const staff = new iam.Role("course-it", { assumeRolePolicy: "{}" });
            new EksHub("cs101", {
                ...MINIMAL,
                apiAccessCidrs: [pulumi.output("203.0.113.0/24")],
                adminRoleArns: [staff.arn],
                notebookBucketAccess: { buckets: [bucket.arn, "arn:aws:s3:::cs101-data"] },
            });
        });
        const cluster = one(resources, "eks:index:Cluster").inputs;
        assert.deepEqual(cluster.publicAccessCidrs, ["203.0.113.0/24"]);
        assert.equal(cluster.accessEntries["admin-1"].principalArn, "arn:aws:iam::123456789012:role/course-it");
        const policy = JSON.parse(one(resources, "aws:iam/rolePolicy:RolePolicy", "cs101-notebooks-policy").inputs.policy);
        assert.deepEqual(policy.Statement.map((s: { Resource: string[] }) => s.Resource), [
            ["arn:aws:s3:::cs101-late-data", "arn:aws:s3:::cs101-data"],
            ["arn:aws:s3:::cs101-late-data/*", "arn:aws:s3:::cs101-data/*"],
        ]);
        assert.deepEqual(policy.Statement[1].Action, ["s3:GetObject"], "read only by default");
    });

    it("opens the shared file system to NFS from the course's nodes only, over TLS only; the pack refuses the rule opened to the world", async () => {
        // FULL's spec asks for a shared course folder: EFS, behind its own security group.
        const full = await run(() => new EksHub("cs101", FULL));
        const groups = full.filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup");
        assert.deepEqual(groups.map((g) => [g.name, g.inputs.ingress]), [["cs101-efs", undefined]], "no inline rule beside the one below");
        assert.equal(groups[0].inputs.vpcId, one(full, "aws:ec2/vpc:Vpc").name + "-id");
        for (const target of full.filter((r) => r.type === "aws:efs/mountTarget:MountTarget")) {
            assert.deepEqual(target.inputs.securityGroups, ["cs101-efs-id"]);
        }
        const rules = full.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.securityGroupId === "cs101-efs-id");
        // The mock names the group EKS creates for the cluster "sg-<cluster resource>": pulumi-eks reports it
        // only when it makes no groups of its own, and only managed nodes are in it.
        assert.deepEqual(
            rules.map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4]),
            [["tcp", 2049, 2049, "sg-cs101-cluster", undefined]],
        );
        for (const template of full.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")) {
            assert.deepEqual(
                [template.inputs.vpcSecurityGroupIds, template.inputs.securityGroupNames, template.inputs.networkInterfaces],
                [undefined, undefined, undefined],
                `${template.name} names no security group: EKS then puts its nodes in the cluster security group, and only then`,
            );
        }

        const fileSystemArn = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/cs101-shared-id";
        const policy = one(full, "aws:efs/fileSystemPolicy:FileSystemPolicy");
        assert.equal(policy.inputs.fileSystemId, "cs101-shared-id");
        const statements: any[] = JSON.parse(policy.inputs.policy).Statement;
        const covers = (statement: any, action: string) => [statement.Action].flat().some((a: string) => [action, "elasticfilesystem:*", "*"].includes(a));
        assert.ok(statements.every((st) => st.Resource === fileSystemArn), "about this file system");
        const withoutTls = statements.filter((st) => st.Effect === "Deny" && st.Condition?.Bool?.["aws:SecureTransport"] === "false");
        assert.ok(withoutTls.some((st) => covers(st, "elasticfilesystem:ClientMount")), "a mount without TLS is refused");
        const allowed = statements.filter((st) => st.Effect === "Allow");
        assert.ok(allowed.every((st) => st.Condition?.Bool?.["elasticfilesystem:AccessedViaMountTarget"] === "true"), "clients come through mount targets");
        assert.deepEqual(allowed.flatMap((st) => st.Action).sort(),
            ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientRootAccess", "elasticfilesystem:ClientWrite"]);

        const worldSsh = broken(
            policyInputs(full),
            rules[0].name,
            (props) => ({ ...props, referencedSecurityGroupId: undefined, cidrIpv4: "0.0.0.0/0", fromPort: 22, toPort: 22 }),
            rules[0].type,
        );
        assert.deepEqual(packSummary(worldSsh, { "course-instance-limits": { allowGpu: true } }), [
            `no-open-admin-ports ${rules[0].name}: Port 22 (SSH) is open to 0.0.0.0/0.`,
        ]);
        const minimal = await run(() => new EksHub("cs101", MINIMAL));
        assert.deepEqual(
            minimal.filter((r) => /^aws:(ec2\/securityGroup:|vpc\/securityGroupIngressRule:|efs\/)/.test(r.type)).map((r) => r.name),
            [],
            "no shared storage, no file system, policy or security group of its own",
        );
    });

    it("serves the hub through its own StaticIpIngress, which more courses can join", async () => {
        const resources = await run(() => {
            const department = new EksHub("cs101", {
                ...MINIMAL,
                spec: { ...MINIMAL_SPEC, https: { mode: "ingress" } },
                ingress: {
                    letsEncryptEmail: "course-it@example.edu",
                    dns: { hostedZoneId: "Z0123", hostnames: ["cs101.hubs.example.edu", "ds200.hubs.example.edu"] },
                },
            });
            new JupyterHub("ds200", {
                provider: department.provider,
                ingress: department.ingress,
                spec: { ...MINIMAL_SPEC, course: "ds200", hostname: "ds200.hubs.example.edu", https: { mode: "ingress" } },
            });
        });
        assert.deepEqual(duplicateNames(resources), []);
        assert.equal(resources.filter((r) => r.type === "aws:ec2/eip:Eip").length, 1, "one Elastic IP for the whole cluster");
        assert.equal(resources.filter((r) => r.type === "aws:route53/record:Record").length, 2);
        const hubs = resources
            .filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "jupyterhub")
            .map((r) => unwrapSecrets(r.inputs.values));
        assert.deepEqual(hubs.map((v) => [v.proxy.service.type, v.ingress.hosts[0]]).sort(), [
            ["ClusterIP", "cs101.hubs.example.edu"],
            ["ClusterIP", "ds200.hubs.example.edu"],
        ]);
        const provider = one(resources, "pulumi:providers:kubernetes", "cs101-k8s");
        assert.ok(resources.filter((r) => r.type.startsWith("kubernetes:")).every((r) => providerUrn(r.provider) === provider.urn),
            "every course on the cluster goes through its provider, so all are removed before the nodes");
    });

    it("keeps students' work only when asked: retained volumes and file system", async () => {
        const kept = await run(() => new EksHub("cs101", FULL));
        assert.equal(one(kept, "kubernetes:storage.k8s.io/v1:StorageClass", "cs101-gp3").inputs.reclaimPolicy, "Retain");
        assert.equal(one(kept, "aws:efs/fileSystem:FileSystem").retainOnDelete, true);
        assert.equal(one(kept, "aws:efs/fileSystemPolicy:FileSystemPolicy").retainOnDelete, true, "the kept file system still refuses mounts without TLS");
        assert.equal(one(kept, "aws:backup/vault:Vault").retainOnDelete, true, "the recovery points outlive the course");
        assert.deepEqual(one(kept, "aws:backup/selection:Selection").inputs.conditions[0].stringEquals,
            [{ key: "aws:ResourceTag/course", value: "cs101" }, { key: "aws:ResourceTag/term", value: "fall-2026" }]);
        const gone = await run(() => new EksHub("cs101", { ...FULL, keepStudentWork: false }));
        assert.equal(one(gone, "kubernetes:storage.k8s.io/v1:StorageClass", "cs101-gp3").inputs.reclaimPolicy, "Delete");
        assert.equal(one(gone, "aws:efs/fileSystem:FileSystem").retainOnDelete, false);
        assert.equal(one(gone, "aws:efs/fileSystemPolicy:FileSystemPolicy").retainOnDelete, false);
        assert.equal(gone.filter((r) => r.type.startsWith("aws:backup/")).length, 0);
    });

    it("parents every child to the component", async () => {
        const resources = await run(() => new EksHub("cs101", FULL));
        const component = one(resources, "course-hubs:aws:EksHub");
        const hub = one(resources, "course-hubs:k8s:JupyterHub");
        for (const child of resources.filter((r) => r !== component && !r.read)) {
            assert.ok([component.urn, hub.urn].includes(child.parentUrn), `${child.type}::${child.name} is not inside the EksHub`);
            assert.ok(child.name.startsWith("cs101-"), `${child.name} is not named from the component`);
        }
    });

    it("two EksHubs in one program do not collide", async () => {
        const resources = await run(() => {
            new EksHub("cs101", MINIMAL);
            new EksHub("ds200", { ...FULL, spec: { ...FULL.spec, course: "ds200", hostname: "ds200.hubs.example.edu" } });
        });
        assert.deepEqual(duplicateNames(resources), []);
        const clusterNames = resources.filter((r) => r.type === "eks:index:Cluster").map((r) => r.inputs.name).sort();
        assert.deepEqual(clusterNames, ["cs101-fall-2026", "ds200-fall-2026"]);
    });

    it("reports every invalid combination at once, before creating anything", async () => {
        const { error, resources } = await runExpectingError(() => new EksHub("bad", {
            spec: { ...MAXIMAL_SPEC, https: { mode: "letsencrypt" } as any },
            network: {
                vpcId: "vpc-0abc",
                publicSubnets: [{ id: "subnet-1", availabilityZone: "us-east-1a" }, { id: "subnet-2", availabilityZone: "us-east-1a" }],
            },
            coreNodes: { spot: true } as any,
            userNodes: { maxCount: 40 },
            maxNodes: 20,
        } as any));
        assert.ok(pulumi.InputPropertiesError.isInstance(error), `expected an InputPropertiesError, got ${error}`);
        assert.deepEqual(error.errors.map((e: any) => e.propertyPath).sort(), [
            "apiAccessCidrs",
            "coreNodes.spot",
            "maxNodes",
            "network.publicSubnets",
            "spec.https.contactEmail",
            "spec.server.profiles[2].gpus",
            "spec.storage.bucketDatasets",
            "spec.storage.sharedSize",
        ]);
        assert.match(Object.fromEntries(error.errors.map((e: any) => [e.propertyPath, e.reason]))["spec.storage.bucketDatasets"],
            /EksHub mounts no buckets .*: copy the data to an EFS file system and give it as nfs/);
        assert.deepEqual(resources, [], "nothing may be registered");
    });

    it("names the missing GPU group and the missing certificate", async () => {
        const { error } = await runExpectingError(() => new EksHub("bad", {
            ...MINIMAL,
            spec: { ...MAXIMAL_SPEC, https: { mode: "offload" }, notebookIdentity: undefined },
        }));
        const reasons = Object.fromEntries(error.errors.map((e: any) => [e.propertyPath, e.reason]));
        assert.match(reasons["spec.server.profiles[2].gpus"], /add gpuNodes/);
        assert.match(reasons.certificateArn, /ACM certificate/);
        const { error: ingressError } = await runExpectingError(() => new EksHub("bad", { ...MINIMAL, spec: { ...MINIMAL_SPEC, https: { mode: "ingress" } } }));
        assert.match(ingressError.errors[0].reason, /StaticIpIngress/, "a shared ingress is not offered by EksHub yet");
    });

    it("installs the hub's chart as the chart option says: its raw values merged last over the spec's, its version", async () => {
        await assertChartOptionReachesRelease((chart) => new EksHub("cs101", { ...MINIMAL, chart }), "gp3");
    });

    it("refuses a chart option's problems at chart.version and chart.values.<path>, with the rest, before creating anything", async () => {
        const { error, resources } = await runExpectingError(() => new EksHub("bad", {
            ...MINIMAL, coreNodes: { spot: true } as any, chart: { values: REFUSED_CHART_VALUES },
        }));
        assert.deepEqual(error.errors.map((e: any) => e.propertyPath).sort(), [...REFUSED_CHART_PATHS.map((p) => `chart.values.${p}`), "coreNodes.spot"]);
        assert.deepEqual(resources, [], "nothing may be registered");
        const reasons = (chart: unknown) => Object.fromEntries(validateEksHubArgs({ ...MINIMAL, chart }).map((p) => [p.propertyPath, p.reason]));
        assert.match(reasons({ version: "^4.4.0" })["chart.version"], /must be an exact chart version such as "4.4.0"/);
        assert.match(reasons({ valuse: {} })["chart.valuse"], /did you mean "values"/);
        assert.match(reasons({ values: [] })["chart.values"], /must be an object/);
    });
});

describe("EksHub add-ons and node groups that the cloud accepts", () => {
    const releaseNamed = (resources: RecordedResource[], release: string) => {
        const found = resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.name === release);
        assert.equal(found.length, 1, `expected one ${release} release`);
        return { ...found[0], values: unwrapSecrets(found[0].inputs.values) };
    };

    it("installs the cluster autoscaler chart released for its image (9.59.0 = v1.35.0: RBAC with resource.k8s.io), from the version manifest", async () => {
        const resources = await run(() => new EksHub("cs101", MINIMAL));
        const autoscaler = releaseNamed(resources, "cluster-autoscaler");
        // 9.52.1 (appVersion 1.34.1) has no resource.k8s.io in its ClusterRole: a v1.35 image waits forever for DRA informers.
        assert.deepEqual([autoscaler.inputs.chart, autoscaler.inputs.version, autoscaler.inputs.repositoryOpts.repo], ["cluster-autoscaler", "9.59.0", "https://kubernetes.github.io/autoscaler"]);
        assert.equal(autoscaler.values.image.tag, "v1.35.0");
        assert.deepEqual(
            [CHARTS.clusterAutoscaler.version, `v${CHARTS.clusterAutoscaler.appVersion}`],
            [autoscaler.inputs.version, autoscaler.values.image.tag],
            "the release is the manifest's pin, image = the chart's appVersion",
        );
        assert.equal(autoscaler.inputs.namespace, "kube-system");
        assert.equal(autoscaler.values.extraArgs["balance-similar-node-groups"], true, "per-zone groups are balanced");
    });

    it("refuses an autoscaler whose minor is not the cluster's, or a chart with another release's image", () => {
        const paths = (extra: Partial<EksHubArgs>) => Object.fromEntries(validateEksHubArgs({ ...MINIMAL, ...extra }).map((p) => [p.propertyPath, p.reason]));
        const older = paths({ kubernetesVersion: "1.34" });
        assert.deepEqual(Object.keys(older), ["kubernetesVersion"]);
        assert.match(older.kubernetesVersion, /autoscaler v1\.35\.0 is for Kubernetes 1\.35.*"1\.34".*clusterAutoscaler\.imageTag.*clusterAutoscaler\.chartVersion/);
        assert.match(paths({ clusterAutoscaler: { imageTag: "v1.34.2" } })["clusterAutoscaler.imageTag"], /for Kubernetes 1\.34, but kubernetesVersion is "1\.35"/);
        assert.match(paths({ clusterAutoscaler: { chartVersion: "9.52.1" } })["clusterAutoscaler.chartVersion"], /chart 9\.52\.1 is released for autoscaler 1\.34, not v1\.35\.0/);
        assert.match(paths({ clusterAutoscaler: { chartVersion: "9.60.0" } })["clusterAutoscaler.imageTag"], /without its image/);
        assert.deepEqual(
            paths({ kubernetesVersion: "1.34", clusterAutoscaler: { chartVersion: "9.53.0", imageTag: "v1.34.2" } }),
            {},
            "a matching pair for 1.34 is accepted",
        );
        assert.deepEqual(paths({ clusterAutoscaler: { chartVersion: "9.58.0" } }), {}, "another 1.35 chart keeps the default image");
    });

    it("installs the NVIDIA device plugin with GPU groups only, in kube-system, tolerating every taint of the GPU nodes and selecting them", async () => {
        assert.equal((await run(() => new EksHub("cs101", MINIMAL))).filter((r) => r.inputs?.name === "nvidia-device-plugin").length, 0);
        const resources = await run(() => new EksHub("cs101", FULL));
        const plugin = releaseNamed(resources, "nvidia-device-plugin");
        assert.deepEqual([plugin.inputs.chart, plugin.inputs.version, plugin.inputs.repositoryOpts.repo, plugin.inputs.namespace],
            ["nvidia-device-plugin", "0.20.0", "https://nvidia.github.io/k8s-device-plugin", "kube-system"]);
        assert.deepEqual([CHARTS.nvidiaDevicePlugin.chart, CHARTS.nvidiaDevicePlugin.version], [plugin.inputs.chart, plugin.inputs.version]);
        assert.equal(
            providerUrn(plugin.provider),
            one(resources, "pulumi:providers:kubernetes").urn,
            "through the cluster's provider, so it goes before the nodes",
        );
        const gpuGroups = resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && r.inputs.amiType === "AL2023_x86_64_NVIDIA");
        assert.equal(gpuGroups.length, 3);
        for (const group of gpuGroups) {
            // Kubernetes toleration semantics: a taint is tolerated by a toleration of its key (and value, unless Exists) and effect.
            for (const taint of group.inputs.taints) {
                const effect = taint.effect === "NO_SCHEDULE" ? "NoSchedule" : taint.effect;
                assert.ok(plugin.values.tolerations.some((t: any) => (t.key === undefined || t.key === taint.key)
                    && (t.operator === "Exists" || t.value === taint.value) && (t.effect === undefined || t.effect === effect)),
                `the plugin does not tolerate ${taint.key}=${taint.value}:${effect} of ${group.name}`);
            }
            const terms = plugin.values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
            assert.ok(terms.some((term: any) => term.matchExpressions.every((e: any) => e.operator === "In" && e.values.includes(group.inputs.labels[e.key]))),
                `no node-selector term matches the labels of ${group.name}`);
        }
        assert.equal(plugin.values.nodeSelector, undefined, "a nodeSelector is ANDed with the chart's affinity");
    });

    it("makes one user and one GPU group per zone, each in its zone's subnet, together reaching exactly maxCount", async () => {
        const resources = await run(() => new EksHub("cs101", FULL));
        const groups = resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup").sort((a, b) => a.name.localeCompare(b.name));
        const of = (ami: RegExp, purpose: string) => groups.filter((g) => ami.test(g.inputs.amiType)
            && g.inputs.labels["hub.jupyter.org/node-purpose"] === purpose);
        const user = of(/STANDARD/, "user");
        const gpu = of(/NVIDIA/, "user");
        assert.deepEqual(user.map((g) => g.name), ["cs101-user-nodes", "cs101-user-nodes-2", "cs101-user-nodes-3"], "the first zone keeps the old name");
        assert.deepEqual(gpu.map((g) => g.name), ["cs101-gpu-nodes", "cs101-gpu-nodes-2", "cs101-gpu-nodes-3"]);
        for (const role of [user, gpu]) {
            assert.deepEqual(
                role.map((g) => g.inputs.subnetIds),
                [["cs101-private-1-id"], ["cs101-private-2-id"], ["cs101-private-3-id"]],
                "one zone per group",
            );
            assert.equal(new Set(role.map((g) => g.inputs.launchTemplate.id)).size, 1, "one launch template per role");
        }
        assert.deepEqual(user.map((g) => g.inputs.scalingConfig.maxSize), [4, 4, 4], "userNodes.maxCount 12 over 3 zones");
        assert.deepEqual(gpu.map((g) => g.inputs.scalingConfig.maxSize), [1, 1, 1]);
        const two = (await run(() => new EksHub("cs101", MINIMAL))).filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && r.name.startsWith("cs101-user"))
            .sort((a, b) => a.name.localeCompare(b.name));
        assert.deepEqual(two.map((g) => [g.name, g.inputs.subnetIds, g.inputs.scalingConfig.maxSize]),
            [["cs101-user-nodes", ["cs101-public-1-id"], 5], ["cs101-user-nodes-2", ["cs101-public-2-id"], 5]]);
    });

    it("groups an existing VPC's subnets by zone, and refuses fewer nodes than zones", async () => {
        const network = {
            vpcId: "vpc-0abc",
            publicSubnets: [
                { id: "subnet-a1", availabilityZone: "us-east-1a" },
                { id: "subnet-b1", availabilityZone: "us-east-1b" },
                { id: "subnet-a2", availabilityZone: "us-east-1a" },
            ],
        };
        const resources = await run(() => new EksHub("cs101", { ...MINIMAL, network }));
        const user = resources
            .filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && r.name.startsWith("cs101-user"))
            .sort((a, b) => a.name.localeCompare(b.name));
        assert.deepEqual(user.map((g) => [g.name, g.inputs.subnetIds]), [
            ["cs101-user-nodes", ["subnet-a1", "subnet-a2"]],
            ["cs101-user-nodes-2", ["subnet-b1"]],
        ]);
        const problems = validateEksHubArgs({ ...MINIMAL, network: { zoneCount: 3 }, userNodes: { maxCount: 2 }, gpuNodes: { maxCount: 3 } });
        assert.deepEqual(problems.map((p) => p.propertyPath), ["userNodes.maxCount"]);
        assert.match(problems[0].reason, /2 is fewer than the 3 zones.*home volumes are zonal.*Raise userNodes\.maxCount to 3/);
    });

    it("turns on VPC CNI prefix delegation, and refuses a core type that cannot hold the core pods, with the numbers and the fix", () => {
        return run(() => new EksHub("cs101", MINIMAL)).then((resources) => {
            const vpcCni = resources.find((r) => r.type === "aws:eks/addon:Addon" && r.inputs.addonName === "vpc-cni");
            assert.equal(JSON.parse(vpcCni?.inputs.configurationValues).env.ENABLE_PREFIX_DELEGATION, "true",
                "without it a t4g.medium holds 17 pods, fewer than the core pods with EFS and an ingress");
            const busy: EksHubArgs = {
                ...MINIMAL,
                spec: { ...MINIMAL_SPEC, https: { mode: "ingress" }, storage: { sharedCourseFolder: true } },
                ingress: { letsEncryptEmail: "course-it@example.edu", dns: { hostedZoneId: "Z0123", hostnames: ["cs101.hubs.example.edu"] } },
            };
            assert.deepEqual(validateEksHubArgs(busy), [], "t4g.medium with prefix delegation holds 110 pods");
            const xen = validateEksHubArgs({ ...busy, coreNodes: { instanceType: "t2.medium" } });
            assert.deepEqual(xen.map((p) => p.propertyPath), ["coreNodes.instanceType"]);
            assert.match(xen[0].reason, /must run 20 pods .*hook-image-awaiter.*cert-manager 3.*but t2\.medium holds 17 .*no prefix delegation.*t4g\.medium.*coreNodes\.count/);
            assert.deepEqual(validateEksHubArgs({ ...busy, coreNodes: { instanceType: "t2.medium", count: 2 } }), [], "two t2.medium share the deployments");
            const unknown = validateEksHubArgs({ ...MINIMAL, coreNodes: { instanceType: "x9z.huge" } });
            assert.deepEqual(unknown.map((p) => p.propertyPath), ["coreNodes.instanceType"]);
            assert.match(unknown[0].reason, /pod limit EksHub knows.*t4g\.medium/);
        });
    });
});
