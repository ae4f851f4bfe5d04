import * as pulumi from "@pulumi/pulumi";
import { HubSpec } from "../hub/spec";
import { validateHubSpec } from "../hub/validate";
import { platformProblems } from "../hub/z2jh";
import { ROUTE53_ZONE, checkIngressOptions } from "../ingress/options";
import { Problem, ProblemCollector, checkApiAccessCidrs, checkNotebookBucketAccess } from "../validation";
import { CORE_INSTANCE_TYPES, INSTANCE_TYPE_PATTERN, maxPodsOf } from "./instance-types";
import { AUTOSCALER_CHART_MINORS } from "../versions";
import { CoreNodeOptions, EKS_DEFAULTS, EksHubArgs } from "./eks-args";
import { EKS_PREFIX_DELEGATION, corePodFit, corePods, nodeZones } from "./eks-plan";

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
    const spec = args.spec as Record<string, unknown> | undefined;
    if (specProblems.length === 0 && spec) {
        // What EksHub offers: EFS for shared storage, a GPU group and an ingress when asked; offload is checked below.
        const offer = {
            sharedStorageClass: "efs",
            proxyService: { annotations: { offload: "checked below" } },
            gpu: args.gpuNodes ? {} : undefined,
            ingress: args.ingress ? {} : undefined,
        };
        // Valid: validateHubSpec found no problems.
        const hubSpec = args.spec as HubSpec;
        check.problems.push(...platformProblems(hubSpec, offer, "spec").map((p) =>
            p.propertyPath.endsWith(".gpus") ? { ...p, reason: `${p.reason}: add gpuNodes` }
                : p.propertyPath === "spec.https.mode" && httpsModeOf(spec) === "ingress"
                    ? { ...p, reason: "\"ingress\" needs the ingress option (a StaticIpIngress on this cluster)" }
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
    const zoneCount = nodeZones(args.network as EksHubArgs["network"], args.privateNodes === true).length;
    const nodeCount = checkNodeGroups(check, args, zoneCount);
    if (specProblems.length === 0 && spec) {
        checkCorePods(check, args);
    }
    const maxNodes = args.maxNodes ?? EKS_DEFAULTS.maxNodes;
    if (check.isNumber("maxNodes", maxNodes, 1, 1000, true) && nodeCount.total > maxNodes) {
        check.add("maxNodes",
            `the node groups can reach ${nodeCount.total} nodes (${nodeCount.parts}), more than maxNodes ${maxNodes}: lower a group's maximum or raise maxNodes`);
    }
    checkNotebookBucketAccess(check, args.notebookS3Access, spec, {
        component: "EksHub", option: "notebookS3Access", listKey: "bucketArns",
        pattern: /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, help: "use a bucket ARN, arn:aws:s3:::bucket-name",
    });
    if (args.keepStudentWork !== undefined) {
        check.isBoolean("keepStudentWork", args.keepStudentWork);
    }
    checkClusterAutoscaler(check, args);
    return check.problems;
}

function httpsModeOf(spec: Record<string, unknown> | undefined): unknown {
    return (spec?.https as { mode?: unknown } | undefined)?.mode;
}

/**
 * The autoscaler's image minor must be the cluster's minor (autoscaler releases follow Kubernetes
 * minors and only support their own), and an overridden chart must come with its image.
 */
function checkClusterAutoscaler(check: ProblemCollector, args: Record<string, unknown>): void {
    const options = args.clusterAutoscaler ?? {};
    if (!check.isObject("clusterAutoscaler", options)) {
        return;
    }
    check.knownKeys("clusterAutoscaler", options, ["chartVersion", "imageTag"]);
    const chartOk = options.chartVersion === undefined
        || check.isString("clusterAutoscaler.chartVersion", options.chartVersion, /^\d+\.\d+\.\d+$/, `use a chart version such as ${EKS_DEFAULTS.clusterAutoscaler.chartVersion}`);
    const imageOk = options.imageTag === undefined
        || check.isString("clusterAutoscaler.imageTag", options.imageTag, /^v\d+\.\d+\.\d+$/, `use an image tag such as ${EKS_DEFAULTS.clusterAutoscaler.imageTag}`);
    const kubernetesVersion = args.kubernetesVersion ?? EKS_DEFAULTS.kubernetesVersion;
    if (!chartOk || !imageOk || typeof kubernetesVersion !== "string" || !/^1\.\d{2}$/.test(kubernetesVersion)) {
        return;
    }
    const imageTag = (options.imageTag ?? EKS_DEFAULTS.clusterAutoscaler.imageTag) as string;
    const imageMinor = minorOf(imageTag);
    const chartVersion = (options.chartVersion ?? EKS_DEFAULTS.clusterAutoscaler.chartVersion) as string;
    const pinned = `chart ${EKS_DEFAULTS.clusterAutoscaler.chartVersion} with image ${EKS_DEFAULTS.clusterAutoscaler.imageTag}`;
    if (imageMinor !== kubernetesVersion) {
        const path = options.imageTag !== undefined ? "clusterAutoscaler.imageTag" : "kubernetesVersion";
        check.add(path, `the cluster autoscaler ${imageTag} is for Kubernetes ${imageMinor}, but kubernetesVersion is "${kubernetesVersion}": `
            + "the autoscaler's minor must be the cluster's. "
            + `Set clusterAutoscaler.imageTag to a v${kubernetesVersion}.x release and clusterAutoscaler.chartVersion to the chart released with it `
            + `(its RBAC is for its own appVersion), or use kubernetesVersion "${EKS_DEFAULTS.kubernetesVersion}" (${pinned})`);
        return;
    }
    const chartMinor = AUTOSCALER_CHART_MINORS[chartVersion];
    if (chartMinor !== undefined && chartMinor !== imageMinor) {
        check.add(options.imageTag !== undefined ? "clusterAutoscaler.imageTag" : "clusterAutoscaler.chartVersion",
            `cluster-autoscaler chart ${chartVersion} is released for autoscaler ${chartMinor}, not ${imageTag}: a chart's RBAC is for its own appVersion `
            + `(1.35 needs resource.k8s.io, granted from chart 9.54.0). Give the chart and the image of one release, such as ${pinned}`);
    } else if (chartMinor === undefined && options.imageTag === undefined) {
        check.add("clusterAutoscaler.imageTag",
            `clusterAutoscaler.chartVersion ${chartVersion} is set without its image: give the chart's appVersion as imageTag `
            + `(the default image ${EKS_DEFAULTS.clusterAutoscaler.imageTag} belongs to chart ${EKS_DEFAULTS.clusterAutoscaler.chartVersion})`);
    }
}

function minorOf(imageTag: string): string {
    return imageTag.replace(/^v(\d+\.\d+)\..*$/, "$1");
}

/** The core group must hold every core pod: the VPC CNI gives each node a fixed number of pod addresses. */
function checkCorePods(check: ProblemCollector, args: Record<string, unknown>): void {
    const coreNodes = args.coreNodes as CoreNodeOptions | undefined;
    const core = { ...EKS_DEFAULTS.core, ...(typeof coreNodes === "object" ? coreNodes : {}) };
    if (typeof core.instanceType !== "string" || !INSTANCE_TYPE_PATTERN.test(core.instanceType) || !Number.isInteger(core.count) || core.count < 1) {
        return;
    }
    const maxPods = maxPodsOf(core.instanceType, EKS_PREFIX_DELEGATION);
    if (maxPods === undefined) {
        check.add("coreNodes.instanceType",
            `${core.instanceType} is not a core type whose pod limit EksHub knows (the VPC CNI gives each node a fixed number of pod addresses); `
            + `use one of ${Object.keys(CORE_INSTANCE_TYPES).join(", ")}`);
        return;
    }
    const pods = corePods(args as Pick<EksHubArgs, "spec" | "ingress">);
    const fit = corePodFit(pods, core.count, maxPods);
    if (!fit.fits) {
        const list = pods.map((p) => `${p.name} ${p.pods}${p.perNode ? " per node" : ""}`).join(", ");
        const bigger = Object.keys(CORE_INSTANCE_TYPES).filter((t) => (maxPodsOf(t, EKS_PREFIX_DELEGATION) ?? 0) >= fit.needed);
        const suggestion = bigger.includes("t4g.medium")
            ? "t4g.medium or t3.medium (110 pods with prefix delegation, about $25-30 a month)"
            : bigger.slice(0, 3).join(", ");
        check.add(coreNodes?.instanceType !== undefined ? "coreNodes.instanceType" : "coreNodes.count",
            `a core node must run ${fit.needed} pods (${list}; with ${core.count} core node${core.count > 1 ? "s" : ""}), but ${core.instanceType} holds ${maxPods}`
            + `${CORE_INSTANCE_TYPES[core.instanceType].nitro ? "" : " (a Xen type: no prefix delegation)"}: `
            + `use a Nitro type such as ${suggestion}, or more core nodes (coreNodes.count, about $25 a month each)`);
    }
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
function checkNodeGroups(check: ProblemCollector, args: Record<string, unknown>, zoneCount: number): { total: number; parts: string } {
    const parts: [string, number][] = [];
    const core = args.coreNodes ?? {};
    if (check.isObject("coreNodes", core)) {
        check.knownKeys("coreNodes", core, ["instanceType", "count", "diskSizeGiB", "spot"]);
        if (core.spot !== undefined) {
            check.add("coreNodes.spot",
                "the core group runs the hub: a spot interruption would take the whole course offline. Remove spot (user nodes may use it)");
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
        if (group.instanceTypes !== undefined
            && check.isArray(`${key}.instanceTypes`, group.instanceTypes, (p, t) => check.isString(p, t, INSTANCE_TYPE_PATTERN, INSTANCE_TYPE_HELP))
            && group.instanceTypes.length === 0) {
            check.add(`${key}.instanceTypes`, "name at least one instance type");
        }
        if (group.spot !== undefined) {
            check.isBoolean(`${key}.spot`, group.spot);
        }
        const maxCount = group.maxCount ?? defaults.maxCount;
        if (check.isNumber(`${key}.maxCount`, maxCount, 1, 500, true)) {
            parts.push([label, maxCount]);
            // One group per zone, each of at least one node: homes are zonal, every zone needs a way in.
            if (zoneCount >= 2 && maxCount < zoneCount) {
                check.add(`${key}.maxCount`, `${maxCount} is fewer than the ${zoneCount} zones nodes run in: EksHub makes one ${label} group per zone `
                    + `(students' home volumes are zonal), each of at least one node. Raise ${key}.maxCount to ${zoneCount}, or use fewer zones`);
            }
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
