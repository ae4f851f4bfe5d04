import { Validated } from "../validated";
import { IMAGES } from "../versions";
import { authenticatorConfig } from "./auth";
import { NOTEBOOK_GID, NOTEBOOK_HOME, NOTEBOOK_UID, contentSyncCommand } from "./content";
import { isDeepStrictEqual } from "node:util";
import { ResolvedHubSpec, imageReference, parseByteSize, resolveHubSpec } from "./defaults";
import { CourseFolder, SHARED_COURSE_FOLDER, SUBMIT_DIRECTORY, courseFolders, datasets, submitFolderPaths } from "./shared-folders";
import { HubSpec, ProfileSpec, ServerSpec } from "./spec";

/*
 * The VM hub's jupyterhub_config.py, rendered from the same HubSpec as the chart values. No
 * secret is written into it: JupyterHub reads its cookie secret (JPY_COOKIE_SECRET), proxy token
 * (CONFIGPROXY_AUTH_TOKEN) and CryptKeeper key (JUPYTERHUB_CRYPT_KEY) from the environment, and the
 * authenticator's secrets are read from COURSE_HUB_AUTH_SECRET (then _2, ...) at start.
 */

/** Environment variable the config reads the authenticator's first secret from. */
export const AUTH_SECRET_VARIABLE = "COURSE_HUB_AUTH_SECRET";

/**
 * The environment variable of the authenticator's secret at `index` of `authenticatorConfig(spec).secrets`:
 * each its own (a shared-password login has two, which JupyterHub refuses to start with when equal).
 * The first keeps the name deployed hubs read.
 */
export function authSecretVariable(index: number): string {
    return index === 0 ? AUTH_SECRET_VARIABLE : `${AUTH_SECRET_VARIABLE}_${index + 1}`;
}

/**
 * The hub's environment variable holding the secret value of the servers' variable `name`
 * (`server.secretEnvironment`), which the config hands on to every server.
 */
export function serverSecretVariable(name: string): string {
    return `COURSE_HUB_SERVER_SECRET_${name}`;
}

/** Where the course's file system is mounted on the hub and on every worker. */
export const COURSE_FILESYSTEM_PATH = "/srv/course";
/** Docker network the hub, the proxy and every server share. */
export const HUB_NETWORK = "course-hub";

/**
 * A student's home on the hub VM, as DockerSpawner formats its volumes: `{username}` is its escaped
 * name (`jane.doe` becomes `jane-2edoe`), so the pre-spawn hook asks the spawner for the path rather
 * than building it from the raw name.
 */
export const HOME_VOLUME_TEMPLATE = `${COURSE_FILESYSTEM_PATH}/home/{username}`;
/** Seconds the course-content container may run before the server starts without it. */
export const CONTENT_SYNC_TIMEOUT_SECONDS = 300;
/** Content syncs that run at once on the hub VM; the rest wait (a lecture starts 100 servers). */
export const CONTENT_SYNC_CONCURRENCY = 8;

/** Where the spec's servers run on VMs. */
export interface VmSpawnerOptions {
    /** Servers run as Swarm services on worker VMs; otherwise as containers on the hub VM. */
    swarm: boolean;
}

/**
 * Renders `jupyterhub_config.py` for a hub on VMs from a spec validated for them (`ec2Capabilities`):
 * authenticator and users, DockerSpawner or SwarmSpawner with the course's image, resources, homes
 * on the course file system, the idle culler as a hub service, kernel culling inside servers.
 * Pure, and never throws.
 */
export function toJupyterhubConfig(spec: Validated<HubSpec>, options: VmSpawnerOptions): string {
    const hub = resolveHubSpec(spec);
    const auth = authenticatorConfig(hub);
    const lines: string[] = [
        "# Rendered by course-hubs from the course's HubSpec; edit the spec, not this file.",
        "import asyncio",
        "import os",
        "import sys",
        "",
        "c = get_config()  # noqa: F821",
        "",
        "# The hub listens inside the course network; Caddy terminates HTTPS in front of it.",
        assign("JupyterHub.bind_url", "http://:8000"),
        assign("JupyterHub.hub_ip", "0.0.0.0"),
        assign("JupyterHub.hub_connect_ip", "jupyterhub"),
        assign("JupyterHub.db_url", "sqlite:////srv/jupyterhub/jupyterhub.sqlite"),
        assign("JupyterHub.concurrent_spawn_limit", hub.spawn.concurrentLimit),
        assign("JupyterHub.template_vars", pageTemplateVars(hub)),
        "",
        "# Who logs in.",
    ];
    for (const [section, traits] of Object.entries(auth.config)) {
        for (const [trait, value] of Object.entries(traits)) {
            lines.push(assign(`${section}.${trait}`, value));
        }
    }
    auth.secrets.forEach((secret, i) => {
        lines.push(`c.${secret.section}.${secret.trait} = os.environ[${pythonLiteral(authSecretVariable(i))}]`);
    });
    if (auth.python) {
        lines.push("", auth.python);
    }
    const spawner = options.swarm ? "dockerspawner.SwarmSpawner" : "dockerspawner.DockerSpawner";
    const volumes = dockerVolumes(hub, "student");
    const profiles = hub.server?.profiles ?? [];
    const defaultProfile = profiles.find((p) => p.default) ?? profiles[0];
    const profileImage = (profile: ProfileSpec) => imageReference(profile.image ?? hub.image);
    lines.push(
        "",
        "# What students run.",
        assign("JupyterHub.spawner_class", spawner),
        // A server started without a choice (through the API) runs the default profile, as on Kubernetes.
        assign("DockerSpawner.image", defaultProfile ? profileImage(defaultProfile) : imageReference(hub.image)),
        ...(profiles.length > 0
            ? [
                assign("DockerSpawner.allowed_images", Object.fromEntries(profiles.map((p) => [p.slug, profileImage(p)]))),
                assign("DockerSpawner.options_form", profileChoice(profiles, defaultProfile)),
            ]
            : []),
        assign("DockerSpawner.network_name", HUB_NETWORK),
        assign("DockerSpawner.remove", true),
        assign("DockerSpawner.notebook_dir", NOTEBOOK_HOME),
        assign("DockerSpawner.volumes", volumes),
        // Docker's own /dev/shm, held in memory; SwarmSpawner has no such setting (ec2Capabilities refuses it with workers).
        ...(hub.server?.sharedMemory ? [assign("DockerSpawner.extra_host_config", { shm_size: Math.round(parseByteSize(hub.server.sharedMemory)) })] : []),
        assign("Spawner.default_url", hub.defaultUrl),
        assign("Spawner.cpu_limit", hub.resources.cpuLimit),
        assign("Spawner.cpu_guarantee", hub.resources.cpuGuarantee),
        assign("Spawner.mem_limit", hub.resources.memoryLimit),
        assign("Spawner.mem_guarantee", hub.resources.memoryGuarantee),
        assign("Spawner.start_timeout", hub.spawn.startTimeoutSeconds),
        assign("Spawner.http_timeout", 120),
        ...(hub.server?.namedServerLimit
            ? [assign("JupyterHub.allow_named_servers", true), assign("JupyterHub.named_server_limit_per_user", hub.server.namedServerLimit)]
            : []),
        ...serverEnvironment(hub.server ?? {}),
        ...(hub.culling.enabled && hub.culling.kernelIdleTimeoutMinutes > 0
            ? [assign("Spawner.args", [
                `--MappingKernelManager.cull_idle_timeout=${hub.culling.kernelIdleTimeoutMinutes * 60}`,
                "--MappingKernelManager.cull_interval=300",
                "--MappingKernelManager.cull_connected=True",
            ])]
            : []),
        "",
        ...preSpawnHook(hub),
    );
    if (hub.culling.enabled) {
        lines.push(
            "",
            "# Idle servers are stopped, so workers can scale in.",
            assign("JupyterHub.load_roles", [{
                name: "idle-culler",
                scopes: ["list:users", "read:users:activity", "read:servers", "delete:servers"],
                services: ["idle-culler"],
            }]),
            `c.JupyterHub.services = [{"name": "idle-culler", "command": [sys.executable, "-m", "jupyterhub_idle_culler", ${[
                `--timeout=${hub.culling.idleTimeoutMinutes * 60}`,
                `--cull-every=${hub.culling.checkIntervalMinutes * 60}`,
                `--max-age=${hub.culling.maxAgeMinutes * 60}`,
            ].map(pythonLiteral).join(", ")}]}]`,
        );
    }
    return `${lines.join("\n")}\n`;
}

/**
 * The servers' environment: the plain variables as written, and each secret one from the hub's own
 * environment, where the VM's secrets script put it, so that no secret is in this file.
 */
function serverEnvironment(server: ServerSpec): string[] {
    const secrets = Object.keys(server.secretEnvironment ?? {})
        .map((name) => `${pythonLiteral(name)}: os.environ[${pythonLiteral(serverSecretVariable(name))}]`);
    if (secrets.length === 0) {
        return server.environment ? [assign("Spawner.environment", server.environment)] : [];
    }
    const plain = Object.entries(server.environment ?? {}).map(([name, value]) => `${pythonLiteral(name)}: ${pythonLiteral(value)}`);
    return [`c.Spawner.environment = {${[...plain, ...secrets].join(", ")}}`];
}

/**
 * The server options page: one choice per profile, by slug (DockerSpawner's default form reads the
 * `image` field and looks it up in `allowed_images`), shown with its title and description, the
 * default preselected. DockerSpawner's own form would show the allowed images' keys only.
 */
function profileChoice(profiles: ProfileSpec[], defaultProfile: ProfileSpec): string {
    const options = profiles.map((p) => `<option value="${p.slug}"${p === defaultProfile ? " selected" : ""}>`
        + `${escapeHtml(p.displayName)}${p.description ? ` (${escapeHtml(p.description)})` : ""}</option>`);
    return [
        "<label for=\"image\">Choose your environment:</label>",
        "<select class=\"form-control\" name=\"image\" required autofocus>",
        ...options,
        "</select>",
    ].join("\n");
}

/**
 * JupyterHub's `template_vars`, the same on every hub: the course's name over the login page, and
 * `announcement` on every page. JupyterHub writes them into its pages as HTML, so both, plain text,
 * are escaped; the login page shows its own variable in place of `announcement`, so there the
 * announcement follows the name.
 */
export function pageTemplateVars(hub: Pick<ResolvedHubSpec, "displayName" | "announcement">): Record<string, string> {
    const name = escapeHtml(hub.displayName);
    if (hub.announcement === undefined) {
        return { announcement_login: name };
    }
    const announcement = escapeHtml(hub.announcement);
    return { announcement_login: `${name}<br>${announcement}`, announcement };
}

/** Text as HTML shows it: `&`, `<`, `>` and quotes as character references. */
export function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Where the shared folders and the submit folders are on the course file system. */
export const SHARED_FOLDERS_PATH = `${COURSE_FILESYSTEM_PATH}/folders`;

/**
 * A shared folder's place on the course file system. The course folder (`sharedCourseFolder`)
 * stays at `/srv/course/shared`, where hubs kept it before there were other folders, so that a hub
 * updated in mid-term still shows its course material; the others are under {@link SHARED_FOLDERS_PATH}.
 */
export function folderOnFileSystem(directory: string): string {
    return directory === SHARED_COURSE_FOLDER.name ? `${COURSE_FILESYSTEM_PATH}/shared` : `${SHARED_FOLDERS_PATH}/${directory}`;
}

/** Where a dataset's NFS export is mounted on the hub VM and on every worker. */
export function datasetHostPath(name: string): string {
    return `/srv/datasets/${name}`;
}

/**
 * What DockerSpawner binds into a server, by folder of the VM: on the course file system the home,
 * each course folder (read-only for students where staff write it) and the submit folder, a
 * student's own (`{username}`, the escaped name) or for admins and staff the whole tree; and each
 * dataset the VM mounts, read-only. Each folder at its one path (`ec2Capabilities` refuses
 * alsoMountedAt: DockerSpawner keys its volumes by folder).
 */
function dockerVolumes(hub: ResolvedHubSpec, role: "student" | "staff"): Record<string, string | { bind: string; mode: "ro" | "rw" }> {
    const submit = submitFolderPaths(hub);
    const writable = (folder: CourseFolder) => role === "staff" || folder.writableBy === "everyone";
    return {
        [HOME_VOLUME_TEMPLATE]: NOTEBOOK_HOME,
        ...Object.fromEntries(courseFolders(hub).map((folder) => [
            folderOnFileSystem(folder.directory), { bind: folder.paths[0], mode: writable(folder) ? "rw" : "ro" },
        ])),
        ...(submit
            ? { [`${SHARED_FOLDERS_PATH}/${SUBMIT_DIRECTORY}${role === "staff" ? "" : "/{username}"}`]: { bind: submit[0], mode: "rw" } }
            : {}),
        ...Object.fromEntries(datasets(hub).map((dataset) => [datasetHostPath(dataset.name), { bind: dataset.paths[0], mode: "ro" }])),
    };
}

/**
 * The hook that prepares each server's folders before it starts: for admins and staff, their own
 * volumes ({@link dockerVolumes}); then each folder the server binds (home, course folders, submit
 * folder) made on the course file system and owned by the notebook user, at the path DockerSpawner
 * mounts (a Swarm service fails on a missing one); then, with `content`, the shared
 * content-sync script (the one the Kubernetes hubs run in an init container) in a throwaway
 * container of the pinned Git image, so it works whatever the notebook image holds. That container
 * runs on the hub VM's own Docker engine (the socket the hub container has, also in swarm mode),
 * which reads the bind source on the VM: the hub container mounts the course file system at the
 * same path as the VM, so the hub's path is the VM's. A failed sync is logged; the server starts.
 */
function preSpawnHook(hub: ResolvedHubSpec): string[] {
    const content = hub.server?.content;
    const owner = `${NOTEBOOK_UID}:${NOTEBOOK_GID}`;
    const staffVolumes = dockerVolumes(hub, "staff");
    const staffDiffer = !isDeepStrictEqual(staffVolumes, dockerVolumes(hub, "student"));
    // The submit tree first, so that it too belongs to the notebook user, not to the hub's root.
    const parents = submitFolderPaths(hub) ? [`${SHARED_FOLDERS_PATH}/${SUBMIT_DIRECTORY}`] : [];
    const lines = [
        "# Each server's folders live on the course file system, owned by the notebook user, at the",
        "# paths DockerSpawner mounts (its {username} is the escaped name, not the login name).",
        ...(staffDiffer
            ? [
                `_course_hubs_writers = set(${pythonLiteral([...new Set([...hub.adminUsers, ...hub.staffUsers])])})`,
                `_course_hubs_staff_volumes = ${pythonLiteral(staffVolumes)}`,
                "",
            ]
            : []),
        "def _course_hubs_make_folders(spawner):",
        ...(staffDiffer
            ? [
                "    # Admins and staff write the course's folders and see every student's submit folder.",
                "    if spawner.user.admin or spawner.user.name in _course_hubs_writers:",
                "        spawner.volumes = dict(_course_hubs_staff_volumes)",
            ]
            : []),
        `    for source in dict.fromkeys([*${pythonLiteral(parents)}, *spawner.volumes]):`,
        `        if not source.startswith(${pythonLiteral(`${COURSE_FILESYSTEM_PATH}/`)}):`,
        "            continue  # a dataset: mounted by the VM, read-only",
        "        folder = spawner.format_volume_name(source, spawner)",
        "        os.makedirs(folder, exist_ok=True)",
        `        os.chown(folder, ${NOTEBOOK_UID}, ${NOTEBOOK_GID})`,
        `    return spawner.format_volume_name(${pythonLiteral(HOME_VOLUME_TEMPLATE)}, spawner)`,
        "",
    ];
    if (!content) {
        return [...lines, "c.Spawner.pre_spawn_hook = _course_hubs_make_folders"];
    }
    const [entrypoint, ...command] = contentSyncCommand(content);
    return [
        ...lines,
        "# Course content: the shared sync script in the pinned Git image, as the notebook user, in the",
        "# home. The image's entrypoint (git) is replaced by the shell.",
        `_course_hubs_content_slots = asyncio.Semaphore(${CONTENT_SYNC_CONCURRENCY})`,
        "",
        "def _course_hubs_sync_content(home):",
        "    import docker  # DockerSpawner's own Docker client library",
        "",
        "    client = docker.from_env()",
        "    container = client.containers.run(",
        `        ${pythonLiteral(imageReference(IMAGES.git))},`,
        `        entrypoint=${pythonLiteral([entrypoint])},`,
        `        command=${pythonLiteral(command)},`,
        `        user=${pythonLiteral(owner)},`,
        `        working_dir=${pythonLiteral(NOTEBOOK_HOME)},`,
        "        environment={\"HOME\": \"/tmp\"},",
        `        volumes={home: {"bind": ${pythonLiteral(NOTEBOOK_HOME)}, "mode": "rw"}},`,
        "        mem_limit=\"256m\",",
        "        cap_drop=[\"ALL\"],",
        "        security_opt=[\"no-new-privileges\"],",
        "        detach=True,",
        "    )",
        "    try:",
        `        status = container.wait(timeout=${CONTENT_SYNC_TIMEOUT_SECONDS})`,
        '        return status, container.logs().decode("utf-8", "replace").strip()',
        "    finally:",
        "        container.remove(force=True)",
        "",
        "async def _course_hubs_prepare(spawner):",
        "    home = _course_hubs_make_folders(spawner)",
        "    try:",
        "        async with _course_hubs_content_slots:",
        "            status, output = await asyncio.to_thread(_course_hubs_sync_content, home)",
        '        spawner.log.info("course content for %s (%s): %s", spawner.user.name, status, output)',
        "    except Exception:",
        '        spawner.log.exception("course content for %s not synced; the server starts without the update", spawner.user.name)',
        "",
        "c.Spawner.pre_spawn_hook = _course_hubs_prepare",
    ];
}

function assign(trait: string, value: unknown): string {
    return `c.${trait} = ${pythonLiteral(value)}`;
}

/** A JSON-like value as a Python literal: strings through JSON escaping, which Python reads alike. */
export function pythonLiteral(value: unknown): string {
    if (value === null || value === undefined) {
        return "None";
    }
    if (typeof value === "boolean") {
        return value ? "True" : "False";
    }
    if (typeof value === "number") {
        if (!Number.isFinite(value)) {
            throw new Error(`${value} has no Python literal`);
        }
        return String(value);
    }
    if (typeof value === "string") {
        return JSON.stringify(value);
    }
    if (Array.isArray(value)) {
        return `[${value.map(pythonLiteral).join(", ")}]`;
    }
    if (typeof value === "object") {
        return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v)}`).join(", ")}}`;
    }
    throw new Error(`${typeof value} has no Python literal`);
}
