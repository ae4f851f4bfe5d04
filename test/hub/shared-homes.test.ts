import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { Provider } from "@pulumi/kubernetes/provider";
import { EksHub, GkeHub, JupyterHub, toZ2jhValues } from "../../components";
import { corePods } from "../../components/aws/eks-layout";
import { clusterCapabilities, ec2Capabilities, hubSpecProblems } from "../../components/platforms";
import { hubClusterObjects } from "../../components/hub/cluster-objects";
import { homeFolderName } from "../../components/hub/shared-homes";
import { HubSpec, SharedHomesSpec } from "../../components/hub/spec";
import { IMAGES } from "../../components/versions";
import { estimateCost } from "../../plan/cost";
import { one, run } from "../support/program";
import { FULL_PLATFORM, MINIMAL_SPEC, forCluster } from "../support/specs";

/*
 * Homes as folders with a quota on one file system (storage.home.sharedFileSystem): the chart's
 * values, the NFS server and its volumes, the hook that shows admins every home, what each platform
 * refuses, and what the plan bills. The objects themselves are checked against the Kubernetes API
 * schemas in cluster-objects.test.ts (MAXIMAL_SPEC has shared homes), the chart's values against its
 * schema in z2jh-values.test.ts, and by real Helm and the chart's own hub configuration in
 * test/upstream/charts.test.ts.
 */

const HOMES: SharedHomesSpec = { size: "200Gi", sizeOverrides: { "prof-smith": "50Gi", "1student": "1536Mi" } };
const SHARED: HubSpec = {
    ...MINIMAL_SPEC,
    adminUsers: ["prof-smith"],
    staffUsers: ["ta-jones"],
    storage: { home: { size: "10Gi", sharedFileSystem: HOMES } },
};
const PLATFORM = { ...FULL_PLATFORM, nodePurposeLabels: true };

function problemsOn(spec: HubSpec, platform = PLATFORM): Record<string, string> {
    return Object.fromEntries(hubSpecProblems(spec, clusterCapabilities(platform)).map((p) => [p.propertyPath, p.reason]));
}

describe("each user's folder on the shared file system", () => {
    it("is named as KubeSpawner 7.0.0 expands {username}: the name when it is a safe DNS label, else a safe form with a hash", () => {
        // Expected values printed by kubespawner/slugs.py at tag 7.0.0, safe_slug(name, max_length=48),
        // as KubeSpawner's _expand_user_properties calls it for {username} under its default "safe" scheme.
        const expected: Record<string, string> = {
            "prof-smith": "prof-smith",
            "prof.lee@example.edu": "prof-lee-example-edu---233e6213",
            "ta--jones": "ta-jones---d8a25f52",
            "1student": "x-1student---41988779",
            [`${"a".repeat(48)}`]: "a".repeat(48),
            [`${"a".repeat(49)}`]: `${"a".repeat(37)}---8f9bec6a`,
            "jdoe_2": "jdoe-2---df8911f1",
            "student-": "student---65bf74b2",
            "-": "x---3973e022",
            "ümit": "mit---8454839e",
        };
        assert.deepEqual(Object.fromEntries(Object.keys(expected).map((name) => [name, homeFolderName(name)])), expected);
    });
});

describe("the chart's values with homes on a shared file system", () => {
    it("mount each user's folder of the NFS claim at the home, for the notebook and for every init container alike", () => {
        const spec: HubSpec = {
            ...SHARED,
            server: {
                content: { repository: "https://github.com/example-university/cs101-notebooks.git" },
                initContainers: [{ name: "fetch", image: { name: "docker.io/library/busybox", tag: "1.37.0" }, command: ["true"] }],
            },
        };
        const values = toZ2jhValues(forCluster(spec, PLATFORM), PLATFORM);
        // z2jh 4.4.0 files/hub/jupyterhub_config.py: a static claim is the volume "home", mounted at homeMountPath with static.subPath.
        assert.deepEqual(values.singleuser.storage, { type: "static", static: { pvcName: "course-homes", subPath: "{username}" } });
        assert.deepEqual(values.singleuser.initContainers.map((c: any) => c.volumeMounts),
            [[{ name: "home", subPath: "{username}", mountPath: "/home/jovyan" }], [{ name: "home", subPath: "{username}", mountPath: "/home/jovyan" }]]);
    });

    it("keep a volume of its own for each user by default", () => {
        const values = toZ2jhValues(forCluster({ ...MINIMAL_SPEC, storage: { home: { size: "5Gi", storageClass: "premium" } } }, PLATFORM), PLATFORM);
        assert.deepEqual(values.singleuser.storage,
            { type: "dynamic", capacity: "5Gi", dynamic: { volumeNameTemplate: "volume-{user_server}", storageClass: "premium" } });
        assert.equal(values.hub.extraConfig?.["course-hubs-zz-all-homes"], undefined);
    });
});

describe("the NFS server of shared homes", () => {
    const objects = hubClusterObjects(forCluster(SHARED, PLATFORM), PLATFORM).sharedHomes!;

    it("keeps every home on one block volume of the platform's XFS class, of the file system's size", () => {
        assert.deepEqual(objects.disk, { storageClassName: "gp3-xfs-quota", size: "200Gi" });
        assert.equal(hubClusterObjects(forCluster(MINIMAL_SPEC, PLATFORM), PLATFORM).sharedHomes, undefined, "nothing without the option");
    });

    it("gives the quota enforcer each folder's quota in GiB, overrides by the folder KubeSpawner makes, owned by the notebook user", () => {
        assert.deepEqual(JSON.parse(objects.config["quota-enforcer.json"]), {
            QuotaManager: {
                paths: ["/export"],
                hard_quota: 10,
                quota_overrides: { "prof-smith": 50, "x-1student---41988779": 1.5 },
                uid: 1000,
                gid: 100,
                wait_time: 30,
            },
        });
        const quota = (spec: HubSpec) => JSON.parse(hubClusterObjects(forCluster(spec, PLATFORM), PLATFORM).sharedHomes!.config["quota-enforcer.json"]);
        assert.equal(quota({ ...SHARED, storage: { home: { sharedFileSystem: { size: "100Gi" } } } }).QuotaManager.hard_quota, 10,
            "storage.home.size's default");
    });

    it("exports the file system over NFSv4 only, every client squashed to the notebook user", () => {
        const ganesha = objects.config["ganesha.conf"];
        const lines = ["Path = /export;", "Pseudo = /;", "Protocols = 4;", "Squash = All_Squash;", "Anonymous_Uid = 1000;", "Anonymous_Gid = 100;",
            "Name = VFS;"];
        for (const line of lines) {
            assert.ok(ganesha.includes(line), `${line} in\n${ganesha}`);
        }
        assert.deepEqual(objects.mountOptions, ["nfsvers=4", "hard"]);
    });

    it("runs the pinned images on a core node, the NFS server with two added capabilities and only the quota enforcer privileged", () => {
        const pod: any = objects.serverPod;
        assert.deepEqual(pod.nodeSelector, { "hub.jupyter.org/node-purpose": "core" });
        assert.equal(pod.automountServiceAccountToken, false);
        const [nfs, enforcer] = pod.containers;
        assert.equal(nfs.image, `ghcr.io/2i2c-org/nfs-ganesha:${IMAGES.homesNfsServer.tag}`);
        assert.deepEqual(nfs.securityContext, { allowPrivilegeEscalation: false, capabilities: { add: ["DAC_READ_SEARCH", "SYS_RESOURCE"] } });
        assert.equal(enforcer.image, `ghcr.io/2i2c-org/jupyterhub-home-nfs:${IMAGES.homesQuotaEnforcer.tag}`);
        assert.deepEqual(enforcer.command, ["python", "-m", "jupyterhub_home_nfs.generate", "--config-file", "/etc/course-hubs/quota-enforcer.json"]);
        assert.deepEqual(enforcer.securityContext, { privileged: true });
        assert.deepEqual(pod.volumes[0], { name: "homes", persistentVolumeClaim: { claimName: "course-homes-disk" } });
        const unlabelled = hubClusterObjects(forCluster(SHARED, { ...PLATFORM, nodePurposeLabels: false }), { ...PLATFORM, nodePurposeLabels: false });
        assert.equal(unlabelled.sharedHomes!.serverPod.nodeSelector, undefined, "an unlabelled cluster: anywhere");
    });

    it("restarts when a quota changes: both programs read their configuration once", () => {
        const digest = (spec: HubSpec) =>
            hubClusterObjects(forCluster(spec, PLATFORM), PLATFORM).sharedHomes!.serverPodAnnotations["course-hubs/config-sha256"];
        assert.notEqual(digest(SHARED), digest({ ...SHARED, storage: { home: { size: "12Gi", sharedFileSystem: HOMES } } }));
        assert.equal(digest(SHARED), digest({ ...SHARED, storage: { home: { size: "10Gi", sharedFileSystem: { ...HOMES, size: "300Gi" } } } }));
    });
});

function hub(name: string, spec: HubSpec): JupyterHub {
    const provider = new Provider(`${name}-cluster`, { kubeconfig: "apiVersion: v1\nkind: Config\n" });
    return new JupyterHub(name, { provider, spec, platform: PLATFORM });
}

describe("JupyterHub with homes on a shared file system", () => {
    it("mounts the NFS server's Service by its cluster IP (the kubelet resolves no cluster DNS), in a volume only the hub's claim binds", async () => {
        const resources = await run(() => hub("cs101", SHARED));
        const service = one(resources, "kubernetes:core/v1:Service", "cs101-homes-nfs");
        const volume = one(resources, "kubernetes:core/v1:PersistentVolume", "cs101-homes");
        // The recording engine gives a ClusterIP Service an address in 10.100.0.0/16, as the API server would.
        assert.match(volume.inputs.spec.nfs.server, /^10\.100\.\d+\.\d+$/);
        assert.ok(volume.dependencies.includes(service.urn));
        assert.deepEqual(volume.inputs.metadata.name, "cs101-fall-2026-homes", "cluster-wide: named after the hub's namespace");
        assert.deepEqual(volume.inputs.spec.claimRef, { namespace: "cs101-fall-2026", name: "course-homes" });
        assert.equal(volume.inputs.spec.persistentVolumeReclaimPolicy, "Retain", "nothing behind it to delete; the disk follows its own class");
        const claim = one(resources, "kubernetes:core/v1:PersistentVolumeClaim", "cs101-homes");
        assert.deepEqual([claim.inputs.spec.storageClassName, claim.inputs.spec.volumeName, claim.inputs.spec.accessModes],
            ["", "cs101-fall-2026-homes", ["ReadWriteMany"]]);
        const disk = one(resources, "kubernetes:core/v1:PersistentVolumeClaim", "cs101-homes-disk");
        assert.deepEqual([disk.inputs.spec.storageClassName, disk.inputs.spec.resources.requests.storage, disk.inputs.spec.accessModes],
            ["gp3-xfs-quota", "200Gi", ["ReadWriteOnce"]]);
        const server = one(resources, "kubernetes:apps/v1:Deployment", "cs101-homes-nfs");
        assert.equal(server.inputs.spec.strategy.type, "Recreate", "the block volume attaches to one node at a time");
        assert.deepEqual(service.inputs.spec.selector, server.inputs.spec.selector.matchLabels);
        const release = one(resources, "kubernetes:helm.sh/v3:Release", "cs101-release");
        assert.ok(release.dependencies.includes(claim.urn), "the servers' claim exists before the hub starts a server");
    });
});

describe("the all-homes mount, run by the hub's own configuration loader", () => {
    /*
     * z2jh 4.4.0's jupyterhub_config.py runs hub.extraConfig in sorted key order, each with exec() in
     * its own module's globals, on traitlets' Config (python3-traitlets here, as JupyterHub loads it).
     * The hook is then called with the mounts in the chart's shape (a dict; KubeSpawner 7 also takes a list).
     */
    const harness = `
import json, sys
from traitlets.config import Config
values = json.loads(sys.argv[1])
c = Config()
scope = {"c": c}
for key, snippet in sorted(values["hub"].get("extraConfig", {}).items()):
    exec(snippet, scope)
hook = c.KubeSpawner.pre_spawn_hook
home = {"mountPath": "/home/jovyan", "name": "home", "subPath": "{username}"}
chart_mounts = {"home": home}
for i, mount in enumerate(values["singleuser"]["storage"].get("extraVolumeMounts", [])):
    chart_mounts[f"{i}-{mount['name']}"] = mount
result = {}
for shape, mounts in [("dict", chart_mounts), ("list", list(chart_mounts.values()))]:
    for name, admin in [("prof-smith", True), ("ta-jones", False), ("student-1", False)]:
        spawner = type("Spawner", (), {})()
        spawner.user = type("User", (), {"name": name, "admin": admin})()
        spawner.volume_mounts = mounts
        hook(spawner)
        listed = spawner.volume_mounts.values() if isinstance(spawner.volume_mounts, dict) else spawner.volume_mounts
        result[f"{shape} {name}"] = sorted([m["mountPath"], m["name"], m.get("subPath"), m.get("readOnly", False)] for m in listed)
    listed = mounts.values() if isinstance(mounts, dict) else mounts
    result[f"{shape} untouched"] = sorted([m["mountPath"], m["name"], m.get("subPath"), m.get("readOnly", False)] for m in listed)
print(json.dumps(result))
`;
    const mountsOf = (spec: HubSpec) => {
        const values = toZ2jhValues(forCluster(spec, PLATFORM), PLATFORM);
        return JSON.parse(execFileSync("python3", ["-c", harness, JSON.stringify(values)], { encoding: "utf8" }));
    };
    const own = ["/home/jovyan", "home", "{username}", false];
    const everyHome = ["/srv/all-homes", "home", null, false];

    it("gives admins, and staff when asked, the whole file system; students their own folder only; the chart's mounts unchanged", () => {
        const spec: HubSpec = { ...SHARED, storage: { home: { sharedFileSystem: { ...HOMES, allHomes: { path: "/srv/all-homes", staff: true } } } } };
        const mounts = mountsOf(spec);
        for (const shape of ["dict", "list"]) {
            assert.deepEqual(mounts[`${shape} prof-smith`], [everyHome, own].sort(), shape);
            assert.deepEqual(mounts[`${shape} ta-jones`], [everyHome, own].sort(), shape);
            assert.deepEqual(mounts[`${shape} student-1`], [own], shape);
            assert.deepEqual(mounts[`${shape} untouched`], [own], `${shape}: spawners share the chart's mounts`);
        }
        const adminsOnly = mountsOf({ ...SHARED, storage: { home: { sharedFileSystem: { ...HOMES, allHomes: {} } } } });
        assert.deepEqual(adminsOnly["dict prof-smith"], [own, ["/home/jovyan/all-homes", "home", null, false]].sort());
        assert.deepEqual(adminsOnly["dict ta-jones"], [own]);
    });

    it("runs after the shared folders' hook and keeps what it did: staff still write the course folder", () => {
        const spec: HubSpec = {
            ...SHARED,
            storage: { sharedCourseFolder: true, home: { sharedFileSystem: { ...HOMES, allHomes: { path: "/srv/all-homes", staff: true } } } },
        };
        const mounts = mountsOf(spec);
        const course = (readOnly: boolean) => ["/home/jovyan/shared", "course-shared", "course", readOnly];
        assert.deepEqual(mounts["dict ta-jones"], [course(false), everyHome, own].sort());
        assert.deepEqual(mounts["dict student-1"], [course(true), own].sort());
    });
});

describe("what a platform refuses of shared homes", () => {
    it("EC2AutoscaleHub: homes are folders on EFS already, which has no quotas", () => {
        const reasons = Object.fromEntries(hubSpecProblems(SHARED, ec2Capabilities({})).map((p) => [p.propertyPath, p.reason]));
        assert.match(reasons["spec.storage.home.sharedFileSystem"], /folders on one file system, the course's EFS, which has no quotas: leave it out/);
    });

    it("a cluster of your own without an XFS class with project quotas, or without NetworkPolicy to keep students from the NFS server", () => {
        assert.match(problemsOn(SHARED, { ...PLATFORM, sharedHomesStorageClass: undefined })["spec.storage.home.sharedFileSystem"],
            /formats XFS and mounts with project quotas \(pquota\): give it as platform\.sharedHomesStorageClass/);
        assert.match(problemsOn(SHARED, { ...PLATFORM, enforcesNetworkPolicy: false })["spec.storage.home.sharedFileSystem"],
            /students' servers could reach the homes' NFS server.*platform\.enforcesNetworkPolicy: true/);
        assert.deepEqual(problemsOn(SHARED), {});
    });

    it("what can never work: a quota beyond the file system, a file system too small for XFS, a per-user volume class, a name the login never gives", () => {
        const spec = (home: NonNullable<NonNullable<HubSpec["storage"]>["home"]>): HubSpec => ({ ...SHARED, storage: { home } });
        assert.deepEqual(problemsOn(spec({ size: "300Gi", sharedFileSystem: HOMES })), {
            "spec.storage.home.size": "each home's quota \"300Gi\" is larger than the file system that holds every home (\"200Gi\"): "
                + "raise storage.home.sharedFileSystem.size or lower the quota",
        });
        assert.deepEqual(Object.keys(problemsOn(spec({ sharedFileSystem: { size: "100Gi", sizeOverrides: { "prof-smith": "1Ti" } } }))),
            ["spec.storage.home.sharedFileSystem.sizeOverrides.prof-smith"]);
        assert.match(problemsOn(spec({ sharedFileSystem: { size: "512Mi" } }))["spec.storage.home.sharedFileSystem.size"], /too small for an XFS file system.*1Gi at least/);
        assert.deepEqual(problemsOn(spec({ sharedFileSystem: { size: "1Gi" } })), {}, "1Gi is enough");
        assert.match(problemsOn(spec({ storageClass: "premium", sharedFileSystem: HOMES }))["spec.storage.home.storageClass"], /leave storageClass out/);
        const overrides = "spec.storage.home.sharedFileSystem.sizeOverrides";
        assert.match(problemsOn(spec({ sharedFileSystem: { ...HOMES, sizeOverrides: { "Prof-Smith": "20Gi" } } }))[`${overrides}.Prof-Smith`],
            /lowercases every username, so write "prof-smith"/);
        assert.match(problemsOn(spec({ sharedFileSystem: { size: "100Gi", sizeOverrides: { "prof-smith": "20GB" } } }))[`${overrides}.prof-smith`],
            /whole number of Mi, Gi or Ti/);
    });

    it("the all-homes mount at a path of its own, never the home itself", () => {
        const at = (path: string, more: Partial<NonNullable<HubSpec["storage"]>> = {}) =>
            problemsOn({ ...SHARED, storage: { ...more, home: { sharedFileSystem: { ...HOMES, allHomes: { path } } } } });
        assert.match(at("/home/jovyan")["spec.storage.home.sharedFileSystem.allHomes.path"], /is the home directory/);
        assert.match(at("/home/jovyan/shared", { sharedCourseFolder: true })["spec.storage.home.sharedFileSystem.allHomes.path"], /is also where storage\.sharedCourseFolder is mounted/);
        assert.match(at("/home/jovyan/../etc")["spec.storage.home.sharedFileSystem.allHomes.path"], /no \. or \.\. parts/);
    });
});

describe("EksHub and GkeHub with homes on a shared file system", () => {
    it("make an XFS class with project quotas (following keepStudentWork), give it to the hub, and count the NFS server among the core pods", async () => {
        const eks = await run(() => new EksHub("cs101", { spec: SHARED, apiAccessCidrs: ["203.0.113.0/24"] }));
        const eksClass = one(eks, "kubernetes:storage.k8s.io/v1:StorageClass", "cs101-gp3-xfs").inputs;
        const { metadata, provisioner, parameters, mountOptions, reclaimPolicy, allowVolumeExpansion } = eksClass;
        assert.deepEqual(
            [metadata.name, provisioner, parameters["csi.storage.k8s.io/fstype"], parameters.encrypted, mountOptions, reclaimPolicy, allowVolumeExpansion],
            ["gp3-xfs-quota", "ebs.csi.aws.com", "xfs", "true", ["pquota"], "Delete", true],
        );
        assert.equal(one(eks, "kubernetes:core/v1:PersistentVolumeClaim", "cs101-hub-homes-disk").inputs.spec.storageClassName, "gp3-xfs-quota");
        const kept = await run(() => new EksHub("cs101", { spec: SHARED, apiAccessCidrs: ["203.0.113.0/24"], keepStudentWork: true }));
        assert.equal(one(kept, "kubernetes:storage.k8s.io/v1:StorageClass", "cs101-gp3-xfs").inputs.reclaimPolicy, "Retain", "everyone's homes are kept");
        assert.equal((await run(() => new EksHub("cs101", { spec: MINIMAL_SPEC, apiAccessCidrs: ["203.0.113.0/24"] })))
            .filter((r) => r.name === "cs101-gp3-xfs").length, 0, "no class without the option");
        assert.ok(corePods({ spec: SHARED }).some((pod) => pod.name === "homes NFS server" && pod.pods === 1 && !pod.perNode));

        const gke = await run(() => new GkeHub("cs101", { spec: SHARED, location: { zone: "us-central1-a" }, apiAccessCidrs: ["203.0.113.0/24"] }));
        const gkeClass = one(gke, "kubernetes:storage.k8s.io/v1:StorageClass", "cs101-balanced-xfs").inputs;
        assert.deepEqual(
            [gkeClass.metadata.name, gkeClass.provisioner, gkeClass.parameters.type, gkeClass.parameters["csi.storage.k8s.io/fstype"], gkeClass.mountOptions],
            ["balanced-xfs-quota", "pd.csi.storage.gke.io", "pd-balanced", "xfs", ["pquota"]]);
    });
});

describe("what shared homes cost", () => {
    it("the floor counts the file system's disk whole, once, and no volume per student", async () => {
        const resources = await run(() => new EksHub("cs101", { spec: SHARED, apiAccessCidrs: ["203.0.113.0/24"] }));
        const cost = estimateCost(resources, {});
        const volumes = cost.lines.filter((line) => /^volume /.test(line.item));
        assert.deepEqual(volumes.map((line) => [line.item, line.floor]), [["volume course-homes-disk on EBS gp3", 16]], "200 GiB at $0.08");
        assert.equal(cost.perStudentMonthly, undefined);
        assert.ok(cost.notes.some((note) => /folders on one shared file system/.test(note)));
    });
});
