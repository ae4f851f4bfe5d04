import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import {
    BucketDatasetSpec, GkeHub, GkeHubArgs, HubSpec, JupyterHubPlatformArgs, StorageSpec, clusterCapabilities, ec2Capabilities, hubSpecProblems,
    toZ2jhValues, validateEc2HubArgs, validateEksHubArgs, validateGkeHubArgs, validateHubSpec, warmSeatRequest,
} from "../../components";
import { kubernetesObjectProblems } from "../support/kubernetes-schemas";
import { one, run } from "../support/program";
import { MINIMAL_SPEC, forCluster } from "../support/specs";
import { z2jhSchemaErrors } from "../support/z2jh-schema";

/*
 * Buckets mounted read-only in every server as datasets (storage.bucketDatasets): their rules, which
 * platforms serve them (GKE's Cloud Storage FUSE CSI driver) and how, and what each server's pod
 * gets. Their paths are checked with the other mounts' in test/hub/shared-folders.test.ts's way.
 */

const NFS_DATASET = { name: "census", nfs: { server: "10.0.0.2", path: "/census" } };
const BUCKET_DATASET: BucketDatasetSpec = { name: "satellite", bucket: { name: "cs101-satellite", prefix: "tiles/2024" } };
const GCS_FUSE = { bucketDriver: "gcsFuse" } as const;

const withStorage = (storage: StorageSpec): HubSpec => ({ ...MINIMAL_SPEC, storage });

function problemsOf(storage: StorageSpec): Record<string, string> {
    return Object.fromEntries(validateHubSpec(withStorage(storage)).map((p) => [p.propertyPath, p.reason]));
}

describe("bucket datasets: their rules", () => {
    it("accepts a bucket, or a folder of it, beside NFS datasets", () => {
        const weather = { name: "weather", bucket: { name: "noaa.weather_2024" } };
        assert.deepEqual(problemsOf({ datasets: [NFS_DATASET], bucketDatasets: [BUCKET_DATASET, weather] }), {});
    });

    it("refuses a name or a path another dataset has: each name names a volume of the pod", () => {
        const problems = problemsOf({
            datasets: [NFS_DATASET],
            bucketDatasets: [
                { ...BUCKET_DATASET, name: "census", mountPath: "/data/census" },
                { ...BUCKET_DATASET, mountPath: "/home/jovyan/datasets/census" },
            ],
        });
        assert.deepEqual(problems, {
            "spec.storage.bucketDatasets[0].name": "\"census\" names another dataset",
            "spec.storage.bucketDatasets[1].mountPath":
                "\"/home/jovyan/datasets/census\" is also where storage.datasets[0].name is mounted: give each mount a path of its own",
        });
    });

    it("refuses, by their paths, bucket names Cloud Storage never gives and prefixes that would break the mount options", () => {
        const at = "spec.storage.bucketDatasets[0].bucket";
        for (const name of ["Census", "gs://census", "ab", "-census", "census-"]) {
            assert.deepEqual(Object.keys(problemsOf({ bucketDatasets: [{ name: "x", bucket: { name } }] })), [`${at}.name`], name);
        }
        // gcsfuse's mount options are one comma-separated string: a comma in the folder would start another option.
        for (const prefix of ["/tiles", "tiles/", "tiles//2024", "tiles,uid=0", ""]) {
            assert.deepEqual(Object.keys(problemsOf({ bucketDatasets: [{ name: "x", bucket: { name: "census", prefix } }] })), [`${at}.prefix`], prefix);
        }
    });
});

describe("bucket datasets on each platform", () => {
    const gke = (storage: StorageSpec, extra: Partial<GkeHubArgs> = {}): GkeHubArgs => ({
        spec: withStorage(storage), location: { zone: "us-central1-a" }, apiAccessCidrs: ["203.0.113.0/24"], ...extra,
    });
    const reasons = (problems: { propertyPath: string; reason: string }[]) => Object.fromEntries(problems.map((p) => [p.propertyPath, p.reason]));

    it("GkeHub serves them when the notebooks' identity reads the bucket: listed in notebookBucketAccess, or the course's own service account", () => {
        const storage = { bucketDatasets: [BUCKET_DATASET] };
        assert.deepEqual(validateGkeHubArgs(gke(storage, { notebookBucketAccess: { buckets: ["cs101-satellite"] } })), []);
        const notebookIdentity = { gcpServiceAccountEmail: "nb@proj.iam.gserviceaccount.com" };
        const ownIdentity = { ...gke(storage), spec: { ...withStorage(storage), notebookIdentity } };
        assert.deepEqual(validateGkeHubArgs(ownIdentity), []);
        // A bucket made in the same program is known only after deployment: it cannot be compared.
        assert.deepEqual(validateGkeHubArgs(gke(storage, { notebookBucketAccess: { buckets: [pulumi.output("cs101-late")] } })), []);
    });

    it("GkeHub refuses a bucket the notebooks' identity does not read, or notebooks with no identity, saying what to add", () => {
        const storage = { bucketDatasets: [BUCKET_DATASET] };
        assert.deepEqual(reasons(validateGkeHubArgs(gke(storage))), {
            "spec.storage.bucketDatasets[0].bucket": "is mounted as the notebooks' identity, and they have none: list \"cs101-satellite\" in "
                + "notebookBucketAccess.buckets, or give spec.notebookIdentity a service account that may read it",
        });
        assert.deepEqual(reasons(validateGkeHubArgs(gke(storage, { notebookBucketAccess: { buckets: ["cs101-other"] } }))), {
            "spec.storage.bucketDatasets[0].bucket.name": "\"cs101-satellite\" is mounted as the notebooks' identity, which notebookBucketAccess "
                + "makes for its buckets only: add it to notebookBucketAccess.buckets",
        });
    });

    it("EksHub, EC2AutoscaleHub and a cluster that declares no bucket driver refuse them, saying what to do instead", () => {
        const spec = withStorage({ bucketDatasets: [BUCKET_DATASET] });
        const at = "spec.storage.bucketDatasets";
        assert.match(reasons(validateEksHubArgs({ spec, apiAccessCidrs: ["203.0.113.0/24"] }))[at], /^EksHub mounts no buckets .*give it as nfs/);
        assert.match(reasons(validateEc2HubArgs({ spec }))[at], /^EC2AutoscaleHub mounts NFS exports only: .*GkeHub, which mounts Cloud Storage buckets$/);
        assert.deepEqual(hubSpecProblems(spec, ec2Capabilities({})).map((p) => p.propertyPath), [at]);
        assert.deepEqual(reasons(hubSpecProblems(spec, clusterCapabilities({}))), {
            [at]: "the cluster has no driver that mounts buckets: on GKE turn on the Cloud Storage FUSE CSI driver add-on and say so with "
                + "platform.bucketDriver: \"gcsFuse\"; else copy the data to an NFS export and give it as nfs",
        });
        assert.deepEqual(hubSpecProblems(spec, clusterCapabilities(GCS_FUSE)), []);
    });
});

describe("bucket datasets in each server's pod", () => {
    const spec = withStorage({ datasets: [NFS_DATASET], bucketDatasets: [{ ...BUCKET_DATASET, alsoMountedAt: ["/home/rstudio/satellite"] }] });
    const values = toZ2jhValues(forCluster(spec, GCS_FUSE), GCS_FUSE);
    const storage = values.singleuser.storage;

    it("mounts the bucket's folder read-only by the Cloud Storage FUSE CSI driver, at each of its paths", () => {
        assert.deepEqual(storage.extraVolumes[1], {
            name: "course-dataset-satellite",
            csi: {
                driver: "gcsfuse.csi.storage.gke.io",
                readOnly: true,
                volumeAttributes: { bucketName: "cs101-satellite", mountOptions: "implicit-dirs,only-dir=tiles/2024" },
            },
        });
        assert.deepEqual(storage.extraVolumeMounts.slice(1), [
            { name: "course-dataset-satellite", mountPath: "/home/jovyan/datasets/satellite", readOnly: true },
            { name: "course-dataset-satellite", mountPath: "/home/rstudio/satellite", readOnly: true },
        ]);
        const wholeBucket = withStorage({ bucketDatasets: [{ name: "satellite", bucket: { name: "cs101-satellite" } }] });
        const wholeValues = toZ2jhValues(forCluster(wholeBucket, GCS_FUSE), GCS_FUSE);
        assert.equal(wholeValues.singleuser.storage.extraVolumes[0].csi.volumeAttributes.mountOptions, "implicit-dirs");
    });

    it("annotates the pod for the driver's sidecar, with small requests it may burst over; a pod without a bucket gets no annotation", () => {
        assert.deepEqual(values.singleuser.extraAnnotations, {
            "gke-gcsfuse/volumes": "true",
            "gke-gcsfuse/cpu-request": "50m",
            "gke-gcsfuse/cpu-limit": "1",
            "gke-gcsfuse/memory-request": "64Mi",
            "gke-gcsfuse/memory-limit": "512Mi",
            "gke-gcsfuse/ephemeral-storage-request": "50Mi",
            "gke-gcsfuse/ephemeral-storage-limit": "1Gi",
        });
        const nfsOnly = toZ2jhValues(forCluster(withStorage({ datasets: [NFS_DATASET] }), GCS_FUSE), GCS_FUSE);
        assert.equal(nfsOnly.singleuser.extraAnnotations, undefined);
    });

    it("passes the chart's schema, and the server's pod the Kubernetes API's", async () => {
        assert.deepEqual(z2jhSchemaErrors(values), []);
        const notebook = { name: "notebook", image: "quay.io/jupyter/base-notebook", volumeMounts: storage.extraVolumeMounts };
        const pod = {
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: "jupyter-student", annotations: values.singleuser.extraAnnotations },
            spec: { containers: [notebook], volumes: storage.extraVolumes },
        };
        assert.deepEqual(await kubernetesObjectProblems(pod), []);
    });

    it("counts the driver's sidecar in every seat, as the scheduler does", () => {
        const withBucket = warmSeatRequest(spec);
        const without = warmSeatRequest(withStorage({ datasets: [NFS_DATASET] }));
        const added = { cpuMillis: withBucket.cpuMillis - without.cpuMillis, memoryMiB: withBucket.memoryMiB - without.memoryMiB };
        assert.deepEqual(added, { cpuMillis: 50, memoryMiB: 64 });
    });
});

describe("GkeHub under Pulumi mocks: bucket datasets", () => {
    it("turns the Cloud Storage FUSE CSI driver's add-on on only for a spec with a bucket dataset, and tells its hubs so", async () => {
        const args = (storage: StorageSpec): GkeHubArgs => ({
            spec: withStorage(storage), location: { zone: "us-central1-a" }, apiAccessCidrs: ["203.0.113.0/24"],
            notebookBucketAccess: { buckets: ["cs101-satellite"] },
        });
        let platform: JupyterHubPlatformArgs = {};
        const withBucket = await run(() => {
            platform = new GkeHub("cs101", args({ bucketDatasets: [BUCKET_DATASET] })).platform;
        });
        const withoutBucket = await run(() => new GkeHub("cs101", args({ datasets: [NFS_DATASET] })));
        const addon = (resources: typeof withBucket) => one(resources, "gcp:container/cluster:Cluster").inputs.addonsConfig.gcsFuseCsiDriverConfig;
        assert.deepEqual([addon(withBucket), addon(withoutBucket)], [{ enabled: true }, { enabled: false }]);
        assert.equal(platform.bucketDriver, "gcsFuse");
    });
});
