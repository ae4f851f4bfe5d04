import * as pulumi from "@pulumi/pulumi";
import { parseByteSize, resolveHubSpec } from "../hub/defaults";
import { HubSpec } from "../hub/spec";
import { ec2Capabilities, hubArgsProblems } from "../platforms";
import { Problem, ProblemCollector } from "../validation";
import {
    UserGroupCapacity, defaultSeatRequest, defaultUserNodeType, seatsIn, userCapacity, userCapacityProblems, userNodeRoom, withStatedSeats,
} from "../capacity";
import { machineType } from "../machine-types";
import { EC2AutoscaleHubArgs, EC2_DEFAULTS, Ec2WorkerOptions } from "./ec2-args";

/**
 * Servers one worker of this type holds for the spec's guarantees, or undefined if the machine
 * table does not know the type.
 */
export function serversPerWorker(instanceType: string, spec: HubSpec): number | undefined {
    const type = machineType("aws", instanceType);
    return type && seatsIn(userNodeRoom("ec2", type, false), defaultSeatRequest(spec)).seats;
}

/**
 * Seats on the workers, as {@link userCapacity} says them, with `serversPerWorker` standing for
 * the table's figure when the course states it.
 */
export function workerCapacity(spec: HubSpec, workers: Ec2WorkerOptions): UserGroupCapacity[] {
    return userCapacity("ec2", spec, [workerInstanceType(workers, spec)], workers.maxCount ?? EC2_DEFAULTS.workers.maxCount)
        .map((capacity) => withStatedSeats(capacity, workers.serversPerWorker));
}

/** The workers' instance type: the given one, else the cheapest per seat for the spec's server. */
export function workerInstanceType(workers: Ec2WorkerOptions, spec: HubSpec): string {
    // Validation refuses a spec whose server no default type holds.
    return workers.instanceType ?? defaultUserNodeType("ec2", spec)!;
}

/**
 * Checks `EC2AutoscaleHub` arguments, the spec among them, and returns every problem; pure. Their
 * shape is checked against schema/ec2-hub-args.json; the rules here are what a schema cannot say.
 */
export function validateEc2HubArgs(args: unknown): Problem[] {
    return hubArgsProblems<EC2AutoscaleHubArgs>("ec2-hub-args.json", args, ec2Capabilities, ({ args: ec2, valid, specValid, renderableSpec, check }) => {
        const spec = specValid ? ec2.spec : undefined;
        if (valid("network")) {
            checkSubnetVpcs(check, ec2.network);
        }
        const memoryGuarantee = spec && resolveHubSpec(spec).resources.memoryGuarantee;
        if (memoryGuarantee && valid("hub") && ec2.workers === false) {
            const type = ec2.hub?.instanceType ?? EC2_DEFAULTS.hub.instanceType;
            const memory = machineType("aws", type)?.memoryGiB;
            if (memory !== undefined && memory - EC2_DEFAULTS.reservedGiB.hub < parseByteSize(memoryGuarantee) / 1024 ** 3) {
                check.add("hub.instanceType", `${type} has ${memory} GiB: in single-VM mode it must hold the hub and at least one server ` +
                `(${memoryGuarantee} guaranteed); choose a larger type or leave out workers: false`);
            }
        }
        if (valid("workers") && ec2.workers) {
            const workers = ec2.workers;
            const maxCount = workers.maxCount ?? EC2_DEFAULTS.workers.maxCount;
            if (workers.minCount !== undefined && maxCount < workers.minCount) {
                check.add("workers.maxCount", `${maxCount} is below minCount ${workers.minCount}`);
            }
            if (renderableSpec) {
                checkWorkerSeats(check, renderableSpec, workers, maxCount);
            }
        }
    });
}

/**
 * The workers must hold one server each, and the ready seats at their maximum; a type the machine
 * table does not know needs `serversPerWorker`, which then stands for what a worker holds.
 */
function checkWorkerSeats(check: ProblemCollector, spec: HubSpec, workers: Ec2WorkerOptions, maxCount: number): void {
    const given = workers.instanceType;
    if (given !== undefined && machineType("aws", given) === undefined && workers.serversPerWorker === undefined) {
        check.add("workers.serversPerWorker", `is required for ${given}, which the machine table (components/machine-table.json) does not know`);
        return;
    }
    check.problems.push(...userCapacityProblems("ec2", spec, given === undefined ? undefined : [given], maxCount,
        { maxCount: "workers.maxCount", instanceType: "workers.instanceType" }, workers.serversPerWorker));
}

/** Every subnet of an existing VPC must be in it (an Output is checked by the cloud instead). */
function checkSubnetVpcs(check: ProblemCollector, network: EC2AutoscaleHubArgs["network"]): void {
    if (network === undefined || !("vpcId" in network) || pulumi.Output.isInstance(network.vpcId)) {
        return;
    }
    const subnets: [string, { vpcId: unknown }][] = [
        ["network.hubSubnet", network.hubSubnet],
        ...network.workerSubnets.map((s, i) => [`network.workerSubnets[${i}]`, s] as [string, { vpcId: unknown }]),
    ];
    for (const [path, subnet] of subnets) {
        if (!pulumi.Output.isInstance(subnet.vpcId) && subnet.vpcId !== network.vpcId) {
            check.add(`${path}.vpcId`, `the subnet is in ${subnet.vpcId}, not in network.vpcId ${network.vpcId}`);
        }
    }
}
