import { strict as assert } from "node:assert";
import { estimateCost, gibibytes } from "../../plan/cost";
import PRICES from "../../plan/prices.json";
import { recordedResource } from "../support/recorded";

/* The cost model as a pure function of recorded resources, without running any program. */


describe("the plan's cost model", () => {
    it("reads Kubernetes storage quantities", () => {
        assert.deepEqual(["1Gi", "100Gi", "1Ti", "512Mi", "10"].map(gibibytes), [1, 100, 1024, 0.5, 10]);
        assert.throws(() => gibibytes("ten gigs"), /not a Kubernetes storage quantity/);
    });

    it("lists a type the price table lacks as unpriced, outside the totals, and says where to add it", () => {
        const cost = estimateCost([
            recordedResource("aws:ec2/instance:Instance", "hub", { instanceType: "x9.mega", rootBlockDevice: { volumeSize: 10, volumeType: "gp3" } }),
        ], {});
        const line = cost.lines.find((l) => l.item === "instance hub: x9.mega")!;
        assert.equal(line.unitPrice, undefined);
        assert.equal(line.floor, 0);
        assert.equal(cost.floor, 0.8, "only the priced disk, 10 GB x $0.08");
        assert.ok(cost.notes.includes('No price for "instance hub: x9.mega" in components/machine-table.json: the totals leave it out; add it there.'));
    });

    it("skips a resource that bills nothing at floor or ceiling, and counts reads as nothing", () => {
        const group = recordedResource("aws:autoscaling/group:Group", "idle", { minSize: 0, maxSize: 0 });
        const read = { ...recordedResource("aws:ec2/eip:Eip", "existing", {}), read: true };
        assert.deepEqual(estimateCost([group, read], {}).lines, []);
    });

    it("keeps the GKE user nodes that ready seats outside lectures need in the floor, not the GPU pool's", () => {
        const cluster = recordedResource("gcp:container/cluster:Cluster", "c", { name: "course", location: "us-central1-a" });
        const pool = (name: string, labels: Record<string, string>) => recordedResource("gcp:container/nodePool:NodePool", name, {
            cluster: "course", location: "us-central1-a", autoscaling: { minNodeCount: 0, maxNodeCount: 10 },
            nodeConfig: { machineType: "e2-standard-8", diskSizeGb: 50, diskType: "pd-balanced", labels },
        });
        const release = recordedResource("kubernetes:helm.sh/v3:Release", "hub", {
            chart: "jupyterhub",
            values: { scheduling: { userPlaceholder: { enabled: true, replicas: 20, resources: { requests: { cpu: "0.5", memory: "1Gi" } } } } },
        });
        const cost = estimateCost([cluster, pool("user", { "hub.jupyter.org/node-purpose": "user" }),
            pool("gpu", { "hub.jupyter.org/node-purpose": "user", "course-hubs/gpu": "true" }), release], {});
        // An e2-standard-8 holds 15 servers of 0.5 CPU (7.56 CPUs after GKE's reserve and DaemonSets): 20 seats need 2 nodes.
        const user = cost.lines.find((l) => l.item.startsWith("node pool user: e2-standard-8"))!;
        assert.equal(user.floorQuantity, 2);
        assert.match(user.item, /\(2 kept up all month by 20 ready seats outside lectures \(prewarm\.seats\)\)/);
        assert.equal(cost.lines.find((l) => l.item.startsWith("node pool gpu: e2-standard-8"))!.floorQuantity, 0);
    });

    it("prices a GKE pool per zone, GPUs per node, and a regional cluster without the free tier", () => {
        const cluster = recordedResource("gcp:container/cluster:Cluster", "c", { name: "course", location: "us-central1" });
        const pool = recordedResource("gcp:container/nodePool:NodePool", "gpu", {
            cluster: "course", autoscaling: { minNodeCount: 0, maxNodeCount: 2 },
            nodeConfig: { machineType: "n1-standard-4", diskSizeGb: 100, diskType: "pd-balanced", guestAccelerators: [{ type: "nvidia-tesla-t4", count: 1 }] },
        });
        const cost = estimateCost([cluster, pool], { "gcp:region": "europe-west1" });
        const byItem = Object.fromEntries(cost.lines.map((l) => [l.item, [l.floorQuantity, l.ceilingQuantity]]));
        // A regional cluster runs a pool's nodes in three zones: 2 per zone is 6.
        assert.deepEqual(byItem["node pool gpu: n1-standard-4"], [0, 6]);
        assert.deepEqual(byItem["node pool gpu: GPU nvidia-tesla-t4"], [0, 6]);
        assert.equal(cost.gkeFreeTier, undefined, "a regional cluster claims no free tier");
        assert.equal(cost.floor, Math.round(PRICES.gcp.gkeClusterManagementPerHour.usd * 730 * 100) / 100);
        assert.ok(cost.notes.includes("Prices are us-central1's; europe-west1 may differ."));
    });

    it("prices a load balancer on a cloud the stack does not name at the dearer of the two", () => {
        const release = recordedResource("kubernetes:helm.sh/v3:Release", "hub", {
            chart: "jupyterhub",
            values: {
                proxy: { service: { type: "LoadBalancer" } },
                hub: { db: { type: "sqlite-memory" } },
                singleuser: { storage: { type: "none" } },
            },
        });
        const cost = estimateCost([release], {});
        assert.deepEqual(cost.lines.map((l) => [l.item, l.floor]), [
            // NLB 0.0225 + its IPv4 0.005 = 0.0275 an hour beats a forwarding rule's 0.025.
            ["load balancer of hub, on a cloud this stack does not name (priced at the dearer of AWS and GCP)", 20.08],
        ]);
        assert.deepEqual(cost.notes, []);
    });
});
