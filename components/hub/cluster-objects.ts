import * as pulumi from "@pulumi/pulumi";
import { nodeRoleLabels } from "../node-roles";
import { Validated } from "../validated";
import { AuthenticatorSecret, authenticatorConfig } from "./auth";
import { DEFAULT_SHARED_SIZE, needsSharedVolume, parseStorageSize } from "./defaults";
import { JupyterHubPlatformArgs } from "./platform";
import { PrewarmScaleAction, prewarmScaleActions } from "./prewarm";
import { SharedHomesObjects, sharedHomesObjects } from "./shared-homes";
import { HubSpec, ImagePullSecretSpec, NotebookIdentitySpec, StorageSize } from "./spec";
import { Z2jhValues, gpuImagePullerPod, notebookIdentity } from "./z2jh";

/** What `JupyterHub` makes of a spec besides the chart's values: the objects it creates in the hub's namespace. */
export interface HubClusterObjects {
    /** The ReadWriteMany claim of the course's shared folders and submit folders. */
    sharedVolume?: { storageClassName?: string; size: StorageSize };
    /** Annotations of the notebooks' service account, which give them their cloud identity. */
    notebookServiceAccountAnnotations?: Record<string, pulumi.Input<string>>;
    /** The login's secrets, for the hub's credentials Secret. */
    loginSecrets: AuthenticatorSecret[];
    /** The servers' secret environment variables by name, for the Secret the servers read them from. */
    serverSecretEnvironment?: Record<string, pulumi.Input<string>>;
    /** The course's registry credential, for the Secret the servers' pods pull their images with. */
    imagePullCredential?: ImagePullSecretSpec;
    /** The lecture schedule's changes of ready seats, each a CronJob. */
    prewarmScaleActions: PrewarmScaleAction[];
    /** The pod of the DaemonSet that pulls GPU profiles' images onto GPU nodes. */
    gpuImagePuller?: Z2jhValues;
    /** The shared file system of homes: its block volume, NFS server and configuration. */
    sharedHomes?: SharedHomesObjects;
    /** The spec of the Traefik Middleware that keeps the hub's Ingress to `allowedSourceRanges`. */
    allowedSourcesMiddleware?: { ipAllowList: { sourceRange: string[] } };
}

/** The hub's own objects for a spec validated on this platform. Pure, and never throws. */
export function hubClusterObjects(spec: Validated<HubSpec>, platform: JupyterHubPlatformArgs): HubClusterObjects {
    const identity = notebookIdentity(spec, platform);
    const gpuImagePuller = gpuImagePullerPod(spec, platform);
    // On the core nodes, which the autoscaler never drains, when the cluster labels them.
    const sharedHomes = sharedHomesObjects(spec, platform.sharedHomesStorageClass, platform.nodePurposeLabels ? nodeRoleLabels("core") : {});
    return {
        ...(needsSharedVolume(spec) ? { sharedVolume: { storageClassName: platform.sharedStorageClass, size: sharedVolumeSize(spec, platform) } } : {}),
        ...(identity ? { notebookServiceAccountAnnotations: workloadIdentityAnnotations(identity) } : {}),
        loginSecrets: authenticatorConfig(spec).secrets,
        ...(Object.keys(spec.server?.secretEnvironment ?? {}).length > 0 ? { serverSecretEnvironment: spec.server!.secretEnvironment } : {}),
        ...(spec.server?.imagePullSecret ? { imagePullCredential: spec.server.imagePullSecret } : {}),
        prewarmScaleActions: prewarmScaleActions(spec),
        ...(gpuImagePuller ? { gpuImagePuller } : {}),
        ...(sharedHomes ? { sharedHomes } : {}),
        // Traefik matches the connection's own address, which its Service's externalTrafficPolicy: Local keeps the client's.
        ...(spec.https.mode === "ingress" && spec.allowedSourceRanges
            ? { allowedSourcesMiddleware: { ipAllowList: { sourceRange: spec.allowedSourceRanges } } }
            : {}),
    };
}

/** The spec's size, else the default, raised to the smallest share the platform's storage provisions. */
function sharedVolumeSize(spec: HubSpec, platform: Pick<JupyterHubPlatformArgs, "minimumSharedSize">): StorageSize {
    const minimum = platform.minimumSharedSize;
    return spec.storage?.sharedSize
        ?? (minimum !== undefined && parseStorageSize(minimum) > parseStorageSize(DEFAULT_SHARED_SIZE) ? minimum : DEFAULT_SHARED_SIZE);
}

function workloadIdentityAnnotations(identity: NotebookIdentitySpec): Record<string, pulumi.Input<string>> {
    return "awsRoleArn" in identity
        ? { "eks.amazonaws.com/role-arn": identity.awsRoleArn }
        : { "iam.gke.io/gcp-service-account": identity.gcpServiceAccountEmail };
}
