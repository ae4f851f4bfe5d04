import { cronProblem } from "../cron";
import { isDeferred, isValidAt, mergeProblems, schemaProblems } from "../schema";
import { MAX_COURSE_NAME_LENGTH, courseName } from "../tags";
import { Problem, ProblemCollector } from "../validation";
import { usernameProblem } from "./auth";
import { CONTENT_INIT_CONTAINER_NAME, NOTEBOOK_HOME } from "./content";
import { checkLogo } from "./branding";
import { checkNetworkAccess } from "./network-access";
import { checkFolders } from "./shared-folders";
import { profileMenuProblems } from "./profile-menus";
import { DEFAULT_CULLING, parseByteSize, parseStorageSize, profileSizes, resolveResources } from "./defaults";
import { GPU_NODE_LABEL, GPU_NODE_TAINT } from "../node-roles";
import { AuthSpec, CILogonAuth, CullingSpec, HubSpec, NodeKeyValues, PrewarmSpec, ResourceSpec, ServerSpec } from "./spec";
import { KERNEL_CULLING_FILE_PATH, NODE_PURPOSE_LABEL, USER_NODE_TAINT } from "./z2jh";

/*
 * The spec is checked as untyped data: stack config is parsed YAML, so a field can hold a number
 * where a string belongs, or a misspelled key that TypeScript never saw. Its shape (every key of
 * every object known, types, patterns, ranges) is checked against schema/hub-spec.json, generated
 * from spec.ts; the rules below are what a schema cannot say, each run on a part of the spec that
 * has its shape.
 */

/**
 * Checks a hub spec and returns every problem found, each with its property path under
 * `path` (the argument's name, `spec` by default). Pure: creates nothing.
 */
export function validateHubSpec(spec: unknown, path = "spec"): Problem[] {
    const structural = schemaProblems("hub-spec.json", spec, path);
    return mergeProblems(structural, hubSpecRuleProblems(spec, path, structural));
}

/**
 * The rules of a spec that its schema cannot state (someone can log in, listed users named as the
 * login names them, a guarantee within its limit, valid cron and time zone, unique names), for the
 * parts of `spec` that `structural` (the schema's problems) leaves valid.
 */
export function hubSpecRuleProblems(spec: unknown, path: string, structural: Problem[]): Problem[] {
    const check = new ProblemCollector();
    const valid = (part: string) => isValidAt(structural, `${path}.${part}`);
    if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
        return check.problems;
    }
    const hub = spec as HubSpec;
    if (valid("course") && valid("term")) {
        const name = courseName(hub);
        if (name.length > MAX_COURSE_NAME_LENGTH) {
            check.add(`${path}.term`,
                `course and term name the hub's namespace and Helm release ("${name}", ${name.length} characters): together they may have at most ${MAX_COURSE_NAME_LENGTH}, so shorten one (for example "f26" for the term)`);
        }
    }
    if (valid("auth.type")) {
        checkAuth(check, `${path}.auth`, hub.auth, (part) => valid(`auth.${part}`));
    }
    if (["auth.type", "auth.provider", "auth.usernameClaim", "auth.allowedIdps", "auth.identityProviders"].every(valid)) {
        checkUsernames(check, path, hub, valid);
    }
    if (["auth", "adminUsers", "staffUsers", "allowedUsers"].every(valid)) {
        checkSomeoneCanLogIn(check, path, hub);
    }
    if (["auth", "adminUsers"].every(valid)) {
        checkSharedPasswordAdminsCanLogIn(check, path, hub);
    }
    checkNetworkAccess(check, path, hub, valid);
    checkLogo(check, path, hub, valid);
    const server: ServerSpec = typeof hub.server === "object" && hub.server !== null ? hub.server : {};
    // The server's and a profile's resources fall back to what is under them (the server's, then the
    // defaults): a guarantee is checked against the limit the server will have. A sidecar's do not.
    const checkResourcesAt = (part: string, resources: ResourceSpec | undefined, under?: Required<ResourceSpec>) =>
        resources && checkResources(check, `${path}.${part}`, resources, under, (field) => valid(`${part}.${field}`));
    const serverValid = valid("server.resources");
    checkResourcesAt("server.resources", server.resources, resolveResources(undefined));
    const profiles = Array.isArray(server.profiles) ? server.profiles : [];
    checkUnique(check, profiles.map((p, i) => valid(`server.profiles[${i}].slug`) ? p.slug : undefined),
        (i) => `${path}.server.profiles[${i}].slug`, (slug) => `"${slug}" is used by another profile`);
    const defaults = profiles.filter((p, i) => valid(`server.profiles[${i}].default`) && p.default).length;
    if (defaults > 1) {
        check.add(`${path}.server.profiles`, `${defaults} profiles say default: true; mark one`);
    }
    profiles.forEach((p, i) => checkResourcesAt(`server.profiles[${i}].resources`, p.resources,
        serverValid ? resolveResources(server.resources) : undefined));
    profileMenuProblems(check, path, server, valid("auth") ? hub.auth : undefined,
        (i) => serverValid && valid(`server.profiles[${i}]`));
    const sidecars = Array.isArray(server.sidecars) ? server.sidecars : [];
    checkUnique(check, ["notebook", ...sidecars.map((s, i) => valid(`server.sidecars[${i}].name`) ? s.name : undefined)],
        (i) => `${path}.server.sidecars[${i - 1}].name`, (name) => `"${name}" is taken (by the notebook or another sidecar)`);
    sidecars.forEach((s, i) => checkResourcesAt(`server.sidecars[${i}].resources`, s.resources));
    checkInitContainerNames(check, `${path}.server`, server, valid);

    (Array.isArray(server.initContainers) ? server.initContainers : [])
        .forEach((c, i) => checkResourcesAt(`server.initContainers[${i}].resources`, c.resources));
    checkSecretEnvironment(check, `${path}.server`, server, (part) => valid(`server.${part}`));
    checkSharedMemoryWithinMemoryLimits(check, path, server, valid);
    checkOwnPlacementKept(check, path, server, valid);
    checkExtraFiles(check, `${path}.server.extraFiles`, server, (part) => valid(`server.extraFiles${part}`));
    if (valid("storage.nbgraderExchange") && hub.storage?.nbgraderExchange) {
        check.add(`${path}.storage.nbgraderExchange`, NBGRADER_EXCHANGE_REFUSAL);
    }
    checkFolders(check, path, hub, valid);
    checkSharedHomes(check, path, hub, valid);
    const culling: CullingSpec = typeof hub.culling === "object" && hub.culling !== null ? hub.culling : {};
    if (["culling.checkIntervalMinutes", "culling.idleTimeoutMinutes"].every(valid) && culling.checkIntervalMinutes !== undefined) {
        const idle = culling.idleTimeoutMinutes ?? DEFAULT_CULLING.idleTimeoutMinutes;
        if (culling.checkIntervalMinutes > idle) {
            check.add(`${path}.culling.checkIntervalMinutes`,
                `is longer than the idle timeout (${idle} minutes), so idle servers would run up to ${culling.checkIntervalMinutes + idle} minutes: `
                + "make it at most culling.idleTimeoutMinutes");
        }
    }
    checkPrewarm(check, `${path}.prewarm`, typeof hub.prewarm === "object" && hub.prewarm !== null ? hub.prewarm : {}, valid);
    return check.problems;
}

/**
 * Homes on a shared file system: XFS needs 300 MiB at least (mkfs.xfs refuses less), and the
 * block volumes under it start at 1 GiB; a quota larger than the file system could never be
 * reached; the volume is the platform's XFS class, so no class of the spec's; the names of
 * `sizeOverrides` are names the login gives (as `adminUsers`'), listed elsewhere or not.
 */
function checkSharedHomes(check: ProblemCollector, path: string, spec: HubSpec, valid: (part: string) => boolean): void {
    const at = "storage.home.sharedFileSystem";
    const homes = valid(at) ? spec.storage?.home?.sharedFileSystem : undefined;
    if (!homes) {
        return;
    }
    const size = parseStorageSize(homes.size);
    if (size < MINIMUM_SHARED_HOMES_BYTES) {
        check.add(`${path}.${at}.size`, `"${homes.size}" is too small for an XFS file system on a block volume: give 1Gi at least`);
        return;
    }
    if (spec.storage?.home?.storageClass !== undefined && valid("storage.home.storageClass")) {
        check.add(`${path}.storage.home.storageClass`,
            "names a class for per-user home volumes, but with sharedFileSystem every home is a folder on one volume of the platform's "
            + "XFS class with project quotas (platform.sharedHomesStorageClass): leave storageClass out");
    }
    const tooLarge = (quota: string) => parseStorageSize(quota) > size;
    const homeSize = spec.storage?.home?.size;
    if (homeSize !== undefined && valid("storage.home.size") && tooLarge(homeSize)) {
        check.add(`${path}.storage.home.size`,
            `each home's quota "${homeSize}" is larger than the file system that holds every home ("${homes.size}"): raise ${at}.size or lower the quota`);
    }
    for (const [user, quota] of Object.entries(homes.sizeOverrides ?? {})) {
        // Keys as the schema's problems name them.
        const userAt = `${path}.${at}.sizeOverrides.${user}`;
        const nameProblem = valid("auth") ? usernameProblem(spec.auth, user) : undefined;
        if (nameProblem) {
            check.add(userAt, `"${user}" ${nameProblem}`);
        } else if (tooLarge(quota)) {
            check.add(userAt, `"${quota}" is larger than the file system that holds every home ("${homes.size}"): raise ${at}.size or lower this quota`);
        }
    }
}

/** The smallest file system of shared homes: the smallest block volume (EBS, persistent disk) holds the XFS minimum of 300 MiB. */
const MINIMUM_SHARED_HOMES_BYTES = 1024 ** 3;

/** Reports each value that an earlier one already has (an undefined one, not checked, has none). */
function checkUnique(check: ProblemCollector, values: (string | undefined)[], pathOf: (i: number) => string, reason: (value: string) => string): void {
    values.forEach((value, i) => {
        if (value !== undefined && values.indexOf(value) < i) {
            check.add(pathOf(i), reason(value));
        }
    });
}

/** Each login type's rules between its fields, where those fields have their shape. */
function checkAuth(check: ProblemCollector, path: string, auth: AuthSpec, valid: (part: string) => boolean): void {
    if (auth.type === "sharedPassword" && valid("acknowledgeInsecure") && auth.acknowledgeInsecure !== true) {
        check.add(`${path}.acknowledgeInsecure`,
            "a shared password lets anyone who learns it in; set acknowledgeInsecure: true to accept that, or use github, oidc or ldap login");
    }
    if (auth.type === "oidc" && auth.provider === "generic" && ["provider", "allowedGroups", "groupsClaim"].every(valid)
        && (auth.allowedGroups ?? []).length > 0 && auth.groupsClaim === undefined) {
        check.add(`${path}.groupsClaim`, "is required with allowedGroups: name the claim that lists a user's groups (often \"groups\")");
    }
    if (auth.type === "ldap" && ["bindDnTemplates", "lookupDn"].every(valid) && (auth.bindDnTemplates ?? []).length === 0 && auth.lookupDn === undefined) {
        check.add(`${path}.bindDnTemplates`, "give bind DN templates, or lookupDn to search for the user's DN");
    }
    if (auth.type === "oidc" && auth.provider === "cilogon" && ["provider", "allowedIdps", "identityProviders", "allowAllAuthenticated"].every(valid)) {
        checkCILogonIdentityProviders(check, path, auth);
    }
}

/**
 * CILogon's identity providers: at least one, each once (they are the keys of
 * `CILogonOAuthenticator.idps`), one username action each (oauthenticator's schema has one
 * `action`), and no allow rule that a wider one makes void: the login's `allow_all` admits every
 * user before an IdP's rules are read, and an IdP's `allow_all` before its `allowed_domains`
 * (oauthenticator 17.4.0 cilogon.py l. 408-416).
 */
function checkCILogonIdentityProviders(check: ProblemCollector, path: string, auth: CILogonAuth): void {
    const detailed = auth.identityProviders ?? [];
    const entityIds = [...(auth.allowedIdps ?? []), ...detailed.map((idp) => idp.entityId)];
    if (entityIds.length === 0) {
        check.add(`${path}.allowedIdps`, "list at least one identity provider: its entity ID in allowedIdps, or an entry in identityProviders");
    }
    const simple = (auth.allowedIdps ?? []).length;
    checkUnique(check, entityIds, (i) => (i < simple ? `${path}.allowedIdps[${i}]` : `${path}.identityProviders[${i - simple}].entityId`),
        (entityId) => `${entityId} is listed already (in allowedIdps or identityProviders): list each identity provider once`);
    detailed.forEach((idp, i) => {
        const at = `${path}.identityProviders[${i}]`;
        if (idp.stripDomain !== undefined && idp.usernamePrefix !== undefined) {
            check.add(`${at}.usernamePrefix`, "give stripDomain or usernamePrefix, not both: an identity provider's usernames are changed in one way");
        }
        if ((idp.allowedDomains ?? []).length > 0 && idp.allowAll === true) {
            check.add(`${at}.allowedDomains`, "has no effect: allowAll already lets every user of this identity provider in; drop one of the two");
        }
    });
    const narrower = detailed.flatMap((idp, i) => [
        ...(idp.allowAll === false ? [`identityProviders[${i}].allowAll`] : []),
        ...((idp.allowedDomains ?? []).length > 0 ? [`identityProviders[${i}].allowedDomains`] : []),
    ]);
    if (auth.allowAllAuthenticated === true && narrower.length > 0) {
        check.add(`${path}.allowAllAuthenticated`, `lets every user of every identity provider in, so ${narrower.join(" and ")} would have no effect: `
            + "drop allowAllAuthenticated and set allowAll: true on the identity providers whose users may all log in");
    }
}

/** Each name of the admin, staff and allowed lists (that has its shape) is one the login gives a user. */
function checkUsernames(check: ProblemCollector, path: string, spec: HubSpec, valid: (part: string) => boolean): void {
    for (const list of ["adminUsers", "staffUsers", "allowedUsers"] as const) {
        const names: unknown[] = Array.isArray(spec[list]) ? spec[list] : [];
        names.forEach((name, i) => {
            const problem = valid(`${list}[${i}]`) ? usernameProblem(spec.auth, name as string) : undefined;
            if (problem) {
                check.add(`${path}.${list}[${i}]`, problem);
            }
        });
    }
}

/**
 * Modern authenticators let nobody in unless something allows them. Catch that before a term
 * starts with a hub nobody can use.
 */
function checkSomeoneCanLogIn(check: ProblemCollector, path: string, spec: HubSpec): void {
    const auth = spec.auth;
    const nonEmpty = (list: unknown[] | undefined) => (list ?? []).length > 0;
    const allowed =
        auth.type === "sharedPassword" || auth.type === "lti13" ||
        ("allowAllAuthenticated" in auth && auth.allowAllAuthenticated === true) ||
        nonEmpty(spec.adminUsers) || nonEmpty(spec.staffUsers) || nonEmpty(spec.allowedUsers) ||
        ("allowedOrganizations" in auth && nonEmpty(auth.allowedOrganizations)) ||
        ("allowedGroups" in auth && nonEmpty(auth.allowedGroups)) ||
        ("hostedDomains" in auth && nonEmpty(auth.hostedDomains)) ||
        ("identityProviders" in auth && (auth.identityProviders ?? []).some((idp) => idp.allowAll === true || nonEmpty(idp.allowedDomains)));
    if (!allowed) {
        check.add(`${path}.auth`,
            "nobody could log in: list allowedUsers or adminUsers, or allow a group of people " +
            "(allowedOrganizations, allowedGroups, hostedDomains, an identity provider's allowAll or allowedDomains, or allowAllAuthenticated: true)");
    }
}

/**
 * JupyterHub 5.5's shared-password login admits a name of `admin_users` only with `admin_password`
 * (jupyterhub/authenticators/shared.py), which must differ from the class password: without it the
 * listed admins could not log in at all, and with the class password the hub would not start.
 * Its length (32 characters at least) is the schema's rule. Values known only during the deployment
 * are not compared.
 */
function checkSharedPasswordAdminsCanLogIn(check: ProblemCollector, path: string, spec: HubSpec): void {
    const auth = spec.auth;
    if (auth.type !== "sharedPassword" || (spec.adminUsers ?? []).length === 0) {
        return;
    }
    if (auth.adminPassword === undefined) {
        check.add(`${path}.auth.adminPassword`,
            "is required with adminUsers: a shared-password hub lets the users adminUsers lists in only with an admin password of their own "
            + "(the class password never grants admin rights), so without it they could not log in. Give a secret of at least 32 characters "
            + "other than the class password; in a course stack, set it with: pulumi config set --secret course-hubs:sharedAdminPassword <value>");
        return;
    }
    if (!isDeferred(auth.adminPassword) && !isDeferred(auth.password) && auth.adminPassword === auth.password) {
        check.add(`${path}.auth.adminPassword`,
            "is the class password: JupyterHub refuses to start when the two are the same, so choose another for the admins");
    }
}

/**
 * A guarantee within its limit, for the fields that have their shape: the fields given over what
 * they fall back to (`under`), when one of a pair is given here; both given, without `under`.
 */
function checkResources(
    check: ProblemCollector, path: string, resources: ResourceSpec, under: Required<ResourceSpec> | undefined, valid: (field: string) => boolean,
): void {
    const amount = (value: number | string) => (typeof value === "number" ? value : parseByteSize(value));
    const pairs = [["cpuGuarantee", "cpuLimit"], ["memoryGuarantee", "memoryLimit"]] as const;
    for (const [guaranteeKey, limitKey] of pairs) {
        const guarantee = resources[guaranteeKey] ?? under?.[guaranteeKey];
        const limit = resources[limitKey] ?? under?.[limitKey];
        const givenHere = resources[guaranteeKey] !== undefined || resources[limitKey] !== undefined;
        if (!valid(guaranteeKey) || !valid(limitKey) || !givenHere || guarantee === undefined || limit === undefined) {
            continue;
        }
        if (amount(guarantee) > amount(limit)) {
            const inherited = (key: string) => (resources[key as keyof ResourceSpec] === undefined ? ", from what it falls back to" : "");
            check.add(resources[guaranteeKey] !== undefined ? `${path}.${guaranteeKey}` : `${path}.${limitKey}`,
                resources[guaranteeKey] !== undefined
                    ? `is more than ${limitKey} (${limit}${inherited(limitKey)}): raise ${limitKey} here too, or lower the guarantee`
                    : `is less than ${guaranteeKey} (${guarantee}${inherited(guaranteeKey)})`);
        }
    }
}

/**
 * `server.sharedMemory` at most the memory limit of the server and of each profile (theirs or what
 * they fall back to): what `/dev/shm` holds counts against that limit, so a larger size would only
 * let the kernel be killed before `/dev/shm` fills.
 */
function checkSharedMemoryWithinMemoryLimits(check: ProblemCollector, path: string, server: ServerSpec, valid: (part: string) => boolean): void {
    if (server.sharedMemory === undefined || !valid("server.sharedMemory") || !valid("server.resources")) {
        return;
    }
    const size = parseByteSize(server.sharedMemory);
    const serverLimit = resolveResources(server.resources).memoryLimit;
    if (size > parseByteSize(serverLimit)) {
        check.add(`${path}.server.sharedMemory`,
            `is more than the server's memory limit (${serverLimit}), which what /dev/shm holds counts against: lower it, or raise server.resources.memoryLimit`);
    }
    const profiles = Array.isArray(server.profiles) ? server.profiles : [];
    const reported = new Set<string>();
    profiles.forEach((profile, i) => {
        // Each size the profile offers: its own, or one its menus' choices make.
        for (const offered of valid(`server.profiles[${i}]`) ? profileSizes(server, profile, `server.profiles[${i}]`) : []) {
            const limit = offered.resources.memoryLimit;
            const setting = offered.sources.find((source) => source.resources.memoryLimit !== undefined)?.path ?? `server.profiles[${i}].resources`;
            // A limit at or above the server's adds nothing to the server's own problem.
            if (parseByteSize(limit) < parseByteSize(serverLimit) && size > parseByteSize(limit) && !reported.has(setting)) {
                reported.add(setting);
                const choices = offered.choices.length > 0 ? ` with ${offered.choices.join(", ")}` : "";
                check.add(`${path}.server.sharedMemory`,
                    `is more than the memory limit of profile "${profile.slug}"${choices} (${limit}), which what /dev/shm holds counts against: `
                    + `lower it, or raise ${setting}.memoryLimit`);
            }
        }
    });
}

/**
 * The node labels and taints by which course-hubs places servers, each with why a spec may not name
 * it: a selector on one would undo z2jh's user nodes or course-hubs's GPU nodes, and a toleration of
 * the GPU taint would let a CPU server take a GPU node.
 */
const OWN_PLACEMENT: Record<"nodeSelector" | "tolerations", Record<string, string>> = {
    nodeSelector: {
        [NODE_PURPOSE_LABEL]: "is course-hubs's own label (servers go to user nodes, the hub to core nodes): "
            + "leave it out, and name a label of the course's own nodes",
        [GPU_NODE_LABEL]: "is course-hubs's own label of GPU nodes, which it selects for a profile with gpus: give the profile gpus instead",
    },
    tolerations: {
        [USER_NODE_TAINT.key]: "is the user nodes' taint, which every server tolerates already: leave it out",
        // z2jh also tolerates the user taint with `_` for `/`, for clouds that refuse `/` in a taint key.
        [USER_NODE_TAINT.key.replace("/", "_")]: "is the user nodes' taint, which every server tolerates already: leave it out",
        [GPU_NODE_TAINT.key]: "is the GPU nodes' taint, which only a profile with gpus tolerates, so that other servers leave GPU nodes free: "
            + "give the profile gpus instead",
    },
};

/** The server's and each profile's `nodeSelector` and `tolerations` name none of course-hubs's own placement (that have their shape). */
function checkOwnPlacementKept(check: ProblemCollector, path: string, server: ServerSpec, valid: (part: string) => boolean): void {
    const profiles = Array.isArray(server.profiles) ? server.profiles : [];
    const places: [string, { nodeSelector?: NodeKeyValues; tolerations?: NodeKeyValues }][] =
        [["server", server], ...profiles.map((profile, i) => [`server.profiles[${i}]`, profile] as [string, typeof profile])];
    for (const [at, holder] of places) {
        for (const field of ["nodeSelector", "tolerations"] as const) {
            if (!valid(`${at}.${field}`)) {
                continue;
            }
            for (const key of Object.keys(holder[field] ?? {}).filter((k) => Object.hasOwn(OWN_PLACEMENT[field], k))) {
                check.add(`${path}.${at}.${field}.${key}`, `"${key}" ${OWN_PLACEMENT[field][key]}`);
            }
        }
    }
}

/**
 * What the course's `server.extraFiles` may hold together: the chart keeps them in one Kubernetes
 * Secret, of 1 MiB at most, base64-encoded (z2jh's values schema says so under extraFiles).
 */
const EXTRA_FILES_MAX_BYTES = 768 * 1024;

/**
 * `server.extraFiles`, for the files that have their shape (the schema makes each path absolute):
 * each path used once, outside the home directory and apart from course-hubs's own file, and the
 * contents within what the chart's Secret holds.
 */
function checkExtraFiles(check: ProblemCollector, path: string, server: ServerSpec, valid: (part: string) => boolean): void {
    const files = Array.isArray(server.extraFiles) ? server.extraFiles : [];
    const pathAt = (i: number) => `${path}[${i}].path`;
    const paths = files.map((file, i) => (valid(`[${i}].path`) ? file.path : undefined));
    checkUnique(check, paths, pathAt, (taken) => `"${taken}" is the path of another file: give each file its own`);
    paths.forEach((filePath, i) => {
        if (filePath === NOTEBOOK_HOME || filePath?.startsWith(`${NOTEBOOK_HOME}/`)) {
            check.add(pathAt(i), `"${filePath}" is in the home directory (${NOTEBOOK_HOME}), which is each student's own volume: `
                + "a file mounted there would sit read-only among the student's files. Put it outside, for example under /etc/course, "
                + "or bring material into homes with server.content");
        } else if (filePath === KERNEL_CULLING_FILE_PATH) {
            check.add(pathAt(i), `"${filePath}" is course-hubs's own file (kernel culling, set by spec.culling): give the file another name`);
        }
    });
    const sizes = files.map((file, i) => (valid(`[${i}].content`) ? Buffer.byteLength(file.content, "utf8") : 0));
    const kib = (bytes: number) => `${Math.ceil(bytes / 1024)} KiB`;
    const limit = `the files together may hold at most ${kib(EXTRA_FILES_MAX_BYTES)} (the chart keeps them in a Kubernetes Secret): `
        + "put large files in the image, or bring them into homes with server.content";
    const oversized = sizes.flatMap((size, i) => (size > EXTRA_FILES_MAX_BYTES ? [i] : []));
    oversized.forEach((i) => check.add(`${path}[${i}].content`, `holds ${kib(sizes[i])}; ${limit}`));
    const total = sizes.reduce((sum, size) => sum + size, 0);
    if (oversized.length === 0 && total > EXTRA_FILES_MAX_BYTES) {
        check.add(path, `hold ${kib(total)} together; ${limit}`);
    }
}

/**
 * Names of the containers of a server's pod besides the course's sidecars and init containers: the
 * notebook's, course-hubs's content sync, and the chart's cloud metadata block
 * (files/hub/jupyterhub_config.py of z2jh 4.4.0, `block-cloud-metadata`). Kubernetes refuses a pod
 * whose containers and init containers share a name.
 */
const POD_CONTAINER_NAMES = ["notebook", CONTENT_INIT_CONTAINER_NAME, "block-cloud-metadata"];

/** Each init container's name is its own in the pod: not another's, a sidecar's or one course-hubs or the chart gives. */
function checkInitContainerNames(check: ProblemCollector, path: string, server: ServerSpec, valid: (part: string) => boolean): void {
    const initContainers = Array.isArray(server.initContainers) ? server.initContainers : [];
    const sidecars = Array.isArray(server.sidecars) ? server.sidecars : [];
    const taken = [...new Set([...POD_CONTAINER_NAMES, ...sidecars.flatMap((s, i) => (valid(`server.sidecars[${i}].name`) ? [s.name] : []))])];
    const names = initContainers.map((c, i) => (valid(`server.initContainers[${i}].name`) ? c.name : undefined));
    checkUnique(check, [...taken, ...names], (i) => `${path}.initContainers[${i - taken.length}].name`,
        (name) => `"${name}" is taken (by another init container, a sidecar, or one of ${POD_CONTAINER_NAMES.join(", ")}, which the pod has already): `
            + "give each container its own name");
}

/**
 * Variables that JupyterHub (its Spawner's environment: `JUPYTERHUB_*`, `JPY_API_TOKEN`, the
 * `MEM_*` and `CPU_*` sizes) and KubeSpawner (`JUPYTER_IMAGE*`) set in every server: a course's value
 * would cut the server off from the hub or be overwritten.
 */
const RESERVED_VARIABLE = /^(JUPYTERHUB_|JPY_)|^(MEM_LIMIT|MEM_GUARANTEE|CPU_LIMIT|CPU_GUARANTEE|JUPYTER_IMAGE|JUPYTER_IMAGE_SPEC)$/;

/** A secret variable is named once, not in `environment` too, and not as JupyterHub's own. */
function checkSecretEnvironment(check: ProblemCollector, path: string, server: ServerSpec, valid: (part: string) => boolean): void {
    if (!valid("secretEnvironment") || typeof server.secretEnvironment !== "object" || server.secretEnvironment === null) {
        return;
    }
    const plain = valid("environment") ? server.environment ?? {} : {};
    for (const name of Object.keys(server.secretEnvironment)) {
        if (RESERVED_VARIABLE.test(name)) {
            check.add(`${path}.secretEnvironment.${name}`,
                "is set by JupyterHub in every server (JUPYTERHUB_*, JPY_*, MEM_*, CPU_* and JUPYTER_IMAGE*): give the variable another name");
        } else if (name in plain) {
            check.add(`${path}.secretEnvironment.${name}`,
                `is in ${path}.environment too: give it once, in secretEnvironment if its value is a secret, else in environment`);
        }
    }
}

/**
 * Why an nbgrader exchange is refused: every server runs as the same user (uid 1000), so on one
 * shared writable folder any student could read or overwrite another's submission.
 */
const NBGRADER_EXCHANGE_REFUSAL =
    "is refused: every notebook runs as the same user (uid 1000), so on a shared exchange any student could read or change another's "
    + "submission. Leave it out, and give storage.submitFolder instead (each student's server mounts only that student's folder, "
    + "staff collect from all of them), or collect work through the LMS; see the README's security section";

function checkPrewarm(check: ProblemCollector, path: string, prewarm: PrewarmSpec, valid: (part: string) => boolean): void {
    if (valid("prewarm.timeZone") && prewarm.timeZone !== undefined && !isTimeZone(prewarm.timeZone)) {
        check.add(`${path}.timeZone`, `"${prewarm.timeZone}" is not an IANA time zone such as America/New_York`);
    }
    const schedule = Array.isArray(prewarm.schedule) ? prewarm.schedule : [];
    schedule.forEach((window, i) => {
        for (const edge of ["start", "end"] as const) {
            const fault = valid(`prewarm.schedule[${i}].${edge}`) ? cronProblem(window[edge]) : undefined;
            if (fault) {
                check.add(`${path}.schedule[${i}].${edge}`, `"${window[edge]}" is not a cron expression: ${fault}`);
            }
        }
    });
    if (schedule.length > 0 && prewarm.timeZone === undefined) {
        check.add(`${path}.timeZone`,
            "is required with a schedule, whose times would otherwise be read in UTC: give the course's IANA time zone, for example timeZone: America/New_York");
    }
}

function isTimeZone(name: string): boolean {
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: name });
        return true;
    } catch {
        return false;
    }
}
