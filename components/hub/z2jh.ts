import { courseLabels, courseName } from "../tags";
import { Validated } from "../validated";
import { CHARTS, IMAGES, LETS_ENCRYPT } from "../versions";
import { authenticatorConfig } from "./auth";
import { logoFile } from "./branding";
import { NOTEBOOK_GID, NOTEBOOK_HOME, NOTEBOOK_UID, contentInitContainer } from "./content";
import {
    BUCKET_SIDECAR_REQUEST,
    ResolvedHubSpec,
    SeatRequest,
    hasBucketDatasets,
    imageReference,
    needsSharedVolume,
    resolveHubSpec,
    profileResources,
    warmSeatRequest,
} from "./defaults";
import { escapeHtml, pageTemplateVars, pythonLiteral } from "./jupyterhub-config";
import { profileGroupsConfig, profileImages, profileOptionValues } from "./profile-menus";
import { Dataset, SUBMIT_DIRECTORY, courseFolders, datasets, submitFolderPaths } from "./shared-folders";
import { ALL_HOMES_HOOK_KEY, HOMES_CLAIM, HOME_FOLDER_TEMPLATE, STATIC_HOME_VOLUME, allHomesHook, sharedHomesOf } from "./shared-homes";
import { JupyterHubPlatformArgs, Toleration, Z2jhPlatform, platformWithStandIns, withOperatorAdmins } from "./platform";
import { IMAGE_PULL_SECRET } from "./registry";
import { HubSpec, ImageSpec, InitContainerSpec, NodeKeyValues, ProfileSpec, ResourceSpec, ServerSpec, SidecarSpec } from "./spec";

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
/** Secret holding the servers' secret environment variables (`server.secretEnvironment`), each under its name. */
export const SERVER_ENVIRONMENT_SECRET = "course-server-environment";
/** ReadWriteMany claim holding the course's shared folders and the students' submit folders. */
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
 * Traefik Middleware, in the hub's namespace, that keeps the hub's Ingress to `allowedSourceRanges`
 * when a Traefik controller serves it (`https.mode: "ingress"`).
 */
export const ALLOWED_SOURCES_MIDDLEWARE = "course-hub-allowed-sources";

/**
 * Renders a hub spec, validated for the platform (`validatedHubSpec`, or a component's
 * validation), as values for the z2jh chart 4.4.0 on that platform, for a hub in `namespace` (the
 * JupyterHub component's: its default is the course and term). Pure, and never throws: no
 * secrets are read (they reach the hub through the `course-hub-credentials` Secret), and the
 * proxy's token is added by the caller.
 */
export function toZ2jhValues(spec: Validated<HubSpec>, platform: Z2jhPlatform = {}, namespace = courseName(spec)): Z2jhValues {
    const hub = resolveHubSpec(withOperatorAdmins(spec, platform));
    const placement = platform.nodePurposeLabels ? "require" : "prefer";
    return {
        hub: hubValues(hub, platform),
        proxy: proxyValues(hub, platform),
        ...(hub.https.mode === "ingress" && platform.ingress ? { ingress: ingressValues(hub, platform.ingress, namespace) } : {}),
        singleuser: singleuserValues(hub, platform),
        prePuller: prePullerValues(hub, platform),
        scheduling: {
            userScheduler: { enabled: true },
            podPriority: { enabled: true },
            userPlaceholder: { enabled: true, replicas: hub.prewarm.seats, resources: placeholderResources(warmSeatRequest(hub)) },
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
    const staffMounts = staffFolderMounts(hub);
    if (Object.keys(staffMounts).length > 0) {
        extraConfig[STAFF_FOLDERS_CONFIG] = staffFolderHook(hub, staffMounts);
    }
    const allHomes = allHomesHook(hub, hub.staffUsers);
    if (allHomes) {
        extraConfig[ALL_HOMES_HOOK_KEY] = allHomes;
    }
    Object.assign(extraConfig, profileGroupsConfig(hub));
    const { config: authConfig, python: loginPython } = authenticatorConfig(hub);
    if (loginPython) {
        extraConfig[LOGIN_CONFIG] = loginPython;
    }
    const metadataBlock = metadataBlockFirst(hub, platform);
    if (metadataBlock) {
        extraConfig[METADATA_BLOCK_CONFIG] = metadataBlock;
    }
    const logo = logoFile(hub);
    return {
        config: {
            ...authConfig,
            JupyterHub: { ...authConfig.JupyterHub, template_vars: pageTemplateVars(hub), ...(logo ? { logo_file: logo.path } : {}) },
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
        // The chart keeps the file in the hub's Secret and mounts it at its path.
        ...(logo ? { extraFiles: { [LOGO_FILE_KEY]: { mountPath: logo.path, binaryData: logo.base64 } } } : {}),
    };
}

/** The `hub.extraFiles` entry of the course's logo. */
const LOGO_FILE_KEY = "course-hubs-logo";

/** The `hub.extraConfig` entry that gives admins and staff their own view of the shared folders. */
export const STAFF_FOLDERS_CONFIG = "course-hubs-shared-folder";

/** The `hub.extraConfig` entry of the login's own Python (`AuthenticatorConfig.python`). */
const LOGIN_CONFIG = "course-hubs-login";
/** `hub.extraConfig` entry that puts the metadata block before every other init container. */
const METADATA_BLOCK_CONFIG = "course-hubs-metadata-block-first";

/**
 * How the mounts of admins and staff differ from a student's, by mount path: each course folder
 * that staff write, read-write; the submit folder, the whole tree of students' folders instead of
 * the student's own.
 */
function staffFolderMounts(hub: ResolvedHubSpec): Record<string, { readOnly?: false; subPath?: string }> {
    const writable = courseFolders(hub).filter((folder) => folder.writableBy === "staff").flatMap((folder) => folder.paths);
    return Object.fromEntries([
        ...writable.map((mountPath) => [mountPath, { readOnly: false }] as const),
        ...(submitFolderPaths(hub) ?? []).map((mountPath) => [mountPath, { subPath: SUBMIT_DIRECTORY }] as const),
    ]);
}

/**
 * Python run by the hub (a `pre_spawn_hook`, the only one course-hubs sets): admins and staff get
 * {@link staffFolderMounts}, students the mounts as the values give them. The chart hands
 * KubeSpawner a dict of mounts (z2jh 4.4.0 files/hub/jupyterhub_config.py, `c.KubeSpawner.volume_mounts
 * = volume_mounts`); the mounts are copied, not edited in place, because spawners share them.
 * Validation keeps every mount at a path of its own, so a path names one mount.
 */
function staffFolderHook(hub: ResolvedHubSpec, staffMounts: ReturnType<typeof staffFolderMounts>): string {
    const staff = [...new Set([...hub.adminUsers, ...hub.staffUsers])];
    return [
        `_course_hubs_writers = set(${pythonLiteral(staff)})`,
        `_course_hubs_staff_mounts = ${pythonLiteral(staffMounts)}`,
        "",
        "def _course_hubs_staff_mount(mount):",
        "    return dict(mount, **_course_hubs_staff_mounts.get(mount.get(\"mountPath\"), {}))",
        "",
        "def _course_hubs_staff_folders(spawner):",
        "    if spawner.user.admin or spawner.user.name in _course_hubs_writers:",
        "        mounts = spawner.volume_mounts",
        "        # KubeSpawner 7 takes a dict or a list of mounts.",
        "        if isinstance(mounts, dict):",
        "            spawner.volume_mounts = {key: _course_hubs_staff_mount(m) for key, m in mounts.items()}",
        "        else:",
        "            spawner.volume_mounts = [_course_hubs_staff_mount(m) for m in mounts]",
        "",
        "c.KubeSpawner.pre_spawn_hook = _course_hubs_staff_folders",
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
        // Every port of the Service keeps to them (letsencrypt is refused with them: platforms.ts says why).
        ...(hub.allowedSourceRanges ? { loadBalancerSourceRanges: hub.allowedSourceRanges } : {}),
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
            case "certificate":
                throw new Error("https.mode \"certificate\" is refused on Kubernetes (platforms.ts): a spec validated for a cluster never has it");
        }
    })();
    return { service, https };
}

function ingressValues(hub: ResolvedHubSpec, ingress: NonNullable<Z2jhPlatform["ingress"]>, namespace: string): Z2jhValues {
    return {
        enabled: true,
        ingressClassName: ingress.className,
        hosts: [hub.hostname],
        annotations: {
            "cert-manager.io/cluster-issuer": ingress.clusterIssuer,
            // Traefik names a Middleware of its CRD provider <namespace>-<name>. Only the hub's own
            // router gets it: cert-manager's HTTP-01 solver Ingress for the hostname stays open.
            ...(hub.allowedSourceRanges
                ? { "traefik.ingress.kubernetes.io/router.middlewares": `${namespace}-${ALLOWED_SOURCES_MIDDLEWARE}@kubernetescrd` }
                : {}),
        },
        tls: [{ hosts: [hub.hostname], secretName: ingressTlsSecretName(hub) }],
    };
}

function singleuserValues(hub: ResolvedHubSpec, platform: Z2jhPlatform): Z2jhValues {
    const server = hub.server ?? {};
    const volumes = [sharedVolume(hub), datasetVolumes(hub), sharedMemoryVolume(server)].filter((volume) => volume !== undefined);
    const identity = notebookIdentity(hub, platform);
    const metadataServerNeeded = needsMetadataServer(hub, platform);
    return {
        image: { ...imageValues(hub.image), ...(server.imagePullSecret ? { pullSecrets: [IMAGE_PULL_SECRET] } : {}) },
        defaultUrl: hub.defaultUrl,
        ...resourceValues(hub.resources),
        startTimeout: hub.spawn.startTimeoutSeconds,
        extraLabels: courseLabels(hub),
        ...(hasBucketDatasets(hub) ? { extraAnnotations: BUCKET_SIDECAR_ANNOTATIONS } : {}),
        ...serverPlacement(server),
        ...serverEnvironment(server),
        ...(server.sidecars?.length ? { extraContainers: server.sidecars.map(courseContainer) } : {}),
        ...serverInitContainers(server, homeVolumeMount(hub)),
        ...(server.profiles?.length ? { profileList: server.profiles.map((p, i) => profileValues(p, i, server, platform)) } : {}),
        ...serverFiles(hub),
        storage: {
            ...homeStorage(hub, platform),
            ...(volumes.length > 0
                ? { extraVolumes: volumes.flatMap((v) => v.volumes), extraVolumeMounts: volumes.flatMap((v) => v.mounts) }
                : {}),
        },
        ...(identity ? { serviceAccountName: NOTEBOOK_SERVICE_ACCOUNT } : {}),
        networkPolicy: { enabled: true, egressAllowRules: { cloudMetadataServer: metadataServerNeeded } },
        cloudMetadata: { blockWithIptables: blocksMetadataWithIptables(hub, platform) },
        allowPrivilegeEscalation: false,
    };
}

/**
 * Whether notebooks reach the cloud metadata server: GKE Workload Identity hands them their own
 * token through it (and then conceals the node's credentials), so only with a Google identity.
 */
function needsMetadataServer(hub: ResolvedHubSpec, platform: Z2jhPlatform): boolean {
    const identity = notebookIdentity(hub, platform);
    return identity !== undefined && "gcpServiceAccountEmail" in identity;
}

/** Whether the chart blocks the metadata server with iptables in each server's pod: where no network policy is enforced. */
function blocksMetadataWithIptables(hub: ResolvedHubSpec, platform: Z2jhPlatform): boolean {
    return !needsMetadataServer(hub, platform) && !platform.enforcesNetworkPolicy;
}

/** Name of the init container the chart adds to block the metadata server (its jupyterhub_config.py). */
export const METADATA_BLOCK_CONTAINER = "block-cloud-metadata";

/**
 * Python run by the hub: the chart appends its iptables block of the metadata server after
 * `singleuser.initContainers` (jupyterhub_config.py l. 455-482), so the content sync and the course's
 * own init containers would run before it, able to fetch the node's credentials. Moved first
 * (extraConfig runs after, l. 539-542); the others keep their order. Only where both are in the pod.
 */
function metadataBlockFirst(hub: ResolvedHubSpec, platform: Z2jhPlatform): string | undefined {
    const initContainers = serverInitContainers(hub.server ?? {}, homeVolumeMount(hub)).initContainers as unknown[] | undefined;
    if (!blocksMetadataWithIptables(hub, platform) || !initContainers?.length) {
        return undefined;
    }
    return [
        "def _course_hubs_container_name(container):",
        "    return container.get(\"name\") if isinstance(container, dict) else container.name",
        "",
        "c.KubeSpawner.init_containers = sorted(",
        `    c.KubeSpawner.init_containers, key=lambda container: _course_hubs_container_name(container) != "${METADATA_BLOCK_CONTAINER}"`,
        ")",
        "",
    ].join("\n");
}

function imageValues(image: ImageSpec): { name: string; tag: string } {
    return { name: image.name, tag: image.tag };
}

/**
 * Resources of a warm seat's placeholder pod: what a server (with its sidecars) requests, or the
 * largest profile's with `prewarm.seatSize` ({@link warmSeatRequest}), in MiB. Given explicitly
 * because the chart would copy the server's `1G` into the pod, where Kubernetes reads 10^9 bytes,
 * while KubeSpawner gives the server 2^30: each seat would hold 7% less memory than a server needs.
 */
function placeholderResources(request: SeatRequest): Z2jhValues {
    return { requests: { cpu: String(Math.round(request.cpuMillis) / 1000), memory: `${Math.ceil(request.memoryMiB)}Mi` } };
}

function resourceValues(resources: Required<ResourceSpec>): Z2jhValues {
    return {
        cpu: { guarantee: resources.cpuGuarantee, limit: resources.cpuLimit },
        memory: { guarantee: resources.memoryGuarantee, limit: resources.memoryLimit },
    };
}

/**
 * KubeSpawner expands `{username}` and its other fields in every string of the environment, the
 * init containers and the sidecars with Python's `str.format` (kubespawner 7.1.0 spawner.py,
 * `_expand_user_properties` and `_expand_all`), where an unknown `{name}` fails the server's start:
 * a course's text, written as it is meant, has its braces doubled so that it arrives as written.
 */
function literal(text: string): string {
    return text.replace(/[{}]/g, (brace) => brace + brace);
}

function literalValues(variables: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, literal(value)]));
}

/**
 * The servers' environment: the plain variables as written, and each secret one read from the
 * Secret {@link SERVER_ENVIRONMENT_SECRET} by `secretKeyRef` (z2jh hands a value that is an object to
 * KubeSpawner as the fields of a Kubernetes EnvVar), so that no secret value is in the chart's values.
 */
function serverEnvironment(server: ServerSpec): Z2jhValues {
    const secrets = Object.keys(server.secretEnvironment ?? {})
        .map((name) => [name, { valueFrom: { secretKeyRef: { name: SERVER_ENVIRONMENT_SECRET, key: name } } }]);
    const environment = { ...literalValues(server.environment ?? {}), ...Object.fromEntries(secrets) };
    return Object.keys(environment).length > 0 ? { extraEnv: environment } : {};
}

/**
 * Each user's home: a volume of its own (a claim per server, in the spec's or the platform's
 * class), or with `storage.home.sharedFileSystem` the user's folder on the NFS claim that the
 * JupyterHub component creates (shared-homes.ts), the same for all of a user's servers.
 */
function homeStorage(hub: ResolvedHubSpec, platform: Z2jhPlatform): Z2jhValues {
    if (sharedHomesOf(hub)) {
        return { type: "static", static: { pvcName: HOMES_CLAIM, subPath: HOME_FOLDER_TEMPLATE } };
    }
    const storageClass = hub.storage.homeStorageClass ?? platform.homeStorageClass;
    return {
        type: "dynamic",
        capacity: hub.storage.homeSize,
        dynamic: { volumeNameTemplate: HOME_VOLUME_NAME_TEMPLATE, ...(storageClass ? { storageClass } : {}) },
    };
}

/** How a container of a server's pod mounts the user's home: as the chart mounts it for the notebook. */
function homeVolumeMount(hub: ResolvedHubSpec): { name: string; subPath?: string } {
    return sharedHomesOf(hub) ? { name: STATIC_HOME_VOLUME, subPath: HOME_FOLDER_TEMPLATE } : { name: HOME_VOLUME_NAME_TEMPLATE };
}

/** The init containers of every server's pod: course-hubs's content sync first, then the course's own in their order. */
function serverInitContainers(server: ServerSpec, home: { name: string; subPath?: string }): Z2jhValues {
    const containers = [
        ...(server.content ? [contentInitContainer(server.content, home)] : []),
        ...(server.initContainers ?? []).map((container) => courseInitContainer(container, home)),
    ];
    return containers.length > 0 ? { initContainers: containers } : {};
}

/**
 * A course's init container: one of its containers with the home volume mounted and the home as its
 * working folder, run as the notebook user so that what it writes there belongs to the student.
 */
function courseInitContainer(container: InitContainerSpec, home: { name: string; subPath?: string }): Z2jhValues {
    const base = courseContainer(container);
    return {
        ...base,
        command: container.command.map(literal),
        workingDir: NOTEBOOK_HOME,
        volumeMounts: [{ ...home, mountPath: NOTEBOOK_HOME }],
        securityContext: { ...base.securityContext, runAsUser: NOTEBOOK_UID, runAsGroup: NOTEBOOK_GID, capabilities: { drop: ["ALL"] } },
    };
}

/** A container of the course's in every server's pod (a sidecar, or the base of an init container), unprivileged. */
function courseContainer(container: SidecarSpec | InitContainerSpec): Z2jhValues {
    const resources = container.resources;
    const ports = "ports" in container ? container.ports ?? [] : [];
    return {
        name: container.name,
        image: imageReference(container.image),
        ...(container.environment
            ? { env: Object.entries(literalValues(container.environment)).map(([name, value]) => ({ name, value })) }
            : {}),
        ...(ports.length > 0 ? { ports: ports.map((containerPort) => ({ containerPort })) } : {}),
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
    const options = profileOptionValues(profile);
    Object.assign(override, options.override);
    return {
        display_name: escapeHtml(profile.displayName),
        slug: profile.slug,
        ...(profile.description ? { description: escapeHtml(profile.description) } : {}),
        ...(isDefault ? { default: true } : {}),
        ...(Object.keys(override).length > 0 ? { kubespawner_override: override } : {}),
        ...(options.options ? { profile_options: options.options } : {}),
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
 * The chart's image pullers (`server.prePull`): the continuous one and the upgrade hook's, each
 * set explicitly (the chart turns both on). Both pull the images of `singleuser` and of every
 * profile onto each user node (chart templates/image-puller/_helpers-daemonset.tpl), but not onto
 * GPU nodes, whose taint they do not tolerate: left to themselves they would pull each GPU
 * profile's large CUDA image onto every CPU node and never onto a GPU node. With GPU profiles they
 * pull the CPU images only, and {@link gpuImagePullerPod} pulls the GPU images onto the GPU nodes.
 */
function prePullerValues(hub: ResolvedHubSpec, platform: Z2jhPlatform): Z2jhValues {
    const toggles = { hook: { enabled: hub.prePull.beforeUpgrade }, continuous: { enabled: hub.prePull.continuous } };
    const gpu = new Set(gpuProfiles(hub, platform));
    if (gpu.size === 0) {
        return toggles;
    }
    const profiles = hub.server?.profiles ?? [];
    const cpuImages = profiles.filter((p) => !gpu.has(p) && p.image);
    // Named as the chart names its own choice pullers (profile index, menu, choice): within a container name's 63 characters.
    const cpuChoiceImages = profiles.flatMap((p, i) => (gpu.has(p) ? [] : p.menus ?? []).flatMap((menu) => menu.choices
        .filter((choice) => choice.image).map((choice) => [`profile-${i}-${menu.slug}-${choice.slug}`, imageValues(choice.image!)])));
    return {
        ...toggles,
        pullProfileListImages: false,
        extraImages: Object.fromEntries([...cpuImages.map((p) => [`profile-${p.slug}`, imageValues(p.image!)]), ...cpuChoiceImages]),
    };
}

/**
 * Pod of a DaemonSet that pre-pulls every GPU profile's image onto each GPU node as it joins, so
 * the first GPU server of a lecture does not wait for a CUDA image: the GPU nodes' continuous
 * puller. Undefined without GPU profiles, or with `server.prePull.continuous: false`.
 */
export function gpuImagePullerPod(spec: HubSpec, platform: Pick<Z2jhPlatform, "gpu">): Z2jhValues | undefined {
    const hub = resolveHubSpec(spec);
    const images = [...new Set(gpuProfiles(hub, platform).flatMap((p) => [p.image ?? hub.image, ...profileImages(p)].map(imageReference)))];
    if (images.length === 0 || !platform.gpu || !hub.prePull.continuous) {
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
        // GPU profiles' images may come from the course's private registry too.
        ...(hub.server?.imagePullSecret ? { imagePullSecrets: [{ name: IMAGE_PULL_SECRET }] } : {}),
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

/**
 * The shared claim's volume and its mounts, as a student's server has them: each course folder
 * (read-only where staff write it: {@link staffFolderHook} makes it writable for them) at each of
 * its paths, and the student's own submit folder, whose `{username}` KubeSpawner expands in every
 * mount (its safe slug: lowercase letters, digits and -, so never a path of its own; KubeSpawner 7.0.0
 * kubespawner/spawner.py, `volume_mounts=self._expand_all(...)` in get_pod_manifest, `username =
 * safe_username` in _expand_user_properties). A missing folder is made by the kubelet on the shared
 * storage, writable by the notebook user as that storage makes it: through an EFS access point
 * everything belongs to the point's uid 1000; a Filestore share takes the pod's fsGroup (z2jh's
 * singleuser.fsGid, 100: the driver's CSIDriver has fsGroupPolicy File, kubernetes-sigs/
 * gcp-filestore-csi-driver deploy/kubernetes/overlays/stable-master/fsgrouppolicy.yaml).
 */
function sharedVolume(hub: ResolvedHubSpec): PodVolumes | undefined {
    if (!needsSharedVolume(hub)) {
        return undefined;
    }
    const mount = (mountPath: string, subPath: string, readOnly: boolean) => ({ name: SHARED_VOLUME_CLAIM, mountPath, subPath, readOnly });
    return {
        volumes: [{ name: SHARED_VOLUME_CLAIM, persistentVolumeClaim: { claimName: SHARED_VOLUME_CLAIM } }],
        mounts: [
            ...courseFolders(hub).flatMap((folder) => folder.paths.map((p) => mount(p, folder.directory, folder.writableBy === "staff"))),
            ...(submitFolderPaths(hub) ?? []).map((p) => mount(p, `${SUBMIT_DIRECTORY}/{username}`, false)),
        ],
    };
}

/** Prefix of each dataset's volume name in the pod (`course-dataset-<name>`). */
const DATASET_VOLUME_PREFIX = "course-dataset-";

/**
 * Each dataset as a volume of the pod, read-only, mounted read-only at each of its paths. The
 * kubelet mounts an NFS export with the node's own NFS client: EKS's AL2023 images install
 * nfs-utils (awslabs/amazon-eks-ami templates/al2023/provisioners/install-worker.sh, line 62), and
 * GKE's Container-Optimized OS mounts NFS; no CSI driver, so no identity and no add-on. A bucket is
 * an inline volume of GKE's Cloud Storage FUSE CSI driver (the only bucket driver a platform
 * declares), mounted in the sidecar the driver's webhook adds to a pod annotated for it
 * ({@link BUCKET_SIDECAR_ANNOTATIONS}), as the pod's service account.
 */
function datasetVolumes(hub: ResolvedHubSpec): PodVolumes | undefined {
    const sets = datasets(hub);
    if (sets.length === 0) {
        return undefined;
    }
    return {
        volumes: sets.map((dataset) => ({ name: `${DATASET_VOLUME_PREFIX}${dataset.name}`, ...datasetSource(dataset) })),
        mounts: sets.flatMap((dataset) => dataset.paths.map((mountPath) => ({ name: `${DATASET_VOLUME_PREFIX}${dataset.name}`, mountPath, readOnly: true }))),
    };
}

function datasetSource(dataset: Dataset): Z2jhValues {
    if ("nfs" in dataset) {
        return { nfs: { ...dataset.nfs, readOnly: true } };
    }
    // implicit-dirs: buckets filled by upload tools hold objects, not folder placeholders, whose folders gcsfuse shows only with it.
    const prefix = dataset.bucket.prefix === undefined ? [] : [`only-dir=${dataset.bucket.prefix}`];
    return {
        csi: {
            driver: "gcsfuse.csi.storage.gke.io",
            readOnly: true,
            volumeAttributes: { bucketName: dataset.bucket.name, mountOptions: ["implicit-dirs", ...prefix].join(",") },
        },
    };
}

/**
 * The pod annotations of a server with a bucket dataset: the one that has the Cloud Storage FUSE
 * driver's webhook inject its sidecar, and the sidecar's resources (gcs-fuse-csi-driver
 * pkg/webhook/config.go reads `gke-gcsfuse/<resource>-request|limit`; a request without a limit
 * would get the request as its limit): {@link BUCKET_SIDECAR_REQUEST}, bursting to a limit. A
 * read-only mount without a file cache writes nothing to its node's disk.
 */
const BUCKET_SIDECAR_ANNOTATIONS: Record<string, string> = {
    "gke-gcsfuse/volumes": "true",
    "gke-gcsfuse/cpu-request": `${BUCKET_SIDECAR_REQUEST.cpuGuarantee * 1000}m`,
    "gke-gcsfuse/cpu-limit": "1",
    "gke-gcsfuse/memory-request": kubernetesMemory(BUCKET_SIDECAR_REQUEST.memoryGuarantee),
    "gke-gcsfuse/memory-limit": "512Mi",
    "gke-gcsfuse/ephemeral-storage-request": "50Mi",
    "gke-gcsfuse/ephemeral-storage-limit": "1Gi",
};

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
