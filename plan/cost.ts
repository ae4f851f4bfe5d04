import { HUB_METRICS, METRIC_NAMESPACE, TIMER_PERIOD_MINUTES } from "../components/aws/ec2-userdata";
import { isZone, regionOfZone } from "../components/gcp/gke-args";
import { eksSupportOn, eksSupportWindow } from "../components/versions";
import { RecordedResource, unwrapSecrets } from "./mock-engine";
import { seatsIn, userNodeRoom } from "../components/capacity";
import { NODE_PURPOSE_LABEL, Z2jhValues } from "../components/hub/z2jh";
import { Cloud, machineType } from "../components/machine-types";
import { GPU_NODE_LABEL } from "../components/node-roles";
import PRICES from "./prices.json";

/*
 * The monthly cost of what a plan records, from the price table in prices.json: the always-on
 * floor (every group at its minimum, which is what a course pays while nobody is online) and the
 * ceiling (every group at its maximum). What is billed by use (data stored on EFS, traffic, logs,
 * students' volumes) is not in either total; the notes say what it costs per unit.
 */

export interface CostLine {
    /** What is paid for. */
    item: string;
    /** `type::name` of the resource that brings the cost. */
    resource: string;
    /** USD per unit; undefined when the price table has no price for it (see the notes). */
    unitPrice?: number;
    /** `hour` (quantity = how many run all month), `GB-month`, `month` or `1,000 requests`. */
    unit: "hour" | "GB-month" | "month" | "1,000 requests";
    floorQuantity: number;
    ceilingQuantity: number;
    /** USD per month with every group at its minimum. */
    floor: number;
    /** USD per month with every group at its maximum. */
    ceiling: number;
}

export interface CostEstimate {
    currency: "USD";
    hoursPerMonth: number;
    /** When the prices were recorded, and for which region of each cloud. */
    prices: { date: string; aws: string; gcp: string };
    lines: CostLine[];
    floor: number;
    ceiling: number;
    /** Costs billed by use, prices the table lacks, and assumptions the totals rest on. */
    notes: string[];
    /** What each student who logs in adds a month (a home volume), where homes are volumes of their own. */
    perStudentMonthly?: number;
    /** The GKE free tier the totals take off, when the stack has a zonal or Autopilot cluster. */
    gkeFreeTier?: GkeFreeTierClaim;
}

/**
 * The GKE free tier as one stack claims it: a monthly credit of each billing account on the
 * management fees of its zonal and Autopilot clusters, which a stack's estimate takes off as if no
 * other stack of its account used it. `course-hubs plan` of several stacks applies it once per
 * billing account (plan/department.ts).
 */
export interface GkeFreeTierClaim {
    /** USD a month taken off the stack's floor and ceiling: the account's credit, up to the fees below. */
    credit: number;
    /** USD a month of management fees of the stack's zonal and Autopilot clusters: what the credit can pay. */
    eligibleFees: number;
    /** USD a month the free tier credits a billing account, shared by all its zonal and Autopilot clusters. */
    perBillingAccount: number;
}

type Unit = CostLine["unit"];

const HOURS = PRICES.hoursPerMonth;
const lookup = (table: Record<string, number>, key: string | undefined): number | undefined =>
    key !== undefined && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;

/** Size in GiB of a Kubernetes quantity such as `1Gi`, `100Gi` or `500M`. */
export function gibibytes(quantity: string): number {
    const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(quantity);
    if (!match) {
        throw new Error(`"${quantity}" is not a Kubernetes storage quantity such as 10Gi`);
    }
    const factor: Record<string, number> = {
        Ki: 2 ** -20,
        Mi: 2 ** -10,
        Gi: 1,
        Ti: 1024,
        K: 1e3 / 2 ** 30,
        M: 1e6 / 2 ** 30,
        G: 1e9 / 2 ** 30,
        T: 1e12 / 2 ** 30,
    };
    return Number(match[1]) * factor[match[2] ?? "Gi"];
}

/** A running estimate: lines and notes, each line priced as it is added. */
class Estimate {
    readonly lines: CostLine[] = [];
    readonly notes = new Set<string>();
    perStudentMonthly?: number;
    gkeFreeTier?: GkeFreeTierClaim;

    add(
        item: string,
        resource: RecordedResource,
        unitPrice: number | undefined,
        unit: Unit,
        floorQuantity: number,
        ceilingQuantity = floorQuantity,
        priceTable = "plan/prices.json",
    ): void {
        if (floorQuantity === 0 && ceilingQuantity === 0) {
            return;
        }
        const monthly = (quantity: number) => round((unitPrice ?? 0) * quantity * (unit === "hour" ? HOURS : 1));
        this.lines.push({
            item,
            resource: `${resource.type}::${resource.name}`,
            unitPrice,
            unit,
            floorQuantity,
            ceilingQuantity,
            floor: monthly(floorQuantity),
            ceiling: monthly(ceilingQuantity),
        });
        if (unitPrice === undefined) {
            this.notes.add(`No price for "${item}" in ${priceTable}: the totals leave it out; add it there.`);
        }
    }
}

const round = (usd: number) => Math.round(usd * 100) / 100;
const dollars = (usd: number) => `$${usd.toFixed(2)}`;

/** What a stack recorded, indexed the ways the rules below look resources up. */
class Recording {
    readonly created: RecordedResource[];
    readonly cloud?: Cloud;

    constructor(resources: RecordedResource[]) {
        this.created = resources.filter((r) => !r.read).map((r) => ({ ...r, inputs: unwrapSecrets(r.inputs) }));
        const providers = new Set(this.created.map((r) => r.type.split(":")[0]));
        this.cloud = providers.has("aws") || providers.has("eks") ? "aws" : providers.has("gcp") ? "gcp" : undefined;
    }

    ofType(type: string): RecordedResource[] {
        return this.created.filter((r) => r.type === type);
    }

    /** The resource of this type with this id (ids are unique only within a type). */
    withId(type: string, id: unknown): RecordedResource | undefined {
        return this.created.find((r) => r.type === type && r.id === id);
    }

    /** Whether instances launched into these subnets get a public IPv4 address. */
    publicSubnets(subnetIds: unknown): boolean {
        return Array.isArray(subnetIds) && subnetIds.some((id) => this.withId("aws:ec2/subnet:Subnet", id)?.inputs.mapPublicIpOnLaunch === true);
    }

    storageClass(name: string | undefined): RecordedResource | undefined {
        const classes = this.ofType("kubernetes:storage.k8s.io/v1:StorageClass");
        return classes.find((c) => c.inputs.metadata?.name === name)
            ?? (name ? undefined : classes.find((c) => c.inputs.metadata?.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true"));
    }
}

/** Machines of one type at their floor and ceiling counts: compute, GPUs, disks and public addresses. */
function addMachines(estimate: Estimate, resource: RecordedResource, label: string, machine: {
    cloud: Cloud; type: string; floor: number; ceiling: number; diskGb: number; diskType: string; publicIp: boolean; gpus?: { type: string; count: number }[];
    /** Why the floor is above zero, for a group that scales: its minimum, or warm seats. */
    why?: string;
}): void {
    const disks: Record<string, number> = machine.cloud === "aws" ? PRICES.aws.volumesPerGbMonth.usd : PRICES.gcp.disksPerGbMonth.usd;
    const ipv4 = machine.cloud === "aws" ? PRICES.aws.publicIpv4PerHour.usd : PRICES.gcp.externalIpv4PerHour.usd;
    const price = machineType(machine.cloud, machine.type)?.usdPerHour;
    const item = `${label}: ${machine.type}${machine.why ? ` (${machine.why})` : ""}`;
    estimate.add(item, resource, price, "hour", machine.floor, machine.ceiling, "components/machine-table.json");
    for (const gpu of machine.gpus ?? []) {
        estimate.add(
            `${label}: GPU ${gpu.type}`,
            resource,
            lookup(PRICES.gcp.gpusPerHour.usd, gpu.type),
            "hour",
            machine.floor * gpu.count,
            machine.ceiling * gpu.count,
        );
    }
    estimate.add(
        `${label}: ${machine.diskGb} GB ${machine.diskType} disk each`,
        resource,
        lookup(disks, machine.diskType),
        "GB-month",
        machine.floor * machine.diskGb,
        machine.ceiling * machine.diskGb,
    );
    if (machine.publicIp) {
        estimate.add(`${label}: public IPv4 address each`, resource, ipv4, "hour", machine.floor, machine.ceiling);
    }
}

/** Why a scaling group's floor is what it is: nothing when it scales from zero. */
function whyUp(minimum: number, warmNodes: number, warmSeats: number | undefined): string | undefined {
    if (warmNodes > minimum) {
        return `${warmNodes} kept up all month by ${warmSeats} ready seats outside lectures (prewarm.seats)`;
    }
    return minimum > 0 ? `${minimum} at all times: the group's minimum` : undefined;
}

/**
 * The user nodes that ready seats outside any schedule keep up all month: z2jh's placeholder pods
 * (`scheduling.userPlaceholder.replicas`, what `prewarm.seats` renders) ask what a server asks, so
 * the autoscaler keeps enough user nodes for them, by node group (EKS's per-zone groups share
 * them). GPU groups are not used by placeholders.
 */
function warmSeatNodes(recording: Recording, platform: "eks" | "gke"): { nodes: Map<RecordedResource, number>; seats: Map<RecordedResource, number> } {
    const nodes = new Map<RecordedResource, number>();
    const seats = new Map<RecordedResource, number>();
    const groupType = platform === "eks" ? "aws:eks/nodeGroup:NodeGroup" : "gcp:container/nodePool:NodePool";
    const labelsOf = (group: RecordedResource): Record<string, string> =>
        (platform === "eks" ? group.inputs.labels : group.inputs.nodeConfig?.labels) ?? {};
    const userGroups = recording.ofType(groupType).filter((g) => labelsOf(g)[NODE_PURPOSE_LABEL] === "user" && labelsOf(g)[GPU_NODE_LABEL] === undefined);
    const sharedStorage = recording.ofType("kubernetes:storage.k8s.io/v1:StorageClass")
        .some((c) => ["efs.csi.aws.com", "filestore.csi.storage.gke.io"].includes(c.inputs.provisioner));
    for (const release of recording.ofType("kubernetes:helm.sh/v3:Release").filter((r) => r.inputs.chart === "jupyterhub")) {
        const placeholder = releaseValues(release).scheduling?.userPlaceholder;
        const replicas = Number(placeholder?.replicas ?? 0);
        const type = userGroups[0] && machineType(platform === "eks" ? "aws" : "gcp",
            platform === "eks" ? userGroups[0].inputs.instanceTypes?.[0] : userGroups[0].inputs.nodeConfig?.machineType);
        if (!placeholder?.enabled || replicas === 0 || !type) {
            continue;
        }
        const requests = placeholder.resources?.requests ?? {};
        const perNode = seatsIn(userNodeRoom(platform, type, sharedStorage), {
            cpuMillis: cpuMillis(String(requests.cpu ?? "0")),
            memoryMiB: gibibytes(String(requests.memory ?? "0")) * 1024,
        }).seats;
        const needed = Math.ceil(replicas / Math.max(perNode, 1));
        userGroups.forEach((group, i) => {
            const share = Math.floor(needed / userGroups.length) + (i < needed % userGroups.length ? 1 : 0);
            nodes.set(group, (nodes.get(group) ?? 0) + share);
            seats.set(group, (seats.get(group) ?? 0) + replicas);
        });
    }
    return { nodes, seats };
}

/** Millicores of a Kubernetes CPU quantity (`0.5`, `500m`). */
function cpuMillis(quantity: string): number {
    return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000;
}

/** A release's values, as the chart receives them. */
function releaseValues(release: RecordedResource): Z2jhValues {
    return typeof release.inputs.values === "string" ? JSON.parse(release.inputs.values) : release.inputs.values ?? {};
}

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

function launchTemplateDisk(template: RecordedResource | undefined): { diskGb: number; diskType: string } {
    const ebs = template?.inputs.blockDeviceMappings?.[0]?.ebs;
    // Without a mapping, EKS and Amazon Linux AMIs boot from a 20 GB gp2 volume (EKS) or 8 GB gp2 (AL2023).
    return { diskGb: Number(ebs?.volumeSize ?? 20), diskType: ebs?.volumeType ?? "gp2" };
}

const EKS_EXTENDED_SUPPORT_PER_HOUR = PRICES.aws.eksControlPlaneExtendedSupportPerHour.usd;

/**
 * An EKS control plane at its rate on the day the prices were recorded: standard support, or
 * extended support for a version past it (EKS's calendar in components/versions.ts), unless its
 * upgrade policy is STANDARD, with which EKS upgrades it instead of billing extended support.
 */
function addEksControlPlane(estimate: Estimate, cluster: RecordedResource): void {
    estimate.notes.add(
        `EKS control-plane logs: ${dollars(PRICES.aws.cloudwatchLogIngestionPerGb.usd)} per GB ingested (an idle cluster writes little).`,
    );
    const version: string | undefined = cluster.inputs.version;
    const upgraded = cluster.inputs.upgradePolicy?.supportType === "STANDARD";
    // Without a version EKS creates its newest, in standard support.
    const support = version === undefined ? "standard" : eksSupportOn(version, PRICES.date);
    const window = version === undefined ? undefined : eksSupportWindow(version);
    if (version !== undefined && window === undefined) {
        estimate.notes.add(`Kubernetes ${version} (${cluster.name}) is not in EKS's support calendar (components/versions.ts): priced at standard support.`);
    }
    const extendedRate = ` (${dollars(EKS_EXTENDED_SUPPORT_PER_HOUR)} an hour instead of ${dollars(PRICES.aws.eksControlPlanePerHour.usd)})`;
    if (window && upgraded) {
        estimate.notes.add(`Kubernetes ${version}'s EKS standard support ends ${window.endOfStandardSupport}: EKS then upgrades ${cluster.name}'s `
            + "control plane to the next minor (upgradePolicy STANDARD) instead of billing extended support; node groups stay on their minor.");
    } else if (window) {
        estimate.notes.add(`Kubernetes ${version}'s EKS standard support ends ${window.endOfStandardSupport}: from then until ${window.endOfExtendedSupport} `
            + `${cluster.name}'s control plane is billed for extended support${extendedRate}, unless its upgradePolicy is STANDARD.`);
    }
    if (support === "unsupported") {
        estimate.notes.add(`Kubernetes ${version} is past EKS extended support on ${PRICES.date}: EKS creates no cluster of it.`);
    }
    if (!upgraded && (support === "extended" || support === "unsupported")) {
        estimate.add(`EKS control plane, extended support for Kubernetes ${version}`, cluster, EKS_EXTENDED_SUPPORT_PER_HOUR, "hour", 1);
    } else {
        estimate.add("EKS control plane", cluster, PRICES.aws.eksControlPlanePerHour.usd, "hour", 1);
    }
}

function awsCompute(estimate: Estimate, recording: Recording): void {
    const { nodes: warmNodes, seats: warmSeats } = warmSeatNodes(recording, "eks");
    for (const cluster of recording.ofType("eks:index:Cluster")) {
        addEksControlPlane(estimate, cluster);
        if (cluster.inputs.skipDefaultNodeGroup !== true) {
            const count = Number(cluster.inputs.desiredCapacity ?? 2);
            addMachines(estimate, cluster, "eks.Cluster's default node group", {
                cloud: "aws",
                type: cluster.inputs.instanceType ?? "t2.medium",
                floor: Number(cluster.inputs.minSize ?? count),
                ceiling: Number(cluster.inputs.maxSize ?? count),
                diskGb: Number(cluster.inputs.nodeRootVolumeSize ?? 20),
                diskType: "gp2",
                publicIp: true,
            });
        }
    }
    for (const group of recording.ofType("aws:eks/nodeGroup:NodeGroup")) {
        const template = recording.withId(LAUNCH_TEMPLATE, group.inputs.launchTemplate?.id);
        const scaling = group.inputs.scalingConfig ?? {};
        if (group.inputs.capacityType === "SPOT") {
            estimate.notes.add(`Spot node groups (${group.name}) are priced on demand: an upper bound.`);
        }
        const minimum = Number(scaling.minSize ?? 0);
        const warm = warmNodes.get(group) ?? 0;
        addMachines(estimate, group, `node group ${group.name}`, {
            cloud: "aws",
            type: group.inputs.instanceTypes?.[0] ?? template?.inputs.instanceType,
            floor: Math.max(minimum, warm),
            why: whyUp(minimum, warm, warmSeats.get(group)),
            ceiling: Number(scaling.maxSize ?? 0),
            ...launchTemplateDisk(template),
            publicIp: recording.publicSubnets(group.inputs.subnetIds),
        });
    }
    for (const group of recording.ofType("aws:autoscaling/group:Group")) {
        const template = recording.withId(LAUNCH_TEMPLATE, group.inputs.launchTemplate?.id);
        const minimum = Number(group.inputs.minSize ?? 0);
        addMachines(estimate, group, `Auto Scaling group ${group.name}`, {
            cloud: "aws",
            type: template?.inputs.instanceType,
            floor: minimum,
            why: whyUp(minimum, 0, undefined),
            ceiling: Number(group.inputs.maxSize ?? 0),
            ...launchTemplateDisk(template),
            publicIp: recording.publicSubnets(group.inputs.vpcZoneIdentifiers),
        });
    }
    const elasticIpInstances = new Set(recording.ofType("aws:ec2/eipAssociation:EipAssociation").map((a) => a.inputs.instanceId));
    for (const instance of recording.ofType("aws:ec2/instance:Instance")) {
        const root = instance.inputs.rootBlockDevice ?? {};
        addMachines(estimate, instance, `instance ${instance.name}`, {
            cloud: "aws",
            type: instance.inputs.instanceType,
            floor: 1,
            ceiling: 1,
            diskGb: Number(root.volumeSize ?? 8),
            diskType: root.volumeType ?? "gp3",
            publicIp: !elasticIpInstances.has(instance.id)
                && (instance.inputs.associatePublicIpAddress === true || recording.publicSubnets([instance.inputs.subnetId])),
        });
    }
}

function awsNetworkAndServices(estimate: Estimate, recording: Recording): void {
    for (const address of recording.ofType("aws:ec2/eip:Eip")) {
        estimate.add("Elastic IP (public IPv4)", address, PRICES.aws.publicIpv4PerHour.usd, "hour", 1);
    }
    for (const gateway of recording.ofType("aws:ec2/natGateway:NatGateway")) {
        estimate.add("NAT gateway", gateway, PRICES.aws.natGatewayPerHour.usd, "hour", 1);
        estimate.notes.add("NAT gateways also charge $0.045 per GB they process.");
    }
    for (const volume of recording.ofType("aws:ebs/volume:Volume")) {
        estimate.add(
            `EBS volume ${volume.name} (${volume.inputs.type ?? "gp3"})`,
            volume,
            lookup(PRICES.aws.volumesPerGbMonth.usd, volume.inputs.type ?? "gp3"),
            "GB-month",
            Number(volume.inputs.size ?? 0),
        );
    }
    if (recording.ofType("aws:efs/fileSystem:FileSystem").length > 0) {
        estimate.notes.add(
            `EFS is billed by what is stored: ${dollars(PRICES.aws.efsStandardPerGbMonth.usd)} per GB-month (much less once files move to infrequent access).`,
        );
    }
    for (const key of recording.ofType("aws:kms/key:Key")) {
        estimate.add("KMS key", key, PRICES.aws.kmsKeyPerMonth.usd, "month", 1);
        if (key.inputs.enableKeyRotation) {
            estimate.notes.add("A rotated KMS key costs $1 a month more for each yearly rotation (the first two rotations only).");
        }
    }
    if (recording.ofType("aws:backup/plan:Plan").length > 0) {
        estimate.notes.add(`Backups of student work: ${dollars(PRICES.aws.backupSnapshotPerGbMonth.usd)} per GB-month of recovery points kept.`);
    }
    for (const policy of recording.ofType("aws:autoscaling/policy:Policy")) {
        const metric = policy.inputs.targetTrackingConfiguration?.customizedMetricSpecification;
        if (metric?.namespace !== METRIC_NAMESPACE) {
            continue;
        }
        const putsPerMonth = HUB_METRICS.length * (HOURS * 60) / TIMER_PERIOD_MINUTES;
        estimate.add("CloudWatch: custom metrics the hub publishes", policy, PRICES.aws.cloudwatchCustomMetricPerMonth.usd, "month", HUB_METRICS.length);
        estimate.add("CloudWatch: the hub's metric puts", policy, PRICES.aws.cloudwatchPutRequestsPerThousand.usd, "1,000 requests", putsPerMonth / 1000);
        // Target tracking creates one alarm to scale out and one to scale in.
        estimate.add("CloudWatch: target-tracking alarms", policy, PRICES.aws.cloudwatchAlarmPerMonth.usd, "month", 2);
    }
}

/** A node pool's `nodeConfig.guestAccelerators` entry. */
interface GuestAccelerator {
    type: string;
    count?: number | string;
}

/**
 * The GKE free tier, on the management fees of the stack's zonal and Autopilot clusters, in the
 * stack's totals: a stack alone in its billing account is the common case.
 */
function addGkeFreeTier(estimate: Estimate, eligibleClusters: RecordedResource[]): void {
    if (eligibleClusters.length === 0) {
        return;
    }
    const perBillingAccount = PRICES.gcp.gkeFreeTierCreditPerMonth.usd;
    const clusterFee = round(PRICES.gcp.gkeClusterManagementPerHour.usd * HOURS);
    const eligibleFees = round(eligibleClusters.length * clusterFee);
    const credit = Math.min(perBillingAccount, eligibleFees);
    estimate.gkeFreeTier = { credit, eligibleFees, perBillingAccount };
    estimate.add("GKE free tier, if no other zonal or Autopilot cluster of this billing account claims it", eligibleClusters[0], -credit, "month", 1);
    estimate.notes.add(`The GKE free tier is ${dollars(perBillingAccount)} a month per billing account, on the fees of its zonal and Autopilot clusters: `
        + "the totals take it off as if no other stack's such cluster were billed to this account; each that is costs up to "
        + `${dollars(clusterFee)} a month more (course-hubs plan <stack> <stack> ... totals stacks with the credit once per billing account).`);
}

function gcpCompute(estimate: Estimate, recording: Recording): { floorNodes: number; ceilingNodes: number } {
    const clusters = recording.ofType("gcp:container/cluster:Cluster");
    for (const cluster of clusters) {
        estimate.add("GKE cluster management", cluster, PRICES.gcp.gkeClusterManagementPerHour.usd, "hour", 1);
    }
    addGkeFreeTier(estimate, clusters.filter((c) => isZone(c.inputs.location ?? "") || c.inputs.enableAutopilot === true));
    const { nodes: warmNodes, seats: warmSeats } = warmSeatNodes(recording, "gke");
    let floorNodes = 0;
    let ceilingNodes = 0;
    for (const pool of recording.ofType("gcp:container/nodePool:NodePool")) {
        const cluster = clusters.find((c) => c.inputs.name === pool.inputs.cluster);
        const zones = (pool.inputs.nodeLocations ?? cluster?.inputs.nodeLocations)?.length
            ?? (isZone(pool.inputs.location ?? cluster?.inputs.location ?? "") ? 1 : 3);
        const autoscaling = pool.inputs.autoscaling;
        const fixed = Number(pool.inputs.nodeCount ?? pool.inputs.initialNodeCount ?? 1) * zones;
        const minimum = autoscaling ? Number(autoscaling.totalMinNodeCount ?? Number(autoscaling.minNodeCount ?? 0) * zones) : fixed;
        const warm = warmNodes.get(pool) ?? 0;
        const floor = Math.max(minimum, warm);
        const ceiling = autoscaling ? Number(autoscaling.totalMaxNodeCount ?? Number(autoscaling.maxNodeCount ?? 0) * zones) : fixed;
        const node = pool.inputs.nodeConfig ?? {};
        if (node.spot === true || node.preemptible === true) {
            estimate.notes.add(`Spot node pools (${pool.name}) are priced on demand: an upper bound.`);
        }
        addMachines(estimate, pool, `node pool ${pool.name}`, {
            cloud: "gcp",
            type: node.machineType ?? "e2-medium",
            floor,
            ceiling,
            why: autoscaling ? whyUp(minimum, warm, warmSeats.get(pool)) : undefined,
            diskGb: Number(node.diskSizeGb ?? 100),
            diskType: node.diskType ?? "pd-balanced",
            publicIp: cluster?.inputs.privateClusterConfig?.enablePrivateNodes !== true,
            gpus: (node.guestAccelerators ?? []).map((gpu: GuestAccelerator) => ({ type: gpu.type, count: Number(gpu.count ?? 1) })),
        });
        floorNodes += floor;
        ceilingNodes += ceiling;
    }
    return { floorNodes, ceilingNodes };
}

function gcpNetworkAndServices(estimate: Estimate, recording: Recording, nodes: { floorNodes: number; ceilingNodes: number }): void {
    const releases = recording.ofType("kubernetes:helm.sh/v3:Release");
    for (const address of recording.ofType("gcp:compute/address:Address").filter((a) => (a.inputs.addressType ?? "EXTERNAL") === "EXTERNAL")) {
        // A release that takes the address as an input puts it on its load balancer (StaticIpIngress's
        // controller, GkeHub's hub): GCP bills no address that a forwarding rule holds, reserved or not.
        if (releases.some((release) => release.dependencies.includes(address.urn))) {
            estimate.add("static external IPv4 address on a load balancer (no charge while its forwarding rule holds it)", address, 0, "hour", 1);
            estimate.notes.add("A reserved address that no forwarding rule or VM holds, as one kept from term to term, costs $0.01 an hour ($7.30 a month).");
        } else {
            estimate.add("static external IPv4 address (in use)", address, PRICES.gcp.externalIpv4PerHour.usd, "hour", 1);
        }
    }
    // Cloud NAT is billed per VM that uses it, up to 32 VMs per gateway.
    for (const nat of recording.ofType("gcp:compute/routerNat:RouterNat")) {
        estimate.add(
            "Cloud NAT, per node using it",
            nat,
            PRICES.gcp.cloudNatPerVmHour.usd,
            "hour",
            Math.min(nodes.floorNodes, 32),
            Math.min(nodes.ceilingNodes, 32),
        );
        estimate.notes.add("Cloud NAT also charges $0.045 per GB it processes.");
    }
    if (recording.ofType("gcp:gkebackup/backupPlan:BackupPlan").length > 0) {
        estimate.notes.add(`Backup for GKE bills per protected pod and per GB of backups kept: see ${PRICES.gcp.gkeClusterManagementPerHour.source}.`);
    }
    for (const share of recording.ofType("gcp:filestore/instance:Instance")) {
        const tier = share.inputs.tier === "BASIC_SSD" ? "premium" : "standard";
        const gib = (share.inputs.fileShares?.capacityGb ?? 1024) as number;
        estimate.add(`Filestore ${share.inputs.tier ?? "BASIC_HDD"} share`, share, lookup(PRICES.gcp.filestorePerGibMonth.usd, tier), "GB-month", gib);
    }
}

/** The monthly price of a GiB on a storage class, or why there is none. */
function storageRate(recording: Recording, className: string | undefined): { price?: number; kind: string } {
    const storageClass = recording.storageClass(className);
    const provisioner: string = storageClass?.inputs.provisioner ?? "";
    const parameters = storageClass?.inputs.parameters ?? {};
    if (provisioner === "ebs.csi.aws.com") {
        return { price: lookup(PRICES.aws.volumesPerGbMonth.usd, parameters.type ?? "gp3"), kind: `EBS ${parameters.type ?? "gp3"}` };
    }
    if (provisioner === "pd.csi.storage.gke.io") {
        return { price: lookup(PRICES.gcp.disksPerGbMonth.usd, parameters.type ?? "pd-balanced"), kind: parameters.type ?? "pd-balanced" };
    }
    if (provisioner === "filestore.csi.storage.gke.io") {
        return { price: lookup(PRICES.gcp.filestorePerGibMonth.usd, parameters.tier ?? "standard"), kind: `Filestore ${parameters.tier ?? "standard"}` };
    }
    if (provisioner === "efs.csi.aws.com") {
        return { price: 0, kind: "EFS (billed by what is stored)" };
    }
    // A class this stack does not create: the cluster's own, on a cloud the plan may not know.
    if (recording.cloud === "aws") {
        return { price: PRICES.aws.volumesPerGbMonth.usd.gp3, kind: `the cluster's ${className ?? "default"} class, priced as EBS gp3` };
    }
    if (recording.cloud === "gcp") {
        return { price: PRICES.gcp.disksPerGbMonth.usd["pd-balanced"], kind: `the cluster's ${className ?? "default"} class, priced as pd-balanced` };
    }
    const dearer = Math.max(PRICES.aws.volumesPerGbMonth.usd.gp3, PRICES.gcp.disksPerGbMonth.usd["pd-balanced"]);
    return { price: dearer, kind: `the cluster's ${className ?? "default"} class, priced at the dearer of EBS gp3 and pd-balanced` };
}

/** Every `type: LoadBalancer` service a chart's values ask for, with its annotations. */
function loadBalancerServices(values: unknown): Record<string, string>[] {
    const found: Record<string, string>[] = [];
    const walk = (node: unknown) => {
        if (Array.isArray(node)) {
            node.forEach(walk);
        } else if (typeof node === "object" && node !== null) {
            const object = node as Record<string, unknown>;
            if (object.type === "LoadBalancer") {
                found.push((object.annotations ?? {}) as Record<string, string>);
            }
            Object.values(object).forEach(walk);
        }
    };
    walk(values);
    return found;
}

function kubernetesObjects(estimate: Estimate, recording: Recording): void {
    for (const claim of recording.ofType("kubernetes:core/v1:PersistentVolumeClaim")) {
        // The empty class binds a volume made beforehand (the NFS volume of shared homes), never a
        // new disk: the disk behind it is billed as a claim of its own, counted here.
        if (claim.inputs.spec?.storageClassName === "") {
            continue;
        }
        const rate = storageRate(recording, claim.inputs.spec?.storageClassName);
        const gib = gibibytes(claim.inputs.spec?.resources?.requests?.storage ?? "0");
        estimate.add(`volume ${claim.inputs.metadata?.name ?? claim.name} on ${rate.kind}`, claim, rate.price, "GB-month", gib);
    }
    for (const release of recording.ofType("kubernetes:helm.sh/v3:Release")) {
        const values = releaseValues(release);
        for (const annotations of loadBalancerServices(values)) {
            addLoadBalancer(estimate, recording, release, annotations);
        }
        if (release.inputs.chart === "jupyterhub") {
            hubVolumes(estimate, recording, release, values);
        }
    }
}

function addLoadBalancer(estimate: Estimate, recording: Recording, release: RecordedResource, annotations: Record<string, string>): void {
    const item = `load balancer of ${release.name}`;
    if (recording.cloud === "gcp") {
        // Its address, ephemeral or reserved, costs nothing while the forwarding rule holds it.
        estimate.add(`${item}: forwarding rule`, release, PRICES.gcp.forwardingRulePerHour.usd, "hour", 1);
        estimate.notes.add(
            "GCP forwarding rules carry no labels: GKE puts none on a LoadBalancer Service's, and no Service annotation asks it to, "
            + `so billing ties its ${dollars(PRICES.gcp.forwardingRulePerHour.usd)} an hour to no course. Course labels reach billing on the reserved `
            + "address (free while the rule holds it) and, with GKE cost allocation on (GkeHub's clusters), on the nodes' cost by namespace and label.",
        );
    } else if (recording.cloud === "aws") {
        estimate.add(`${item}: network load balancer`, release, PRICES.aws.networkLoadBalancerPerHour.usd, "hour", 1);
        const internal = annotations["service.beta.kubernetes.io/aws-load-balancer-internal"] === "true"
            || annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] === "internal";
        // With Elastic IPs allocated to it, its addresses are the stack's Eip resources.
        if (!internal && !annotations["service.beta.kubernetes.io/aws-load-balancer-eip-allocations"]) {
            const subnets = annotations["service.beta.kubernetes.io/aws-load-balancer-subnets"]?.split(",").length
                ?? recording.ofType("aws:ec2/subnet:Subnet").filter((s) => s.inputs.mapPublicIpOnLaunch === true).length;
            estimate.add(`${item}: public IPv4 address per zone`, release, PRICES.aws.publicIpv4PerHour.usd, "hour", Math.max(subnets, 1));
        }
        estimate.notes.add("Load balancers also charge per capacity unit used (negligible while idle) and for traffic out.");
    } else {
        const dearer = Math.max(PRICES.gcp.forwardingRulePerHour.usd, PRICES.aws.networkLoadBalancerPerHour.usd + PRICES.aws.publicIpv4PerHour.usd);
        estimate.add(`${item}, on a cloud this stack does not name (priced at the dearer of AWS and GCP)`, release, dearer, "hour", 1);
    }
}

/** The parts of the jupyterhub chart's values that decide its volumes. */
interface HubValues {
    hub?: { db?: { type?: string; pvc?: { storageClassName?: string; storage?: string } } };
    singleuser?: { storage?: { type?: string; capacity?: string; dynamic?: { storageClass?: string } } };
}

/** The hub's database volume (always there) and the note on students' home volumes (billed as they appear). */
function hubVolumes(estimate: Estimate, recording: Recording, release: RecordedResource, values: HubValues): void {
    const db = values.hub?.db ?? {};
    if ((db.type ?? "sqlite-pvc") === "sqlite-pvc") {
        const rate = storageRate(recording, db.pvc?.storageClassName);
        // 1Gi is the chart's default size (z2jh values.yaml, hub.db.pvc.storage).
        estimate.add(`hub database volume on ${rate.kind}`, release, rate.price, "GB-month", gibibytes(db.pvc?.storage ?? "1Gi"));
    }
    const storage = values.singleuser?.storage ?? {};
    if ((storage.type ?? "dynamic") === "dynamic") {
        const rate = storageRate(recording, storage.dynamic?.storageClass);
        const gib = gibibytes(storage.capacity ?? "10Gi");
        estimate.perStudentMonthly = (estimate.perStudentMonthly ?? 0) + (rate.price ?? 0) * gib;
        estimate.notes.add(
            `Each student who logs in to ${release.name} keeps a ${gib} GiB home volume on ${rate.kind}: ${dollars((rate.price ?? 0) * gib)} a month each until the stack is destroyed.`,
        );
    } else if (storage.type === "static") {
        estimate.notes.add(
            `Homes of ${release.name} are folders on one shared file system, whose volume is counted whole from the first day: no volume per student.`,
        );
    }
}

/** The monthly floor and ceiling of what a plan recorded, line by line. */
export function estimateCost(resources: RecordedResource[], config: Record<string, string>): CostEstimate {
    const recording = new Recording(resources);
    const estimate = new Estimate();
    awsCompute(estimate, recording);
    awsNetworkAndServices(estimate, recording);
    const nodes = gcpCompute(estimate, recording);
    gcpNetworkAndServices(estimate, recording, nodes);
    kubernetesObjects(estimate, recording);
    const region = config["aws:region"] ?? config["gcp:region"] ?? (config["gcp:zone"] && regionOfZone(config["gcp:zone"]));
    const priced = recording.cloud ? PRICES[recording.cloud].region : undefined;
    if (region && priced && region !== priced) {
        estimate.notes.add(`Prices are ${priced}'s; ${region} may differ.`);
    }
    const sum = (pick: (line: CostLine) => number) => round(estimate.lines.reduce((total, line) => total + pick(line), 0));
    return {
        currency: "USD",
        hoursPerMonth: HOURS,
        prices: { date: PRICES.date, aws: PRICES.aws.region, gcp: PRICES.gcp.region },
        lines: estimate.lines,
        floor: sum((line) => line.floor),
        ceiling: sum((line) => line.ceiling),
        notes: [...estimate.notes],
        ...(estimate.perStudentMonthly !== undefined ? { perStudentMonthly: round(estimate.perStudentMonthly) } : {}),
        ...(estimate.gkeFreeTier !== undefined ? { gkeFreeTier: estimate.gkeFreeTier } : {}),
    };
}
