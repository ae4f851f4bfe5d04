import { userCapacityProblems } from "../capacity";
import { chartOptionProblems } from "../hub/chart-values";
import { KNOWN_AFTER_DEPLOYMENT, hubAdditionsBeforeDeployment } from "../hub/platform";
import { valuesBeforeDeployment } from "../hub/z2jh";
import { ingressOptionProblems } from "../ingress/options";
import { gkeCapabilities, hubArgsProblems } from "../platforms";
import { physicalNameOf } from "../tags";
import { Problem, ProblemCollector } from "../validation";
import { GKE_DEFAULTS, GkeHubArgs } from "./gke-args";
import { poolZoneCount, serviceAccountId } from "./gke-layout";
import { gkeHubPlatform } from "./gke-platform";

/**
 * Checks `GkeHub` arguments, the spec among them, and returns every problem; pure. Their shape is
 * checked against schema/gke-hub-args.json; the rules here are what a schema cannot say.
 */
export function validateGkeHubArgs(args: unknown): Problem[] {
    return hubArgsProblems<GkeHubArgs>("gke-hub-args.json", args, gkeCapabilities, ({ args: gke, valid, renderableSpec, check }) => {
        const httpsMode = valid("spec.https") ? gke.spec.https.mode : undefined;
        checkLocation(check, gke.location, valid("location"));
        const coreNodes = gke.coreNodes as Record<string, unknown> | undefined;
        if (typeof coreNodes === "object" && coreNodes?.spot !== undefined) {
            check.add("coreNodes.spot",
                "the core pool runs the hub: a spot preemption would take the whole course offline. Remove spot (user nodes may use it)");
        }
        if (["coreNodes.count", "userNodes.maxCount", "gpuNodes.maxCount", "maxNodes"].every(valid)) {
            checkNodeCount(check, gke);
        }
        // With a term the default name has 5 characters at least; a standing hub's is the course alone (a physicalName has 3 at least).
        const hubName = ["spec.course", "spec.term", "physicalName"].every(valid) ? physicalNameOf(gke) : undefined;
        if (hubName !== undefined && hubName.length < GKE_MIN_HUB_NAME) {
            check.add("spec.course", `names this hub without a term alone ("${hubName}"), and Google service account IDs made from it `
                + `("${serviceAccountId(hubName, "nb")}") need 6 characters at least: give a course code of ${GKE_MIN_HUB_NAME} characters or more, `
                + "a term, or a physicalName");
        }
        if (renderableSpec && valid("userNodes") && valid("location")) {
            const zones = poolZoneCount(gke.location);
            const given = gke.userNodes?.machineType;
            const maxNodes = (gke.userNodes?.maxCount ?? GKE_DEFAULTS.user.maxCount) * zones;
            check.problems.push(...userCapacityProblems("gke", renderableSpec, given === undefined ? undefined : [given], maxNodes,
                { maxCount: "userNodes.maxCount", instanceType: "userNodes.machineType", zonesPerCount: zones }));
        }
        if (valid("spec.storage") && valid("spec.notebookIdentity") && valid("notebookBucketAccess")) {
            checkBucketDatasetAccess(check, gke);
        }
        check.problems.push(...ingressOptionProblems(gke.ingress, httpsMode));
        const rendersHub = renderableSpec && ["gpuNodes", "notebookBucketAccess", "ingress"].every(valid);
        check.problems.push(...chartOptionProblems(gke.chart, rendersHub ? valuesBeforeDeployment(renderableSpec, {
            ...gkeHubPlatform(gke, KNOWN_AFTER_DEPLOYMENT),
            ...hubAdditionsBeforeDeployment(gke.notebookBucketAccess ? "gcpServiceAccountEmail" : undefined, gke.ingress !== undefined),
        }) : {}));
    });
}

/** The shortest hub name whose service account IDs (`<name>-nb`) GCP accepts: 6 characters at least. */
const GKE_MIN_HUB_NAME = 3;

/**
 * Each bucket dataset must be readable by the notebooks' identity, which the Cloud Storage FUSE
 * driver mounts it as (the pod's Kubernetes service account, through Workload Identity): listed in
 * notebookBucketAccess (when its buckets are names, not yet unknown outputs), or the course's own
 * service account (spec.notebookIdentity), which the course grants access itself.
 */
function checkBucketDatasetAccess(check: ProblemCollector, args: GkeHubArgs): void {
    const listed = args.notebookBucketAccess?.buckets ?? [];
    const names = listed.every((bucket) => typeof bucket === "string") ? listed as string[] : undefined;
    (args.spec.storage?.bucketDatasets ?? []).forEach((dataset, i) => {
        const bucket = dataset.bucket.name;
        if (args.notebookBucketAccess === undefined && args.spec.notebookIdentity === undefined) {
            check.add(`spec.storage.bucketDatasets[${i}].bucket`, "is mounted as the notebooks' identity, and they have none: "
                + `list "${bucket}" in notebookBucketAccess.buckets, or give spec.notebookIdentity a service account that may read it`);
        } else if (names !== undefined && args.notebookBucketAccess !== undefined && !names.includes(bucket)) {
            check.add(`spec.storage.bucketDatasets[${i}].bucket.name`, `"${bucket}" is mounted as the notebooks' identity, which notebookBucketAccess `
                + "makes for its buckets only: add it to notebookBucketAccess.buckets");
        }
    });
}

/** A location is required (the component fills it from gcp:zone or gcp:region); a zonal one has no node zones of its own. */
function checkLocation(check: ProblemCollector, location: GkeHubArgs["location"], valid: boolean): void {
    if (location === undefined) {
        check.add("location",
            "is required: give { zone: \"us-central1-a\" } (zonal, no management fee) or { region: \"us-central1\" }, "
            + "or set the gcp:zone or gcp:region config");
    } else if ("zone" in location && "nodeZones" in location) {
        check.add("location.nodeZones",
            "is for regional clusters only: a zonal cluster's nodes run in its zone. Give { region } instead of { zone }, or drop nodeZones");
    } else if (valid && "region" in location) {
        (location.nodeZones ?? []).forEach((zone, i) => {
            if (!zone.startsWith(`${location.region}-`)) {
                check.add(`location.nodeZones[${i}]`, `"${zone}" is not in region ${location.region}`);
            }
        });
    }
}

/** Every pool at its maximum, in every zone, must stay within maxNodes. */
function checkNodeCount(check: ProblemCollector, args: GkeHubArgs): void {
    const zoneCount = poolZoneCount(args.location);
    const pools: [string, number][] = [
        ["core", args.coreNodes?.count ?? GKE_DEFAULTS.core.count],
        ["user", args.userNodes?.maxCount ?? GKE_DEFAULTS.user.maxCount],
        ...(args.gpuNodes ? [["gpu", args.gpuNodes.maxCount ?? GKE_DEFAULTS.gpu.maxCount] as [string, number]] : []),
    ];
    const total = pools.reduce((sum, [, size]) => sum + size * zoneCount, 0);
    const maxNodes = args.maxNodes ?? GKE_DEFAULTS.maxNodes;
    if (total > maxNodes) {
        const parts = pools.map(([label, size]) => `${label} ${size}${zoneCount > 1 ? ` × ${zoneCount} zones` : ""}`).join(" + ");
        check.add("maxNodes", `the node pools can reach ${total} nodes (${parts}), more than maxNodes ${maxNodes}: lower a pool's maximum or raise maxNodes`);
    }
}
