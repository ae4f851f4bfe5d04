import * as pulumi from "@pulumi/pulumi";
import { HubChartOptions } from "../hub/chart-values";
import { HubSpec } from "../hub/spec";
import { PlatformIngressOptions } from "../ingress/options";
import { Hostname, HubPhysicalName, Ipv4Cidr } from "../shapes";
import { CHARTS } from "../versions";
import { Ec2InstanceType } from "./instance-types";

/**
 * Arguments of `EksHub`: a course hub on its own EKS cluster. Costs are the always-on part of
 * the bill at us-east-1 list prices, 730 hours a month. JSON Schema: `schema/eks-hub-args.json`.
 * Data that only passes through to a resource (ARNs, CIDRs, IDs) is a `pulumi.Input`, so it may
 * come from a resource of the same program; what decides which resources exist (counts, flags,
 * sizes, zones, how many items a list has) is plain, known before anything is created.
 */
export interface EksHubArgs {
    /**
     * The course hub. `storage.sharedSize` is refused (EFS takes no size); `notebookIdentity` must
     * be an `awsRoleArn`, and is refused together with `notebookBucketAccess`.
     */
    spec: HubSpec;
    /**
     * The name of the EKS cluster, the hub's Helm release and namespace, and everything else named
     * after the hub, so that two hubs of one course and term (staging and production) can live in
     * one account. A DNS label of at most 53 characters, Helm's longest release name. Tags still
     * carry the course and term.
     * @default `<course>-<term>`
     */
    physicalName?: HubPhysicalName;
    /**
     * Where the cluster runs: a new VPC (the default), or an existing VPC and its subnets.
     * @default { cidrBlock: "10.40.0.0/16", zoneCount: 2 }
     */
    network?: NewVpcNetwork | ExistingVpcNetwork;
    /**
     * Put nodes in private subnets behind a NAT gateway. One NAT gateway costs about $33 a month
     * plus $0.045 per GB; with public nodes (the default) nodes have public addresses but their
     * security group admits nothing from the internet, and there is no NAT bill.
     * @default false
     */
    privateNodes?: boolean;
    /**
     * Kubernetes minor version of the control plane, pinned so that the cluster never changes
     * under a running course. A version past EKS standard support, or one EKS's calendar
     * (`EKS_SUPPORT_CALENDAR` in versions.ts) does not list, is refused. 1.35 is in standard
     * support until 27 March 2027; then EKS upgrades the control plane to the next minor (the
     * cluster's upgrade policy is STANDARD) instead of billing extended support ($0.60 an hour
     * instead of $0.10): choose a version whose standard support outlasts the term. The cluster
     * autoscaler's minor must match: another version needs `clusterAutoscaler.imageTag` (and its
     * chart) too.
     * @default "1.35"
     * @pattern ^1\.\d{2}$
     * @patternErrorMessage use a minor version such as "1.35"
     */
    kubernetesVersion?: string;
    /**
     * Networks that may reach the Kubernetes API endpoint, for example the campus and VPN ranges.
     * Required: there is no default open to the world; write `["0.0.0.0/0"]` to choose that.
     * @requiredMessage list the networks that may reach the Kubernetes API (campus, VPN), or ["0.0.0.0/0"] to open it to the world
     */
    apiAccessCidrs: pulumi.Input<Ipv4Cidr>[];
    /**
     * IAM roles (ARNs) of the course's IT staff that get cluster-admin through EKS access
     * entries. The identity that runs `pulumi up` is admin too.
     * @default []
     */
    adminRoleArns?: pulumi.Input<IamRoleArn>[];
    /** The small on-demand group that runs the hub and proxy. */
    coreNodes?: CoreNodeOptions;
    /**
     * The groups students' servers run on, scaled from zero by the cluster autoscaler: one group
     * per availability zone, because home volumes (gp3 EBS) are zonal and a returning student's
     * server must start in the zone of their volume.
     */
    userNodes?: UserNodeOptions;
    /**
     * Optional GPU groups (one per zone, as for user nodes), scaled from zero; needed by any
     * profile with `gpus`. The NVIDIA device plugin is installed with them.
     * @default none
     */
    gpuNodes?: GpuNodeOptions;
    /**
     * Most nodes the cluster may ever run, all groups at their maximum together. Guards the
     * account's EC2 quota and the bill.
     * @default 20
     * @asType integer
     * @minimum 1
     * @maximum 1000
     */
    maxNodes?: number;
    /**
     * ACM certificate ARN for `spec.https.mode: "offload"`: TLS ends at the network load balancer.
     */
    certificateArn?: pulumi.Input<string>;
    /**
     * A shared entry point on this cluster (`StaticIpIngress`: an Elastic IP on a network load
     * balancer, Traefik, cert-manager), for `spec.https.mode: "ingress"`. More courses then join
     * the cluster with `new JupyterHub(..., { provider: hub.provider, ingress: hub.ingress })`,
     * each by its own hostname, for no load balancer of their own.
     * @default none
     */
    ingress?: EksIngressOptions;
    /**
     * S3 buckets the notebooks may use through an IAM role for their service account (IRSA),
     * never keys.
     * @default no cloud storage access
     */
    notebookBucketAccess?: S3BucketAccess;
    /**
     * Keep students' work after `pulumi destroy`: home volumes are retained (with the course tags,
     * to find them), the EFS file system stays, and AWS Backup takes a daily recovery point of
     * every volume and file system tagged with the course and term, kept 180 days in a vault that
     * destroy leaves in place (the last one is the end-of-term snapshot). Backup storage costs
     * about $0.05 per GB-month. The default is that destroy means gone.
     * @default false
     */
    keepStudentWork?: boolean;
    /**
     * The cluster autoscaler release (chart from https://kubernetes.github.io/autoscaler). Its
     * image's minor must be the cluster's `kubernetesVersion` minor, and the chart must be the one
     * released for that image (its RBAC is for its own appVersion): override both together, for
     * example with `kubernetesVersion`. Overriding only the chart keeps the default image tag.
     * @default { chartVersion: "9.59.0", imageTag: "v1.35.0" } (versions.ts `CHARTS.clusterAutoscaler`)
     */
    clusterAutoscaler?: ClusterAutoscalerOptions;
    /**
     * The hub's Zero to JupyterHub chart beyond what the spec says: raw `values` merged last over
     * the spec's, and its `version`. Checked before anything is created, each problem at its path
     * (`chart.values.singleuser.memroy`, `chart.version`); keys that course-hubs sets for security
     * or correctness are refused with the spec option to use instead.
     * @default the pinned chart (4.4.0) with the spec's values only
     */
    chart?: HubChartOptions;
}

/** The cluster autoscaler's chart and image, overridden together. */
export interface ClusterAutoscalerOptions {
    /**
     * Chart version.
     * @pattern ^\d+\.\d+\.\d+$
     * @patternErrorMessage use a chart version such as 9.59.0
     */
    chartVersion?: string;
    /**
     * Image tag, the chart's appVersion with a `v`.
     * @pattern ^v\d+\.\d+\.\d+$
     * @patternErrorMessage use an image tag such as v1.35.0
     */
    imageTag?: string;
}

/**
 * An IAM role ARN.
 * @pattern ^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$
 * @patternErrorMessage use an IAM role ARN, arn:aws:iam::123456789012:role/name
 */
export type IamRoleArn = string;

/** The shared entry point EksHub creates on its cluster, with Route 53 records if asked. */
export type EksIngressOptions = PlatformIngressOptions<Route53Records>;

/** DNS records in a Route 53 hosted zone. */
export interface Route53Records {
    /**
     * Hosted zone ID.
     * @pattern ^Z[A-Z0-9]+$
     * @patternErrorMessage use a Route 53 hosted zone ID, Z...
     */
    hostedZoneId: pulumi.Input<string>;
    /** Host names that get a record pointing at the entry point. */
    hostnames: Hostname[];
}

/** S3 buckets the notebooks may use. */
export interface S3BucketAccess {
    /**
     * Bucket ARNs, `arn:aws:s3:::my-course-data`, or a bucket made in the same program
     * (`bucket.arn`).
     */
    buckets: pulumi.Input<S3BucketArn>[];
    /** Allow reading only. @default true */
    readOnly?: boolean;
}

/**
 * An S3 bucket's ARN.
 * @pattern ^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$
 * @patternErrorMessage use a bucket ARN, arn:aws:s3:::bucket-name
 */
export type S3BucketArn = string;

/**
 * A VPC ID.
 * @pattern ^vpc-[0-9a-f]+$
 * @patternErrorMessage use a VPC ID, vpc-...
 */
export type VpcId = string;

/** A new VPC with public (and, for private nodes, private) subnets in several zones. */
export interface NewVpcNetwork {
    /**
     * Address range of the VPC, a /16 to /20.
     * @default "10.40.0.0/16"
     * @pattern ^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(1[6-9]|20)$
     * @patternErrorMessage use an IPv4 CIDR block from /16 to /20, such as 10.40.0.0/16
     */
    cidrBlock?: string;
    /** Availability zones used, at least 2 (EKS requires two). @default 2 @asType integer @minimum 2 @maximum 6 */
    zoneCount?: number;
}

/** An existing VPC. Subnets must span at least two availability zones. */
export interface ExistingVpcNetwork {
    /** VPC ID, `vpc-...`. */
    vpcId: pulumi.Input<VpcId>;
    /** Public subnets (load balancers; nodes unless `privateNodes`), with their zones. */
    publicSubnets: SubnetRef[];
    /** Private subnets, with their zones; required with `privateNodes`. @default [] */
    privateSubnets?: SubnetRef[];
}

/** A subnet and its availability zone (the zone is needed to check the two-zone rule up front). */
export interface SubnetRef {
    /** Subnet ID, `subnet-...`. */
    id: pulumi.Input<string>;
    /**
     * Its availability zone.
     * @pattern ^[a-z]{2}(-[a-z]+)+-\d[a-z]$
     * @patternErrorMessage use a zone name such as us-east-1a
     */
    availabilityZone: string;
}

/** The core group: on demand, never zero, never drained by the autoscaler. */
export interface CoreNodeOptions {
    /**
     * Instance type. t4g.medium (Graviton, arm64) costs about $25 a month, t3.medium (x86) about
     * $30; the hub, proxy and autoscaler images are multi-architecture. It must hold every core
     * pod (about 15, 19 with shared storage and an ingress): EksHub turns on the VPC CNI's prefix
     * delegation, so a Nitro type holds 110 pods (t4g.medium holds only 17 without it); a Xen type
     * (t2) keeps the ENI limit. Only types whose ENI limits EksHub knows are accepted (those of
     * components/machine-table.json); a bigger core node instead costs about $25 a month more.
     * @default "t4g.medium"
     */
    instanceType?: Ec2InstanceType;
    /**
     * Nodes, all in the zone of the load balancer. One suffices for a course; two survive a node
     * failure (not a zone failure).
     * @default 1
     * @asType integer
     * @minimum 1
     * @maximum 5
     */
    count?: number;
    /** Root disk size in GiB (encrypted gp3, $0.08 per GiB-month). @default 20 */
    diskSizeGiB?: NodeDiskSizeGiB;
}

/** The user group: from zero nodes when nobody is online up to `maxCount`. */
export interface UserNodeOptions {
    /**
     * Instance types, all of one size class (the autoscaler treats them alike). The plan prints
     * the seats a node holds and what a seat costs, beside the cheapest type for the same server.
     * @default the type whose seat costs least for the spec's default server, of at most 8 vCPUs
     * (Graviton when every image runs on arm64): c6g.2xlarge for 0.5 CPU and 1G
     * @minItems 1
     */
    instanceTypes?: Ec2InstanceType[];
    /** Use spot capacity: about 60-70% cheaper, servers can be interrupted. @default false */
    spot?: boolean;
    /**
     * Most user nodes, in all zones together: split evenly over the per-zone groups (the first
     * zones take the remainder; 10 over 2 zones is 5 + 5), so the bill's ceiling is this number.
     * At least one per zone.
     * @default 10
     */
    maxCount?: NodeGroupMaxCount;
    /** Root disk size in GiB; images are large. @default 50 */
    diskSizeGiB?: NodeDiskSizeGiB;
}

/** The GPU group, from zero. */
export interface GpuNodeOptions {
    /** GPU instance types. @default ["g4dn.xlarge"] (1 × T4, about $0.53 an hour) @minItems 1 */
    instanceTypes?: Ec2InstanceType[];
    /** Use spot capacity. @default false */
    spot?: boolean;
    /** Most GPU nodes, in all zones together, split as `userNodes.maxCount`; at least one per zone. @default 2 */
    maxCount?: NodeGroupMaxCount;
    /** Root disk size in GiB; CUDA images are very large. @default 100 */
    diskSizeGiB?: NodeDiskSizeGiB;
}

/**
 * Root disk size of a node in GiB.
 * @asType integer
 * @minimum 20
 * @maximum 2000
 */
export type NodeDiskSizeGiB = number;

/**
 * Most nodes of a group, in all zones together.
 * @asType integer
 * @minimum 1
 * @maximum 500
 */
export type NodeGroupMaxCount = number;

export const EKS_DEFAULTS = {
    cidrBlock: "10.40.0.0/16",
    zoneCount: 2,
    kubernetesVersion: "1.35",
    maxNodes: 20,
    core: { instanceType: "t4g.medium", count: 1, diskSizeGiB: 20 },
    user: { spot: false, maxCount: 10, diskSizeGiB: 50 },
    gpu: { instanceTypes: ["g4dn.xlarge"], spot: false, maxCount: 2, diskSizeGiB: 100 },
    clusterAutoscaler: { chartVersion: CHARTS.clusterAutoscaler.version, imageTag: `v${CHARTS.clusterAutoscaler.appVersion}` },
} as const;
