import * as pulumi from "@pulumi/pulumi";
import { DnsLabel, EmailAddress, Hostname, HttpsUrl, KubernetesName } from "../shapes";

/**
 * One course hub, described without reference to any cloud. Every platform component
 * (`JupyterHub`, `EksHub`, `GkeHub`, `EC2AutoscaleHub`) renders from this one description.
 *
 * Fields are plain values so that the whole spec is validated before any resource is created;
 * only secrets and identities that another resource produces are `pulumi.Input`s. Its JSON Schema,
 * generated from this file, is `schema/hub-spec.json`.
 */
export interface HubSpec {
    /**
     * Course code, for example `cs101`. Becomes the `course` tag or label on every resource.
     * Lowercase letters, digits and hyphens, starting with a letter, at most 40 characters.
     */
    course: CourseNamePart;
    /**
     * Term the course runs in, for example `fall-2026`. Becomes the `term` tag or label.
     * Lowercase letters, digits and hyphens, at most 40 characters.
     */
    term: CourseNamePart;
    /**
     * Who answers for the hub and its bill: an email address or a team name. Becomes the
     * `owner` tag or label.
     * @pattern ^[A-Za-z0-9@._+\-: ]{1,128}$
     * @patternErrorMessage use at most 128 letters, digits, spaces and the characters `.` `_` `+` `-` `:` `@`, such as `cs-it@example.edu`
     */
    owner: string;
    /**
     * Name shown to students on the login page.
     * @default "<course> (<term>)"
     */
    displayName?: string;
    /**
     * A notice shown at the top of every page of the hub (on the login page, under `displayName`),
     * for example `"The hub restarts Saturday 8-9am for maintenance."`: JupyterHub's announcement.
     * Plain text: HTML in it is shown as written, not interpreted. Costs nothing.
     * @default none
     * @minLength 1
     * @maxLength 500
     */
    announcement?: string;
    /** Fully qualified hostname students browse to, for example `cs101.hubs.example.edu`. */
    hostname: Hostname;
    /** How HTTPS is provided. There is no plain-HTTP mode. */
    https: HttpsSpec;
    /** How students and staff log in. */
    auth: AuthSpec;
    /**
     * Usernames with admin rights on the hub, written as the hub sees them: lowercase, in the form
     * the login type gives (its description says which: `prof-smith` with GitHub,
     * `prof.lee@example.edu` with Google). A name the login never gives is refused. Admins may also
     * write to the shared course folder.
     * @default []
     */
    adminUsers?: Username[];
    /**
     * Usernames of course staff (teaching assistants) who are not hub admins but may write to the
     * shared course folder, written as the hub sees them (as `adminUsers`).
     * @default []
     */
    staffUsers?: Username[];
    /**
     * Usernames allowed to log in, written as the hub sees them (as `adminUsers`), in addition to
     * whatever the authenticator's own rules (organizations, groups, domains) allow. Admins and
     * staff are always allowed.
     * @default []
     */
    allowedUsers?: Username[];
    /** What every student's server runs. */
    server?: ServerSpec;
    /** Persistent storage for homes and, opt-in, for shared course material. */
    storage?: StorageSpec;
    /** Shutting down idle servers and kernels. On by default. */
    culling?: CullingSpec;
    /** Ready seats kept warm so that a whole lecture can start at once. */
    prewarm?: PrewarmSpec;
    /** How many servers may start at once and how long a start may take. */
    spawn?: SpawnSpec;
    /**
     * Cloud storage access from notebooks through workload identity, never static keys: an IAM
     * role for IRSA on AWS (`awsRoleArn`) or a Google service account for Workload Identity on GCP
     * (`gcpServiceAccountEmail`).
     * @default no cloud identity for notebooks
     */
    notebookIdentity?: NotebookIdentitySpec;
}

/**
 * Lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen, 2-40
 * characters: a course code or a term.
 * @pattern ^[a-z][a-z0-9-]{0,38}[a-z0-9]$
 * @patternErrorMessage use 2-40 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen, such as cs101 or fall-2026
 */
export type CourseNamePart = string;

/**
 * A username as the hub sees it: lowercase (JupyterHub lowercases every login), in the form the
 * login gives: a GitHub login (`prof-smith`); a full email address with Google (the domain is
 * never stripped, whatever `hostedDomains` says), with CILogon or another OIDC provider whose
 * `usernameClaim` is `email`; the user principal name with Azure AD (`prof.lee@example.edu`);
 * the name typed at the login page with LDAP (`jdoe`, never an email address); any name with a
 * shared password. A name the login never gives is refused.
 * @pattern ^\S{1,255}$
 * @patternErrorMessage a username has no spaces
 */
export type Username = string;

/**
 * How HTTPS is provided for the hub's hostname.
 * @discriminator mode
 */
export type HttpsSpec = LetsEncryptHttps | ExistingSecretHttps | OffloadedHttps | IngressHttps;

/** The hub's own proxy obtains and renews a Let's Encrypt certificate (z2jh autohttps). */
export interface LetsEncryptHttps {
    mode: "letsencrypt";
    /**
     * Address Let's Encrypt writes to about expiring certificates.
     * @requiredMessage Let's Encrypt needs an address for expiry notices
     */
    contactEmail: EmailAddress;
    /**
     * Obtain the certificate from Let's Encrypt's staging service
     * (`https://acme-staging-v02.api.letsencrypt.org/directory`), whose rate limits are far higher
     * but whose certificates no browser trusts: for a first deployment, until the hostname's DNS
     * and the hub answer, then set it back to `false` (the hub then obtains a trusted one). Only
     * with this mode: with `ingress`, the platform's cluster issuer decides (a StaticIpIngress's
     * `stagingClusterIssuer`, given as the platform's `ingress.clusterIssuer`).
     * @default false
     */
    staging?: boolean;
}

/** A TLS certificate already stored in a Kubernetes Secret of type `kubernetes.io/tls`. */
export interface ExistingSecretHttps {
    mode: "secret";
    /** Name of the TLS Secret in the hub's namespace. */
    secretName: KubernetesName;
}

/**
 * TLS is terminated by a cloud load balancer in front of the proxy (for example an ACM
 * certificate on an AWS NLB). The platform supplies the load balancer annotations.
 */
export interface OffloadedHttps {
    mode: "offload";
}

/**
 * The hub is served through a shared ingress controller with cert-manager (for example a
 * `StaticIpIngress`); the platform supplies the ingress class and cluster issuer.
 */
export interface IngressHttps {
    mode: "ingress";
}

/**
 * Login methods. A shared password is allowed only with an explicit acknowledgement.
 * @discriminator type
 */
export type AuthSpec = GitHubAuth | OidcAuth | LdapAuth | SharedPasswordAuth;

/** GitHub OAuth, restricted to members of organizations or teams. Usernames are GitHub logins, lowercase (`prof-smith`). */
export interface GitHubAuth {
    type: "github";
    /** OAuth app client ID (public). */
    clientId: string;
    /**
     * OAuth app client secret: a Pulumi secret, for example from `pulumi config set --secret`.
     * @requiredMessage pass it as a Pulumi secret, for example from `pulumi config set --secret`
     */
    clientSecret: pulumi.Input<string>;
    /**
     * Organizations (`my-org`) or teams (`my-org:my-team`) whose members may log in.
     * @default [] (only `allowedUsers`, staff and admins may log in)
     */
    allowedOrganizations?: GitHubOrganizationOrTeam[];
}

/**
 * A GitHub organization (`my-org`) or team (`my-org:my-team`).
 * @pattern ^[A-Za-z0-9-]+(:[A-Za-z0-9_.-]+)?$
 * @patternErrorMessage use an organization (my-org) or a team (my-org:my-team)
 */
export type GitHubOrganizationOrTeam = string;

/**
 * OpenID Connect / OAuth2 login through a campus or cloud identity provider.
 * @discriminator provider
 */
export type OidcAuth = GenericOidcAuth | GoogleAuth | AzureAdAuth | CILogonAuth;

interface OidcAuthBase {
    type: "oidc";
    /** OAuth client ID (public). */
    clientId: string;
    /**
     * OAuth client secret: a Pulumi secret.
     * @requiredMessage pass it as a Pulumi secret, for example from `pulumi config set --secret`
     */
    clientSecret: pulumi.Input<string>;
    /**
     * Let every user the identity provider authenticates log in. Only sensible when the
     * provider itself is restricted to the course (a dedicated tenant or domain).
     * @default false
     */
    allowAllAuthenticated?: boolean;
}

/** Any OpenID Connect provider (Canvas, Keycloak, Okta, ...), by its endpoints. */
export interface GenericOidcAuth extends OidcAuthBase {
    provider: "generic";
    /** Authorization endpoint, `https://...`. */
    authorizeUrl: HttpsUrl;
    /** Token endpoint, `https://...`. */
    tokenUrl: HttpsUrl;
    /** Userinfo endpoint, `https://...`. */
    userdataUrl: HttpsUrl;
    /**
     * Claim whose value, lowercase, is the username. With `email`, the names the spec lists are
     * full email addresses.
     * @default "email"
     */
    usernameClaim?: string;
    /**
     * Scopes requested.
     * @default ["openid", "email", "profile"]
     */
    scopes?: OidcScope[];
    /**
     * Members of these groups may log in; requires `groupsClaim`.
     * @default []
     */
    allowedGroups?: string[];
    /** Claim that lists the user's groups, for `allowedGroups`. */
    groupsClaim?: string;
}

/**
 * An OAuth scope.
 * @pattern ^\S+$
 * @patternErrorMessage a scope has no spaces
 */
export type OidcScope = string;

/**
 * Google accounts, usually restricted to the university's Workspace domain. The username is the
 * account's full email address, lowercase (`prof.lee@example.edu`), with one hosted domain as with
 * several: oauthenticator's stripping of the domain is turned off.
 */
export interface GoogleAuth extends OidcAuthBase {
    provider: "google";
    /**
     * Workspace domains whose accounts may log in, for example `["example.edu"]`.
     * @default []
     */
    hostedDomains?: Hostname[];
}

/** Microsoft Entra ID (Azure AD) accounts of one tenant; the username is the user principal name (UPN), lowercase (`prof.lee@example.edu`). */
export interface AzureAdAuth extends OidcAuthBase {
    provider: "azuread";
    /**
     * Directory (tenant) ID, a GUID.
     * @pattern ^[0-9a-fA-F-]{36}$
     * @patternErrorMessage use the directory (tenant) ID, a GUID such as 00000000-1111-2222-3333-444444444444
     */
    tenantId: string;
}

/** CILogon, the federated login of research and education institutions. */
export interface CILogonAuth extends OidcAuthBase {
    provider: "cilogon";
    /**
     * Entity IDs of the identity providers that may be used: institutions', and CILogon's social
     * logins such as Google's; for example `["https://idp.example.edu/idp/shibboleth"]`. At least one.
     * @minItems 1
     */
    allowedIdps: IdentityProviderEntityId[];
    /**
     * Claim whose value, lowercase, is the username, for every identity provider: no domain is
     * stripped and no prefix added. With `email`, the names the spec lists are full email addresses.
     * @default "email"
     */
    usernameClaim?: string;
}

/**
 * The entity ID of an identity provider, as CILogon lists it at https://cilogon.org/idplist: an
 * institution's SAML entity ID (`https://idp.example.edu/idp/shibboleth`, `urn:mace:incommon:uiuc.edu`),
 * or one of CILogon's social logins, whose IDs begin with `http://` (Google's is
 * `http://google.com/accounts/o8/id`, Microsoft's `http://login.microsoftonline.com/common/oauth2/v2.0/authorize`).
 * @pattern ^(https?:\/\/|urn:)\S+$
 * @patternErrorMessage use the identity provider's entity ID as CILogon lists it at https://cilogon.org/idplist (https://..., http://... or urn:...)
 */
export type IdentityProviderEntityId = string;

/**
 * A campus LDAP or Active Directory server. The username is the name typed at the login page,
 * which ldapauthenticator accepts only as a lowercase letter followed by letters, digits, `.`, `_`
 * or `-` (`jdoe`), even where the directory is searched for it (`lookupDn`).
 */
export interface LdapAuth {
    type: "ldap";
    /**
     * Host name of the LDAP server.
     * @pattern ^[A-Za-z0-9.-]+$
     * @patternErrorMessage use the server's host name, without ldap:// or a port, such as ldap.example.edu
     */
    serverAddress: string;
    /**
     * Port of the LDAP server.
     * @default 636 with `tls: "ldaps"`, else 389
     * @asType integer
     * @minimum 1
     * @maximum 65535
     */
    serverPort?: number;
    /**
     * How the connection is protected: `ldaps` (TLS from the first byte) or `starttls`.
     * There is no unencrypted option: passwords cross this connection.
     * @default "ldaps"
     */
    tls?: "ldaps" | "starttls";
    /**
     * Templates that turn a username into a bind DN, `{username}` being replaced, for example
     * `["uid={username},ou=people,dc=example,dc=edu"]`. Tried in order. Required unless
     * `lookupDn` is given.
     */
    bindDnTemplates?: BindDnTemplate[];
    /** Find the user's DN with a search (for directories where DNs are not predictable). */
    lookupDn?: LdapLookupDn;
    /**
     * DNs of groups whose members may log in.
     * @default []
     */
    allowedGroups?: string[];
    /**
     * Let every user the directory authenticates log in. Only sensible for a directory that
     * holds just the course's people.
     * @default false
     */
    allowAllAuthenticated?: boolean;
}

/**
 * A bind DN with `{username}` where the username goes.
 * @pattern \{username\}
 * @patternErrorMessage must contain {username}, for example uid={username},ou=people,dc=example,dc=edu
 */
export type BindDnTemplate = string;

/** Searching the directory for the user's DN with a service account. */
export interface LdapLookupDn {
    /** Base DN of the user search, for example `ou=people,dc=example,dc=edu`. */
    searchBase: string;
    /**
     * Attribute that holds the username.
     * @default "uid"
     */
    userAttribute?: string;
    /** DN of the service account that searches. */
    bindUser: string;
    /**
     * Password of the service account: a Pulumi secret.
     * @requiredMessage pass it as a Pulumi secret, for example from `pulumi config set --secret`
     */
    bindPassword: pulumi.Input<string>;
}

/**
 * One password for the whole class. Anyone who learns it can log in, under any name unless
 * `allowedUsers` lists the names: use only for a workshop, and only with
 * `acknowledgeInsecure: true`. The username is the name typed at the login page, lowercase.
 */
export interface SharedPasswordAuth {
    type: "sharedPassword";
    /**
     * The password: a Pulumi secret, at least 8 characters.
     * @minLength 8
     * @requiredMessage pass it as a Pulumi secret, for example from `pulumi config set --secret`
     */
    password: pulumi.Input<string>;
    /**
     * The password of the users `adminUsers` lists: a Pulumi secret, at least 32 characters and
     * not `password`. JupyterHub's shared-password login admits a listed admin only with this
     * password (never with `password`, which grants no admin rights), so it is required with
     * `adminUsers`. In a course stack it is the secret key `course-hubs:sharedAdminPassword`.
     * @minLength 32
     * @default none: no admin can log in, so `adminUsers` must be empty
     */
    adminPassword?: pulumi.Input<string>;
    /** Must be `true`: states that the course accepts the risk of a shared password. */
    acknowledgeInsecure: boolean;
}

/** What each student's server runs. */
export interface ServerSpec {
    /**
     * Container image for every server unless a profile says otherwise.
     * @default { name: "quay.io/jupyterhub/k8s-singleuser-sample", tag: "4.4.0" }
     */
    image?: ImageSpec;
    /**
     * Page a server opens on.
     * @default "/lab"
     * @pattern ^\/\S*$
     * @patternErrorMessage use a path such as /lab or /tree
     */
    defaultUrl?: string;
    /**
     * CPU and memory per server. Memory in KubeSpawner's form: a number with `K`, `M`, `G` or
     * `T` (powers of 1024), for example `"2G"`.
     * @default { cpuGuarantee: 0.5, cpuLimit: 2, memoryGuarantee: "1G", memoryLimit: "2G" }
     */
    resources?: ResourceSpec;
    /**
     * Labels a node must carry for the course's servers to run on it: a node pool of the course's
     * own, say a department's bigger nodes, `{ "example.edu/pool": "physics-large" }`. Every
     * profile's servers run there too (a profile's own `nodeSelector` is merged over this one), and
     * so do the ready seats of `prewarm`. Seats and cost then follow those nodes, which course-hubs
     * neither creates nor prices: the cluster must have them, or servers wait to start until
     * `spawn.startTimeoutSeconds` and fail. course-hubs's own placement always stays: servers go to
     * user nodes (on a cluster whose nodes carry `hub.jupyter.org/node-purpose`, the named nodes
     * need `hub.jupyter.org/node-purpose: user` too) and GPU profiles to GPU nodes, so course-hubs's
     * keys (`hub.jupyter.org/node-purpose`, `course-hubs/gpu`) are refused here. Offered on a cluster
     * of your own (`JupyterHub`, a course stack's `kubernetes` platform); refused by EksHub and
     * GkeHub, whose user nodes carry only course-hubs's labels, and by EC2AutoscaleHub.
     * @default {} (any user node)
     */
    nodeSelector?: NodeKeyValues;
    /**
     * Taints of the course's own nodes that its servers tolerate, by key and value:
     * `{ "example.edu/pool": "physics" }` tolerates the taint `example.edu/pool=physics`, whatever
     * its effect (an empty value: the key's taint without a value). Usually beside `nodeSelector`,
     * for a node pool tainted so that only the course's servers land there. Every profile's servers
     * tolerate them too (a profile's own `tolerations` are added, its value winning for a key given
     * in both), and so do the ready seats of `prewarm`. The user nodes' and GPU nodes' taints
     * (`hub.jupyter.org/dedicated`, `nvidia.com/gpu`) are course-hubs's own and refused here:
     * every server tolerates the first already, and only GPU profiles the second. Offered where
     * `nodeSelector` is.
     * @default {}
     */
    tolerations?: NodeKeyValues;
    /**
     * Choices offered at start (sizes, images, GPUs). The first with `default: true`, else the
     * first, is preselected.
     * @default [] (no choice page)
     */
    profiles?: ProfileSpec[];
    /**
     * Environment variables set in every server.
     * @default {}
     */
    environment?: EnvironmentVariables;
    /**
     * Containers that run beside every server in the same pod, for example a database the
     * course's exercises use.
     * @default []
     */
    sidecars?: SidecarSpec[];
    /**
     * Course material from a Git repository, brought into every home before its server starts:
     * cloned the first time, then fast-forwarded at every start. A student's uncommitted edit is
     * kept (that update waits), and a failed pull never stops the server (see {@link ContentSpec}).
     * @default none
     */
    content?: ContentSpec;
    /**
     * Size of `/dev/shm`, held in memory, for PyTorch data loaders and other tools that pass data
     * between processes through shared memory (a container otherwise has 64M). What is stored there
     * counts against the memory limit, so it may be at most the memory limit of the server and of
     * every profile. Costs nothing of itself. Kubernetes hubs, and EC2AutoscaleHub in single-VM mode.
     * @default the container runtime's 64M
     */
    sharedMemory?: MemorySize;
    /**
     * Named servers each user may have besides the default one (JupyterHub's named servers), made,
     * started and deleted from the hub's home page: a project kept running beside the week's
     * notebooks, say. Each is another server, with the server's or its profile's resources and its
     * own start: a class of 100 with a limit of 2 may run 300 servers at once, so the user nodes (on
     * EC2 the workers, or the hub VM in single-VM mode) and their bill scale up to that, and
     * `prewarm` seats and `spawn.concurrentLimit` count servers, not students. On Kubernetes each
     * named server has a home volume of its own (`storage.home.size` each, billed until the user
     * deletes the server, stopped or not), so its files are not in the default server's home; on EC2
     * a user's servers share one home folder. Idle culling stops named servers as the default one.
     * @default none (each user has the default server only)
     * @asType integer
     * @minimum 1
     * @maximum 10
     */
    namedServerLimit?: number;
    /**
     * Files placed in every server, for settings that belong neither in the image nor in the
     * students' homes: a Jupyter Server or JupyterLab setting
     * (`/etc/jupyter/jupyter_server_config.d/course.json`), a course tool's configuration
     * (`/etc/course/settings.json`). Each is read-only in the server, readable by everyone in it
     * (mode 0644), and set when a server starts: an edited file reaches a server at its next start.
     * Plain text, and not for secrets: on Kubernetes the chart keeps the files in a Secret of the
     * hub's namespace (and course-hubs the chart's values as a Pulumi secret), but every student
     * reads them in their server, and the stack file holds them as written. Paths are absolute,
     * each used once, outside the home directory `/home/jovyan` (each student's volume is mounted
     * there) and apart from course-hubs's own file (kernel culling's Jupyter Server setting);
     * together the files hold at most 768 KiB (the chart's Secret holds 1 MiB, base64-encoded).
     * Kubernetes hubs only: refused by EC2AutoscaleHub.
     * @default []
     */
    extraFiles?: ExtraFileSpec[];
}

/** A plain-text file placed in every server. */
export interface ExtraFileSpec {
    /**
     * Where the file is in the server: an absolute path to the file, for example
     * `/etc/course/settings.json`. Its folder need not exist in the image.
     * @pattern ^(\/(?!\.\.?(\/|$))[^/]+)+$
     * @patternErrorMessage use an absolute path to a file, such as /etc/course/settings.json (no trailing /, no . or .. parts)
     */
    path: string;
    /** The file's text, as written (UTF-8). */
    content: string;
}

/**
 * Environment variables by name; quote values that YAML would read as numbers or booleans.
 * @propertyNames { "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "patternErrorMessage": "use letters, digits and underscores, not starting with a digit" }
 */
export type EnvironmentVariables = Record<string, string>;

/** A container image by name and pinned tag. */
export interface ImageSpec {
    /**
     * Image name with registry, for example `quay.io/jupyter/scipy-notebook`.
     * @pattern ^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$
     * @patternErrorMessage use a registry/repository name without a tag, such as quay.io/jupyter/scipy-notebook
     */
    name: string;
    /**
     * Tag. `latest` is refused: a term needs the same image in week 1 and week 14.
     * @pattern ^(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$
     * @patternErrorMessage pin a version or date tag such as 2025-10-20 ("latest" changes under a running course)
     */
    tag: string;
}

/** CPU and memory for one server. */
export interface ResourceSpec {
    /** CPUs reserved for the server. @default 0.5 @minimum 0.01 @maximum 192 */
    cpuGuarantee?: number;
    /** CPUs the server may use at most. @default 2 @minimum 0.01 @maximum 192 */
    cpuLimit?: number;
    /** Memory reserved, for example `"1G"`. Decides how many servers fit on a node. @default "1G" */
    memoryGuarantee?: MemorySize;
    /** Memory the server may use at most; beyond it the kernel is killed. @default "2G" */
    memoryLimit?: MemorySize;
}

/**
 * Memory in KubeSpawner's form: a number with `K`, `M`, `G` or `T` (powers of 1024).
 * @pattern ^\d+(\.\d+)?[KMGT]$
 * @patternErrorMessage use a number with K, M, G or T, such as 512M or 2G
 */
export type MemorySize = string;

/** One choice on the server options page. */
export interface ProfileSpec {
    /** Short identifier: lowercase letters, digits and hyphens. */
    slug: DnsLabel;
    /** Title shown to students. */
    displayName: string;
    /** One line shown under the title. */
    description?: string;
    /** Preselect this profile. @default false */
    default?: boolean;
    /** Image for this profile. @default the server's image */
    image?: ImageSpec;
    /** CPU and memory for this profile. @default the server's resources */
    resources?: ResourceSpec;
    /**
     * GPUs per server. A GPU profile needs a platform with GPU nodes.
     * @default 0
     * @asType integer
     * @minimum 0
     * @maximum 16
     */
    gpus?: number;
    /**
     * Labels a node must carry for this profile's servers, merged over the server's
     * `nodeSelector` (a key given in both takes this value): a bigger node pool for a "large"
     * profile, say. A GPU profile keeps the GPU nodes' selector. Refused and offered as the
     * server's is.
     * @default the server's `nodeSelector`
     */
    nodeSelector?: NodeKeyValues;
    /**
     * Taints this profile's servers tolerate besides the server's `tolerations` (a key given in
     * both takes this value). Refused and offered as the server's are.
     * @default the server's `tolerations`
     */
    tolerations?: NodeKeyValues;
}

/**
 * Keys and values as Kubernetes writes node labels and taints. A key is a name of at most 63
 * letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit, after an optional
 * DNS prefix and `/` (`example.edu/pool`); a value is at most 63 of the same characters, starting
 * and ending with a letter or digit, or empty.
 * @propertyNames {
 *     "pattern": "^((?=[^/]{1,253}/)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$",
 *     "patternErrorMessage": "use a label key such as example.edu/pool: an optional DNS prefix and /, then up to 63 letters, digits, -, _ or dots"
 * }
 */
export type NodeKeyValues = Record<string, NodeLabelValue>;

/**
 * A Kubernetes label or taint value: at most 63 letters, digits, `-`, `_` and `.`, starting and
 * ending with a letter or digit, or empty.
 * @minLength 0
 * @pattern ^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$
 * @patternErrorMessage use at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit, such as physics-large
 */
export type NodeLabelValue = string;

/** A container that runs next to each server. */
export interface SidecarSpec {
    /** Container name, a DNS label, not `notebook`. */
    name: DnsLabel;
    /** Image with a pinned tag. */
    image: ImageSpec;
    /** Environment of the container. @default {} */
    environment?: EnvironmentVariables;
    /** Ports the container listens on (reachable from the notebook at `localhost`). @default [] */
    ports?: Port[];
    /** CPU and memory of the container. @default no reservation, no limit */
    resources?: ResourceSpec;
}

/**
 * A TCP port number.
 * @asType integer
 * @minimum 1
 * @maximum 65535
 */
export type Port = number;

/**
 * A Git repository brought into each home before the server starts: cloned the first time, then
 * fast-forwarded at every start. A student's uncommitted edit to a file the course also changed is
 * kept (that update waits); a folder of that name that is not a clone is left alone; a failed pull
 * never stops the server. It runs in a pinned Git image beside the server (an init container on
 * Kubernetes, a container started by the pre-spawn hook on EC2), so the server image needs neither
 * git nor nbgitpuller.
 */
export interface ContentSpec {
    /** Repository URL, `https://...` (public, or readable without credentials). */
    repository: HttpsUrl;
    /**
     * Branch.
     * @default "main"
     * @pattern ^[^\s~^:?*[\\]+$
     * @patternErrorMessage use a Git branch name such as main
     */
    branch?: string;
    /**
     * Folder under the home directory the repository is pulled into.
     * @default the repository's name
     * @pattern ^(?!\/)(?!.*(^|\/)\.\.(\/|$))\S+$
     * @patternErrorMessage use a folder relative to the home directory, without .., such as cs101
     */
    targetPath?: string;
}

/** Persistent storage. */
export interface StorageSpec {
    /** Each user's home volume. */
    home?: HomeStorageSpec;
    /**
     * A folder shared by the course, at `/home/jovyan/shared`: read-only for students,
     * read-write for admins and staff. Needs a platform with ReadWriteMany storage.
     * @default false
     */
    sharedCourseFolder?: boolean;
    /**
     * Refused when `true`. An nbgrader exchange is one folder every server can write, and every
     * server runs as the same user (uid 1000), so any student could read or change another's
     * submission. Until course-hubs offers an exchange that keeps students apart, collect work
     * through the LMS or nbgrader's ngshare service run outside course-hubs.
     * @default false
     */
    nbgraderExchange?: boolean;
    /**
     * Size of the shared volume that holds the course folder.
     * @default "10Gi"
     */
    sharedSize?: StorageSize;
}

/** Per-user home volumes. */
export interface HomeStorageSpec {
    /** Size of each home volume, a Kubernetes quantity such as `10Gi`. @default "10Gi" */
    size?: StorageSize;
    /** Storage class for home volumes. @default the platform's class, else the cluster default */
    storageClass?: KubernetesName;
}

/**
 * A volume size: a whole number of `Mi`, `Gi` or `Ti`.
 * @pattern ^[1-9]\d*(Mi|Gi|Ti)$
 * @patternErrorMessage use a whole number of Mi, Gi or Ti, such as 10Gi
 */
export type StorageSize = string;

/** Idle culling: servers nobody uses stop, so user nodes can scale back to zero. */
export interface CullingSpec {
    /** Cull idle servers at all. @default true */
    enabled?: boolean;
    /** A server with no activity for this long is stopped. @default 60 @asType integer @minimum 5 @maximum 10080 */
    idleTimeoutMinutes?: number;
    /**
     * A server is stopped after this long even if active (0: never).
     * @default 480 (8 hours)
     * @asType integer
     * @minimum 0
     * @maximum 43200
     */
    maxAgeMinutes?: number;
    /**
     * How often the idle culler looks for servers to stop: an idle server stops between
     * `idleTimeoutMinutes` and this much later. Each look asks the hub for every user's activity,
     * so a very short interval loads the hub of a large class. At most `idleTimeoutMinutes`.
     * @default 10, or `idleTimeoutMinutes` when shorter
     * @asType integer
     * @minimum 1
     * @maximum 1440
     */
    checkIntervalMinutes?: number;
    /**
     * Kernels idle this long are shut down inside a running server (0: never), freeing memory
     * while a student keeps the page open.
     * @default 30
     * @asType integer
     * @minimum 0
     * @maximum 10080
     */
    kernelIdleTimeoutMinutes?: number;
}

/** Capacity kept ready for lectures, as placeholder pods that real servers evict. */
export interface PrewarmSpec {
    /** Ready seats outside the schedule. @default 0 @asType integer @minimum 0 @maximum 1000 */
    seats?: number;
    /**
     * Windows with more ready seats, for example before each lecture.
     * @default []
     */
    schedule?: PrewarmWindow[];
    /**
     * IANA time zone of the schedule, for example `America/New_York`: required with a schedule,
     * so that lecture times are not silently read in UTC.
     * @default "Etc/UTC" (only when there is no schedule, where it does not matter)
     */
    timeZone?: string;
}

/** One recurring window of extra ready seats. */
export interface PrewarmWindow {
    /** Cron expression (5 fields) when the window opens, for example `"50 9 * * 1,3"`. */
    start: string;
    /** Cron expression (5 fields) when the window closes, for example `"30 11 * * 1,3"`. */
    end: string;
    /** Ready seats during the window. @asType integer @minimum 1 @maximum 1000 */
    seats: number;
}

/** Start-up settings suited to a whole class logging in at once. */
export interface SpawnSpec {
    /** Servers that may be starting at the same time. @default 100 @asType integer @minimum 1 @maximum 1000 */
    concurrentLimit?: number;
    /**
     * Seconds a server may take to start, including a node scale-up and an image pull.
     * @default 600
     * @asType integer
     * @minimum 60
     * @maximum 3600
     */
    startTimeoutSeconds?: number;
}

/**
 * Cloud identity the notebooks run as, through workload identity: an IAM role (IRSA) on AWS or
 * a Google service account on GCP. EksHub and GkeHub make one from `notebookBucketAccess`; on a cluster of your own, give it here.
 * @errorMessage give exactly one of awsRoleArn or gcpServiceAccountEmail
 */
export type NotebookIdentitySpec = { awsRoleArn: pulumi.Input<string> } | { gcpServiceAccountEmail: pulumi.Input<string> };
