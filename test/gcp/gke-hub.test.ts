import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import * as gcs from "@pulumi/gcp/storage";
import { GkeHub, GkeHubArgs, JupyterHub } from "../../components";
import { RecordedResource, isSecret, plaintextOccurrences, unwrapSecrets } from "../setup-mocks";
import { PolicyConfig } from "../../plan/policy-check";
import { broken, packSummary, policyInputs, runPack } from "../support/policy";
import { assertChartOptionReachesRelease } from "../support/chart-option";
import { duplicateNames, one, providerUrn, run, runExpectingError } from "../support/program";
import { CLIENT_SECRET, MAXIMAL_SPEC, MINIMAL_SPEC, REFUSED_CHART_PATHS, REFUSED_CHART_VALUES } from "../support/specs";
import { z2jhSchemaErrors } from "../support/z2jh-schema";

const EXPECTED_LABELS = { course: "cs101", term: "fall-2026", owner: "course-it_example_edu", "managed-by": "course-hubs" };

const MINIMAL: GkeHubArgs = { spec: MINIMAL_SPEC, location: { zone: "us-central1-a" }, apiAccessCidrs: ["203.0.113.0/24"] };
const FULL: GkeHubArgs = {
    spec: { ...MAXIMAL_SPEC, notebookIdentity: undefined, storage: { ...MAXIMAL_SPEC.storage, home: { size: "5Gi" }, sharedSize: "1Ti" } },
    location: { region: "us-central1", nodeZones: ["us-central1-a", "us-central1-b"] },
    releaseChannel: "STABLE",
    apiAccessCidrs: ["203.0.113.0/24"],
    privateNodes: true,
    userNodes: { machineType: "n2-standard-8", spot: true, maxCount: 6 },
    gpuNodes: { maxCount: 2, acceleratorType: "nvidia-l4", machineType: "g2-standard-8" },
    maxNodes: 20,
    ingress: { letsEncryptEmail: "course-it@example.edu", dns: { managedZone: "hubs", hostnames: ["cs101.hubs.example.edu"] } },
    // The maximal spec's bucket dataset is mounted as the notebooks' identity, which reads only the buckets listed.
    notebookBucketAccess: { buckets: ["cs101-fall-2026-data", "course-hubs-satellite"], readOnly: false },
};

for (const [label, args] of [["minimal", MINIMAL], ["full", FULL]] as const) {
    describe(`GkeHub under Pulumi mocks: ${label} configuration`, () => {
        let resources: RecordedResource[];
        before(async () => {
            resources = await run(() => new GkeHub("cs101", args));
        });

        // A GPU pool is refused unless the stack's policy config allows GPUs, as a GPU course's does.
        const packConfig: PolicyConfig = args.gpuNodes ? { "course-instance-limits": { allowGpu: true } } : {};

        it("passes the policy pack: labels present and legal, instance limits, HTTPS, no open admin port", () => {
            const inputs = policyInputs(resources);
            assert.ok(inputs.filter((i) => i.type.startsWith("gcp:")).length >= 5, "the pack sees the component's GCP resources");
            assert.deepEqual(packSummary(inputs, packConfig), []);
        });

        it("the pack refuses exactly what is broken: an unlabelled pool, an illegal label value on the cluster", () => {
            const inputs = policyInputs(resources);
            const unlabelled = broken(inputs, "cs101-core-pool", (props) => ({ ...props, nodeConfig: { ...props.nodeConfig, resourceLabels: undefined } }));
            assert.deepEqual(packSummary(unlabelled, packConfig), [
                "course-required-tags cs101-core-pool: Missing the labels course, term, owner, managed-by (at nodeConfig.resourceLabels).",
            ]);
            const illegal = broken(
                inputs,
                "cs101-cluster",
                (props) => ({ ...props, resourceLabels: { ...props.resourceLabels, owner: "course-it@example.edu" } }),
                "gcp:container/cluster:Cluster",
            );
            assert.deepEqual(packSummary(illegal, packConfig), [
                "course-required-tags cs101-cluster: Label values must be lowercase letters, digits, _ and -, at most 63: owner=course-it@example.edu.",
            ]);
        });

        it("labels the cluster, every pool and the disks Kubernetes creates later (through each StorageClass) with the course's labels in GCP's form", () => {
            assert.deepEqual(one(resources, "gcp:container/cluster:Cluster").inputs.resourceLabels, EXPECTED_LABELS);
            const pools = resources.filter((r) => r.type === "gcp:container/nodePool:NodePool");
            assert.deepEqual(pools.map((p) => p.inputs.nodeConfig.resourceLabels), pools.map(() => EXPECTED_LABELS));
            const classes = resources.filter((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass");
            assert.ok(classes.length >= 1);
            for (const storageClass of classes) {
                const labels = Object.fromEntries(storageClass.inputs.parameters.labels.split(",").map((pair: string) => pair.split("=")));
                assert.deepEqual(labels, EXPECTED_LABELS, storageClass.name);
            }
        });

        it("creates a Workload Identity cluster with Dataplane V2, shielded nodes, no deletion protection, its API open only to the given networks", () => {
            const cluster = one(resources, "gcp:container/cluster:Cluster").inputs;
            assert.equal(cluster.workloadIdentityConfig.workloadPool, "course-hubs-test.svc.id.goog");
            assert.equal(cluster.datapathProvider, "ADVANCED_DATAPATH");
            assert.equal(cluster.removeDefaultNodePool, true);
            assert.equal(cluster.enableShieldedNodes, true);
            assert.equal(cluster.deletionProtection, false, "otherwise pulumi destroy stops at the cluster");
            assert.deepEqual(cluster.masterAuthorizedNetworksConfig.cidrBlocks.map((b: any) => b.cidrBlock), args.apiAccessCidrs);
            assert.equal(cluster.masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled, false, "any Google Cloud tenant's VM would reach the API");
            assert.equal(cluster.location, args === MINIMAL ? "us-central1-a" : "us-central1");
            assert.equal(cluster.releaseChannel.channel, args.releaseChannel ?? "REGULAR");
        });

        it("keeps the core pool up and scales user pools from zero, all shielded and without legacy metadata", () => {
            const pools = resources.filter((r) => r.type === "gcp:container/nodePool:NodePool");
            assert.equal(pools.length, args.gpuNodes ? 3 : 2);
            const corePool = pools.find((p) => p.name === "cs101-core-pool")!;
            assert.equal(corePool.inputs.nodeCount, 1, "coreNodes.count defaults to 1");
            assert.equal(corePool.inputs.autoscaling, undefined, "the autoscaler leaves the hub's nodes alone");
            assert.notEqual(corePool.inputs.nodeConfig.spot, true);
            for (const pool of pools) {
                const config = pool.inputs.nodeConfig;
                assert.deepEqual(config.shieldedInstanceConfig, { enableSecureBoot: true, enableIntegrityMonitoring: true });
                assert.equal(config.workloadMetadataConfig.mode, "GKE_METADATA");
                assert.equal(config.metadata["disable-legacy-endpoints"], "true");
                const kind = pool.inputs.nodeConfig.labels?.["hub.jupyter.org/node-purpose"] === "core"
                    ? "core"
                    : pool.name.includes("gpu") ? "gpu" : "user";
                assert.equal(config.diskSizeGb, { core: 20, user: 50, gpu: 100 }[kind], `${pool.name}: the 100 GiB default costs $10 a node`);
                if (pool !== corePool) {
                    assert.equal(pool.inputs.autoscaling.minNodeCount, 0);
                    assert.deepEqual(config.taints[0], { key: "hub.jupyter.org/dedicated", value: "user", effect: "NO_SCHEDULE" });
                }
            }
        });

        it("renders z2jh values the chart accepts and keeps secrets secret", () => {
            const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "jupyterhub")!;
            assert.ok(isSecret(release.inputs.values));
            const values = unwrapSecrets(release.inputs.values);
            assert.deepEqual(z2jhSchemaErrors(values), []);
            assert.equal(values.singleuser.storage.dynamic.storageClass, "balanced");
            const provider = one(resources, "pulumi:providers:kubernetes");
            assert.ok(isSecret(provider.inputs.kubeconfig));
            assert.equal(JSON.parse(unwrapSecrets(provider.inputs.kubeconfig)).users[0].user.exec.command, "gke-gcloud-auth-plugin");
            assert.deepEqual(plaintextOccurrences(CLIENT_SECRET, resources), []);
        });

        it("orders teardown: every Kubernetes object before the node pools, the pools before the cluster", () => {
            const provider = one(resources, "pulumi:providers:kubernetes");
            for (const object of resources.filter((r) => r.type.startsWith("kubernetes:") && !r.read)) {
                assert.equal(providerUrn(object.provider), provider.urn, `${object.type}::${object.name} is not on the cluster's provider`);
            }
            const cluster = one(resources, "gcp:container/cluster:Cluster");
            const pools = resources.filter((r) => r.type === "gcp:container/nodePool:NodePool");
            assert.equal(pools.length, args.gpuNodes ? 3 : 2);
            for (const pool of pools) {
                assert.ok(provider.dependencies.includes(pool.urn), `the provider must depend on ${pool.name}`);
                assert.ok(pool.dependencies.includes(cluster.urn));
            }
            assert.ok(cluster.dependencies.includes(one(resources, "gcp:compute/subnetwork:Subnetwork").urn), "the cluster goes before its network");
        });
    });
}

describe("GkeHub options", () => {
    it("serves the hub through a reserved static IP, and a second course shares it by hostname", async () => {
        const resources = await run(() => {
            const department = new GkeHub("cs101", { ...FULL, spec: { ...FULL.spec, https: { mode: "ingress" } } });
            new JupyterHub("ds200", {
                provider: department.provider,
                ingress: department.ingress,
                spec: { ...MINIMAL_SPEC, course: "ds200", hostname: "ds200.hubs.example.edu", https: { mode: "ingress" } },
            });
        });
        assert.deepEqual(duplicateNames(resources), []);
        const address = one(resources, "gcp:compute/address:Address");
        assert.equal(address.inputs.region, "us-central1");
        const controller = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "traefik")!;
        assert.equal(controller.inputs.values.service.spec.loadBalancerIP, "203.0.113.10", "the ingress Service holds the reserved address");
        assert.ok(controller.dependencies.includes(address.urn), "the address is released only after the controller");
        const issuer = resources.find((r) => r.type === "kubernetes:cert-manager.io/v1:ClusterIssuer" && r.inputs.metadata.name === "letsencrypt-production")!;
        assert.equal(issuer.inputs.spec.acme.email, "course-it@example.edu");
        assert.equal(issuer.inputs.spec.acme.solvers[0].http01.ingress.ingressClassName, "traefik");
        const hubs = resources
            .filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "jupyterhub")
            .map((r) => unwrapSecrets(r.inputs.values));
        assert.deepEqual(hubs.map((v) => [v.ingress.hosts[0], v.ingress.tls[0].secretName]).sort(),
            [["cs101.hubs.example.edu", "cs101-fall-2026-tls"], ["ds200.hubs.example.edu", "ds200-fall-2026-tls"]]);
        hubs.forEach((v) => assert.deepEqual(z2jhSchemaErrors(v), []));
        assert.equal(one(resources, "gcp:dns/recordSet:RecordSet").inputs.name, "cs101.hubs.example.edu.");
    });

    it(
        "names each pool's zones, so the pack counts a regional cluster's nodes as GKE runs them (the maxima × the cluster's zones)",
        async () => {
            const resources = await run(() => new GkeHub("cs101", FULL));
            const pools = resources.filter((r) => r.type === "gcp:container/nodePool:NodePool");
            assert.deepEqual(pools.map((p) => [p.name, p.inputs.nodeLocations]), [
                ["cs101-core-pool", ["us-central1-a", "us-central1-b"]],
                ["cs101-user-pool", ["us-central1-a", "us-central1-b"]],
                ["cs101-gpu-pool", ["us-central1-a", "us-central1-b"]],
            ]);
            // maxNodes 20 admits 2 zones × (1 core + 6 user + 2 GPU) = 18; a pool without its zones was counted in 3 zones (27).
            assert.deepEqual(packSummary(policyInputs(resources), { "course-instance-limits": { allowGpu: true, maxInstances: 17 } }), [
                "course-instance-limits (stack): The stack may run 18 instances (cs101-core-pool 2, cs101-user-pool 12, cs101-gpu-pool 4), more than the limit of 17; lower the groups' maxima or raise maxInstances.",
            ]);
            const zonal = (await run(() => new GkeHub("cs101", MINIMAL))).filter((r) => r.type === "gcp:container/nodePool:NodePool");
            assert.deepEqual(zonal.map((p) => p.inputs.nodeLocations), [undefined, undefined], "a zonal cluster's pools sit in its zone");
        },
    );

    it("adds Cloud NAT, Filestore, a GPU pool and a storage identity only when asked", async () => {
        const minimal = await run(() => new GkeHub("cs101", MINIMAL));
        const full = await run(() => new GkeHub("cs101", { ...FULL, spec: { ...FULL.spec, https: { mode: "ingress" } } }));
        const count = (resources: RecordedResource[], type: string) => resources.filter((r) => r.type === type).length;
        assert.equal(count(minimal, "gcp:compute/routerNat:RouterNat"), 0);
        assert.equal(count(full, "gcp:compute/routerNat:RouterNat"), 1);
        assert.equal(count(minimal, "gcp:serviceaccount/account:Account"), 1, "only the nodes' account");
        const filestore = one(full, "kubernetes:storage.k8s.io/v1:StorageClass", "cs101-filestore");
        assert.equal(filestore.inputs.parameters.tier, "standard");
        assert.equal(one(full, "gcp:container/cluster:Cluster").inputs.addonsConfig.gcpFilestoreCsiDriverConfig.enabled, true);
        assert.equal(one(minimal, "gcp:container/cluster:Cluster").inputs.addonsConfig.gcpFilestoreCsiDriverConfig.enabled, false);
        const gpu = one(full, "gcp:container/nodePool:NodePool", "cs101-gpu-pool").inputs.nodeConfig;
        assert.deepEqual(gpu.guestAccelerators, [{ type: "nvidia-l4", count: 1, gpuDriverInstallationConfig: { gpuDriverVersion: "DEFAULT" } }]);
        const binding = one(full, "gcp:serviceaccount/iAMMember:IAMMember");
        assert.equal(binding.inputs.member, "serviceAccount:course-hubs-test.svc.id.goog[cs101-fall-2026/notebook]");
        assert.deepEqual(full.filter((r) => r.type === "gcp:storage/bucketIAMMember:BucketIAMMember").map((r) => [r.inputs.bucket, r.inputs.role]),
            [["cs101-fall-2026-data", "roles/storage.objectUser"], ["course-hubs-satellite", "roles/storage.objectUser"]]);
        // The Cloud Storage FUSE CSI driver, for the full spec's bucket dataset only.
        assert.equal(one(full, "gcp:container/cluster:Cluster").inputs.addonsConfig.gcsFuseCsiDriverConfig.enabled, true);
        assert.equal(one(minimal, "gcp:container/cluster:Cluster").inputs.addonsConfig.gcsFuseCsiDriverConfig.enabled, false);
        const account = one(full, "kubernetes:core/v1:ServiceAccount", "cs101-hub-notebook-identity");
        assert.equal(account.inputs.metadata.annotations["iam.gke.io/gcp-service-account"], "cs101-fall-2026-nb@course-hubs-test.iam.gserviceaccount.com");
        const claim = one(full, "kubernetes:core/v1:PersistentVolumeClaim");
        assert.equal(claim.inputs.spec.resources.requests.storage, "1Ti");
        assert.equal(claim.inputs.spec.storageClassName, "filestore");
        const members = full.filter((r) => r.type.endsWith("iAMMember:IAMMember") || r.type.endsWith("bucketIAMMember:BucketIAMMember"));
        for (const role of members.map((r) => r.inputs.role)) {
            assert.match(role, /^roles\/[a-zA-Z.]+$/, "predefined roles only");
        }
    });

    it("takes pass-through data made in the same program: Output bucket names and CIDRs pass validation and reach their resources", async () => {
        const resources = await run(() => {
            const bucket = new gcs.Bucket("cs101-late-data", { name: "cs101-late-data", location: "US" });
            new GkeHub("cs101", {
                ...MINIMAL,
                apiAccessCidrs: [pulumi.output("203.0.113.0/24")],
                notebookBucketAccess: { buckets: [bucket.name, "cs101-data"] },
            });
        });
        const networks = one(resources, "gcp:container/cluster:Cluster").inputs.masterAuthorizedNetworksConfig.cidrBlocks;
        assert.deepEqual(networks, [{ cidrBlock: "203.0.113.0/24", displayName: "api-access-1" }]);
        const bindings = resources.filter((r) => r.type === "gcp:storage/bucketIAMMember:BucketIAMMember");
        assert.deepEqual(bindings.map((b) => [b.name, b.inputs.bucket, b.inputs.role]).sort(), [
            ["cs101-notebooks-bucket-1", "cs101-late-data", "roles/storage.objectViewer"],
            ["cs101-notebooks-bucket-2", "cs101-data", "roles/storage.objectViewer"],
        ]);
    });

    it("keeps students' work only when asked: retained volumes and a daily backup plan destroy leaves", async () => {
        const shared = { ...MINIMAL, spec: { ...MINIMAL_SPEC, storage: { sharedCourseFolder: true } } };
        const kept = await run(() => new GkeHub("cs101", { ...shared, keepStudentWork: true }));
        for (const storageClass of ["cs101-balanced", "cs101-filestore"]) {
            assert.equal(one(kept, "kubernetes:storage.k8s.io/v1:StorageClass", storageClass).inputs.reclaimPolicy, "Retain");
        }
        assert.equal(one(kept, "gcp:container/cluster:Cluster").inputs.addonsConfig.gkeBackupAgentConfig.enabled, true);
        const plan = one(kept, "gcp:gkebackup/backupPlan:BackupPlan");
        assert.equal(plan.retainOnDelete, true, "the backups outlive the course");
        assert.deepEqual(plan.inputs.backupConfig, { includeVolumeData: true, includeSecrets: false, selectedNamespaces: { namespaces: ["cs101-fall-2026"] } });
        assert.deepEqual([plan.inputs.name, plan.inputs.location, plan.inputs.cluster], ["cs101-fall-2026-student-work", "us-central1", "cs101-cluster-id"]);
        assert.deepEqual([plan.inputs.backupSchedule.cronSchedule, plan.inputs.retentionPolicy.backupRetainDays], ["0 7 * * *", 180]);
        assert.deepEqual(runPack(policyInputs(kept)).map((v) => `${v.policy} ${v.resource}: ${v.message}`), [], "labelled, and within the guardrails");
        assert.equal(one(kept, "gcp:compute/network:Network").retainOnDelete, true, "a kept Filestore share is peered with it");
        const keptHomesOnly = await run(() => new GkeHub("cs101", { ...MINIMAL, keepStudentWork: true }));
        assert.equal(one(keptHomesOnly, "gcp:compute/network:Network").retainOnDelete, false, "kept disks do not hold the network");
        const gone = await run(() => new GkeHub("cs101", shared));
        assert.equal(one(gone, "gcp:compute/network:Network").retainOnDelete, false);
        assert.deepEqual(gone.filter((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass").map((r) => r.inputs.reclaimPolicy), ["Delete", "Delete"]);
        assert.equal(one(gone, "gcp:container/cluster:Cluster").inputs.addonsConfig.gkeBackupAgentConfig.enabled, false);
        assert.equal(gone.filter((r) => r.type.startsWith("gcp:gkebackup/")).length, 0);
        const { error } = await runExpectingError(() => new GkeHub("bad", { ...MINIMAL, keepStudentWork: "yes" as any }));
        assert.deepEqual(error.errors.map((e: any) => e.propertyPath), ["keepStudentWork"]);
    });

    it("gives the shared volume Filestore's smallest size when the spec names none", async () => {
        const resources = await run(() => new GkeHub("cs101", { ...MINIMAL, spec: { ...MINIMAL_SPEC, storage: { sharedCourseFolder: true } } }));
        assert.equal(one(resources, "kubernetes:core/v1:PersistentVolumeClaim").inputs.spec.resources.requests.storage, "100Gi");
    });

    it("reports every invalid combination at once, before creating anything", async () => {
        const { error, resources } = await runExpectingError(() => new GkeHub("bad", {
            spec: {
                ...MAXIMAL_SPEC,
                https: { mode: "letsencrypt" } as any,
                notebookIdentity: undefined,
                storage: { sharedCourseFolder: true, sharedSize: "10Gi" },
            },
            location: { zone: "us-central1-a", nodeZones: ["us-central1-b"] } as any,
            coreNodes: { spot: true } as any,
            userNodes: { maxCount: 30 },
        } as any));
        assert.ok(pulumi.InputPropertiesError.isInstance(error), `expected an InputPropertiesError, got ${error}`);
        const reasons = Object.fromEntries(error.errors.map((e: any) => [e.propertyPath, e.reason]));
        // What the platform cannot serve is judged too, in every part of the spec that has its shape.
        assert.deepEqual(Object.keys(reasons).sort(), [
            "apiAccessCidrs", "coreNodes.spot", "location.nodeZones", "maxNodes", "spec.https.contactEmail",
            "spec.server.profiles[2].gpus", "spec.storage.sharedSize",
        ]);
        assert.match(reasons["location.nodeZones"], /regional clusters only/);
        assert.deepEqual(resources, []);
    });

    it("names the missing GPU pool and a too-small Filestore share", async () => {
        const { error } = await runExpectingError(() => new GkeHub("bad", {
            ...MINIMAL,
            spec: {
                ...MAXIMAL_SPEC,
                https: { mode: "letsencrypt", contactEmail: "it@example.edu" },
                notebookIdentity: undefined,
                storage: { sharedCourseFolder: true, sharedSize: "10Gi" },
            },
        }));
        const reasons = Object.fromEntries(error.errors.map((e: any) => [e.propertyPath, e.reason]));
        assert.match(reasons["spec.server.profiles[2].gpus"], /add gpuNodes/);
        assert.match(reasons["spec.storage.sharedSize"], /100Gi/);
    });

    it("is zonal by default, in the stack's gcp:region, and says how to choose when nothing is configured", async () => {
        const { location, ...withoutLocation } = MINIMAL;
        assert.ok(location);
        pulumi.runtime.setAllConfig({ "gcp:region": "europe-west4" });
        try {
            const resources = await run(() => new GkeHub("cs101", withoutLocation));
            assert.equal(one(resources, "gcp:container/cluster:Cluster").inputs.location, "europe-west4-a");
            pulumi.runtime.setAllConfig({});
            const { error } = await runExpectingError(() => new GkeHub("cs101", withoutLocation));
            assert.match(error.errors.find((e: any) => e.propertyPath === "location").reason, /gcp:zone or gcp:region/);
        } finally {
            pulumi.runtime.setAllConfig({});
        }
    });

    it("two GkeHubs in one program do not collide", async () => {
        const resources = await run(() => {
            new GkeHub("cs101", MINIMAL);
            new GkeHub("ds200", { ...MINIMAL, spec: { ...MINIMAL_SPEC, course: "ds200", hostname: "ds200.hubs.example.edu" } });
        });
        assert.deepEqual(duplicateNames(resources), []);
        const accounts = resources.filter((r) => r.type === "gcp:serviceaccount/account:Account").map((r) => r.inputs.accountId);
        assert.deepEqual(accounts.sort(), ["cs101-fall-2026-nodes", "ds200-fall-2026-nodes"], "one nodes' account each, named apart");
    });

    it("installs the hub's chart as the chart option says: its raw values merged last over the spec's, its version", async () => {
        await assertChartOptionReachesRelease((chart) => new GkeHub("cs101", { ...MINIMAL, chart }), "balanced");
    });

    it("refuses a chart option's problems at chart.version and chart.values.<path>, with the rest, before creating anything", async () => {
        const { error, resources } = await runExpectingError(() => new GkeHub("bad", {
            ...MINIMAL, coreNodes: { spot: true } as any, chart: { values: REFUSED_CHART_VALUES },
        }));
        assert.deepEqual(error.errors.map((e: any) => e.propertyPath).sort(), [...REFUSED_CHART_PATHS.map((p) => `chart.values.${p}`), "coreNodes.spot"]);
        assert.deepEqual(resources, []);
        const { error: range } = await runExpectingError(() => new GkeHub("bad", { ...MINIMAL, chart: { version: "^4.4.0" } }));
        assert.match(range.errors.find((e: any) => e.propertyPath === "chart.version").reason, /must be an exact chart version/);
    });
});
