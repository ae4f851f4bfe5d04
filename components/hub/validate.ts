import * as pulumi from "@pulumi/pulumi";
import { cronProblem } from "../cron";
import { EMAIL_PATTERN, HOSTNAME_HELP, HOSTNAME_PATTERN, Problem, ProblemCollector } from "../validation";
import { MAX_COURSE_NAME_LENGTH, courseName } from "../tags";
import { parseByteSize } from "./defaults";

/*
 * The spec is checked as untyped data: stack config is parsed YAML, so a field can hold a number
 * where a string belongs, or a misspelled key that TypeScript never saw. Every key of every
 * object is known, so a typo is an error instead of a silently ignored option.
 */

const NAME = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;
const NAME_HELP = "use 2-40 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen";
const HTTPS_URL = /^https:\/\/[^\s/]+(\/\S*)?$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
const USERNAME = /^\S{1,255}$/;
const IMAGE_NAME = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const MEMORY = /^\d+(\.\d+)?[KMGT]$/;
const MEMORY_HELP = "use a number with K, M, G or T, such as 512M or 2G";
const STORAGE_SIZE = /^[1-9]\d*(Mi|Gi|Ti)$/;
const STORAGE_HELP = "use a whole number of Mi, Gi or Ti, such as 10Gi";
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_HELP = "use letters, digits and underscores, not starting with a digit";

const SPEC_KEYS = [
    "course", "term", "owner", "displayName", "hostname", "https", "auth", "adminUsers", "staffUsers",
    "allowedUsers", "server", "storage", "culling", "prewarm", "spawn", "notebookIdentity",
] as const;

/**
 * Checks a hub spec and returns every problem found, each with its property path under
 * `path` (the argument's name, `spec` by default). Pure: creates nothing.
 */
export function validateHubSpec(spec: unknown, path = "spec"): Problem[] {
    const check = new ProblemCollector();
    if (!check.isObject(path, spec)) {
        return check.problems;
    }
    check.knownKeys(path, spec, SPEC_KEYS);
    check.isString(`${path}.course`, spec.course, NAME, NAME_HELP);
    check.isString(`${path}.term`, spec.term, NAME, NAME_HELP);
    if (typeof spec.course === "string" && typeof spec.term === "string") {
        const name = courseName({ course: spec.course, term: spec.term });
        if (name.length > MAX_COURSE_NAME_LENGTH) {
            check.add(`${path}.term`,
                `course and term name the hub's namespace and Helm release ("${name}", ${name.length} characters): together they may have at most ${MAX_COURSE_NAME_LENGTH}, so shorten one (for example "f26" for the term)`);
        }
    }
    check.isString(`${path}.owner`, spec.owner, /^[A-Za-z0-9@._+\-: ]{1,128}$/, "use at most 128 letters, digits, spaces and @._+-:");
    if (spec.displayName !== undefined) {
        check.isString(`${path}.displayName`, spec.displayName);
    }
    check.isString(`${path}.hostname`, spec.hostname, HOSTNAME_PATTERN, HOSTNAME_HELP);
    checkHttps(check, `${path}.https`, spec.https);
    checkAuth(check, `${path}.auth`, spec.auth);
    for (const list of ["adminUsers", "staffUsers", "allowedUsers"] as const) {
        if (spec[list] !== undefined) {
            check.isArray(`${path}.${list}`, spec[list], (p, u) => check.isString(p, u, USERNAME, "a username has no spaces"));
        }
    }
    checkSomeoneCanLogIn(check, path, spec);
    if (spec.server !== undefined) {
        checkServer(check, `${path}.server`, spec.server);
    }
    if (spec.storage !== undefined) {
        checkStorage(check, `${path}.storage`, spec.storage);
    }
    if (spec.culling !== undefined) {
        checkCulling(check, `${path}.culling`, spec.culling);
    }
    if (spec.prewarm !== undefined) {
        checkPrewarm(check, `${path}.prewarm`, spec.prewarm);
    }
    if (spec.spawn !== undefined && check.isObject(`${path}.spawn`, spec.spawn)) {
        check.knownKeys(`${path}.spawn`, spec.spawn, ["concurrentLimit", "startTimeoutSeconds"]);
        optional(spec.spawn.concurrentLimit, (v) => check.isNumber(`${path}.spawn.concurrentLimit`, v, 1, 1000, true));
        optional(spec.spawn.startTimeoutSeconds, (v) => check.isNumber(`${path}.spawn.startTimeoutSeconds`, v, 60, 3600, true));
    }
    if (spec.notebookIdentity !== undefined && check.isObject(`${path}.notebookIdentity`, spec.notebookIdentity)) {
        const keys = Object.keys(spec.notebookIdentity);
        check.knownKeys(`${path}.notebookIdentity`, spec.notebookIdentity, ["awsRoleArn", "gcpServiceAccountEmail"]);
        if (keys.length !== 1) {
            check.add(`${path}.notebookIdentity`, "give exactly one of awsRoleArn or gcpServiceAccountEmail");
        }
    }
    return check.problems;
}

function optional(value: unknown, checkIt: (value: unknown) => void): void {
    if (value !== undefined) {
        checkIt(value);
    }
}

function checkHttps(check: ProblemCollector, path: string, https: unknown): void {
    if (!check.isObject(path, https) || !check.isOneOf(`${path}.mode`, https.mode, ["letsencrypt", "secret", "offload", "ingress"] as const)) {
        return;
    }
    switch (https.mode) {
        case "letsencrypt":
            check.knownKeys(path, https, ["mode", "contactEmail"]);
            if (check.present(`${path}.contactEmail`, https.contactEmail, "Let's Encrypt needs an address for expiry notices")) {
                check.isString(`${path}.contactEmail`, https.contactEmail, EMAIL_PATTERN, "use an email address");
            }
            break;
        case "secret":
            check.knownKeys(path, https, ["mode", "secretName"]);
            check.isString(`${path}.secretName`, https.secretName, DNS_SUBDOMAIN, "use the name of a Kubernetes TLS Secret");
            break;
        default:
            check.knownKeys(path, https, ["mode"]);
    }
}

const AUTH_TYPES = ["github", "oidc", "ldap", "sharedPassword"] as const;
const OIDC_COMMON_KEYS = ["type", "provider", "clientId", "clientSecret", "allowAllAuthenticated"];

function checkAuth(check: ProblemCollector, path: string, auth: unknown): void {
    if (!check.isObject(path, auth) || !check.isOneOf(`${path}.type`, auth.type, AUTH_TYPES)) {
        return;
    }
    switch (auth.type) {
        case "github":
            check.knownKeys(path, auth, ["type", "clientId", "clientSecret", "allowedOrganizations"]);
            checkOAuthClient(check, path, auth);
            optional(auth.allowedOrganizations, (v) =>
                check.isArray(`${path}.allowedOrganizations`, v, (p, org) =>
                    check.isString(p, org, /^[A-Za-z0-9-]+(:[A-Za-z0-9_.-]+)?$/, "use an organization (my-org) or a team (my-org:my-team)")));
            break;
        case "oidc":
            checkOidc(check, path, auth);
            break;
        case "ldap":
            checkLdap(check, path, auth);
            break;
        case "sharedPassword":
            check.knownKeys(path, auth, ["type", "password", "acknowledgeInsecure"]);
            if (auth.acknowledgeInsecure !== true) {
                check.add(`${path}.acknowledgeInsecure`,
                    "a shared password lets anyone who learns it in; set acknowledgeInsecure: true to accept that, or use github, oidc or ldap login");
            }
            checkSecret(check, `${path}.password`, auth.password, 8);
            break;
    }
}

function checkOAuthClient(check: ProblemCollector, path: string, auth: Record<string, unknown>): void {
    check.isString(`${path}.clientId`, auth.clientId);
    checkSecret(check, `${path}.clientSecret`, auth.clientSecret, 1);
}

/**
 * A secret is usually an Output (from config or another resource) whose value is unknown here;
 * a plain value can be checked, and a missing one always.
 */
function checkSecret(check: ProblemCollector, path: string, value: unknown, minLength: number): void {
    if (!check.present(path, value, "pass it as a Pulumi secret, for example from `pulumi config set --secret`")) {
        return;
    }
    if (pulumi.Output.isInstance(value)) {
        return;
    }
    if (typeof value !== "string" || value.length < minLength) {
        check.add(path, `must be a string of at least ${minLength} characters`);
    }
}

function checkOidc(check: ProblemCollector, path: string, auth: Record<string, unknown>): void {
    if (!check.isOneOf(`${path}.provider`, auth.provider, ["generic", "google", "azuread", "cilogon"] as const)) {
        return;
    }
    checkOAuthClient(check, path, auth);
    optional(auth.allowAllAuthenticated, (v) => check.isBoolean(`${path}.allowAllAuthenticated`, v));
    switch (auth.provider) {
        case "generic":
            check.knownKeys(path, auth, [
                ...OIDC_COMMON_KEYS, "authorizeUrl", "tokenUrl", "userdataUrl", "usernameClaim", "scopes", "allowedGroups", "groupsClaim",
            ]);
            for (const url of ["authorizeUrl", "tokenUrl", "userdataUrl"]) {
                check.isString(`${path}.${url}`, auth[url], HTTPS_URL, "use an https:// URL of the provider's endpoint");
            }
            optional(auth.usernameClaim, (v) => check.isString(`${path}.usernameClaim`, v));
            optional(auth.scopes, (v) => check.isArray(`${path}.scopes`, v, (p, s) => check.isString(p, s, /^\S+$/, "a scope has no spaces")));
            optional(auth.groupsClaim, (v) => check.isString(`${path}.groupsClaim`, v));
            optional(auth.allowedGroups, (v) => check.isArray(`${path}.allowedGroups`, v, (p, g) => check.isString(p, g)));
            if (Array.isArray(auth.allowedGroups) && auth.allowedGroups.length > 0 && auth.groupsClaim === undefined) {
                check.add(`${path}.groupsClaim`, "is required with allowedGroups: name the claim that lists a user's groups (often \"groups\")");
            }
            break;
        case "google":
            check.knownKeys(path, auth, [...OIDC_COMMON_KEYS, "hostedDomains"]);
            optional(auth.hostedDomains, (v) =>
                check.isArray(`${path}.hostedDomains`, v, (p, d) => check.isString(p, d, HOSTNAME_PATTERN, "use a domain such as example.edu")));
            break;
        case "azuread":
            check.knownKeys(path, auth, [...OIDC_COMMON_KEYS, "tenantId"]);
            check.isString(`${path}.tenantId`, auth.tenantId, /^[0-9a-fA-F-]{36}$/, "use the directory (tenant) ID, a GUID");
            break;
        case "cilogon":
            check.knownKeys(path, auth, [...OIDC_COMMON_KEYS, "allowedIdps", "usernameClaim"]);
            if (check.isArray(`${path}.allowedIdps`, auth.allowedIdps, (p, idp) => check.isString(p, idp, /^(https:\/\/|urn:)\S+$/, "use the identity provider's entity ID (https://... or urn:...)"))
                && auth.allowedIdps.length === 0) {
                check.add(`${path}.allowedIdps`, "name at least one institution's identity provider");
            }
            optional(auth.usernameClaim, (v) => check.isString(`${path}.usernameClaim`, v));
            break;
    }
}

function checkLdap(check: ProblemCollector, path: string, auth: Record<string, unknown>): void {
    check.knownKeys(path, auth, ["type", "serverAddress", "serverPort", "tls", "bindDnTemplates", "lookupDn", "allowedGroups", "allowAllAuthenticated"]);
    check.isString(`${path}.serverAddress`, auth.serverAddress, /^[A-Za-z0-9.-]+$/, "use the server's host name, without ldap:// or a port");
    optional(auth.serverPort, (v) => check.isNumber(`${path}.serverPort`, v, 1, 65535, true));
    optional(auth.tls, (v) => check.isOneOf(`${path}.tls`, v, ["ldaps", "starttls"] as const));
    optional(auth.allowedGroups, (v) => check.isArray(`${path}.allowedGroups`, v, (p, g) => check.isString(p, g)));
    optional(auth.allowAllAuthenticated, (v) => check.isBoolean(`${path}.allowAllAuthenticated`, v));
    optional(auth.bindDnTemplates, (v) =>
        check.isArray(`${path}.bindDnTemplates`, v, (p, t) => {
            if (check.isString(p, t) && !t.includes("{username}")) {
                check.add(p, "must contain {username}, for example uid={username},ou=people,dc=example,dc=edu");
            }
        }));
    if (auth.lookupDn !== undefined && check.isObject(`${path}.lookupDn`, auth.lookupDn)) {
        const lookup = auth.lookupDn;
        check.knownKeys(`${path}.lookupDn`, lookup, ["searchBase", "userAttribute", "bindUser", "bindPassword"]);
        check.isString(`${path}.lookupDn.searchBase`, lookup.searchBase);
        optional(lookup.userAttribute, (v) => check.isString(`${path}.lookupDn.userAttribute`, v));
        check.isString(`${path}.lookupDn.bindUser`, lookup.bindUser);
        checkSecret(check, `${path}.lookupDn.bindPassword`, lookup.bindPassword, 1);
    }
    const templates = Array.isArray(auth.bindDnTemplates) ? auth.bindDnTemplates : [];
    if (templates.length === 0 && auth.lookupDn === undefined) {
        check.add(`${path}.bindDnTemplates`, "give bind DN templates, or lookupDn to search for the user's DN");
    }
}

/**
 * Modern authenticators let nobody in unless something allows them. Catch that before a term
 * starts with a hub nobody can use.
 */
function checkSomeoneCanLogIn(check: ProblemCollector, path: string, spec: Record<string, unknown>): void {
    const auth = spec.auth as Record<string, unknown> | undefined;
    if (typeof auth !== "object" || auth === null || !(AUTH_TYPES as readonly unknown[]).includes(auth.type)) {
        return;
    }
    const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
    const allowed =
        auth.type === "sharedPassword" ||
        auth.allowAllAuthenticated === true ||
        ["adminUsers", "staffUsers", "allowedUsers"].some((k) => nonEmpty(spec[k])) ||
        nonEmpty(auth.allowedOrganizations) || nonEmpty(auth.allowedGroups) || nonEmpty(auth.hostedDomains);
    if (!allowed) {
        check.add(`${path}.auth`,
            "nobody could log in: list allowedUsers or adminUsers, or allow a group of people " +
            "(allowedOrganizations, allowedGroups, hostedDomains, or allowAllAuthenticated: true)");
    }
}

function checkImage(check: ProblemCollector, path: string, image: unknown): void {
    if (!check.isObject(path, image)) {
        return;
    }
    check.knownKeys(path, image, ["name", "tag"]);
    check.isString(`${path}.name`, image.name, IMAGE_NAME, "use a registry/repository name without a tag, such as quay.io/jupyter/scipy-notebook");
    if (check.isString(`${path}.tag`, image.tag, IMAGE_TAG, "use an image tag") && image.tag === "latest") {
        check.add(`${path}.tag`, "\"latest\" changes under a running course; pin a version or date tag");
    }
}

function checkResources(check: ProblemCollector, path: string, resources: unknown): void {
    if (!check.isObject(path, resources)) {
        return;
    }
    check.knownKeys(path, resources, ["cpuGuarantee", "cpuLimit", "memoryGuarantee", "memoryLimit"]);
    const cpuOk = ["cpuGuarantee", "cpuLimit"].map((k) =>
        resources[k] === undefined || check.isNumber(`${path}.${k}`, resources[k], 0.01, 192));
    const memOk = ["memoryGuarantee", "memoryLimit"].map((k) =>
        resources[k] === undefined || check.isString(`${path}.${k}`, resources[k], MEMORY, MEMORY_HELP));
    if (cpuOk.every(Boolean) && typeof resources.cpuGuarantee === "number" && typeof resources.cpuLimit === "number"
        && resources.cpuGuarantee > resources.cpuLimit) {
        check.add(`${path}.cpuGuarantee`, `is more than cpuLimit (${resources.cpuLimit})`);
    }
    if (memOk.every(Boolean) && typeof resources.memoryGuarantee === "string" && typeof resources.memoryLimit === "string"
        && parseByteSize(resources.memoryGuarantee) > parseByteSize(resources.memoryLimit)) {
        check.add(`${path}.memoryGuarantee`, `is more than memoryLimit (${resources.memoryLimit})`);
    }
}

function checkServer(check: ProblemCollector, path: string, server: unknown): void {
    if (!check.isObject(path, server)) {
        return;
    }
    check.knownKeys(path, server, ["image", "defaultUrl", "resources", "profiles", "environment", "sidecars", "content"]);
    optional(server.image, (v) => checkImage(check, `${path}.image`, v));
    optional(server.defaultUrl, (v) => check.isString(`${path}.defaultUrl`, v, /^\/\S*$/, "use a path such as /lab or /tree"));
    optional(server.resources, (v) => checkResources(check, `${path}.resources`, v));
    optional(server.environment, (v) => check.isStringMap(`${path}.environment`, v, ENV_NAME, ENV_HELP));
    optional(server.profiles, (v) => checkProfiles(check, `${path}.profiles`, v));
    optional(server.sidecars, (v) => checkSidecars(check, `${path}.sidecars`, v));
    if (server.content !== undefined && check.isObject(`${path}.content`, server.content)) {
        const content = server.content;
        check.knownKeys(`${path}.content`, content, ["repository", "branch", "targetPath"]);
        check.isString(`${path}.content.repository`, content.repository, HTTPS_URL, "use the repository's https:// URL");
        optional(content.branch, (v) => check.isString(`${path}.content.branch`, v, /^[^\s~^:?*[\\]+$/, "use a Git branch name"));
        optional(content.targetPath, (v) => check.isString(`${path}.content.targetPath`, v, /^(?!\/)(?!.*(^|\/)\.\.(\/|$))\S+$/, "use a folder relative to the home directory, without .."));
    }
}

function checkProfiles(check: ProblemCollector, path: string, profiles: unknown): void {
    const slugs = new Set<string>();
    let defaults = 0;
    check.isArray(path, profiles, (p, profile) => {
        if (!check.isObject(p, profile)) {
            return;
        }
        check.knownKeys(p, profile, ["slug", "displayName", "description", "default", "image", "resources", "gpus"]);
        if (check.isString(`${p}.slug`, profile.slug, DNS_LABEL, "use lowercase letters, digits and hyphens")) {
            if (slugs.has(profile.slug)) {
                check.add(`${p}.slug`, `"${profile.slug}" is used by another profile`);
            }
            slugs.add(profile.slug);
        }
        check.isString(`${p}.displayName`, profile.displayName);
        optional(profile.description, (v) => check.isString(`${p}.description`, v));
        if (profile.default !== undefined && check.isBoolean(`${p}.default`, profile.default) && profile.default) {
            defaults++;
        }
        optional(profile.image, (v) => checkImage(check, `${p}.image`, v));
        optional(profile.resources, (v) => checkResources(check, `${p}.resources`, v));
        optional(profile.gpus, (v) => check.isNumber(`${p}.gpus`, v, 0, 16, true));
    });
    if (defaults > 1) {
        check.add(path, `${defaults} profiles say default: true; mark one`);
    }
}

function checkSidecars(check: ProblemCollector, path: string, sidecars: unknown): void {
    const names = new Set<string>(["notebook"]);
    check.isArray(path, sidecars, (p, sidecar) => {
        if (!check.isObject(p, sidecar)) {
            return;
        }
        check.knownKeys(p, sidecar, ["name", "image", "environment", "ports", "resources"]);
        if (check.isString(`${p}.name`, sidecar.name, DNS_LABEL, "use lowercase letters, digits and hyphens")) {
            if (names.has(sidecar.name)) {
                check.add(`${p}.name`, `"${sidecar.name}" is taken (by the notebook or another sidecar)`);
            }
            names.add(sidecar.name);
        }
        if (check.present(`${p}.image`, sidecar.image)) {
            checkImage(check, `${p}.image`, sidecar.image);
        }
        optional(sidecar.environment, (v) => check.isStringMap(`${p}.environment`, v, ENV_NAME, ENV_HELP));
        optional(sidecar.ports, (v) => check.isArray(`${p}.ports`, v, (pp, port) => check.isNumber(pp, port, 1, 65535, true)));
        optional(sidecar.resources, (v) => checkResources(check, `${p}.resources`, v));
    });
}

/**
 * Why an nbgrader exchange is refused: every server runs as the same user (uid 1000), so on one
 * shared writable folder any student could read or overwrite another's submission.
 */
const NBGRADER_EXCHANGE_REFUSAL =
    "is refused: every notebook runs as the same user (uid 1000), so on a shared exchange any student could read or change another's "
    + "submission. Leave it out, and collect work through the LMS or nbgrader's ngshare service run outside course-hubs; "
    + "see the README's security section";

function checkStorage(check: ProblemCollector, path: string, storage: unknown): void {
    if (!check.isObject(path, storage)) {
        return;
    }
    check.knownKeys(path, storage, ["home", "sharedCourseFolder", "nbgraderExchange", "sharedSize"]);
    if (storage.home !== undefined && check.isObject(`${path}.home`, storage.home)) {
        check.knownKeys(`${path}.home`, storage.home, ["size", "storageClass"]);
        optional(storage.home.size, (v) => check.isString(`${path}.home.size`, v, STORAGE_SIZE, STORAGE_HELP));
        optional(storage.home.storageClass, (v) => check.isString(`${path}.home.storageClass`, v, DNS_SUBDOMAIN, "use a StorageClass name"));
    }
    optional(storage.sharedCourseFolder, (v) => check.isBoolean(`${path}.sharedCourseFolder`, v));
    if (storage.nbgraderExchange !== undefined && check.isBoolean(`${path}.nbgraderExchange`, storage.nbgraderExchange) && storage.nbgraderExchange) {
        check.add(`${path}.nbgraderExchange`, NBGRADER_EXCHANGE_REFUSAL);
    }
    optional(storage.sharedSize, (v) => check.isString(`${path}.sharedSize`, v, STORAGE_SIZE, STORAGE_HELP));
}

function checkCulling(check: ProblemCollector, path: string, culling: unknown): void {
    if (!check.isObject(path, culling)) {
        return;
    }
    check.knownKeys(path, culling, ["enabled", "idleTimeoutMinutes", "maxAgeMinutes", "kernelIdleTimeoutMinutes"]);
    optional(culling.enabled, (v) => check.isBoolean(`${path}.enabled`, v));
    optional(culling.idleTimeoutMinutes, (v) => check.isNumber(`${path}.idleTimeoutMinutes`, v, 5, 7 * 24 * 60, true));
    optional(culling.maxAgeMinutes, (v) => check.isNumber(`${path}.maxAgeMinutes`, v, 0, 30 * 24 * 60, true));
    optional(culling.kernelIdleTimeoutMinutes, (v) => check.isNumber(`${path}.kernelIdleTimeoutMinutes`, v, 0, 7 * 24 * 60, true));
}

function checkPrewarm(check: ProblemCollector, path: string, prewarm: unknown): void {
    if (!check.isObject(path, prewarm)) {
        return;
    }
    check.knownKeys(path, prewarm, ["seats", "schedule", "timeZone"]);
    optional(prewarm.seats, (v) => check.isNumber(`${path}.seats`, v, 0, 1000, true));
    optional(prewarm.timeZone, (v) => {
        if (check.isString(`${path}.timeZone`, v) && !isTimeZone(v)) {
            check.add(`${path}.timeZone`, `"${v}" is not an IANA time zone such as America/New_York`);
        }
    });
    if (Array.isArray(prewarm.schedule) && prewarm.schedule.length > 0 && prewarm.timeZone === undefined) {
        check.add(`${path}.timeZone`,
            "is required with a schedule, whose times would otherwise be read in UTC: give the course's IANA time zone, for example timeZone: America/New_York");
    }
    optional(prewarm.schedule, (v) =>
        check.isArray(`${path}.schedule`, v, (p, window) => {
            if (!check.isObject(p, window)) {
                return;
            }
            check.knownKeys(p, window, ["start", "end", "seats"]);
            for (const edge of ["start", "end"]) {
                if (check.isString(`${p}.${edge}`, window[edge])) {
                    const fault = cronProblem(window[edge] as string);
                    if (fault) {
                        check.add(`${p}.${edge}`, `"${window[edge]}" is not a cron expression: ${fault}`);
                    }
                }
            }
            check.isNumber(`${p}.seats`, window.seats, 1, 1000, true);
        }));
}

function isTimeZone(name: string): boolean {
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: name });
        return true;
    } catch {
        return false;
    }
}
