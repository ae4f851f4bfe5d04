import { execKubeconfig } from "../kubeconfig";
import { NodeRole, NodeTaint, GPU_NODE_TAINT, nodeRoleLabels, nodeRoleTaints } from "../node-roles";
import { defaultUserNodeType } from "../capacity";
import { GKE_DEFAULTS, GkeHubArgs } from "./gke-args";

/** One node pool as GkeHub will create it. */
export interface NodePoolLayout {
    role: NodeRole;
    machineType: string;
    spot: boolean;
    diskSizeGiB: number;
    /** Fixed size (per zone) of a pool the autoscaler leaves alone, or autoscaling bounds (per zone). */
    size: { fixed: number } | { min: 0; max: number };
    labels: Record<string, string>;
    /** Taints GkeHub sets; GKE adds the GPU taint to GPU pools itself. */
    taints: NodeTaint[];
    accelerator?: { type: string; count: number };
}

/** The node pools for validated arguments: core (fixed), user (from zero), GPU when asked. */
export function nodePoolLayouts(args: Pick<GkeHubArgs, "spec" | "coreNodes" | "userNodes" | "gpuNodes">): NodePoolLayout[] {
    const core = { ...GKE_DEFAULTS.core, ...args.coreNodes };
    const user = { ...GKE_DEFAULTS.user, ...args.userNodes };
    const layouts: NodePoolLayout[] = [
        {
            role: "core",
            machineType: core.machineType,
            spot: false,
            diskSizeGiB: core.diskSizeGiB,
            size: { fixed: core.count },
            labels: nodeRoleLabels("core"),
            taints: nodeRoleTaints("core"),
        },
        {
            role: "user",
            machineType: userMachineType(args),
            spot: user.spot,
            diskSizeGiB: user.diskSizeGiB,
            size: { min: 0, max: user.maxCount },
            labels: nodeRoleLabels("user"),
            taints: nodeRoleTaints("user"),
        },
    ];
    if (args.gpuNodes) {
        const gpu = { ...GKE_DEFAULTS.gpu, ...args.gpuNodes };
        layouts.push({
            role: "gpu",
            machineType: gpu.machineType,
            spot: gpu.spot,
            diskSizeGiB: gpu.diskSizeGiB,
            size: { min: 0, max: gpu.maxCount },
            labels: nodeRoleLabels("gpu"),
            taints: nodeRoleTaints("gpu").filter((t) => t.key !== GPU_NODE_TAINT.key),
            accelerator: { type: gpu.acceleratorType, count: gpu.acceleratorCount },
        });
    }
    return layouts;
}

/** The zones each pool's size counts in: one for a zonal cluster (or a location in doubt), else the node zones. */
export function poolZoneCount(location: unknown): number {
    const nodeZones = (location as { nodeZones?: unknown } | undefined)?.nodeZones;
    return typeof location !== "object" || location === null || "zone" in location ? 1
        : Array.isArray(nodeZones) ? Math.max(1, nodeZones.length) : GKE_DEFAULTS.regionalZoneCount;
}

/** The user pool's machine type: the given one, else the cheapest per seat for the spec's server. */
export function userMachineType(args: Pick<GkeHubArgs, "spec" | "userNodes">): string {
    // Validation refuses a spec whose server no default type holds.
    return args.userNodes?.machineType ?? defaultUserNodeType("gke", args.spec)!;
}

/** What a kubeconfig for a GKE cluster needs. */
export interface GkeClusterAccess {
    clusterName: string;
    /** The control plane's address, without a scheme, as GKE reports it. */
    endpoint: string;
    certificateAuthorityData: string;
}

/** A kubeconfig that asks `gke-gcloud-auth-plugin` for a short-lived token on every use. */
export function gkeExecKubeconfig(access: GkeClusterAccess): string {
    return execKubeconfig({
        clusterName: access.clusterName,
        server: `https://${access.endpoint}`,
        certificateAuthorityData: access.certificateAuthorityData,
        exec: {
            command: "gke-gcloud-auth-plugin",
            installHint: "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin",
            provideClusterInfo: true,
        },
    });
}

/**
 * A service account ID (6-30 characters, lowercase, starting with a letter) made from the hub's
 * physical name and a suffix, deterministically: the same hub always gets the same account.
 */
export function serviceAccountId(hubName: string, suffix: string): string {
    const room = 30 - suffix.length - 1;
    return `${hubName.slice(0, room).replace(/-+$/, "")}-${suffix}`;
}
