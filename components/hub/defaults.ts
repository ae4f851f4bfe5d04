import { IMAGES } from "../versions";
import {
    CullingSpec, HubSpec, ImageSpec, PrePullSpec, PrewarmSpec, ProfileChoiceSpec, ProfileMenuSpec, ProfileSpec, ResourceSpec, ServerSpec, SpawnSpec,
    StorageSpec,
} from "./spec";

/** The image a server runs when the spec names none: the chart's own sample image, pinned. */
export const DEFAULT_IMAGE: Readonly<ImageSpec> = { name: IMAGES.singleuserSample.name, tag: IMAGES.singleuserSample.tag };

export const DEFAULT_RESOURCES: Readonly<Required<ResourceSpec>> = {
    cpuGuarantee: 0.5,
    cpuLimit: 2,
    memoryGuarantee: "1G",
    memoryLimit: "2G",
};

/** The idle culler's interval when the spec gives none, unless the idle timeout is shorter. */
export const DEFAULT_CULLING_CHECK_INTERVAL_MINUTES = 10;

export const DEFAULT_CULLING: Readonly<Required<Omit<CullingSpec, "checkIntervalMinutes">>> = {
    enabled: true,
    idleTimeoutMinutes: 60,
    maxAgeMinutes: 480,
    kernelIdleTimeoutMinutes: 30,
};

export const DEFAULT_SPAWN: Readonly<Required<SpawnSpec>> = {
    concurrentLimit: 100,
    startTimeoutSeconds: 600,
};

/**
 * Image pulling ahead of servers: on every user node as it joins, not as a step of every update
 * that changes an image (see `PrePullSpec`).
 */
export const DEFAULT_PRE_PULL: Readonly<Required<PrePullSpec>> = { continuous: true, beforeUpgrade: false };

export const DEFAULT_HOME_SIZE = "10Gi";
export const DEFAULT_SHARED_SIZE = "10Gi";
export const DEFAULT_PREWARM_TIME_ZONE = "Etc/UTC";

/** Where the shared course folder appears in every server. */
export const SHARED_COURSE_FOLDER_PATH = "/home/jovyan/shared";

/** A spec with every default filled in: what the renderers read. */
export interface ResolvedHubSpec extends HubSpec {
    displayName: string;
    adminUsers: string[];
    staffUsers: string[];
    allowedUsers: string[];
    image: ImageSpec;
    defaultUrl: string;
    resources: Required<ResourceSpec>;
    culling: Required<CullingSpec>;
    spawn: Required<SpawnSpec>;
    storage: StorageSpec & {
        homeSize: string;
        homeStorageClass?: string;
    };
    prewarm: Required<PrewarmSpec>;
    prePull: Required<PrePullSpec>;
}

/** Fills in every default of a (validated) spec. */
export function resolveHubSpec(spec: HubSpec): ResolvedHubSpec {
    const server = spec.server ?? {};
    return {
        ...spec,
        displayName: spec.displayName ?? (spec.term === undefined ? spec.course : `${spec.course} (${spec.term})`),
        adminUsers: spec.adminUsers ?? [],
        staffUsers: spec.staffUsers ?? [],
        allowedUsers: spec.allowedUsers ?? [],
        image: server.image ?? DEFAULT_IMAGE,
        defaultUrl: server.defaultUrl ?? "/lab",
        resources: resolveResources(server.resources),
        culling: resolveCulling(spec.culling),
        spawn: { ...DEFAULT_SPAWN, ...spec.spawn },
        storage: {
            ...spec.storage,
            homeSize: spec.storage?.home?.size ?? DEFAULT_HOME_SIZE,
            homeStorageClass: spec.storage?.home?.storageClass,
        },
        prewarm: {
            seats: spec.prewarm?.seats ?? 0,
            schedule: spec.prewarm?.schedule ?? [],
            timeZone: spec.prewarm?.timeZone ?? DEFAULT_PREWARM_TIME_ZONE,
            seatSize: spec.prewarm?.seatSize ?? "server",
        },
        prePull: {
            continuous: server.prePull?.continuous ?? DEFAULT_PRE_PULL.continuous,
            beforeUpgrade: server.prePull?.beforeUpgrade ?? DEFAULT_PRE_PULL.beforeUpgrade,
        },
    };
}

/** Culling with the defaults filled in; the check interval's depends on the idle timeout. */
function resolveCulling(culling: CullingSpec | undefined): Required<CullingSpec> {
    const resolved = { ...DEFAULT_CULLING, ...culling };
    const checkIntervalMinutes = culling?.checkIntervalMinutes ?? Math.min(DEFAULT_CULLING_CHECK_INTERVAL_MINUTES, resolved.idleTimeoutMinutes);
    return { ...resolved, checkIntervalMinutes };
}

/** A server's or profile's resources with the defaults filled in. */
export function resolveResources(resources: ResourceSpec | undefined): Required<ResourceSpec> {
    return { ...DEFAULT_RESOURCES, ...resources };
}

/**
 * A profile's resources: the server's, field by field under the profile's own, the library's
 * defaults only below both (a profile that sets only memory keeps the server's CPU).
 */
export function profileResources(server: ServerSpec | undefined, profile: ProfileSpec | undefined): Required<ResourceSpec> {
    return resolveResources({ ...server?.resources, ...profile?.resources });
}

/** What a student chose in each menu that sets resources, and the resources that gives. */
export interface ProfileSize {
    /** The choices, as `<menu slug>: <choice slug>`; empty for a profile without resource menus. */
    choices: string[];
    /** The resources of the choices that set some, the last menu's first, each with its spec path under `server.profiles[i]`. */
    sources: { path: string; resources: ResourceSpec }[];
    resources: Required<ResourceSpec>;
}

/** The preselected choice of a menu: the one marked default, else the first. */
export function defaultChoice(menu: ProfileMenuSpec): ProfileChoiceSpec {
    return menu.choices.find((choice) => choice.default) ?? menu.choices[0];
}

/** The menus of a profile whose choices set resources. */
function resourceMenus(profile: ProfileSpec): ProfileMenuSpec[] {
    return (profile.menus ?? []).filter((menu) => menu.choices.some((choice) => choice.resources));
}

/**
 * Every size a student can start in a profile: each combination of the choices of its menus that
 * set resources, each field by field over the profile's and the server's resources; one size when
 * no menu sets resources.
 */
export function profileSizes(server: ServerSpec | undefined, profile: ProfileSpec, profilePath = ""): ProfileSize[] {
    const base = { ...server?.resources, ...profile.resources };
    const combinations = resourceMenus(profile).reduce<(Omit<ProfileSize, "resources"> & { resources: ResourceSpec })[]>(
        (sizes, menu) => sizes.flatMap((size) => menu.choices.map((choice, c) => ({
            choices: [...size.choices, `${menu.slug}: ${choice.slug}`],
            sources: choice.resources
                ? [{ path: `${profilePath}.menus[${profile.menus!.indexOf(menu)}].choices[${c}].resources`, resources: choice.resources }, ...size.sources]
                : size.sources,
            resources: { ...size.resources, ...choice.resources },
        }))),
        [{ choices: [], sources: [], resources: base }],
    );
    return combinations.map((size) => ({ ...size, resources: resolveResources(size.resources) }));
}

/** What one server asks of its node: its guarantees, sidecars included. */
export interface SeatRequest {
    cpuMillis: number;
    memoryMiB: number;
}

/** What a server of these resources (and sidecars) is guaranteed: its requests on the node. */
export function seatRequest(resources: ResourceSpec | undefined, sidecars: { resources?: ResourceSpec }[] = []): SeatRequest {
    const server = resolveResources(resources);
    const sidecarCpu = sidecars.reduce((sum, s) => sum + (s.resources?.cpuGuarantee ?? 0), 0);
    const sidecarMemory = sidecars.reduce((sum, s) => sum + (s.resources?.memoryGuarantee ? parseByteSize(s.resources.memoryGuarantee) : 0), 0);
    return {
        cpuMillis: (server.cpuGuarantee + sidecarCpu) * 1000,
        memoryMiB: (parseByteSize(server.memoryGuarantee) + sidecarMemory) / 1024 ** 2,
    };
}

/** The profiles whose servers run on CPU user nodes: the ones ready seats stand for. */
function cpuProfiles(spec: HubSpec): ProfileSpec[] {
    return (spec.server?.profiles ?? []).filter((p) => (p.gpus ?? 0) === 0);
}

/**
 * What the spec's default server asks of a user node: the default profile's resources when it has
 * some (over the server's, as a profile's resources fall back to the server's), with the preselected
 * choice of each of its menus over them, else the server's; with the sidecars. It sizes the seats a lecture needs and, by default, the ready seats
 * ({@link warmSeatRequest}).
 */
export function defaultSeatRequest(spec: HubSpec): SeatRequest {
    const profiles = cpuProfiles(spec);
    const chosen = profiles.find((p) => p.default) ?? profiles[0];
    const preselected = (chosen?.menus ?? []).map((menu) => defaultChoice(menu).resources);
    return seatRequest(resolveResources(Object.assign({}, spec.server?.resources, chosen?.resources, ...preselected)), serverSidecars(spec));
}

/**
 * What each ready seat (a placeholder pod, `prewarm.seatSize`) reserves on a user node: the default
 * server's request, or with `largestProfile` the largest CPU and the largest memory that the server
 * and any CPU profile ask (in any size its menus offer), so that whatever a student picks fits where
 * one placeholder was.
 */
export function warmSeatRequest(spec: HubSpec): SeatRequest {
    if (spec.prewarm?.seatSize !== "largestProfile") {
        return defaultSeatRequest(spec);
    }
    const profileSizeResources = cpuProfiles(spec).flatMap((profile) => profileSizes(spec.server, profile).map((size) => size.resources));
    const sizes = [profileResources(spec.server, undefined), ...profileSizeResources];
    const requests = sizes.map((resources) => seatRequest(resources, serverSidecars(spec)));
    return {
        cpuMillis: Math.max(...requests.map((r) => r.cpuMillis)),
        memoryMiB: Math.max(...requests.map((r) => r.memoryMiB)),
    };
}

/** Whether a spec mounts a bucket dataset: its platform then needs the bucket driver, and each server the driver's sidecar. */
export function hasBucketDatasets(spec: Pick<HubSpec, "storage">): boolean {
    return (spec.storage?.bucketDatasets ?? []).length > 0;
}

/**
 * What the Cloud Storage FUSE CSI driver's sidecar requests in the pod of a server with a bucket
 * dataset (z2jh.ts asks for it in the pod's annotations). The driver's defaults, 250m CPU and 256Mi
 * (GoogleCloudPlatform/gcs-fuse-csi-driver deploy/base/webhook/deployment.yaml, the webhook's
 * --sidecar-*-request flags), would take a quarter of a core for each student; a read-only mount
 * without a file cache needs far less, and may burst up to its limits.
 */
export const BUCKET_SIDECAR_REQUEST = { cpuGuarantee: 0.05, memoryGuarantee: "64M" } as const satisfies ResourceSpec;

/** What stands beside each server in its pod and asks its node for resources: the course's sidecars, and the bucket driver's. */
export function serverSidecars(spec: Pick<HubSpec, "server" | "storage">): { resources?: ResourceSpec }[] {
    return [...spec.server?.sidecars ?? [], ...(hasBucketDatasets(spec) ? [{ resources: BUCKET_SIDECAR_REQUEST }] : [])];
}

/** Whether the spec needs a ReadWriteMany volume shared by every server: for shared folders or submit folders. */
export function needsSharedVolume(spec: Pick<HubSpec, "storage">): boolean {
    const storage = spec.storage;
    return Boolean(storage?.sharedCourseFolder) || (storage?.sharedFolders ?? []).length > 0 || storage?.submitFolder !== undefined;
}

/** An image as a container runtime names it: `name:tag`. */
export function imageReference(image: { name: string; tag: string }): string {
    return `${image.name}:${image.tag}`;
}

/** Parses a volume size (`100Gi`, `1Ti`; a whole number of `Mi`, `Gi` or `Ti`) into bytes; NaN for anything else. */
export function parseStorageSize(size: string): number {
    const match = /^(\d+)(Mi|Gi|Ti)$/.exec(size);
    return match ? Number(match[1]) * 1024 ** ({ Mi: 2, Gi: 3, Ti: 4 }[match[2] as "Mi" | "Gi" | "Ti"]) : NaN;
}

/** Parses KubeSpawner's byte form (`512M`, `2G`, `1.5G`; powers of 1024) into bytes. */
export function parseByteSize(text: string): number {
    const match = /^(\d+(?:\.\d+)?)([KMGT]?)$/.exec(text);
    if (!match) {
        throw new Error(`"${text}" is not a size such as 512M or 2G`);
    }
    const power = ["", "K", "M", "G", "T"].indexOf(match[2]);
    return Number(match[1]) * 1024 ** power;
}
