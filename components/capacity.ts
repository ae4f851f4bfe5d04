import { DEFAULT_IMAGE, SeatRequest, defaultSeatRequest, needsSharedVolume, profileSizes, seatRequest, serverSidecars, warmSeatRequest } from "./hub/defaults";
import { profileImages, takesTypedImage } from "./hub/profile-menus";
import { HubSpec, ImageSpec } from "./hub/spec";
import { EC2_DEFAULTS } from "./aws/ec2-args";
import { maxPodsOf } from "./aws/instance-types";
import { Architecture, Cloud, MachineType, machineType, machineTypes } from "./machine-types";
import { Problem } from "./validation";

/*
 * How many students' servers ("seats") a user node holds, from first principles: what the node's
 * kubelet (or Docker, on EC2) can hand out once the system's reserve and the pods every node runs
 * are taken, divided by what each server is guaranteed; bounded by the node's pod limit. The plan
 * prints it, the platform components check a lecture's seats against it and choose their default
 * user nodes with it. Every figure below says where it comes from.
 */

/** What a user node can hand to students' servers. */
export interface UserNodeRoom {
    /** Millicores left once the kubelet's reserve and the DaemonSets' requests are taken. */
    cpuMillis: number;
    /** MiB left likewise. */
    memoryMiB: number;
    /** Pods left under the node's limit once the DaemonSets' pods are counted. */
    pods: number;
}

/** Which resource runs out first on a node. */
export type BindingResource = "cpu" | "memory" | "pods";

/** Seats on one node, and what limits them. */
export interface NodeSeats {
    seats: number;
    binding: BindingResource;
}

/** The platforms whose nodes this module models. */
export type NodePlatform = "eks" | "gke" | "ec2";

const MIB_PER_GIB = 1024;

/**
 * The share of its stated memory an EC2 instance's kernel reports (MemTotal, the kubelet's
 * capacity): 2i2c measured 33089273856 bytes on a 32 GiB r7i.xlarge (2i2c-org/infrastructure
 * node-capacity-info.json, commit 9ad7cd0f).
 */
const EC2_REPORTED_MEMORY_SHARE = 33089273856 / (32 * 1024 ** 3);

/** The kubelet's hard eviction threshold, memory.available, on EKS AL2023 and GKE alike. */
const EVICTION_MEMORY_MIB = 100;

/**
 * CPU the kubelet reserves for itself and the runtime, on EKS AL2023 (awslabs/amazon-eks-ami
 * nodeadm/internal/kubelet/config.go, getCPUMillicoresToReserve, v20260724) and GKE alike: 6% of
 * the first core, 1% of the second, 0.5% of the third and fourth, 0.25% of every further core.
 */
export function reservedCpuMillis(vcpus: number): number {
    const tiers: [cores: number, share: number][] = [[1, 0.06], [1, 0.01], [2, 0.005], [Infinity, 0.0025]];
    let left = vcpus;
    let reserved = 0;
    for (const [cores, share] of tiers) {
        const taken = Math.min(left, cores);
        reserved += taken * 1000 * share;
        left -= taken;
    }
    return reserved;
}

/**
 * Memory GKE reserves for the kubelet and system (cloud.google.com/kubernetes-engine/docs/concepts/
 * plan-node-sizes; kubernetes/autoscaler cluster-autoscaler/cloudprovider/gce/reserved.go): 255 MiB
 * below 1 GiB; else 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8, 6% of the next
 * 112 and 2% above 128 GiB.
 */
export function gkeReservedMemoryMiB(memoryGiB: number): number {
    if (memoryGiB < 1) {
        return 255;
    }
    const tiers: [gib: number, share: number][] = [[4, 0.25], [4, 0.2], [8, 0.1], [112, 0.06], [Infinity, 0.02]];
    let left = memoryGiB;
    let reserved = 0;
    for (const [gib, share] of tiers) {
        const taken = Math.min(left, gib);
        reserved += taken * MIB_PER_GIB * share;
        left -= taken;
    }
    return reserved;
}

/** A DaemonSet's pod on every user node, with its requests. */
interface NodeDaemon {
    name: string;
    cpuMillis: number;
    memoryMiB: number;
}

/**
 * The pods every EKS user node runs, with their requests: aws-node (the VPC CNI and its network
 * policy agent, 25m each: amazon-vpc-cni-k8s config/master/aws-k8s-cni.yaml v1.23.0), kube-proxy
 * (100m: the EKS add-on), ebs-csi-node (30m, 104 MiB: aws-ebs-csi-driver chart 2.64.0), efs-csi-node
 * with shared storage (no requests: aws-efs-csi-driver chart 4.4.1), and z2jh's continuous image
 * puller (no requests, but a pod).
 */
function eksDaemons(sharedStorage: boolean): NodeDaemon[] {
    return [
        { name: "aws-node", cpuMillis: 50, memoryMiB: 0 },
        { name: "kube-proxy", cpuMillis: 100, memoryMiB: 0 },
        { name: "ebs-csi-node", cpuMillis: 30, memoryMiB: 104 },
        ...(sharedStorage ? [{ name: "efs-csi-node", cpuMillis: 0, memoryMiB: 0 }] : []),
        { name: "continuous-image-puller", cpuMillis: 0, memoryMiB: 0 },
    ];
}

/**
 * The pods every GKE Standard user node runs with Dataplane V2 and Workload Identity. GKE documents
 * no requests of its own DaemonSets; these are measured on GKE nodes: fluentbit-gke 105m and 230
 * MiB, gke-metadata-server 100m and 100 MiB, ip-masq-agent 10m and 16 MiB (cryptnono/cryptnono#34),
 * netd and pdcsi-node together at most 33m and 210 MiB (2i2c-org/infrastructure's measured
 * DaemonSet requests); anetd, which replaces kube-proxy, is counted at kube-proxy's 100m. Then
 * filestore-node with shared storage, and z2jh's continuous image puller (no requests).
 */
function gkeDaemons(sharedStorage: boolean): NodeDaemon[] {
    return [
        { name: "fluentbit-gke", cpuMillis: 105, memoryMiB: 230 },
        { name: "gke-metadata-server", cpuMillis: 100, memoryMiB: 100 },
        { name: "ip-masq-agent", cpuMillis: 10, memoryMiB: 16 },
        // Measured together: split evenly here.
        { name: "netd", cpuMillis: 16.5, memoryMiB: 105 },
        { name: "pdcsi-node", cpuMillis: 16.5, memoryMiB: 105 },
        { name: "anetd", cpuMillis: 100, memoryMiB: 0 },
        ...(sharedStorage ? [{ name: "filestore-node", cpuMillis: 0, memoryMiB: 0 }] : []),
        { name: "continuous-image-puller", cpuMillis: 0, memoryMiB: 0 },
    ];
}

/**
 * What a user node of `type` can hand to students' servers on a platform.
 * - EKS (AL2023, nodeadm): the memory the kernel reports, less kube-reserved (11 MiB per pod of
 *   the type's ENI pod limit, not the 110 the managed node group sets, + 255 MiB) and the
 *   eviction threshold; pods up to 110 (250 above 30 vCPUs) with prefix delegation.
 * - GKE: the documented reserve and eviction threshold; 110 pods.
 * - EC2 (Docker Swarm workers, which place a server by its CPU and memory reservations): every
 *   CPU, the reported memory less what the system and Docker keep.
 */
export function userNodeRoom(platform: NodePlatform, type: MachineType, sharedStorage: boolean): UserNodeRoom {
    if (platform === "ec2") {
        return {
            cpuMillis: type.vcpus * 1000,
            memoryMiB: (type.memoryGiB * EC2_REPORTED_MEMORY_SHARE - EC2_DEFAULTS.reservedGiB.worker) * MIB_PER_GIB,
            pods: Infinity,
        };
    }
    const daemons = platform === "eks" ? eksDaemons(sharedStorage) : gkeDaemons(sharedStorage);
    const daemonCpu = daemons.reduce((sum, d) => sum + d.cpuMillis, 0);
    const daemonMemory = daemons.reduce((sum, d) => sum + d.memoryMiB, 0);
    const cpuMillis = type.vcpus * 1000 - reservedCpuMillis(type.vcpus) - daemonCpu;
    if (platform === "eks") {
        const eniMaxPods = maxPodsOf(type.name, false) ?? 110;
        const capacity = type.memoryGiB * MIB_PER_GIB * EC2_REPORTED_MEMORY_SHARE;
        return {
            cpuMillis,
            memoryMiB: capacity - (11 * eniMaxPods + 255) - EVICTION_MEMORY_MIB - daemonMemory,
            pods: (type.vcpus > 30 ? 250 : 110) - daemons.length,
        };
    }
    return {
        cpuMillis,
        memoryMiB: type.memoryGiB * MIB_PER_GIB - gkeReservedMemoryMiB(type.memoryGiB) - EVICTION_MEMORY_MIB - daemonMemory,
        pods: 110 - daemons.length,
    };
}

// What a server and a ready seat ask of a node is decided with the spec's defaults, where the chart's
// values size the placeholders from it too; capacity's readers find it here as well.
export type { SeatRequest };
export { defaultSeatRequest, seatRequest, warmSeatRequest };

/** How many servers asking `request` fit in `room`, and which resource runs out first. */
export function seatsIn(room: UserNodeRoom, request: SeatRequest): NodeSeats {
    const byResource: [BindingResource, number][] = [
        ["cpu", request.cpuMillis > 0 ? Math.floor(room.cpuMillis / request.cpuMillis) : Infinity],
        ["memory", request.memoryMiB > 0 ? Math.floor(room.memoryMiB / request.memoryMiB) : Infinity],
        ["pods", room.pods],
    ];
    const [binding, seats] = byResource.reduce((least, entry) => (entry[1] < least[1] ? entry : least));
    return { seats: Math.max(0, seats), binding };
}

/** A user node type, what it holds of a request, and what a seat on it costs. */
export interface UserNodeOffer {
    type: MachineType;
    seats: NodeSeats;
    /** The node's hourly price over its seats: what a seat costs an hour with every seat taken. */
    usdPerSeatHour: number;
}

/** The cloud whose machines a platform runs. */
export function cloudOf(platform: NodePlatform): Cloud {
    return platform === "gke" ? "gcp" : "aws";
}

/**
 * How big a user node a platform chooses by default: up to 8 vCPUs (a 2xlarge), or bigger when it
 * holds at most 16 servers (for guarantees of 2 CPUs and more, where a small node's own reserve
 * would idle much of it), so that the first student of a quiet evening does not start a node for 30.
 */
export const DEFAULT_USER_NODE_SIZE = { vcpus: 8, seats: 16 } as const;

/**
 * The machine types of the platform's cloud that can hold at least one server of `request`, with
 * prices, cheapest seat first: students' servers run on neither burstable nor GPU types.
 */
export function userNodeOffers(
    platform: NodePlatform, request: SeatRequest,
    options: { sharedStorage: boolean; architectures: readonly Architecture[]; size?: { vcpus: number; seats: number } },
): UserNodeOffer[] {
    const size = options.size;
    return machineTypes(cloudOf(platform))
        .filter((type) => type.usdPerHour !== undefined && !type.burstable && !type.gpus && options.architectures.includes(type.arch))
        .map((type) => {
            const seats = seatsIn(userNodeRoom(platform, type, options.sharedStorage), request);
            return { type, seats, usdPerSeatHour: type.usdPerHour! / seats.seats };
        })
        .filter((offer) => offer.seats.seats > 0 && (!size || offer.type.vcpus <= size.vcpus || offer.seats.seats <= size.seats))
        .sort((a, b) => a.usdPerSeatHour - b.usdPerSeatHour || a.type.vcpus - b.type.vcpus);
}

/**
 * Jupyter Docker Stacks (quay.io/jupyter) publish every image for amd64 and arm64 but their CUDA
 * variants (tags starting `cuda`); any other image is taken to be amd64 only, as nothing offline
 * can read a registry's manifest.
 */
export function imageRunsOnArm64(image: ImageSpec): boolean {
    return image.name.startsWith("quay.io/jupyter/") && !image.tag.startsWith("cuda");
}

/**
 * The architectures a spec's user nodes may have: arm64 too on AWS (Graviton) when every image a
 * user node runs does (the server's, each CPU profile's, each sidecar's); x86 only on GKE, whose
 * Arm nodes carry a `kubernetes.io/arch=arm64:NoSchedule` taint that z2jh's pods do not tolerate.
 */
export function userNodeArchitectures(platform: NodePlatform, spec: HubSpec): Architecture[] {
    const server = spec.server ?? {};
    const cpuProfiles = (server.profiles ?? []).filter((p) => (p.gpus ?? 0) === 0);
    const images: ImageSpec[] = [
        server.image ?? DEFAULT_IMAGE,
        ...cpuProfiles.flatMap(profileImages),
        ...(server.sidecars ?? []).map((s) => s.image),
    ];
    // Nothing tells what a student will type, so a typed image keeps the nodes x86.
    const armSafe = images.every(imageRunsOnArm64) && !cpuProfiles.some(takesTypedImage);
    return platform !== "gke" && armSafe ? ["arm64", "x86_64"] : ["x86_64"];
}

/**
 * The user node type a platform uses when the course names none: of the types that fit the
 * spec's default server, of {@link DEFAULT_USER_NODE_SIZE}, the one whose seat costs least. The
 * family follows the guarantees' CPU:memory ratio this way: compute-optimized, general-purpose or
 * memory-optimized, whichever leaves the least idle once the node's own reserve is taken; Graviton
 * where every image runs on arm64.
 */
export function defaultUserNodeType(platform: NodePlatform, spec: HubSpec): string | undefined {
    const offers = userNodeOffers(platform, defaultSeatRequest(spec), {
        sharedStorage: needsSharedVolume(spec),
        architectures: userNodeArchitectures(platform, spec),
        size: DEFAULT_USER_NODE_SIZE,
    });
    return offers[0]?.type.name;
}

/** The seats of a user group: on one node, and on all of them at the group's maximum. */
export interface UserGroupCapacity {
    /** `server` (the default server), or `profile <slug>`. */
    group: string;
    instanceType: string;
    seatsPerNode: number;
    binding: BindingResource;
    maxNodes: number;
    seatsAtMaximum: number;
    /** What one server asks of its node. */
    request: SeatRequest;
    /** What one node can give students' servers. */
    room: UserNodeRoom;
    /** What a seat costs an hour, every seat taken; undefined for a type the machine table lacks. */
    usdPerSeatHour?: number;
    /** The cheapest type of the region that holds the same server, for comparison. */
    cheapest?: { instanceType: string; usdPerSeatHour: number };
}

/**
 * The capacity of a platform's user nodes for a spec's default server (or `request`): seats per
 * node (the smallest over `instanceTypes`, of which the autoscaler may start any), seats at
 * `maxNodes`, what binds, what a seat costs and the cheapest type that holds the server.
 * Undefined when the table knows none of the types.
 */
export function userGroupCapacity(
    platform: NodePlatform, spec: HubSpec, instanceTypes: readonly string[], maxNodes: number, request = defaultSeatRequest(spec), group = "server",
): UserGroupCapacity | undefined {
    const sharedStorage = needsSharedVolume(spec);
    const known = instanceTypes.map((name) => machineType(cloudOf(platform), name)).filter((t): t is MachineType => t !== undefined);
    if (known.length === 0) {
        return undefined;
    }
    const [type, room, seats] = known.map((t) => {
        const nodeRoom = userNodeRoom(platform, t, sharedStorage);
        return [t, nodeRoom, seatsIn(nodeRoom, request)] as const;
    }).reduce((least, entry) => (entry[2].seats < least[2].seats ? entry : least));
    const cheapest = userNodeOffers(platform, request, { sharedStorage, architectures: userNodeArchitectures(platform, spec) })[0];
    return {
        group,
        instanceType: type.name,
        seatsPerNode: seats.seats,
        binding: seats.binding,
        maxNodes,
        seatsAtMaximum: seats.seats * maxNodes,
        request,
        room,
        usdPerSeatHour: type.usdPerHour !== undefined && seats.seats > 0 ? type.usdPerHour / seats.seats : undefined,
        cheapest: cheapest && { instanceType: cheapest.type.name, usdPerSeatHour: cheapest.usdPerSeatHour },
    };
}

/** The group of {@link userCapacity} that counts ready seats of `prewarm.seatSize` when they are not the server's size. */
export const READY_SEAT_GROUP = "ready seat";

/**
 * The capacity of a platform's user nodes for each kind of server a spec starts on them: the
 * default server first, then each CPU profile whose resources differ from it (`profile <slug>`),
 * then the ready seats ({@link READY_SEAT_GROUP}) when `prewarm.seatSize` makes them bigger than a server.
 */
export function userCapacity(platform: NodePlatform, spec: HubSpec, instanceTypes: readonly string[], maxNodes: number): UserGroupCapacity[] {
    const server = defaultSeatRequest(spec);
    const differs = (request: SeatRequest) => request.cpuMillis !== server.cpuMillis || request.memoryMiB !== server.memoryMiB;
    const profiles = cpuProfileSizes(spec).filter((size) => differs(size.request)).map((size) => [size.group, size.request] as const);
    const readySeat = warmSeatRequest(spec);
    return [["server", server] as const, ...profiles, ...(differs(readySeat) ? [[READY_SEAT_GROUP, readySeat] as const] : [])]
        .map(([group, request]) => userGroupCapacity(platform, spec, instanceTypes, maxNodes, request, group))
        .filter((capacity): capacity is UserGroupCapacity => capacity !== undefined);
}

/** A size a student can start on the CPU user nodes, with a size of its own: its capacity group, where it is given, and its request. */
interface ProfileSeat {
    /** `profile <slug>`, with the choices that make the size: `profile python (size: large)`. */
    group: string;
    /** The spec path of the resources that make it. */
    path: string;
    request: SeatRequest;
}

/**
 * Every size of the CPU profiles that set resources, themselves or in their menus' choices (each
 * combination of choices a size of its own), as a student can start it.
 */
function cpuProfileSizes(spec: HubSpec, specPath = "spec"): ProfileSeat[] {
    return (spec.server?.profiles ?? []).flatMap((profile, i) => {
        const at = `${specPath}.server.profiles[${i}]`;
        return (profile.gpus ?? 0) > 0 ? [] : profileSizes(spec.server, profile, at)
            .filter((size) => profile.resources || size.choices.length > 0)
            .map((size) => ({
                group: `profile ${profile.slug}${size.choices.length > 0 ? ` (${size.choices.join(", ")})` : ""}`,
                path: size.sources[0]?.path ?? `${at}.resources`,
                request: seatRequest(size.resources, serverSidecars(spec)),
            }));
    });
}

/**
 * Each size of a CPU profile (its own, or one its menus offer) that a node of `types` (the
 * smallest, which the autoscaler may start) cannot hold once: a student choosing it would wait
 * for a node that never comes.
 */
function profileSizeProblems(platform: NodePlatform, spec: HubSpec, types: readonly string[], keys: CapacityKeys): Problem[] {
    const known = types.map((name) => machineType(cloudOf(platform), name)).filter((t): t is MachineType => t !== undefined);
    const sharedStorage = needsSharedVolume(spec);
    return cpuProfileSizes(spec).flatMap((size) => {
        const tooSmall = known.find((type) => seatsIn(userNodeRoom(platform, type, sharedStorage), size.request).seats === 0);
        return tooSmall === undefined ? [] : [{
            propertyPath: size.path,
            reason: `a ${tooSmall.name} node can give students' servers ${describeRoom(userNodeRoom(platform, tooSmall, sharedStorage))}, too little `
                + `for one server of ${size.group} (${describeRequest(size.request)}): lower its guarantees, or choose a bigger type (${keys.instanceType})`,
        }];
    });
}

/** The argument paths a capacity problem names for its fixes, as the platform spells them. */
export interface CapacityKeys {
    /** The most user nodes (`userNodes.maxCount`, `workers.maxCount`). */
    maxCount: string;
    /** The user node type (`userNodes.instanceTypes`, `userNodes.machineType`, `workers.instanceType`). */
    instanceType: string;
    /** Zones the maximum counts once per zone in (GKE's pools), so that the fix names a per-zone count. @default 1 */
    zonesPerCount?: number;
}

const describeRequest = (request: SeatRequest) => `${request.cpuMillis / 1000} CPU and ${formatGiB(request.memoryMiB)} guaranteed`;
const describeRoom = (room: UserNodeRoom) => `${(room.cpuMillis / 1000).toFixed(2)} CPUs and ${formatGiB(room.memoryMiB)}`;

function formatGiB(mib: number): string {
    return `${Number((mib / MIB_PER_GIB).toFixed(2))} GiB`;
}

/**
 * What the user nodes cannot hold of a spec's ready seats: a node that cannot hold one server, and
 * standing seats (`prewarm.seats`) or a lecture window (`prewarm.schedule[i].seats`) beyond the
 * seats at the group's maximum, each at its spec path with the numbers and the fixes. The ready
 * seats are counted at `readySeats`, the capacity for their size (`prewarm.seatSize`) when it is
 * not the server's; seats that would fit at the server's size are refused at `prewarm.seatSize`.
 */
export function capacityProblems(
    spec: HubSpec, capacity: UserGroupCapacity, keys: CapacityKeys, specPath = "spec", readySeats: UserGroupCapacity = capacity,
): Problem[] {
    const { instanceType, seatsPerNode, request, room } = capacity;
    if (seatsPerNode === 0) {
        return [{
            propertyPath: keys.instanceType,
            reason: `a ${instanceType} node can give students' servers ${describeRoom(room)}, too little for one server of ${describeRequest(request)}: `
                + `choose a bigger type, or lower ${specPath}.server.resources`,
        }];
    }
    const bySeatSize = readySeats !== capacity;
    const seatSizeFix = bySeatSize ? `, or set ${specPath}.prewarm.seatSize to "server"` : "";
    const zones = keys.zonesPerCount ?? 1;
    const shortfall = (seats: number, at: string): Problem[] => {
        // A ready seat no node holds is the size of a profile no node holds, which is refused as such.
        if (seats <= readySeats.seatsAtMaximum || readySeats.seatsPerNode === 0) {
            return [];
        }
        const perNode = readySeats.seatsPerNode;
        const nodes = Math.ceil(seats / perNode);
        const count = Math.ceil(nodes / zones);
        const binding = readySeats.binding;
        const binds = binding === "pods" ? "the node's pod limit binds" : `${binding === "cpu" ? "CPU" : "memory"} binds`;
        // Seats that servers' size would fit are too many because of their size: the seat size is what to change.
        const becauseOfSize = bySeatSize && seats <= capacity.seatsAtMaximum;
        return [{
            propertyPath: becauseOfSize ? `${specPath}.prewarm.seatSize` : at,
            reason: `${becauseOfSize ? `"largestProfile" makes ${at.slice(specPath.length + 1)} too many: ` : ""}`
                + `${seats} seats need ${nodes} ${instanceType} nodes (${perNode} seats each: ${binds}, a node giving ${describeRoom(room)} `
                + `to ${bySeatSize ? "ready seats of the largest profile" : "servers"} of ${describeRequest(readySeats.request)}), `
                + `but ${keys.maxCount} allows ${capacity.maxNodes} (${readySeats.seatsAtMaximum} seats). `
                + `Raise ${keys.maxCount} to ${count}${zones > 1 ? " per zone" : ""}, lower ${specPath}.server.resources`
                + `${binding === "memory" ? ".memoryGuarantee" : ".cpuGuarantee"}, or choose a bigger type (${keys.instanceType})${seatSizeFix}`,
        }];
    };
    return [
        ...shortfall(spec.prewarm?.seats ?? 0, `${specPath}.prewarm.seats`),
        ...(spec.prewarm?.schedule ?? []).flatMap((window, i) => shortfall(window.seats, `${specPath}.prewarm.schedule[${i}].seats`)),
    ];
}

/**
 * What a platform's user nodes cannot hold of a spec: its types are `given`, else the default for
 * the spec's server (a server no default type holds is a problem at `keys.instanceType`); then
 * {@link capacityProblems} at `maxNodes` nodes. `seatsPerNode`, when the course states it
 * (EC2's `workers.serversPerWorker`), stands for what the table would say.
 */
export function userCapacityProblems(
    platform: NodePlatform, spec: HubSpec, given: readonly string[] | undefined, maxNodes: number, keys: CapacityKeys, seatsPerNode?: number,
): Problem[] {
    const types = given ?? [defaultUserNodeType(platform, spec)].filter((t): t is string => t !== undefined);
    if (types.length === 0) {
        return [{
            propertyPath: keys.instanceType,
            reason: `no machine type in the table holds one server of ${describeRequest(defaultSeatRequest(spec))}: `
                + "name a bigger type here, or lower spec.server.resources",
        }];
    }
    const capacity = userGroupCapacity(platform, spec, types, maxNodes);
    if (capacity === undefined) {
        return [];
    }
    const stated = withStatedSeats(capacity, seatsPerNode);
    const warm = warmSeatRequest(spec);
    const serverSized = warm.cpuMillis === capacity.request.cpuMillis && warm.memoryMiB === capacity.request.memoryMiB;
    const readySeats = serverSized ? stated : userGroupCapacity(platform, spec, types, maxNodes, warm, READY_SEAT_GROUP) ?? stated;
    return [...capacityProblems(spec, stated, keys, "spec", readySeats), ...profileSizeProblems(platform, spec, types, keys)];
}

/**
 * The capacity with the seats a node holds as the course states them (EC2's
 * `workers.serversPerWorker`), when it does, in place of what the table says.
 */
export function withStatedSeats(capacity: UserGroupCapacity, seatsPerNode: number | undefined): UserGroupCapacity {
    return seatsPerNode === undefined ? capacity : { ...capacity, seatsPerNode, seatsAtMaximum: seatsPerNode * capacity.maxNodes };
}
