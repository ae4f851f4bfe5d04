import { IMAGES } from "../versions";
import { CullingSpec, HubSpec, ImageSpec, PrewarmSpec, ProfileSpec, ResourceSpec, ServerSpec, SpawnSpec, StorageSpec } from "./spec";

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
    storage: Required<Pick<StorageSpec, "sharedCourseFolder">> & {
        homeSize: string;
        homeStorageClass?: string;
    };
    prewarm: Required<PrewarmSpec>;
}

/** Fills in every default of a (validated) spec. */
export function resolveHubSpec(spec: HubSpec): ResolvedHubSpec {
    const server = spec.server ?? {};
    return {
        ...spec,
        displayName: spec.displayName ?? `${spec.course} (${spec.term})`,
        adminUsers: spec.adminUsers ?? [],
        staffUsers: spec.staffUsers ?? [],
        allowedUsers: spec.allowedUsers ?? [],
        image: server.image ?? DEFAULT_IMAGE,
        defaultUrl: server.defaultUrl ?? "/lab",
        resources: resolveResources(server.resources),
        culling: resolveCulling(spec.culling),
        spawn: { ...DEFAULT_SPAWN, ...spec.spawn },
        storage: {
            homeSize: spec.storage?.home?.size ?? DEFAULT_HOME_SIZE,
            homeStorageClass: spec.storage?.home?.storageClass,
            sharedCourseFolder: spec.storage?.sharedCourseFolder ?? false,
        },
        prewarm: {
            seats: spec.prewarm?.seats ?? 0,
            schedule: spec.prewarm?.schedule ?? [],
            timeZone: spec.prewarm?.timeZone ?? DEFAULT_PREWARM_TIME_ZONE,
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

/** Whether the spec needs a ReadWriteMany volume shared by every server. */
export function needsSharedVolume(spec: HubSpec): boolean {
    return Boolean(spec.storage?.sharedCourseFolder);
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
