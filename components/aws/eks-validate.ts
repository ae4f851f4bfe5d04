import { userCapacityProblems } from "../capacity";
import { chartOptionProblems } from "../hub/chart-values";
import { KNOWN_AFTER_DEPLOYMENT, hubAdditionsBeforeDeployment } from "../hub/platform";
import { valuesBeforeDeployment } from "../hub/z2jh";
import { courseTags } from "../tags";
import { ingressOptionProblems } from "../ingress/options";
import { eksCapabilities, hubArgsProblems } from "../platforms";
import { Problem, ProblemCollector } from "../validation";
import { machineType } from "../machine-types";
import { maxPodsOf } from "./instance-types";
import { AUTOSCALER_CHART_MINORS, EKS_SUPPORT_CALENDAR, eksSupportOn, eksSupportWindow } from "../versions";
import { EKS_DEFAULTS, EksHubArgs } from "./eks-args";
import { EKS_PREFIX_DELEGATION, corePodFit, corePods, nodeZones } from "./eks-layout";
import { eksHubPlatform } from "./eks-platform";

/**
 * Checks `EksHub` arguments, the spec among them, and returns every problem with its argument
 * path. Pure: creates nothing. Their shape is checked against schema/eks-hub-args.json; the rules
 * here are what a schema cannot say, each run on arguments that have their shape.
 */
export function validateEksHubArgs(args: unknown): Problem[] {
    return hubArgsProblems<EksHubArgs>("eks-hub-args.json", args, eksCapabilities, ({ args: eks, valid, specValid, renderableSpec, check }) => {
        const httpsMode = valid("spec.https") ? eks.spec.https.mode : undefined;
        check.problems.push(...ingressOptionProblems(eks.ingress, httpsMode));
        if (httpsMode === "offload" && eks.certificateArn === undefined) {
            check.add("certificateArn", "spec.https.mode is \"offload\": give the ACM certificate ARN the load balancer presents");
        }
        if (httpsMode !== undefined && httpsMode !== "offload" && eks.certificateArn !== undefined) {
            check.add("certificateArn", `is used only with spec.https.mode "offload" (the spec says "${httpsMode}")`);
        }
        if (valid("network") && valid("privateNodes")) {
            checkNodeSubnets(check, eks);
        }
        const coreNodes = eks.coreNodes as Record<string, unknown> | undefined;
        if (typeof coreNodes === "object" && coreNodes?.spot !== undefined) {
            check.add("coreNodes.spot",
                "the core group runs the hub: a spot interruption would take the whole course offline. Remove spot (user nodes may use it)");
        }
        if (["network", "privateNodes", "coreNodes.count", "userNodes.maxCount", "gpuNodes.maxCount", "maxNodes"].every(valid)) {
            checkNodeCounts(check, eks);
        }
        if (specValid && valid("coreNodes") && valid("ingress")) {
            checkCorePods(check, eks);
        }
        if (renderableSpec && valid("userNodes")) {
            const maxNodes = eks.userNodes?.maxCount ?? EKS_DEFAULTS.user.maxCount;
            check.problems.push(...userCapacityProblems("eks", renderableSpec, eks.userNodes?.instanceTypes, maxNodes,
                { maxCount: "userNodes.maxCount", instanceType: "userNodes.instanceTypes" }));
        }
        const supported = valid("kubernetesVersion")
            && checkKubernetesSupport(check, eks.kubernetesVersion ?? EKS_DEFAULTS.kubernetesVersion, new Date().toISOString().slice(0, 10));
        if (supported && valid("clusterAutoscaler")) {
            checkClusterAutoscaler(check, eks);
        }
        const rendersHub = renderableSpec && ["gpuNodes", "certificateArn", "notebookBucketAccess", "ingress"].every(valid);
        check.problems.push(...chartOptionProblems(eks.chart, rendersHub ? valuesBeforeDeployment(renderableSpec, {
            ...eksHubPlatform(eks, KNOWN_AFTER_DEPLOYMENT, courseTags(renderableSpec)),
            ...hubAdditionsBeforeDeployment(eks.notebookBucketAccess ? "awsRoleArn" : undefined, eks.ingress !== undefined),
        }) : {}));
    });
}

/** Nodes run in the subnets of an existing VPC, which must span two zones (EKS requires it). */
function checkNodeSubnets(check: ProblemCollector, args: EksHubArgs): void {
    const network = args.network;
    if (network === undefined || !("vpcId" in network)) {
        return;
    }
    const [nodeKey, subnets] = args.privateNodes ? ["privateSubnets", network.privateSubnets ?? []] : ["publicSubnets", network.publicSubnets];
    const zones = new Set(subnets.map((s) => s.availabilityZone)).size;
    if (zones < 2) {
        check.add(`network.${nodeKey}`, `nodes need subnets in at least two availability zones (EKS requires it); these cover ${zones}`);
    }
}

/**
 * Each zone has its own user (and GPU) group of at least one node, because home volumes are zonal;
 * all groups at their maximum must stay within maxNodes.
 */
function checkNodeCounts(check: ProblemCollector, args: EksHubArgs): void {
    const zoneCount = nodeZones(args.network, args.privateNodes === true).length;
    const groups: [string, number][] = [["core", args.coreNodes?.count ?? EKS_DEFAULTS.core.count]];
    for (const [key, label, maxCount] of [
        ["userNodes", "user", args.userNodes?.maxCount ?? EKS_DEFAULTS.user.maxCount],
        ["gpuNodes", "gpu", args.gpuNodes ? args.gpuNodes.maxCount ?? EKS_DEFAULTS.gpu.maxCount : undefined],
    ] as const) {
        if (maxCount === undefined) {
            continue;
        }
        groups.push([label, maxCount]);
        if (zoneCount >= 2 && maxCount < zoneCount) {
            check.add(`${key}.maxCount`, `${maxCount} is fewer than the ${zoneCount} zones nodes run in: EksHub makes one ${label} group per zone `
                + `(students' home volumes are zonal), each of at least one node. Raise ${key}.maxCount to ${zoneCount}, or use fewer zones`);
        }
    }
    const total = groups.reduce((sum, [, n]) => sum + n, 0);
    const maxNodes = args.maxNodes ?? EKS_DEFAULTS.maxNodes;
    if (total > maxNodes) {
        check.add("maxNodes", `the node groups can reach ${total} nodes (${groups.map(([l, n]) => `${l} ${n}`).join(" + ")}), more than maxNodes ${maxNodes}: `
            + "lower a group's maximum or raise maxNodes");
    }
}

/**
 * The version must be in EKS standard support on `today` (YYYY-MM-DD): past it, EKS would upgrade
 * the new cluster at once (its upgrade policy is STANDARD) rather than bill extended support.
 * Returns whether it is.
 */
export function checkKubernetesSupport(check: ProblemCollector, version: string, today: string): boolean {
    const listed = Object.keys(EKS_SUPPORT_CALENDAR.minors);
    const window = eksSupportWindow(version);
    if (window === undefined) {
        check.add("kubernetesVersion", `"${version}" is not among the minors of EKS's calendar (${listed.join(", ")}): `
            + `use "${EKS_DEFAULTS.kubernetesVersion}"`);
        return false;
    }
    if (eksSupportOn(version, today) !== "standard") {
        const current = listed.filter((minor) => eksSupportOn(minor, today) === "standard");
        check.add("kubernetesVersion", `Kubernetes ${version} left EKS standard support on ${window.endOfStandardSupport}: extended support costs `
            + `$0.60 an hour instead of $0.10, and EksHub's clusters are upgraded instead (upgrade policy STANDARD). Use one of ${current.join(", ")}`);
        return false;
    }
    return true;
}

/**
 * The autoscaler's image minor must be the cluster's minor (autoscaler releases follow Kubernetes
 * minors and only support their own), and an overridden chart must come with its image.
 */
function checkClusterAutoscaler(check: ProblemCollector, args: EksHubArgs): void {
    const options = args.clusterAutoscaler ?? {};
    const kubernetesVersion = args.kubernetesVersion ?? EKS_DEFAULTS.kubernetesVersion;
    const imageTag = options.imageTag ?? EKS_DEFAULTS.clusterAutoscaler.imageTag;
    const imageMinor = minorOf(imageTag);
    const chartVersion = options.chartVersion ?? EKS_DEFAULTS.clusterAutoscaler.chartVersion;
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
function checkCorePods(check: ProblemCollector, args: EksHubArgs): void {
    const core = { ...EKS_DEFAULTS.core, ...args.coreNodes };
    const maxPods = maxPodsOf(core.instanceType, EKS_PREFIX_DELEGATION);
    if (maxPods === undefined) {
        check.add("coreNodes.instanceType",
            `${core.instanceType} is not a type whose pod limit EksHub knows (the VPC CNI gives each node a fixed number of pod addresses): `
            + "use a type of the machine table (components/machine-table.json), such as t4g.medium or t3.medium");
        return;
    }
    const pods = corePods(args);
    const fit = corePodFit(pods, core.count, maxPods);
    if (!fit.fits) {
        const list = pods.map((p) => `${p.name} ${p.pods}${p.perNode ? " per node" : ""}`).join(", ");
        const suggestion = (maxPodsOf("t4g.medium", EKS_PREFIX_DELEGATION) ?? 0) >= fit.needed
            ? "t4g.medium or t3.medium (110 pods with prefix delegation, about $25-30 a month)"
            : "a type of more than 30 vCPUs (250 pods)";
        check.add(args.coreNodes?.instanceType !== undefined ? "coreNodes.instanceType" : "coreNodes.count",
            `a core node must run ${fit.needed} pods (${list}; with ${core.count} core node${core.count > 1 ? "s" : ""}), but ${core.instanceType} holds ${maxPods}`
            + `${machineType("aws", core.instanceType)?.nitro === false ? " (a Xen type: no prefix delegation)" : ""}: `
            + `use a Nitro type such as ${suggestion}, or more core nodes (coreNodes.count, about $25 a month each)`);
    }
}
