import * as pulumi from "@pulumi/pulumi";
import * as dynamic from "@pulumi/pulumi/dynamic";
import * as core from "@pulumi/kubernetes/core/v1";
import * as rbac from "@pulumi/kubernetes/rbac/v1";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { CourseIdentity, OWNING_STACK_ANNOTATIONS, OwningStack, courseLabels, physicalNameOf, runningStack } from "../tags";
import { Problem, throwIfProblems } from "../validation";

/*
 * `pulumi destroy` does not run the program, so the only code that can refuse to destroy a cluster
 * is a resource's delete. The guard is a dynamic resource that depends on the cluster and on
 * everything that keeps its courses running, so the engine deletes it first; its delete lists the
 * cluster's namespaces and throws, which stops the destroy, while a course of another stack is
 * still on it. The provider below is serialized into the cluster stack's state and runs in
 * Pulumi's dynamic provider host: it may use only Node's own modules, required where used.
 */

/** Arguments of {@link ClusterGuard}. */
export interface ClusterGuardArgs {
    /** The cluster's name, as the refusal to destroy it names it. */
    clusterName: pulumi.Input<string>;
    /**
     * A kubeconfig of the cluster as `execKubeconfig` writes it (JSON): the guard takes the API
     * server's address and certificate authority from its current context. Its user is not used.
     */
    kubeconfig: pulumi.Input<string>;
    /** Provider of the cluster: the guard's service account, cluster role and token are created through it. */
    provider: KubernetesProvider;
    /** Whose cluster it is: the labels of the guard's Kubernetes objects. */
    identity: CourseIdentity;
    /**
     * The physical name of the hub whose cluster it guards (`EksHub.physicalName`): the guard's
     * objects are `<physicalName>-cluster-guard`.
     * @default "<course>-<term>"
     */
    physicalName?: string;
    /**
     * Everything whose deletion takes courses down: the cluster, its node groups or pools, the
     * Kubernetes provider, the hub, the ingress. The check runs before any of them (or anything they
     * depend on) is deleted; a resource outside them may be deleted while the check runs.
     */
    guards: pulumi.Resource[];
    /** Namespace of the guard's service account and its token Secret. @default "kube-system" */
    namespace?: string;
}

/** What the check needs when the cluster stack is destroyed; stored in its state, the token as a secret. */
export interface ClusterGuardState {
    clusterName: string;
    /** API server URL, `https://...`. */
    server: string;
    /** PEM of the certificate authority that signed the API server's certificate. */
    certificateAuthority: string;
    /** Bearer token of a service account that may only get and list namespaces. */
    token: string;
    /** The cluster's own stack: its courses go with the cluster and do not count. */
    owner: OwningStack;
    /** URN of the check itself, for the way out when the cluster is already gone (`urn` is reserved for the engine's). */
    checkUrn: string;
}

/** A course on the cluster and the stack that owns it. */
export interface HostedCourse {
    namespace: string;
    owner: OwningStack;
}

/** An API server's address and the certificate authority it is checked against. */
export interface ApiServer {
    server: string;
    certificateAuthority: string;
}

/** A GET of every namespace, as Node's https client takes it. */
export interface NamespaceListRequest {
    url: string;
    /** The only certificate authority trusted for the API server. */
    ca: string;
    headers: Record<string, string>;
    timeoutMs: number;
}

/** What the API server answered. */
export interface ApiResponse {
    status: number;
    body: string;
}

/** Type of the dynamic resource as the engine and the mocks see it. */
export const CLUSTER_GUARD_CHECK_TYPE = "pulumi-nodejs:dynamic:Resource";

/** An API server that has not answered in this long is treated as unreachable. */
const REQUEST_TIMEOUT_MS = 30_000;
/**
 * A copy the provider's closure holds by value. The closure serializer would write a value read
 * through another module as a require() of that module, which fails where course-hubs is an
 * installed package: its exports map lets nothing but the package root be required.
 */
const OWNER_ANNOTATIONS: typeof OWNING_STACK_ANNOTATIONS = { ...OWNING_STACK_ANNOTATIONS };
/** A token or role binding created moments ago may be refused until the API server has seen it. */
const ACCESS_ATTEMPTS = 3;
const ACCESS_RETRY_DELAY_MS = 1_000;

/**
 * Refuses `pulumi destroy` of a cluster stack while courses of other stacks still run on the
 * cluster, naming those stacks. Creates a service account that may only get and list namespaces,
 * a long-lived token Secret for it, and the check, which depends on `guards`. At `pulumi up` the
 * check lists the namespaces once, so a guard that could not do its job fails then, not at the end
 * of term. A course counts when its namespace carries the owning-stack annotations that
 * `JupyterHub` writes; the cluster stack's own courses do not.
 */
export class ClusterGuard extends pulumi.ComponentResource {
    /** URN of the check: `pulumi state delete` it if the cluster is gone and destroy cannot reach it. */
    public readonly checkUrn: pulumi.Output<string>;

    constructor(name: string, args: ClusterGuardArgs, opts?: pulumi.ComponentResourceOptions) {
        throwIfProblems(`ClusterGuard "${name}"`, validateClusterGuardArgs(args));
        super("course-hubs:k8s:ClusterGuard", name, {}, opts);
        const inCluster = { parent: this, provider: args.provider };
        const labels = courseLabels(args.identity);
        const namespace = args.namespace ?? "kube-system";
        // One name for the account, its role, binding and token: `kubectl get clusterrole <course>-<term>-cluster-guard`.
        const objectName = `${physicalNameOf({ spec: args.identity, physicalName: args.physicalName })}-cluster-guard`;

        const account = new core.ServiceAccount(`${name}-account`, {
            metadata: { name: objectName, namespace, labels },
            automountServiceAccountToken: false,
        }, inCluster);
        const role = new rbac.ClusterRole(`${name}-role`, {
            metadata: { name: objectName, labels },
            rules: [{ apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list"] }],
        }, inCluster);
        const binding = new rbac.ClusterRoleBinding(`${name}-binding`, {
            metadata: { name: objectName, labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
            subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace: account.metadata.namespace }],
        }, inCluster);
        // The token controller fills this Secret with a token that does not expire; the provider
        // waits for it. A short-lived token would have expired by the time the cluster is destroyed.
        const tokenSecret = new core.Secret(`${name}-token`, {
            metadata: { name: objectName, namespace, labels, annotations: { "kubernetes.io/service-account.name": account.metadata.name } },
            type: "kubernetes.io/service-account-token",
        }, inCluster);
        const token = pulumi.secret(tokenSecret.data.apply((data) => Buffer.from(data?.token ?? "", "base64").toString("utf8")));

        const apiServer = pulumi.output(args.kubeconfig).apply(apiServerOf);
        const checkName = `${name}-check`;
        this.checkUrn = pulumi.createUrn(checkName, CLUSTER_GUARD_CHECK_TYPE, this);
        const state: pulumi.Inputs = {
            clusterName: args.clusterName,
            server: apiServer.server,
            certificateAuthority: apiServer.certificateAuthority,
            token,
            owner: runningStack(),
            checkUrn: this.checkUrn,
        } satisfies { [key in keyof ClusterGuardState]: pulumi.Input<ClusterGuardState[key]> };
        new ClusterGuardCheck(checkName, state, {
            parent: this,
            dependsOn: [...args.guards, binding, tokenSecret],
            additionalSecretOutputs: ["token"],
        });
        this.registerOutputs({ checkUrn: this.checkUrn });
    }
}

/** Every problem of a guard's arguments, by property path. */
export function validateClusterGuardArgs(args: ClusterGuardArgs): Problem[] {
    const problems: Problem[] = [];
    const expect = (ok: boolean, propertyPath: string, reason: string) => {
        if (!ok) {
            problems.push({ propertyPath, reason });
        }
    };
    expect(args.clusterName !== undefined && args.clusterName !== "", "clusterName", "is required: the refusal to destroy the cluster names it");
    expect(args.kubeconfig !== undefined, "kubeconfig", "is required: the guard reads the API server's address and CA from it");
    expect(args.provider !== undefined, "provider", "is required: the cluster's Kubernetes provider, through which the guard's account is created");
    expect(Boolean(args.identity?.course) && args.identity?.term !== "", "identity",
        "needs the course (and its term, if it has one): they name the guard's objects on the cluster");
    expect(Array.isArray(args.guards) && args.guards.length > 0, "guards",
        "must list the cluster and what keeps its courses running (node groups, the Kubernetes provider, the hub): "
        + "whatever is not listed may be deleted while the check runs");
    expect(args.namespace === undefined || /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(args.namespace), "namespace",
        `must be a namespace name (lowercase letters, digits and "-"), got "${args.namespace}"`);
    return problems;
}

class ClusterGuardCheck extends dynamic.Resource {
    constructor(name: string, state: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
        super(CLUSTER_GUARD_PROVIDER, name, state, opts);
    }
}

/** The API server and certificate authority of a kubeconfig's current context (JSON, as `execKubeconfig` writes it). */
export function apiServerOf(kubeconfig: string): ApiServer {
    const config = JSON.parse(kubeconfig);
    const contextName = config["current-context"];
    const clusterName = config.contexts?.find((c: { name: string }) => c.name === contextName)?.context?.cluster;
    const cluster = config.clusters?.find((c: { name: string }) => c.name === clusterName)?.cluster;
    if (!cluster?.server || !cluster["certificate-authority-data"]) {
        throw new Error(`ClusterGuard: the kubeconfig's current context "${contextName}" has no cluster with a server and certificate-authority-data`);
    }
    return { server: cluster.server, certificateAuthority: Buffer.from(cluster["certificate-authority-data"], "base64").toString("utf8") };
}

/** The request that lists every namespace of the guard's cluster with the guard's token. */
export function namespaceListRequest(state: Pick<ClusterGuardState, "server" | "certificateAuthority" | "token">): NamespaceListRequest {
    return {
        url: `${state.server.replace(/\/+$/, "")}/api/v1/namespaces`,
        ca: state.certificateAuthority,
        headers: { Authorization: `Bearer ${state.token}`, Accept: "application/json" },
        timeoutMs: REQUEST_TIMEOUT_MS,
    };
}

/** The namespace list in an answer, or an error saying what the API server answered instead. */
export function namespaceList(response: ApiResponse): unknown {
    if (response.status !== 200) {
        const reason = reasonOf(response.body);
        throw new Error(`the API server answered HTTP ${response.status}${reason ? ` (${reason})` : ""}`);
    }
    return JSON.parse(response.body);
}

/** The message of a Kubernetes Status answer, or the start of whatever a proxy answered instead. */
function reasonOf(body: string): string {
    try {
        return JSON.parse(body).message ?? "";
    } catch {
        return body.slice(0, 200);
    }
}

/**
 * The courses in a namespace list that belong to stacks other than the cluster's own: namespaces
 * with both owning-stack annotations, sorted by name.
 */
export function coursesOnCluster(list: unknown, clusterOwner: OwningStack): HostedCourse[] {
    type Namespace = { metadata?: { name?: string; annotations?: Record<string, string> } };
    const items: Namespace[] = (list as { items?: Namespace[] })?.items ?? [];
    return items.flatMap((item): HostedCourse[] => {
        const annotations = item.metadata?.annotations ?? {};
        const project = annotations[OWNER_ANNOTATIONS.project];
        const stack = annotations[OWNER_ANNOTATIONS.stack];
        if (!project || !stack || (project === clusterOwner.project && stack === clusterOwner.stack)) {
            return [];
        }
        return [{ namespace: item.metadata?.name ?? "", owner: { project, stack } }];
    }).sort((a, b) => a.namespace.localeCompare(b.namespace));
}

/**
 * Why the cluster may not be destroyed yet, naming each course and the command that destroys its
 * stack; undefined when no other stack's course is left.
 */
export function refusalMessage(clusterName: string, courses: HostedCourse[], clusterOwner: OwningStack): string | undefined {
    if (courses.length === 0) {
        return undefined;
    }
    const elsewhere = (owner: OwningStack) => owner.project !== clusterOwner.project;
    const listed = courses.map((c) => `${c.namespace} (stack ${c.owner.stack}${elsewhere(c.owner) ? ` of project ${c.owner.project}` : ""})`);
    const commands = [...new Set(courses.map((c) => `pulumi destroy -s ${c.owner.stack}${elsewhere(c.owner) ? ` (in project ${c.owner.project})` : ""}`))];
    const count = `${courses.length} course${courses.length === 1 ? "" : "s"}`;
    return `cluster ${clusterName} still hosts ${count}: ${listed.join(", ")}. Destroy ${courses.length === 1 ? "it" : "them"} first: ${commands.join("; ")}`;
}

/** Why the guard could not check the cluster, and the two ways on. */
export function cannotCheckMessage(state: Pick<ClusterGuardState, "clusterName" | "server" | "checkUrn">, reason: string): string {
    return `cannot check which courses cluster ${state.clusterName} still hosts, so it is not destroyed: `
        + `listing namespaces at ${state.server} failed: ${reason}. `
        + "If the cluster still exists, make its API server reachable from this machine with the guard's token (for example, this "
        + "machine's address in apiAccessCidrs) and run pulumi destroy again. If the cluster is already gone, remove the check from the "
        + `stack's state and run pulumi destroy again: pulumi state delete '${state.checkUrn}'`;
}

/** Sends the request; only Node's own https, with the cluster's CA as the only trusted one. */
function requestNamespaces(request: NamespaceListRequest): Promise<ApiResponse> {
    // Required here: this function is serialized into the state and runs where no import of ours exists.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const https: typeof import("node:https") = require("node:https");
    return new Promise((resolve, reject) => {
        const req = https.get(request.url, { ca: request.ca, headers: request.headers, timeout: request.timeoutMs, agent: false }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
            res.on("error", reject);
        });
        req.on("timeout", () => req.destroy(new Error(`no answer within ${request.timeoutMs / 1000} s`)));
        req.on("error", reject);
    });
}

/** Lists the namespaces, asking again a few times while a fresh token or binding is refused. */
async function listNamespaces(state: ClusterGuardState, attempts: number): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
        const response = await requestNamespaces(namespaceListRequest(state));
        if (attempt < attempts && (response.status === 401 || response.status === 403)) {
            await new Promise((resolve) => setTimeout(resolve, ACCESS_RETRY_DELAY_MS));
            continue;
        }
        return namespaceList(response);
    }
}

/** At `pulumi up`: fails unless the guard can list the cluster's namespaces. */
async function verifyAccess(state: ClusterGuardState): Promise<void> {
    try {
        await listNamespaces(state, ACCESS_ATTEMPTS);
    } catch (err) {
        throw new Error(`ClusterGuard cannot list the namespaces of cluster ${state.clusterName} at ${state.server}, so it could not stop `
            + `a destroy of the cluster while other stacks' courses run on it: ${(err as Error).message}`, { cause: err });
    }
}

/** At `pulumi destroy`: fails while courses of other stacks are on the cluster, or when it cannot tell. */
async function refuseWhileCoursesRemain(state: ClusterGuardState): Promise<void> {
    let list: unknown;
    try {
        list = await listNamespaces(state, 1);
    } catch (err) {
        throw new Error(cannotCheckMessage(state, (err as Error).message), { cause: err });
    }
    const refusal = refusalMessage(state.clusterName, coursesOnCluster(list, state.owner), state.owner);
    if (refusal) {
        throw new Error(refusal);
    }
}

/**
 * The check's provider. A new API server means a new cluster: the check is replaced, not updated,
 * so the old check's delete looks at the old cluster. Any other change, including a newer version
 * of this code (the `__provider` property), is an update, which checks access again.
 */
const CLUSTER_GUARD_PROVIDER: dynamic.ResourceProvider<ClusterGuardState, ClusterGuardState> = {
    async create(state) {
        await verifyAccess(state);
        return { id: state.clusterName, outs: state };
    },
    async diff(_id, olds, news) {
        const keys = new Set([...Object.keys(olds), ...Object.keys(news)]) as Set<keyof ClusterGuardState>;
        const changes = [...keys].some((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
        return { changes, replaces: olds.server === news.server ? [] : ["server"] };
    },
    async update(_id, _olds, news) {
        await verifyAccess(news);
        return { outs: news };
    },
    async delete(_id, state) {
        await refuseWhileCoursesRemain(state);
    },
};
