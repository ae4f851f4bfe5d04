import * as pulumi from "@pulumi/pulumi";
import { validateHubSpec } from "../hub/validate";
import { platformProblems } from "../hub/z2jh";
import { ROUTE53_ZONE, checkIngressOptions } from "../ingress/options";
import { Problem, ProblemCollector, checkApiAccessCidrs, checkNotebookBucketAccess } from "../validation";
import { INSTANCE_TYPE_PATTERN } from "./instance-types";
import { EKS_DEFAULTS } from "./eks-args";

const INSTANCE_TYPE_HELP = "use an EC2 instance type such as m6i.xlarge";

/**
 * Checks `EksHub` arguments, the spec among them, and returns every problem with its argument
 * path. Pure: creates nothing.
 */
export function validateEksHubArgs(args: unknown): Problem[] {
    const check = new ProblemCollector();
    if (!check.isObject("args", args)) {
        return check.problems;
    }
    check.knownKeys("args", args, [
        "spec", "network", "privateNodes", "kubernetesVersion", "apiAccessCidrs", "adminRoleArns", "coreNodes", "userNodes",
        "gpuNodes", "maxNodes", "certificateArn", "ingress", "notebookS3Access", "keepStudentWork", "clusterAutoscaler",
    ]);
    const specProblems = validateHubSpec(args.spec, "spec");
    check.problems.push(...specProblems);
    const spec = args.spec as Record<string, any> | undefined;
    if (specProblems.length === 0 && spec) {
        // What EksHub offers: EFS for shared storage, a GPU group and an ingress when asked; offload is checked below.
        const offer = {
            sharedStorageClass: "efs",
            proxyService: { annotations: { offload: "checked below" } },
            gpu: args.gpuNodes ? {} : undefined,
            ingress: args.ingress ? {} : undefined,
        };
        check.problems.push(...platformProblems(spec as any, offer, "spec").map((p) =>
            p.propertyPath.endsWith(".gpus") ? { ...p, reason: `${p.reason}: add gpuNodes` }
                : p.propertyPath === "spec.https.mode" && httpsModeOf(spec) === "ingress" ? { ...p, reason: "\"ingress\" needs the ingress option (a StaticIpIngress on this cluster)" }
                    : p));
    }
    checkIngressOptions(check, args.ingress, httpsModeOf(spec), ROUTE53_ZONE);
    const httpsMode = httpsModeOf(spec);
    if (httpsMode === "offload" && args.certificateArn === undefined) {
        check.add("certificateArn", "spec.https.mode is \"offload\": give the ACM certificate ARN the load balancer presents");
    }
    if (httpsMode !== undefined && httpsMode !== "offload" && args.certificateArn !== undefined) {
        check.add("certificateArn", `is used only with spec.https.mode "offload" (the spec says "${httpsMode}")`);
    }
    if (args.privateNodes !== undefined) {
        check.isBoolean("privateNodes", args.privateNodes);
    }
    checkNetwork(check, args.network, args.privateNodes === true);
    if (args.kubernetesVersion !== undefined) {
        check.isString("kubernetesVersion", args.kubernetesVersion, /^1\.\d{2}$/, "use a minor version such as \"1.35\"");
    }
    checkApiAccessCidrs(check, args.apiAccessCidrs);
    if (args.adminRoleArns !== undefined) {
        check.isArray("adminRoleArns", args.adminRoleArns, (p, arn) =>
            check.isString(p, arn, /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "use an IAM role ARN, arn:aws:iam::123456789012:role/name"));
    }
    const nodeCount = checkNodeGroups(check, args);
    const maxNodes = args.maxNodes ?? EKS_DEFAULTS.maxNodes;
    if (check.isNumber("maxNodes", maxNodes, 1, 1000, true) && nodeCount.total > maxNodes) {
        check.add("maxNodes", `the node groups can reach ${nodeCount.total} nodes (${nodeCount.parts}), more than maxNodes ${maxNodes}: lower a group's maximum or raise maxNodes`);
    }
    checkNotebookBucketAccess(check, args.notebookS3Access, spec, {
        component: "EksHub", option: "notebookS3Access", listKey: "bucketArns",
        pattern: /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, help: "use a bucket ARN, arn:aws:s3:::bucket-name",
    });
    if (args.keepStudentWork !== undefined) {
        check.isBoolean("keepStudentWork", args.keepStudentWork);
    }
    if (args.clusterAutoscaler !== undefined && check.isObject("clusterAutoscaler", args.clusterAutoscaler)) {
        check.knownKeys("clusterAutoscaler", args.clusterAutoscaler, ["chartVersion", "imageTag"]);
        if (args.clusterAutoscaler.chartVersion !== undefined) {
            check.isString("clusterAutoscaler.chartVersion", args.clusterAutoscaler.chartVersion, /^\d+\.\d+\.\d+$/, "use a chart version such as 9.52.1");
        }
        if (args.clusterAutoscaler.imageTag !== undefined) {
            check.isString("clusterAutoscaler.imageTag", args.clusterAutoscaler.imageTag, /^v\d+\.\d+\.\d+$/, "use an image tag such as v1.35.0");
        }
    }
    return check.problems;
}

function httpsModeOf(spec: Record<string, any> | undefined): unknown {
    return spec?.https?.mode;
}

function checkNetwork(check: ProblemCollector, network: unknown, privateNodes: boolean): void {
    if (network === undefined) {
        return;
    }
    if (!check.isObject("network", network)) {
        return;
    }
    if ("vpcId" in network) {
        check.knownKeys("network", network, ["vpcId", "publicSubnets", "privateSubnets"]);
        if (!pulumi.Output.isInstance(network.vpcId)) {
            check.isString("network.vpcId", network.vpcId, /^vpc-[0-9a-f]+$/, "use a VPC ID, vpc-...");
        }
        const zonesOf = (key: "publicSubnets" | "privateSubnets"): Set<string> => {
            const zones = new Set<string>();
            if (network[key] === undefined) {
                return zones;
            }
            check.isArray(`network.${key}`, network[key], (p, subnet) => {
                if (check.isObject(p, subnet)) {
                    check.knownKeys(p, subnet, ["id", "availabilityZone"]);
                    check.present(`${p}.id`, subnet.id);
                    if (check.isString(`${p}.availabilityZone`, subnet.availabilityZone, /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, "use a zone name such as us-east-1a")) {
                        zones.add(subnet.availabilityZone);
                    }
                }
            });
            return zones;
        };
        const publicZones = zonesOf("publicSubnets");
        const privateZones = zonesOf("privateSubnets");
        const [nodeKey, nodeZones] = privateNodes ? ["privateSubnets", privateZones] as const : ["publicSubnets", publicZones] as const;
        if (nodeZones.size < 2) {
            check.add(`network.${nodeKey}`, `nodes need subnets in at least two availability zones (EKS requires it); these cover ${nodeZones.size}`);
        }
        return;
    }
    check.knownKeys("network", network, ["cidrBlock", "zoneCount"]);
    if (network.cidrBlock !== undefined) {
        check.isCidr("network.cidrBlock", network.cidrBlock, 16, 20);
    }
    if (network.zoneCount !== undefined) {
        check.isNumber("network.zoneCount", network.zoneCount, 2, 6, true);
    }
}

/** Checks the node groups and returns how many nodes they can reach together. */
function checkNodeGroups(check: ProblemCollector, args: Record<string, unknown>): { total: number; parts: string } {
    const parts: [string, number][] = [];
    const core = args.coreNodes ?? {};
    if (check.isObject("coreNodes", core)) {
        check.knownKeys("coreNodes", core, ["instanceType", "count", "diskSizeGiB", "spot"]);
        if (core.spot !== undefined) {
            check.add("coreNodes.spot", "the core group runs the hub: a spot interruption would take the whole course offline. Remove spot (user nodes may use it)");
        }
        if (core.instanceType !== undefined) {
            check.isString("coreNodes.instanceType", core.instanceType, INSTANCE_TYPE_PATTERN, INSTANCE_TYPE_HELP);
        }
        const count = core.count ?? EKS_DEFAULTS.core.count;
        if (check.isNumber("coreNodes.count", count, 1, 5, true)) {
            parts.push(["core", count]);
        }
        checkDisk(check, "coreNodes.diskSizeGiB", core.diskSizeGiB);
    }
    for (const [key, defaults, label] of [["userNodes", EKS_DEFAULTS.user, "user"], ["gpuNodes", EKS_DEFAULTS.gpu, "gpu"]] as const) {
        const group = args[key] ?? (key === "userNodes" ? {} : undefined);
        if (group === undefined || !check.isObject(key, group)) {
            continue;
        }
        check.knownKeys(key, group, ["instanceTypes", "spot", "maxCount", "diskSizeGiB"]);
        if (group.instanceTypes !== undefined && check.isArray(`${key}.instanceTypes`, group.instanceTypes, (p, t) => check.isString(p, t, INSTANCE_TYPE_PATTERN, INSTANCE_TYPE_HELP))
            && group.instanceTypes.length === 0) {
            check.add(`${key}.instanceTypes`, "name at least one instance type");
        }
        if (group.spot !== undefined) {
            check.isBoolean(`${key}.spot`, group.spot);
        }
        const maxCount = group.maxCount ?? defaults.maxCount;
        if (check.isNumber(`${key}.maxCount`, maxCount, 1, 500, true)) {
            parts.push([label, maxCount]);
        }
        checkDisk(check, `${key}.diskSizeGiB`, group.diskSizeGiB);
    }
    return { total: parts.reduce((sum, [, n]) => sum + n, 0), parts: parts.map(([l, n]) => `${l} ${n}`).join(" + ") };
}

function checkDisk(check: ProblemCollector, path: string, size: unknown): void {
    if (size !== undefined) {
        check.isNumber(path, size, 20, 2000, true);
    }
}
