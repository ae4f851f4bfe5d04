import CATALOG from "./machine-table.json";

/*
 * The machine types course-hubs knows, one table for both clouds (machine-table.json): what a node
 * of each type holds (vCPUs, memory, architecture), what it costs an hour on demand in the table's
 * region, and on AWS the network interfaces that bound its pods on the VPC CNI. The offline plan
 * prices machines from it; EksHub, GkeHub and EC2AutoscaleHub check node types and choose their
 * default user nodes with it.
 */

/** The clouds whose machine types the table holds. */
export type Cloud = "aws" | "gcp";

/** A CPU architecture, as the clouds name it. */
export type Architecture = "x86_64" | "arm64";

/** One machine type of one cloud. */
export interface MachineType {
    name: string;
    cloud: Cloud;
    vcpus: number;
    /** Memory as the cloud states it (the kernel reports a little less). */
    memoryGiB: number;
    arch: Architecture;
    /** On-demand list price per hour in the table's region; undefined where the table has none. */
    usdPerHour?: number;
    /** AWS: network interfaces, and IPv4 addresses on each, which bound pods on the VPC CNI. */
    enis?: number;
    ipv4PerEni?: number;
    /** AWS: false for a Xen type (t2), which takes no prefix delegation. @default true */
    nitro?: boolean;
    /** CPU credits or shared cores: fine for a hub, wrong for students' servers, which run flat out in a lecture. */
    burstable?: boolean;
    /** GPUs the type carries. @default 0 */
    gpus?: number;
}

/** When the table's prices were recorded, and for which region of each cloud. */
export const MACHINE_PRICES = { date: CATALOG.date, regions: { aws: CATALOG.aws.region, gcp: CATALOG.gcp.region } } as const;

const TYPES: Record<Cloud, Map<string, MachineType>> = {
    aws: tableOf("aws", CATALOG.aws.types),
    gcp: tableOf("gcp", CATALOG.gcp.types),
};

function tableOf(cloud: Cloud, types: Record<string, Omit<MachineType, "name" | "cloud" | "arch"> & { arch: string }>): Map<string, MachineType> {
    return new Map(Object.entries(types).map(([name, type]) => [name, { ...type, name, cloud, arch: type.arch as Architecture }]));
}

/** A machine type by its name, or undefined when the table does not hold it. */
export function machineType(cloud: Cloud, name: string): MachineType | undefined {
    return TYPES[cloud].get(name);
}

/** Every machine type of a cloud that the table holds. */
export function machineTypes(cloud: Cloud): MachineType[] {
    return [...TYPES[cloud].values()];
}
