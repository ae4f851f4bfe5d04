import { HubSpec } from "../hub/spec";
import { PlatformIngressOptions } from "../ingress/options";

/**
 * Arguments of `GkeHub`: a course hub on its own GKE cluster. Costs are the always-on part of the
 * bill at us-central1 list prices, 730 hours a month.
 */
export interface GkeHubArgs {
    /** The course hub. */
    spec: HubSpec;
    /**
     * Where the cluster runs. Zonal by default: one zonal cluster per billing account has no
     * management fee (the free tier's $74.40 credit covers it); every other cluster, and every
     * regional one, costs $0.10 an hour ($73 a month). Regional clusters survive a zone outage
     * and spread nodes over `nodeZones`.
     * @default a zonal cluster in the `gcp:zone` config, else in zone "a" of the `gcp:region` config
     */
    location?: ZonalLocation | RegionalLocation;
    /**
     * GKE release channel: Google upgrades the control plane and nodes within it.
     * @default "REGULAR"
     */
    releaseChannel?: "RAPID" | "REGULAR" | "STABLE";
    /**
     * Networks that may reach the Kubernetes API (master authorized networks), for example the
     * campus and VPN ranges. Required: write `["0.0.0.0/0"]` to open it to the world.
     */
    apiAccessCidrs: string[];
    /**
     * Nodes without public addresses, with egress through Cloud NAT ($0.0014 an hour for each
     * node, about $1 a month, plus $0.045 per GB; each node saves its $3.65 public address).
     * Without it nodes have ephemeral public addresses but no open ports.
     * @default false
     */
    privateNodes?: boolean;
    /**
     * Address range of the course's VPC subnetwork for nodes; pods and services get secondary
     * ranges chosen by GKE.
     * @default "10.50.0.0/20"
     */
    nodeCidr?: string;
    /** The pool that runs the hub and proxy: fixed size, never zero. */
    coreNodes?: { machineType?: string; count?: number; diskSizeGb?: number };
    /** The pool students' servers run on, autoscaled from zero. */
    userNodes?: { machineType?: string; spot?: boolean; maxCount?: number; diskSizeGb?: number };
    /** An optional GPU pool, autoscaled from zero; needed by any profile with `gpus`. */
    gpuNodes?: { machineType?: string; acceleratorType?: string; acceleratorCount?: number; spot?: boolean; maxCount?: number; diskSizeGb?: number };
    /**
     * Most nodes the cluster may ever run: every pool at its maximum in every zone.
     * @default 20
     */
    maxNodes?: number;
    /**
     * A shared entry point on this cluster (`StaticIpIngress`: a reserved regional address,
     * Traefik, cert-manager), for `spec.https.mode: "ingress"`. More courses then join with
     * `new JupyterHub(..., { provider: hub.provider, ingress: hub.ingress })`.
     * @default none
     */
    ingress?: GkeIngressOptions;
    /**
     * Buckets the notebooks may use through Workload Identity (a Google service account bound to
     * the notebooks' Kubernetes service account), never keys.
     * @default no cloud storage access
     */
    notebookStorageAccess?: {
        /** Bucket names, without `gs://`. */
        bucketNames: string[];
        /** Allow reading only. @default true */
        readOnly?: boolean;
    };
    /**
     * Keep students' work after `pulumi destroy`: home volumes and the Filestore share are
     * retained (their classes reclaim nothing; the course labels find them), and Backup for GKE
     * backs up the course's namespace with its volumes' data daily, each backup kept 180 days, in a
     * backup plan that destroy leaves. A kept Filestore share keeps the course's VPC network too
     * (it is peered with it; a network costs nothing): delete both once the work is no longer
     * needed. Without it, nothing survives.
     * @default false
     */
    keepStudentWork?: boolean;
}

/** Whether a GKE location is a zone (`us-central1-a`) rather than a region (`us-central1`). */
export function isZone(location: string): boolean {
    return /-[a-z]$/.test(location);
}

/** The region a zone is in: `us-central1-a` is in `us-central1`. */
export function regionOfZone(zone: string): string {
    return zone.replace(/-[a-z]$/, "");
}

/** A zonal cluster (the default, free for one cluster per billing account). */
export interface ZonalLocation {
    /** Zone, for example `us-central1-a`. */
    zone: string;
}

/** A regional cluster: control plane and nodes in several zones. */
export interface RegionalLocation {
    /** Region, for example `us-central1`. */
    region: string;
    /**
     * Zones nodes run in; every pool's size counts once per zone.
     * @default three zones GKE picks
     */
    nodeZones?: string[];
}

/** The shared entry point GkeHub creates on its cluster, with Cloud DNS records if asked. */
export type GkeIngressOptions = PlatformIngressOptions<{ managedZone: string; hostnames: string[] }>;

export const GKE_DEFAULTS = {
    releaseChannel: "REGULAR",
    nodeCidr: "10.50.0.0/20",
    maxNodes: 20,
    regionalZoneCount: 3,
    // e2-medium about $24.46 a month; a 20 GB balanced boot disk $2 (GKE's default 100 GB is $10).
    core: { machineType: "e2-medium", count: 1, diskSizeGb: 20 },
    user: { machineType: "n2-standard-4", spot: false, maxCount: 10, diskSizeGb: 50 },
    gpu: { machineType: "n1-standard-4", acceleratorType: "nvidia-tesla-t4", acceleratorCount: 1, spot: false, maxCount: 2, diskSizeGb: 100 },
    /** The Filestore CSI driver's smallest basic HDD share. */
    minimumSharedSize: "100Gi",
} as const;
