import { strict as assert } from "node:assert";
import {
    capacityProblems, defaultSeatRequest, defaultUserNodeType, gkeReservedMemoryMiB, imageRunsOnArm64, reservedCpuMillis, seatsIn, userGroupCapacity,
    userNodeArchitectures, userNodeOffers, userNodeRoom,
} from "../components/capacity";
import { HubSpec } from "../components/hub/spec";
import { machineType, machineTypes } from "../components/machine-types";
import { MINIMAL_SPEC } from "./support/specs";

/*
 * Seats per node from first principles. The expected figures are worked out by hand in the
 * comments from the sources capacity.ts cites (nodeadm's reserve, GKE's documented reserve, the
 * DaemonSets' requests), not taken from the code.
 */

const JUPYTER_IMAGE = { name: "quay.io/jupyter/scipy-notebook", tag: "2025-10-20" };
const withServer = (server: HubSpec["server"]): HubSpec => ({ ...MINIMAL_SPEC, server: { image: JUPYTER_IMAGE, ...server } });
/** The kernel of a 32 GiB r7i.xlarge reports 33089273856 bytes (2i2c's measurement). */
const REPORTED = 33089273856 / 32 / 1024 ** 3;

describe("what a user node can give students' servers", () => {
    it("reserves the kubelet's CPU by nodeadm's and GKE's tiers: 6% of one core, 1% of the next, 0.5% of two more, 0.25% beyond", () => {
        assert.equal(reservedCpuMillis(2), 60 + 10);
        assert.equal(reservedCpuMillis(4), 60 + 10 + 2 * 5);
        assert.equal(reservedCpuMillis(16), 60 + 10 + 2 * 5 + 12 * 2.5);
    });

    it("reserves GKE's documented memory: 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8, 6% of the next 112", () => {
        assert.equal(gkeReservedMemoryMiB(0.5), 255);
        assert.equal(gkeReservedMemoryMiB(4), 1024);
        assert.equal(gkeReservedMemoryMiB(16), 1024 + 819.2 + 819.2);
        assert.equal(Math.round(gkeReservedMemoryMiB(32)), Math.round(1024 + 819.2 + 819.2 + 16 * 1024 * 0.06));
    });

    it("an EKS m6i.xlarge: 3.74 CPUs, about 14.3 GiB and 106 pods; 7 servers of 0.5 CPU and 1G, CPU binding (the issue's 'about 7')", () => {
        const room = userNodeRoom("eks", machineType("aws", "m6i.xlarge")!, false);
        // CPU: 4000m less 80m kube-reserved less aws-node 50m, kube-proxy 100m, ebs-csi-node 30m.
        assert.equal(room.cpuMillis, 4000 - 80 - 180);
        // Memory: 16 GiB as the kernel reports it, less 11 x 58 (the ENI pod limit: 4 ENIs x 14 + 2) + 255 MiB,
        // the 100 MiB eviction threshold and ebs-csi-node's 104 MiB.
        assert.ok(Math.abs(room.memoryMiB - (16384 * REPORTED - 893 - 100 - 104)) < 1e-6);
        // Pods: 110 less aws-node, kube-proxy, ebs-csi-node and the image puller.
        assert.equal(room.pods, 106);
        assert.deepEqual(seatsIn(room, defaultSeatRequest(MINIMAL_SPEC)), { seats: 7, binding: "cpu" });
    });

    it("a GKE e2-standard-8: 15 servers of 0.5 CPU and 1G, CPU binding", () => {
        const room = userNodeRoom("gke", machineType("gcp", "e2-standard-8")!, false);
        // 8000m less 90m reserved less fluentbit 105, metadata server 100, ip-masq 10, netd and pdcsi 33, anetd 100.
        assert.equal(room.cpuMillis, 8000 - 90 - 348);
        assert.equal(seatsIn(room, defaultSeatRequest(MINIMAL_SPEC)).seats, Math.floor((8000 - 90 - 348) / 500));
        assert.equal(seatsIn(room, defaultSeatRequest(MINIMAL_SPEC)).binding, "cpu");
    });

    it("an EC2 worker counts every CPU, as Docker Swarm places servers by their reservations: m6i.xlarge holds 8, not the 15 its memory would", () => {
        const room = userNodeRoom("ec2", machineType("aws", "m6i.xlarge")!, false);
        assert.equal(room.cpuMillis, 4000);
        assert.deepEqual(seatsIn(room, defaultSeatRequest(MINIMAL_SPEC)), { seats: 8, binding: "cpu" });
    });

    it("adds sidecars to what a server asks, and takes a default profile's resources over the server's", () => {
        const spec = withServer({
            resources: { cpuGuarantee: 1, memoryGuarantee: "2G" },
            sidecars: [{ name: "db", image: { name: "postgres", tag: "17" }, resources: { cpuGuarantee: 0.25, memoryGuarantee: "512M" } }],
            profiles: [{ slug: "small", displayName: "Small" }, { slug: "big", displayName: "Big", default: true, resources: { memoryGuarantee: "4G" } }],
        });
        assert.deepEqual(defaultSeatRequest(spec), { cpuMillis: 1250, memoryMiB: 4096 + 512 });
    });

    it("names what binds: memory for a memory-heavy server", () => {
        const room = userNodeRoom("eks", machineType("aws", "m6i.xlarge")!, false);
        assert.deepEqual(seatsIn(room, defaultSeatRequest(withServer({ resources: { cpuGuarantee: 0.1, memoryGuarantee: "4G" } }))),
            { seats: Math.floor(room.memoryMiB / 4096), binding: "memory" });
    });
});

describe("the default user node type", () => {
    const SHAPES: [string, HubSpec["server"]][] = [
        ["0.5 CPU, 1G (the defaults)", {}],
        ["1 CPU, 2G", { resources: { cpuGuarantee: 1, memoryGuarantee: "2G" } }],
        ["0.5 CPU, 4G", { resources: { cpuGuarantee: 0.5, memoryGuarantee: "4G" } }],
        ["2 CPU, 4G", { resources: { cpuGuarantee: 2, memoryGuarantee: "4G" } }],
        ["1 CPU, 8G", { resources: { cpuGuarantee: 1, memoryGuarantee: "8G" } }],
    ];

    for (const platform of ["eks", "gke", "ec2"] as const) {
        for (const [shape, server] of SHAPES) {
            it(`${platform}, ${shape}: a seat within 15% of the cheapest type in the region that holds the server`, () => {
                const spec = withServer(server);
                const chosen = defaultUserNodeType(platform, spec)!;
                const capacity = userGroupCapacity(platform, spec, [chosen], 10)!;
                // Every priced, non-burstable, non-GPU type of an allowed architecture, any size, priced by hand here.
                const perSeat = machineTypes(platform === "gke" ? "gcp" : "aws")
                    .filter((t) => t.usdPerHour !== undefined && !t.burstable && !t.gpus && userNodeArchitectures(platform, spec).includes(t.arch))
                    .map((t) => t.usdPerHour! / seatsIn(userNodeRoom(platform, t, false), defaultSeatRequest(spec)).seats)
                    .filter(Number.isFinite);
                const cheapest = Math.min(...perSeat);
                assert.ok(capacity.usdPerSeatHour! <= cheapest * 1.15, `${chosen}: $${capacity.usdPerSeatHour} a seat-hour, cheapest $${cheapest}`);
                assert.equal(capacity.cheapest!.usdPerSeatHour, cheapest, "the cheapest figure shown beside it");
                assert.ok(machineType(platform === "gke" ? "gcp" : "aws", chosen)!.vcpus <= 8 || capacity.seatsPerNode <= 16,
                    `${chosen} holds ${capacity.seatsPerNode} servers: at most 8 vCPUs, or 16 servers`);
            });
        }
    }

    it("picks the family by the guarantees' ratio: compute-optimized for 1:2 once the node's reserve is taken, memory-optimized for 1:8", () => {
        // 0.5 CPU and 1G: c6g.2xlarge (8 CPUs, 16 GiB) holds 14 servers (memory binds) for $0.272 = $0.0194 a seat.
        assert.equal(defaultUserNodeType("eks", withServer({})), "c6g.2xlarge");
        assert.match(defaultUserNodeType("eks", withServer({ resources: { cpuGuarantee: 1, memoryGuarantee: "8G" } }))!, /^r\dg\./);
    });

    it("runs arm64 (Graviton) only where every image does, and never on GKE, whose Arm nodes z2jh's pods do not tolerate", () => {
        assert.equal(imageRunsOnArm64(JUPYTER_IMAGE), true);
        assert.equal(imageRunsOnArm64({ name: "quay.io/jupyter/pytorch-notebook", tag: "cuda12-2025-10-20" }), false);
        assert.equal(imageRunsOnArm64({ name: "rocker/rstudio", tag: "4.5" }), false);
        assert.deepEqual(userNodeArchitectures("eks", withServer({})), ["arm64", "x86_64"]);
        assert.deepEqual(userNodeArchitectures("gke", withServer({})), ["x86_64"]);
        const rstudio = { slug: "r", displayName: "R", image: { name: "rocker/rstudio", tag: "4.5" } };
        assert.deepEqual(userNodeArchitectures("eks", withServer({ profiles: [rstudio] })), ["x86_64"]);
        assert.equal(machineType("aws", defaultUserNodeType("ec2", MINIMAL_SPEC)!)!.arch, "x86_64", "the default image is amd64 only");
    });

    it("never offers a burstable or GPU type for students' servers", () => {
        const offers = userNodeOffers("eks", defaultSeatRequest(MINIMAL_SPEC), { sharedStorage: false, architectures: ["arm64", "x86_64"] });
        assert.ok(offers.length > 20);
        assert.deepEqual(offers.filter((o) => /^(t\d|g\d)/.test(o.type.name)), []);
    });
});

describe("a lecture that cannot fit", () => {
    it("is refused by its schedule key, with the numbers and the fixes", () => {
        const spec = withServer({});
        const lecture = { ...spec, prewarm: { timeZone: "America/New_York", schedule: [{ start: "45 9 * * 1,3", end: "30 11 * * 1,3", seats: 150 }] } };
        const capacity = userGroupCapacity("eks", lecture, ["m6i.xlarge"], 12)!;
        assert.equal(capacity.seatsAtMaximum, 84, "7 seats x 12 nodes");
        assert.deepEqual(capacityProblems(lecture, capacity, { maxCount: "userNodes.maxCount", instanceType: "userNodes.instanceTypes" }), [{
            propertyPath: "spec.prewarm.schedule[0].seats",
            reason: "150 seats need 22 m6i.xlarge nodes (7 seats each: CPU binds, a node giving 3.74 CPUs and 14.34 GiB to servers of 0.5 CPU and 1 GiB "
                + "guaranteed), but userNodes.maxCount allows 12 (84 seats). Raise userNodes.maxCount to 22, lower spec.server.resources.cpuGuarantee, "
                + "or choose a bigger type (userNodes.instanceTypes)",
        }]);
        assert.deepEqual(capacityProblems(lecture, userGroupCapacity("eks", lecture, ["m6i.xlarge"], 22)!,
            { maxCount: "userNodes.maxCount", instanceType: "userNodes.instanceTypes" }), [], "22 nodes hold 154");
    });

    it("refuses standing seats beyond the maximum, and a node that cannot hold one server", () => {
        const standing = { ...withServer({}), prewarm: { seats: 20 } };
        const keys = { maxCount: "workers.maxCount", instanceType: "workers.instanceType" };
        assert.deepEqual(capacityProblems(standing, userGroupCapacity("ec2", standing, ["m6i.xlarge"], 2)!, keys).map((p) => p.propertyPath),
            ["spec.prewarm.seats"]);
        const huge = withServer({ resources: { cpuGuarantee: 8, memoryGuarantee: "8G" } });
        const [tooSmall] = capacityProblems(huge, userGroupCapacity("ec2", huge, ["m6i.xlarge"], 2)!, keys);
        assert.equal(tooSmall.propertyPath, "workers.instanceType");
        assert.match(tooSmall.reason, /a m6i.xlarge node can give students' servers 4.00 CPUs .*too little for one server of 8 CPU/);
    });

    it("counts a GKE pool's maximum once per zone, and names the per-zone count to raise", () => {
        const spec = { ...withServer({}), prewarm: { timeZone: "Etc/UTC", schedule: [{ start: "0 9 * * 1", end: "0 11 * * 1", seats: 100 }] } };
        const capacity = userGroupCapacity("gke", spec, ["e2-standard-8"], 2 * 3)!;
        const [problem] = capacityProblems(spec, capacity, { maxCount: "userNodes.maxCount", instanceType: "userNodes.machineType", zonesPerCount: 3 });
        // 15 seats a node: 100 seats need 7 nodes, 3 per zone over 3 zones.
        assert.match(problem.reason, /100 seats need 7 e2-standard-8 nodes .* allows 6 \(90 seats\)\. Raise userNodes\.maxCount to 3 per zone/);
    });
});
