import * as pulumi from "@pulumi/pulumi";
import { HubSpec } from "../hub/spec";
import { HubPhysicalName } from "../shapes";
import { VpcId } from "./eks-args";
import { Ec2InstanceType } from "./instance-types";

/**
 * Arguments of `EC2AutoscaleHub`: a course hub on plain EC2, a hub VM and, unless in single-VM
 * mode, an Auto Scaling group of worker VMs that run students' servers. Costs at us-east-1 list
 * prices, 730 hours a month. JSON Schema: `schema/ec2-hub-args.json`.
 */
export interface EC2AutoscaleHubArgs {
    /**
     * The course hub. `https.mode` must be `letsencrypt` (the hub obtains its own certificate) or
     * `certificate` (it serves the chain and key given).
     * Refused here, as they need Kubernetes: GPUs, per-profile sizes, sidecars and a notebook
     * identity; and `storage.home.size`, `storage.home.storageClass` and `storage.sharedSize`, as
     * homes and the shared folder are folders on the course's EFS file system, which has neither
     * sizes nor classes.
     */
    spec: HubSpec;
    /**
     * The name of the hub's VMs, file system, worker group and KMS key alias, and the folder of its
     * SSM parameters (`/course-hubs/<name>/`), so that two hubs of one course and term (staging and
     * production) can live in one account. A DNS label of at most 53 characters, as on EKS. Tags
     * still carry the course and term.
     * @default `<course>-<term>`
     */
    physicalName?: HubPhysicalName;
    /**
     * A new VPC (public subnets per zone; workers get public addresses, no NAT gateway) or an
     * existing VPC with its subnets.
     * @default { cidrBlock: "10.70.0.0/16", zoneCount: 2 }
     */
    network?: NewEc2Network | ExistingEc2Network;
    /** The hub VM. */
    hub?: {
        /**
         * Instance type. t4g.small (2 GiB, about $12.26 a month) runs the hub and proxy; in
         * single-VM mode students' servers run here too, so size it for them.
         * @default "t4g.small"
         */
        instanceType?: Ec2InstanceType;
        /** Root disk in GiB (encrypted gp3, deleted with the VM). @default 20 @asType integer @minimum 8 @maximum 1000 */
        diskSizeGiB?: number;
    };
    /**
     * The worker group that runs students' servers, scaling with the class. `false` for single-VM
     * mode: servers run on the hub VM itself (give it the memory: a t4g.small holds no server), and
     * `spec.prewarm` is refused, as there are no workers to warm.
     * @default a group with each of its options at its default
     * @errorMessage must be worker options ({ instanceType, maxCount, ... }) or false for single-VM mode; leave it out for the default group
     */
    workers?: Ec2WorkerOptions | false;
    /**
     * Keep students' homes after `pulumi destroy`: the file system is left in place and AWS Backup
     * keeps daily recovery points (180 days) in a vault destroy also leaves. Without it, nothing
     * survives.
     * @default false
     */
    keepStudentWork?: boolean;
}

/** A new VPC with a public subnet per zone. */
export interface NewEc2Network {
    /**
     * Address range of the VPC, a /16 to /20.
     * @default "10.70.0.0/16"
     * @pattern ^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(1[6-9]|20)$
     * @patternErrorMessage use an IPv4 CIDR block from /16 to /20, such as 10.70.0.0/16
     */
    cidrBlock?: string;
    /** Availability zones used. @default 2 @asType integer @minimum 1 @maximum 6 */
    zoneCount?: number;
}

/** An existing VPC; every subnet names its VPC, so a subnet of another VPC is caught up front. */
export interface ExistingEc2Network {
    /** VPC ID, `vpc-...`. */
    vpcId: pulumi.Input<VpcId>;
    /** Public subnet of the hub VM (it gets the Elastic IP). */
    hubSubnet: Ec2SubnetRef;
    /** Subnets of the workers, with a route to the internet (public, or private behind NAT). */
    workerSubnets: Ec2SubnetRef[];
}

/** A subnet and the VPC it belongs to. */
export interface Ec2SubnetRef {
    /** Subnet ID, `subnet-...`. */
    id: pulumi.Input<string>;
    /** The VPC the subnet belongs to. */
    vpcId: pulumi.Input<VpcId>;
}

/** Worker VMs that run students' servers as Docker Swarm services. */
export interface Ec2WorkerOptions {
    /**
     * Instance type. The plan prints the servers a worker holds and what a seat costs, beside the
     * cheapest type for the same server.
     * @default the type whose seat costs least for the spec's server, of at most 8 vCPUs
     * (Graviton when the image runs on arm64): m6g.large for 0.5 CPU and 1G
     */
    instanceType?: Ec2InstanceType;
    /**
     * Workers at all times. The lecture schedule (`spec.prewarm.schedule`) raises it before class.
     * @default enough for `spec.prewarm.seats`, usually 0
     * @asType integer
     * @minimum 0
     * @maximum 100
     */
    minCount?: number;
    /** Most workers. @default 10 @asType integer @minimum 1 @maximum 100 */
    maxCount?: number;
    /**
     * Servers one worker holds; the group adds workers when the average exceeds 80% of it.
     * @default what the worker's CPUs and memory allow for the spec's guarantees (Docker Swarm places a server by both)
     * @asType integer
     * @minimum 1
     * @maximum 200
     */
    serversPerWorker?: number;
    /** Root disk in GiB; images are large. @default 50 @asType integer @minimum 20 @maximum 1000 */
    diskSizeGiB?: number;
}

export const EC2_DEFAULTS = {
    cidrBlock: "10.70.0.0/16",
    zoneCount: 2,
    hub: { instanceType: "t4g.small", diskSizeGiB: 20 },
    workers: { maxCount: 10, diskSizeGiB: 50 },
    /** Memory kept for the system, Docker and (on the hub) JupyterHub and Caddy. */
    reservedGiB: { hub: 1.5, worker: 1 },
    /** The group grows when servers per worker exceed this share of what a worker holds. */
    targetUtilization: 0.8,
} as const;
