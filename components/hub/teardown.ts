import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as helm from "@pulumi/kubernetes/helm/v3";
import { shippedFolder } from "../package-files";
import { CHARTS } from "../versions";
import { Z2jhPlatform } from "./platform";
import { HOMES_NFS_SERVER_SELECTOR } from "./shared-homes";
import { NODE_PURPOSE_LABEL } from "./z2jh";

/*
 * The course-teardown chart (charts/course-teardown, shipped in the package) installed beside each
 * hub. Its Job runs only when the release is uninstalled, as a Helm pre-delete hook: Pulumi has no
 * hook of its own at delete time, but it uninstalls a helm.v3.Release with hooks (pulumi-kubernetes
 * runs Helm's uninstall with DisableHooks unset, waiting up to the release's `timeout`). The
 * release depends on everything else of the hub, so `pulumi destroy` deletes it first, and the Job
 * clears what would otherwise hang the destroy (claims that running servers still mount) or
 * outlive it (disks that a CSI driver deletes only after their claim is gone).
 */

/** The release's name in the hub's namespace: Helm names releases per namespace, so it is the same in each. */
export const TEARDOWN_RELEASE_NAME = "course-teardown";

/**
 * Pods of the hub's Deployment: z2jh 4.4.0 labels them `component: hub`. Scaled to zero first,
 * so that no server starts while the rest goes.
 */
export const HUB_POD_SELECTOR = "component=hub";

/**
 * Pods of the user servers: KubeSpawner 7.0.0 (the one z2jh 4.4.0's hub image ships) labels every
 * server pod `component: singleuser-server` (its `component_label`). Its home claims carry
 * `component: singleuser-storage`; the Job deletes every claim in the namespace, those included.
 */
export const USER_SERVER_SELECTOR = "component=singleuser-server";

/**
 * How long the Job may wait in all for servers, load balancers, claims and volumes to go (an EBS
 * or persistent disk is detached and deleted in a minute or two; a load balancer in about as long).
 */
export const TEARDOWN_DEADLINE_SECONDS = 1200;

/**
 * Room beyond the Job's deadline for Helm's wait on the hook (the chart gives the Job 120 seconds
 * for its pod to start): the Job's own message, naming what it still waited for, is what
 * `pulumi destroy` then reports, rather than Helm's timeout.
 */
const HOOK_WAIT_MARGIN_SECONDS = 300;

/**
 * The image that runs the chart's Python script: z2jh's hub image, which z2jh publishes under the
 * chart's version (Python 3.12; the script needs its standard library only). It is already on the
 * core node that ran the hub. `registry.k8s.io/kubectl` would not do: it is distroless, with no
 * shell to run a script in.
 */
export const TEARDOWN_IMAGE = { name: "quay.io/jupyterhub/k8s-hub", tag: CHARTS.jupyterhub.version } as const;

/** Values of the course-teardown chart, as its values.schema.json describes them. */
export interface TeardownValues {
    image: { name: string; tag: string; pullPolicy: "IfNotPresent" };
    hubSelector: string;
    userServerSelector: string;
    storageServerSelector: string;
    deadlineSeconds: number;
    pollSeconds: number;
    nodeSelector: Record<string, string>;
    resources: { requests: Record<string, string>; limits: Record<string, string> };
}

/**
 * Values of the teardown beside a hub: on the hub's core nodes when the cluster labels
 * them (where the hub ran, so its image is there). Pure.
 */
export function hubTeardownValues(platform: Pick<Z2jhPlatform, "nodePurposeLabels">): TeardownValues {
    return {
        image: { ...TEARDOWN_IMAGE, pullPolicy: "IfNotPresent" },
        hubSelector: HUB_POD_SELECTOR,
        userServerSelector: USER_SERVER_SELECTOR,
        storageServerSelector: HOMES_NFS_SERVER_SELECTOR,
        deadlineSeconds: TEARDOWN_DEADLINE_SECONDS,
        pollSeconds: 5,
        nodeSelector: platform.nodePurposeLabels ? { [NODE_PURPOSE_LABEL]: "core" } : {},
        resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "128Mi" } },
    };
}

/** The chart on disk and a digest of its files. */
export interface TeardownChart {
    path: string;
    digest: string;
}

let found: TeardownChart | undefined;

/**
 * The course-teardown chart at the package's root: two folders up from this module in the
 * sources (components/hub), three from the built package (dist/components/hub).
 */
export function teardownChart(): TeardownChart {
    if (!found) {
        const chartPath = shippedFolder(path.join("charts", TEARDOWN_RELEASE_NAME), "Chart.yaml");
        found = { path: chartPath, digest: chartDigest(chartPath) };
    }
    return found;
}

/** SHA-256 over every file of the chart, by path relative to it. */
export function chartDigest(chartPath: string): string {
    const hash = crypto.createHash("sha256");
    for (const file of filesUnder(chartPath).sort()) {
        hash.update(path.relative(chartPath, file)).update("\0").update(fs.readFileSync(file)).update("\0");
    }
    return hash.digest("hex");
}

function filesUnder(folder: string): string[] {
    return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
        const entryPath = path.join(folder, entry.name);
        return entry.isDirectory() ? filesUnder(entryPath) : [entryPath];
    });
}

/**
 * The course-teardown release in `namespace`. Renaming it, or moving it to another parent,
 * without an alias makes Pulumi delete the old one, which runs the hook: give it an alias.
 */
export function createTeardownRelease(
    name: string, namespace: pulumi.Input<string>, values: TeardownValues, opts: pulumi.CustomResourceOptions,
): helm.Release {
    const chart = teardownChart();
    return new helm.Release(name, {
        name: TEARDOWN_RELEASE_NAME,
        namespace,
        chart: chart.path,
        // Pulumi compares a release's inputs, not its chart's files: the digest makes a changed chart
        // a changed release, so that the hook that runs is the one this version of course-hubs ships.
        values: { ...values, chartDigest: chart.digest },
        timeout: values.deadlineSeconds + HOOK_WAIT_MARGIN_SECONDS,
        maxHistory: 3,
    }, opts);
}
