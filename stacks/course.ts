import * as pulumi from "@pulumi/pulumi";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import {
    AuthSpec, EC2AutoscaleHub, EC2AutoscaleHubArgs, EksHub, EksHubArgs, GkeHub, GkeHubArgs, HubSpec, JupyterHub, JupyterHubPlatformArgs,
    Problem, platformProblems, validateEc2HubArgs, validateEksHubArgs, validateGkeHubArgs, validateHubSpec,
} from "../components";
import { withStackLocation } from "../components/gcp/gke-hub";

/*
 * The course-hubs Pulumi program: each stack is a course. Its config (stacks/Pulumi.<stack>.yaml)
 * names the platform, the HubSpec and the platform's options; secrets come from
 * `pulumi config set --secret`. Every problem is reported at once, by the config key a person
 * types, before anything is created.
 */

export const NAMESPACE = "course-hubs";
export const PLATFORMS = ["eks", "gke", "ec2", "kubernetes"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Secret config keys, by the login type that needs them. */
export const SECRET_KEYS = {
    authClientSecret: "authClientSecret",
    ldapBindPassword: "ldapBindPassword",
    sharedPassword: "sharedPassword",
    kubeconfig: "kubeconfig",
} as const;

/** An existing cluster: its kubeconfig (secret config), or a department cluster stack's outputs. */
export interface KubernetesTarget {
    /**
     * A department's cluster stack (`organization/course-hubs/dept-stats-cluster`, or just the
     * stack name with a local backend). Its outputs give the kubeconfig and, for
     * `https.mode: "ingress"`, the shared ingress class and certificate issuer.
     */
    clusterStack?: string;
    /** What the cluster offers (storage classes, node labels, GPUs). @default an unlabelled cluster */
    platform?: Omit<JupyterHubPlatformArgs, "ingress">;
}

/**
 * Problems of a platform's arguments under the config keys a person types: the spec's are under
 * `course-hubs:hub`, the platform's options under `course-hubs:<platform>`.
 */
function atConfigKeys(platform: string, problems: Problem[]): Problem[] {
    return problems.map((p) => {
        const path = p.propertyPath.replace(/^args\.?/, "");
        const key = path === "spec" || path.startsWith("spec.") || path.startsWith("spec[")
            ? `hub${path.slice("spec".length)}`
            : `${platform}${path ? `.${path}` : ""}`;
        return { propertyPath: `${NAMESPACE}:${key}`, reason: p.reason };
    });
}

function failOnProblems(problems: Problem[]): void {
    if (problems.length > 0) {
        const stack = pulumi.getStack();
        const list = problems.map((p) => `  - ${p.propertyPath}: ${p.reason}`).join("\n");
        throw new pulumi.RunError(`Stack ${stack} has ${problems.length} configuration problem${problems.length === 1 ? "" : "s"}:\n${list}`);
    }
}

/** The secret config a login type needs, with the command that sets it when it is missing. */
function withSecrets(config: pulumi.Config, hub: Record<string, unknown>, problems: Problem[]): HubSpec {
    const auth = hub.auth as AuthSpec | undefined;
    const secret = (key: string) => {
        const value = config.getSecret(key);
        if (value === undefined) {
            const command = `pulumi config set --secret ${NAMESPACE}:${key} <value> --stack ${pulumi.getStack()}`;
            problems.push({
                propertyPath: `${NAMESPACE}:${key}`,
                reason: `is required by ${NAMESPACE}:hub.auth; set it with: ${command}`,
            });
            return pulumi.secret("missing");
        }
        return value;
    };
    // The config is untyped until validated; the spec's own validation reports what is wrong in it.
    const unchecked = hub as unknown as HubSpec;
    const specWith = (withSecret: unknown) => ({ ...hub, auth: withSecret }) as unknown as HubSpec;
    if (!auth || typeof auth !== "object") {
        return unchecked;
    }
    switch (auth.type) {
        case "github":
        case "oidc":
            return specWith({ ...auth, clientSecret: secret(SECRET_KEYS.authClientSecret) });
        case "ldap":
            return auth.lookupDn ? specWith({ ...auth, lookupDn: { ...auth.lookupDn, bindPassword: secret(SECRET_KEYS.ldapBindPassword) } }) : unchecked;
        case "sharedPassword":
            return specWith({ ...auth, password: secret(SECRET_KEYS.sharedPassword) });
        default:
            return unchecked;
    }
}

/** Reads and checks the stack's config, then creates the course on its platform. */
export function deployCourse(): Record<string, pulumi.Input<unknown>> {
    const config = new pulumi.Config(NAMESPACE);
    const problems: Problem[] = [];
    const platform = config.get("platform");
    if (!(PLATFORMS as readonly (string | undefined)[]).includes(platform)) {
        const got = platform === undefined ? "nothing" : `"${platform}"`;
        problems.push({
            propertyPath: `${NAMESPACE}:platform`,
            reason: `must be one of ${PLATFORMS.join(", ")}, got ${got}; set it with: pulumi config set ${NAMESPACE}:platform eks`,
        });
    }
    const hubConfig = config.getObject<Record<string, unknown>>("hub");
    if (hubConfig === undefined) {
        problems.push({ propertyPath: `${NAMESPACE}:hub`, reason: "is required: the course's HubSpec (course, term, owner, hostname, https, auth, ...)" });
        failOnProblems(problems);
    }
    const spec = withSecrets(config, hubConfig!, problems);
    const options = platform && platform !== "kubernetes" ? config.getObject<Record<string, unknown>>(platform) ?? {} : {};
    const args = { ...options, spec };
    switch (platform as Platform) {
        case "eks":
            problems.push(...atConfigKeys("eks", validateEksHubArgs(args)));
            failOnProblems(problems);
            return eksOutputs(new EksHub(spec.course, args as EksHubArgs));
        case "gke": {
            const located = withStackLocation(args as Record<string, unknown>);
            problems.push(...atConfigKeys("gke", validateGkeHubArgs(located)));
            failOnProblems(problems);
            return gkeOutputs(new GkeHub(spec.course, located as unknown as GkeHubArgs));
        }
        case "ec2":
            problems.push(...atConfigKeys("ec2", validateEc2HubArgs(args)));
            failOnProblems(problems);
            {
                const hub = new EC2AutoscaleHub(spec.course, args as EC2AutoscaleHubArgs);
                return {
                    url: hub.url,
                    publicIp: hub.publicIp,
                    workerGroup: hub.autoScalingGroupName,
                    fileSystemId: hub.fileSystemId,
                    next: "Point the hostname's A record at publicIp.",
                };
            }
        case "kubernetes": {
            const specProblems = validateHubSpec(spec, "spec");
            problems.push(...atConfigKeys("kubernetes", specProblems));
            return onExistingCluster(config, spec, problems, specProblems.length === 0);
        }
        default:
            problems.push(...atConfigKeys("hub", validateHubSpec(spec, "spec")));
            failOnProblems(problems);
            return {};
    }
}

function eksOutputs(hub: EksHub): Record<string, pulumi.Input<unknown>> {
    return {
        url: hub.url, clusterName: hub.clusterName, loadBalancer: hub.loadBalancerHostname, ingressIp: hub.ingressIp, kubeconfig: hub.kubeconfig,
        platform: hub.platform, ingressClassName: hub.ingress?.ingressClassName, clusterIssuer: hub.ingress?.clusterIssuer,
        next: "Point the hostname at loadBalancer (or ingressIp); kubectl: pulumi stack output kubeconfig --show-secrets > kubeconfig.json",
    };
}

function gkeOutputs(hub: GkeHub): Record<string, pulumi.Input<unknown>> {
    return {
        url: hub.url, clusterName: hub.clusterName, staticIp: hub.staticIp, kubeconfig: hub.kubeconfig,
        platform: hub.platform, ingressClassName: hub.ingress?.ingressClassName, clusterIssuer: hub.ingress?.clusterIssuer,
        next: "Point the hostname at staticIp (or the proxy's load balancer); kubectl: pulumi stack output kubeconfig --show-secrets > kubeconfig.json",
    };
}

/** A course on a cluster that exists: through a kubeconfig secret, or a department cluster stack. */
function onExistingCluster(config: pulumi.Config, spec: HubSpec, problems: Problem[], specValid: boolean): Record<string, pulumi.Input<unknown>> {
    const target = config.getObject<KubernetesTarget>("kubernetes") ?? {};
    // A department cluster stack supplies the kubeconfig; only without one is the secret needed.
    const kubeconfig = target.clusterStack ? undefined : config.getSecret(SECRET_KEYS.kubeconfig);
    if (specValid) {
        // Only a department cluster stack brings a shared ingress; the rest is what config says the cluster offers.
        problems.push(...atConfigKeys("kubernetes", platformProblems(spec, { ...target.platform, ingress: target.clusterStack ? {} : undefined }, "spec")));
    }
    if (!target.clusterStack && kubeconfig === undefined) {
        const command = `pulumi config set --secret ${NAMESPACE}:${SECRET_KEYS.kubeconfig} "$(cat kubeconfig)" --stack ${pulumi.getStack()}`;
        problems.push({
            propertyPath: `${NAMESPACE}:kubernetes.clusterStack`,
            reason: `name the department's cluster stack, or set the cluster's kubeconfig with: ${command}`,
        });
    }
    failOnProblems(problems);
    const cluster = target.clusterStack ? new pulumi.StackReference(target.clusterStack) : undefined;
    const provider = new KubernetesProvider(`${spec.course}-cluster`, {
        kubeconfig: cluster ? cluster.requireOutput("kubeconfig") as pulumi.Output<string> : kubeconfig!,
    });
    const ingress = cluster && spec.https?.mode === "ingress"
        ? {
            className: cluster.requireOutput("ingressClassName") as pulumi.Output<string>,
            clusterIssuer: cluster.requireOutput("clusterIssuer") as pulumi.Output<string>,
        }
        : undefined;
    const hub = new JupyterHub(spec.course, { spec, provider, platform: { ...target.platform, ingress } });
    return { url: hub.url, namespace: hub.namespace, next: "Point the hostname at the cluster's ingress or the proxy's load balancer." };
}
