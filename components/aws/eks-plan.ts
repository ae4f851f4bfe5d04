import { NodeRole, NodeTaint, nodeRoleLabels, nodeRoleTaints } from "../node-roles";
import { EKS_DEFAULTS, EksHubArgs } from "./eks-args";
import { isArmInstanceType } from "./instance-types";

/*
 * Pure planning for EksHub: which node groups exist with which sizes, labels and taints, the
 * tags the cluster autoscaler reads, and the VPC's address plan. The component only turns these
 * plans into resources.
 */

/** One managed node group as EksHub will create it. */
export interface NodeGroupPlan {
    role: NodeRole;
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

/** The node groups for validated arguments: core always, user always, GPU when asked. */
export function nodeGroupPlans(args: Pick<EksHubArgs, "coreNodes" | "userNodes" | "gpuNodes">): NodeGroupPlan[] {
    const core = { ...EKS_DEFAULTS.core, ...args.coreNodes };
    const user = { ...EKS_DEFAULTS.user, ...args.userNodes };
    const plans: NodeGroupPlan[] = [
        {
            role: "core",
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
        fromZero("user", [...user.instanceTypes], user.spot, user.maxCount, user.diskSizeGiB),
    ];
    if (args.gpuNodes) {
        const gpu = { ...EKS_DEFAULTS.gpu, ...args.gpuNodes };
        plans.push(fromZero("gpu", [...gpu.instanceTypes], gpu.spot, gpu.maxCount, gpu.diskSizeGiB));
    }
    return plans;
}

function fromZero(role: NodeRole, instanceTypes: string[], spot: boolean, maxCount: number, diskSizeGiB: number): NodeGroupPlan {
    return {
        role,
        instanceTypes,
        capacityType: spot ? "SPOT" : "ON_DEMAND",
        amiType: amiType(instanceTypes, role === "gpu"),
        minSize: 0,
        maxSize: maxCount,
        desiredSize: 0,
        diskSizeGiB,
        labels: nodeRoleLabels(role),
        taints: nodeRoleTaints(role),
    };
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
export function autoscalerTags(clusterName: string, plan: NodeGroupPlan): Record<string, string> {
    const template = "k8s.io/cluster-autoscaler/node-template";
    return {
        "k8s.io/cluster-autoscaler/enabled": "true",
        [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
        ...Object.fromEntries(Object.entries(plan.labels).map(([k, v]) => [`${template}/label/${k}`, v])),
        ...Object.fromEntries(plan.taints.map((t) => [`${template}/taint/${t.key}`, `${t.value}:${t.effect}`])),
        ...(plan.role === "gpu" ? { [`${template}/resources/nvidia.com/gpu`]: "1" } : {}),
    };
}

/** Address plan of a new VPC: a public and a private subnet per zone. */
export interface SubnetPlan {
    publicCidrs: string[];
    privateCidrs: string[];
}

/**
 * Splits the VPC into 16 equal blocks: public subnets take the first, private subnets start at
 * the ninth, so adding a zone never moves an existing subnet.
 */
export function subnetPlan(vpcCidr: string, zoneCount: number): SubnetPlan {
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
