import * as http from "node:http";
import { AddressInfo } from "node:net";

/*
 * A Kubernetes API server for one namespace, small enough to read, with the controllers whose
 * timing a teardown has to wait for: a Deployment scaled to zero loses its pods a little later; a
 * deleted pod lingers while it terminates; a deleted claim stays while a pod still mounts it
 * (PVC protection); a volume with reclaim policy Delete goes only some time after its claim (its
 * provisioner deletes the disk first), one with Retain stays Released; a LoadBalancer Service goes
 * some time after its deletion (the cloud's load balancer first). Time is counted in requests.
 * Every request is checked against RBAC rules, as the API server would for the pod's service account.
 */

export interface PolicyRule {
    apiGroups: string[];
    resources: string[];
    verbs: string[];
}

interface FakeObject {
    metadata: { name: string; labels: Record<string, string>; deletionTimestamp?: string };
    spec: Record<string, any>;
    status?: Record<string, any>;
    /** Requests until a deleted object is gone; Infinity: never (a stuck finalizer). */
    lingers: number;
}

export interface ClusterState {
    deployments: FakeObject[];
    pods: FakeObject[];
    persistentvolumeclaims: FakeObject[];
    persistentvolumes: FakeObject[];
    services: FakeObject[];
}

/** What a cluster holds, described shortly; `clusterState` turns it into objects. */
export interface ClusterContents {
    /** The hub's Deployment and its running pod, with their labels and the claims the pod mounts. */
    hub?: { labels: Record<string, string>; claims: string[] };
    /** Other Deployments, each with one running pod: name, labels and the claims the pod mounts (the NFS server of shared homes). */
    deployments?: { name: string; labels: Record<string, string>; claims: string[] }[];
    /** Running user servers: name, labels and the claims each mounts. */
    servers?: { name: string; labels: Record<string, string>; claims: string[] }[];
    /**
     * Volumes, each with the claim bound to it (none: the claim was deleted already), in this
     * namespace unless `claimNamespace` names another; `neverDeleted`: its disk is never deleted.
     */
    volumes?: { name: string; claim?: string; claimNamespace?: string; reclaimPolicy: "Delete" | "Retain"; neverDeleted?: boolean }[];
    services?: { name: string; type: "LoadBalancer" | "ClusterIP" }[];
}

export interface FakeCluster {
    url: string;
    state: ClusterState;
    /** What happened, in order: `scale deployments/hub to 0`, `delete pods/jupyter-alice`, `gone pods/jupyter-alice`, ... */
    history: string[];
    /** Requests that the RBAC rules did not allow, or that no route answers. */
    refused: string[];
    close(): Promise<void>;
}

const object = (name: string, labels: Record<string, string>, spec: Record<string, any>, status?: Record<string, any>): FakeObject =>
    ({ metadata: { name, labels }, spec, status, lingers: 2 });

export function clusterState(namespace: string, contents: ClusterContents): ClusterState {
    const hub = contents.hub ? [object("hub", contents.hub.labels, { replicas: 1 })] : [];
    const others = contents.deployments ?? [];
    return {
        deployments: [...hub, ...others.map((d) => object(d.name, d.labels, { replicas: 1 }))],
        pods: [
            ...hub.map((d) => object("hub-5d9c7b8f6-x2k4q", d.metadata.labels, { owner: d.metadata.name, claims: contents.hub!.claims })),
            ...others.map((d) => object(`${d.name}-6c4f8b9d7-p5m2z`, d.labels, { owner: d.name, claims: d.claims })),
            ...(contents.servers ?? []).map((s) => object(s.name, s.labels, { claims: s.claims })),
        ],
        persistentvolumeclaims: (contents.volumes ?? []).filter((v) => v.claim && !v.claimNamespace).map((v) => object(v.claim!, {}, { volumeName: v.name })),
        persistentvolumes: (contents.volumes ?? []).map((v) => ({
            ...object(v.name, {}, {
                persistentVolumeReclaimPolicy: v.reclaimPolicy,
                claimRef: { namespace: v.claimNamespace ?? namespace, name: v.claim ?? `deleted-before-${v.name}` },
            }, { phase: v.claim ? "Bound" : "Released" }),
            lingers: v.neverDeleted ? Infinity : 3,
        })),
        services: (contents.services ?? []).map((s) => object(s.name, {}, { type: s.type })),
    };
}

/** Starts the fake API server for `namespace` on a free local port; it answers 503 to its first `unavailableFor` requests. */
export async function fakeCluster(
    namespace: string, state: ClusterState, rules: { namespaced: PolicyRule[]; clusterWide: PolicyRule[] }, unavailableFor = 0,
): Promise<FakeCluster> {
    const history: string[] = [];
    const refused: string[] = [];
    let requests = 0;
    const server = http.createServer((request, response) => {
        let body = "";
        request.on("data", (chunk) => (body += chunk));
        request.on("end", () => {
            if (++requests <= unavailableFor) {
                response.writeHead(503, { "Content-Type": "application/json" });
                response.end(JSON.stringify({ kind: "Status", code: 503 }));
                return;
            }
            advance(state, history);
            const answer = route(namespace, state, rules, request.method!, new URL(request.url!, "http://fake"), body, history);
            if (answer.status === 403 || answer.status === 405) {
                refused.push(`${request.method} ${request.url} (${answer.status})`);
            }
            response.writeHead(answer.status, { "Content-Type": "application/json" });
            response.end(JSON.stringify(answer.body ?? { kind: "Status", code: answer.status }));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        state,
        history,
        refused,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}

/** One step of every controller. */
function advance(state: ClusterState, history: string[]): void {
    for (const deployment of state.deployments) {
        if (deployment.spec.replicas === 0) {
            state.pods.filter((p) => p.spec.owner === deployment.metadata.name).forEach(markDeleted);
        }
    }
    const mounted = new Set(state.pods.flatMap((p) => p.spec.claims as string[]));
    for (const claim of state.persistentvolumeclaims.filter((c) => c.metadata.deletionTimestamp && !mounted.has(c.metadata.name))) {
        const volume = state.persistentvolumes.find((v) => v.metadata.name === claim.spec.volumeName);
        if (volume) {
            volume.status = { phase: "Released" };
            if (volume.spec.persistentVolumeReclaimPolicy === "Delete") {
                markDeleted(volume);
            }
        }
        claim.lingers = 0;
    }
    for (const kind of ["pods", "persistentvolumeclaims", "persistentvolumes", "services"] as const) {
        for (const item of state[kind].filter((i) => i.metadata.deletionTimestamp)) {
            item.lingers -= 1;
        }
        const stillMounted = (i: FakeObject) => kind === "persistentvolumeclaims" && mounted.has(i.metadata.name);
        const [gone, left] = partition(state[kind], (i) => Boolean(i.metadata.deletionTimestamp) && i.lingers <= 0 && !stillMounted(i));
        history.push(...gone.map((i) => `gone ${kind}/${i.metadata.name}`));
        state[kind] = left;
    }
    // A released volume with reclaim policy Delete is being deleted by its provisioner even if no claim of this run let it go.
    state.persistentvolumes.filter((v) => v.status?.phase === "Released" && v.spec.persistentVolumeReclaimPolicy === "Delete").forEach(markDeleted);
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
    return [items.filter(test), items.filter((item) => !test(item))];
}

function markDeleted(item: FakeObject): void {
    item.metadata.deletionTimestamp ??= "2026-12-18T17:00:00Z";
}

function allowed(rules: PolicyRule[], group: string, resource: string, verb: string): boolean {
    return rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
}

function selects(selector: string | null, labels: Record<string, string>): boolean {
    return !selector || selector.split(",").every((term) => {
        const [key, value] = term.split("=");
        return labels[key] === value;
    });
}

const view = (item: FakeObject) => ({ metadata: item.metadata, spec: item.spec, status: item.status });

function route(
    namespace: string, state: ClusterState, rules: { namespaced: PolicyRule[]; clusterWide: PolicyRule[] },
    method: string, url: URL, body: string, history: string[],
): { status: number; body?: unknown } {
    const namespaced = url.pathname.match(/^\/apis?\/(?:(apps)\/)?v1\/namespaces\/([^/]+)\/([a-z]+)(?:\/([^/]+))?(?:\/(scale))?$/);
    const clusterWide = url.pathname.match(/^\/api\/v1\/(persistentvolumes)$/);
    if (!namespaced && !clusterWide) {
        return { status: 404 };
    }
    const [group, resource, name, subresource] = namespaced
        ? [namespaced[1] ?? "", namespaced[3], namespaced[4], namespaced[5]]
        : ["", clusterWide![1], undefined, undefined];
    const verb = method === "GET" ? (name ? "get" : "list") : method === "DELETE" ? (name ? "delete" : "deletecollection") : method.toLowerCase();
    const ruleResource = subresource ? `${resource}/${subresource}` : resource;
    if (!allowed(namespaced ? rules.namespaced : rules.clusterWide, group, ruleResource, verb) || (namespaced && namespaced[2] !== namespace)) {
        return { status: 403 };
    }
    if (!(resource in state)) {
        return { status: 404 };
    }
    const collection = resource as keyof ClusterState;
    if (verb === "list") {
        return { status: 200, body: { items: state[collection].filter((i) => selects(url.searchParams.get("labelSelector"), i.metadata.labels)).map(view) } };
    }
    const item = state[collection].find((i) => i.metadata.name === name);
    if (!item) {
        return { status: 404 };
    }
    if (verb === "patch" && subresource === "scale") {
        item.spec.replicas = JSON.parse(body).spec.replicas;
        history.push(`scale deployments/${name} to ${item.spec.replicas}`);
        return { status: 200, body: { spec: { replicas: item.spec.replicas } } };
    }
    if (verb === "delete") {
        markDeleted(item);
        history.push(`delete ${resource}/${name}`);
        return { status: 200, body: view(item) };
    }
    return { status: 405 };
}
