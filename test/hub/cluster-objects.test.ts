import { strict as assert } from "node:assert";
import { Provider } from "@pulumi/kubernetes/provider";
import { JupyterHub, JupyterHubArgs, parseByteSize, toZ2jhValues } from "../../components";
import { GPU_PLATFORM } from "../../components/node-roles";
import { RecordedResource, unwrapSecrets } from "../setup-mocks";
import { KubernetesObject, kubernetesObjectProblems } from "../support/kubernetes-schemas";
import { one, run } from "../support/program";
import { FULL_PLATFORM, MAXIMAL_SPEC, MENU_PROFILE, MINIMAL_SPEC, forCluster } from "../support/specs";

/*
 * What the hub puts on a cluster besides the chart's own objects, checked against the Kubernetes
 * API schemas, and the parts of the chart's values that decide how the cluster treats a course.
 */

function hub(name: string, args: Omit<JupyterHubArgs, "provider">): JupyterHub {
    const provider = new Provider(`${name}-cluster`, { kubeconfig: "apiVersion: v1\nkind: Config\n" });
    return new JupyterHub(name, { provider, ...args });
}

/** A recorded `kubernetes:<group>/<version>:<Kind>` resource as the object sent to the API server. */
function asKubernetesObject(resource: RecordedResource): KubernetesObject {
    const [, groupVersion, kind] = /^kubernetes:(.+):(\w+)$/.exec(resource.type)!;
    const apiVersion = groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion;
    return { ...unwrapSecrets(resource.inputs), apiVersion, kind };
}

/** Kubernetes quantities with binary and decimal suffixes, in bytes. */
function quantityBytes(quantity: string): number {
    const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
    assert.ok(match, `"${quantity}" is not a byte quantity`);
    const factor: Record<string, number> = { "": 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
    return Number(match[1]) * factor[match[2] ?? ""];
}

describe("what a hub puts on the cluster", () => {
    it("every Kubernetes object the component creates itself is valid for the Kubernetes API", async () => {
        const gpuPlatform = { ...FULL_PLATFORM, gpu: GPU_PLATFORM };
        const resources = await run(() => hub("cs101", { spec: MAXIMAL_SPEC, platform: gpuPlatform }));
        const objects = resources.filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh") && r.custom)
            .map(asKubernetesObject);
        assert.deepEqual(
            [...new Set(objects.map((o) => o.kind))].sort(),
            // ConfigMap, Deployment, Service and PersistentVolume: the NFS server of homes on one file system.
            ["ConfigMap", "CronJob", "DaemonSet", "Deployment", "Namespace", "PersistentVolume", "PersistentVolumeClaim", "Role", "RoleBinding", "Secret",
                "Service", "ServiceAccount"],
        );
        const problems = (await Promise.all(objects.map(kubernetesObjectProblems))).flat();
        assert.deepEqual(problems, []);
    });

    it("the schema check itself rejects a broken object", async () => {
        const broken = { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "Lecture_Start" }, spec: { schedule: 5 } };
        const problems = await kubernetesObjectProblems(broken);
        assert.ok(problems.some((p) => /jobTemplate|schedule/.test(p)), problems.join("\n"));
        assert.ok(problems.some((p) => /DNS subdomain/.test(p)), problems.join("\n"));
    });

    it("each course's Helm release has its own name, so the chart's cluster-wide objects never collide", async () => {
        // z2jh 4.4.0 names its PriorityClasses and the user scheduler's ClusterRole(Binding)
        // `<release>-default-priority`, `<release>-user-placeholder-priority`,
        // `<release>-image-puller-priority` and `<release>-user-scheduler` (templates/_helpers-names.tpl).
        const resources = await run(() => {
            hub("cs101", { spec: MINIMAL_SPEC });
            hub("stat200", { spec: { ...MINIMAL_SPEC, course: "stat200", hostname: "stat200.hubs.example.edu" } });
            hub("cs101-spring", { spec: { ...MINIMAL_SPEC, term: "spring-2027", hostname: "cs101s.hubs.example.edu" } });
        });
        const releaseNames = resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "jupyterhub").map((r) => r.inputs.name);
        // Distinct release names are distinct cluster-wide names; test/upstream renders the chart and reads them back.
        assert.deepEqual(releaseNames, ["cs101-fall-2026", "stat200-fall-2026", "cs101-spring-2027"]);
    });

    it("refuses a course and term too long for a Helm release name, by key", async () => {
        assert.throws(
            () => forCluster({ ...MINIMAL_SPEC, course: "introduction-to-computer-science", term: "fall-semester-2026-section-b" }),
            (err: any) => err.errors.some((e: any) => e.propertyPath === "spec.term" && /at most 53/.test(e.reason)),
        );
    });
});

describe("z2jh values that decide how the cluster treats a course", () => {
    it("a warm seat requests exactly the memory KubeSpawner gives a server", () => {
        for (const memoryGuarantee of ["1G", "512M", "1.5G"]) {
            const spec = { ...MINIMAL_SPEC, server: { resources: { memoryGuarantee, cpuGuarantee: 0.75 } } };
            const requests = toZ2jhValues(forCluster(spec)).scheduling.userPlaceholder.resources.requests;
            // KubeSpawner reads `1G` as 2^30 bytes; Kubernetes would read the same text as 10^9.
            assert.equal(quantityBytes(requests.memory), parseByteSize(memoryGuarantee), memoryGuarantee);
            assert.equal(requests.cpu, "0.75");
        }
    });

    it("course content comes from an init container that works on any image, never from a postStart hook", () => {
        const perUserVolumes = { ...MAXIMAL_SPEC, storage: { ...MAXIMAL_SPEC.storage, home: { size: "5Gi", storageClass: "gp3" } } };
        const values = toZ2jhValues(forCluster(perUserVolumes, FULL_PLATFORM), FULL_PLATFORM);
        assert.equal(values.singleuser.lifecycleHooks, undefined);
        const [init] = values.singleuser.initContainers;
        assert.match(init.image, /git/);
        assert.deepEqual(init.volumeMounts, [{ name: values.singleuser.storage.dynamic.volumeNameTemplate, mountPath: "/home/jovyan" }]);
        assert.deepEqual([init.securityContext.runAsUser, init.securityContext.runAsGroup], [1000, 100], "files belong to the notebook user");
        assert.equal(values.singleuser.storage.dynamic.volumeNameTemplate, "volume-{user_server}", "the chart's home volume name (KubeSpawner template)");
    });

    it("GPU images are pulled onto GPU nodes only, CPU images onto CPU user nodes", async () => {
        const platform = { ...FULL_PLATFORM, gpu: GPU_PLATFORM };
        const values = toZ2jhValues(forCluster(MAXIMAL_SPEC, platform), platform);
        assert.equal(values.prePuller.pullProfileListImages, false, "the chart's pullers would pull the CUDA image onto every CPU node");
        // MAXIMAL_SPEC's CPU profiles use the server image, which the chart pulls anyway, but for MENU_PROFILE's choices.
        assert.deepEqual(Object.values(values.prePuller.extraImages), MENU_PROFILE.menus!.flatMap((menu) => menu.choices.flatMap((c) => c.image ?? [])));
        assert.equal(values.prePuller.extraTolerations, undefined, "the chart's pullers stay off GPU nodes");

        const resources = await run(() => hub("cs101", { spec: MAXIMAL_SPEC, platform }));
        const pod = asKubernetesObject(one(resources, "kubernetes:apps/v1:DaemonSet")).spec as any;
        const podSpec = pod.template.spec;
        assert.deepEqual(podSpec.nodeSelector, GPU_PLATFORM.nodeSelector);
        const tolerated = podSpec.tolerations.map((t: any) => t.key).sort();
        assert.deepEqual(tolerated, ["hub.jupyter.org/dedicated", "nvidia.com/gpu"], "GPU nodes carry the user taint and the GPU taint");
        assert.deepEqual(podSpec.initContainers.map((c: any) => c.image), ["quay.io/jupyter/pytorch-notebook:cuda12-2025-10-20"]);
    });

    it("without GPU profiles the chart's pullers pull every profile image, and there is no GPU puller", async () => {
        const values = toZ2jhValues(forCluster(MINIMAL_SPEC), { gpu: GPU_PLATFORM });
        assert.ok(!("pullProfileListImages" in values.prePuller) && !("extraImages" in values.prePuller), JSON.stringify(values.prePuller));
        const resources = await run(() => hub("cs101", { spec: MINIMAL_SPEC, platform: { gpu: GPU_PLATFORM } }));
        assert.equal(resources.filter((r) => r.type === "kubernetes:apps/v1:DaemonSet").length, 0);
    });
});
