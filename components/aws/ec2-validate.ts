import * as pulumi from "@pulumi/pulumi";
import { parseByteSize, resolveHubSpec } from "../hub/defaults";
import { HubSpec } from "../hub/spec";
import { ec2Capabilities, hubArgsProblems } from "../platforms";
import { Problem, ProblemCollector } from "../validation";
import { EC2AutoscaleHubArgs, EC2_DEFAULTS, INSTANCE_MEMORY_GIB } from "./ec2-args";

const GIB = 1024 ** 3;

/**
 * Servers one worker of this type holds for the spec's memory guarantee, or undefined if the
 * type's memory is not known.
 */
export function serversPerWorker(instanceType: string, spec: HubSpec): number | undefined {
    const memory = INSTANCE_MEMORY_GIB[instanceType];
    if (memory === undefined) {
        return undefined;
    }
    const guarantee = parseByteSize(resolveHubSpec(spec).resources.memoryGuarantee) / GIB;
    return Math.floor((memory - EC2_DEFAULTS.reservedGiB.worker) / guarantee);
}

/**
 * Checks `EC2AutoscaleHub` arguments, the spec among them, and returns every problem; pure. Their
 * shape is checked against schema/ec2-hub-args.json; the rules here are what a schema cannot say.
 */
export function validateEc2HubArgs(args: unknown): Problem[] {
    return hubArgsProblems<EC2AutoscaleHubArgs>("ec2-hub-args.json", args, ec2Capabilities, ({ args: ec2, valid, specValid, check }) => {
        const spec = specValid ? ec2.spec : undefined;
        if (valid("network")) {
            checkSubnetVpcs(check, ec2.network);
        }
        const memoryGuarantee = spec && resolveHubSpec(spec).resources.memoryGuarantee;
        if (memoryGuarantee && valid("hub") && ec2.workers === false) {
            const type = ec2.hub?.instanceType ?? EC2_DEFAULTS.hub.instanceType;
            const memory = INSTANCE_MEMORY_GIB[type];
            if (memory !== undefined && memory - EC2_DEFAULTS.reservedGiB.hub < parseByteSize(memoryGuarantee) / GIB) {
                check.add("hub.instanceType", `${type} has ${memory} GiB: in single-VM mode it must hold the hub and at least one server ` +
                `(${memoryGuarantee} guaranteed); choose a larger type or leave out workers: false`);
            }
        }
        if (valid("workers") && ec2.workers) {
            const workers = ec2.workers;
            const type = workers.instanceType ?? EC2_DEFAULTS.workers.instanceType;
            const maxCount = workers.maxCount ?? EC2_DEFAULTS.workers.maxCount;
            if (workers.minCount !== undefined && maxCount < workers.minCount) {
                check.add("workers.maxCount", `${maxCount} is below minCount ${workers.minCount}`);
            }
            const fits = spec && workers.serversPerWorker === undefined ? serversPerWorker(type, spec) : undefined;
            if (spec && workers.serversPerWorker === undefined && fits === undefined) {
                check.add("workers.serversPerWorker", `is required for ${type}, whose memory is not in the built-in table`);
            } else if (fits !== undefined && fits < 1) {
                check.add("workers.instanceType", `${type} has ${INSTANCE_MEMORY_GIB[type]} GiB, too little for one server with ` +
                `${memoryGuarantee} guaranteed; choose a larger type or lower spec.server.resources.memoryGuarantee`);
            }
        }
    });
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
