import { NODE_PURPOSE_LABEL, USER_NODE_TAINT } from "./hub/z2jh";

/*
 * What each kind of node carries on every cloud: z2jh's node-purpose label and user taint, and a
 * GPU label and taint, so that hubs, servers and GPU servers land where they belong.
 */

export type NodeRole = "core" | "user" | "gpu";

/** Label that marks GPU nodes; GPU profiles select it. */
export const GPU_NODE_LABEL = "course-hubs/gpu";
/** Taint of GPU nodes, so that only GPU servers land there. */
export const GPU_NODE_TAINT = { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" } as const;

export interface NodeTaint {
    key: string;
    value: string;
    effect: "NoSchedule";
}

/** Kubernetes labels of a node of this role. */
export function nodeRoleLabels(role: NodeRole): Record<string, string> {
    return role === "core"
        ? { [NODE_PURPOSE_LABEL]: "core" }
        : { [NODE_PURPOSE_LABEL]: "user", ...(role === "gpu" ? { [GPU_NODE_LABEL]: "true" } : {}) };
}

/** Taints of a node of this role: none on core nodes. */
export function nodeRoleTaints(role: NodeRole): NodeTaint[] {
    return role === "core" ? [] : [{ ...USER_NODE_TAINT }, ...(role === "gpu" ? [{ ...GPU_NODE_TAINT }] : [])];
}

/** What z2jh needs to know to put GPU servers on GPU nodes. */
export const GPU_PLATFORM = {
    nodeSelector: { [GPU_NODE_LABEL]: "true" },
    tolerations: [{ ...GPU_NODE_TAINT, operator: "Equal" as const }],
};

/** EKS and GKE spell the taint effect in their own way. */
export function cloudTaintEffect(effect: "NoSchedule"): "NO_SCHEDULE" {
    return effect === "NoSchedule" ? "NO_SCHEDULE" : effect;
}
