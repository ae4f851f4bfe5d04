import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Provider } from "@pulumi/kubernetes/provider";
import * as YAML from "yaml";
import { JupyterHub } from "../../components";
import { chartDataFolder } from "../../components/hub/chart-values";
import {
    TEARDOWN_DEADLINE_SECONDS, TEARDOWN_IMAGE, TEARDOWN_RELEASE_NAME, chartDigest, hubTeardownValues, teardownChart,
} from "../../components/hub/teardown";
import { CHARTS, EKS_KUBERNETES } from "../../components/versions";
import { RecordedResource, unwrapSecrets } from "../setup-mocks";
import { ClusterContents, FakeCluster, PolicyRule, clusterState, fakeCluster } from "../support/fake-kubernetes";
import { helmTemplate } from "../support/helm";
import { KubernetesObject, kubernetesObjectProblems } from "../support/kubernetes-schemas";
import { run } from "../support/program";
import { FULL_PLATFORM, MAXIMAL_SPEC, MINIMAL_SPEC } from "../support/specs";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const KUBE_VERSION = `${EKS_KUBERNETES.version}.0`;

function hub(name: string, spec = MAXIMAL_SPEC, platform = FULL_PLATFORM): JupyterHub {
    const provider = new Provider(`${name}-cluster`, { kubeconfig: "apiVersion: v1\nkind: Config\n" });
    return new JupyterHub(name, { provider, spec, platform });
}

function teardownRelease(resources: RecordedResource[]): RecordedResource {
    const found = resources.filter((r) => r.type === RELEASE && r.inputs.name === TEARDOWN_RELEASE_NAME);
    assert.equal(found.length, 1, "one course-teardown release");
    return found[0];
}

/** The objects real Helm renders from a recorded course-teardown release (hooks included). */
function rendered(release: RecordedResource): KubernetesObject[] {
    const inputs = unwrapSecrets(release.inputs);
    return YAML.parseAllDocuments(helmTemplate(inputs.chart, inputs.name, inputs.namespace, inputs.values, KUBE_VERSION))
        .map((d) => d.toJS()).filter((o) => o && typeof o === "object");
}

const of = (objects: KubernetesObject[], kind: string) => objects.filter((o) => o.kind === kind) as any[];

describe("course-teardown's values", () => {
    it("select the hub and its servers, in z2jh's own hub image, on the core nodes where that image already is", () => {
        assert.deepEqual(hubTeardownValues({ nodePurposeLabels: true }), {
            image: { name: "quay.io/jupyterhub/k8s-hub", tag: "4.4.0", pullPolicy: "IfNotPresent" },
            // z2jh labels the hub's pods component=hub; KubeSpawner 7.0.0 (in z2jh 4.4.0's hub image)
            // labels every server pod component=singleuser-server (kubespawner/spawner.py, component_label).
            hubSelector: "component=hub",
            userServerSelector: "component=singleuser-server",
            // The NFS server of homes on one file system (shared-homes.ts): stopped after the servers, before the claims.
            storageServerSelector: "app.kubernetes.io/name=homes-nfs,app.kubernetes.io/component=homes-nfs-server",
            deadlineSeconds: 1200,
            pollSeconds: 5,
            nodeSelector: { "hub.jupyter.org/node-purpose": "core" },
            resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "128Mi" } },
        });
        assert.deepEqual(hubTeardownValues({}).nodeSelector, {}, "an unlabelled cluster: anywhere");
    });

    it("name the image of the chart's hub, at the chart's version (the tag z2jh publishes it under)", () => {
        const chartValues = YAML.parse(fs.readFileSync(path.join(chartDataFolder(), "values.yaml"), "utf8"));
        assert.equal(TEARDOWN_IMAGE.name, chartValues.hub.image.name);
        assert.equal(TEARDOWN_IMAGE.tag, CHARTS.jupyterhub.version);
    });
});

describe("JupyterHub installs course-teardown beside the chart", () => {
    it("from the chart in this package, in the hub's namespace, with the chart's digest in its values", async () => {
        const resources = await run(() => hub("cs101"));
        const release = teardownRelease(resources);
        const chart = teardownChart();
        assert.equal(release.inputs.chart, chart.path);
        assert.ok(fs.existsSync(path.join(chart.path, "Chart.yaml")));
        assert.equal(release.inputs.namespace, "cs101-fall-2026");
        assert.deepEqual(release.inputs.values, { ...hubTeardownValues(FULL_PLATFORM), chartDigest: chart.digest });
        assert.equal(release.name, "cs101-teardown");
    });

    it("changes its values when any file of the chart changes, so that Pulumi upgrades the release", () => {
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), "course-teardown-"));
        try {
            fs.cpSync(teardownChart().path, copy, { recursive: true });
            assert.equal(chartDigest(copy), teardownChart().digest);
            fs.appendFileSync(path.join(copy, "files", "teardown.py"), "\n");
            assert.notEqual(chartDigest(copy), teardownChart().digest);
        } finally {
            fs.rmSync(copy, { recursive: true, force: true });
        }
    });
});

describe("course-teardown rendered by real Helm", function () {
    this.timeout(120_000);
    let release: RecordedResource;
    let objects: KubernetesObject[];

    before(async () => {
        release = teardownRelease(await run(() => hub("cs101")));
        objects = rendered(release);
    });

    it("renders objects the Kubernetes API accepts", async () => {
        assert.deepEqual(objects.map((o) => o.kind).sort(),
            ["ClusterRole", "ClusterRoleBinding", "ConfigMap", "Job", "Role", "RoleBinding", "ServiceAccount"]);
        const problems = (await Promise.all(objects.map(kubernetesObjectProblems))).flat();
        assert.deepEqual(problems, []);
    });

    it("makes the Job the one hook: created on uninstall, before anything of the release is deleted, and deleted once it succeeded", () => {
        const hooks = objects.filter((o: any) => o.metadata.annotations?.["helm.sh/hook"]);
        assert.deepEqual(hooks.map((o) => o.kind), ["Job"], "its service account, role and script exist before it runs");
        assert.equal((hooks[0] as any).metadata.annotations["helm.sh/hook"], "pre-delete");
        assert.equal((hooks[0] as any).metadata.annotations["helm.sh/hook-delete-policy"], "before-hook-creation,hook-succeeded");
    });

    it("lets the Job do what its steps need in the namespace, and only list volumes cluster-wide", () => {
        assert.deepEqual(of(objects, "Role")[0].rules, [
            { apiGroups: ["apps"], resources: ["deployments"], verbs: ["list"] },
            { apiGroups: ["apps"], resources: ["deployments/scale"], verbs: ["patch"] },
            { apiGroups: [""], resources: ["pods"], verbs: ["list", "delete"] },
            { apiGroups: [""], resources: ["services"], verbs: ["list", "delete"] },
            { apiGroups: [""], resources: ["persistentvolumeclaims"], verbs: ["list", "delete"] },
        ]);
        assert.deepEqual(of(objects, "ClusterRole")[0].rules, [{ apiGroups: [""], resources: ["persistentvolumes"], verbs: ["list"] }]);
        const account = { kind: "ServiceAccount", name: TEARDOWN_RELEASE_NAME, namespace: "cs101-fall-2026" };
        for (const binding of [...of(objects, "RoleBinding"), ...of(objects, "ClusterRoleBinding")]) {
            assert.deepEqual(binding.subjects, [account]);
        }
        assert.equal(of(objects, "Job")[0].spec.template.spec.serviceAccountName, TEARDOWN_RELEASE_NAME);
    });

    it("names its cluster-wide objects after the namespace, so courses on one cluster do not collide", async () => {
        const other = rendered(teardownRelease(await run(() => hub("stat200", { ...MINIMAL_SPEC, course: "stat200" }))));
        const clusterWide = (objectsOf: KubernetesObject[]) => objectsOf.filter((o) => o.kind.startsWith("Cluster")).map((o) => o.metadata!.name);
        assert.deepEqual(clusterWide(objects), ["cs101-fall-2026-course-teardown", "cs101-fall-2026-course-teardown"]);
        assert.deepEqual(clusterWide(other), ["stat200-fall-2026-course-teardown", "stat200-fall-2026-course-teardown"]);
    });

    it("runs the chart's script unprivileged on the core nodes, and gives up before the Job's deadline, and that before Helm's", () => {
        const job = of(objects, "Job")[0];
        const pod = job.spec.template.spec;
        const container = pod.containers[0];
        assert.equal(container.image, `${TEARDOWN_IMAGE.name}:${TEARDOWN_IMAGE.tag}`);
        assert.deepEqual(pod.nodeSelector, { "hub.jupyter.org/node-purpose": "core" });
        assert.deepEqual(pod.securityContext, { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } });
        assert.deepEqual(container.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
        assert.equal(of(objects, "ConfigMap")[0].data["teardown.py"], fs.readFileSync(path.join(teardownChart().path, "files", "teardown.py"), "utf8"));
        const scriptDeadline = Number(container.env.find((e: any) => e.name === "DEADLINE_SECONDS").value);
        assert.equal(scriptDeadline, TEARDOWN_DEADLINE_SECONDS);
        assert.ok(scriptDeadline < job.spec.activeDeadlineSeconds, "the script says what it waited for before the Job is killed");
        assert.ok(job.spec.activeDeadlineSeconds < release.inputs.timeout, "Helm waits for the Job's own failure, not its own timeout");
    });

    it("renders a script that pyflakes (Debian's pyflakes3) accepts: no undefined name on a path the fake cluster below does not take", () => {
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "course-teardown-check-"));
        try {
            const script = path.join(work, "teardown.py");
            fs.writeFileSync(script, of(objects, "ConfigMap")[0].data["teardown.py"]);
            const check = spawnSync("pyflakes3", [script], { encoding: "utf8" });
            if (check.error) {
                throw new Error("pyflakes3 is not installed: .ci/run installs it with apt-get", { cause: check.error });
            }
            assert.equal(`${check.stdout}${check.stderr}`, "");
            assert.equal(check.status, 0);
        } finally {
            fs.rmSync(work, { recursive: true, force: true });
        }
    });

    it("refuses to render without the selectors of the hub and its servers", () => {
        const inputs = unwrapSecrets(release.inputs);
        for (const selector of ["hubSelector", "userServerSelector"]) {
            const values = { ...inputs.values, [selector]: "" };
            assert.throws(() => helmTemplate(inputs.chart, inputs.name, inputs.namespace, values, KUBE_VERSION),
                new RegExp(`${selector}: String length must be greater than or equal to 1`), selector);
        }
    });
});

/**
 * Runs the script exactly as Helm renders it into the ConfigMap, with the Job's environment,
 * against a fake API server that grants what the rendered Role and ClusterRole grant. The
 * deadline is cut to seconds and the polling to milliseconds.
 */
async function runTeardown(objects: KubernetesObject[], cluster: FakeCluster, deadlineSeconds: number): Promise<{ code: number; output: string }> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "course-teardown-run-"));
    const script = path.join(work, "teardown.py");
    fs.writeFileSync(script, of(objects, "ConfigMap")[0].data["teardown.py"]);
    const container = of(objects, "Job")[0].spec.template.spec.containers[0];
    const jobEnv = Object.fromEntries(container.env.filter((e: any) => "value" in e).map((e: any) => [e.name, e.value]));
    const child = spawn("python3", [script], {
        env: {
            PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: "1", ...jobEnv, NAMESPACE: "cs101-fall-2026",
            KUBERNETES_API_URL: cluster.url, POLL_SECONDS: "0.01", DEADLINE_SECONDS: String(deadlineSeconds),
        },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const code = await new Promise<number>((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (exitCode) => resolve(exitCode ?? -1));
    });
    fs.rmSync(work, { recursive: true, force: true });
    return { code, output };
}

describe("course-teardown's script, against a cluster that takes its time", function () {
    this.timeout(60_000);
    let objects: KubernetesObject[];
    let rules: { namespaced: PolicyRule[]; clusterWide: PolicyRule[] };
    const clusters: FakeCluster[] = [];
    const start = async (contents: ClusterContents, unavailableFor = 0) => {
        const cluster = await fakeCluster("cs101-fall-2026", clusterState("cs101-fall-2026", contents), rules, unavailableFor);
        clusters.push(cluster);
        return cluster;
    };

    before(async () => {
        objects = rendered(teardownRelease(await run(() => hub("cs101"))));
        rules = { namespaced: of(objects, "Role")[0].rules, clusterWide: of(objects, "ClusterRole")[0].rules };
    });
    after(async () => Promise.all(clusters.map((c) => c.close())));

    const user = { "component": "singleuser-server", "app.kubernetes.io/component": "singleuser-server" };
    const A_COURSE: ClusterContents = {
        hub: { labels: { component: "hub", app: "jupyterhub" }, claims: ["hub-db-dir"] },
        servers: [
            { name: "jupyter-alice", labels: user, claims: ["claim-alice", "course-shared"] },
            { name: "jupyter-bob", labels: user, claims: ["claim-bob", "course-shared"] },
            { name: "user-placeholder-0", labels: { component: "user-placeholder" }, claims: [] },
        ],
        volumes: [
            { name: "pvc-hub-db", claim: "hub-db-dir", reclaimPolicy: "Delete" },
            { name: "pvc-alice", claim: "claim-alice", reclaimPolicy: "Delete" },
            { name: "pvc-bob", claim: "claim-bob", reclaimPolicy: "Retain" },
            { name: "pvc-shared", claim: "course-shared", reclaimPolicy: "Delete" },
            { name: "pvc-other-course", claim: "claim-carol", claimNamespace: "ds100-fall-2026", reclaimPolicy: "Delete" },
        ],
        services: [{ name: "proxy-public", type: "LoadBalancer" }, { name: "hub", type: "ClusterIP" }, { name: "proxy-api", type: "ClusterIP" }],
    };

    it("stops the hub before any server, and ends only once the servers, load balancers, claims and Delete volumes are gone", async () => {
        const cluster = await start(A_COURSE);
        const { code, output } = await runTeardown(objects, cluster, 30);
        assert.equal(code, 0, output);
        assert.deepEqual(cluster.refused, [], "every call is one the Role or ClusterRole grants");
        const history = cluster.history;
        assert.equal(history.find((h) => !h.startsWith("gone")), "scale deployments/hub to 0");
        const hubGone = history.indexOf("gone pods/hub-5d9c7b8f6-x2k4q");
        assert.ok(hubGone >= 0 && hubGone < history.findIndex((h) => h.startsWith("delete pods/")), `no server is deleted while the hub runs: ${history}`);
        const { state } = cluster;
        assert.deepEqual(state.pods.map((p) => p.metadata.name), ["user-placeholder-0"], "the chart's own pods are left to its uninstall");
        assert.deepEqual(state.persistentvolumeclaims, []);
        assert.deepEqual(state.persistentvolumes.map((v) => v.metadata.name), ["pvc-bob", "pvc-other-course"],
            "a volume with reclaim policy Retain stays, as does another namespace's");
        assert.deepEqual(state.services.map((s) => s.metadata.name), ["hub", "proxy-api"]);
        assert.match(output, /kept by their reclaim policy Retain: pvc-bob/);
    });

    it("stops the NFS server of shared homes only once the servers that mount it are gone, and before deleting the claims", async () => {
        const homes = { name: "homes-nfs", labels: { "app.kubernetes.io/name": "homes-nfs", "app.kubernetes.io/component": "homes-nfs-server" } };
        const cluster = await start({
            ...A_COURSE,
            deployments: [{ ...homes, claims: ["course-homes-disk"] }],
            servers: A_COURSE.servers!.map((server) => ({ ...server, claims: server.claims.length > 0 ? ["course-homes", "course-shared"] : [] })),
            volumes: [
                ...A_COURSE.volumes!.filter((v) => !["claim-alice", "claim-bob"].includes(v.claim ?? "")),
                { name: "pvc-homes-disk", claim: "course-homes-disk", reclaimPolicy: "Delete" },
                { name: "cs101-fall-2026-homes", claim: "course-homes", reclaimPolicy: "Retain" },
            ],
        });
        const { code, output } = await runTeardown(objects, cluster, 30);
        assert.equal(code, 0, output);
        assert.deepEqual(cluster.refused, [], "every call is one the Role or ClusterRole grants");
        const history = cluster.history;
        const stopped = history.indexOf("scale deployments/homes-nfs to 0");
        const lastServerGone = Math.max(history.indexOf("gone pods/jupyter-alice"), history.indexOf("gone pods/jupyter-bob"));
        assert.ok(lastServerGone >= 0 && lastServerGone < stopped, `no server is left mounting homes when their NFS server stops: ${history}`);
        const firstClaimDeleted = history.findIndex((h) => h.startsWith("delete persistentvolumeclaims/"));
        assert.ok(history.indexOf("gone pods/homes-nfs-6c4f8b9d7-p5m2z") < firstClaimDeleted, `the NFS server is gone before any claim is deleted: ${history}`);
        assert.deepEqual(cluster.state.persistentvolumes.map((v) => v.metadata.name).sort(), ["cs101-fall-2026-homes", "pvc-other-course"],
            "the disk of every home goes with its class's Delete policy; the NFS volume (nothing behind it) is left to Pulumi");
    });

    it("rides out an API server that does not answer for a while", async () => {
        const cluster = await start(A_COURSE, 5);
        const { code, output } = await runTeardown(objects, cluster, 30);
        assert.equal(code, 0, output);
        assert.match(output, /HTTP 503; trying again/);
        assert.deepEqual(cluster.state.persistentvolumeclaims, []);
    });

    it("a second run, after the claims are gone, still waits for the volumes they were bound to", async () => {
        const cluster = await start({ volumes: [{ name: "pvc-alice", reclaimPolicy: "Delete" }] });
        const { code, output } = await runTeardown(objects, cluster, 30);
        assert.equal(code, 0, output);
        assert.deepEqual(cluster.state.persistentvolumes, []);
        assert.ok(cluster.history.includes("gone persistentvolumes/pvc-alice"));
    });

    it("gives up by its deadline when a disk is never deleted, naming its volume", async () => {
        const cluster = await start({ ...A_COURSE, volumes: [{ name: "pvc-alice", claim: "claim-alice", reclaimPolicy: "Delete", neverDeleted: true }] });
        const started = Date.now();
        const { code, output } = await runTeardown(objects, cluster, 2);
        assert.equal(code, 1, output);
        assert.ok(Date.now() - started < 15_000, "it stops at its deadline");
        assert.match(output, /gave up after 2 seconds waiting for volumes with reclaim policy Delete.*pvc-alice \(Released\)/);
        assert.match(output, /run pulumi destroy again/);
    });
});
