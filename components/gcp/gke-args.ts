import * as pulumi from "@pulumi/pulumi";
import { HubChartOptions } from "../hub/chart-values";
import { HubSpec } from "../hub/spec";
import { PlatformIngressOptions } from "../ingress/options";
import { GkeHubPhysicalName, Hostname, Ipv4Cidr } from "../shapes";

/**
 * Arguments of `GkeHub`: a course hub on its own GKE cluster. Costs are the always-on part of the
 * bill at us-central1 list prices, 730 hours a month. JSON Schema: `schema/gke-hub-args.json`.
 * Data that only passes through to a resource (bucket names, CIDRs) is a `pulumi.Input`, so it
 * may come from a resource of the same program; what decides which resources exist (counts,
 * flags, sizes, zones, how many items a list has) is plain, known before anything is created.
 */
export interface GkeHubArgs {
    /**
     * The course hub. `storage.sharedSize` below 100Gi is refused (Filestore's smallest share);
     * `notebookIdentity` must be a `gcpServiceAccountEmail`, and is refused together with
     * `notebookBucketAccess`.
     */
    spec: HubSpec;
    /**
     * The name of the GKE cluster, its service accounts (`<name>-nodes`, `<name>-nb`), the hub's
     * Helm release and namespace, and everything else named after the hub, so that two hubs of one
     * course and term (staging and production) can live in one project. 3 to 24 characters, so
     * that the service account ids (at most 30) keep it whole. Labels still carry the course and term.
     * @default `<course>-<term>`
     */
    physicalName?: GkeHubPhysicalName;
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
     * @requiredMessage list the networks that may reach the Kubernetes API (campus, VPN), or ["0.0.0.0/0"] to open it to the world
     */
    apiAccessCidrs: pulumi.Input<Ipv4Cidr>[];
    /**
     * Nodes without public addresses, with egress through Cloud NAT ($0.0014 an hour for each
     * node, about $1 a month, plus $0.045 per GB; each node saves its $3.65 public address).
     * Without it nodes have ephemeral public addresses but no open ports.
     * @default false
     */
    privateNodes?: boolean;
    /**
     * Address range of the course's VPC subnetwork for nodes. Pods and services get secondary
     * ranges of the same subnetwork: `10.56.0.0/14` and `10.60.0.0/20`.
     * @default "10.50.0.0/20"
     * @pattern ^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(1[6-9]|2[0-4])$
     * @patternErrorMessage use an IPv4 CIDR block from /16 to /24, such as 10.50.0.0/20
     */
    nodeCidr?: string;
    /** The pool that runs the hub and proxy: fixed size, never zero. */
    coreNodes?: GkeCoreNodeOptions;
    /** The pool students' servers run on, autoscaled from zero. */
    userNodes?: GkeUserNodeOptions;
    /** An optional GPU pool, autoscaled from zero; needed by any profile with `gpus`. @default none */
    gpuNodes?: GkeGpuNodeOptions;
    /**
     * Most nodes the cluster may ever run: every pool at its maximum in every zone.
     * @default 20
     * @asType integer
     * @minimum 1
     * @maximum 1000
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
     * Cloud Storage buckets the notebooks may use through Workload Identity (a Google service account bound to
     * the notebooks' Kubernetes service account), never keys.
     * @default no cloud storage access
     */
    notebookBucketAccess?: GcsBucketAccess;
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
    /**
     * The hub's Zero to JupyterHub chart beyond what the spec says: raw `values` merged last over
     * the spec's, and its `version`. Checked before anything is created, each problem at its path
     * (`chart.values.singleuser.memroy`, `chart.version`); keys that course-hubs sets for security
     * or correctness are refused with the spec option to use instead.
     * @default the pinned chart (4.4.0) with the spec's values only
     */
    chart?: HubChartOptions;
}

/** The core pool: on demand, never zero. */
export interface GkeCoreNodeOptions {
    /** Machine type. @default "e2-medium" (about $24 a month) */
    machineType?: GceMachineType;
    /** Nodes in each of the cluster's zones. @default 1 @asType integer @minimum 1 @maximum 5 */
    count?: number;
    /** Boot disk size in GiB (Compute Engine's GB is 2^30 bytes). @default 20 */
    diskSizeGiB?: GkeDiskSizeGiB;
}

/** The user pool, autoscaled from zero. */
export interface GkeUserNodeOptions {
    /**
     * Machine type. The plan prints the seats a node holds and what a seat costs, beside the
     * cheapest type for the same server.
     * @default the x86 type whose seat costs least for the spec's default server, of at most 8
     * vCPUs: e2-standard-8 for 0.5 CPU and 1G (GKE taints Arm nodes, which z2jh's pods do not tolerate)
     */
    machineType?: GceMachineType;
    /** Use spot capacity: much cheaper, servers can be preempted. @default false */
    spot?: boolean;
    /** Most nodes in each of the cluster's zones. @default 10 */
    maxCount?: GkePoolMaxCount;
    /** Boot disk size in GiB; images are large. @default 50 */
    diskSizeGiB?: GkeDiskSizeGiB;
}

/** The GPU pool, autoscaled from zero. */
export interface GkeGpuNodeOptions {
    /** Machine type. @default "n1-standard-4" */
    machineType?: GceMachineType;
    /**
     * GPU type.
     * @default "nvidia-tesla-t4"
     * @pattern ^nvidia-[a-z0-9-]+$
     * @patternErrorMessage use an accelerator type such as nvidia-tesla-t4 or nvidia-l4
     */
    acceleratorType?: string;
    /** GPUs per node. @default 1 @asType integer @minimum 1 @maximum 8 */
    acceleratorCount?: number;
    /** Use spot capacity. @default false */
    spot?: boolean;
    /** Most nodes in each of the cluster's zones. @default 2 */
    maxCount?: GkePoolMaxCount;
    /** Boot disk size in GiB; CUDA images are very large. @default 100 */
    diskSizeGiB?: GkeDiskSizeGiB;
}

/**
 * A Compute Engine machine type.
 * @pattern ^[a-z][a-z0-9]*-[a-z0-9-]+$
 * @patternErrorMessage use a Compute Engine machine type such as n2-standard-4
 */
export type GceMachineType = string;

/**
 * Boot disk size of a node in GiB: Compute Engine's "GB" is the binary gigabyte, 2^30 bytes.
 * @asType integer
 * @minimum 10
 * @maximum 2000
 */
export type GkeDiskSizeGiB = number;

/**
 * Most nodes of a pool in each zone.
 * @asType integer
 * @minimum 1
 * @maximum 500
 */
export type GkePoolMaxCount = number;

/** Cloud Storage buckets the notebooks may use. */
export interface GcsBucketAccess {
    /**
     * Bucket names, without `gs://`, or a bucket made in the same program (`bucket.name`). Each
     * gets an IAM binding named by its position in this list.
     */
    buckets: pulumi.Input<GcsBucketName>[];
    /** Allow reading only. @default true */
    readOnly?: boolean;
}

/**
 * A Cloud Storage bucket name, without `gs://`.
 * @pattern ^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$
 * @patternErrorMessage use a bucket name without gs://
 */
export type GcsBucketName = string;

/**
 * A Compute Engine zone.
 * @pattern ^[a-z]+-[a-z]+\d+-[a-z]$
 * @patternErrorMessage use a zone such as us-central1-a
 */
export type GceZone = string;

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
    zone: GceZone;
}

/** A regional cluster: control plane and nodes in several zones. */
export interface RegionalLocation {
    /**
     * Region, for example `us-central1`.
     * @pattern ^[a-z]+-[a-z]+\d+$
     * @patternErrorMessage use a region such as us-central1 (a zone goes in location.zone)
     */
    region: string;
    /**
     * Zones nodes run in; every pool's size counts once per zone.
     * @default three zones GKE picks
     */
    nodeZones?: GceZone[];
}

/** The shared entry point GkeHub creates on its cluster, with Cloud DNS records if asked. */
export type GkeIngressOptions = PlatformIngressOptions<CloudDnsRecords>;

/** DNS records in a Cloud DNS managed zone. */
export interface CloudDnsRecords {
    /**
     * The managed zone's name (not its DNS name).
     * @pattern ^[a-z][a-z0-9-]{0,62}$
     * @patternErrorMessage use the managed zone's name (not its DNS name)
     */
    managedZone: pulumi.Input<string>;
    /** Host names that get a record pointing at the entry point. */
    hostnames: Hostname[];
}

export const GKE_DEFAULTS = {
    releaseChannel: "REGULAR",
    nodeCidr: "10.50.0.0/20",
    maxNodes: 20,
    regionalZoneCount: 3,
    // e2-medium about $24.46 a month; a 20 GiB balanced boot disk $2 (GKE's default 100 GiB is $10).
    core: { machineType: "e2-medium", count: 1, diskSizeGiB: 20 },
    user: { spot: false, maxCount: 10, diskSizeGiB: 50 },
    gpu: { machineType: "n1-standard-4", acceleratorType: "nvidia-tesla-t4", acceleratorCount: 1, spot: false, maxCount: 2, diskSizeGiB: 100 },
    /** The Filestore CSI driver's smallest basic HDD share. */
    minimumSharedSize: "100Gi",
} as const;
