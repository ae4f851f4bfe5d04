import { cronProblem } from "../cron";
import { isDeferred, isValidAt, mergeProblems, schemaProblems } from "../schema";
import { MAX_COURSE_NAME_LENGTH, courseName } from "../tags";
import { Problem, ProblemCollector } from "../validation";
import { usernameProblem } from "./auth";
import { NOTEBOOK_HOME } from "./content";
import { DEFAULT_CULLING, parseByteSize, profileResources, resolveResources } from "./defaults";
import { GPU_NODE_LABEL, GPU_NODE_TAINT } from "../node-roles";
import { AuthSpec, CullingSpec, HubSpec, NodeKeyValues, PrewarmSpec, ResourceSpec, ServerSpec } from "./spec";
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
    if (["auth.type", "auth.provider", "auth.usernameClaim"].every(valid)) {
        checkUsernames(check, path, hub, valid);
    }
    if (["auth", "adminUsers", "staffUsers", "allowedUsers"].every(valid)) {
        checkSomeoneCanLogIn(check, path, hub);
    }
    if (["auth", "adminUsers"].every(valid)) {
        checkSharedPasswordAdminsCanLogIn(check, path, hub);
    }
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
    const sidecars = Array.isArray(server.sidecars) ? server.sidecars : [];
    checkUnique(check, ["notebook", ...sidecars.map((s, i) => valid(`server.sidecars[${i}].name`) ? s.name : undefined)],
        (i) => `${path}.server.sidecars[${i - 1}].name`, (name) => `"${name}" is taken (by the notebook or another sidecar)`);
    sidecars.forEach((s, i) => checkResourcesAt(`server.sidecars[${i}].resources`, s.resources));
    checkSharedMemoryWithinMemoryLimits(check, path, server, valid);
    checkOwnPlacementKept(check, path, server, valid);
    checkExtraFiles(check, `${path}.server.extraFiles`, server, (part) => valid(`server.extraFiles${part}`));
    if (valid("storage.nbgraderExchange") && hub.storage?.nbgraderExchange) {
        check.add(`${path}.storage.nbgraderExchange`, NBGRADER_EXCHANGE_REFUSAL);
    }
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
        auth.type === "sharedPassword" ||
        ("allowAllAuthenticated" in auth && auth.allowAllAuthenticated === true) ||
        nonEmpty(spec.adminUsers) || nonEmpty(spec.staffUsers) || nonEmpty(spec.allowedUsers) ||
        ("allowedOrganizations" in auth && nonEmpty(auth.allowedOrganizations)) ||
        ("allowedGroups" in auth && nonEmpty(auth.allowedGroups)) ||
        ("hostedDomains" in auth && nonEmpty(auth.hostedDomains));
    if (!allowed) {
        check.add(`${path}.auth`,
            "nobody could log in: list allowedUsers or adminUsers, or allow a group of people " +
            "(allowedOrganizations, allowedGroups, hostedDomains, or allowAllAuthenticated: true)");
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
    profiles.forEach((profile, i) => {
        const limit = profileResources(server, profile).memoryLimit;
        // A profile's limit at or above the server's adds nothing to the server's own problem.
        if (valid(`server.profiles[${i}]`) && parseByteSize(limit) < parseByteSize(serverLimit) && size > parseByteSize(limit)) {
            check.add(`${path}.server.sharedMemory`,
                `is more than the memory limit of profile "${profile.slug}" (${limit}), which what /dev/shm holds counts against: `
                + `lower it, or raise server.profiles[${i}].resources.memoryLimit`);
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
 * Why an nbgrader exchange is refused: every server runs as the same user (uid 1000), so on one
 * shared writable folder any student could read or overwrite another's submission.
 */
const NBGRADER_EXCHANGE_REFUSAL =
    "is refused: every notebook runs as the same user (uid 1000), so on a shared exchange any student could read or change another's "
    + "submission. Leave it out, and collect work through the LMS or nbgrader's ngshare service run outside course-hubs; "
    + "see the README's security section";

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
