import * as pulumi from "@pulumi/pulumi";
import { parseByteSize, resolveHubSpec } from "../hub/defaults";
import { vmProblems } from "../hub/jupyterhub-config";
import { HubSpec } from "../hub/spec";
import { validateHubSpec } from "../hub/validate";
import { Problem, ProblemCollector } from "../validation";
import { INSTANCE_TYPE_PATTERN } from "./instance-types";
import { EC2_DEFAULTS, INSTANCE_MEMORY_GIB } from "./ec2-args";

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

/** Checks `EC2AutoscaleHub` arguments, the spec among them, and returns every problem; pure. */
export function validateEc2HubArgs(args: unknown): Problem[] {
    const check = new ProblemCollector();
    if (!check.isObject("args", args)) {
        return check.problems;
    }
    check.knownKeys("args", args, ["spec", "network", "hub", "workers", "keepStudentWork"]);
    const specProblems = validateHubSpec(args.spec, "spec");
    check.problems.push(...specProblems);
    const spec = specProblems.length === 0 ? args.spec as HubSpec : undefined;
    if (spec) {
        check.problems.push(...vmProblems(spec, "spec"));
    }
    checkNetwork(check, args.network);

    const hub = args.hub ?? {};
    if (check.isObject("hub", hub)) {
        check.knownKeys("hub", hub, ["instanceType", "diskSizeGiB"]);
        const type = hub.instanceType ?? EC2_DEFAULTS.hub.instanceType;
        check.isString("hub.instanceType", type, INSTANCE_TYPE_PATTERN, "use an EC2 instance type such as t4g.small");
        if (hub.diskSizeGiB !== undefined) {
            check.isNumber("hub.diskSizeGiB", hub.diskSizeGiB, 8, 1000, true);
        }
        const memory = INSTANCE_MEMORY_GIB[String(type)];
        if (spec && args.workers === false && memory !== undefined) {
            const guarantee = parseByteSize(resolveHubSpec(spec).resources.memoryGuarantee) / GIB;
            if (memory - EC2_DEFAULTS.reservedGiB.hub < guarantee) {
                check.add("hub.instanceType", `${type} has ${memory} GiB: in single-VM mode it must hold the hub and at least one server ` +
                    `(${resolveHubSpec(spec).resources.memoryGuarantee} guaranteed); choose a larger type or leave out workers: false`);
            }
        }
    }

    if (args.workers === true) {
        check.add("workers", "must be worker options ({ instanceType, maxCount, ... }) or false for single-VM mode; leave it out for the default group");
    } else if (args.workers !== undefined && args.workers !== false && check.isObject("workers", args.workers)) {
        const workers = args.workers;
        check.knownKeys("workers", workers, ["instanceType", "minCount", "maxCount", "serversPerWorker", "diskSizeGiB"]);
        const type = workers.instanceType ?? EC2_DEFAULTS.workers.instanceType;
        const typeOk = check.isString("workers.instanceType", type, INSTANCE_TYPE_PATTERN, "use an EC2 instance type such as m6i.xlarge");
        const maxCount = workers.maxCount ?? EC2_DEFAULTS.workers.maxCount;
        const maxOk = check.isNumber("workers.maxCount", maxCount, 1, 100, true);
        if (workers.minCount !== undefined && check.isNumber("workers.minCount", workers.minCount, 0, 100, true) && maxOk && maxCount < workers.minCount) {
            check.add("workers.maxCount", `${maxCount} is below minCount ${workers.minCount}`);
        }
        if (workers.diskSizeGiB !== undefined) {
            check.isNumber("workers.diskSizeGiB", workers.diskSizeGiB, 20, 1000, true);
        }
        if (workers.serversPerWorker !== undefined) {
            check.isNumber("workers.serversPerWorker", workers.serversPerWorker, 1, 200, true);
        } else if (typeOk && spec) {
            const fits = serversPerWorker(type, spec);
            if (fits === undefined) {
                check.add("workers.serversPerWorker", `is required for ${type}, whose memory is not in the built-in table`);
            } else if (fits < 1) {
                check.add("workers.instanceType", `${type} has ${INSTANCE_MEMORY_GIB[type]} GiB, too little for one server with ` +
                    `${resolveHubSpec(spec).resources.memoryGuarantee} guaranteed; choose a larger type or lower spec.server.resources.memoryGuarantee`);
            }
        }
    }
    if (args.keepStudentWork !== undefined) {
        check.isBoolean("keepStudentWork", args.keepStudentWork);
    }
    return check.problems;
}

function checkNetwork(check: ProblemCollector, network: unknown): void {
    if (network === undefined || !check.isObject("network", network)) {
        return;
    }
    if (!("vpcId" in network)) {
        check.knownKeys("network", network, ["cidrBlock", "zoneCount"]);
        if (network.cidrBlock !== undefined) {
            check.isCidr("network.cidrBlock", network.cidrBlock, 16, 20);
        }
        if (network.zoneCount !== undefined) {
            check.isNumber("network.zoneCount", network.zoneCount, 1, 6, true);
        }
        return;
    }
    check.knownKeys("network", network, ["vpcId", "hubSubnet", "workerSubnets"]);
    const vpcId = network.vpcId;
    const checkSubnet = (path: string, subnet: unknown) => {
        if (!check.isObject(path, subnet)) {
            return;
        }
        check.knownKeys(path, subnet, ["id", "vpcId"]);
        check.present(`${path}.id`, subnet.id);
        if (check.present(`${path}.vpcId`, subnet.vpcId) && !pulumi.Output.isInstance(subnet.vpcId) && !pulumi.Output.isInstance(vpcId)
            && subnet.vpcId !== vpcId) {
            check.add(`${path}.vpcId`, `the subnet is in ${subnet.vpcId}, not in network.vpcId ${vpcId}`);
        }
    };
    checkSubnet("network.hubSubnet", network.hubSubnet);
    if (network.workerSubnets !== undefined) {
        check.isArray("network.workerSubnets", network.workerSubnets, checkSubnet);
    }
}
