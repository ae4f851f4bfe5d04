import * as pulumi from "@pulumi/pulumi";
import { KubernetesName } from "../shapes";
import { NotebookIdentitySpec, StorageSize } from "./spec";

/** A Kubernetes toleration, as pod specs take it. */
export interface Toleration {
    key: string;
    operator?: "Equal" | "Exists";
    value?: string;
    effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/**
 * What a cluster offers a hub: the parts of the chart's values and of the hub's own objects that
 * depend on where it runs. `EksHub` and `GkeHub` fill it in (and publish theirs as `platform`, for
 * more courses on their cluster); for a cluster of your own, describe it. What a spec may ask of
 * the cluster follows from it (`clusterCapabilities` in platforms.ts). Parts that other resources
 * produce (addresses, ingress classes, identities) are `pulumi.Input`s.
 */
export interface JupyterHubPlatformArgs {
    /**
     * Storage class of per-user home volumes (ReadWriteOnce) and of the hub's database.
     * @default the cluster's default storage class
     */
    homeStorageClass?: KubernetesName;
    /**
     * A ReadWriteMany storage class (EFS, Filestore, NFS) for the shared course folder. Without it
     * that option is refused.
     * @default none
     */
    sharedStorageClass?: KubernetesName;
    /**
     * The smallest volume the ReadWriteMany storage provisions (GKE's Filestore driver: 100Gi). The
     * shared volume gets it when the spec names no size, and a smaller `storage.sharedSize` is
     * refused.
     * @default none (the shared volume gets 10Gi unless the spec says otherwise)
     */
    minimumSharedSize?: StorageSize;
    /** The proxy's public Service. Ignored when the hub is served through an ingress. */
    proxyService?: {
        /**
         * Annotations of the load balancer Service, for example an AWS NLB with an ACM
         * certificate. Required with `https.mode: "offload"`, which needs the annotations that
         * attach the certificate.
         * @default {}
         */
        annotations?: Record<string, pulumi.Input<string>>;
        /** A reserved address for the load balancer. @default an address the cloud assigns */
        loadBalancerIP?: pulumi.Input<string>;
    };
    /** A shared ingress controller with cert-manager; required with `https.mode: "ingress"`. @default none */
    ingress?: {
        /** Ingress class of the controller. */
        className: pulumi.Input<string>;
        /** cert-manager ClusterIssuer that obtains the certificate. */
        clusterIssuer: pulumi.Input<string>;
    };
    /**
     * Whether the cluster's nodes carry the `hub.jupyter.org/node-purpose` label (`core` for
     * hub and proxy, `user` for students' servers). When true, placement is required; when
     * false it is only preferred, so the hub still starts on an unlabelled cluster.
     * @default false
     */
    nodePurposeLabels?: boolean;
    /** GPU nodes; a profile with GPUs is refused without them. @default none */
    gpu?: {
        /** Extended resource name. @default "nvidia.com/gpu" */
        resourceName?: string;
        /** Labels that select GPU nodes. @default {} */
        nodeSelector?: Record<string, string>;
        /** Taints of GPU nodes that GPU servers must tolerate. @default [] */
        tolerations?: Toleration[];
    };
    /**
     * Whether the cluster enforces NetworkPolicy (Calico, Cilium, GKE Dataplane V2, the EKS VPC
     * CNI with network policy on). When true, the chart's network policies block the cloud
     * metadata server; when false, a privileged init container blocks it with iptables instead.
     * @default false
     */
    enforcesNetworkPolicy?: boolean;
    /**
     * The notebooks' cloud identity when the platform makes it: `EksHub` passes the IAM role it
     * creates for `notebookBucketAccess`, `GkeHub` the Google service account it creates for
     * `notebookBucketAccess`. `spec.notebookIdentity` is then refused; on a cluster of your own,
     * give the identity in the spec instead.
     * @default none
     */
    notebookIdentity?: NotebookIdentitySpec;
}

/** The platform as the values renderer reads it: every `pulumi.Input` resolved. */
export type Z2jhPlatform = pulumi.Unwrap<JupyterHubPlatformArgs>;

/** What stands in, before deployment, for a value that another resource produces. */
export const KNOWN_AFTER_DEPLOYMENT = "known-after-deployment";

/**
 * What a hub gets beside the platform its cluster publishes or a stack describes, stood in before
 * deployment: the course's own notebook identity, of the cloud's kind (EksHub's and GkeHub's
 * `notebookBucketAccess`), and the shared entry point's ingress class and issuer (EksHub's and
 * GkeHub's `ingress`, a department cluster stack's outputs).
 */
export function hubAdditionsBeforeDeployment(
    notebookIdentity: "awsRoleArn" | "gcpServiceAccountEmail" | undefined, sharedEntryPoint: boolean,
): Pick<JupyterHubPlatformArgs, "notebookIdentity" | "ingress"> {
    return {
        notebookIdentity: notebookIdentity === "awsRoleArn" ? { awsRoleArn: KNOWN_AFTER_DEPLOYMENT }
            : notebookIdentity === "gcpServiceAccountEmail" ? { gcpServiceAccountEmail: KNOWN_AFTER_DEPLOYMENT } : undefined,
        ingress: sharedEntryPoint ? { className: KNOWN_AFTER_DEPLOYMENT, clusterIssuer: KNOWN_AFTER_DEPLOYMENT } : undefined,
    };
}

/**
 * The platform with a stand-in for each value that another resource produces: it renders values
 * of the same shape, which is what the chart's schema checks, before anything exists.
 */
export function platformWithStandIns(platform: JupyterHubPlatformArgs): Z2jhPlatform {
    const known = (value: pulumi.Input<string>): string => (typeof value === "string" ? value : KNOWN_AFTER_DEPLOYMENT);
    const { proxyService, ingress, notebookIdentity, ...plain } = platform;
    return {
        ...plain,
        ...(notebookIdentity
            ? {
                notebookIdentity: "awsRoleArn" in notebookIdentity
                    ? { awsRoleArn: known(notebookIdentity.awsRoleArn) }
                    : { gcpServiceAccountEmail: known(notebookIdentity.gcpServiceAccountEmail) },
            }
            : {}),
        ...(proxyService
            ? {
                proxyService: {
                    ...(proxyService.annotations
                        ? { annotations: Object.fromEntries(Object.entries(proxyService.annotations).map(([key, value]) => [key, known(value)])) }
                        : {}),
                    ...(proxyService.loadBalancerIP !== undefined ? { loadBalancerIP: known(proxyService.loadBalancerIP) } : {}),
                },
            }
            : {}),
        ...(ingress ? { ingress: { className: known(ingress.className), clusterIssuer: known(ingress.clusterIssuer) } } : {}),
    };
}
