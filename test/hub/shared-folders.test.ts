import { strict as assert } from "node:assert";
import {
    HubSpec, StorageSpec, clusterCapabilities, ec2Capabilities, eksCapabilities, gkeCapabilities, hubClusterObjects, hubSpecProblems, toJupyterhubConfig,
    toZ2jhValues, validateHubSpec,
} from "../../components";
import { FULL_PLATFORM, MINIMAL_SPEC, forCluster, forEc2 } from "../support/specs";
import { z2jhSchemaErrors } from "../support/z2jh-schema";

/*
 * The storage options of folders beyond the home: shared folders, submit folders and datasets.
 * Their rendering for each kind of user is run by real Python in test/hub/z2jh-values.test.ts (the
 * hook), test/aws/ec2-userdata.test.ts (the EC2 hook) and test/upstream/charts.test.ts (the
 * chart's own hub configuration); here: their rules, what each platform serves, and their values.
 */

const withStorage = (storage: StorageSpec): HubSpec => ({ ...MINIMAL_SPEC, adminUsers: ["prof"], staffUsers: ["ta"], storage });

function problemsOf(storage: StorageSpec): Record<string, string> {
    return Object.fromEntries(validateHubSpec(withStorage(storage)).map((p) => [p.propertyPath, p.reason]));
}

const DATASET = { name: "census", nfs: { server: "10.0.0.2", path: "/census" } };

describe("shared folders, submit folders and datasets: their rules", () => {
    it("accepts folders, a submit folder and datasets, each at paths of its own", () => {
        assert.deepEqual(problemsOf({
            sharedCourseFolder: true,
            sharedFolders: [{ name: "scratch", writableBy: "everyone", alsoMountedAt: ["/home/rstudio/scratch"] }, { name: "data", mountPath: "/srv/data" }],
            submitFolder: { mountPath: "/home/jovyan/hand-in" },
            datasets: [DATASET, { ...DATASET, name: "weather", mountPath: "/data/weather" }],
        }), {});
    });

    it("refuses a folder name used twice, the submit folders' own, and the course folder's beside sharedCourseFolder", () => {
        const problems = problemsOf({
            sharedCourseFolder: true,
            sharedFolders: [{ name: "scratch" }, { name: "scratch", mountPath: "/srv/scratch" }, { name: "submit", mountPath: "/srv/s" }, { name: "course" }],
        });
        assert.deepEqual(Object.keys(problems), [1, 2, 3].map((i) => `spec.storage.sharedFolders[${i}].name`));
        assert.match(problems["spec.storage.sharedFolders[1].name"], /"scratch" names another shared folder/);
        assert.match(problems["spec.storage.sharedFolders[2].name"], /submit folders' directory: give this folder another name \(for submissions use storage.submitFolder\)/);
        assert.match(problems["spec.storage.sharedFolders[3].name"], /the folder of storage.sharedCourseFolder: leave sharedCourseFolder out, or give this folder another name/);
    });

    it("refuses a dataset name used twice", () => {
        assert.deepEqual(Object.keys(problemsOf({ datasets: [DATASET, { ...DATASET, mountPath: "/data/other" }] })), ["spec.storage.datasets[1].name"]);
    });

    it("refuses two mounts at one path, at the property that gives the second (its name when the path is the default)", () => {
        const problems = problemsOf({
            sharedCourseFolder: true,
            sharedFolders: [{ name: "shared" }, { name: "data", alsoMountedAt: ["/home/jovyan/submit"] }],
            submitFolder: {},
            datasets: [{ ...DATASET, mountPath: "/home/jovyan/data" }],
        });
        const taken = (path: string, by: string) => `"${path}" is also where storage.${by} is mounted: give each mount a path of its own`;
        assert.deepEqual(problems, {
            "spec.storage.sharedFolders[0].name": taken("/home/jovyan/shared", "sharedCourseFolder"),
            "spec.storage.submitFolder": taken("/home/jovyan/submit", "sharedFolders[1].alsoMountedAt[0]"),
            "spec.storage.datasets[0].mountPath": taken("/home/jovyan/data", "sharedFolders[1].name"),
        });
    });

    it("refuses a mount over the home directory or over a file of server.extraFiles", () => {
        const spec = withStorage({ sharedFolders: [{ name: "data", mountPath: "/home/jovyan" }, { name: "etc", mountPath: "/etc/course/settings.json" }] });
        const problems = validateHubSpec({ ...spec, server: { extraFiles: [{ path: "/etc/course/settings.json", content: "{}" }] } });
        assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.storage.sharedFolders[0].mountPath", "spec.storage.sharedFolders[1].mountPath"]);
        assert.match(problems[0].reason, /is the home directory, each user's own volume: mount the folder inside it, such as \/home\/jovyan\/data/);
        assert.match(problems[1].reason, /is a file of server.extraFiles: give the folder another path/);
    });

    it("refuses by their paths names and paths that are not safe in a path or a pod: upper case, .., braces, a relative path, a bad server", () => {
        const problems = problemsOf({
            sharedFolders: [{ name: "Data" }, { name: "data", mountPath: "/home/jovyan/../etc" }, { name: "x", mountPath: "/home/{username}" }],
            submitFolder: { mountPath: "submit" },
            datasets: [{ name: "census", nfs: { server: "nfs server", path: "/census/$(reboot)" } }],
        });
        assert.deepEqual(Object.keys(problems).sort(), [
            "spec.storage.datasets[0].nfs.path", "spec.storage.datasets[0].nfs.server", "spec.storage.sharedFolders[0].name",
            "spec.storage.sharedFolders[1].mountPath", "spec.storage.sharedFolders[2].mountPath", "spec.storage.submitFolder.mountPath",
        ]);
        assert.match(problems["spec.storage.sharedFolders[2].mountPath"], /no braces/);
    });
});

describe("shared folders, submit folders and datasets on each platform", () => {
    const everything: StorageSpec = {
        sharedFolders: [{ name: "scratch", alsoMountedAt: ["/home/rstudio/scratch"] }],
        submitFolder: { alsoMountedAt: ["/home/rstudio/submit"] },
        datasets: [DATASET],
    };

    it("EksHub, GkeHub and a cluster with ReadWriteMany storage serve them all", () => {
        for (const capabilities of [eksCapabilities({}), gkeCapabilities({}), clusterCapabilities(FULL_PLATFORM)]) {
            assert.deepEqual(hubSpecProblems(withStorage(everything), capabilities), []);
        }
    });

    it("a cluster without ReadWriteMany storage serves datasets (NFS in the pod) but no folder of the shared volume", () => {
        const problems = hubSpecProblems(withStorage(everything), clusterCapabilities({}));
        assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.storage.sharedFolders", "spec.storage.submitFolder"]);
        assert.deepEqual(hubSpecProblems(withStorage({ datasets: [DATASET] }), clusterCapabilities({})), []);
    });

    it("EC2AutoscaleHub serves folders, submit folders and datasets at one path each, and refuses further paths, saying what to do", () => {
        const problems = hubSpecProblems(withStorage(everything), ec2Capabilities({}));
        assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.storage.sharedFolders[0].alsoMountedAt", "spec.storage.submitFolder.alsoMountedAt"]);
        assert.match(problems[0].reason, /DockerSpawner mounts each folder .* at one path .*give mountPath the path the image expects/);
        const atOnePath = { sharedFolders: [{ name: "scratch" }], submitFolder: {}, datasets: [DATASET] };
        assert.deepEqual(hubSpecProblems(withStorage(atOnePath), ec2Capabilities({})), []);
    });
});

describe("shared folders, submit folders and datasets as values and hub config", () => {
    it("sharedCourseFolder: true renders exactly as the folder it stands for, on Kubernetes and on EC2", () => {
        const asFlag = withStorage({ sharedCourseFolder: true });
        const asFolder = withStorage({ sharedFolders: [{ name: "course", mountPath: "/home/jovyan/shared" }] });
        assert.deepEqual(toZ2jhValues(forCluster(asFlag, FULL_PLATFORM), FULL_PLATFORM), toZ2jhValues(forCluster(asFolder, FULL_PLATFORM), FULL_PLATFORM));
        assert.equal(toJupyterhubConfig(forEc2(asFlag), { swarm: true }), toJupyterhubConfig(forEc2(asFolder), { swarm: true }));
    });

    it("a submit folder alone needs the shared claim; datasets alone need none, only their NFS volumes", () => {
        const submitOnly = forCluster(withStorage({ submitFolder: {} }), FULL_PLATFORM);
        assert.ok(hubClusterObjects(submitOnly, FULL_PLATFORM).sharedVolume, "the claim that holds the submit folders");
        const datasetsOnly = forCluster(withStorage({ datasets: [DATASET] }), {});
        assert.equal(hubClusterObjects(datasetsOnly, {}).sharedVolume, undefined);
        const values = toZ2jhValues(datasetsOnly, {});
        assert.deepEqual(z2jhSchemaErrors(values), []);
        const storage = values.singleuser.storage;
        assert.deepEqual(storage.extraVolumes, [{ name: "course-dataset-census", nfs: { server: "10.0.0.2", path: "/census", readOnly: true } }]);
        assert.deepEqual(storage.extraVolumeMounts, [{ name: "course-dataset-census", mountPath: "/home/jovyan/datasets/census", readOnly: true }]);
        assert.equal(values.hub.extraConfig, undefined, "nobody writes a dataset: no hook");
    });

    it("folders everyone writes need no hook; the hook comes with a folder staff write or a submit folder", () => {
        const hookOf = (storage: StorageSpec) => toZ2jhValues(forCluster(withStorage(storage), FULL_PLATFORM), FULL_PLATFORM).hub.extraConfig;
        assert.equal(hookOf({ sharedFolders: [{ name: "scratch", writableBy: "everyone" }] }), undefined);
        assert.ok(hookOf({ sharedFolders: [{ name: "notes" }] })?.["course-hubs-shared-folder"]);
        assert.ok(hookOf({ submitFolder: {} })?.["course-hubs-shared-folder"]);
    });
});
