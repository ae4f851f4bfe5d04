import * as pulumi from "@pulumi/pulumi";
import { needsSharedVolume } from "../hub/defaults";
import { JupyterHubPlatformArgs } from "../hub/platform";
import { sharedHomesOf } from "../hub/shared-homes";
import { GPU_PLATFORM } from "../node-roles";
import { EksHubArgs } from "./eks-args";

/** Storage classes EksHub creates on its cluster. */
export const EKS_STORAGE_CLASSES = { home: "gp3", shared: "efs", sharedHomes: "gp3-xfs-quota" } as const;

/**
 * What an `EksHub` cluster offers its hubs (published as `EksHub.platform`): gp3 homes (or, for
 * homes on a shared file system, a gp3 volume formatted XFS with project quotas), EFS for a
 * shared folder, labelled node roles, enforced network policy, the proxy on a network load balancer
 * in `loadBalancerSubnetId`, and GPU nodes when asked for. Pure: the validator renders the hub's
 * values with it before anything exists, the component installs the hub with it.
 */
export function eksHubPlatform(
    args: Pick<EksHubArgs, "spec" | "gpuNodes" | "certificateArn">, loadBalancerSubnetId: pulumi.Input<string>, tags: Record<string, string>,
): JupyterHubPlatformArgs {
    return {
        homeStorageClass: EKS_STORAGE_CLASSES.home,
        sharedStorageClass: needsSharedVolume(args.spec) ? EKS_STORAGE_CLASSES.shared : undefined,
        ...(sharedHomesOf(args.spec) ? { sharedHomesStorageClass: EKS_STORAGE_CLASSES.sharedHomes } : {}),
        nodePurposeLabels: true,
        enforcesNetworkPolicy: true,
        proxyService: { annotations: loadBalancerAnnotations(tags, loadBalancerSubnetId, args.certificateArn) },
        gpu: args.gpuNodes ? GPU_PLATFORM : undefined,
    };
}

/**
 * The proxy's Service as an AWS network load balancer, tagged for the course, TLS offloaded if a
 * certificate is given. It is pinned to one public subnet: each zone of an NLB holds a public IPv4
 * address ($3.65 a month), and the hub runs in one zone anyway. Cross-zone balancing stays on so
 * that traffic still reaches the proxy if it moves.
 */
function loadBalancerAnnotations(
    tags: Record<string, string>, subnetId: pulumi.Input<string>, certificateArn: pulumi.Input<string> | undefined,
): Record<string, pulumi.Input<string>> {
    return {
        "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
        "service.beta.kubernetes.io/aws-load-balancer-subnets": subnetId,
        "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
        "service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags": Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(","),
        ...(certificateArn
            ? {
                "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": certificateArn,
                "service.beta.kubernetes.io/aws-load-balancer-ssl-ports": "https",
                "service.beta.kubernetes.io/aws-load-balancer-backend-protocol": "tcp",
            }
            : {}),
    };
}
