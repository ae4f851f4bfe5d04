import { strict as assert } from "node:assert";
import { policies } from "../../policy/policies";
import { PolicyConfig } from "../../plan/policy-check";
import { PolicyInput, UNKNOWN, resource, runPack } from "../support/policy";

const TAGS = { course: "cs101", term: "fall-2026", owner: "it@example.edu", "managed-by": "course-hubs" };
const LABELS = { course: "cs101", term: "fall-2026", owner: "it_example_edu", "managed-by": "course-hubs" };

/** Violations of one policy, as [resource, message]. */
function of(policy: string, inputs: PolicyInput[], config = {}): [string, string][] {
    return runPack(inputs, config).filter((v) => v.policy === policy).map((v) => [v.resource, v.message]);
}

const secureInstance = (extra: Record<string, any> = {}) => resource("aws:ec2/instance:Instance", {
    instanceType: "t4g.small", tags: TAGS, metadataOptions: { httpTokens: "required" }, rootBlockDevice: { encrypted: true }, ...extra,
}, "hub");
const hubRelease = (values: Record<string, any>) => resource("kubernetes:helm.sh/v3:Release", { chart: "jupyterhub", values }, "hub-release");

describe("policy pack", () => {
    it("gives every policy a description, an enforcement level and a config schema", () => {
        assert.equal(policies.length, 12);
        for (const policy of policies) {
            assert.ok(policy.description && policy.description.length > 20, policy.name);
            assert.equal(policy.enforcementLevel, "mandatory");
            assert.ok(policy.configSchema, policy.name);
        }
    });

    describe("course-instance-limits", () => {
        const group = (name: string, maxSize: number) => resource("aws:autoscaling/group:Group", { maxSize, tags: [] }, name);
        it("passes a stack within the budget and fails one beyond it", () => {
            assert.deepEqual(of("course-instance-limits", [secureInstance(), group("workers", 10)]), []);
            assert.deepEqual(of("course-instance-limits", [secureInstance(), group("workers", 12), group("more", 9)]), [
                [
                    "(stack)",
                    "The stack may run 22 instances (hub 1, workers 12, more 9), more than the limit of 20; lower the groups' maxima or raise maxInstances.",
                ],
            ]);
        });
        it("counts GKE pools per zone, EKS node groups, and eks.Cluster's hidden default group", () => {
            const pool = resource(
                "gcp:container/nodePool:NodePool",
                { location: "us-central1", autoscaling: { maxNodeCount: 5 }, nodeConfig: { machineType: "n2-standard-4" } },
                "users",
            );
            const cluster = resource("eks:index:Cluster", { skipDefaultNodeGroup: false, maxSize: 6, instanceType: "t3.medium" }, "cluster");
            assert.deepEqual(of("course-instance-limits", [pool, cluster]), [
                [
                    "(stack)",
                    "The stack may run 21 instances (users 15, cluster (default node group) 6), more than the limit of 20; lower the groups' maxima or raise maxInstances.",
                ],
            ]);
            assert.deepEqual(of("course-instance-limits", [pool, cluster], { "course-instance-limits": { maxInstances: 30 } }), []);
        });
        it("limits each group and the instance types, GPUs only when allowed", () => {
            const gpuGroup = resource("aws:eks/nodeGroup:NodeGroup", { scalingConfig: { maxSize: 25 }, instanceTypes: ["g4dn.xlarge"] }, "gpu");
            const odd = resource("aws:ec2/launchTemplate:LaunchTemplate", { instanceType: "x2iedn.32xlarge" }, "odd");
            assert.deepEqual(of("course-instance-limits", [gpuGroup, odd], { "course-instance-limits": { maxInstances: 100 } }), [
                ["gpu", "\"gpu\" may run 25 instances, more than the per-group limit of 20."],
                ["gpu", "\"gpu\" uses the GPU type g4dn.xlarge; set allowGpu: true in this policy's config to allow GPUs for this stack."],
                ["odd", "\"odd\" uses the instance type x2iedn.32xlarge, which is not in allowedInstanceTypes."],
            ]);
            assert.deepEqual(
                of("course-instance-limits", [gpuGroup], { "course-instance-limits": { maxInstances: 100, maxPerGroup: 30, allowGpu: true } }),
                [],
            );
        });
    });

    describe("course-required-tags", () => {
        it("requires the tags on AWS resources, provider default tags counting", () => {
            const vpc = resource("aws:ec2/vpc:Vpc", { tags: { course: "cs101" } }, "vpc");
            assert.deepEqual(of("course-required-tags", [vpc]), [
                ["vpc", "Missing the tags term, owner, managed-by: add them to tags, or to the provider's defaultTags."],
            ]);
            const provider = { type: "pulumi:providers:aws", props: { defaultTags: JSON.stringify({ tags: TAGS }) } };
            assert.deepEqual(of("course-required-tags", [resource("aws:ec2/vpc:Vpc", {}, "vpc", provider)]), []);
            assert.deepEqual(of("course-required-tags", [resource("aws:iam/rolePolicy:RolePolicy", { policy: "{}" })]), [], "untaggable types are not asked");
        });
        it("requires Auto Scaling groups to propagate them, GCP labels to be present and legal, namespaces to carry the course", () => {
            const group = resource(
                "aws:autoscaling/group:Group",
                { tags: Object.entries(TAGS).map(([key, value]) => ({ key, value, propagateAtLaunch: key !== "owner" })) },
                "workers",
            );
            assert.deepEqual(of("course-required-tags", [group]), [
                ["workers", "The group's instances would lack the tags owner: add them to tags with propagateAtLaunch: true."],
            ]);
            const pool = resource("gcp:container/nodePool:NodePool", { nodeConfig: { resourceLabels: { ...LABELS, owner: "IT@example.edu" } } }, "pool");
            assert.deepEqual(of("course-required-tags", [pool]), [
                ["pool", "Label values must be lowercase letters, digits, _ and -, at most 63: owner=IT@example.edu."],
            ]);
            assert.deepEqual(of("course-required-tags", [resource("gcp:compute/address:Address", {}, "ip")]), [
                ["ip", "Missing the labels course, term, owner, managed-by (at labels)."],
            ]);
            assert.deepEqual(of("course-required-tags", [resource("kubernetes:core/v1:Namespace", { metadata: { name: "x" } }, "ns")]), [
                ["ns", "The namespace lacks the course label."],
            ]);
        });
    });

    describe("secure defaults", () => {
        it("no-open-admin-ports: SSH, RDP and the Docker API closed to the world", () => {
            const open = resource(
                "aws:ec2/securityGroup:SecurityGroup",
                { tags: TAGS, ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
                "sg",
            );
            const docker = resource(
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                { tags: TAGS, ipProtocol: "tcp", fromPort: 2375, toPort: 2376, cidrIpv6: "::/0" },
                "docker",
            );
            const everything = resource("gcp:compute/firewall:Firewall", { sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "tcp" }] }, "fw");
            assert.deepEqual(of("no-open-admin-ports", [open, docker, everything]), [
                ["sg", "Port 22 (SSH) is open to 0.0.0.0/0."],
                ["docker", "Port 2375 (the Docker API) is open to ::/0."],
                ["docker", "Port 2376 (the Docker API (TLS)) is open to ::/0."],
                ["fw", "Port 22 (SSH) is open to 0.0.0.0/0."],
                ["fw", "Port 2375 (the Docker API) is open to 0.0.0.0/0."],
                ["fw", "Port 2376 (the Docker API (TLS)) is open to 0.0.0.0/0."],
                ["fw", "Port 3389 (RDP) is open to 0.0.0.0/0."],
            ]);
            const https = resource(
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                { tags: TAGS, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
                "https",
            );
            const campusSsh = resource(
                "aws:ec2/securityGroupRule:SecurityGroupRule",
                { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] },
                "campus",
            );
            assert.deepEqual(of("no-open-admin-ports", [https, campusSsh]), []);
        });
        describe("kubernetes-api-restricted", () => {
            it("GKE: authorized networks set, none open to the world, Google Cloud's public addresses not admitted", () => {
                const cluster = (name: string, masterAuthorizedNetworksConfig?: Record<string, any>) => resource(
                    "gcp:container/cluster:Cluster", { resourceLabels: LABELS, masterAuthorizedNetworksConfig }, name,
                );
                const campus = { cidrBlock: "203.0.113.0/24", displayName: "campus" };
                assert.deepEqual(of("kubernetes-api-restricted", [
                    cluster("open"),
                    cluster("world", { cidrBlocks: [campus, { cidrBlock: "0.0.0.0/0" }, { cidrBlock: "::/0" }], gcpPublicCidrsAccessEnabled: false }),
                    cluster("google-cloud-tenants", { cidrBlocks: [campus] }),
                ]), [
                    ["open", "The Kubernetes API is open to every address: set masterAuthorizedNetworksConfig with the campus and VPN ranges."],
                    ["world", "masterAuthorizedNetworksConfig admits 0.0.0.0/0 and ::/0: name the campus and VPN ranges instead."],
                    [
                        "google-cloud-tenants",
                        "masterAuthorizedNetworksConfig also admits the public address of every Compute Engine VM, any Google Cloud customer's: set gcpPublicCidrsAccessEnabled to false.",
                    ],
                ]);
                assert.deepEqual(of("kubernetes-api-restricted", [cluster("campus-only", { cidrBlocks: [campus], gcpPublicCidrsAccessEnabled: false })]), []);
            });

            // EKS opens a public endpoint without CIDR blocks to 0.0.0.0/0, and public access is on by default.
            const eksComponent = (name: string, endpoint: Record<string, any>) => resource("eks:index:Cluster", { tags: TAGS, ...endpoint }, name);
            const awsCluster = (name: string, vpcConfig?: Record<string, any>) => resource(
                "aws:eks/cluster:Cluster", { tags: TAGS, roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig }, name,
            );

            it("EKS through pulumi-eks: a public endpoint without CIDR blocks or with a world-wide one fails", () => {
                const openWithoutCidrs = "The Kubernetes API is open to every address: without publicAccessCidrs, "
                    + "EKS admits 0.0.0.0/0 (and ::/0 on IPv6 clusters); list the campus and VPN ranges there, or set endpointPublicAccess to false.";
                assert.deepEqual(of("kubernetes-api-restricted", [
                    eksComponent("public-by-default", {}),
                    eksComponent("public-without-cidrs", { endpointPublicAccess: true, endpointPrivateAccess: true }),
                    eksComponent("empty-cidrs", { endpointPublicAccess: true, publicAccessCidrs: [] }),
                    eksComponent("world", { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0", "::/0"] }),
                ]), [
                    ["public-by-default", openWithoutCidrs],
                    ["public-without-cidrs", openWithoutCidrs],
                    ["empty-cidrs", openWithoutCidrs],
                    ["world", "publicAccessCidrs admits 0.0.0.0/0 and ::/0: name the campus and VPN ranges instead."],
                ]);
                assert.deepEqual(of("kubernetes-api-restricted", [
                    eksComponent("campus-only", { endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ["203.0.113.0/24"] }),
                    eksComponent("private-only", { endpointPublicAccess: false, endpointPrivateAccess: true }),
                ]), []);
            });

            it("EKS through the AWS provider: the same rules on vpcConfig", () => {
                assert.deepEqual(of("kubernetes-api-restricted", [
                    awsCluster("no-vpc-config"),
                    awsCluster("public-without-cidrs", { subnetIds: ["subnet-1", "subnet-2"], endpointPublicAccess: true }),
                    awsCluster("world", { subnetIds: ["subnet-1", "subnet-2"], publicAccessCidrs: ["0.0.0.0/0"] }),
                ]), [
                    [
                        "no-vpc-config",
                        "The Kubernetes API is open to every address: without vpcConfig.publicAccessCidrs, EKS admits 0.0.0.0/0 (and ::/0 on IPv6 clusters); "
                        + "list the campus and VPN ranges there, or set vpcConfig.endpointPublicAccess to false.",
                    ],
                    [
                        "public-without-cidrs",
                        "The Kubernetes API is open to every address: without vpcConfig.publicAccessCidrs, EKS admits 0.0.0.0/0 (and ::/0 on IPv6 clusters); "
                        + "list the campus and VPN ranges there, or set vpcConfig.endpointPublicAccess to false.",
                    ],
                    ["world", "vpcConfig.publicAccessCidrs admits 0.0.0.0/0: name the campus and VPN ranges instead."],
                ]);
                assert.deepEqual(of("kubernetes-api-restricted", [
                    awsCluster("campus-only", { subnetIds: ["subnet-1", "subnet-2"], endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] }),
                    awsCluster("private-only", { subnetIds: ["subnet-1", "subnet-2"], endpointPublicAccess: false, endpointPrivateAccess: true }),
                ]), []);
            });
        });

        it("ssm-secrets-use-customer-keys: SecureStrings name a customer-managed key", () => {
            const parameter = (name: string, props: Record<string, any>) => resource(
                "aws:ssm/parameter:Parameter", { tags: TAGS, value: "s3cret", ...props }, name,
            );
            const why = ": the SecureString is encrypted with the account's aws/ssm key, "
                + "which any principal of the account allowed to read the parameter can use; set keyId to a customer-managed KMS key.";
            assert.deepEqual(of("ssm-secrets-use-customer-keys", [
                parameter("default-key", { type: "SecureString" }),
                parameter("aws-managed-alias", { type: "SecureString", keyId: "alias/aws/ssm" }),
                parameter("aws-managed-alias-arn", { type: "SecureString", keyId: "arn:aws:kms:us-east-1:123456789012:alias/aws/ssm" }),
            ]), [
                ["default-key", `No keyId${why}`],
                ["aws-managed-alias", `keyId alias/aws/ssm${why}`],
                ["aws-managed-alias-arn", `keyId arn:aws:kms:us-east-1:123456789012:alias/aws/ssm${why}`],
            ]);
            assert.deepEqual(of("ssm-secrets-use-customer-keys", [
                parameter("course-key", { type: "SecureString", keyId: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }),
                parameter("course-alias", { type: "SecureString", keyId: "alias/cs101-fall-2026" }),
                parameter("key-created-in-this-preview", { type: "SecureString", keyId: UNKNOWN }),
                parameter("not-secret", { type: "String" }),
            ]), []);
        });

        it("encrypted-storage and imdsv2-required", () => {
            const template = resource(
                "aws:ec2/launchTemplate:LaunchTemplate",
                { tags: TAGS, instanceType: "m6i.xlarge", blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] },
                "lt",
            );
            const storageClass = resource("kubernetes:storage.k8s.io/v1:StorageClass", { provisioner: "ebs.csi.aws.com", parameters: { type: "gp3" } }, "gp3");
            const fileSystem = resource("aws:efs/fileSystem:FileSystem", { tags: TAGS }, "efs");
            assert.deepEqual(of("encrypted-storage", [secureInstance(), template, storageClass, fileSystem]), [
                ["lt", "The disk /dev/xvda of this launch template is not encrypted."],
                ["gp3", "EBS volumes of this StorageClass are not encrypted: set parameters.encrypted to \"true\"."],
                ["efs", "Not encrypted at rest: set encrypted to true."],
            ]);
            assert.deepEqual(of("imdsv2-required", [secureInstance(), template, secureInstance({ metadataOptions: { httpTokens: "optional" } })]), [
                ["lt", "IMDSv2 is not required: set metadataOptions.httpTokens to \"required\"."],
                ["hub", "IMDSv2 is not required: set metadataOptions.httpTokens to \"required\"."],
            ]);
        });
        it("no-wildcard-iam-actions", () => {
            const wild = resource(
                "aws:iam/rolePolicy:RolePolicy",
                { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["s3:*", "ec2:DescribeImages"], Resource: "*" }] }) },
                "wild",
            );
            const named = resource(
                "aws:iam/rolePolicy:RolePolicy",
                { policy: { Statement: [{ Effect: "Allow", Action: "ec2:DescribeImages", Resource: "*" }] } },
                "named",
            );
            const admin = resource(
                "aws:iam/role:Role",
                { tags: TAGS, assumeRolePolicy: "{}", inlinePolicies: [{ policy: JSON.stringify({ Statement: { Effect: "Allow", Action: "*" } }) }] },
                "admin",
            );
            assert.deepEqual(of("no-wildcard-iam-actions", [wild, named, admin]), [
                ["wild", "The policy grants wildcard actions s3:*: name each action."],
                ["admin", "The policy grants wildcard actions *: name each action."],
            ]);
        });
        describe("hubs-use-https", () => {
            const named = (name: string, values: Record<string, any>) => ({ ...hubRelease(values), name });
            const ingressTls = { enabled: true, tls: [{ hosts: ["a"], secretName: "a-tls" }] };
            const offload = (service: Record<string, any>) => ({ service, https: { enabled: true, type: "offload", hosts: ["a"] } });

            it("passes each way the chart serves HTTPS only", () => {
                assert.deepEqual(of("hubs-use-https", [
                    named("letsencrypt", { proxy: { https: { enabled: true, hosts: ["a"], letsencrypt: { contactEmail: "it@example.edu" } } } }),
                    named("secret", { proxy: { https: { enabled: true, type: "secret", hosts: ["a"], secret: { name: "a-tls" } } } }),
                    named("offload", { proxy: offload({ type: "LoadBalancer", disableHttpPort: true }) }),
                    named("ingress", { proxy: { service: { type: "ClusterIP" }, https: { enabled: false } }, ingress: ingressTls }),
                    secureInstance({ userData: "/etc/course-hub/jupyterhub_config.py\n/etc/course-hub/Caddyfile" }),
                ]), []);
            });

            it("refuses every way plain HTTP reaches the hub", () => {
                assert.deepEqual(of("hubs-use-https", [
                    named("off", { proxy: { https: { enabled: false } } }),
                    named("letsencrypt-without-hosts", { proxy: { https: { enabled: true } } }),
                    named("unknown-type", { proxy: { https: { enabled: true, type: "acme", hosts: ["a"] } } }),
                    named("offload-with-port-80", { proxy: offload({ type: "LoadBalancer" }) }),
                    named("ingress-beside-a-load-balancer", { proxy: { https: { enabled: false } }, ingress: ingressTls }),
                    named("hub-on-a-load-balancer", { proxy: offload({ disableHttpPort: true }), hub: { service: { type: "LoadBalancer" } } }),
                    secureInstance({ userData: "#cloud-config\n/etc/course-hub/jupyterhub_config.py" }),
                ]), [
                    [
                        "off",
                        "The hub would be served over plain HTTP (proxy.https is not enabled): enable proxy.https (letsencrypt, secret or offload) or an ingress with tls.",
                    ],
                    [
                        "letsencrypt-without-hosts",
                        "The hub would be served over plain HTTP (letsencrypt has no proxy.https.hosts): enable proxy.https (letsencrypt, secret or offload) or an ingress with tls.",
                    ],
                    [
                        "unknown-type",
                        "The hub would be served over plain HTTP (proxy.https.type \"acme\" is none of letsencrypt, manual, secret, offload): "
                        + "enable proxy.https (letsencrypt, secret or offload) or an ingress with tls.",
                    ],
                    [
                        "offload-with-port-80",
                        "With TLS offload, port 80 of the proxy's Service reaches the hub over plain HTTP: set proxy.service.disableHttpPort to true.",
                    ],
                    [
                        "ingress-beside-a-load-balancer",
                        "Beside the ingress, the proxy's own LoadBalancer Service serves the hub over plain HTTP: set proxy.service.type to ClusterIP.",
                    ],
                    [
                        "hub-on-a-load-balancer",
                        "hub.service.type LoadBalancer exposes the hub's own port 8081 over plain HTTP, around the proxy: keep it ClusterIP.",
                    ],
                    ["hub", "The EC2 hub has no HTTPS proxy in its user-data."],
                ]);
            });
        });
        it("no-insecure-authenticators, unless the stack's config allows them", () => {
            const shared = hubRelease({
                proxy: { https: { enabled: true } },
                hub: { config: { JupyterHub: { authenticator_class: "jupyterhub.authenticators.shared.SharedPasswordAuthenticator" } } },
            });
            const vm = secureInstance({ userData: "jupyterhub_config.py\nc.JupyterHub.authenticator_class = \"dummy\"\n/etc/course-hub/Caddyfile" });
            assert.deepEqual(of("no-insecure-authenticators", [shared, vm]), [
                [
                    "hub-release",
                    "The hub logs people in with jupyterhub.authenticators.shared.SharedPasswordAuthenticator: use GitHub, OIDC or LDAP, or set allowInsecureAuthenticators: true in this policy's config for this stack.",
                ],
                [
                    "hub",
                    "The hub logs people in with dummy: use GitHub, OIDC or LDAP, or set allowInsecureAuthenticators: true in this policy's config for this stack.",
                ],
            ]);
            assert.deepEqual(of("no-insecure-authenticators", [shared, vm], { "no-insecure-authenticators": { allowInsecureAuthenticators: true } }), []);
            assert.deepEqual(of("no-insecure-authenticators", [hubRelease({ hub: { config: { JupyterHub: { authenticator_class: "github" } } } })]), []);
        });
        it("no-static-cloud-credentials and no-privileged-notebooks", () => {
            const keys = hubRelease({
                singleuser: {
                    extraEnv: { AWS_ACCESS_KEY_ID: "AKIA...", COURSE: "cs101" },
                    profileList: [{ slug: "x", kubespawner_override: { environment: { GOOGLE_APPLICATION_CREDENTIALS: "/k.json" } } }],
                },
            });
            assert.deepEqual(of("no-static-cloud-credentials", [keys]), [
                [
                    "hub-release",
                    "Notebooks would get static cloud credentials (AWS_ACCESS_KEY_ID, GOOGLE_APPLICATION_CREDENTIALS): use a notebook identity instead.",
                ],
            ]);
            const privileged = hubRelease({
                singleuser: { allowPrivilegeEscalation: true, uid: 0, extraContainers: [{ name: "db", securityContext: { privileged: true } }] },
            });
            assert.deepEqual(of("no-privileged-notebooks", [privileged]), [
                [
                    "hub-release",
                    "Notebooks would run privileged: singleuser.allowPrivilegeEscalation is true; singleuser.uid is 0 (root); the sidecar db is privileged.",
                ],
            ]);
            assert.deepEqual(of("no-privileged-notebooks", [hubRelease({ singleuser: { allowPrivilegeEscalation: false, uid: 1000 } })]), []);
        });
    });

    it("reports a value unknown during preview as unknown instead of crashing", () => {
        const preview = resource(
            "aws:ec2/instance:Instance",
            { instanceType: "t4g.small", tags: TAGS, metadataOptions: UNKNOWN, rootBlockDevice: { encrypted: true } },
            "hub",
        );
        const violations = runPack([preview]);
        assert.deepEqual(violations.filter((v) => v.policy === "imdsv2-required"), [
            { policy: "imdsv2-required", resource: "hub", message: "unknown", enforcementLevel: "mandatory" },
        ]);
    });

    it("takes enforcement levels from a policy config file as the CLI reads one", () => {
        const unsafe = resource(
            "aws:ec2/instance:Instance",
            { instanceType: "t4g.small", tags: TAGS, metadataOptions: { httpTokens: "optional" }, rootBlockDevice: { encrypted: false } },
            "hub",
        );
        const levels = (config: PolicyConfig) => runPack([unsafe], config).map((v) => `${v.policy}=${v.enforcementLevel}`).sort();
        assert.deepEqual(levels({}), ["encrypted-storage=mandatory", "imdsv2-required=mandatory"]);
        assert.deepEqual(levels({ "imdsv2-required": "advisory" }), ["encrypted-storage=mandatory", "imdsv2-required=advisory"]);
        assert.deepEqual(
            levels({ all: "advisory", "encrypted-storage": { enforcementLevel: "mandatory" } }),
            ["encrypted-storage=mandatory", "imdsv2-required=advisory"],
        );
        assert.deepEqual(levels({ "imdsv2-required": "disabled" }), ["encrypted-storage=mandatory"]);
    });
});
