import { GPU_NODE_LABEL, NodeRole, NodeTaint, nodeRoleLabels, nodeRoleTaints } from "../node-roles";
import { defaultUserNodeType } from "../capacity";
import { needsSharedVolume } from "../hub/defaults";
import { sharedHomesOf } from "../hub/shared-homes";
import { EKS_DEFAULTS, EksHubArgs, ExistingVpcNetwork, NewVpcNetwork } from "./eks-args";
import { isArmInstanceType } from "./instance-types";

/*
 * The layout of an EksHub, as pure functions: which node groups exist with which sizes, labels
 * and taints, the tags the cluster autoscaler reads, and the VPC's addresses. The component only
 * turns these layouts into resources.
 */

/** One managed node group as EksHub will create it. */
export interface NodeGroupLayout {
    role: NodeRole;
    /** Index of the zone (in `nodeZones` order) the group's subnets are in; the core group's is 0. */
    zone: number;
    /**
     * Added to the role in resource names: "" for the first zone (names of single-zone releases
     * stay), `-2`, `-3`... for the others: `${name}-user-nodes`, `${name}-user-nodes-2`.
     */
    suffix: string;
    instanceTypes: string[];
    capacityType: "ON_DEMAND" | "SPOT";
    amiType: string;
    minSize: number;
    maxSize: number;
    desiredSize: number;
    diskSizeGiB: number;
    labels: Record<string, string>;
    taints: NodeTaint[];
}

/**
 * The node groups for validated arguments: core always (in the first zone), user groups always and
 * GPU groups when asked, one per zone. Home volumes are zonal EBS: a group spanning zones lets the
 * autoscaler add a node in a zone where a returning student's volume cannot attach (its node
 * template carries one zone only). One group per zone, balanced by the autoscaler's
 * `balance-similar-node-groups`, puts each server's node in its volume's zone.
 */
export function nodeGroupLayouts(args: Pick<EksHubArgs, "spec" | "coreNodes" | "userNodes" | "gpuNodes">, zoneCount: number): NodeGroupLayout[] {
    const core = { ...EKS_DEFAULTS.core, ...args.coreNodes };
    const user = { ...EKS_DEFAULTS.user, ...args.userNodes };
    const layouts: NodeGroupLayout[] = [
        {
            role: "core",
            zone: 0,
            suffix: "",
            instanceTypes: [core.instanceType],
            capacityType: "ON_DEMAND",
            amiType: amiType([core.instanceType], false),
            // min = max: the autoscaler can neither remove the hub's node nor add to it.
            minSize: core.count,
            maxSize: core.count,
            desiredSize: core.count,
            diskSizeGiB: core.diskSizeGiB,
            labels: nodeRoleLabels("core"),
            taints: nodeRoleTaints("core"),
        },
        ...fromZero("user", userInstanceTypes(args), user.spot, user.maxCount, user.diskSizeGiB, zoneCount),
    ];
    if (args.gpuNodes) {
        const gpu = { ...EKS_DEFAULTS.gpu, ...args.gpuNodes };
        layouts.push(...fromZero("gpu", [...gpu.instanceTypes], gpu.spot, gpu.maxCount, gpu.diskSizeGiB, zoneCount));
    }
    return layouts;
}

/** The user groups' instance types: the given ones, else the cheapest per seat for the spec's server. */
export function userInstanceTypes(args: Pick<EksHubArgs, "spec" | "userNodes">): string[] {
    // Validation refuses a spec whose server no default type holds.
    return [...args.userNodes?.instanceTypes ?? [defaultUserNodeType("eks", args.spec)!]];
}

/**
 * Splits a maximum over the zones so that the groups together reach exactly `maxCount` (the
 * bill's ceiling): evenly, the first zones taking the remainder. 10 over 2 zones is [5, 5], 5 over
 * 3 is [2, 2, 1]. Each zone needs at least one (a managed node group's maxSize is at least 1).
 */
export function splitAcrossZones(maxCount: number, zoneCount: number): number[] {
    if (maxCount < zoneCount) {
        throw new Error(`${maxCount} nodes cannot be split over ${zoneCount} zones (at least one each)`);
    }
    const base = Math.floor(maxCount / zoneCount);
    return Array.from({ length: zoneCount }, (_, zone) => base + (zone < maxCount % zoneCount ? 1 : 0));
}

function fromZero(role: NodeRole, instanceTypes: string[], spot: boolean, maxCount: number, diskSizeGiB: number, zoneCount: number): NodeGroupLayout[] {
    return splitAcrossZones(maxCount, zoneCount).map((maxSize, zone) => ({
        role,
        zone,
        suffix: zone === 0 ? "" : `-${zone + 1}`,
        instanceTypes,
        capacityType: spot ? "SPOT" : "ON_DEMAND",
        amiType: amiType(instanceTypes, role === "gpu"),
        minSize: 0,
        maxSize,
        desiredSize: 0,
        diskSizeGiB,
        labels: nodeRoleLabels(role),
        taints: nodeRoleTaints(role),
    }));
}

/**
 * The zones nodes run in, in order, each with the indexes of its node subnets: a new VPC has one
 * subnet per zone; subnets of an existing VPC are grouped by their zone, in the order given.
 */
export function nodeZones(network: NewVpcNetwork | ExistingVpcNetwork | undefined, privateNodes: boolean): { zone: string; subnetIndexes: number[] }[] {
    if (network && "vpcId" in network) {
        const subnets = (privateNodes ? network.privateSubnets : network.publicSubnets) ?? [];
        const zones = new Map<string, number[]>();
        subnets.forEach((subnet, i) => zones.set(subnet.availabilityZone, [...(zones.get(subnet.availabilityZone) ?? []), i]));
        return [...zones].map(([zone, subnetIndexes]) => ({ zone, subnetIndexes }));
    }
    const zoneCount = network?.zoneCount ?? EKS_DEFAULTS.zoneCount;
    return Array.from({ length: zoneCount }, (_, i) => ({ zone: `zone ${i + 1}`, subnetIndexes: [i] }));
}

/** One kind of pod on the core group, and how many of it. */
export interface CorePod {
    name: string;
    pods: number;
    /** A DaemonSet: `pods` on every core node. Otherwise `pods` in all, spread over the core nodes. */
    perNode: boolean;
}

/**
 * The pods the core group runs, from what EksHub installs: kube-system DaemonSets on every core
 * node (VPC CNI aws-node, kube-proxy, EBS CSI node, and EFS CSI node with shared storage; the
 * NVIDIA device plugin runs on GPU nodes only), EKS add-on controllers (CoreDNS x2, EBS CSI x2,
 * EFS CSI x2 with shared storage), the cluster autoscaler, z2jh 4.4.0's core pods (hub, proxy,
 * user-scheduler x2, autohttps with Let's Encrypt, the hook-image-awaiter Job of each upgrade),
 * a pre-warm CronJob's pod while it runs, the NFS server of homes on a shared file system, and the ingress (controller, cert-manager's controller,
 * webhook and cainjector). z2jh's image pullers and placeholders sit on user nodes.
 */
export function corePods(args: Pick<EksHubArgs, "spec" | "ingress">): CorePod[] {
    const shared = needsSharedVolume(args.spec);
    const pods: CorePod[] = [
        { name: "aws-node (VPC CNI)", pods: 1, perNode: true },
        { name: "kube-proxy", pods: 1, perNode: true },
        { name: "ebs-csi-node", pods: 1, perNode: true },
        ...(shared ? [{ name: "efs-csi-node", pods: 1, perNode: true }] : []),
        { name: "coredns", pods: 2, perNode: false },
        { name: "ebs-csi-controller", pods: 2, perNode: false },
        ...(shared ? [{ name: "efs-csi-controller", pods: 2, perNode: false }] : []),
        { name: "cluster-autoscaler", pods: 1, perNode: false },
        { name: "hub", pods: 1, perNode: false },
        { name: "proxy", pods: 1, perNode: false },
        { name: "user-scheduler", pods: 2, perNode: false },
        ...(args.spec.https?.mode === "letsencrypt" ? [{ name: "autohttps", pods: 1, perNode: false }] : []),
        { name: "hook-image-awaiter (during pulumi up)", pods: 1, perNode: false },
        ...((args.spec.prewarm?.schedule ?? []).length > 0 ? [{ name: "pre-warm CronJob", pods: 1, perNode: false }] : []),
        ...(sharedHomesOf(args.spec) ? [{ name: "homes NFS server", pods: 1, perNode: false }] : []),
        ...(args.ingress ? [{ name: "ingress controller", pods: 1, perNode: false }, { name: "cert-manager", pods: 3, perNode: false }] : []),
    ];
    return pods;
}

/**
 * Whether the core pods fit the core group: each node runs every DaemonSet pod plus its share of
 * the rest (spread evenly, rounded up), within the node's maxPods.
 */
export function corePodFit(pods: CorePod[], count: number, maxPods: number): { perNode: number; needed: number; fits: boolean } {
    const daemons = pods.filter((p) => p.perNode).reduce((n, p) => n + p.pods, 0);
    const others = pods.filter((p) => !p.perNode).reduce((n, p) => n + p.pods, 0);
    const needed = daemons + Math.ceil(others / count);
    return { perNode: maxPods, needed, fits: needed <= maxPods };
}

function amiType(instanceTypes: string[], gpu: boolean): string {
    if (gpu) {
        return "AL2023_x86_64_NVIDIA";
    }
    return instanceTypes.every(isArmInstanceType) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

/**
 * Auto Scaling group tags the cluster autoscaler reads: discovery, and the node template (labels,
 * taints, GPUs) it needs to scale a group up from zero nodes, when it has no node to look at.
 */
export function autoscalerTags(clusterName: string, layout: NodeGroupLayout): Record<string, string> {
    const template = "k8s.io/cluster-autoscaler/node-template";
    return {
        "k8s.io/cluster-autoscaler/enabled": "true",
        [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
        ...Object.fromEntries(Object.entries(layout.labels).map(([k, v]) => [`${template}/label/${k}`, v])),
        ...Object.fromEntries(layout.taints.map((t) => [`${template}/taint/${t.key}`, `${t.value}:${t.effect}`])),
        ...(layout.role === "gpu" ? { [`${template}/resources/nvidia.com/gpu`]: "1" } : {}),
    };
}

/** Address layout of a new VPC: a public and a private subnet per zone. */
export interface SubnetLayout {
    publicCidrs: string[];
    privateCidrs: string[];
}

/**
 * Splits the VPC into 16 equal blocks: public subnets take the first, private subnets start at
 * the ninth, so adding a zone never moves an existing subnet.
 */
export function subnetLayout(vpcCidr: string, zoneCount: number): SubnetLayout {
    const zones = Array.from({ length: zoneCount }, (_, i) => i);
    return {
        publicCidrs: zones.map((i) => cidrSubnet(vpcCidr, 4, i)),
        privateCidrs: zones.map((i) => cidrSubnet(vpcCidr, 4, 8 + i)),
    };
}

/** Terraform's cidrsubnet: block number `index` of `newBits` more prefix bits inside `cidr`. */
export function cidrSubnet(cidr: string, newBits: number, index: number): string {
    const [address, prefixText] = cidr.split("/");
    const prefix = Number(prefixText) + newBits;
    if (prefix > 32 || index >= 2 ** newBits) {
        throw new Error(`${cidr} has no block ${index} of /${prefix}`);
    }
    const base = address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
    const start = (base + index * 2 ** (32 - prefix)) >>> 0;
    return `${[24, 16, 8, 0].map((shift) => (start >>> shift) & 255).join(".")}/${prefix}`;
}

/**
 * EksHub turns on the VPC CNI's prefix delegation (ENABLE_PREFIX_DELEGATION, set on the add-on
 * before any node group exists): managed node groups without a custom AMI then give Nitro nodes
 * maxPods 110 (t4g.medium: 17 without it), so a small core node holds every core pod.
 */
export const EKS_PREFIX_DELEGATION = true;

/**
 * Configuration values of EksHub's vpc-cni add-on (keys of the add-on's configuration schema, values
 * as strings): NetworkPolicy enforced by the CNI's network policy agent, and prefix delegation.
 */
export function vpcCniConfiguration(): { enableNetworkPolicy: string; env: Record<string, string> } {
    return { enableNetworkPolicy: "true", env: { ENABLE_PREFIX_DELEGATION: String(EKS_PREFIX_DELEGATION) } };
}

/**
 * Values of the NVIDIA device plugin chart (versions.ts `CHARTS.nvidiaDevicePlugin`). Helm replaces
 * lists: these are the chart's whole tolerations and node-selector terms.
 * - Tolerations: GPU nodes carry both the user taint and the GPU taint (node-roles.ts); the
 *   chart's defaults (CriticalAddonsOnly, nvidia.com/gpu) would leave the user taint untolerated.
 * - Affinity: the chart requires one of NFD's PCI / CPU-vendor labels or nvidia.com/gpu.present
 *   (which nodeadm sets on 1.35 NVIDIA AMIs); we run no NFD, and add our own GPU label as another
 *   (ORed) term so the plugin lands on our GPU nodes whatever the AMI labels. A nodeSelector would
 *   instead be ANDed with the chart's affinity (the template renders both).
 */
export function nvidiaDevicePluginValues(): Record<string, unknown> {
    return {
        tolerations: [
            { key: "CriticalAddonsOnly", operator: "Exists" },
            ...nodeRoleTaints("gpu").map((t) => ({ key: t.key, operator: "Equal", value: t.value, effect: t.effect })),
        ],
        affinity: {
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [
                        { matchExpressions: [{ key: GPU_NODE_LABEL, operator: "In", values: ["true"] }] },
                        { matchExpressions: [{ key: "nvidia.com/gpu.present", operator: "In", values: ["true"] }] },
                    ],
                },
            },
        },
    };
}
