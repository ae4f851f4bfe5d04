import { strict as assert } from "node:assert";
import { Provider } from "@pulumi/kubernetes/provider";
import {
    AuthSpec, EC2AutoscaleHub, EksHub, GkeHub, HubSpec, JupyterHub, clusterCapabilities, ec2Capabilities, eksCapabilities, gkeCapabilities, hubClusterObjects,
    hubSpecProblems, toZ2jhValues, validateGkeHubArgs, validateHubSpec, validateJupyterHubArgs,
} from "../../components";
import { READY_SEAT_GROUP, userCapacity, userCapacityProblems } from "../../components/capacity";
import { courseLabels, courseName, courseTags } from "../../components/tags";
import { estimateCost } from "../../plan/cost";
import { guardCluster } from "../../stacks/course";
import { unwrapSecrets } from "../setup-mocks";
import { FULL_PLATFORM, MAXIMAL_SPEC, MINIMAL_SPEC, PNG_LOGO, forCluster } from "../support/specs";
import { one, run } from "../support/program";
import { deploy, stackConfig } from "../support/stacks";
import { recordedResource } from "../support/recorded";
import { z2jhSchemaErrors } from "../support/z2jh-schema";

/*
 * Hub knobs real hubs turn: when images are pre-pulled (`server.prePull`) and how big a ready seat
 * is (`prewarm.seatSize`), as chart values checked against the chart's schema, and as the capacity
 * check and the plan's cost model see them.
 */

const EC2_PLATFORMS = [ec2Capabilities({}), ec2Capabilities({ workers: false })];
const KUBERNETES_PLATFORMS = [clusterCapabilities({}), eksCapabilities({}), gkeCapabilities({})];

describe("server.prePull: when server images are pulled onto user nodes", () => {
    it("by default pulls onto every user node as it joins, and does not make an update wait for the pull (the chart would)", () => {
        const values = toZ2jhValues(forCluster(MINIMAL_SPEC), {});
        assert.deepEqual(z2jhSchemaErrors(values), []);
        assert.deepEqual(values.prePuller, { hook: { enabled: false }, continuous: { enabled: true } });
    });

    it("turns the upgrade hook on and the continuous puller off as asked, keeping GPU images off CPU nodes", () => {
        const spec: HubSpec = { ...MAXIMAL_SPEC, server: { ...MAXIMAL_SPEC.server, prePull: { beforeUpgrade: true, continuous: false } } };
        const values = toZ2jhValues(forCluster(spec, FULL_PLATFORM), FULL_PLATFORM);
        assert.deepEqual(z2jhSchemaErrors(values), []);
        assert.deepEqual([values.prePuller.hook, values.prePuller.continuous], [{ enabled: true }, { enabled: false }]);
        assert.equal(values.prePuller.pullProfileListImages, false, "the hook's pullers must not pull the CUDA image onto CPU nodes");
    });

    it("with continuous: false, the GPU nodes get no puller of course-hubs's either", () => {
        const gpuPuller = (continuous: boolean | undefined) => {
            const spec: HubSpec = { ...MAXIMAL_SPEC, server: { ...MAXIMAL_SPEC.server, prePull: { continuous } } };
            return hubClusterObjects(forCluster(spec, FULL_PLATFORM), FULL_PLATFORM).gpuImagePuller;
        };
        assert.ok(gpuPuller(undefined) !== undefined && gpuPuller(true) !== undefined);
        assert.equal(gpuPuller(false), undefined);
    });

    it("is served by the Kubernetes hubs and refused on EC2 by its path", () => {
        const spec: HubSpec = { ...MINIMAL_SPEC, server: { prePull: { continuous: false } } };
        for (const capabilities of KUBERNETES_PLATFORMS) {
            assert.deepEqual(hubSpecProblems(spec, capabilities), []);
        }
        for (const capabilities of EC2_PLATFORMS) {
            const problems = hubSpecProblems(spec, capabilities);
            assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.server.prePull"]);
            assert.match(problems[0].reason, /pull the server image as each joins.*leave it out/);
        }
    });
});

/** A course whose servers are small and whose one CPU profile is big: 0.5 CPU and 1G, or 0.5 CPU and 6G. */
const TWO_SIZES: HubSpec = {
    ...MINIMAL_SPEC,
    server: {
        resources: { cpuGuarantee: 0.5, memoryGuarantee: "1G" },
        profiles: [
            { slug: "standard", displayName: "Standard" },
            { slug: "big-data", displayName: "Big data", resources: { memoryGuarantee: "6G", memoryLimit: "8G" } },
            { slug: "gpu", displayName: "GPU", gpus: 1, resources: { cpuGuarantee: 4, cpuLimit: 4, memoryGuarantee: "30G", memoryLimit: "30G" } },
        ],
    },
    prewarm: { seats: 6 },
};

function withSeatSize(spec: HubSpec, seatSize: "server" | "largestProfile" | undefined): HubSpec {
    return { ...spec, prewarm: { ...spec.prewarm, seatSize } };
}

describe("prewarm.seatSize: how big a ready seat is", () => {
    it("by default reserves what the default server asks, its sidecars included", () => {
        // MAXIMAL_SPEC's default profile "standard" has the server's 0.25 CPU and 512M; its postgres sidecar asks 256M,
        // and its bucket dataset's Cloud Storage FUSE sidecar 0.05 CPU and 64M.
        const values = toZ2jhValues(forCluster(MAXIMAL_SPEC, FULL_PLATFORM), FULL_PLATFORM);
        assert.deepEqual(z2jhSchemaErrors(values), []);
        assert.deepEqual(values.scheduling.userPlaceholder.resources, { requests: { cpu: "0.3", memory: "832Mi" } });
    });

    it("with largestProfile reserves the largest CPU and memory of the server and the CPU profiles, never a GPU profile's", () => {
        const values = toZ2jhValues(forCluster(withSeatSize(TWO_SIZES, "largestProfile"), FULL_PLATFORM), FULL_PLATFORM);
        assert.deepEqual(z2jhSchemaErrors(values), []);
        assert.deepEqual(values.scheduling.userPlaceholder.resources, { requests: { cpu: "0.5", memory: "6144Mi" } });
        assert.deepEqual(toZ2jhValues(forCluster(withSeatSize(TWO_SIZES, "server"), FULL_PLATFORM), FULL_PLATFORM).scheduling.userPlaceholder.resources,
            { requests: { cpu: "0.5", memory: "1024Mi" } });
    });

    it("is served by the Kubernetes hubs and refused on EC2 by its path", () => {
        const spec = withSeatSize(MINIMAL_SPEC, "largestProfile");
        for (const capabilities of KUBERNETES_PLATFORMS) {
            assert.deepEqual(hubSpecProblems(spec, capabilities), []);
        }
        const problems = hubSpecProblems(spec, ec2Capabilities({}));
        assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.prewarm.seatSize"]);
    });

    it("counts the ready seats at their size against the user nodes' maximum, naming seatSize as a fix", () => {
        const keys = { maxCount: "userNodes.maxCount", instanceType: "userNodes.machineType" };
        // An e2-standard-8 gives servers 7.56 CPUs and 27.89 GiB: 15 servers of 0.5 CPU and 1G, 4 ready seats of 6G.
        assert.deepEqual(userCapacityProblems("gke", withSeatSize(TWO_SIZES, "server"), ["e2-standard-8"], 1, keys), []);
        const problems = userCapacityProblems("gke", withSeatSize(TWO_SIZES, "largestProfile"), ["e2-standard-8"], 1, keys);
        assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.prewarm.seatSize"], "servers' seats would fit: the size is what to change");
        assert.match(problems[0].reason, /^"largestProfile" makes prewarm\.seats too many: 6 seats need 2 e2-standard-8 nodes \(4 seats each: memory binds.*ready seats of the largest profile of 0\.5 CPU and 6 GiB/);
        assert.match(problems[0].reason, /set spec\.prewarm\.seatSize to "server"$/);
        const tooMany = userCapacityProblems("gke", withSeatSize({ ...TWO_SIZES, prewarm: { seats: 20 } }, "largestProfile"), ["e2-standard-8"], 1, keys);
        assert.deepEqual(tooMany.map((p) => p.propertyPath), ["spec.prewarm.seats"], "too many seats even at the servers' size");
    });

    it("reports the ready seats' capacity beside the server's, which the term's lecture nodes are counted at", () => {
        const groups = userCapacity("gke", withSeatSize(TWO_SIZES, "largestProfile"), ["e2-standard-8"], 10);
        const readySeat = groups.find((g) => g.group === READY_SEAT_GROUP);
        assert.deepEqual([groups[0].seatsPerNode, readySeat?.seatsPerNode], [15, 4]);
        assert.equal(userCapacity("gke", withSeatSize(TWO_SIZES, "server"), ["e2-standard-8"], 10).some((g) => g.group === READY_SEAT_GROUP), false);
    });

    it("keeps up as many user nodes in the plan's floor as the bigger placeholders need", () => {
        const floorNodes = (spec: HubSpec) => {
            const cluster = recordedResource("gcp:container/cluster:Cluster", "c", { name: "course", location: "us-central1-a" });
            const pool = recordedResource("gcp:container/nodePool:NodePool", "user", {
                cluster: "course", location: "us-central1-a", autoscaling: { minNodeCount: 0, maxNodeCount: 10 },
                nodeConfig: { machineType: "e2-standard-8", diskSizeGb: 50, diskType: "pd-balanced", labels: { "hub.jupyter.org/node-purpose": "user" } },
            });
            const values = toZ2jhValues(forCluster(spec, FULL_PLATFORM), FULL_PLATFORM);
            const release = recordedResource("kubernetes:helm.sh/v3:Release", "hub", { chart: "jupyterhub", values });
            return estimateCost([cluster, pool, release], {}).lines.find((l) => l.item.startsWith("node pool user: e2-standard-8"))!.floorQuantity;
        };
        // 6 seats: one node of 15 servers' seats, or two of 4 big-data seats.
        assert.deepEqual([floorNodes(withSeatSize(TWO_SIZES, "server")), floorNodes(withSeatSize(TWO_SIZES, "largestProfile"))], [1, 2]);
    });
});

const svg = (body: string) => Buffer.from(`<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">${body}</svg>`).toString("base64");

describe("logo: the course's logo in the hub's pages", () => {
    it("is placed in the hub by the chart and named by JupyterHub's logo_file, with its format's extension", () => {
        const values = toZ2jhValues(forCluster({ ...MINIMAL_SPEC, logo: PNG_LOGO }), {});
        assert.deepEqual(z2jhSchemaErrors(values), []);
        const path = "/usr/local/etc/jupyterhub/course-hubs-logo.png";
        assert.equal(values.hub.config.JupyterHub.logo_file, path);
        assert.deepEqual(values.hub.extraFiles, { "course-hubs-logo": { mountPath: path, binaryData: PNG_LOGO } });
        const drawing = toZ2jhValues(forCluster({ ...MINIMAL_SPEC, logo: svg("<rect width='40' height='40'/>") }), {});
        assert.equal(drawing.hub.config.JupyterHub.logo_file, "/usr/local/etc/jupyterhub/course-hubs-logo.svg", "served as image/svg+xml");
    });

    it("left out, the hub keeps Jupyter's logo", () => {
        const values = toZ2jhValues(forCluster(MINIMAL_SPEC), {});
        assert.ok(!("logo_file" in values.hub.config.JupyterHub) && values.hub.extraFiles === undefined);
    });

    it("refuses what is no image, a logo over 100 KiB and an SVG with a script, by its path", () => {
        const notAnImage = Buffer.from("just some text, not an image").toString("base64");
        const tooBig = Buffer.concat([Buffer.from(PNG_LOGO, "base64"), Buffer.alloc(101 * 1024)]).toString("base64");
        for (const [logo, reason] of [
            [notAnImage, /not a PNG, JPEG, GIF, WebP or SVG image.*base64 -w0/],
            [tooBig, /has 102 KiB, more than 100 KiB/],
            [svg("<script>alert(1)</script>"), /SVG with a script/],
            [svg("<rect onclick='steal()'/>"), /SVG with a script or an event handler/],
            ["not base64!", /base64-encoded in one line/],
        ] as const) {
            const problems = validateHubSpec({ ...MINIMAL_SPEC, logo });
            assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.logo"], logo.slice(0, 20));
            assert.match(problems[0].reason, reason);
        }
    });

    it("is served by the Kubernetes hubs and refused on EC2 by its path", () => {
        const spec: HubSpec = { ...MINIMAL_SPEC, logo: PNG_LOGO };
        for (const capabilities of KUBERNETES_PLATFORMS) {
            assert.deepEqual(hubSpecProblems(spec, capabilities), []);
        }
        for (const capabilities of EC2_PLATFORMS) {
            const problems = hubSpecProblems(spec, capabilities);
            assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.logo"]);
            assert.match(problems[0].reason, /user-data, which holds 16 KB/);
        }
    });
});

describe("platform.operatorAdmins: a cluster's operators, admins on every hub on it", () => {
    const platform = { operatorAdmins: ["dept-ops", "prof-smith"] };

    it("join the course's admins, each name once, and so may always log in", () => {
        const values = toZ2jhValues(forCluster(MAXIMAL_SPEC, FULL_PLATFORM), { ...FULL_PLATFORM, ...platform });
        assert.deepEqual(z2jhSchemaErrors(values), []);
        assert.deepEqual(values.hub.config.Authenticator.admin_users, ["prof-smith", "dept-ops"]);
        assert.deepEqual(toZ2jhValues(forCluster(MAXIMAL_SPEC, FULL_PLATFORM), FULL_PLATFORM).hub.config.Authenticator.admin_users, ["prof-smith"]);
    });

    it("are refused by their path when the course's login never gives such a name", () => {
        const auth: AuthSpec = { type: "oidc", provider: "google", clientId: "c", clientSecret: "s", hostedDomains: ["example.edu"] };
        const google: HubSpec = { ...MINIMAL_SPEC, auth };
        const problems = validateJupyterHubArgs({ spec: google, platform: { operatorAdmins: ["ops@example.edu", "dept-ops"] } });
        assert.deepEqual(problems.map((p) => p.propertyPath), ["platform.operatorAdmins[1]"]);
        assert.match(problems[0].reason, /^"dept-ops" is not a username this login gives anyone/);
        assert.deepEqual(validateJupyterHubArgs({ spec: MINIMAL_SPEC, platform: { operatorAdmins: ["Dept-Ops"] } }).map((p) => p.propertyPath),
            ["platform.operatorAdmins[0]"], "JupyterHub lowercases every name");
    });

    it("on a shared-password hub need the admins' password", () => {
        const shared: HubSpec = { ...MINIMAL_SPEC, auth: { type: "sharedPassword", password: "class-password-1", acknowledgeInsecure: true } };
        const problems = validateJupyterHubArgs({ spec: shared, platform });
        assert.deepEqual(problems.map((p) => p.propertyPath), ["platform.operatorAdmins"]);
        assert.match(problems[0].reason, /course-hubs:sharedAdminPassword/);
    });

    it("reach a course stack's hub from course-hubs:kubernetes.platform, and are refused there by that key", async () => {
        const target = JSON.parse(stackConfig("dept-stats-stat200")["course-hubs:kubernetes"]);
        const withOperators = (operatorAdmins: string[]) => ({
            ...stackConfig("dept-stats-stat200"),
            "course-hubs:kubernetes": JSON.stringify({ ...target, platform: { ...target.platform, operatorAdmins } }),
        });
        const { resources, error } = await deploy(withOperators(["dept-ops"]));
        assert.equal(error, undefined, String(error?.message));
        const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "jupyterhub")!;
        assert.ok(unwrapSecrets(release.inputs.values).hub.config.Authenticator.admin_users.includes("dept-ops"));
        const refused = await deploy(withOperators(["ops@example.edu/x"]));
        assert.match(String(refused.error?.message), /course-hubs:kubernetes\.platform\.operatorAdmins\[0\]: "ops@example\.edu\/x" has a "\/"/);
        assert.deepEqual(refused.resources.filter((r) => !r.type.startsWith("pulumi:")), []);
    });
});

/** A department's standing hub: no term. */
const STANDING: HubSpec = { ...MINIMAL_SPEC, course: "stats-lab", term: undefined };

describe("term: optional, for a hub that lives across terms", () => {
    it("names a hub by course and term, or by the course alone without one; tags it standing then", () => {
        assert.equal(courseName(MINIMAL_SPEC), "cs101-fall-2026", "a course with a term keeps its name");
        assert.equal(courseName(STANDING), "stats-lab");
        assert.deepEqual(courseTags(STANDING), { course: "stats-lab", term: "standing", owner: "course-it@example.edu", "managed-by": "course-hubs" });
        assert.deepEqual(courseLabels(STANDING).term, "standing");
    });

    it("is a valid spec without a term, shown by the course's name alone", () => {
        assert.deepEqual(validateHubSpec(STANDING), []);
        assert.equal(toZ2jhValues(forCluster(STANDING), {}).hub.config.JupyterHub.template_vars.announcement_login, "stats-lab");
    });

    for (const [platform, make] of [
        // Through the stack program, so that the cluster guard is named too; with the notebooks' identity and kept student work.
        ["EksHub", () => guardCluster(STANDING, new EksHub("lab", {
            spec: STANDING, apiAccessCidrs: ["203.0.113.0/24"], notebookBucketAccess: { buckets: ["arn:aws:s3:::stats-lab-data"] }, keepStudentWork: true,
        }))],
        ["GkeHub", () => guardCluster(STANDING, new GkeHub("lab", {
            spec: STANDING, location: { zone: "us-central1-a" }, apiAccessCidrs: ["203.0.113.0/24"],
            notebookBucketAccess: { buckets: ["stats-lab-data"] }, keepStudentWork: true,
        }))],
        ["EC2AutoscaleHub", () => new EC2AutoscaleHub("lab", { spec: STANDING })],
        ["JupyterHub", () => new JupyterHub("lab", { spec: STANDING, provider: new Provider("cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" }) })],
    ] as const) {
        it(`${platform} without a term names everything after the course, tags it standing, and writes no "undefined"`, async () => {
            const resources = await run(make);
            // A dynamic resource's serialized provider code is no name.
            const inputs = resources.map((r) => Object.fromEntries(Object.entries(r.inputs).filter(([key]) => key !== "__provider")));
            assert.ok(!JSON.stringify(inputs).includes("undefined"), "a name or tag made from a missing term");
            const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "jupyterhub");
            if (release) {
                assert.deepEqual([release.inputs.name, release.inputs.namespace], ["stats-lab", "stats-lab"]);
            }
            // AWS tags, GCP labels and Kubernetes labels alike.
            const identities = resources.flatMap((r) => [r.inputs.tags, r.inputs.labels, r.inputs.metadata?.labels, r.inputs.resourceLabels])
                .filter((carried) => carried?.course === "stats-lab");
            assert.ok(identities.length > 0, "resources carry the course's identity");
            assert.deepEqual([...new Set(identities.map((carried) => carried.term))], ["standing"]);
            // The backup of kept student work selects the volumes by that tag.
            for (const selection of resources.filter((r) => r.type === "aws:backup/selection:Selection")) {
                const term = selection.inputs.conditions[0].stringEquals.find((c: { key: string }) => c.key === "aws:ResourceTag/term");
                assert.equal(term?.value, "standing");
            }
        });
    }
});

describe("namespace: the hub's Kubernetes namespace, overridable", () => {
    const provider = () => new Provider("cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" });

    it("JupyterHub creates the hub in it; the Helm release keeps the course's name", async () => {
        const resources = await run(() => new JupyterHub("cs101", { spec: MINIMAL_SPEC, provider: provider(), namespace: "hub-cs101" }));
        assert.equal(one(resources, "kubernetes:core/v1:Namespace").inputs.metadata.name, "hub-cs101");
        const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "jupyterhub")!;
        assert.deepEqual([release.inputs.name, release.inputs.namespace], ["cs101-fall-2026", "hub-cs101"]);
    });

    it("refuses a name that is no DNS label, and the cluster's own namespaces, which deleting the hub would delete", () => {
        for (const namespace of ["Hub_CS101", "default", "kube-system"]) {
            const problems = validateJupyterHubArgs({ spec: MINIMAL_SPEC, namespace });
            assert.deepEqual(problems.map((p) => p.propertyPath), ["namespace"], namespace);
        }
        assert.match(validateJupyterHubArgs({ spec: MINIMAL_SPEC, namespace: "kube-system" })[0].reason, /cluster's own namespace.*choose a new one/);
    });

    it("is a course stack's course-hubs:kubernetes.namespace, refused there by that key", async () => {
        const target = JSON.parse(stackConfig("dept-stats-stat200")["course-hubs:kubernetes"]);
        const inNamespace = (namespace: string) => ({
            ...stackConfig("dept-stats-stat200"), "course-hubs:kubernetes": JSON.stringify({ ...target, namespace }),
        });
        const { resources, error } = await deploy(inNamespace("hub-stat200"));
        assert.equal(error, undefined, String(error?.message));
        assert.equal(one(resources, "kubernetes:core/v1:Namespace").inputs.metadata.name, "hub-stat200");
        const refused = await deploy(inNamespace("default"));
        assert.match(String(refused.error?.message), /course-hubs:kubernetes\.namespace: "default" is the cluster's own namespace/);
        assert.deepEqual(refused.resources.filter((r) => !r.type.startsWith("pulumi:")), []);
    });
});

describe("term left out on GKE", () => {
    it("refuses a course code too short to name the hub's Google service accounts alone, by its path", () => {
        const gke = (spec: HubSpec, physicalName?: string) => validateGkeHubArgs({
            spec, location: { zone: "us-central1-a" }, apiAccessCidrs: ["203.0.113.0/24"], ...(physicalName ? { physicalName } : {}),
        });
        const problems = gke({ ...STANDING, course: "ds" });
        assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.course"]);
        assert.match(problems[0].reason, /\("ds-nb"\) need 6 characters at least/);
        assert.deepEqual(gke({ ...STANDING, course: "ds" }, "ds-lab"), []);
        assert.deepEqual(gke({ ...MINIMAL_SPEC, course: "ds" }), [], "with a term the name is long enough");
        assert.deepEqual(gke(STANDING), []);
    });
});
