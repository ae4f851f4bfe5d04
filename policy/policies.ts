/* eslint-disable @typescript-eslint/no-explicit-any -- resource props, Helm values and IAM documents are untyped JSON from any provider */
import {
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { machineTypes } from "../components/machine-types";

/*
 * The course-hubs CrossGuard policies, as plain objects that tests import; `index.ts` only
 * builds the pack. Every policy has a description, a config schema with defaults and an
 * enforcement level that the policy config can change. Where a remote component hides its
 * children (eks.Cluster), its own inputs are checked instead.
 */

type Props = Record<string, any>;

/**
 * Whether reading a prop threw @pulumi/policy's UnknownValueError (a value only the update will
 * know). Recognised by its shape: the published package runs these policies in the offline plan
 * without @pulumi/policy installed, so it must not import the class at run time.
 */
function isUnknownDuringPreview(err: unknown): boolean {
    return err instanceof Error && "unknownTypeSentinel" in err;
}

/** AWS types that take no tags of their own. Any other `aws:` resource must be tagged. */
export const UNTAGGABLE_AWS_TYPES = new Set([
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
    "aws:ec2/route:Route",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:ec2/eipAssociation:EipAssociation",
    "aws:kms/alias:Alias",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:efs/mountTarget:MountTarget",
    "aws:efs/fileSystemPolicy:FileSystemPolicy",
    "aws:autoscaling/tag:Tag",
    "aws:autoscaling/policy:Policy",
    "aws:autoscaling/schedule:Schedule",
    "aws:autoscaling/attachment:Attachment",
    "aws:backup/selection:Selection",
    "aws:route53/record:Record",
    "aws:s3/bucketPolicy:BucketPolicy",
]);

/** Where each labelable GCP type keeps its labels. */
export const GCP_LABEL_PATHS: Readonly<Record<string, string[]>> = {
    "gcp:container/cluster:Cluster": ["resourceLabels"],
    "gcp:container/nodePool:NodePool": ["nodeConfig", "resourceLabels"],
    "gcp:compute/address:Address": ["labels"],
    "gcp:compute/instance:Instance": ["labels"],
    "gcp:compute/disk:Disk": ["labels"],
    "gcp:compute/forwardingRule:ForwardingRule": ["labels"],
    "gcp:storage/bucket:Bucket": ["labels"],
    "gcp:filestore/instance:Instance": ["labels"],
};

const DEFAULT_TAG_KEYS = ["course", "term", "owner", "managed-by"];
const LEGAL_LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

/** Authenticators that let anyone in who knows a name or a shared password. */
export const INSECURE_AUTHENTICATORS = new Set([
    "dummy", "jupyterhub.auth.DummyAuthenticator", "shared-password", "jupyterhub.authenticators.shared.SharedPasswordAuthenticator",
    "null", "nullauthenticator.NullAuthenticator", "tmp", "tmpauthenticator.TmpAuthenticator",
]);

/** Environment variables that carry static cloud credentials. */
export const CREDENTIAL_VARIABLES = [
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "GOOGLE_APPLICATION_CREDENTIALS", "AZURE_CLIENT_SECRET",
];

/** Admin ports that must never be open to the world. */
export const ADMIN_PORTS: Readonly<Record<number, string>> = { 22: "SSH", 3389: "RDP", 2375: "the Docker API", 2376: "the Docker API (TLS)" };

/**
 * Instance and machine types allowed unless the policy config says otherwise (`*` matches
 * anything): the families of the machine table the components choose from and price
 * (components/machine-table.json), so that a default node type is always allowed.
 */
export const DEFAULT_ALLOWED_TYPES = [...new Set([
    ...machineTypes("aws").map((type) => `${type.name.split(".")[0]}.*`),
    ...machineTypes("gcp").map((type) => `${type.name.split("-")[0]}-*`),
])].sort();

const isGpuType = (type: string) => /^(g\d|p\d|inf\d|trn\d|dl\d)[a-z]*\./.test(type) || /^(a2|a3|g2)-/.test(type);

/**
 * A policy's config with its schema defaults under what was given: the CLI sends the defaults, a
 * bare analyzer client may not.
 */
function settings<T>(policy: { configSchema?: { properties?: Record<string, any> } }, given: Record<string, unknown>): T {
    return { ...schemaDefaults(policy), ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) } as T;
}

/** The defaults a policy's config schema declares, as the CLI sends them. */
export function schemaDefaults(policy: { configSchema?: { properties?: Record<string, any> } }): Record<string, unknown> {
    return Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {}).map(([key, schema]) => [key, schema.default]));
}

function matches(pattern: string, value: string): boolean {
    const regex = new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    return regex.test(value);
}

function at(props: Props, path: string[]): any {
    return path.reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), props as any);
}

/** A JSON document given as a string or as an object. */
function documentOf(value: unknown): any {
    if (typeof value === "string") {
        try {
            return JSON.parse(value);
        } catch {
            return undefined;
        }
    }
    return value;
}

/** The Helm values of a Zero to JupyterHub release, or undefined for any other resource. */
function jupyterhubValues(args: { type: string; props: Props }): Props | undefined {
    if (args.type !== "kubernetes:helm.sh/v3:Release" || args.props.chart !== "jupyterhub") {
        return undefined;
    }
    return args.props.values ?? {};
}

/**
 * The KubeSpawner overrides of a release's profiles: each profile's, and each choice's of its menus
 * (KubeSpawner's `profile_options`), which apply over the profile's when a student picks it.
 */
function profileOverrides(singleuser: Props): Props[] {
    return (singleuser.profileList ?? []).flatMap((profile: Props) => [
        { at: `the profile ${profile.slug}`, override: profile.kubespawner_override },
        ...Object.entries(profile.profile_options ?? {}).flatMap(([menu, option]) => Object.entries((option as Props).choices ?? {})
            .map(([choice, spec]) => ({ at: `the profile ${profile.slug}'s choice ${menu}: ${choice}`, override: (spec as Props).kubespawner_override }))),
    ]).filter((entry: Props) => entry.override);
}

/** The user-data of an EC2 hub VM (one that runs JupyterHub), or undefined. */
function hubUserData(args: { type: string; props: Props }): string | undefined {
    if (args.type !== "aws:ec2/instance:Instance" || typeof args.props.userData !== "string" || !args.props.userData.includes("jupyterhub_config.py")) {
        return undefined;
    }
    return args.props.userData;
}

// ---- instance limits ---------------------------------------------------------------------------

/** A group of instances the stack may run: how many at most, of which types. */
interface InstanceGroup {
    label: string;
    maximum: number;
    types: string[];
}

/** The instances a resource may run, as far as its own inputs say. */
export function instanceGroupOf(resource: { type: string; name: string; props: Props }): InstanceGroup | undefined {
    const { props, name } = resource;
    switch (resource.type) {
        case "aws:ec2/instance:Instance":
            return { label: name, maximum: 1, types: [props.instanceType].filter(Boolean) };
        case "aws:autoscaling/group:Group":
            return { label: name, maximum: Number(props.maxSize ?? 0), types: [] };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { label: name, maximum: 0, types: [props.instanceType].filter(Boolean) };
        case "aws:eks/nodeGroup:NodeGroup":
            return { label: name, maximum: Number(props.scalingConfig?.maxSize ?? 0), types: props.instanceTypes ?? [] };
        case "eks:index:Cluster":
            // The remote component hides its default node group: judge it by the component's inputs.
            return props.skipDefaultNodeGroup
                ? undefined
                : { label: `${name} (default node group)`, maximum: Number(props.maxSize ?? 2), types: [props.instanceType ?? "t3.medium"] };
        case "gcp:container/nodePool:NodePool": {
            const perZone = props.autoscaling
                ? Number(props.autoscaling.maxNodeCount ?? props.autoscaling.totalMaxNodeCount ?? 0)
                : Number(props.nodeCount ?? props.initialNodeCount ?? 0);
            const location = String(props.location ?? "");
            const zones = props.nodeLocations?.length ?? (/-[a-z]$/.test(location) || location === "" ? 1 : 3);
            const accelerators = (props.nodeConfig?.guestAccelerators ?? []).map((a: Props) => String(a.type));
            return {
                label: name,
                maximum: perZone * zones,
                types: [props.nodeConfig?.machineType ?? "e2-medium", ...accelerators.map((a: string) => `${a} (accelerator)`)],
            };
        }
        default:
            return undefined;
    }
}

export const instanceLimits: StackValidationPolicy = {
    name: "course-instance-limits",
    description:
        "Keeps the whole stack within an instance budget (the classic EC2 quota is 20), each group within a per-group limit, and instance types to an allowed list, GPUs only when allowed.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxInstances: { type: "integer", default: 20, description: "Most instances the whole stack may run, every group at its maximum." },
            maxPerGroup: { type: "integer", default: 20, description: "Most instances one group or node pool may run." },
            allowedInstanceTypes: {
                type: "array",
                items: { type: "string" },
                default: DEFAULT_ALLOWED_TYPES,
                description: "Allowed instance and machine types; * matches anything.",
            },
            allowGpu: { type: "boolean", default: false, description: "Allow GPU instance types and accelerators for this stack." },
        },
    },
    validateStack: (args, reportViolation: ReportViolation) => {
        const config = settings<{ maxInstances: number; maxPerGroup: number; allowedInstanceTypes: string[]; allowGpu: boolean }>(
            instanceLimits,
            args.getConfig(),
        );
        let total = 0;
        const counted: string[] = [];
        for (const resource of args.resources) {
            const group = instanceGroupOf(resource);
            if (!group) {
                continue;
            }
            if (group.maximum > config.maxPerGroup) {
                reportViolation(`"${group.label}" may run ${group.maximum} instances, more than the per-group limit of ${config.maxPerGroup}.`, resource.urn);
            }
            if (group.maximum > 0) {
                total += group.maximum;
                counted.push(`${group.label} ${group.maximum}`);
            }
            for (const type of group.types) {
                const bare = type.replace(/ \(accelerator\)$/, "");
                if (isGpuType(bare) || type.endsWith("(accelerator)")) {
                    if (!config.allowGpu) {
                        reportViolation(
                            `"${group.label}" uses the GPU type ${bare}; set allowGpu: true in this policy's config to allow GPUs for this stack.`,
                            resource.urn,
                        );
                    }
                    continue;
                }
                if (!config.allowedInstanceTypes.some((pattern) => matches(pattern, bare))) {
                    reportViolation(`"${group.label}" uses the instance type ${bare}, which is not in allowedInstanceTypes.`, resource.urn);
                }
            }
        }
        if (total > config.maxInstances) {
            reportViolation(
                `The stack may run ${total} instances (${counted.join(", ")}), more than the limit of ${config.maxInstances}; lower the groups' maxima or raise maxInstances.`,
            );
        }
    },
};

// ---- required tags -----------------------------------------------------------------------------

/** Tags a provider adds to every resource (`defaultTags`, given as JSON or as an object). */
function providerDefaultTags(provider: { props: Props } | undefined): Record<string, string> {
    const defaultTags = documentOf(provider?.props?.defaultTags);
    return defaultTags?.tags ?? {};
}

export const requiredTags: ResourceValidationPolicy = {
    name: "course-required-tags",
    description:
        "Every taggable AWS resource carries the course tags (provider default tags count) and Auto Scaling groups pass them to instances; every labelable GCP resource carries them as legal labels; Kubernetes namespaces carry the course label.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            keys: { type: "array", items: { type: "string" }, default: DEFAULT_TAG_KEYS, description: "Tag and label keys every resource must carry." },
        },
    },
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const { keys } = settings<{ keys: string[] }>(requiredTags, args.getConfig());
        const missing = (present: Record<string, unknown>) => keys.filter((key) => present[key] === undefined || present[key] === "");
        if (args.type === "aws:autoscaling/group:Group") {
            const entries: Props[] = args.props.tags ?? [];
            const propagated = Object.fromEntries(entries.filter((t) => t.propagateAtLaunch).map((t) => [t.key, t.value]));
            const absent = missing({ ...providerDefaultTags(args.provider), ...propagated });
            if (absent.length > 0) {
                reportViolation(`The group's instances would lack the tags ${absent.join(", ")}: add them to tags with propagateAtLaunch: true.`);
            }
            return;
        }
        if ((args.type.startsWith("aws:") && !UNTAGGABLE_AWS_TYPES.has(args.type)) || args.type === "eks:index:Cluster") {
            const absent = missing({ ...providerDefaultTags(args.provider), ...(args.props.tags ?? {}) });
            if (absent.length > 0) {
                reportViolation(`Missing the tags ${absent.join(", ")}: add them to tags, or to the provider's defaultTags.`);
            }
            return;
        }
        const labelPath = GCP_LABEL_PATHS[args.type];
        if (labelPath) {
            const labels: Record<string, string> = at(args.props, labelPath) ?? {};
            const absent = missing(labels);
            if (absent.length > 0) {
                reportViolation(`Missing the labels ${absent.join(", ")} (at ${labelPath.join(".")}).`);
            }
            const illegal = Object.entries(labels).filter(([, value]) => !LEGAL_LABEL_VALUE.test(String(value)));
            if (illegal.length > 0) {
                reportViolation(`Label values must be lowercase letters, digits, _ and -, at most 63: ${illegal.map(([k, v]) => `${k}=${v}`).join(", ")}.`);
            }
            return;
        }
        if (args.type === "kubernetes:core/v1:Namespace" && !args.props.metadata?.labels?.[keys[0]]) {
            reportViolation(`The namespace lacks the ${keys[0]} label.`);
        }
    },
};

// ---- secure defaults ---------------------------------------------------------------------------

interface IngressRule {
    fromPort: number;
    toPort: number;
    protocol: string;
    sources: string[];
}

/** Ingress rules of the resource that admit traffic, normalized across the rule resource types. */
function ingressRules(type: string, props: Props): IngressRule[] {
    const rule = (r: Props, sources: string[]): IngressRule => ({
        fromPort: Number(r.fromPort ?? 0),
        toPort: Number(r.toPort ?? 65535),
        protocol: String(r.protocol ?? r.ipProtocol ?? "-1"),
        sources,
    });
    switch (type) {
        case "aws:ec2/securityGroup:SecurityGroup":
            return (props.ingress ?? []).map((r: Props) => rule(r, [...(r.cidrBlocks ?? []), ...(r.ipv6CidrBlocks ?? [])]));
        case "aws:ec2/securityGroupRule:SecurityGroupRule":
            return props.type === "ingress" ? [rule(props, [...(props.cidrBlocks ?? []), ...(props.ipv6CidrBlocks ?? [])])] : [];
        case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
            return [rule(props, [props.cidrIpv4, props.cidrIpv6].filter(Boolean))];
        case "gcp:compute/firewall:Firewall":
            if ((props.direction ?? "INGRESS") !== "INGRESS") {
                return [];
            }
            return (props.allows ?? []).flatMap((allow: Props) => (allow.ports?.length ? allow.ports : ["0-65535"]).map((ports: string) => {
                const [from, to] = String(ports).split("-").map(Number);
                return { fromPort: from, toPort: to ?? from, protocol: String(allow.protocol), sources: props.sourceRanges ?? [] };
            }));
        default:
            return [];
    }
}

const isWorld = (cidr: string) => cidr === "0.0.0.0/0" || cidr === "::/0";

export const noOpenAdminPorts: ResourceValidationPolicy = {
    name: "no-open-admin-ports",
    description:
        "No ingress from 0.0.0.0/0 or ::/0 to SSH, RDP or the Docker API: administration goes through SSM Session Manager or kubectl, never an open port.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: (args, reportViolation) => {
        for (const rule of ingressRules(args.type, args.props)) {
            const world = rule.sources.filter(isWorld);
            if (world.length === 0 || rule.protocol === "udp" || rule.protocol === "icmp") {
                continue;
            }
            const allPorts = rule.protocol === "-1" || rule.protocol === "all";
            for (const [port, service] of Object.entries(ADMIN_PORTS)) {
                if (allPorts || (rule.fromPort <= Number(port) && Number(port) <= rule.toPort)) {
                    reportViolation(`Port ${port} (${service}) is open to ${world.join(" and ")}.`);
                }
            }
        }
    },
};

/** Why a GKE cluster's Kubernetes API admits more than the networks it names. */
function gkeApiExposures(props: Props): string[] {
    const authorized = props.masterAuthorizedNetworksConfig;
    if (!authorized) {
        return ["The Kubernetes API is open to every address: set masterAuthorizedNetworksConfig with the campus and VPN ranges."];
    }
    const exposures: string[] = [];
    const world = (authorized.cidrBlocks ?? []).map((block: Props) => String(block.cidrBlock)).filter(isWorld);
    if (world.length > 0) {
        exposures.push(`masterAuthorizedNetworksConfig admits ${world.join(" and ")}: name the campus and VPN ranges instead.`);
    }
    if (authorized.gcpPublicCidrsAccessEnabled !== false) {
        exposures.push(
            "masterAuthorizedNetworksConfig also admits the public address of every Compute Engine VM, any Google Cloud customer's: set gcpPublicCidrsAccessEnabled to false.",
        );
    }
    return exposures;
}

/**
 * Where each EKS cluster type keeps its API endpoint settings: the pulumi-eks component takes them
 * as its own inputs, the AWS provider's cluster in vpcConfig.
 */
const EKS_ENDPOINT_PATHS: Readonly<Record<string, string[]>> = {
    "eks:index:Cluster": [],
    "aws:eks/cluster:Cluster": ["vpcConfig"],
};

/** Why an EKS cluster's public API endpoint admits more than the networks it names. */
function eksApiExposures(props: Props, endpointPath: string[]): string[] {
    const endpoint: Props = at(props, endpointPath) ?? {};
    const key = (name: string) => [...endpointPath, name].join(".");
    // EKS enables the public endpoint unless told not to.
    if (endpoint.endpointPublicAccess === false) {
        return [];
    }
    const cidrs: string[] = (endpoint.publicAccessCidrs ?? []).map(String);
    if (cidrs.length === 0) {
        return [
            `The Kubernetes API is open to every address: without ${key("publicAccessCidrs")}, EKS admits 0.0.0.0/0 (and ::/0 on IPv6 clusters); `
            + `list the campus and VPN ranges there, or set ${key("endpointPublicAccess")} to false.`,
        ];
    }
    const world = cidrs.filter(isWorld);
    return world.length > 0 ? [`${key("publicAccessCidrs")} admits ${world.join(" and ")}: name the campus and VPN ranges instead.`] : [];
}

export const kubernetesApiRestricted: ResourceValidationPolicy = {
    name: "kubernetes-api-restricted",
    description:
        "GKE and EKS clusters admit to the Kubernetes API only the networks they name: none open to the world, and on GKE not Google Cloud's public addresses.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: (args, reportViolation) => {
        const eksEndpointPath = EKS_ENDPOINT_PATHS[args.type];
        const exposures = args.type === "gcp:container/cluster:Cluster"
            ? gkeApiExposures(args.props)
            : eksEndpointPath ? eksApiExposures(args.props, eksEndpointPath) : [];
        exposures.forEach((exposure) => reportViolation(exposure));
    },
};

export const encryptedStorage: ResourceValidationPolicy = {
    name: "encrypted-storage",
    description: "Disks, volumes and file systems are encrypted at rest, including volumes Kubernetes creates through an EBS StorageClass.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: (args, reportViolation) => {
        const props = args.props;
        const isTrue = (value: unknown) => value === true || value === "true";
        switch (args.type) {
            case "aws:ec2/instance:Instance":
                if (!isTrue(props.rootBlockDevice?.encrypted)) {
                    reportViolation("The root disk is not encrypted: set rootBlockDevice.encrypted to true.");
                }
                for (const device of props.ebsBlockDevices ?? []) {
                    if (!isTrue(device.encrypted)) {
                        reportViolation(`The disk ${device.deviceName} is not encrypted.`);
                    }
                }
                break;
            case "aws:ec2/launchTemplate:LaunchTemplate":
                for (const mapping of props.blockDeviceMappings ?? []) {
                    if (mapping.ebs && !isTrue(mapping.ebs.encrypted)) {
                        reportViolation(`The disk ${mapping.deviceName} of this launch template is not encrypted.`);
                    }
                }
                break;
            case "aws:ebs/volume:Volume":
            case "aws:efs/fileSystem:FileSystem":
                if (!isTrue(props.encrypted)) {
                    reportViolation("Not encrypted at rest: set encrypted to true.");
                }
                break;
            case "kubernetes:storage.k8s.io/v1:StorageClass":
                if (props.provisioner === "ebs.csi.aws.com" && !isTrue(props.parameters?.encrypted)) {
                    reportViolation("EBS volumes of this StorageClass are not encrypted: set parameters.encrypted to \"true\".");
                }
                break;
        }
    },
};

/** The account's AWS-managed SSM key, by alias or alias ARN. */
const AWS_MANAGED_SSM_KEY = /^(arn:aws[a-z-]*:kms:[^:]*:\d*:)?alias\/aws\/ssm$/;

export const ssmSecretsUseCustomerKeys: ResourceValidationPolicy = {
    name: "ssm-secrets-use-customer-keys",
    description:
        "SSM SecureString parameters are encrypted with a customer-managed KMS key, whose policy says who may decrypt, not with the account's aws/ssm key.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ssm/parameter:Parameter" || args.props.type !== "SecureString") {
            return;
        }
        let keyId: unknown;
        try {
            keyId = args.props.keyId;
        } catch (err) {
            // Unknown in a preview: the id of a key this stack creates, so not aws/ssm. The update,
            // where it is known, checks it again.
            if (isUnknownDuringPreview(err)) {
                return;
            }
            throw err;
        }
        if (keyId === undefined || keyId === null || keyId === "" || AWS_MANAGED_SSM_KEY.test(String(keyId))) {
            const given = keyId ? `keyId ${keyId}` : "No keyId";
            reportViolation(`${given}: the SecureString is encrypted with the account's aws/ssm key, which any principal of the account allowed to read `
                + "the parameter can use; set keyId to a customer-managed KMS key.");
        }
    },
};

export const imdsv2Required: ResourceValidationPolicy = {
    name: "imdsv2-required",
    description: "Instances and launch templates require IMDSv2 session tokens, which stop SSRF-style theft of instance credentials.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: (args, reportViolation) => {
        if ((args.type === "aws:ec2/instance:Instance" || args.type === "aws:ec2/launchTemplate:LaunchTemplate")
            && args.props.metadataOptions?.httpTokens !== "required") {
            reportViolation("IMDSv2 is not required: set metadataOptions.httpTokens to \"required\".");
        }
    },
};

/** Every action named in an IAM policy document. */
function documentActions(document: any): string[] {
    const statements = document?.Statement === undefined ? [] : [].concat(document.Statement);
    return statements.flatMap((s: any) => [].concat(s.Action ?? [], s.NotAction ?? []).map(String));
}

export const noWildcardIamActions: ResourceValidationPolicy = {
    name: "no-wildcard-iam-actions",
    description: "IAM policies name their actions: no `*` and no `service:*`, so every role holds only what it needs.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: (args, reportViolation) => {
        const documents: unknown[] = [];
        const policyTypes = ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"];
        if (policyTypes.includes(args.type)) {
            documents.push(args.props.policy);
        }
        if (args.type === "aws:iam/role:Role") {
            documents.push(args.props.assumeRolePolicy, ...(args.props.inlinePolicies ?? []).map((p: Props) => p.policy));
        }
        const wildcards = documents.flatMap((d) => documentActions(documentOf(d))).filter((action) => action.includes("*"));
        if (wildcards.length > 0) {
            reportViolation(`The policy grants wildcard actions ${[...new Set(wildcards)].join(", ")}: name each action.`);
        }
    },
};

/** The `proxy.https.type` values with which the z2jh 4.4.0 chart serves HTTPS; with any other it serves plain HTTP only. */
const Z2JH_HTTPS_TYPES = ["letsencrypt", "manual", "secret", "offload"];

/** Why a z2jh proxy serves no HTTPS, or undefined when it does. Absent values take the chart's defaults. */
function proxyHttpsGap(https: Props): string | undefined {
    const type = https.type ?? "letsencrypt";
    if (https.enabled !== true) {
        return "proxy.https is not enabled";
    }
    if (!Z2JH_HTTPS_TYPES.includes(type)) {
        return `proxy.https.type "${type}" is none of ${Z2JH_HTTPS_TYPES.join(", ")}`;
    }
    if (type === "letsencrypt" && (https.hosts ?? []).length === 0) {
        return "letsencrypt has no proxy.https.hosts";
    }
    return undefined;
}

/** Every way a z2jh release lets plain HTTP reach the hub from outside the cluster. */
function plainHttpExposures(values: Props): string[] {
    const exposures: string[] = [];
    const gap = proxyHttpsGap(values.proxy?.https ?? {});
    const ingressTls = values.ingress?.enabled === true && (values.ingress.tls ?? []).length > 0;
    const proxyService = values.proxy?.service ?? {};
    const proxyServiceType = proxyService.type ?? "LoadBalancer";
    if (gap !== undefined && !ingressTls) {
        exposures.push(`The hub would be served over plain HTTP (${gap}): enable proxy.https (letsencrypt, secret or offload) or an ingress with tls.`);
    } else if (gap !== undefined && proxyServiceType !== "ClusterIP") {
        exposures.push(`Beside the ingress, the proxy's own ${proxyServiceType} Service serves the hub over plain HTTP: set proxy.service.type to ClusterIP.`);
    }
    // Port 80 leads to the proxy's plain port: with letsencrypt Traefik and with secret CHP only
    // redirect there, but behind offload that port serves the hub itself.
    if (gap === undefined && values.proxy.https.type === "offload" && proxyService.disableHttpPort !== true) {
        exposures.push("With TLS offload, port 80 of the proxy's Service reaches the hub over plain HTTP: set proxy.service.disableHttpPort to true.");
    }
    const hubServiceType = values.hub?.service?.type ?? "ClusterIP";
    if (hubServiceType !== "ClusterIP") {
        exposures.push(`hub.service.type ${hubServiceType} exposes the hub's own port 8081 over plain HTTP, around the proxy: keep it ClusterIP.`);
    }
    return exposures;
}

export const hubsUseHttps: ResourceValidationPolicy = {
    name: "hubs-use-https",
    description:
        "Hubs are served over HTTPS only: z2jh autohttps, a TLS secret or load balancer offload with port 80 closed, an ingress with TLS, or the EC2 hub's own certificate.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: (args, reportViolation) => {
        const values = jupyterhubValues(args);
        if (values) {
            plainHttpExposures(values).forEach((exposure) => reportViolation(exposure));
            return;
        }
        const userData = hubUserData(args);
        if (userData !== undefined && !userData.includes("/etc/course-hub/Caddyfile")) {
            reportViolation("The EC2 hub has no HTTPS proxy in its user-data.");
        }
    },
};

export const noInsecureAuthenticators: ResourceValidationPolicy = {
    name: "no-insecure-authenticators",
    description: "No shared-password, dummy or anonymous authenticator, unless this stack's policy config allows it (a workshop, knowingly).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowInsecureAuthenticators: { type: "boolean", default: false, description: "Allow a shared-password or dummy login for this stack." },
        },
    },
    validateResource: (args, reportViolation) => {
        if (settings<{ allowInsecureAuthenticators: boolean }>(noInsecureAuthenticators, args.getConfig()).allowInsecureAuthenticators) {
            return;
        }
        const values = jupyterhubValues(args);
        const userData = hubUserData(args);
        const authenticator = values
            ? values.hub?.config?.JupyterHub?.authenticator_class
            : userData !== undefined ? /c\.JupyterHub\.authenticator_class = "([^"]+)"/.exec(userData)?.[1] : undefined;
        if (authenticator !== undefined && INSECURE_AUTHENTICATORS.has(String(authenticator))) {
            reportViolation(
                `The hub logs people in with ${authenticator}: use GitHub, OIDC or LDAP, or set allowInsecureAuthenticators: true in this policy's config for this stack.`,
            );
        }
    },
};

export const noStaticCloudCredentials: ResourceValidationPolicy = {
    name: "no-static-cloud-credentials",
    description: "No static cloud keys in notebooks' environment: cloud access goes through workload identity (IRSA, GKE Workload Identity).",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: (args, reportViolation) => {
        const values = jupyterhubValues(args);
        const userData = hubUserData(args);
        let names: string[] = [];
        if (values) {
            const environments = [
                values.singleuser?.extraEnv,
                ...profileOverrides(values.singleuser ?? {}).map((entry) => entry.override.environment),
            ];
            names = environments.flatMap((env) => (env && typeof env === "object" ? Object.keys(env) : []));
        } else if (userData !== undefined) {
            names = CREDENTIAL_VARIABLES.filter((name) => new RegExp(`Spawner\\.environment = \\{[^\\n]*"${name}"`).test(userData));
        }
        const found = names.filter((name) => CREDENTIAL_VARIABLES.includes(name));
        if (found.length > 0) {
            reportViolation(`Notebooks would get static cloud credentials (${found.join(", ")}): use a notebook identity instead.`);
        }
    },
};

export const noPrivilegedNotebooks: ResourceValidationPolicy = {
    name: "no-privileged-notebooks",
    description: "Notebook containers run unprivileged: no privileged mode, no privilege escalation, not as root, no host namespaces.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: (args, reportViolation) => {
        const values = jupyterhubValues(args);
        if (values) {
            const singleuser = values.singleuser ?? {};
            const problems: string[] = [];
            if (singleuser.allowPrivilegeEscalation === true) problems.push("singleuser.allowPrivilegeEscalation is true");
            if (singleuser.uid === 0) problems.push("singleuser.uid is 0 (root)");
            if (values.hub?.config?.KubeSpawner?.privileged === true) problems.push("KubeSpawner.privileged is true");
            for (const key of ["hostNetwork", "hostPID", "hostIPC"]) {
                if (singleuser.extraPodConfig?.[key] === true) problems.push(`singleuser.extraPodConfig.${key} is true`);
            }
            (singleuser.extraContainers ?? []).forEach((c: Props) => {
                if (c.securityContext?.privileged === true) problems.push(`the sidecar ${c.name} is privileged`);
            });
            profileOverrides(singleuser).forEach((entry) => {
                if (entry.override.privileged === true) problems.push(`${entry.at} is privileged`);
            });
            if (problems.length > 0) {
                reportViolation(`Notebooks would run privileged: ${problems.join("; ")}.`);
            }
            return;
        }
        const userData = hubUserData(args);
        if (userData !== undefined && /["']privileged["']\s*:\s*True/.test(userData)) {
            reportViolation("Notebooks would run privileged: DockerSpawner's host config sets privileged.");
        }
    },
};

/** Every policy of the pack. */
export const policies = [
    instanceLimits,
    requiredTags,
    noOpenAdminPorts,
    kubernetesApiRestricted,
    encryptedStorage,
    ssmSecretsUseCustomerKeys,
    imdsv2Required,
    noWildcardIamActions,
    hubsUseHttps,
    noInsecureAuthenticators,
    noStaticCloudCredentials,
    noPrivilegedNotebooks,
];

/** The pack's own enforcement level; each policy's config can change it. */
export const PACK_ENFORCEMENT: EnforcementLevel = "mandatory";

export type { PolicyResource };
