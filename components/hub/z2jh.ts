import { courseLabels, courseName } from "../tags";
import { Validated } from "../validated";
import { CHARTS, IMAGES, LETS_ENCRYPT } from "../versions";
import { authenticatorConfig } from "./auth";
import { contentInitContainer } from "./content";
import {
    ResolvedHubSpec,
    SHARED_COURSE_FOLDER_PATH,
    imageReference,
    needsSharedVolume,
    resolveHubSpec,
    profileResources,
} from "./defaults";
import { pageTemplateVars } from "./jupyterhub-config";
import { JupyterHubPlatformArgs, Toleration, Z2jhPlatform, platformWithStandIns } from "./platform";
import { HubSpec, ImageSpec, NodeKeyValues, ProfileSpec, ResourceSpec, ServerSpec, SidecarSpec } from "./spec";

/** Version of the Zero to JupyterHub chart the values are written for. */
export const Z2JH_CHART_VERSION = CHARTS.jupyterhub.version;
export const Z2JH_CHART_REPOSITORY = CHARTS.jupyterhub.repository;

/**
 * Name of each server's home volume in its pod, a KubeSpawner template. Set explicitly (it is also
 * the chart's default) because the course-content init container mounts the volume by this name.
 */
export const HOME_VOLUME_NAME_TEMPLATE = "volume-{user_server}";

/*
 * Kubernetes objects the JupyterHub component creates in the hub's namespace and the values refer
 * to. Each hub has a namespace of its own, so fixed names cannot collide.
 */
/** Secret holding the hub's credentials, mounted by the chart through `hub.existingSecret`. */
export const HUB_CREDENTIALS_SECRET = "course-hub-credentials";
/** ReadWriteMany claim holding the shared course folder. */
export const SHARED_VOLUME_CLAIM = "course-shared";
/** Service account the notebooks run as when they have a cloud identity. */
export const NOTEBOOK_SERVICE_ACCOUNT = "notebook";


/** Label on nodes that z2jh's node affinity reads (`core` or `user`). */
export const NODE_PURPOSE_LABEL = "hub.jupyter.org/node-purpose";
/** Taint z2jh's user pods tolerate, so that only they land on user nodes. */
export const USER_NODE_TAINT = { key: "hub.jupyter.org/dedicated", value: "user", effect: "NoSchedule" } as const;

/** Helm values for the z2jh chart, as plain JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form chart values, read at any depth by callers (public API: unknown would break them)
export type Z2jhValues = Record<string, any>;

/**
 * Renders a hub spec, validated for the platform (`validatedHubSpec`, or a component's
 * validation), as values for the z2jh chart 4.4.0 on that platform. Pure, and never throws: no
 * secrets are read (they reach the hub through the `course-hub-credentials` Secret), and the
 * proxy's token is added by the caller.
 */
export function toZ2jhValues(spec: Validated<HubSpec>, platform: Z2jhPlatform = {}): Z2jhValues {
    const hub = resolveHubSpec(spec);
    const placement = platform.nodePurposeLabels ? "require" : "prefer";
    return {
        hub: hubValues(hub, platform),
        proxy: proxyValues(hub, platform),
        ...(hub.https.mode === "ingress" && platform.ingress ? { ingress: ingressValues(hub, platform.ingress) } : {}),
        singleuser: singleuserValues(hub, platform),
        ...(gpuProfiles(hub, platform).length > 0 ? { prePuller: cpuOnlyPrePuller(hub, platform) } : {}),
        scheduling: {
            userScheduler: { enabled: true },
            podPriority: { enabled: true },
            userPlaceholder: { enabled: true, replicas: hub.prewarm.seats, resources: placeholderResources(hub.resources) },
            corePods: { nodeAffinity: { matchNodePurpose: placement } },
            userPods: { nodeAffinity: { matchNodePurpose: placement } },
        },
        cull: hub.culling.enabled
            ? {
                enabled: true,
                users: false,
                timeout: hub.culling.idleTimeoutMinutes * 60,
                every: hub.culling.checkIntervalMinutes * 60,
                maxAge: hub.culling.maxAgeMinutes * 60,
            }
            : { enabled: false },
    };
}

/**
 * The values a spec renders on a platform before anything is deployed, each value that another
 * resource produces (an address, an identity) stood in by a string: the same shape, for checking a
 * course's raw chart values merged over them against the chart's schema.
 */
export function valuesBeforeDeployment(spec: Validated<HubSpec>, platform: JupyterHubPlatformArgs): Z2jhValues {
    return toZ2jhValues(spec, platformWithStandIns(platform));
}

/**
 * The notebooks' cloud identity: the spec's, or the one the platform makes (validation refuses
 * both at once).
 */
export function notebookIdentity<Identity>(spec: HubSpec, platform: { notebookIdentity?: Identity }): HubSpec["notebookIdentity"] | Identity | undefined {
    return spec.notebookIdentity ?? platform.notebookIdentity;
}

/** The host name's TLS Secret when cert-manager issues the certificate through an ingress. */
export function ingressTlsSecretName(spec: Pick<HubSpec, "course" | "term">): string {
    return `${courseName(spec)}-tls`;
}

function hubValues(hub: ResolvedHubSpec, platform: Z2jhPlatform): Z2jhValues {
    const extraConfig: Record<string, string> = {};
    if (hub.storage.sharedCourseFolder) {
        extraConfig["course-hubs-shared-folder"] = sharedFolderWriters(hub);
    }
    const authConfig = authenticatorConfig(hub).config;
    return {
        config: {
            ...authConfig,
            JupyterHub: { ...authConfig.JupyterHub, template_vars: pageTemplateVars(hub) },
            // Notebooks get no Kubernetes API token, even when they run as a service account for
            // a cloud identity (IRSA and Workload Identity do not need one).
            KubeSpawner: { automount_service_account_token: false },
        },
        existingSecret: HUB_CREDENTIALS_SECRET,
        concurrentSpawnLimit: hub.spawn.concurrentLimit,
        ...(hub.server?.namedServerLimit ? { allowNamedServers: true, namedServerLimitPerUser: hub.server.namedServerLimit } : {}),
        // The cluster autoscaler must never evict the hub to shrink the core nodes.
        annotations: { "cluster-autoscaler.kubernetes.io/safe-to-evict": "false" },
        labels: courseLabels(hub),
        networkPolicy: { enabled: true },
        ...(platform.homeStorageClass ? { db: { pvc: { storageClassName: platform.homeStorageClass } } } : {}),
        ...(Object.keys(extraConfig).length > 0 ? { extraConfig } : {}),
    };
}

/**
 * Python run by the hub: admins and staff get the shared course folder read-write, everyone else
 * read-only. The mounts are copied, not edited in place, because spawners share them.
 */
function sharedFolderWriters(hub: ResolvedHubSpec): string {
    const writers = JSON.stringify([...new Set([...hub.adminUsers, ...hub.staffUsers])]);
    return [
        `_course_hubs_writers = set(${writers})`,
        "",
        "def _course_hubs_writable(mount):",
        `    return dict(mount, readOnly=False) if mount.get("mountPath") == "${SHARED_COURSE_FOLDER_PATH}" else mount`,
        "",
        "def _course_hubs_shared_folder_access(spawner):",
        "    if spawner.user.admin or spawner.user.name in _course_hubs_writers:",
        "        mounts = spawner.volume_mounts",
        "        # The chart sets a dict keyed by mount (KubeSpawner 7 takes a dict or a list).",
        "        if isinstance(mounts, dict):",
        "            spawner.volume_mounts = {key: _course_hubs_writable(m) for key, m in mounts.items()}",
        "        else:",
        "            spawner.volume_mounts = [_course_hubs_writable(m) for m in mounts]",
        "",
        "c.KubeSpawner.pre_spawn_hook = _course_hubs_shared_folder_access",
        "",
    ].join("\n");
}

function proxyValues(hub: ResolvedHubSpec, platform: Z2jhPlatform): Z2jhValues {
    if (hub.https.mode === "ingress") {
        // The shared ingress controller is the only entry point: no load balancer of the hub's own.
        return { service: { type: "ClusterIP" }, https: { enabled: false } };
    }
    const service = {
        type: "LoadBalancer",
        ...(platform.proxyService?.annotations ? { annotations: platform.proxyService.annotations } : {}),
        ...(platform.proxyService?.loadBalancerIP ? { loadBalancerIP: platform.proxyService.loadBalancerIP } : {}),
        // Behind TLS offload the Service's port 80 leads to the same proxy port as 443: the hub in
        // plain text. With letsencrypt and secret, port 80 only answers ACME and redirects to HTTPS.
        ...(hub.https.mode === "offload" ? { disableHttpPort: true } : {}),
    };
    const https = (() => {
        switch (hub.https.mode) {
            case "letsencrypt":
                return {
                    enabled: true, type: "letsencrypt", hosts: [hub.hostname],
                    letsencrypt: { contactEmail: hub.https.contactEmail, ...(hub.https.staging ? { acmeServer: LETS_ENCRYPT.staging } : {}) },
                };
            case "secret":
                return { enabled: true, type: "secret", hosts: [hub.hostname], secret: { name: hub.https.secretName } };
            case "offload":
                return { enabled: true, type: "offload", hosts: [hub.hostname] };
        }
    })();
    return { service, https };
}

function ingressValues(hub: ResolvedHubSpec, ingress: NonNullable<Z2jhPlatform["ingress"]>): Z2jhValues {
    return {
        enabled: true,
        ingressClassName: ingress.className,
        hosts: [hub.hostname],
        annotations: { "cert-manager.io/cluster-issuer": ingress.clusterIssuer },
        tls: [{ hosts: [hub.hostname], secretName: ingressTlsSecretName(hub) }],
    };
}

function singleuserValues(hub: ResolvedHubSpec, platform: Z2jhPlatform): Z2jhValues {
    const storageClass = hub.storage.homeStorageClass ?? platform.homeStorageClass;
    const server = hub.server ?? {};
    const volumes = [sharedVolume(hub), sharedMemoryVolume(server)].filter((volume) => volume !== undefined);
    const identity = notebookIdentity(hub, platform);
    // GKE Workload Identity hands notebooks their own token through the metadata server (which
    // then conceals the node's credentials), so only there may notebooks reach it.
    const metadataServerNeeded = identity !== undefined && "gcpServiceAccountEmail" in identity;
    return {
        image: imageValues(hub.image),
        defaultUrl: hub.defaultUrl,
        ...resourceValues(hub.resources),
        startTimeout: hub.spawn.startTimeoutSeconds,
        extraLabels: courseLabels(hub),
        ...serverPlacement(server),
        ...(server.environment ? { extraEnv: server.environment } : {}),
        ...(server.sidecars?.length ? { extraContainers: server.sidecars.map(sidecarContainer) } : {}),
        ...(server.content ? { initContainers: [contentInitContainer(server.content, HOME_VOLUME_NAME_TEMPLATE)] } : {}),
        ...(server.profiles?.length ? { profileList: server.profiles.map((p, i) => profileValues(p, i, server, platform)) } : {}),
        ...serverFiles(hub),
        storage: {
            type: "dynamic",
            capacity: hub.storage.homeSize,
            dynamic: { volumeNameTemplate: HOME_VOLUME_NAME_TEMPLATE, ...(storageClass ? { storageClass } : {}) },
            ...(volumes.length > 0
                ? { extraVolumes: volumes.flatMap((v) => v.volumes), extraVolumeMounts: volumes.flatMap((v) => v.mounts) }
                : {}),
        },
        ...(identity ? { serviceAccountName: NOTEBOOK_SERVICE_ACCOUNT } : {}),
        networkPolicy: { enabled: true, egressAllowRules: { cloudMetadataServer: metadataServerNeeded } },
        cloudMetadata: { blockWithIptables: !metadataServerNeeded && !platform.enforcesNetworkPolicy },
        allowPrivilegeEscalation: false,
    };
}

function imageValues(image: ImageSpec): { name: string; tag: string } {
    return { name: image.name, tag: image.tag };
}

/**
 * Resources of a warm seat's placeholder pod: exactly what a server requests. Given explicitly
 * because the chart would copy the server's `1G` into the pod, where Kubernetes reads 10^9 bytes,
 * while KubeSpawner gives the server 2^30: each seat would hold 7% less memory than a server needs.
 */
function placeholderResources(resources: Required<ResourceSpec>): Z2jhValues {
    return { requests: { cpu: String(resources.cpuGuarantee), memory: kubernetesMemory(resources.memoryGuarantee) } };
}

function resourceValues(resources: Required<ResourceSpec>): Z2jhValues {
    return {
        cpu: { guarantee: resources.cpuGuarantee, limit: resources.cpuLimit },
        memory: { guarantee: resources.memoryGuarantee, limit: resources.memoryLimit },
    };
}

function sidecarContainer(sidecar: SidecarSpec): Z2jhValues {
    const resources = sidecar.resources;
    return {
        name: sidecar.name,
        image: imageReference(sidecar.image),
        ...(sidecar.environment ? { env: Object.entries(sidecar.environment).map(([name, value]) => ({ name, value })) } : {}),
        ...(sidecar.ports?.length ? { ports: sidecar.ports.map((containerPort) => ({ containerPort })) } : {}),
        ...(resources
            ? {
                resources: {
                    requests: pruned({ cpu: resources.cpuGuarantee, memory: kubernetesMemory(resources.memoryGuarantee) }),
                    limits: pruned({ cpu: resources.cpuLimit, memory: kubernetesMemory(resources.memoryLimit) }),
                },
            }
            : {}),
        securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true },
    };
}

/** KubeSpawner's `2G` (1024-based) as a Kubernetes quantity, `2Gi`. */
function kubernetesMemory<T extends string | undefined>(size: T): T {
    return size?.replace(/([KMGT])$/, "$1i") as T;
}

function pruned<T extends Record<string, unknown>>(object: T): Partial<T> {
    return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function profileValues(profile: ProfileSpec, index: number, server: ServerSpec, platform: Z2jhPlatform): Z2jhValues {
    const isDefault = profile.default ?? (index === 0 && !server.profiles!.some((p) => p.default));
    const override: Z2jhValues = {};
    if (profile.image) {
        override.image = imageReference(profile.image);
    }
    if (profile.resources) {
        const r = profileResources(server, profile);
        Object.assign(override, { cpu_guarantee: r.cpuGuarantee, cpu_limit: r.cpuLimit, mem_guarantee: r.memoryGuarantee, mem_limit: r.memoryLimit });
    }
    const gpus = profile.gpus ?? 0;
    if (gpus > 0 && platform.gpu) {
        const resourceName = platform.gpu.resourceName ?? "nvidia.com/gpu";
        override.extra_resource_limits = { [resourceName]: String(gpus) };
        override.extra_resource_guarantees = { [resourceName]: String(gpus) };
    }
    Object.assign(override, profilePlacement(profile, server, platform));
    return {
        display_name: profile.displayName,
        slug: profile.slug,
        ...(profile.description ? { description: profile.description } : {}),
        ...(isDefault ? { default: true } : {}),
        ...(Object.keys(override).length > 0 ? { kubespawner_override: override } : {}),
    };
}

/**
 * Where the default server runs beside course-hubs's own placement: the chart adds these to every
 * user pod's (servers, warm seats, image pullers), after its user-node affinity and toleration.
 */
function serverPlacement(server: ServerSpec): Z2jhValues {
    return {
        ...(hasKeys(server.nodeSelector) ? { nodeSelector: { ...server.nodeSelector } } : {}),
        ...(hasKeys(server.tolerations) ? { extraTolerations: tolerationsOf(server.tolerations) } : {}),
    };
}

/**
 * Where a profile's servers run, as KubeSpawner overrides, which replace what the chart sets
 * rather than add to it: so each repeats the server's placement (and the user-node toleration),
 * merges the profile's own over it, and for a GPU profile ends with the GPU nodes' selector and
 * tolerations, which nothing a course writes displaces. Empty when the profile runs where the
 * default server does.
 */
function profilePlacement(profile: ProfileSpec, server: ServerSpec, platform: Z2jhPlatform): Z2jhValues {
    const gpu = (profile.gpus ?? 0) > 0 ? platform.gpu : undefined;
    const selectsOwnNodes = hasKeys(profile.nodeSelector) || hasKeys(gpu?.nodeSelector);
    const toleratesOwnTaints = hasKeys(profile.tolerations) || gpu !== undefined;
    return {
        ...(selectsOwnNodes ? { node_selector: { ...server.nodeSelector, ...profile.nodeSelector, ...gpu?.nodeSelector } } : {}),
        ...(toleratesOwnTaints
            ? {
                tolerations: [
                    { ...USER_NODE_TAINT, operator: "Equal" },
                    ...tolerationsOf({ ...server.tolerations, ...profile.tolerations }),
                    ...(gpu?.tolerations ?? []),
                ],
            }
            : {}),
    };
}

/** Tolerations of taints by key and value, whatever their effect (a toleration without one tolerates every effect). */
function tolerationsOf(taints: NodeKeyValues): Toleration[] {
    return Object.entries(taints).map(([key, value]) => ({ key, operator: "Equal", value }));
}

function hasKeys(map: Record<string, string> | undefined): map is Record<string, string> {
    return map !== undefined && Object.keys(map).length > 0;
}

function gpuProfiles(hub: ResolvedHubSpec, platform: Pick<Z2jhPlatform, "gpu">): ProfileSpec[] {
    return platform.gpu ? (hub.server?.profiles ?? []).filter((p) => (p.gpus ?? 0) > 0) : [];
}

/**
 * The chart's image pullers run on every user node but not on GPU nodes, whose taint they do not
 * tolerate: left to themselves they would pull each GPU profile's large CUDA image onto every CPU
 * node and never onto a GPU node. With GPU profiles they pull the CPU images only, and
 * {@link gpuImagePullerPod} pulls the GPU images onto the GPU nodes.
 */
function cpuOnlyPrePuller(hub: ResolvedHubSpec, platform: Z2jhPlatform): Z2jhValues {
    const gpu = new Set(gpuProfiles(hub, platform));
    const cpuImages = (hub.server?.profiles ?? []).filter((p) => !gpu.has(p) && p.image);
    return {
        pullProfileListImages: false,
        extraImages: Object.fromEntries(cpuImages.map((p) => [`profile-${p.slug}`, imageValues(p.image!)])),
    };
}

/**
 * Pod of a DaemonSet that pre-pulls every GPU profile's image onto each GPU node as it joins, so
 * the first GPU server of a lecture does not wait for a CUDA image. Undefined without GPU profiles.
 */
export function gpuImagePullerPod(spec: HubSpec, platform: Pick<Z2jhPlatform, "gpu">): Z2jhValues | undefined {
    const hub = resolveHubSpec(spec);
    const images = [...new Set(gpuProfiles(hub, platform).map((p) => imageReference(p.image ?? hub.image)))];
    if (images.length === 0 || !platform.gpu) {
        return undefined;
    }
    const unprivileged = {
        runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] },
    };
    const tiny = { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } };
    return {
        nodeSelector: { ...platform.gpu.nodeSelector },
        tolerations: [{ ...USER_NODE_TAINT, operator: "Equal" }, ...(platform.gpu.tolerations ?? [])],
        automountServiceAccountToken: false,
        terminationGracePeriodSeconds: 0,
        // Each image is pulled by running a no-op in it; the pod then idles so the node keeps it.
        initContainers: images.map((image, i) => ({
            name: `pull-${i + 1}`, image, command: ["/bin/sh", "-c", "true"], securityContext: unprivileged, resources: tiny,
        })),
        containers: [{ name: "pause", image: imageReference(IMAGES.pause), securityContext: unprivileged, resources: tiny }],
    };
}

/** Where course-hubs's kernel culling setting is in each server: a path the course's own files may not take. */
export const KERNEL_CULLING_FILE_PATH = "/usr/local/etc/jupyter/jupyter_server_config.d/course-hubs-kernel-culling.json";

/**
 * The files the chart mounts in every server: course-hubs's own (`course-hubs-*`) and the
 * course's `server.extraFiles` (`course-file-1`, ...), under names that cannot meet.
 */
function serverFiles(hub: ResolvedHubSpec): Z2jhValues {
    const files = {
        ...kernelCulling(hub),
        ...Object.fromEntries((hub.server?.extraFiles ?? []).map((file, i) => [`course-file-${i + 1}`, { mountPath: file.path, stringData: file.content }])),
    };
    return Object.keys(files).length > 0 ? { extraFiles: files } : {};
}

/** Kernel culling inside each server, as a Jupyter Server config file the chart mounts. */
function kernelCulling(hub: ResolvedHubSpec): Z2jhValues | undefined {
    if (!hub.culling.enabled || hub.culling.kernelIdleTimeoutMinutes === 0) {
        return undefined;
    }
    return {
        "course-hubs-kernel-culling": {
            mountPath: KERNEL_CULLING_FILE_PATH,
            data: {
                MappingKernelManager: {
                    cull_idle_timeout: hub.culling.kernelIdleTimeoutMinutes * 60,
                    cull_interval: 300,
                    cull_connected: true,
                    cull_busy: false,
                },
            },
        },
    };
}

/** Volumes of every server's pod, and where the notebook mounts them. */
interface PodVolumes {
    volumes: Z2jhValues[];
    mounts: Z2jhValues[];
}

/** The shared claim's volume and where it is mounted: the course folder, read-only (staff get it writable at spawn). */
function sharedVolume(hub: ResolvedHubSpec): PodVolumes | undefined {
    if (!needsSharedVolume(hub)) {
        return undefined;
    }
    return {
        volumes: [{ name: SHARED_VOLUME_CLAIM, persistentVolumeClaim: { claimName: SHARED_VOLUME_CLAIM } }],
        mounts: [{ name: SHARED_VOLUME_CLAIM, mountPath: SHARED_COURSE_FOLDER_PATH, subPath: "course", readOnly: true }],
    };
}

/** Name of the in-memory volume mounted at `/dev/shm` with `server.sharedMemory`. */
const SHARED_MEMORY_VOLUME = "course-hubs-shared-memory";

/**
 * `/dev/shm` as an in-memory emptyDir of `server.sharedMemory`: the container runtime's own is 64M,
 * too small for PyTorch's data loader workers. Its pages count against the server's memory limit.
 */
function sharedMemoryVolume(server: ServerSpec): PodVolumes | undefined {
    if (server.sharedMemory === undefined) {
        return undefined;
    }
    return {
        volumes: [{ name: SHARED_MEMORY_VOLUME, emptyDir: { medium: "Memory", sizeLimit: kubernetesMemory(server.sharedMemory) } }],
        mounts: [{ name: SHARED_MEMORY_VOLUME, mountPath: "/dev/shm" }],
    };
}
