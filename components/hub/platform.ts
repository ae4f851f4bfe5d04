import * as pulumi from "@pulumi/pulumi";
import { KubernetesName } from "../shapes";
import { Problem } from "../validation";
import { usernameProblem } from "./auth";
import { HubSpec, NotebookIdentitySpec, StorageSize, Username } from "./spec";

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
     * Storage class of the block volume that holds every home with `spec.storage.home.sharedFileSystem`:
     * ReadWriteOnce, formatting its volumes XFS and mounting them with project quotas, for
     * example the EBS CSI driver's `parameters: { type: gp3, "csi.storage.k8s.io/fstype": xfs }`
     * with `mountOptions: [pquota]`, and `allowVolumeExpansion: true` so the file system can
     * grow. Its reclaim policy decides whether the homes outlive the hub. `EksHub` and `GkeHub`
     * create one; without it that option is refused.
     * @default none
     */
    sharedHomesStorageClass?: KubernetesName;
    /**
     * A ReadWriteMany storage class (EFS, Filestore, NFS) for the shared volume of the course's
     * folders (`storage.sharedCourseFolder`, `sharedFolders`, `submitFolder`). Without it those
     * options are refused.
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
    /**
     * The CSI driver that mounts buckets in servers, for `spec.storage.bucketDatasets`:
     * `gcsFuse`, GKE's Cloud Storage FUSE CSI driver (the cluster's `gcsFuseCsiDriverConfig` add-on,
     * free), which reads a bucket as the server pod's Kubernetes service account through Workload
     * Identity. GkeHub turns the add-on on and declares it when its spec has a bucket dataset; on a
     * GKE cluster of your own, turn the add-on on and declare it. Without it bucket datasets are refused.
     * @default none
     */
    bucketDriver?: "gcsFuse";
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
        /**
         * The controller behind the class, when it is Traefik (a StaticIpIngress's is, and EksHub,
         * GkeHub and a department cluster stack say so themselves): `spec.allowedSourceRanges` then
         * become a Traefik IP allow list (a Middleware) on the hub's own Ingress. Traefik must see
         * clients' own addresses (its Service's `externalTrafficPolicy: Local`, as a StaticIpIngress's has).
         * @default unknown: `spec.allowedSourceRanges` are refused with `https.mode: "ingress"`
         */
        controller?: "traefik";
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
    /**
     * The cluster's operators (a department's IT staff), admins on every hub on it besides each
     * course's own `adminUsers`, and so always allowed to log in: written as each hub's login names
     * people (GitHub logins, or email addresses with Google, Azure AD and CILogon), so a course whose
     * login gives no such names refuses them, by this key. On a department cluster, each course
     * stack on it gives them in `course-hubs:kubernetes.platform.operatorAdmins`. With a shared
     * password they log in with the course's `auth.adminPassword`, which is then required.
     * Costs nothing.
     * @default []
     */
    operatorAdmins?: Username[];
}

/** The spec with the platform's operators among its admins, after the course's own: what the hub is rendered from. */
export function withOperatorAdmins<Spec extends HubSpec>(spec: Spec, platform: Pick<JupyterHubPlatformArgs, "operatorAdmins">): Spec {
    const operators = platform.operatorAdmins ?? [];
    return operators.length === 0 ? spec : { ...spec, adminUsers: [...spec.adminUsers ?? [], ...operators] };
}

/**
 * Problems of the platform's operators on a hub whose spec is valid, each at its path under
 * `path`: a name the hub's login never gives, and operators of a shared-password hub without the
 * admins' password they would log in with.
 */
export function operatorAdminProblems(spec: HubSpec, platform: Pick<JupyterHubPlatformArgs, "operatorAdmins">, path = "platform"): Problem[] {
    const operators = platform.operatorAdmins ?? [];
    const problems: Problem[] = operators.flatMap((name, i) => {
        const problem = usernameProblem(spec.auth, name);
        return problem ? [{ propertyPath: `${path}.operatorAdmins[${i}]`, reason: `"${name}" ${problem}` }] : [];
    });
    if (operators.length > 0 && spec.auth.type === "sharedPassword" && spec.auth.adminPassword === undefined) {
        problems.push({
            propertyPath: `${path}.operatorAdmins`,
            reason: "cannot log in to this shared-password hub: JupyterHub admits a listed admin only with the admins' password, "
                + "which the course has not set (spec.auth.adminPassword; in a course stack, the secret course-hubs:sharedAdminPassword)",
        });
    }
    return problems;
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
        ingress: sharedEntryPoint ? { className: KNOWN_AFTER_DEPLOYMENT, clusterIssuer: KNOWN_AFTER_DEPLOYMENT, controller: "traefik" } : undefined,
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
        ...(ingress ? { ingress: { ...ingress, className: known(ingress.className), clusterIssuer: known(ingress.clusterIssuer) } } : {}),
    };
}
