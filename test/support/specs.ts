import * as fs from "node:fs";
import * as path from "node:path";
import { AuthSpec, CertificateHttps, HubSpec, HttpsSpec, ProfileSpec } from "../../components";
import { loginGroupsRefusal } from "../../components/hub/auth";
import { JupyterHubPlatformArgs, Validated, Z2jhPlatform, Z2jhValues, clusterCapabilities, ec2Capabilities, validatedHubSpec } from "../../components";

/** Placeholder secrets: distinctive strings a test can search for in recorded inputs. */
export const CLIENT_SECRET = "client-secret-PLAINTEXT-MUST-NOT-LEAK";
export const BIND_PASSWORD = "ldap-bind-PLAINTEXT-MUST-NOT-LEAK";
export const SHARED_PASSWORD = "shared-password-PLAINTEXT-MUST-NOT-LEAK";
/** The admins' password of a shared-password login: at least 32 characters, as JupyterHub 5 requires. */
export const SHARED_ADMIN_PASSWORD = "shared-admin-password-PLAINTEXT-MUST-NOT-LEAK";
/** A server's secret environment variable, and a private registry's password. */
export const SERVER_SECRET = "server-secret-PLAINTEXT-MUST-NOT-LEAK";
export const REGISTRY_PASSWORD = "registry-password-PLAINTEXT-MUST-NOT-LEAK";

const identity = { course: "cs101", term: "fall-2026", owner: "course-it@example.edu", hostname: "cs101.hubs.example.edu" };

export const AUTHS: Record<string, AuthSpec> = {
    github: {
        type: "github",
        clientId: "gh-client",
        clientSecret: CLIENT_SECRET,
        allowedOrganizations: ["example-university", "example-university:cs101-staff"],
    },
    genericOidc: {
        type: "oidc", provider: "generic", clientId: "canvas-client", clientSecret: CLIENT_SECRET,
        authorizeUrl: "https://canvas.example.edu/login/oauth2/auth", tokenUrl: "https://canvas.example.edu/login/oauth2/token",
        userdataUrl: "https://canvas.example.edu/api/v1/users/self", usernameClaim: "login_id", allowedGroups: ["cs101"], groupsClaim: "groups",
    },
    google: { type: "oidc", provider: "google", clientId: "google-client", clientSecret: CLIENT_SECRET, hostedDomains: ["example.edu"] },
    azuread: {
        type: "oidc",
        provider: "azuread",
        clientId: "azure-client",
        clientSecret: CLIENT_SECRET,
        tenantId: "0b5a2c1e-3f4d-4e6a-9b8c-7d6e5f4a3b2c",
        allowAllAuthenticated: true,
    },
    // The university's IdP in the simple form (emails, admitted by name); Google and the medical school's IdP with rules of their own.
    cilogon: {
        type: "oidc",
        provider: "cilogon",
        clientId: "cilogon:/client_id/1234",
        clientSecret: CLIENT_SECRET,
        allowedIdps: ["https://idp.example.edu/idp/shibboleth"],
        identityProviders: [
            { entityId: "http://google.com/accounts/o8/id", usernamePrefix: "google", allowedDomains: ["example.edu"] },
            { entityId: "https://idp.med.example.edu/idp/shibboleth", usernameClaim: "eppn", stripDomain: "med.example.edu" },
        ],
    },
    ldap: {
        type: "ldap", serverAddress: "ldap.example.edu", tls: "starttls", allowedGroups: ["cn=cs101,ou=groups,dc=example,dc=edu"],
        lookupDn: { searchBase: "ou=people,dc=example,dc=edu", bindUser: "cn=hub,ou=services,dc=example,dc=edu", bindPassword: BIND_PASSWORD },
    },
    ldapTemplates: {
        type: "ldap",
        serverAddress: "ldap.example.edu",
        bindDnTemplates: ["uid={username},ou=people,dc=example,dc=edu"],
        allowAllAuthenticated: true,
    },
    // Canvas's LTI 1.3 endpoints; instructors and course administrators become hub admins.
    lti13: {
        type: "lti13", issuer: "https://canvas.instructure.com", clientId: "10000000000042",
        authorizeUrl: "https://sso.canvaslms.com/api/lti/authorize_redirect", jwksUrl: "https://sso.canvaslms.com/api/lti/security/jwks",
        adminRoles: ["Instructor", "Administrator"],
    },
    sharedPassword: { type: "sharedPassword", password: SHARED_PASSWORD, adminPassword: SHARED_ADMIN_PASSWORD, acknowledgeInsecure: true },
};

/** The logins of AUTHS whose usernames are email addresses: a name without "@" is refused with them. */
const EMAIL_ADDRESS_LOGINS = ["google", "azuread", "cilogon", "lti13"];

/** `person`'s username under the login `AUTHS[login]`: `person@example.edu` where its usernames are email addresses. */
export function usernameUnder(login: string, person: string): string {
    return EMAIL_ADDRESS_LOGINS.includes(login) ? `${person}@example.edu` : person;
}

/**
 * Profile groups as the login `AUTHS[login]` names them: GitHub teams of example-university, none
 * with a login that gives JupyterHub no groups (validation refuses groups there).
 */
export function groupsUnder(login: string, groups: string[] | undefined): string[] | undefined {
    if (groups === undefined || loginGroupsRefusal(AUTHS[login]) !== undefined) {
        return undefined;
    }
    return login === "github" ? groups.map((group) => `example-university:${group.split(":").pop()}`) : groups;
}

/** A 1x1 PNG, as `base64 -w0` writes it: a course logo (`logo`). */
export const PNG_LOGO = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

export const MINIMAL_SPEC: HubSpec = {
    ...identity,
    https: { mode: "letsencrypt", contactEmail: "course-it@example.edu" },
    auth: AUTHS.github,
};

const GPU_PROFILE: ProfileSpec = {
    slug: "gpu", displayName: "GPU (1 × T4)", description: "For the deep-learning weeks", gpus: 1,
    image: { name: "quay.io/jupyter/pytorch-notebook", tag: "cuda12-2025-10-20" },
    resources: { cpuGuarantee: 2, cpuLimit: 4, memoryGuarantee: "8G", memoryLimit: "16G" },
};

/** A profile of choice menus (image x size, a typed image), with its own environment and page, for one group. */
export const MENU_PROFILE: ProfileSpec = {
    slug: "choose", displayName: "Choose an image and a size", description: "For the project weeks",
    environment: { PROFILE: "choose" }, defaultUrl: "/tree", groups: ["cs101"],
    menus: [
        {
            slug: "image", displayName: "Image",
            choices: [
                { slug: "scipy", displayName: "SciPy", image: { name: "quay.io/jupyter/scipy-notebook", tag: "2025-10-20" } },
                {
                    slug: "r", displayName: "R (RStudio)", default: true, image: { name: "quay.io/jupyter/r-notebook", tag: "2025-10-20" },
                    environment: { R_LIBS_USER: "/home/jovyan/R" }, defaultUrl: "/rstudio",
                },
            ],
            userImage: {
                displayName: "An image of the course's registry", pattern: "quay\\.io/cs101/[a-z0-9\\-]+:[0-9][0-9.\\-]*",
                patternDescription: "quay.io/cs101/<name>:<version>",
            },
        },
        {
            slug: "size", displayName: "Size",
            choices: [
                { slug: "small", displayName: "1 GB", resources: { memoryGuarantee: "1G", memoryLimit: "1G" } },
                // The "large" profile's requests: ready seats of the largest profile (prewarm.seatSize) stay within EksHub's and GkeHub's user nodes.
                { slug: "large", displayName: "2-4 GB, up to 2 CPUs", resources: { cpuLimit: 2, memoryGuarantee: "2G", memoryLimit: "4G" } },
            ],
        },
    ],
};

export const MAXIMAL_SPEC: HubSpec = {
    ...identity,
    displayName: "CS 101: Introduction to Computing",
    https: { mode: "ingress" },
    auth: AUTHS.genericOidc,
    adminUsers: ["prof-smith"],
    staffUsers: ["ta-jones", "ta-lee"],
    allowedUsers: ["auditor-1"],
    server: {
        image: { name: "quay.io/jupyter/scipy-notebook", tag: "2025-10-20" },
        defaultUrl: "/lab",
        resources: { cpuGuarantee: 0.25, cpuLimit: 1, memoryGuarantee: "512M", memoryLimit: "1G" },
        profiles: [
            { slug: "standard", displayName: "Standard", default: true },
            { slug: "large", displayName: "Large (projects)", resources: { memoryGuarantee: "2G", memoryLimit: "4G" } },
            GPU_PROFILE,
            MENU_PROFILE,
        ],
        environment: { COURSE: "cs101", PGHOST: "localhost" },
        secretEnvironment: { PGPASSWORD: SERVER_SECRET },
        initContainers: [{
            name: "fetch-dataset", image: { name: "registry.example.edu/cs101/dataset", tag: "2025-10-20" },
            command: ["sh", "-c", "mkdir -p data && cp -rn /dataset/. data/"], environment: { DATASET: "week-1" },
            resources: { cpuGuarantee: 0.1, memoryLimit: "256M" },
        }],
        imagePullSecret: { registry: "registry.example.edu", username: "cs101-puller", password: REGISTRY_PASSWORD },
        sidecars: [{
            name: "postgres", image: { name: "docker.io/library/postgres", tag: "16.4" }, ports: [5432],
            environment: { POSTGRES_HOST_AUTH_METHOD: "trust" }, resources: { memoryGuarantee: "256M", memoryLimit: "512M" },
        }],
        content: { repository: "https://github.com/example-university/cs101-notebooks.git", branch: "fall-2026", targetPath: "cs101" },
        extraFiles: [{ path: "/etc/course/settings.json", content: "{}" }],
        prePull: { beforeUpgrade: true },
    },
    storage: {
        // Homes as folders on one file system with quotas (storage.home.storageClass is for per-user volumes only).
        home: { size: "5Gi", sharedFileSystem: { size: "100Gi", sizeOverrides: { "prof-smith": "20Gi" }, allHomes: { staff: true } } },
        sharedCourseFolder: true,
        // Also where RStudio images keep their home.
        sharedFolders: [{ name: "scratch", writableBy: "everyone", alsoMountedAt: ["/home/rstudio/scratch"] }, { name: "data", mountPath: "/srv/data" }],
        submitFolder: { alsoMountedAt: ["/home/rstudio/submit"] },
        datasets: [{
            name: "census", nfs: { server: "fs-0123456789abcdef0.efs.us-east-1.amazonaws.com", path: "/census" }, alsoMountedAt: ["/home/rstudio/census"],
        }],
        bucketDatasets: [{ name: "satellite", bucket: { name: "course-hubs-satellite", prefix: "tiles/2024" }, alsoMountedAt: ["/home/rstudio/satellite"] }],
        nbgraderExchange: false,
        sharedSize: "50Gi",
    },
    culling: { idleTimeoutMinutes: 45, maxAgeMinutes: 600, kernelIdleTimeoutMinutes: 20 },
    prewarm: {
        seats: 5,
        timeZone: "America/New_York",
        schedule: [{ start: "45 9 * * MON,WED", end: "30 11 * * MON,WED", seats: 150 }, { start: "0 13 * * 5", end: "0 15 * * 5", seats: 40 }],
    },
    spawn: { concurrentLimit: 150, startTimeoutSeconds: 900 },
    notebookIdentity: { awsRoleArn: "arn:aws:iam::123456789012:role/cs101-notebooks" },
};

/** {@link MAXIMAL_SPEC} as EksHub serves it: the shared folder is on EFS, which takes no size; it mounts no buckets. */
export const MAXIMAL_EKS_SPEC: HubSpec = {
    ...MAXIMAL_SPEC,
    storage: { ...MAXIMAL_SPEC.storage, sharedSize: undefined, bucketDatasets: undefined },
};

/** A platform that can serve every option: labelled nodes, GPUs, RWX storage, a bucket driver, an ingress. */
export const FULL_PLATFORM: Z2jhPlatform = {
    homeStorageClass: "gp3",
    sharedStorageClass: "efs",
    sharedHomesStorageClass: "gp3-xfs-quota",
    bucketDriver: "gcsFuse",
    nodePurposeLabels: true,
    enforcesNetworkPolicy: true,
    ingress: { className: "traefik", clusterIssuer: "letsencrypt-production", controller: "traefik" },
    proxyService: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "external" } },
    gpu: { nodeSelector: { "course-hubs/gpu": "true" }, tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }] },
};

/** Raw z2jh values a course adds (`chart.values`, `course-hubs:chart`): what the spec does not model. */
export const RAW_CHART_VALUES: Z2jhValues = {
    hub: { config: { JupyterHub: { shutdown_on_logout: true } } },
    singleuser: { extraEnv: { DATA_DIR: "/data" } },
};

/** Raw z2jh values refused before anything is created: a key misspelt for the chart's schema, and a login override. */
export const REFUSED_CHART_VALUES: Z2jhValues = {
    singleuser: { memroy: { limit: "2G" } },
    hub: { config: { GitHubOAuthenticator: { allow_all: true } } },
};
/** Where {@link REFUSED_CHART_VALUES} are refused, under the values' own path. */
export const REFUSED_CHART_PATHS = ["hub.config.GitHubOAuthenticator", "singleuser.memroy"];

/** The spec validated for a cluster described by `platform`, as the values renderer takes it; throws its problems. */
export function forCluster(spec: HubSpec, platform: JupyterHubPlatformArgs = {}): Validated<HubSpec> {
    return validatedHubSpec(spec, clusterCapabilities(platform));
}

/** The spec validated for EC2AutoscaleHub, as the VM renderers take it; throws its problems. */
export function forEc2(spec: HubSpec): Validated<HubSpec> {
    return validatedHubSpec(spec, ec2Capabilities({}));
}

export const HTTPS_MODES: Record<string, HttpsSpec> = {
    letsencrypt: { mode: "letsencrypt", contactEmail: "course-it@example.edu" },
    secret: { mode: "secret", secretName: "cs101-tls" },
    offload: { mode: "offload" },
    ingress: { mode: "ingress" },
};

/** Test-only TLS material (test/fixtures/tls/README.md): no real host, no real secret. */
const tlsFixture = (file: string) => fs.readFileSync(path.join(__dirname, "..", "fixtures", "tls", file), "utf8");
/** A chain of two for `cs101.hubs.example.edu`, the hub's certificate first, valid until 2126. */
export const TEST_CERTIFICATE_CHAIN = tlsFixture("chain.pem");
export const TEST_PRIVATE_KEY = tlsFixture("hub.key");
/** A certificate for `other.example.org`, which is not the hub's hostname. */
export const OTHER_HOST_CERTIFICATE = tlsFixture("other-host.pem");
/** Another certificate for `cs101.hubs.example.edu`, alone: a renewal. */
export const RENEWED_CERTIFICATE = tlsFixture("renewed.pem");

/** A certificate of one's own: EC2AutoscaleHub only, so not among HTTPS_MODES, which every Kubernetes platform serves. */
export const CERTIFICATE_HTTPS: CertificateHttps = { mode: "certificate", certificateChain: TEST_CERTIFICATE_CHAIN, privateKey: TEST_PRIVATE_KEY };

/** A small seeded generator (mulberry32), so a failing random spec can be reproduced. */
export function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** A random valid spec: every optional part present or absent, values drawn from their ranges. */
export function randomSpec(random: () => number): HubSpec {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const maybe = <T>(make: () => T): T | undefined => (random() < 0.5 ? make() : undefined);
    const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
    const memory = () => `${int(1, 16) * 256}M`;
    const resources = () => {
        const [guarantee, limit] = [int(1, 8) * 256, int(8, 32) * 256];
        return { cpuGuarantee: int(1, 4) / 4, cpuLimit: int(4, 16) / 4, memoryGuarantee: `${guarantee}M`, memoryLimit: `${limit}M` };
    };
    const profileCount = int(0, 4);
    const course = pick(["cs101", "ds100", "stat-200", "bio-310"]);
    const displayName = maybe(() => pick(["Data 100", "Statistics & Society", "Bio “Lab”"]));
    const https = pick(Object.values(HTTPS_MODES));
    const login = pick(Object.keys(AUTHS));
    return {
        ...identity,
        course,
        displayName,
        https,
        auth: AUTHS[login],
        adminUsers: maybe(() => [usernameUnder(login, "prof")]),
        staffUsers: maybe(() => [usernameUnder(login, "ta-1"), usernameUnder(login, "ta-2")]),
        allowedUsers: maybe(() => Array.from({ length: int(1, 5) }, (_, i) => usernameUnder(login, `student-${i}`))),
        server: maybe(() => ({
            image: maybe(() => ({ name: "quay.io/jupyter/datascience-notebook", tag: `2025-${int(10, 12)}-0${int(1, 9)}` })),
            defaultUrl: maybe(() => pick(["/lab", "/tree", "/rstudio"])),
            resources: maybe(resources),
            profiles: maybe(() => Array.from({ length: profileCount }, (_, i) => ({
                slug: `size-${i}`,
                displayName: `Size ${i}`,
                default: i === 0 ? maybe(() => true) : undefined,
                resources: maybe(resources),
                gpus: maybe(() => int(0, 2)),
                image: maybe(() => ({ name: "quay.io/jupyter/pytorch-notebook", tag: "cuda12-2025-10-20" })),
            }))),
            environment: maybe(() => ({ COURSE_TERM: "fall", SEED: String(int(0, 99)) })),
            sidecars: maybe(() => [{
                name: "db",
                image: { name: "docker.io/library/postgres", tag: "16" },
                ports: [5432],
                resources: maybe(() => ({ memoryLimit: memory() })),
            }]),
            content: maybe(() => ({ repository: "https://github.com/example/notebooks", branch: maybe(() => "main"), targetPath: maybe(() => "notebooks") })),
        })),
        storage: maybe(() => ({
            home: maybe(() => ({ size: `${int(1, 50)}Gi`, storageClass: maybe(() => "standard-rwo") })),
            sharedCourseFolder: maybe(() => random() < 0.5),
            sharedFolders: maybe(() => [{
                name: "scratch", writableBy: maybe(() => pick(["staff", "everyone"] as const)), alsoMountedAt: maybe(() => ["/home/rstudio/scratch"]),
            }]),
            submitFolder: maybe(() => ({ mountPath: maybe(() => "/home/jovyan/hand-in") })),
            datasets: maybe(() => [{ name: "census", nfs: { server: "10.0.0.2", path: "/census" } }]),
            // Only false: an exchange is refused (validate.ts says why).
            nbgraderExchange: maybe(() => false),
            sharedSize: maybe(() => `${int(10, 1024)}Gi`),
        })),
        culling: maybe(() => ({
            enabled: maybe(() => random() < 0.8),
            idleTimeoutMinutes: maybe(() => int(5, 240)),
            maxAgeMinutes: maybe(() => int(0, 1440)),
            kernelIdleTimeoutMinutes: maybe(() => int(0, 120)),
        })),
        prewarm: maybe(() => {
            const schedule = maybe(() => [{ start: `${int(0, 59)} ${int(7, 10)} * * 1-5`, end: `${int(0, 59)} ${int(11, 18)} * * 1-5`, seats: int(1, 300) }]);
            const timeZone = () => pick(["America/Chicago", "Europe/Berlin", "Etc/UTC"]);
            // A schedule needs its time zone; seats alone do not.
            return { seats: maybe(() => int(0, 20)), schedule, timeZone: schedule ? timeZone() : maybe(timeZone) };
        }),
        spawn: maybe(() => ({ concurrentLimit: maybe(() => int(10, 500)), startTimeoutSeconds: maybe(() => int(60, 1800)) })),
        notebookIdentity: maybe(() => pick([
            { awsRoleArn: "arn:aws:iam::123456789012:role/notebooks" },
            { gcpServiceAccountEmail: "notebooks@proj.iam.gserviceaccount.com" },
        ])),
    };
}

/** Removes keys whose value is undefined, as a spec written in YAML would have them absent. */
export function withoutUndefined<T>(value: T): T {
    return JSON.parse(JSON.stringify(value));
}
