import * as crypto from "node:crypto";
import { IMAGES } from "../versions";
import { NOTEBOOK_GID, NOTEBOOK_HOME, NOTEBOOK_UID } from "./content";
import { DEFAULT_HOME_SIZE, imageReference, parseStorageSize } from "./defaults";
import { HubSpec, SharedHomesSpec, StorageSize, StorageSpec } from "./spec";
import type * as k8sInput from "@pulumi/kubernetes/types/input";

/*
 * Homes as folders on one shared file system, each with a quota (`storage.home.sharedFileSystem`),
 * as 2i2c's jupyterhub-home-nfs keeps them, with course-hubs's own Kubernetes objects: a block
 * volume formatted XFS and mounted with project quotas (the platform's storage class says both),
 * an NFS server Deployment in the hub's namespace that exports it (NFS-Ganesha) beside 2i2c's
 * quota enforcer (jupyterhub_home_nfs/generate.py, 1.2.0: every folder at the top of the file system
 * gets an XFS project and a hard block limit, re-checked every `wait_time` seconds), and a
 * PersistentVolume of type NFS with its claim, which the chart mounts in every server
 * (`singleuser.storage.type: static`) at the user's folder.
 */

/** The claim every server mounts (the chart's `singleuser.storage.static.pvcName`), bound to the NFS volume. */
export const HOMES_CLAIM = "course-homes";
/** The claim of the block volume behind the NFS server, in the platform's XFS storage class. */
export const HOMES_DISK_CLAIM = "course-homes-disk";
/** Name of the NFS server's Deployment, Service and ConfigMap. */
export const HOMES_NFS_SERVER = "homes-nfs";
/**
 * Label of the NFS server's pods and Deployment. The course teardown scales what it selects to
 * zero after the user servers are gone (an NFS client whose server went first hangs) and before
 * it deletes the claims (the disk's claim stays while the server mounts it).
 */
export const HOMES_NFS_SERVER_LABELS = { "app.kubernetes.io/name": HOMES_NFS_SERVER, "app.kubernetes.io/component": "homes-nfs-server" } as const;
export const HOMES_NFS_SERVER_SELECTOR = Object.entries(HOMES_NFS_SERVER_LABELS).map(([key, value]) => `${key}=${value}`).join(",");
/**
 * Each server's folder on the file system, a KubeSpawner template: z2jh's own default for static
 * storage, the user's name as KubeSpawner 7 makes it safe ({@link homeFolderName}). It names no
 * server, so a user's named servers share the folder.
 */
export const HOME_FOLDER_TEMPLATE = "{username}";
/**
 * The chart's name for the home volume with static storage (z2jh 4.4.0 files/hub/jupyterhub_config.py:
 * `volumes = {"home": {"name": "home", ...}}`), which init containers mount as the notebook does.
 */
export const STATIC_HOME_VOLUME = "home";
/** Where admins see every home when `allHomes` names no path. */
export const DEFAULT_ALL_HOMES_PATH = `${NOTEBOOK_HOME}/all-homes`;
/** Where the NFS server and the quota enforcer mount the file system, and what the NFS server exports. */
const EXPORT_PATH = "/export";
/** NFSv4's one port: no rpcbind or mountd is exported. */
const NFS_PORT = 2049;
const QUOTA_ENFORCER_CONFIG_FOLDER = "/etc/course-hubs";
const QUOTA_ENFORCER_CONFIG_FILE = "quota-enforcer.json";
const GANESHA_CONFIG_FILE = "ganesha.conf";

/** The spec's shared file system of homes, if it asks for one. */
export function sharedHomesOf(spec: HubSpec): SharedHomesSpec | undefined {
    return spec.storage?.home?.sharedFileSystem;
}

/*
 * KubeSpawner 7.0.0's `{username}` under its default slug scheme "safe" (kubespawner/spawner.py
 * `_expand_user_properties`: `safe_slug(name, max_length=48)`; kubespawner/slugs.py): a name that
 * is already a DNS label of at most 48 characters without `--` is kept; any other becomes its
 * lowercase letters and digits, runs of anything else as one `-`, cut to 37 characters, then `---`
 * and the first 8 hex digits of the name's SHA-256.
 */
const SLUG_MAX_LENGTH = 48;
const SLUG_HASH_LENGTH = 8;

/** The folder KubeSpawner 7.0.0 gives a user on the shared file system: their name when it is a safe DNS label, else a safe form with a hash. */
export function homeFolderName(username: string): string {
    const validAsIs = /^[a-z]([a-z0-9-]*[a-z0-9])?$/.test(username) && username.length <= SLUG_MAX_LENGTH && !username.includes("--");
    if (validAsIs) {
        return username;
    }
    const hash = crypto.createHash("sha256").update(username, "utf8").digest("hex").slice(0, SLUG_HASH_LENGTH);
    return `${safeNamePart(username, SLUG_MAX_LENGTH - (SLUG_HASH_LENGTH + 3))}---${hash}`;
}

/** KubeSpawner's `_extract_safe_name`: lowercase letters, digits and single hyphens, starting with a letter, at most `maxLength`. */
function safeNamePart(name: string, maxLength: number): string {
    const part = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+/, "").slice(0, maxLength).replace(/-+$/, "");
    if (part === "") {
        return "x";
    }
    return /^[a-z]/.test(part) ? part : `x-${part.slice(0, maxLength - 2)}`;
}

/** GiB, as the quota enforcer takes sizes (a float: `512Mi` is 0.5). */
function gibibytes(size: StorageSize): number {
    return parseStorageSize(size) / 1024 ** 3;
}

/**
 * The quota enforcer's settings (its traitlets, loaded from a JSON config file): the exported file
 * system, each folder's quota in GiB, overrides by folder name, and the owner of the file system's
 * root, the notebook user. The folders the kubelet creates are the NFS server's anonymous user's,
 * the same one, whoever asks.
 */
export function quotaEnforcerSettings(spec: HubSpec, homes: SharedHomesSpec): Record<string, unknown> {
    return {
        QuotaManager: {
            paths: [EXPORT_PATH],
            hard_quota: gibibytes(spec.storage?.home?.size ?? DEFAULT_HOME_SIZE),
            quota_overrides: Object.fromEntries(Object.entries(homes.sizeOverrides ?? {}).map(([user, size]) => [homeFolderName(user), gibibytes(size)])),
            uid: NOTEBOOK_UID,
            gid: NOTEBOOK_GID,
            wait_time: 30,
        },
    };
}

/**
 * NFS-Ganesha's configuration: the file system as the export's root, NFSv4 over TCP only (one
 * port), every client's user squashed to the notebook user (so what a server writes, and the
 * folders the kubelet creates as root, belong to uid 1000 and gid 100, as in a home volume), and a
 * short grace period after a restart so that servers' mounts resume within half a minute.
 */
export function ganeshaConfig(): string {
    return [
        "NFS_CORE_PARAM {",
        "    Protocols = 4;",
        "}",
        "NFSv4 {",
        "    Grace_Period = 30;",
        "    Lease_Lifetime = 20;",
        "}",
        "EXPORT {",
        "    Export_Id = 1;",
        `    Path = ${EXPORT_PATH};`,
        "    Pseudo = /;",
        "    Protocols = 4;",
        "    Transports = TCP;",
        "    Access_Type = RW;",
        "    Squash = All_Squash;",
        `    Anonymous_Uid = ${NOTEBOOK_UID};`,
        `    Anonymous_Gid = ${NOTEBOOK_GID};`,
        "    SecType = sys;",
        "    FSAL {",
        "        Name = VFS;",
        "    }",
        "}",
        "",
    ].join("\n");
}

/**
 * A block storage class of a cluster's CSI driver, as EksHub and GkeHub make theirs: volumes made
 * when a pod first needs them (in its zone), growable, kept or deleted with the claim by
 * `reclaimPolicy`. With `xfsWithQuotas`, for the disk of shared homes: an XFS file system mounted
 * with project quotas, which the quota enforcer sets on each home folder.
 */
export function blockStorageClassArgs(
    metadata: { name: string; annotations?: Record<string, string> }, provisioner: string, parameters: Record<string, string>,
    reclaimPolicy: "Retain" | "Delete", xfsWithQuotas = false,
): k8sInput.storage.v1.StorageClass {
    return {
        metadata,
        provisioner,
        parameters: { ...parameters, ...(xfsWithQuotas ? { "csi.storage.k8s.io/fstype": "xfs" } : {}) },
        ...(xfsWithQuotas ? { mountOptions: ["pquota"] } : {}),
        reclaimPolicy,
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
    };
}

/** The NFS server's objects in the hub's namespace, before the cluster gives the Service its address. */
export interface SharedHomesObjects {
    /** The block volume's claim: ReadWriteOnce, in the platform's XFS storage class. */
    disk: { storageClassName?: string; size: StorageSize };
    /** Contents of the ConfigMap the NFS server and the quota enforcer read. */
    config: Record<string, string>;
    /** The NFS server Deployment's pod. */
    serverPod: k8sInput.core.v1.PodSpec;
    /**
     * Annotations of that pod: a digest of the configuration, which both programs read only when
     * they start, so that a changed quota restarts them; and the autoscaler's word not to evict it
     * (every server's home would stall while it moved).
     */
    serverPodAnnotations: Record<string, string>;
    /** Mount options of the NFS volume the kubelet mounts for each server. */
    mountOptions: string[];
}

/**
 * What shared homes need in the hub's namespace, or undefined without them: `storageClassName`
 * is the platform's XFS class with project quotas, `coreNodeSelector` where the NFS server runs
 * (the core nodes, which the autoscaler never drains). Pure.
 */
export function sharedHomesObjects(
    spec: HubSpec, storageClassName: string | undefined, coreNodeSelector: Record<string, string>,
): SharedHomesObjects | undefined {
    const homes = sharedHomesOf(spec);
    if (!homes) {
        return undefined;
    }
    const config = {
        [GANESHA_CONFIG_FILE]: ganeshaConfig(),
        [QUOTA_ENFORCER_CONFIG_FILE]: JSON.stringify(quotaEnforcerSettings(spec, homes), null, 2),
    };
    return {
        disk: { storageClassName, size: homes.size },
        config,
        serverPod: nfsServerPod(coreNodeSelector),
        serverPodAnnotations: {
            "course-hubs/config-sha256": crypto.createHash("sha256").update(JSON.stringify(config)).digest("hex"),
            "cluster-autoscaler.kubernetes.io/safe-to-evict": "false",
        },
        // NFSv4 at the highest minor version both ends speak; hard (the default): a write waits out
        // an NFS server restart rather than failing in a student's notebook.
        mountOptions: ["nfsvers=4", "hard"],
    };
}

/**
 * The NFS server's pod. Privileges, and no more:
 * - NFS-Ganesha runs as root (it serves every user's files and binds port 2049) with the runtime's
 *   default capabilities plus `DAC_READ_SEARCH` (its VFS backend opens files by handle,
 *   open_by_handle_at(2)) and `SYS_RESOURCE` (it raises its open-file limit), as the Kubernetes
 *   NFS-Ganesha provisioner runs it (kubernetes-sigs/nfs-ganesha-server-and-external-provisioner,
 *   deploy/kubernetes/deployment.yaml); not privileged, no privilege escalation.
 * - The quota enforcer is privileged: xfs_quota sets limits with quotactl(2), which needs
 *   `SYS_ADMIN` and names the file system's block device, absent from an unprivileged container's
 *   /dev. It runs 2i2c's pinned image and reaches nothing but the volume.
 * Neither gets a Kubernetes API token. One replica, replaced by stopping the old one first: the
 * block volume attaches to one node at a time.
 */
function nfsServerPod(coreNodeSelector: Record<string, string>): k8sInput.core.v1.PodSpec {
    const fileSystem = { name: "homes", mountPath: EXPORT_PATH };
    return {
        automountServiceAccountToken: false,
        ...(Object.keys(coreNodeSelector).length > 0 ? { nodeSelector: coreNodeSelector } : {}),
        containers: [
            {
                name: "nfs-server",
                image: imageReference(IMAGES.homesNfsServer),
                ports: [{ name: "nfs", containerPort: NFS_PORT, protocol: "TCP" }],
                readinessProbe: { tcpSocket: { port: NFS_PORT }, periodSeconds: 10 },
                securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ["DAC_READ_SEARCH", "SYS_RESOURCE"] } },
                volumeMounts: [fileSystem, { name: "config", mountPath: `/etc/ganesha/${GANESHA_CONFIG_FILE}`, subPath: GANESHA_CONFIG_FILE, readOnly: true }],
                resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "1Gi" } },
            },
            {
                name: "quota-enforcer",
                image: imageReference(IMAGES.homesQuotaEnforcer),
                command: ["python", "-m", "jupyterhub_home_nfs.generate", "--config-file", `${QUOTA_ENFORCER_CONFIG_FOLDER}/${QUOTA_ENFORCER_CONFIG_FILE}`],
                securityContext: { privileged: true },
                volumeMounts: [fileSystem, { name: "config", mountPath: QUOTA_ENFORCER_CONFIG_FOLDER, readOnly: true }],
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
            },
        ],
        volumes: [
            { name: "homes", persistentVolumeClaim: { claimName: HOMES_DISK_CLAIM } },
            { name: "config", configMap: { name: HOMES_NFS_SERVER } },
        ],
    };
}

/**
 * Where admins see every home, with the spec's property that gives the path (`at`, the allHomes
 * option, when the path is the default), for the checks of every mount's path.
 */
export function allHomesMountAt(storage: StorageSpec, at: string): { path: string; source: string }[] {
    const allHomes = storage.home?.sharedFileSystem?.allHomes;
    if (!allHomes) {
        return [];
    }
    return [allHomes.path !== undefined ? { path: allHomes.path, source: `${at}.path` } : { path: DEFAULT_ALL_HOMES_PATH, source: at }];
}

/**
 * Python run by the hub: admins, and staff when `allHomes.staff` says so, get the whole file system
 * (the chart's `home` volume without the user's subPath) mounted at `allHomes.path`. It runs after
 * whatever pre-spawn hook the configuration set before it, so its key in `hub.extraConfig` (run in
 * sorted order) sorts after the others'. Empty without `allHomes`.
 */
export function allHomesHook(spec: HubSpec, staffUsers: string[]): string | undefined {
    const allHomes = sharedHomesOf(spec)?.allHomes;
    if (!allHomes) {
        return undefined;
    }
    // JSON of strings, lists and objects reads as the same Python literal.
    const mount = JSON.stringify({ name: STATIC_HOME_VOLUME, mountPath: allHomes.path ?? DEFAULT_ALL_HOMES_PATH });
    const readers = JSON.stringify(allHomes.staff ? staffUsers : []);
    return [
        `_course_hubs_all_homes_readers = set(${readers})`,
        `_course_hubs_all_homes_mount = ${mount}`,
        "_course_hubs_hook_before_all_homes = c.KubeSpawner.pre_spawn_hook if \"pre_spawn_hook\" in c.KubeSpawner else None",
        "",
        "def _course_hubs_all_homes(spawner):",
        "    if _course_hubs_hook_before_all_homes is not None:",
        "        _course_hubs_hook_before_all_homes(spawner)",
        "    if spawner.user.admin or spawner.user.name in _course_hubs_all_homes_readers:",
        "        mounts = spawner.volume_mounts",
        "        # The chart sets a dict keyed by mount (KubeSpawner 7 takes a dict or a list); copied, not",
        "        # edited in place, because spawners share it.",
        "        if isinstance(mounts, dict):",
        "            spawner.volume_mounts = dict(mounts, **{\"course-hubs-all-homes\": _course_hubs_all_homes_mount})",
        "        else:",
        "            spawner.volume_mounts = [*mounts, _course_hubs_all_homes_mount]",
        "",
        "c.KubeSpawner.pre_spawn_hook = _course_hubs_all_homes",
        "",
    ].join("\n");
}

/**
 * Key of the all-homes hook in `hub.extraConfig`: z2jh runs the entries in sorted order
 * (jupyterhub_config.py), and this one wraps the hook set before it, so it sorts after every
 * other `course-hubs-*` entry.
 */
export const ALL_HOMES_HOOK_KEY = "course-hubs-zz-all-homes";
