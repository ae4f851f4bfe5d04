import { needsSharedVolume } from "../hub/defaults";
import { HubSpec } from "../hub/spec";
import { validateHubSpec } from "../hub/validate";
import { platformProblems } from "../hub/z2jh";
import { CLOUD_DNS_ZONE, checkIngressOptions } from "../ingress/options";
import { Problem, ProblemCollector, checkApiAccessCidrs, checkNotebookBucketAccess } from "../validation";
import { GKE_DEFAULTS } from "./gke-args";

const MACHINE_TYPE = /^[a-z][a-z0-9]*-[a-z0-9-]+$/;
const MACHINE_HELP = "use a Compute Engine machine type such as n2-standard-4";
const ZONE = /^[a-z]+-[a-z]+\d+-[a-z]$/;
const REGION = /^[a-z]+-[a-z]+\d+$/;

/** Checks `GkeHub` arguments, the spec among them, and returns every problem; pure. */
export function validateGkeHubArgs(args: unknown): Problem[] {
    const check = new ProblemCollector();
    if (!check.isObject("args", args)) {
        return check.problems;
    }
    check.knownKeys("args", args, [
        "spec", "location", "releaseChannel", "apiAccessCidrs", "privateNodes", "nodeCidr", "coreNodes", "userNodes", "gpuNodes",
        "maxNodes", "ingress", "notebookStorageAccess", "keepStudentWork",
    ]);
    const specProblems = validateHubSpec(args.spec, "spec");
    check.problems.push(...specProblems);
    const spec = args.spec as Record<string, unknown> | undefined;
    if (specProblems.length === 0 && spec) {
        // Valid: validateHubSpec found no problems.
        const hubSpec = args.spec as HubSpec;
        // GkeHub offers Filestore for shared storage, a GPU pool and an ingress when asked.
        const offer = { sharedStorageClass: "filestore", gpu: args.gpuNodes ? {} : undefined, ingress: args.ingress ? {} : undefined };
        check.problems.push(...platformProblems(hubSpec, offer, "spec").map((p) =>
            p.propertyPath.endsWith(".gpus") ? { ...p, reason: `${p.reason}: add gpuNodes` }
                : p.propertyPath === "spec.https.mode" && hubSpec.https.mode === "ingress"
                    ? { ...p, reason: "\"ingress\" needs the ingress option (a StaticIpIngress on this cluster)" }
                    : hubSpec.https.mode === "offload"
                        ? { ...p, reason: "\"offload\" is not offered by GkeHub: use letsencrypt, or ingress with the ingress option" }
                        : p));
        const sharedSize = hubSpec.storage?.sharedSize;
        if (needsSharedVolume(hubSpec) && sharedSize !== undefined && gibibytes(sharedSize) < 100) {
            check.add("spec.storage.sharedSize", `Filestore shares start at 100Gi (basic HDD, about $20 a month); "${sharedSize}" is smaller`);
        }
    }
    const zoneCount = checkLocation(check, args.location);
    if (args.releaseChannel !== undefined) {
        check.isOneOf("releaseChannel", args.releaseChannel, ["RAPID", "REGULAR", "STABLE"] as const);
    }
    checkApiAccessCidrs(check, args.apiAccessCidrs);
    if (args.privateNodes !== undefined) {
        check.isBoolean("privateNodes", args.privateNodes);
    }
    if (args.nodeCidr !== undefined) {
        check.isCidr("nodeCidr", args.nodeCidr, 16, 24);
    }
    let total = 0;
    const parts: string[] = [];
    for (const [key, defaultCount, counted] of [
        ["coreNodes", GKE_DEFAULTS.core.count, "count"],
        ["userNodes", GKE_DEFAULTS.user.maxCount, "maxCount"],
        ["gpuNodes", GKE_DEFAULTS.gpu.maxCount, "maxCount"],
    ] as const) {
        const pool = args[key] ?? (key === "gpuNodes" ? undefined : {});
        if (pool === undefined || !check.isObject(key, pool)) {
            continue;
        }
        const known = key === "coreNodes" ? ["machineType", "count", "diskSizeGb", "spot"]
            : key === "userNodes" ? ["machineType", "spot", "maxCount", "diskSizeGb"]
                : ["machineType", "acceleratorType", "acceleratorCount", "spot", "maxCount", "diskSizeGb"];
        check.knownKeys(key, pool, known);
        if (key === "coreNodes" && pool.spot !== undefined) {
            check.add("coreNodes.spot",
                "the core pool runs the hub: a spot preemption would take the whole course offline. Remove spot (user nodes may use it)");
        } else if (pool.spot !== undefined) {
            check.isBoolean(`${key}.spot`, pool.spot);
        }
        if (pool.machineType !== undefined) {
            check.isString(`${key}.machineType`, pool.machineType, MACHINE_TYPE, MACHINE_HELP);
        }
        if (pool.acceleratorType !== undefined) {
            check.isString(`${key}.acceleratorType`, pool.acceleratorType, /^nvidia-[a-z0-9-]+$/, "use an accelerator type such as nvidia-tesla-t4 or nvidia-l4");
        }
        if (pool.acceleratorCount !== undefined) {
            check.isNumber(`${key}.acceleratorCount`, pool.acceleratorCount, 1, 8, true);
        }
        if (pool.diskSizeGb !== undefined) {
            check.isNumber(`${key}.diskSizeGb`, pool.diskSizeGb, 10, 2000, true);
        }
        const size = pool[counted] ?? defaultCount;
        if (check.isNumber(`${key}.${counted}`, size, 1, key === "coreNodes" ? 5 : 500, true)) {
            total += size * zoneCount;
            parts.push(`${key.replace("Nodes", "")} ${size}${zoneCount > 1 ? ` × ${zoneCount} zones` : ""}`);
        }
    }
    const maxNodes = args.maxNodes ?? GKE_DEFAULTS.maxNodes;
    if (check.isNumber("maxNodes", maxNodes, 1, 1000, true) && total > maxNodes) {
        check.add("maxNodes",
            `the node pools can reach ${total} nodes (${parts.join(" + ")}), more than maxNodes ${maxNodes}: lower a pool's maximum or raise maxNodes`);
    }
    checkIngressOptions(check, args.ingress, (spec?.https as { mode?: unknown } | undefined)?.mode, CLOUD_DNS_ZONE);
    checkNotebookBucketAccess(check, args.notebookStorageAccess, spec, {
        component: "GkeHub", option: "notebookStorageAccess", listKey: "bucketNames",
        pattern: /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, help: "use a bucket name without gs://",
    });
    if (args.keepStudentWork !== undefined) {
        check.isBoolean("keepStudentWork", args.keepStudentWork);
    }
    return check.problems;
}

/** Checks the location and returns how many zones nodes run in. */
function checkLocation(check: ProblemCollector, location: unknown): number {
    if (!check.present("location", location,
        "give { zone: \"us-central1-a\" } (zonal, no management fee) or { region: \"us-central1\" }, or set the gcp:zone or gcp:region config")
        || !check.isObject("location", location)) {
        return 1;
    }
    if ("zone" in location) {
        if ("nodeZones" in location) {
            check.add("location.nodeZones",
                "is for regional clusters only: a zonal cluster's nodes run in its zone. Give { region } instead of { zone }, or drop nodeZones");
        }
        check.knownKeys("location", location, ["zone", "nodeZones"]);
        check.isString("location.zone", location.zone, ZONE, "use a zone such as us-central1-a");
        return 1;
    }
    check.knownKeys("location", location, ["region", "nodeZones"]);
    check.isString("location.region", location.region, REGION, "use a region such as us-central1 (a zone goes in location.zone)");
    if (location.nodeZones === undefined) {
        return GKE_DEFAULTS.regionalZoneCount;
    }
    check.isArray("location.nodeZones", location.nodeZones, (p, zone) => {
        if (check.isString(p, zone, ZONE, "use a zone such as us-central1-b")
            && typeof location.region === "string"
            && !zone.startsWith(`${location.region}-`)) {
            check.add(p, `"${zone}" is not in region ${location.region}`);
        }
    });
    return Array.isArray(location.nodeZones) ? Math.max(1, location.nodeZones.length) : 1;
}

function gibibytes(size: string): number {
    const match = /^(\d+)(Mi|Gi|Ti)$/.exec(size);
    return match ? Number(match[1]) * { Mi: 1 / 1024, Gi: 1, Ti: 1024 }[match[2] as "Mi" | "Gi" | "Ti"] : 0;
}
