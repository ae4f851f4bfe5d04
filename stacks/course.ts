import * as pulumi from "@pulumi/pulumi";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import {
    AuthSpec, CertificateHttps, ClusterGuard, EC2AutoscaleHub, EC2AutoscaleHubArgs, EksHub, EksHubArgs, GkeHub, GkeHubArgs, HubChartOptions, HubSpec,
    JupyterHub,
    JupyterHubPlatformArgs, PlatformCapabilities, Problem, clusterCapabilities, hubSpecProblems, validateEc2HubArgs, validateEksHubArgs,
    validateGkeHubArgs, validateHubSpec,
} from "../components";
import { withStackLocation } from "../components/gcp/gke-hub";
import { chartOptionProblems } from "../components/hub/chart-values";
import { namespaceProblems } from "../components/hub/jupyterhub";
import { hubAdditionsBeforeDeployment, operatorAdminProblems } from "../components/hub/platform";
import { DnsLabel } from "../components/shapes";
import { Z2jhValues, valuesBeforeDeployment } from "../components/hub/z2jh";
import { definitionProblems, isValidAt, mergeProblems } from "../components/schema";
import { validated, validatedArgs } from "../components/validated";
import { termProblems } from "../plan/lecture-hours";
import { BILLING_ACCOUNT_KEY } from "./config-keys";
import { problemList, suggestKey } from "../components/validation";

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
    sharedAdminPassword: "sharedAdminPassword",
    imagePullPassword: "imagePullPassword",
    tlsPrivateKey: "tlsPrivateKey",
    kubeconfig: "kubeconfig",
} as const;

/**
 * The key of the servers' secret environment variables (`server.secretEnvironment`): a map whose
 * every value is set encrypted, one variable at a time (`pulumi config set --secret --path`). Not
 * among SECRET_KEYS, which are single values: Pulumi.yaml declares it without `secret: true`, and the
 * program refuses it unless the stack file holds it encrypted.
 */
export const SECRET_ENVIRONMENT_KEY = "secretEnvironment";

/** The key of the hub's Zero to JupyterHub chart (`HubChartOptions`), read on the platforms that install it. */
const CHART_KEY = "chart";
const CHART_PLATFORMS: readonly Platform[] = ["eks", "gke", "kubernetes"];

/** The course's term: its dates and how the class uses the hub, for the plan's estimate of what the term costs. */
export const TERM_KEY = "term";

/** Every key of the project's config, as Pulumi.yaml declares them: any other `course-hubs:` key is read by nothing. */
export const CONFIG_KEYS: readonly string[] = [
    "platform", "hub", ...PLATFORMS, CHART_KEY, TERM_KEY, BILLING_ACCOUNT_KEY, ...Object.values(SECRET_KEYS), SECRET_ENVIRONMENT_KEY,
];

/** The secrets a HubSpec holds, by where they sit in `course-hubs:hub` and the secret key that supplies each instead. */
export const HUB_SECRETS = [
    { path: ["auth", "clientSecret"], key: SECRET_KEYS.authClientSecret },
    { path: ["auth", "lookupDn", "bindPassword"], key: SECRET_KEYS.ldapBindPassword },
    { path: ["auth", "password"], key: SECRET_KEYS.sharedPassword },
    { path: ["auth", "adminPassword"], key: SECRET_KEYS.sharedAdminPassword },
    { path: ["server", "secretEnvironment"], key: SECRET_ENVIRONMENT_KEY },
    { path: ["server", "imagePullSecret", "password"], key: SECRET_KEYS.imagePullPassword },
    { path: ["https", "privateKey"], key: SECRET_KEYS.tlsPrivateKey },
] as const;

/** An existing cluster: its kubeconfig (secret config), or a department cluster stack's outputs. */
export interface KubernetesTarget {
    /**
     * A department's cluster stack (`organization/course-hubs/dept-stats-cluster`, or just the
     * stack name with a local backend). Its outputs give the kubeconfig and, for
     * `https.mode: "ingress"`, the shared ingress class and certificate issuer.
     * @default none: a cluster of your own, its kubeconfig in the secret `course-hubs:kubeconfig`
     */
    clusterStack?: string;
    /**
     * What the cluster offers (storage classes, node labels, GPUs). On a cluster of your own
     * (no `clusterStack`), `ingress` names its ingress controller's class and a cert-manager
     * ClusterIssuer, through which `https.mode: "ingress"` serves the hub; a cluster stack brings
     * its own shared ingress instead. The notebooks' identity is the spec's
     * (`course-hubs:hub.notebookIdentity`). @default an unlabelled cluster
     */
    platform?: Omit<JupyterHubPlatformArgs, "notebookIdentity">;
    /**
     * The namespace the hub is created in, when the department names them its own way
     * (`hub-stat200`); it must not exist yet, and destroying the stack deletes it.
     * @default the course and term, `<course>-<term>` (the course alone without a term)
     */
    namespace?: DnsLabel;
}

/** Arguments that have a config key of their own, beside the platform's options block. */
const OWN_KEYS = new Map([["spec", "hub"], [CHART_KEY, CHART_KEY]]);

/**
 * Problems of a platform's arguments under the config keys a person types: the spec's are under
 * `course-hubs:hub`, the chart's under `course-hubs:chart`, the platform's options under
 * `course-hubs:<platform>`.
 */
function atConfigKeys(platform: string, problems: Problem[]): Problem[] {
    return problems.map((p) => {
        const path = p.propertyPath.replace(/^args\.?/, "");
        const [, argument, rest] = /^([^.[]*)(.*)$/.exec(path)!;
        const key = OWN_KEYS.has(argument) ? `${OWN_KEYS.get(argument)}${rest}` : `${platform}${path ? `.${path}` : ""}`;
        return { propertyPath: `${NAMESPACE}:${inSecretKey(key)}`, reason: p.reason };
    });
}

/** A key within a secret of the hub (a variable of `hub.server.secretEnvironment`) under the secret key that supplies it. */
function inSecretKey(key: string): string {
    const secret = HUB_SECRETS.find(({ path }) => key.startsWith(`hub.${path.join(".")}.`));
    return secret ? `${secret.key}${key.slice(`hub.${secret.path.join(".")}`.length)}` : key;
}

function failOnProblems(problems: Problem[]): void {
    if (problems.length > 0) {
        const stack = pulumi.getStack();
        throw new pulumi.RunError(`Stack ${stack} has ${problems.length} configuration problem${problems.length === 1 ? "" : "s"}:\n${problemList(problems)}`);
    }
}

/** The command that stores a secret key encrypted in this stack's file. */
function setSecretCommand(key: string): string {
    if (key === SECRET_ENVIRONMENT_KEY) {
        return `pulumi config set --secret --path '${NAMESPACE}:${key}.<NAME>' <value> --stack ${pulumi.getStack()} (for each variable)`;
    }
    const value = key === SECRET_KEYS.kubeconfig ? "\"$(cat kubeconfig)\"" : key === SECRET_KEYS.tlsPrivateKey ? "\"$(cat hub.key)\"" : "<value>";
    return `pulumi config set --secret ${NAMESPACE}:${key} ${value} --stack ${pulumi.getStack()}`;
}

// Internal to @pulumi/pulumi 3.248 (absent from its .d.ts) but what its own Config consults: whether
// the CLI passed a key as secret, i.e. the stack file holds it as `secure:`.
const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret;

/**
 * What the stack file says that nothing would read, or says in plain text that must be secret:
 * a misspelt `course-hubs:` key (its options would be dropped for the defaults), the options block
 * of a platform the stack does not use, a secret key written without `--secret`.
 */
function stackFileProblems(platform: string | undefined): Problem[] {
    const prefix = `${NAMESPACE}:`;
    const keys = Object.keys(pulumi.runtime.allConfig()).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    const problems: Problem[] = [];
    for (const key of keys) {
        if (!CONFIG_KEYS.includes(key)) {
            const hint = suggestKey(key, CONFIG_KEYS, keys);
            problems.push({
                propertyPath: `${prefix}${key}`,
                reason: `is not a key of this project, so nothing reads it${hint ? `; did you mean ${prefix}${hint}?` : ""} `
                    + `The project's keys: ${CONFIG_KEYS.map((k) => `${prefix}${k}`).join(", ")}.`,
            });
        } else if ((PLATFORMS as readonly string[]).includes(key) && (PLATFORMS as readonly string[]).includes(platform ?? "") && key !== platform) {
            problems.push({
                propertyPath: `${prefix}${key}`,
                reason: `is read only when ${prefix}platform is ${key}, and this stack's is ${platform}: `
                    + `move its options to ${prefix}${platform}, or remove it`,
            });
        } else if (key === CHART_KEY && platform === "ec2") {
            problems.push({
                propertyPath: `${prefix}${key}`,
                reason: `is read only on the platforms that install the Zero to JupyterHub chart (${CHART_PLATFORMS.join(", ")}); `
                    + `ec2 runs JupyterHub on a VM, without the chart: remove it (the hub's settings are ${prefix}hub's)`,
            });
        }
    }
    for (const key of [...Object.values(SECRET_KEYS), SECRET_ENVIRONMENT_KEY]) {
        if (keys.includes(key) && !isConfigSecret(`${prefix}${key}`)) {
            problems.push({
                propertyPath: `${prefix}${key}`,
                reason: `is written in plain text in the stack file: remove that line from Pulumi.${pulumi.getStack()}.yaml `
                    + `and set it encrypted with: ${setSecretCommand(key)}`,
            });
        }
    }
    return problems;
}

/** Secrets written into `course-hubs:hub`: each has its own secret key, and the stack file is no place for it. */
function hubSecretProblems(hub: Record<string, unknown>): Problem[] {
    const readable = isConfigSecret(`${NAMESPACE}:hub`) ? "not read from here" : "in plain text in the stack file";
    return HUB_SECRETS.filter(({ path }) => path.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], hub) !== undefined)
        .map(({ path, key }) => ({
            propertyPath: `${NAMESPACE}:hub.${path.join(".")}`,
            reason: `is a secret, ${readable}: remove it from ${NAMESPACE}:hub and set it with: ${setSecretCommand(key)}`,
        }));
}

/** The secret config a login type needs, with the command that sets it when it is missing. */
function withSecrets(config: pulumi.Config, hub: Record<string, unknown>, problems: Problem[]): HubSpec {
    const auth = hub.auth as AuthSpec | undefined;
    const secret = (key: string) => {
        const value = config.getSecret(key);
        if (value === undefined) {
            problems.push({
                propertyPath: `${NAMESPACE}:${key}`,
                reason: `is required by ${NAMESPACE}:hub.auth; set it with: ${setSecretCommand(key)}`,
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
        case "sharedPassword": {
            // Optional: only adminUsers need it, and the spec's validation says so when they are listed without it.
            const adminPassword = config.getSecret(SECRET_KEYS.sharedAdminPassword);
            return specWith({ ...auth, password: secret(SECRET_KEYS.sharedPassword), ...(adminPassword === undefined ? {} : { adminPassword }) });
        }
        default:
            return unchecked;
    }
}

/**
 * The spec with the servers' secrets of their own keys: the secret environment variables of
 * `course-hubs:secretEnvironment`, each a Pulumi secret, and the registry password of
 * `course-hubs:imagePullPassword`, which `server.imagePullSecret` requires.
 */
function withServerSecrets(config: pulumi.Config, spec: HubSpec, problems: Problem[]): HubSpec {
    const key = `${NAMESPACE}:${SECRET_ENVIRONMENT_KEY}`;
    // Parsed here rather than by config.getObject, whose error for a value that is not JSON prints the value.
    const variables = ((raw) => {
        try {
            return raw === undefined ? undefined : JSON.parse(raw) as unknown;
        } catch {
            return null;
        }
    })(pulumi.runtime.getConfig(key));
    const server = typeof spec.server === "object" && spec.server !== null ? spec.server : undefined;
    let secretEnvironment: Record<string, pulumi.Output<string>> | undefined;
    if (variables !== undefined) {
        const values = typeof variables === "object" && variables !== null && !Array.isArray(variables) ? Object.entries(variables) : undefined;
        const notText = (values ?? []).filter(([, value]) => typeof value !== "string").map(([name]) => name);
        if (values === undefined || notText.length > 0) {
            // The values are secrets: a problem names the variables, never their values.
            problems.push({
                propertyPath: notText.length > 0 ? `${key}.${notText[0]}` : key,
                reason: `${notText.length > 0 ? "is not text" : "must map each variable's name to its value"}; `
                    + `set each variable with: ${setSecretCommand(SECRET_ENVIRONMENT_KEY)}`,
            });
        } else {
            secretEnvironment = Object.fromEntries(values.map(([name, value]) => [name, pulumi.secret(value as string)]));
        }
    }
    const pullSecret = server?.imagePullSecret;
    let imagePullSecret = pullSecret;
    if (typeof pullSecret === "object" && pullSecret !== null) {
        const password = config.getSecret(SECRET_KEYS.imagePullPassword);
        if (password === undefined) {
            problems.push({
                propertyPath: `${NAMESPACE}:${SECRET_KEYS.imagePullPassword}`,
                reason: `is required by ${NAMESPACE}:hub.server.imagePullSecret; set it with: ${setSecretCommand(SECRET_KEYS.imagePullPassword)}`,
            });
        }
        imagePullSecret = { ...pullSecret, password: password ?? pulumi.secret("missing") };
    }
    if (secretEnvironment === undefined && imagePullSecret === pullSecret) {
        return spec;
    }
    return {
        ...spec,
        server: {
            ...server,
            ...(secretEnvironment ? { secretEnvironment } : {}),
            ...(imagePullSecret ? { imagePullSecret } : {}),
        },
    };
}

/** The spec with the private key of `https.mode: "certificate"` from `course-hubs:tlsPrivateKey`, which that mode requires. */
function withCertificateKey(config: pulumi.Config, spec: HubSpec, problems: Problem[]): HubSpec {
    const https = spec.https as unknown;
    if (typeof https !== "object" || https === null || (https as { mode?: unknown }).mode !== "certificate") {
        return spec;
    }
    const privateKey = config.getSecret(SECRET_KEYS.tlsPrivateKey);
    if (privateKey === undefined) {
        problems.push({
            propertyPath: `${NAMESPACE}:${SECRET_KEYS.tlsPrivateKey}`,
            reason: `is required by ${NAMESPACE}:hub.https (mode certificate); set it with: ${setSecretCommand(SECRET_KEYS.tlsPrivateKey)}`,
        });
    }
    return { ...spec, https: { ...(https as CertificateHttps), privateKey: privateKey ?? pulumi.secret("missing") } };
}

/** Reads and checks the stack's config, then creates the course on its platform. */
export function deployCourse(): Record<string, pulumi.Input<unknown>> {
    const config = new pulumi.Config(NAMESPACE);
    const platform = config.get("platform");
    const problems = stackFileProblems(platform);
    if (!(PLATFORMS as readonly (string | undefined)[]).includes(platform)) {
        const expected = `one of ${PLATFORMS.join(", ")}`;
        const wrong = platform === undefined ? `is required (${expected})` : `must be ${expected}, got "${platform}"`;
        problems.push({ propertyPath: `${NAMESPACE}:platform`, reason: `${wrong}; set it with: pulumi config set ${NAMESPACE}:platform eks` });
    }
    const hubConfig = config.getObject<Record<string, unknown>>("hub");
    if (hubConfig === undefined) {
        problems.push({ propertyPath: `${NAMESPACE}:hub`, reason: "is required: the course's HubSpec (course, term, owner, hostname, https, auth, ...)" });
        failOnProblems(problems);
    }
    problems.push(...hubSecretProblems(hubConfig!));
    const spec = withCertificateKey(config, withServerSecrets(config, withSecrets(config, hubConfig!, problems), problems), problems);
    const options = platform && platform !== "kubernetes" ? config.getObject<Record<string, unknown>>(platform) ?? {} : {};
    const args = { ...options, spec };
    const chart = config.getObject<HubChartOptions>(CHART_KEY);
    const term = config.getObject<unknown>(TERM_KEY);
    if (term !== undefined) {
        const key = `${NAMESPACE}:${TERM_KEY}`;
        problems.push(...mergeProblems(definitionProblems("course-stack.json", "CourseTerm", term, key), termProblems(term, key)));
    }
    switch (platform as Platform) {
        case "eks": {
            const eksArgs = withChart("eks", args, chart, problems);
            const eksProblems = validateEksHubArgs(eksArgs);
            problems.push(...atConfigKeys("eks", eksProblems));
            failOnProblems(problems);
            const hub = guardCluster(spec, new EksHub(spec.course, validatedArgs(eksArgs as unknown as EksHubArgs, eksProblems)));
            return clusterOutputs(hub, hub.ingress ? "an A record" : "a CNAME");
        }
        case "gke": {
            const located = withStackLocation(withChart("gke", args, chart, problems));
            const gkeProblems = validateGkeHubArgs(located);
            problems.push(...atConfigKeys("gke", gkeProblems));
            failOnProblems(problems);
            return clusterOutputs(guardCluster(spec, new GkeHub(spec.course, validatedArgs(located as unknown as GkeHubArgs, gkeProblems))), "an A record");
        }
        case "ec2": {
            const ec2Problems = validateEc2HubArgs(args);
            problems.push(...atConfigKeys("ec2", ec2Problems));
            failOnProblems(problems);
            const hub = new EC2AutoscaleHub(spec.course, validatedArgs(args as EC2AutoscaleHubArgs, ec2Problems));
            return {
                url: hub.url,
                address: hub.address,
                workerGroup: hub.workerGroup?.name,
                fileSystemId: hub.fileSystem.id,
                capacity: hub.capacity,
                next: "Point the hostname's A record at address.",
            };
        }
        case "kubernetes": {
            const target = config.getObject<KubernetesTarget>("kubernetes") ?? {};
            const targetProblems = kubernetesTargetProblems(target);
            const specProblems = targetProblems.length > 0 ? validateHubSpec(spec, "spec") : hubSpecProblems(spec, existingClusterCapabilities(target));
            if (targetProblems.length + specProblems.length === 0) {
                targetProblems.push(...namespaceProblems(target.namespace, "namespace"), ...operatorAdminProblems(spec, target.platform ?? {}));
            }
            const sharedEntryPoint = Boolean(target.clusterStack) && spec.https?.mode === "ingress";
            const platformArgs = existingClusterPlatform(target, hubAdditionsBeforeDeployment(undefined, sharedEntryPoint).ingress);
            const rendered = targetProblems.length + specProblems.length === 0 ? valuesBeforeDeployment(validated(spec, specProblems), platformArgs) : {};
            problems.push(...atConfigKeys("kubernetes", [...targetProblems, ...specProblems, ...chartProblems(chart, rendered)]));
            return onExistingCluster(config, target, spec, chart, problems);
        }
        default:
            problems.push(...atConfigKeys("hub", validateHubSpec(spec, "spec")));
            failOnProblems(problems);
            return {};
    }
}

/**
 * A platform component's arguments with the chart of `course-hubs:chart`, the chart's one key on
 * every platform: a chart in the platform's options block is refused rather than read or dropped.
 */
function withChart(platform: string, args: Record<string, unknown>, chart: HubChartOptions | undefined, problems: Problem[]): Record<string, unknown> {
    if (args.chart !== undefined) {
        problems.push({
            propertyPath: `${NAMESPACE}:${platform}.chart`,
            reason: `the chart has a key of its own on every platform: move it to ${NAMESPACE}:${CHART_KEY}`,
        });
    }
    return { ...args, chart };
}

/**
 * Problems of `course-hubs:chart` where no platform component checks it: its shape, its version and
 * its values merged over `rendered` (what the spec renders on the cluster).
 */
function chartProblems(chart: unknown, rendered: Z2jhValues): Problem[] {
    return chart === undefined
        ? []
        : mergeProblems(definitionProblems("course-stack.json", "HubChartOptions", chart, CHART_KEY), chartOptionProblems(chart, rendered));
}

/**
 * A stack with a cluster of its own may host other stacks' courses (`kubernetes.clusterStack`):
 * its destroy is refused while any of them is still on the cluster. Guarding the whole hub
 * component means the check is deleted before anything of it.
 */
export function guardCluster<Hub extends EksHub | GkeHub>(spec: HubSpec, hub: Hub): Hub {
    new ClusterGuard(`${spec.course}-guard`, {
        clusterName: hub.clusterName, kubeconfig: hub.kubeconfig, provider: hub.provider, identity: spec, physicalName: hub.physicalName, guards: [hub],
    });
    return hub;
}

/**
 * What a stack with a cluster of its own tells the operator, and what course stacks on its cluster
 * read (`kubeconfig`, `platform`, `ingressClassName`, `clusterIssuer`). `record` is the DNS record
 * that points the hostname at `address`.
 */
function clusterOutputs(hub: EksHub | GkeHub, record: "an A record" | "a CNAME"): Record<string, pulumi.Input<unknown>> {
    return {
        url: hub.url, address: hub.address, clusterName: hub.clusterName, kubeconfig: hub.kubeconfig,
        platform: hub.platform, ingressClassName: hub.ingress?.ingressClassName, clusterIssuer: hub.ingress?.clusterIssuer, capacity: hub.capacity,
        next: `Point the hostname at address (${record}); kubectl: pulumi stack output kubeconfig --show-secrets > kubeconfig.json`,
    };
}

/**
 * Problems of `course-hubs:kubernetes` (paths under it): its shape, and an ingress described beside a
 * cluster stack, whose outputs give the ingress.
 */
function kubernetesTargetProblems(target: unknown): Problem[] {
    const structural = definitionProblems("course-stack.json", "KubernetesTarget", target, "");
    const { clusterStack, platform } = target as KubernetesTarget;
    const rules = isValidAt(structural, "platform.ingress") && clusterStack && platform?.ingress
        ? [{
            propertyPath: "platform.ingress",
            reason: `comes from the cluster stack that ${NAMESPACE}:kubernetes.clusterStack names (its shared ingress class and issuer): remove it; `
                + `platform.ingress describes the ingress of a cluster of your own, reached with ${NAMESPACE}:kubeconfig instead of a cluster stack`,
        }]
        : [];
    return mergeProblems(structural, rules);
}

/**
 * What an existing cluster offers, as the stack file describes it. Its ingress is the cluster
 * stack's shared entry point, or on a cluster of one's own the controller `platform.ingress` names.
 */
function existingClusterCapabilities(target: KubernetesTarget): PlatformCapabilities {
    const described = clusterCapabilities(target.platform ?? {}, `${NAMESPACE}:kubernetes.platform`);
    const ingress = target.clusterStack || target.platform?.ingress
        ? true
        : {
            refused: `"ingress" needs an ingress controller with cert-manager: name a department cluster stack (its shared entry point) in ${NAMESPACE}:`
                + `kubernetes.clusterStack, or describe your cluster's own in ${NAMESPACE}:kubernetes.platform.ingress `
                + "({ className, clusterIssuer }: its IngressClass and cert-manager ClusterIssuer)",
        };
    // A department cluster stack is an EksHub or GkeHub: its user nodes carry only course-hubs's labels.
    const nodeSelection = target.clusterStack
        ? { refused: `the nodes of a department cluster stack (${NAMESPACE}:kubernetes.clusterStack) carry only course-hubs's own labels and taints: `
            + "give its userNodes bigger types instead, or run the course on a cluster of your own (a kubeconfig) to place servers on other nodes" }
        : described.nodeSelection;
    // A department cluster stack's shared entry point is a StaticIpIngress: Traefik.
    const sourceRanges = target.clusterStack ? { ...described.sourceRanges, ingress: true as const } : described.sourceRanges;
    return { ...described, https: { ...described.https, ingress }, nodeSelection, sourceRanges };
}

/**
 * The platform of a course on an existing cluster: as the stack file describes it, with the
 * cluster stack's shared ingress (its outputs, or stand-ins before deployment) when it has one.
 */
function existingClusterPlatform(target: KubernetesTarget, sharedIngress: JupyterHubPlatformArgs["ingress"]): JupyterHubPlatformArgs {
    return { ...target.platform, ...(sharedIngress ? { ingress: sharedIngress } : {}) };
}

/** A course on a cluster that exists: through a kubeconfig secret, or a department cluster stack. */
function onExistingCluster(
    config: pulumi.Config, target: KubernetesTarget, spec: HubSpec, chart: HubChartOptions | undefined, problems: Problem[],
): Record<string, pulumi.Input<unknown>> {
    // A department cluster stack supplies the kubeconfig; only without one is the secret needed.
    const kubeconfig = target.clusterStack ? undefined : config.getSecret(SECRET_KEYS.kubeconfig);
    if (!target.clusterStack && kubeconfig === undefined) {
        problems.push({
            propertyPath: `${NAMESPACE}:kubernetes.clusterStack`,
            reason: `name the department's cluster stack, or set the cluster's kubeconfig with: ${setSecretCommand(SECRET_KEYS.kubeconfig)}`,
        });
    }
    failOnProblems(problems);
    const clusterStack = target.clusterStack;
    const cluster = clusterStack ? new pulumi.StackReference(clusterStack) : undefined;
    const provider = new KubernetesProvider(`${spec.course}-cluster`, {
        kubeconfig: cluster ? clusterOutput(cluster, clusterStack!, "kubeconfig", "a deployed course-hubs stack of platform eks or gke") : kubeconfig!,
    });
    const sharedIngress = "a cluster stack with a shared ingress (its eks.ingress or gke.ingress), as https.mode ingress needs";
    const ingress = cluster && spec.https?.mode === "ingress"
        ? {
            className: clusterOutput(cluster, clusterStack!, "ingressClassName", sharedIngress),
            clusterIssuer: clusterOutput(cluster, clusterStack!, "clusterIssuer", sharedIngress),
            controller: "traefik" as const,
        }
        : undefined;
    // Checked above, on this platform with stand-ins for the cluster stack's outputs.
    const hub = new JupyterHub(spec.course, validated({
        spec: validated(spec, problems), provider, platform: existingClusterPlatform(target, ingress), namespace: target.namespace,
        values: chart?.values, chartVersion: chart?.version,
    }, problems));
    return { url: hub.url, namespace: hub.namespace, next: "Point the hostname at the cluster's ingress or the proxy's load balancer." };
}

/**
 * An output of the department's cluster stack; a missing one (a stack that is not a cluster, or
 * not deployed yet) fails by the config key that named the stack, saying what it must be.
 */
export function clusterOutput(cluster: pulumi.StackReference, stack: string, output: string, mustBe: string): pulumi.Output<string> {
    return cluster.getOutput(output).apply((value) => {
        if (typeof value !== "string" || value === "") {
            throw new pulumi.RunError(`${NAMESPACE}:kubernetes.clusterStack: stack ${stack} has no ${output} output; name ${mustBe} `
                + `(pulumi stack output --stack ${stack} lists its outputs)`);
        }
        return value;
    });
}
