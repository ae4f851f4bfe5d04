import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as https from "node:https";
import { AddressInfo } from "node:net";
import * as path from "node:path";
import * as dynamic from "@pulumi/pulumi/dynamic";
import * as container from "@pulumi/gcp/container";
import { Provider } from "@pulumi/kubernetes/provider";
import { EksHub, GkeHub, JupyterHub } from "../../components";
import { gkeExecKubeconfig } from "../../components/gcp/gke-layout";
import { execKubeconfig } from "../../components/kubeconfig";
import {
    CLUSTER_GUARD_CHECK_TYPE, ClusterGuard, ClusterGuardState, HostedCourse, apiServerOf, coursesOnCluster, namespaceList, namespaceListRequest,
    refusalMessage,
} from "../../components/k8s/cluster-guard";
import { RecordedResource, isSecret, mockServiceAccountToken, plaintextOccurrences, unwrapSecrets } from "../setup-mocks";
import { duplicateNames, one, providerUrn, run, runExpectingError } from "../support/program";
import { MINIMAL_SPEC } from "../support/specs";

/*
 * The guard that keeps `pulumi destroy` of a department cluster stack from deleting the cluster
 * under other stacks' courses: the message it builds, its provider (as serialized into the state)
 * against a real HTTPS server that stands in for the API server, and what it registers.
 */

const CLUSTER_STACK = { project: "course-hubs", stack: "dept-stats-cluster" };
const STAT200 = { project: "course-hubs", stack: "dept-stats-stat200" };
const STAT300 = { project: "course-hubs", stack: "dept-stats-stat300" };
const BIOLOGY = { project: "biology-hubs", stack: "bio110" };

/** A namespace as the API server lists it; with an owner, annotated as JupyterHub annotates its own. */
function namespace(name: string, owner?: { project: string; stack: string }): object {
    const annotations = owner ? { "course-hubs/pulumi-project": owner.project, "course-hubs/pulumi-stack": owner.stack } : undefined;
    return { metadata: { name, labels: { "kubernetes.io/metadata.name": name }, annotations }, status: { phase: "Active" } };
}

const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"].map((name) => namespace(name));
/** The cluster stack's own shared entry point: labelled with its course, but not a course. */
const INGRESS_NAMESPACE = { metadata: { name: "ingress", labels: { course: "stat100", "managed-by": "course-hubs" } } };
const OWN_COURSE = namespace("stat100-fall-2026", CLUSTER_STACK);

/** The refusal for one course, word for word as issue 14 asks for it. */
const ONE_COURSE_REFUSAL =
    "cluster stat100-fall-2026 still hosts 1 course: stat200-fall-2026 (stack dept-stats-stat200). Destroy it first: pulumi destroy -s dept-stats-stat200";

const course = (name: string, owner: { project: string; stack: string }): HostedCourse => ({ namespace: name, owner });

describe("cluster guard: which courses hold a cluster up, and what to do about them", () => {
    it("refuses with the course, its stack and the command that destroys it", () => {
        assert.equal(refusalMessage("stat100-fall-2026", [course("stat200-fall-2026", STAT200)], CLUSTER_STACK), ONE_COURSE_REFUSAL);
    });

    it("names every other course's stack once, and the project of a stack from another project", () => {
        const courses = [
            course("bio110-fall-2026", BIOLOGY),
            course("stat200-fall-2026", STAT200),
            course("stat200-spring-2027", STAT200),
            course("stat300-fall-2026", STAT300),
        ];
        assert.equal(
            refusalMessage("stat100-fall-2026", courses, CLUSTER_STACK),
            "cluster stat100-fall-2026 still hosts 4 courses: bio110-fall-2026 (stack bio110 of project biology-hubs), "
            + "stat200-fall-2026 (stack dept-stats-stat200), stat200-spring-2027 (stack dept-stats-stat200), stat300-fall-2026 (stack dept-stats-stat300). "
            + "Destroy them first: pulumi destroy -s bio110 (in project biology-hubs); "
            + "pulumi destroy -s dept-stats-stat200; pulumi destroy -s dept-stats-stat300",
        );
    });

    it("does not refuse when no other stack's course is left", () => {
        assert.equal(refusalMessage("stat100-fall-2026", [], CLUSTER_STACK), undefined);
    });

    it("counts annotated namespaces of other stacks only: not the cluster stack's own course, its ingress or system namespaces", () => {
        const list = {
            kind: "NamespaceList",
            items: [namespace("stat300-fall-2026", STAT300), ...SYSTEM_NAMESPACES, OWN_COURSE, INGRESS_NAMESPACE, namespace("bio110-fall-2026", BIOLOGY)],
        };
        assert.deepEqual(coursesOnCluster(list, CLUSTER_STACK), [course("bio110-fall-2026", BIOLOGY), course("stat300-fall-2026", STAT300)]);
    });

    it("counts a course of a stack with the cluster stack's name in another project", () => {
        const namesake = { project: "other-dept", stack: CLUSTER_STACK.stack };
        assert.deepEqual(coursesOnCluster({ items: [namespace("x101-fall-2026", namesake)] }, CLUSTER_STACK), [course("x101-fall-2026", namesake)]);
    });

    it("reads the API server and its CA from the current context of the kubeconfig a hub writes", () => {
        const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        const certificateAuthorityData = Buffer.from(pem).toString("base64");
        const kubeconfig = gkeExecKubeconfig({ clusterName: "stat100-fall-2026", endpoint: "34.118.0.10", certificateAuthorityData });
        assert.deepEqual(apiServerOf(kubeconfig), { server: "https://34.118.0.10", certificateAuthority: pem });
        const noCa = execKubeconfig({ clusterName: "c", server: "https://c.example", certificateAuthorityData: "", exec: {} });
        assert.throws(() => apiServerOf(noCa), /current context "c" has no cluster with a server and certificate-authority-data/);
    });

    it("asks for every namespace with the guard's token, trusting only the cluster's CA", () => {
        const request = namespaceListRequest({ server: "https://rancher.example.edu/k8s/clusters/c-42/", certificateAuthority: "CA PEM", token: "t0ken" });
        assert.deepEqual(request, {
            url: "https://rancher.example.edu/k8s/clusters/c-42/api/v1/namespaces",
            ca: "CA PEM",
            headers: { Authorization: "Bearer t0ken", Accept: "application/json" },
            timeoutMs: 30_000,
        });
    });

    it("turns a refused request into an error that carries the API server's reason", () => {
        const message = 'namespaces is forbidden: User "system:serviceaccount:kube-system:x" cannot list';
        const forbidden = JSON.stringify({ kind: "Status", code: 403, message });
        assert.throws(() => namespaceList({ status: 403, body: forbidden }), /^Error: the API server answered HTTP 403 \(namespaces is forbidden: User/);
        assert.throws(() => namespaceList({ status: 502, body: "<html>Bad Gateway</html>" }), /HTTP 502 \(<html>Bad Gateway<\/html>\)/);
        assert.deepEqual(namespaceList({ status: 200, body: '{"items":[]}' }), { items: [] });
    });
});

const FIXTURES = path.join(__dirname, "..", "fixtures", "cluster-guard");
const fixture = (file: string) => fs.readFileSync(path.join(FIXTURES, file), "utf8");
const CLUSTER_CA = fixture("cluster-ca.crt");
const GUARD_TOKEN = "guard-token-for-the-test";

/** An HTTPS server with the cluster CA's certificate that answers namespace lists as the API server does. */
class FakeApiServer {
    namespaces: object[] = [];
    /** How many requests to refuse with 403 before answering, as while a new role binding propagates. */
    refusalsLeft = 0;
    readonly requests: string[] = [];
    private readonly server = https.createServer({ key: fixture("api-server.key"), cert: fixture("api-server.crt") }, (req, res) => {
        this.requests.push(`${req.method} ${req.url}`);
        const answer = (status: number, body: object) => {
            res.writeHead(status, { "Content-Type": "application/json" });
            res.end(JSON.stringify(body));
        };
        if (req.headers.authorization !== `Bearer ${GUARD_TOKEN}` || this.refusalsLeft-- > 0) {
            answer(403, { kind: "Status", code: 403, message: "namespaces is forbidden" });
        } else if (req.method !== "GET" || req.url !== "/api/v1/namespaces") {
            answer(404, { kind: "Status", code: 404, message: "not found" });
        } else {
            answer(200, { kind: "NamespaceList", apiVersion: "v1", items: this.namespaces });
        }
    });

    async start(): Promise<string> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        await new Promise((resolve) => this.server.close(resolve));
    }
}

/** A dynamic provider as Pulumi's dynamic provider host loads it from the `__provider` text in the state. */
function loadSerializedProvider(text: string): dynamic.ResourceProvider {
    const module = { exports: {} as { handler: () => dynamic.ResourceProvider } };
    new Function("exports", "require", "module", text)(module.exports, require, module);
    return module.exports.handler();
}

const GUARD_URN = "urn:pulumi:test::course-hubs::course-hubs:k8s:ClusterGuard$pulumi-nodejs:dynamic:Resource::stat100-guard-check";

describe("cluster guard provider, serialized as in the state, against an HTTPS API server", () => {
    const api = new FakeApiServer();
    let serialized: string;
    let provider: dynamic.ResourceProvider;
    let state: ClusterGuardState;

    before(async () => {
        const resources = await run(() => guardProgram());
        const check = one(resources, CLUSTER_GUARD_CHECK_TYPE);
        serialized = check.inputs.__provider;
        provider = loadSerializedProvider(serialized);
        state = {
            clusterName: "stat100-fall-2026",
            server: await api.start(),
            certificateAuthority: CLUSTER_CA,
            token: GUARD_TOKEN,
            owner: CLUSTER_STACK,
            checkUrn: GUARD_URN,
        };
    });
    after(() => api.stop());
    beforeEach(() => {
        api.namespaces = [...SYSTEM_NAMESPACES, INGRESS_NAMESPACE, OWN_COURSE];
        api.refusalsLeft = 0;
        api.requests.length = 0;
    });

    it("requires nothing but Node's https, and reads no value through another module of this library", () => {
        assert.deepEqual(serialized.match(/require\([^)]*\)/g), ['require("node:https")']);
        // Here such a module is written out by value (`var __tags_1 = {};`); where course-hubs is an installed
        // package it becomes require("course-hubs/dist/..."), which the package's exports map refuses.
        assert.doesNotMatch(serialized, /^var __\w+_1 = \{\};$/m);
    });

    it("refuses the delete while another stack's course is on the cluster, naming that stack", async () => {
        api.namespaces.push(namespace("stat200-fall-2026", STAT200));
        await assert.rejects(provider.delete!("stat100-fall-2026", state), {
            message: ONE_COURSE_REFUSAL,
        });
        assert.deepEqual(api.requests, ["GET /api/v1/namespaces"]);
    });

    it("names every other course's stack", async () => {
        api.namespaces.push(namespace("stat300-fall-2026", STAT300), namespace("stat200-fall-2026", STAT200), namespace("bio110-fall-2026", BIOLOGY));
        await assert.rejects(provider.delete!("stat100-fall-2026", state), (err: Error) => {
            for (const stack of ["dept-stats-stat200", "dept-stats-stat300", "bio110"]) {
                assert.ok(err.message.includes(`pulumi destroy -s ${stack}`), `${stack} is not named: ${err.message}`);
            }
            return true;
        });
    });

    it("lets the delete through when only the cluster stack's own course is left", async () => {
        await provider.delete!("stat100-fall-2026", state);
        assert.deepEqual(api.requests, ["GET /api/v1/namespaces"]);
    });

    it("lets the next destroy through once the other course has been destroyed", async () => {
        const stat200 = namespace("stat200-fall-2026", STAT200);
        api.namespaces.push(stat200);
        await assert.rejects(provider.delete!("stat100-fall-2026", state), /still hosts 1 course/);
        api.namespaces = api.namespaces.filter((n) => n !== stat200);
        await provider.delete!("stat100-fall-2026", state);
    });

    it("trusts only the cluster's CA: with another CA nothing is sent and the delete fails, saying how to proceed", async () => {
        await assert.rejects(provider.delete!("stat100-fall-2026", { ...state, certificateAuthority: fixture("other-ca.crt") }), (err: Error) => {
            assert.match(err.message, /^cannot check which courses cluster stat100-fall-2026 still hosts, so it is not destroyed: listing namespaces at https:\/\/127\.0\.0\.1:\d+ failed: /);
            assert.match(err.message, /unable to verify the first certificate/);
            assert.ok(err.message.endsWith(`run pulumi destroy again: pulumi state delete '${GUARD_URN}'`), err.message);
            return true;
        });
        assert.deepEqual(api.requests, [], "the token must not reach a server the cluster's CA did not sign");
    });

    it("fails, saying how to proceed, when the cluster cannot be reached or refuses the token", async () => {
        const gone = new FakeApiServer();
        const goneServer = await gone.start();
        await gone.stop();
        await assert.rejects(provider.delete!("stat100-fall-2026", { ...state, server: goneServer }), /failed: connect ECONNREFUSED .*pulumi state delete/);
        await assert.rejects(provider.delete!("stat100-fall-2026", { ...state, token: "revoked" }), /failed: the API server answered HTTP 403 \(namespaces is forbidden\)\. If the cluster/);
    });

    it("checks at creation that it can list namespaces, waiting out a token or binding the API server has not seen yet", async () => {
        api.refusalsLeft = 1;
        assert.deepEqual(await provider.create(state), { id: "stat100-fall-2026", outs: state });
        assert.equal(api.requests.length, 2);
        await assert.rejects(provider.create({ ...state, certificateAuthority: fixture("other-ca.crt") }),
            /^Error: ClusterGuard cannot list the namespaces of cluster stat100-fall-2026 at https:\/\/127\.0\.0\.1:\d+, so it could not stop/);
    });

    it("replaces the check for a new API server (the old one checks the old cluster) and updates it for anything else", async () => {
        const olds = { ...state, __provider: "code v1" };
        assert.deepEqual(await provider.diff!("id", olds, { ...olds }), { changes: false, replaces: [] });
        assert.deepEqual(await provider.diff!("id", olds, { ...olds, token: "rotated" }), { changes: true, replaces: [] });
        assert.deepEqual(await provider.diff!("id", olds, { ...olds, __provider: "code v2" }), { changes: true, replaces: [] });
        assert.deepEqual(await provider.diff!("id", olds, { ...olds, server: "https://203.0.113.9" }), { changes: true, replaces: ["server"] });
    });
});

const STAT100 = { ...MINIMAL_SPEC, course: "stat100", hostname: "stat100.stats.example.edu" };

/** A department cluster as GkeHub builds it, reduced to what the guard needs, with its hub and the guard. */
function guardProgram(): { cluster: container.Cluster; provider: Provider; hub: JupyterHub; guard: ClusterGuard } {
    const cluster = new container.Cluster("stat100-cluster", { name: "stat100-fall-2026", location: "us-central1-a", initialNodeCount: 1 });
    const kubeconfig = cluster.masterAuth.apply((auth) =>
        gkeExecKubeconfig({ clusterName: "stat100-fall-2026", endpoint: "34.118.0.10", certificateAuthorityData: auth.clusterCaCertificate ?? "" }));
    const provider = new Provider("stat100-k8s", { kubeconfig }, { dependsOn: [cluster] });
    const hub = new JupyterHub("stat100-hub", { spec: STAT100, provider });
    const guard = new ClusterGuard("stat100-guard", {
        clusterName: "stat100-fall-2026", kubeconfig, provider, identity: STAT100, guards: [cluster, provider, hub],
    });
    return { cluster, provider, hub, guard };
}

describe("ClusterGuard under Pulumi mocks", () => {
    const GUARD_TYPES = [
        "kubernetes:core/v1:ServiceAccount",
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
        "kubernetes:core/v1:Secret",
        CLUSTER_GUARD_CHECK_TYPE,
    ];
    const GUARD_OBJECT_NAME = "stat100-fall-2026-cluster-guard";
    let resources: RecordedResource[];
    const guarded = (type: string, name?: string) => one(resources, type, name);
    before(async () => {
        resources = await run(() => guardProgram());
    });

    it("gives the guard a service account that may only get and list namespaces", () => {
        const account = guarded("kubernetes:core/v1:ServiceAccount", "stat100-guard-account");
        assert.deepEqual([account.inputs.metadata.name, account.inputs.metadata.namespace], [GUARD_OBJECT_NAME, "kube-system"]);
        assert.equal(account.inputs.automountServiceAccountToken, false);
        const role = guarded("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole");
        assert.equal(role.inputs.metadata.name, GUARD_OBJECT_NAME);
        assert.deepEqual(role.inputs.rules, [{ apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list"] }]);
        const binding = guarded("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
        assert.deepEqual(binding.inputs.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: GUARD_OBJECT_NAME });
        assert.deepEqual(binding.inputs.subjects, [{ kind: "ServiceAccount", name: GUARD_OBJECT_NAME, namespace: "kube-system" }]);
        assert.ok(binding.dependencies.includes(role.urn) && binding.dependencies.includes(account.urn), "the binding is deleted before its role and account");
    });

    it("gives it a long-lived token Secret of that account, and hands the token to the check as a secret only", () => {
        const account = guarded("kubernetes:core/v1:ServiceAccount", "stat100-guard-account");
        const tokenSecret = guarded("kubernetes:core/v1:Secret", "stat100-guard-token");
        assert.equal(tokenSecret.inputs.type, "kubernetes.io/service-account-token");
        assert.deepEqual([tokenSecret.inputs.metadata.name, tokenSecret.inputs.metadata.namespace], [GUARD_OBJECT_NAME, "kube-system"]);
        assert.equal(tokenSecret.inputs.metadata.annotations["kubernetes.io/service-account.name"], GUARD_OBJECT_NAME);
        assert.ok(tokenSecret.dependencies.includes(account.urn), "the token is made after its account exists");
        const check = guarded(CLUSTER_GUARD_CHECK_TYPE);
        assert.ok(isSecret(check.inputs.token), "the token must be a secret input of the check");
        assert.equal(unwrapSecrets(check.inputs.token), mockServiceAccountToken("stat100-guard-token"));
        assert.deepEqual(plaintextOccurrences(mockServiceAccountToken("stat100-guard-token"), resources), []);
    });

    it("gives the check the cluster's API server and CA from the kubeconfig, the owning stack and its own URN", () => {
        const check = unwrapSecrets(guarded(CLUSTER_GUARD_CHECK_TYPE).inputs);
        assert.equal(check.clusterName, "stat100-fall-2026");
        assert.equal(check.server, "https://34.118.0.10");
        assert.equal(check.certificateAuthority, Buffer.from("R0tFLUNB", "base64").toString("utf8"), "the mock GKE cluster's CA, decoded");
        assert.deepEqual(check.owner, { project: "course-hubs", stack: "test" });
        assert.equal(check.checkUrn, guarded(CLUSTER_GUARD_CHECK_TYPE).urn);
        assert.equal(typeof check.__provider, "string");
    });

    it("makes the check depend on every resource it guards, so destroy runs it before deleting any of them", () => {
        const check = guarded(CLUSTER_GUARD_CHECK_TYPE);
        const hubComponent = one(resources, "course-hubs:k8s:JupyterHub");
        const hubChildren = resources.filter((r) => r.parentUrn === hubComponent.urn && r.custom);
        const mustOutlive = [
            guarded("gcp:container/cluster:Cluster").urn,
            guarded("pulumi:providers:kubernetes", "stat100-k8s").urn,
            ...hubChildren.map((r) => r.urn),
            guarded("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").urn,
            guarded("kubernetes:core/v1:Secret", "stat100-guard-token").urn,
        ];
        assert.ok(hubChildren.some((r) => r.type === "kubernetes:helm.sh/v3:Release"), "the hub's release is among what the check guards");
        assert.deepEqual(mustOutlive.filter((urn) => !check.dependencies.includes(urn)), []);
        assert.deepEqual(resources.filter((r) => r.dependencies.includes(check.urn)).map((r) => r.name), [], "nothing may be deleted before the check");
    });

    it("parents everything to the guard, names it from the guard and creates the Kubernetes objects through the cluster's provider", () => {
        const component = one(resources, "course-hubs:k8s:ClusterGuard");
        const clusterProvider = guarded("pulumi:providers:kubernetes", "stat100-k8s").urn;
        const children = resources.filter((r) => r.parentUrn === component.urn);
        assert.deepEqual(children.map((r) => r.type).sort(), [...GUARD_TYPES].sort());
        for (const child of children) {
            assert.ok(child.name.startsWith("stat100-guard-"), child.name);
            if (child.type.startsWith("kubernetes:")) {
                assert.equal(providerUrn(child.provider), clusterProvider, `${child.type} goes through the cluster's provider`);
                const labels = { course: "stat100", term: "fall-2026", owner: "course-it_example_edu", "managed-by": "course-hubs" };
                assert.deepEqual(child.inputs.metadata.labels, labels);
            }
        }
        assert.deepEqual(duplicateNames(resources), []);
    });

    it("guarding a whole EksHub or GkeHub from outside it puts every resource of the hub after the check", async () => {
        for (const make of [
            () => new EksHub("stat100", { spec: STAT100, apiAccessCidrs: ["203.0.113.0/24"] }),
            () => new GkeHub("stat100", { spec: STAT100, location: { zone: "us-central1-a" }, apiAccessCidrs: ["203.0.113.0/24"] }),
        ]) {
            const program = await run(() => {
                const hub = make();
                new ClusterGuard("stat100-guard", {
                    clusterName: hub.clusterName, kubeconfig: hub.kubeconfig, provider: hub.provider, identity: STAT100, guards: [hub],
                });
            });
            const check = one(program, CLUSTER_GUARD_CHECK_TYPE);
            const hubResources = program.filter((r) => r.custom && !r.read && !r.type.startsWith("pulumi:providers:") && !r.name.startsWith("stat100-guard"));
            assert.ok(hubResources.length > 10, `${hubResources.length} resources`);
            assert.deepEqual(hubResources.filter((r) => !check.dependencies.includes(r.urn)).map((r) => `${r.type}::${r.name}`), []);
            assert.ok(unwrapSecrets(check.inputs.server).startsWith("https://"), "the API server comes from the hub's kubeconfig");
        }
    });

    it("reports every invalid argument at once, before creating anything", async () => {
        const { error, resources: created } = await runExpectingError(() => new ClusterGuard("stat100-guard", {
            clusterName: "", kubeconfig: "{}", provider: undefined as unknown as Provider, identity: { ...STAT100, term: "" },
            guards: [], namespace: "Kube_System",
        }));
        assert.deepEqual(error.errors.map((e: { propertyPath: string }) => e.propertyPath), ["clusterName", "provider", "identity", "guards", "namespace"]);
        assert.match(error.message, /^ClusterGuard "stat100-guard" has 5 invalid arguments:\n {2}- clusterName: is required/);
        assert.match(error.message, /guards: must list the cluster and what keeps its courses running/);
        assert.deepEqual(created, []);
    });

    it("has every JupyterHub annotate its namespace with the project and stack that own it", () => {
        const ns = one(resources, "kubernetes:core/v1:Namespace");
        assert.deepEqual(ns.inputs.metadata.annotations, { "course-hubs/pulumi-project": "course-hubs", "course-hubs/pulumi-stack": "test" });
    });
});
