import * as pulumi from "@pulumi/pulumi";
import { hasBucketDatasets, needsSharedVolume } from "../hub/defaults";
import { JupyterHubPlatformArgs } from "../hub/platform";
import { sharedHomesOf } from "../hub/shared-homes";
import { GPU_PLATFORM } from "../node-roles";
import { GKE_DEFAULTS, GkeHubArgs } from "./gke-args";

/** Storage classes GkeHub creates on its cluster. */
export const GKE_STORAGE_CLASSES = { home: "balanced", shared: "filestore", sharedHomes: "balanced-xfs-quota" } as const;

/**
 * What a `GkeHub` cluster offers its hubs (published as `GkeHub.platform`): balanced persistent
 * disks for homes (or, for homes on a shared file system, one formatted XFS with project quotas),
 * Filestore (from its smallest share) for a shared folder, Cloud Storage FUSE for bucket datasets, labelled node roles,
 * Dataplane V2's network policy, and a GPU pool when asked for. Pure: the validator renders the
 * hub's values with it before anything exists, the component installs the hub with it.
 *
 * @param ownLoadBalancerIP The address GkeHub reserves for its own hub's load balancer (used only
 * without the `ingress` option, which serves the hub through the shared entry point's address).
 * Given for that hub alone; the platform published for other courses leaves it out, since a
 * second Service asking for the same IP would never get its load balancer.
 */
export function gkeHubPlatform(
    args: Pick<GkeHubArgs, "spec" | "gpuNodes" | "ingress">, ownLoadBalancerIP?: pulumi.Input<string>,
): JupyterHubPlatformArgs {
    return {
        homeStorageClass: GKE_STORAGE_CLASSES.home,
        ...(needsSharedVolume(args.spec) ? { sharedStorageClass: GKE_STORAGE_CLASSES.shared, minimumSharedSize: GKE_DEFAULTS.minimumSharedSize } : {}),
        ...(sharedHomesOf(args.spec) ? { sharedHomesStorageClass: GKE_STORAGE_CLASSES.sharedHomes } : {}),
        // GkeHub turns the Cloud Storage FUSE CSI driver's add-on on for such a spec.
        ...(hasBucketDatasets(args.spec) ? { bucketDriver: "gcsFuse" as const } : {}),
        nodePurposeLabels: true,
        enforcesNetworkPolicy: true,
        gpu: args.gpuNodes ? GPU_PLATFORM : undefined,
        ...(ownLoadBalancerIP !== undefined && args.ingress === undefined ? { proxyService: { loadBalancerIP: ownLoadBalancerIP } } : {}),
    };
}
