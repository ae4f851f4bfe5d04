/* eslint-disable @typescript-eslint/no-explicit-any -- the recorded inputs are whatever a program registered (untyped by
   nature), and the registration requests come from Pulumi's runtime internals, which have no public types. */
/*
 * The recording mock engine that the offline plan runs a stack program under, and that the tests
 * run components under. Pulumi's mocks are process-global, so there is one engine per process,
 * installed once. It records every registered resource with what the Mocks API alone does not
 * show (the parent's URN, the dependencies, protect and retainOnDelete), read from the
 * registration request itself, and answers with what a cloud would compute, made deterministic.
 */
import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** Pulumi's marker for a secret value in serialized properties. */
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    /** The id the engine gave it (`<name>-id`), or the id a read asked for. */
    id: string;
    /** URN of the parent, empty for the stack's direct children. */
    parentUrn: string;
    /** URNs this resource depends on (explicit `dependsOn` and inputs from other resources). */
    dependencies: string[];
    custom: boolean;
    /** Reference to the explicit provider (`<provider urn>::<id>`), if any. */
    provider: string;
    /** A read of an existing resource (`Resource.get`), not a registration. */
    read: boolean;
    /** The `retainOnDelete` option: destroy leaves the cloud resource in place. */
    retainOnDelete: boolean;
    /** The `protect` option: destroy refuses to delete the resource. */
    protect: boolean;
    /** Inputs as the engine received them: secrets still wrapped in their envelopes. */
    inputs: any;
}

export const recorded: RecordedResource[] = [];
let inFlight = 0;
let currentRequest: any;

let installed = false;

/**
 * Makes every resource a program registers from now on be recorded, not created. `project` and
 * `stack` are what `pulumi.getProject()`/`getStack()` answer and what URNs carry.
 */
export function installRecordingEngine(project: string, stack: string): void {
    if (installed) {
        throw new Error("the recording engine is already installed in this process (Pulumi's mocks are process-global)");
    }
    installed = true;
    pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                const read = args.id !== undefined && args.id !== "";
                const req = currentRequest;
                const id = read ? args.id! : `${args.name}-id`;
                recorded.push({
                    type: args.type,
                    name: args.name,
                    urn: "",
                    id,
                    parentUrn: req?.getParent() ?? "",
                    dependencies: req?.getDependenciesList?.() ?? [],
                    custom: Boolean(args.custom),
                    provider: args.provider ?? "",
                    read,
                    retainOnDelete: Boolean(req?.getRetainondelete?.()),
                    protect: Boolean(req?.getProtect?.()),
                    inputs: args.inputs,
                });
                return { id, state: { ...args.inputs, ...computedOutputs(args) } };
            },
            call(args: pulumi.runtime.MockCallArgs) {
                return { ...args.inputs, ...INVOKE_RESULTS[args.token] };
            },
        },
        project,
        stack,
        false,
    );
    recordRegistrationRequests();
}

/** What the cloud would answer to the look-ups the components make. */
export const INVOKE_RESULTS: Record<string, Record<string, unknown>> = {
    "aws:index/getRegion:getRegion": { name: "us-east-1", region: "us-east-1" },
    "aws:index/getAvailabilityZones:getAvailabilityZones": { names: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"] },
    "aws:eks/getCluster:getCluster": { endpoint: "https://ABCDEF.gr7.us-east-1.eks.amazonaws.com", certificateAuthorities: [{ data: "LS0tLS1CRUdJTi1DQS0tLS0t" }] },
    // The deployer works in a role session, as with SSO or CI; getSessionContext names the role.
    "aws:index/getCallerIdentity:getCallerIdentity": { accountId: "123456789012", arn: "arn:aws:sts::123456789012:assumed-role/course-it-deployer/pulumi" },
    "aws:iam/getSessionContext:getSessionContext": { issuerArn: "arn:aws:iam::123456789012:role/course-it-deployer" },
    "aws:ssm/getParameter:getParameter": { value: "ami-0123456789abcdef0" },
    "gcp:organizations/getClientConfig:getClientConfig": { project: "course-hubs-test", region: "us-central1" },
};

/**
 * What every StackReference answers: a department cluster stack's outputs, as a course stack on
 * it reads them. Assumed, not read: the plan says so for each reference.
 */
export const STAND_IN_STACK_OUTPUTS: Readonly<Record<string, string>> = {
    kubeconfig: "apiVersion: v1\nkind: Config\n",
    ingressClassName: "traefik",
    clusterIssuer: "letsencrypt-production",
};

/** Outputs a real provider would compute, made deterministic so tests can look for them. */
function computedOutputs(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
    switch (args.type) {
        case "random:index/randomBytes:RandomBytes": {
            const bytes = crypto.createHash("sha256").update(`random:${args.name}`).digest();
            return { hex: bytes.toString("hex"), base64: bytes.toString("base64") };
        }
        case "eks:index:Cluster":
            return {
                oidcProviderArn: `arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/${args.name.toUpperCase()}`,
                oidcProviderUrl: `https://oidc.eks.us-east-1.amazonaws.com/id/${args.name.toUpperCase()}`,
                // pulumi-eks 4 gives its own control-plane group, unless skipDefaultSecurityGroups: then the
                // group EKS creates for the cluster, which managed nodes get.
                clusterSecurityGroupId: args.inputs.skipDefaultSecurityGroups ? `sg-${args.name}` : `sg-${args.name}-eksClusterSecurityGroup`,
            };
        case "aws:efs/fileSystem:FileSystem":
            return { arn: `arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/${args.name}-id` };
        case "aws:s3/bucket:Bucket":
            return { arn: `arn:aws:s3:::${args.inputs.bucket ?? args.name}` };
        case "aws:kms/key:Key":
            return { arn: `arn:aws:kms:us-east-1:123456789012:key/${args.name}`, keyId: args.name };
        case "aws:eks/nodeGroup:NodeGroup":
            return { resources: [{ autoscalingGroups: [{ name: `eks-${args.name}-asg` }] }] };
        case "aws:ssm/parameter:Parameter":
        case "aws:iam/instanceProfile:InstanceProfile":
            return { name: args.inputs.name ?? args.name, arn: `arn:aws:iam::123456789012:instance-profile/${args.name}` };
        case "aws:autoscaling/group:Group":
            return { name: args.inputs.name };
        case "aws:iam/role:Role":
            return { arn: `arn:aws:iam::123456789012:role/${args.name}`, name: args.name };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { latestVersion: 1 };
        case "aws:ec2/eip:Eip":
            return { allocationId: `eipalloc-${args.name}`, publicIp: mockElasticIp(args.name) };
        case "gcp:compute/address:Address":
            return { address: MOCK_GCP_ADDRESS };
        case "gcp:container/cluster:Cluster":
            return { endpoint: "34.118.0.10", masterAuth: { clusterCaCertificate: "R0tFLUNB" } };
        case "gcp:serviceaccount/account:Account":
            return {
                email: `${args.inputs.accountId}@course-hubs-test.iam.gserviceaccount.com`,
                name: `projects/course-hubs-test/serviceAccounts/${args.inputs.accountId}`,
            };
        case "gcp:compute/network:Network":
            return { name: args.name };
        case "kubernetes:core/v1:Service": {
            // The API server gives a ClusterIP Service its address (the NFS volume of shared homes names it).
            const octets = crypto.createHash("sha256").update(`service:${args.name}`).digest();
            return args.inputs.spec?.type === "ClusterIP"
                ? { spec: { ...args.inputs.spec, clusterIP: `10.100.${octets[0]}.${octets[1] % 254 + 1}` } }
                : {};
        }
        case "kubernetes:core/v1:Secret":
            // The token controller fills a service account token Secret, and the provider waits for it.
            return args.inputs.type === "kubernetes.io/service-account-token"
                ? { data: { token: Buffer.from(mockServiceAccountToken(args.name)).toString("base64") } }
                : {};
        case "pulumi:pulumi:StackReference":
            return { outputs: { ...STAND_IN_STACK_OUTPUTS }, secretOutputNames: [] };
        default:
            return {};
    }
}

/**
 * The mock monitor hands `newResource` only the name, type and inputs; wrapping its
 * registerResource and readResource lets `newResource` read the request (parent, dependencies,
 * options) and lets `settled` know when every request has been answered.
 */
function recordRegistrationRequests(): void {
    const monitor: any = pulumi.runtime.getMonitor();
    for (const method of ["registerResource", "readResource"]) {
        const original = monitor[method].bind(monitor);
        monitor[method] = (req: any, callback: (err: any, resp: any) => void) => {
            inFlight++;
            currentRequest = req;
            const entryIndex = recorded.length;
            original(req, (err: any, resp: any) => {
                currentRequest = undefined;
                const entry = recorded[entryIndex];
                if (entry && resp) {
                    entry.urn = resp.getUrn();
                }
                inFlight--;
                callback(err, resp);
            });
        };
    }
}

/** Forgets what earlier tests registered. */
export function resetRecording(): void {
    recorded.length = 0;
}

/** Waits until every registration the program started has been answered. */
export async function settled(): Promise<RecordedResource[]> {
    let quietTurns = 0;
    while (quietTurns < 20) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        quietTurns = inFlight === 0 ? quietTurns + 1 : 0;
    }
    return recorded;
}

/** Whether a recorded input value is wrapped as a Pulumi secret. */
export function isSecret(value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIGNATURE;
}

/** The value with every secret envelope removed (what the provider would receive). */
export function unwrapSecrets(value: any): any {
    if (isSecret(value)) {
        return unwrapSecrets(value.value);
    }
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

/**
 * Paths (`type::name.inputs.path`) where `needle` appears in a recorded input outside a secret
 * envelope: each one is a secret that would be stored or sent in plaintext.
 */
export function plaintextOccurrences(needle: string, resources: RecordedResource[] = recorded): string[] {
    const found: string[] = [];
    const walk = (value: any, path: string) => {
        if (isSecret(value)) {
            return;
        }
        if (typeof value === "string") {
            if (value.includes(needle)) {
                found.push(path);
            }
        } else if (typeof value === "object" && value !== null) {
            for (const [key, item] of Object.entries(value)) {
                walk(item, `${path}.${key}`);
            }
        }
    };
    for (const resource of resources) {
        walk(resource.inputs, `${resource.type}::${resource.name}`);
    }
    return found;
}

/** The mock hex value a RandomBytes resource of this name produces. */
export function mockRandomHex(resourceName: string): string {
    return crypto.createHash("sha256").update(`random:${resourceName}`).digest().toString("hex");
}

/** The address the mock gives every reserved Google Cloud address. */
export const MOCK_GCP_ADDRESS = "203.0.113.10";

/** The public address the mock gives an Elastic IP of this name. */
export function mockElasticIp(resourceName: string): string {
    return `198.51.100.${resourceName.length}`;
}

/** The token the mock's token controller puts in a service account token Secret of this name. */
export function mockServiceAccountToken(resourceName: string): string {
    return `service-account-token-of-${resourceName}`;
}

/** The URN part of a recorded provider reference (`<urn>::<id>`). */
export function providerUrn(reference: string): string {
    return reference.slice(0, reference.lastIndexOf("::"));
}
