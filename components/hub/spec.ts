import * as pulumi from "@pulumi/pulumi";
import { DnsLabel, EmailAddress, Hostname, HttpsUrl, IpCidr, KubernetesName } from "../shapes";

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
     * Term the course runs in, for example `fall-2026`. Becomes the `term` tag or label, and with
     * the course names the hub (`cs101-fall-2026`: its Kubernetes namespace and Helm release, its
     * cluster or VMs). Lowercase letters, digits and hyphens, at most 40 characters. Leave it out
     * for a hub that lives across terms (a department's standing hub): the course alone names it
     * then, and its `term` tag or label reads `standing`. Costs nothing.
     * @default none: a standing hub
     */
    term?: CourseNamePart;
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
    /**
     * The course's or department's logo, shown in the top bar of every page of the hub (the login
     * page too) in place of Jupyter's: JupyterHub's `logo_file`. The image file itself (PNG, JPEG,
     * GIF, WebP or SVG, at most 100 KiB; the format is read from its bytes), base64-encoded: in a
     * course stack, `pulumi config set --path 'course-hubs:hub.logo' "$(base64 -w0 cs101.png)"`. An
     * SVG must hold no script. Costs nothing. Kubernetes hubs (the chart places it in the hub);
     * refused by EC2AutoscaleHub, whose hub settings travel in the VM's user-data (16 KB in all).
     * @default Jupyter's logo
     * @pattern ^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$
     * @patternErrorMessage give the image file base64-encoded in one line, as `base64 -w0 logo.png` writes it
     * @maxLength 140000
     */
    logo?: string;
    /** Fully qualified hostname students browse to, for example `cs101.hubs.example.edu`. */
    hostname: Hostname;
    /** How HTTPS is provided. There is no plain-HTTP mode. */
    https: HttpsSpec;
    /**
     * The only networks that may reach the hub, as CIDR blocks (a campus and its VPN:
     * `["198.51.100.0/22", "203.0.113.0/24"]`); everyone else's connections are dropped before they
     * reach the login page. A block with bits set past its prefix (`10.1.2.3/16`) is refused with its
     * masked form, and `0.0.0.0/0` or `::/0` (everyone) too: leave the option out for that. Costs nothing.
     *
     * Where it applies: on Kubernetes, the proxy's load balancer (`loadBalancerSourceRanges`: security
     * group rules on EKS, firewall rules on GKE) with `https.mode` `secret` or `offload`; with
     * `ingress`, a Traefik IP allow list (a Middleware) on the hub's own Ingress, where the controller
     * is Traefik and sees students' addresses (a StaticIpIngress: EksHub's and GkeHub's `ingress`, a
     * department cluster stack's, or `platform.ingress.controller: "traefik"`); other hubs on the
     * shared entry point stay open. With `letsencrypt` on Kubernetes it is refused: the load balancer
     * would close port 80 too, through which Let's Encrypt validates the hostname. On EC2AutoscaleHub,
     * port 443 of the hub VM; port 80 stays open to everyone for Let's Encrypt, and answers nothing
     * but its challenges and a redirect to HTTPS. IPv6 blocks only where the hub has an IPv6 address
     * (a cluster of your own); EksHub, GkeHub and EC2AutoscaleHub hubs are reached over IPv4 only.
     * @default everyone may reach the hub
     * @minItems 1
     * @uniqueItems true
     */
    allowedSourceRanges?: IpCidr[];
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
 * `usernameClaim` is `email`; with CILogon, the form one of its identity providers gives (`jdoe`
 * where `stripDomain` removes `@example.edu`, `google:ann@gmail.com` with `usernamePrefix: google`);
 * the user principal name with Azure AD (`prof.lee@example.edu`);
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
export type HttpsSpec = LetsEncryptHttps | ExistingSecretHttps | OffloadedHttps | IngressHttps | CertificateHttps;

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
 * A certificate of your own, such as an institution's (InCommon, GÉANT): the hub serves it as
 * given and renews nothing, so replace it before it expires (`pulumi up` with the new chain and
 * key starts a new hub VM that serves them). EC2AutoscaleHub only: the chain and key are stored as
 * SSM SecureStrings under the course's KMS key, readable by the hub VM's role alone, and Caddy
 * serves them; on Kubernetes, put them in a TLS Secret (`kubectl create secret tls`) and use
 * `secret`. Costs nothing beyond the certificate (standard-tier parameters are free).
 */
export interface CertificateHttps {
    mode: "certificate";
    /**
     * The certificate chain in PEM: the hub's certificate (for `hostname`) first, then the
     * intermediates, each `-----BEGIN CERTIFICATE-----` block at most 4096 characters (an SSM
     * standard parameter each). Public, so it may sit in the stack file.
     * @pattern ^\s*(-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\s*)+$
     * @patternErrorMessage give the certificate chain in PEM: -----BEGIN CERTIFICATE----- blocks, the hub's certificate first, then its intermediates
     */
    certificateChain: string;
    /**
     * The certificate's private key in PEM (unencrypted): a Pulumi secret, in a course stack
     * `pulumi config set --secret course-hubs:tlsPrivateKey "$(cat hub.key)"`.
     * @requiredMessage pass the private key as a Pulumi secret, for example from `pulumi config set --secret`
     */
    privateKey: pulumi.Input<string>;
}

/**
 * Login methods. A shared password is allowed only with an explicit acknowledgement.
 * @discriminator type
 */
export type AuthSpec = GitHubAuth | OidcAuth | LdapAuth | Lti13Auth | SharedPasswordAuth;

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
 *
 * With `hostedDomains`, every member of those Workspaces may log in, and so may the names of
 * `adminUsers`, `staffUsers` and `allowedUsers` outside them (an outside tutor's
 * `tutor@gmail.com`, an admin from another university): oauthenticator alone would block every
 * account outside the hosted domains, listed or not, so for such a name the hub logs in with a
 * subclass of its GoogleOAuthenticator that lets exactly those names past the domain test, each
 * with an email Google has verified. Everyone else outside the domains stays blocked, and a listed
 * name inside them still needs an account of the Workspace. Served alike on every platform
 * (EksHub, GkeHub, JupyterHub on a cluster of one's own, EC2AutoscaleHub); costs nothing.
 */
export interface GoogleAuth extends OidcAuthBase {
    provider: "google";
    /**
     * Workspace domains whose accounts may log in, for example `["example.edu"]`: an account is
     * one of them by Google's `hd` claim, not by its address. Without any, only the listed names
     * log in (or every Google account, with `allowAllAuthenticated`).
     * @default []
     */
    hostedDomains?: Hostname[];
}

/**
 * Microsoft Entra ID (Azure AD) accounts of one tenant; the username is the user principal name
 * (UPN), lowercase (`prof.lee@example.edu`): the `upn` claim of the v1.0 ID token that
 * oauthenticator's default (v1.0) endpoints issue. An account whose token has no `upn` (Microsoft
 * documents it for the tenant's own users) cannot log in: the hub answers with an error naming the claim.
 */
export interface AzureAdAuth extends OidcAuthBase {
    provider: "azuread";
    /**
     * Directory (tenant) ID, a GUID.
     * @pattern ^[0-9a-fA-F-]{36}$
     * @patternErrorMessage use the directory (tenant) ID, a GUID such as 00000000-1111-2222-3333-444444444444
     */
    tenantId: string;
}

/**
 * CILogon, the federated login of research and education institutions, through one or several of
 * its identity providers (IdPs): those of `allowedIdps` share the login's `usernameClaim` and
 * `allowAllAuthenticated`; those of `identityProviders` each have their own username rule and allow
 * rule (a university's IdP for students, Google for guests). At least one IdP in all; the first
 * (of `allowedIdps`, else of `identityProviders`) is pre-selected on CILogon's page. Costs nothing;
 * served on every platform (EksHub, GkeHub, JupyterHub, EC2AutoscaleHub).
 */
export interface CILogonAuth extends OidcAuthBase {
    provider: "cilogon";
    /**
     * Entity IDs of identity providers whose users log in under the login's `usernameClaim`, with no
     * domain stripped and no prefix added, admitted by name or by `allowAllAuthenticated`:
     * institutions', and CILogon's social logins such as Google's; for example
     * `["https://idp.example.edu/idp/shibboleth"]`. Required unless `identityProviders` lists some.
     * @minItems 1
     * @default none: identityProviders lists the IdPs
     */
    allowedIdps?: IdentityProviderEntityId[];
    /**
     * Identity providers with a username and allow rule of their own.
     * @minItems 1
     * @default none: allowedIdps lists the IdPs
     */
    identityProviders?: CILogonIdentityProvider[];
    /**
     * Claim whose value, lowercase, is the username, for the IdPs of `allowedIdps` and for those of
     * `identityProviders` that name no claim of their own. With `email` (or `eppn`, which is
     * `user@scope`), the names the spec lists are full addresses.
     * @default "email"
     */
    usernameClaim?: string;
}

/**
 * One CILogon identity provider with its own rules (a `CILogonOAuthenticator.idps` entry of
 * oauthenticator 17.4): which claim becomes the username and how it is changed, and who of its
 * users may log in besides the names the spec lists. The names in `adminUsers`, `staffUsers` and
 * `allowedUsers` must be of the form some IdP gives (`jdoe` where `@example.edu` is stripped,
 * `google:ann@gmail.com` with the prefix `google`).
 */
export interface CILogonIdentityProvider {
    /** The IdP's entity ID, as CILogon lists it at https://cilogon.org/idplist. */
    entityId: IdentityProviderEntityId;
    /**
     * Claim whose value, lowercase, is the username: `email`, `eppn` (the eduPersonPrincipalName,
     * `user@scope`), or another claim CILogon releases.
     * @default the login's `usernameClaim`
     */
    usernameClaim?: string;
    /**
     * Remove `@` and this domain from usernames that end in it: with `example.edu`,
     * `jdoe@example.edu` logs in as `jdoe`; an address of another domain keeps its domain. Not
     * with `usernamePrefix`.
     * @default nothing removed
     */
    stripDomain?: Hostname;
    /**
     * Put this and a colon before every username of this IdP, so that its names cannot collide with
     * another IdP's: with `google`, `ann@gmail.com` logs in as `google:ann@gmail.com`. Not with `stripDomain`.
     * @default no prefix
     */
    usernamePrefix?: UsernamePrefix;
    /**
     * Let every user this IdP authenticates log in. (The login's `allowAllAuthenticated` lets every
     * user of every IdP in, whatever this says.)
     * @default false
     */
    allowAll?: boolean;
    /**
     * Let users of this IdP log in whose `email` claim is an address in one of these domains;
     * `*.example.edu` matches its subdomains. Not with `allowAll`.
     * @default []
     */
    allowedDomains?: EmailDomainPattern[];
}

/**
 * What a CILogon IdP's usernames start with (before a colon): lowercase letters, digits, `.`, `_` or `-`.
 * @pattern ^[a-z0-9][a-z0-9._-]{0,39}$
 * @patternErrorMessage use up to 40 lowercase letters, digits, ".", "_" or "-", such as google (usernames become google:ann@gmail.com)
 */
export type UsernamePrefix = string;

/**
 * An email domain, optionally with `*.` before it for all of its subdomains, such as `example.edu` or `*.example.edu`.
 * @pattern ^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$
 * @patternErrorMessage use a lowercase domain such as example.edu, or *.example.edu for its subdomains
 */
export type EmailDomainPattern = string;

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
 * Login from the course's learning management system (Canvas, Moodle, Blackboard, Brightspace)
 * through LTI 1.3, with the `LTI13Authenticator` of jupyterhub-ltiauthenticator 1.6.3 (in the
 * z2jh 4.4.0 hub image; pip-installed on the EC2 hub). Students open the hub from a link in the
 * course; the LMS signs who they are (a JWT checked against its JWKS), so there is no client
 * secret. Everyone the LMS launches into the hub logs in, unless `allowedUsers` lists the names.
 * Register the hub in the LMS as an LTI 1.3 tool with the login initiation URL
 * `https://<hostname>/hub/lti13/oauth_login`, the redirect URL `https://<hostname>/hub/lti13/oauth_callback`
 * and the public JWKS of the platform; `https://<hostname>/hub/lti13/config` serves the tool's JSON
 * configuration. Costs nothing. Served by every platform. Profiles cannot be limited to groups
 * (the login gives JupyterHub no groups); staff are `staffUsers`, by name.
 */
export interface Lti13Auth {
    type: "lti13";
    /** The platform's issuer identifier (the `iss` of its tokens), such as `https://canvas.instructure.com`. */
    issuer: HttpsUrl;
    /** The client ID the LMS gave the tool when it was registered (public). */
    clientId: string;
    /** The platform's OIDC authorization endpoint, such as `https://sso.canvaslms.com/api/lti/authorize_redirect`. */
    authorizeUrl: HttpsUrl;
    /** The platform's JWKS endpoint (its public keys), such as `https://sso.canvaslms.com/api/lti/security/jwks`. */
    jwksUrl: HttpsUrl;
    /**
     * Claim of the launch token whose value, lowercase, is the username; `custom_<name>` reads
     * `<name>` of the LTI custom claim. Where the token lacks it (an LMS that withholds emails),
     * ltiauthenticator uses `sub`, an opaque ID. With `email`, the names the spec lists are full
     * email addresses.
     * @default "email"
     */
    usernameClaim?: Lti13UsernameClaim;
    /**
     * Course roles (LTI 1.3 context roles, such as `Instructor`, `Administrator`,
     * `ContentDeveloper`) whose holders become hub admins at each login; everyone else is a
     * student unless `adminUsers` lists them; a holder who loses the role loses admin rights at the
     * next login. With `allowedUsers`, only the listed names (and `adminUsers`) get in, whatever
     * their role. `[]` leaves admins to `adminUsers`.
     * @default ["Instructor"]
     */
    adminRoles?: Lti13ContextRole[];
}

/**
 * A claim of an LTI 1.3 launch token (`email`, `sub`, `name`) or `custom_<name>` for one of its custom parameters.
 * @pattern ^[A-Za-z0-9_.-]+$
 * @patternErrorMessage use a claim name such as email, sub or custom_login_id
 */
export type Lti13UsernameClaim = string;

/**
 * An LTI 1.3 context role by its short name, the part after `membership#` in
 * `http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor`.
 * @pattern ^[A-Z][A-Za-z]*$
 * @patternErrorMessage use a context role's short name such as Instructor, Administrator or ContentDeveloper
 */
export type Lti13ContextRole = string;

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
     * Environment variables set in every server whose values are secrets, such as the token of a
     * course's database or API: Pulumi secrets, never written in plain text to the chart's values,
     * the user-data, outputs or state. In a course stack each is set encrypted, with
     * `pulumi config set --secret --path 'course-hubs:secretEnvironment.NAME' <value>`, never in
     * `course-hubs:hub`. On Kubernetes the JupyterHub component keeps them in the Secret
     * `course-server-environment` of the hub's namespace, which each server reads by
     * `secretKeyRef`; on EC2AutoscaleHub each is an SSM SecureString parameter that the hub VM reads
     * at boot and gives the servers through DockerSpawner's environment. Every student can read
     * them in their own server (`printenv`): they are hidden from the stack file and the state, not
     * from students. A name may not be in `environment` too, nor be one JupyterHub or the spawner
     * sets (`JUPYTERHUB_*`, `JPY_*`, `MEM_LIMIT`, `CPU_GUARANTEE`, ...). Costs nothing (on EC2,
     * standard SSM parameters are free).
     * @default {}
     */
    secretEnvironment?: SecretEnvironmentVariables;
    /**
     * Containers that run to completion before every server starts, in the order given, with the
     * home volume mounted at `/home/jovyan`: to prepare a dataset or a student's folders, say. They
     * run after course-hubs's own `content` sync, as the notebook user (uid 1000, gid 100, so what
     * they write in the home belongs to the student), unprivileged (`runAsNonRoot`, no privilege
     * escalation), with the image's entrypoint replaced by `command`. Every start of every server
     * waits for them (a lecture's 150 starts run them 150 times): keep them quick, and idempotent,
     * since they run again at each start. A failing one stops its server from starting. Their
     * resources are reserved only while they run, yet a pod's request is the larger of its biggest
     * init container's and its servers' own, so a guarantee above the server's makes every seat
     * bigger. Kubernetes hubs only: refused by EC2AutoscaleHub.
     * @default []
     */
    initContainers?: InitContainerSpec[];
    /**
     * A credential for the private registry the course's images come from: the JupyterHub
     * component keeps it in a Secret of type `kubernetes.io/dockerconfigjson`,
     * `course-image-pull`, in the hub's namespace, which every server pod (with its sidecars and
     * init containers) and the image pullers use to pull. The password never reaches the chart's
     * values. Costs nothing of itself. Kubernetes hubs only: refused by EC2AutoscaleHub.
     * @default none: images are pulled without credentials
     */
    imagePullSecret?: ImagePullSecretSpec;
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
     * deletes the server, stopped or not), so its files are not in the default server's home, unless
     * homes are on a shared file system (`storage.home.sharedFileSystem`), where a user's servers share
     * their one home folder and its quota; on EC2 a user's servers share one home folder. Idle culling stops named servers as the default one.
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
    /**
     * When the server images (the server's and each CPU profile's) are pulled onto user nodes
     * ahead of a server that needs them. Pulling costs no node of its own: the pullers are pods of
     * a few millicores on user nodes that are up anyway. Kubernetes hubs only: refused by
     * EC2AutoscaleHub, whose workers pull the server image when they boot.
     * @default { continuous: true, beforeUpgrade: false }
     */
    prePull?: PrePullSpec;
}

/** Pulling the server images onto user nodes before a server needs them (z2jh's image pullers). */
export interface PrePullSpec {
    /**
     * Pull onto every user node as it joins, and onto every node again when an image changes, so
     * that the first servers on a node scaled up for a lecture (or kept up by `prewarm`) do not
     * wait minutes for a multi-GB image: z2jh's continuous image puller, one small pod per user
     * node (counted among the node's pods). GPU profiles' images are pulled onto the GPU nodes
     * alike, by course-hubs's own puller.
     * @default true
     */
    continuous?: boolean;
    /**
     * Make `pulumi up` wait, when it changes an image, until every user node that is up has pulled
     * it, before the hub takes the change: z2jh's hook image puller. Servers started right after the
     * update then never wait for the new image, but the update takes as long as the slowest pull
     * (and fails past the release's 20-minute timeout). Off by default: with `continuous` the nodes
     * pull a changed image just after the update anyway, and between lectures no user node is up.
     * @default false
     */
    beforeUpgrade?: boolean;
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

/**
 * Environment variables by name whose values are secrets: Pulumi secrets (in a course stack, the
 * encrypted values of `course-hubs:secretEnvironment`).
 * @propertyNames { "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "patternErrorMessage": "use letters, digits and underscores, not starting with a digit" }
 */
export type SecretEnvironmentVariables = Record<string, pulumi.Input<string>>;

/** A container run to completion before each server starts, with the student's home mounted. */
export interface InitContainerSpec {
    /**
     * Container name, a DNS label, its own in the pod: not another init container's or a sidecar's,
     * nor `notebook`, `course-content` or `block-cloud-metadata`.
     */
    name: DnsLabel;
    /** Image with a pinned tag. */
    image: ImageSpec;
    /**
     * The program and its arguments, run in the home directory `/home/jovyan` instead of the
     * image's entrypoint, for example `["sh", "-c", "mkdir -p data && cp -rn /dataset/. data/"]`.
     * @minItems 1
     */
    command: string[];
    /** Environment of the container. @default {} */
    environment?: EnvironmentVariables;
    /** CPU and memory of the container while it runs. @default no reservation, no limit */
    resources?: ResourceSpec;
}

/** A registry account that may pull the course's private images. */
export interface ImagePullSecretSpec {
    /**
     * The registry's host, and port if it has one, as the images' names begin: `ghcr.io`,
     * `registry.example.edu:5000`, or `docker.io` for Docker Hub (whose images may also be named
     * without a registry). Images from other registries are pulled without it.
     * @pattern ^(localhost|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+)(:[0-9]{1,5})?$
     * @patternErrorMessage use the registry's host name, and :port if it has one, without https:// or a path, such as ghcr.io or registry.example.edu:5000
     */
    registry: string;
    /**
     * The account's name at the registry (a robot account or a deploy token's name, say).
     * @pattern ^[^:\s]{1,255}$
     * @patternErrorMessage use the account's name, without spaces or colons
     */
    username: string;
    /**
     * The account's password or access token: a Pulumi secret. In a course stack it is the secret
     * key `course-hubs:imagePullPassword`.
     * @minLength 1
     * @requiredMessage pass it as a Pulumi secret, for example from `pulumi config set --secret course-hubs:imagePullPassword`
     */
    password: pulumi.Input<string>;
}

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
    /**
     * Menus within this profile, each a choice students make when they pick it: an image menu and
     * a size menu, say, instead of one profile per image and size (KubeSpawner's
     * `profile_options`). Each menu's choices override the profile's image, resources, environment
     * and page; a setting is chosen by one menu at most. Every size a menu offers counts in the
     * seats the plan reports and must fit a user node. Kubernetes hubs only: refused by
     * EC2AutoscaleHub, where a profile chooses an image. Costs nothing of itself: a bigger size
     * costs what its seats do.
     * @default [] (no menus)
     */
    menus?: ProfileMenuSpec[];
    /**
     * Environment variables of this profile's servers, over the server's `environment` (a name
     * given in both takes this value). Kubernetes hubs only.
     * @default the server's `environment`
     */
    environment?: EnvironmentVariables;
    /**
     * Page this profile's servers open on, over the server's `defaultUrl`: `/rstudio` for an R
     * profile, say. Kubernetes hubs only.
     * @default the server's `defaultUrl`
     * @pattern ^\/\S*$
     * @patternErrorMessage use a path such as /lab or /rstudio
     */
    defaultUrl?: string;
    /**
     * Groups whose members see this profile and may start it; nobody else does (admins see every
     * profile). The groups are the login's: GitHub teams as `org:team-slug`, lowercase (read from
     * GitHub at each login, which asks for the `read:org` scope), groups of the claim `groupsClaim` names with a
     * generic OIDC login, Entra ID group object IDs with Azure AD (the app registration must put
     * the `groups` claim in the ID token), `isMemberOf` values with CILogon (where the identity
     * provider releases them). Refused with Google (its groups need a Workspace admin service
     * account), LDAP (ldapauthenticator 2.0 tells JupyterHub no groups) and a shared password.
     * A user whose groups open no profile cannot start a server, with a message saying why.
     * Membership is read at login: a user added to a group sees the profile after logging in
     * again. Kubernetes hubs only. Costs nothing.
     * @default [] (everyone)
     */
    groups?: GroupName[];
}

/**
 * A group of the login, as the hub sees it: a GitHub team `org:team`, an OIDC group name, an Entra
 * ID group object ID.
 * @pattern ^\S(.*\S)?$
 * @patternErrorMessage use the group's name without leading or trailing spaces, such as my-org:cs101-staff
 * @maxLength 255
 */
export type GroupName = string;

/**
 * A slug of a menu or of a choice: lowercase letters and digits in words joined by single hyphens,
 * such as `image` or `python-3-12`. Short, because the chart names each choice's image puller
 * after its profile, menu and choice, in a container name of at most 63 characters.
 * @pattern ^[a-z][a-z0-9]*(-[a-z0-9]+)*$
 * @patternErrorMessage use lowercase letters and digits in words joined by single hyphens, such as image or python-3-12
 * @maxLength 16
 */
export type MenuSlug = string;

/** A menu within a profile: a list of choices, and optionally an image the student types. */
export interface ProfileMenuSpec {
    /**
     * Identifier of the menu within its profile, such as `image` or `size` (not `profile`, which
     * KubeSpawner takes for the profile's own).
     */
    slug: MenuSlug;
    /** Label of the menu, such as `Image` or `Size`. */
    displayName: string;
    /**
     * The choices. The first with `default: true`, else the first, is preselected, and a server
     * started without a choice (through the API) gets it.
     * @minItems 1
     */
    choices: ProfileChoiceSpec[];
    /**
     * Let students type an image of their own as an entry of this menu (KubeSpawner's
     * `unlisted_choice`): a student can then run any image that `pattern` matches, with the
     * profile's resources and settings, so make it as narrow as the course allows (a registry and
     * repository of the course's own, say). The image is pulled when the server starts, which
     * may take minutes for a large one. EksHub then chooses x86 user nodes by default, not
     * Graviton, as nothing tells for which a typed image is built. The menu then chooses the
     * image, so no other menu of the profile may.
     * @default none
     */
    userImage?: UserImageSpec;
}

/** One choice of a menu: what it sets over the profile's settings. */
export interface ProfileChoiceSpec {
    /** Identifier of the choice within its menu (not `unlisted-choice`, KubeSpawner's entry for a typed value). */
    slug: MenuSlug;
    /** Text of the choice, such as `Python 3.12` or `4 GB, up to 2 CPUs`. */
    displayName: string;
    /** Preselect this choice. @default false */
    default?: boolean;
    /** Image of the choice. @default the profile's image */
    image?: ImageSpec;
    /**
     * CPU and memory of the choice, field by field over the profile's (then the server's). Each
     * size must fit a user node; the plan lists its seats. Refused where profile resources are.
     * @default the profile's resources
     */
    resources?: ResourceSpec;
    /**
     * Environment variables of the choice, over the profile's and the server's.
     * @default {}
     */
    environment?: EnvironmentVariables;
    /**
     * Page the server opens on with this choice, over the profile's.
     * @default the profile's `defaultUrl`
     * @pattern ^\/\S*$
     * @patternErrorMessage use a path such as /lab or /rstudio
     */
    defaultUrl?: string;
}

/** An image the student types, accepted when a pattern matches all of it. */
export interface UserImageSpec {
    /** Text of the menu entry and label of the field. @default "Other image..." */
    displayName?: string;
    /**
     * Regular expression the whole typed image must match (it is anchored at both ends), such as
     * `quay\.io/cs101/[a-z0-9\-]+:[0-9][0-9.\-]*`. Checked by the hub when the server starts, and
     * by the browser as the student types. Written in the syntax JavaScript (with the `v` flag,
     * as browsers read it) and Python share: no named groups, no `\p{...}` classes, and inside a
     * class `-` escaped unless it makes a range (`[0-9.\-]`).
     * @minLength 1
     * @maxLength 500
     */
    pattern: string;
    /**
     * What a matching image looks like, shown to a student whose image does not match.
     * @default "an image that matches <pattern>"
     */
    patternDescription?: string;
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
     * read-write for admins and staff. Needs a platform with ReadWriteMany storage. The same as
     * `sharedFolders: [{ name: course, mountPath: /home/jovyan/shared }]`.
     * @default false
     */
    sharedCourseFolder?: boolean;
    /**
     * Folders on the course's shared volume, each mounted in every server: course material that
     * staff write and students read (`writableBy: staff`), or a scratch space every user writes
     * (`writableBy: everyone`). They live on one shared volume with `sharedCourseFolder` and
     * `submitFolder`: ReadWriteMany storage on Kubernetes (EFS on EksHub, billed per GB-month
     * stored, about $0.30 in us-east-1; a Filestore share on GkeHub, paid for its whole size,
     * from 100Gi basic HDD at about $20 a month; `platform.sharedStorageClass` on a cluster of
     * your own), folders of the course's EFS file system on EC2AutoscaleHub (per GB-month stored).
     * A folder costs only what is stored in it, on the one volume.
     * @default []
     */
    sharedFolders?: SharedFolderSpec[];
    /**
     * A private submit folder per student, which staff collect from: each student's server mounts
     * only that student's own folder (writable), named after the username (as the spawner writes it
     * in paths: KubeSpawner's safe form on Kubernetes, such as `jane-doe---1a2b3c4d` for
     * `jane.doe`; DockerSpawner's escaped form on EC2, such as `jane-2edoe`), and admins and staff
     * get the whole tree, every student's folder, writable, at the same path. Every server runs as
     * the same user (uid 1000), so what keeps students apart is which folder is mounted, not file
     * permissions. This is the safe alternative to `nbgraderExchange`: students hand in by saving
     * into it, staff collect (with nbgrader, `nbgrader zip_collect` or a copy) from it. On the
     * shared volume (see `sharedFolders` for its cost). Served where `sharedFolders` is.
     * @default none: no submit folders
     */
    submitFolder?: SubmitFolderSpec;
    /**
     * Existing datasets mounted read-only in every server, for data too large to copy into homes:
     * an NFS export, such as an EFS file system by its DNS name or a Filestore share by its IP.
     * course-hubs neither creates nor pays for the export (its owner does: nothing is added to
     * the course's bill), and the export must accept NFS mounts from the servers' machines: on EKS
     * an EFS mount target whose security group admits NFS (TCP 2049) from the cluster's nodes; on
     * GKE a Filestore instance on the cluster's VPC network; on EC2AutoscaleHub (which mounts it on
     * the hub VM and every worker, at `/srv/datasets/<name>`, and binds it into servers) an export
     * that admits the VMs' security groups. Served by every platform. For a bucket, see `bucketDatasets`.
     * @default []
     */
    datasets?: DatasetSpec[];
    /**
     * Existing Cloud Storage buckets (or a folder of each) mounted read-only in every server, as
     * datasets, by GKE's Cloud Storage FUSE CSI driver: served by GkeHub (which turns the driver's
     * add-on on, at no charge) and by a cluster of your own that declares the driver
     * (`platform.bucketDriver`); refused by EksHub and EC2AutoscaleHub (copy the data to EFS and
     * use `datasets`). The driver reads the bucket as the notebooks' identity, so on GkeHub the
     * bucket must be readable by it: list it in `notebookBucketAccess.buckets`, or grant
     * `spec.notebookIdentity`'s service account `roles/storage.objectViewer` on it. Each server gets
     * the driver's sidecar, which requests 50m CPU and 64Mi of memory of its node (up to 1 CPU and
     * 512Mi). course-hubs neither creates nor pays for the bucket: Cloud Storage bills its owner
     * for storage, for operations (each listing and read) and for egress out of its region, so keep
     * the bucket in the cluster's region. A dataset's name is unique among `datasets` and these.
     * @default []
     */
    bucketDatasets?: BucketDatasetSpec[];
    /**
     * Refused when `true`. An nbgrader exchange is one folder every server can write, and every
     * server runs as the same user (uid 1000), so any student could read or change another's
     * submission. Use `submitFolder` instead: each student's server mounts only that student's
     * folder, and staff collect from the whole tree; or collect work through the LMS.
     * @default false
     */
    nbgraderExchange?: boolean;
    /**
     * Size of the shared volume that holds the shared folders and the submit folders.
     * @default "10Gi"
     */
    sharedSize?: StorageSize;
}

/**
 * An absolute path in the server, for example `/home/jovyan/data`. Braces are kept out: the
 * spawners read `{...}` in mount paths as templates.
 * @pattern ^(\/(?!\.\.?(\/|$))[^/{}]+)+$
 * @patternErrorMessage use an absolute path, such as /home/jovyan/data (no trailing /, no . or .. parts, no braces)
 */
export type ServerPath = string;

/** Where a folder appears in every server: its path, and more paths of the same folder. */
export interface MountedFolder {
    /**
     * Further paths of the same folder: an image that keeps its home elsewhere (RStudio's rocker
     * images use `/home/rstudio`) finds it there too, for example `["/home/rstudio/data"]`.
     * Kubernetes hubs only: refused by EC2AutoscaleHub, whose DockerSpawner mounts each folder once.
     * @default []
     */
    alsoMountedAt?: ServerPath[];
}

/** A folder on the course's shared volume. */
export interface SharedFolderSpec extends MountedFolder {
    /**
     * The folder's name: its directory on the shared volume, which keeps its content when its
     * paths change. `submit` is the submit folders' own.
     * @pattern ^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$
     * @patternErrorMessage use lowercase letters, digits, ., _ and -, starting and ending with a letter or digit, such as course-material
     */
    name: string;
    /** Where it appears in every server. @default "/home/jovyan/<name>" */
    mountPath?: ServerPath;
    /**
     * Who may change it: `staff` (admins and staff write, students read only) or `everyone`.
     * @default "staff"
     */
    writableBy?: "staff" | "everyone";
}

/** The students' submit folders. */
export interface SubmitFolderSpec extends MountedFolder {
    /** Where each student finds their own folder, and staff every student's. @default "/home/jovyan/submit" */
    mountPath?: ServerPath;
}

/** A dataset's name and where it appears in every server, read-only. */
export interface DatasetMount extends MountedFolder {
    /**
     * The dataset's name, which names its volume in the server's pod.
     * @pattern ^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$
     * @patternErrorMessage use up to 32 lowercase letters, digits and -, starting and ending with a letter or digit, such as census
     */
    name: string;
    /** Where it appears in every server, read-only. @default "/home/jovyan/datasets/<name>" */
    mountPath?: ServerPath;
}

/** A dataset on an NFS export, mounted read-only in every server. */
export interface DatasetSpec extends DatasetMount {
    /** The NFS export that holds it. */
    nfs: NfsExport;
}

/** A dataset in a Cloud Storage bucket, mounted read-only in every server. */
export interface BucketDatasetSpec extends DatasetMount {
    /** The bucket, or the folder of it, that holds it. */
    bucket: DatasetBucket;
}

/** A bucket, or a folder of it, that holds a dataset. */
export interface DatasetBucket {
    /**
     * The bucket's name, without `gs://`.
     * @pattern ^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$
     * @patternErrorMessage use a bucket name of 3 to 63 lowercase letters, digits, ., _ and -, without gs://, such as census-2020
     */
    name: string;
    /**
     * The folder of the bucket that servers see (an object name prefix, without a leading or trailing /),
     * such as `tables/2020`; the rest of the bucket stays out of sight.
     * @pattern ^[\w.+@%=:~-]+(\/[\w.+@%=:~-]+)*$
     * @patternErrorMessage use folder names of letters, digits and ._+@%=:~- joined by /, such as tables/2020 (no leading or trailing /)
     * @default the whole bucket
     */
    prefix?: string;
}

/** An NFS export: a server and a path on it. */
export interface NfsExport {
    /**
     * The NFS server: a DNS name (an EFS file system's `fs-0123456789abcdef0.efs.us-east-1.amazonaws.com`)
     * or an IPv4 address (a Filestore instance's).
     * @pattern ^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$
     * @patternErrorMessage use a DNS name or an IPv4 address, such as fs-0123456789abcdef0.efs.us-east-1.amazonaws.com or 10.0.0.2
     */
    server: string;
    /**
     * The exported path: `/` for an EFS file system's root, `/<share name>` for a Filestore share.
     * @pattern ^(\/|(\/(?!\.\.?(\/|$))[\w.+@%=:,~-]+)+)$
     * @patternErrorMessage use an absolute path of letters, digits and ._+@%=:,~-, such as / or /datasets (no trailing /, no . or .. parts)
     */
    path: string;
}

/**
 * Users' homes: by default a volume of its own for each user (a disk per student, created at their
 * first start); with `sharedFileSystem`, a folder for each user on one file system, with a quota.
 */
export interface HomeStorageSpec {
    /**
     * Size of each user's home, a Kubernetes quantity such as `10Gi`: the size of their volume, or
     * with `sharedFileSystem` their quota, the most their folder may hold.
     * @default "10Gi"
     */
    size?: StorageSize;
    /**
     * Storage class of the per-user home volumes. Refused with `sharedFileSystem`, whose volume is
     * of the platform's XFS class.
     * @default the platform's class, else the cluster default
     */
    storageClass?: KubernetesName;
    /**
     * Homes as folders on one shared file system instead of a volume per user, each folder with a
     * quota (`size`, or the user's `sizeOverrides`), as university hubs keep them: one block volume
     * (EBS gp3 on EksHub, a balanced persistent disk on GkeHub, `platform.sharedHomesStorageClass`
     * on a cluster of your own) formatted XFS, which alone of the usual file systems limits a folder
     * (project quotas; NFS, EFS and Filestore cannot), served by an NFS server in the hub's namespace
     * on a core node (NFS-Ganesha, with 2i2c's quota enforcer setting each folder's quota as it
     * appears, within 30 seconds). Each server mounts the user's folder, `{username}` as KubeSpawner
     * writes it (the username when it is a DNS label, else a form with a hash), at `/home/jovyan`;
     * a user's named servers share it.
     *
     * Cost: the volume is billed whole from the first day, whoever logs in, at the platform's
     * block storage price (EBS gp3 $0.08, pd-balanced $0.10 per GB-month); the NFS server's pod
     * (0.1 CPU, 192Mi) fits on the core node beside the hub. 100 students with 10Gi volumes of
     * their own cost $80 a month on EKS ($100 on GKE) once all have logged in; one 200Gi file system
     * with a 10Gi quota each costs $16 ($20) from the start, and servers start without attaching a
     * disk (a node attaches at most about 25 EBS volumes, so per-user volumes also cap how many
     * servers a node holds).
     *
     * Students' servers cannot reach the NFS server (the chart's network policy denies them private
     * addresses: a cluster of your own must enforce NetworkPolicy); the kubelet mounts it for them.
     * The volume follows the course's rules for students' work: with `keepStudentWork` it is kept
     * (and backed up) after `pulumi destroy`, without it deleted. Kubernetes hubs only:
     * EC2AutoscaleHub keeps homes as folders on EFS, which has no quotas.
     * @default none (a volume of its own for each user)
     */
    sharedFileSystem?: SharedHomesSpec;
}

/** One file system holding every user's home folder, each with a quota. */
export interface SharedHomesSpec {
    /**
     * Size of the file system, all homes together: quotas may add up to more (most students use
     * a fraction of theirs), but not one may exceed it. It can grow during the term (raise it and
     * run `pulumi up`: the volume and its file system are enlarged in place) but never shrink.
     * @requiredMessage give the size of the file system that holds every home, such as 200Gi
     */
    size: StorageSize;
    /**
     * Quotas other than `storage.home.size` for some users, by username as the hub sees it (as
     * `adminUsers`), for example `{ "prof-smith": "50Gi" }`. The names need not be listed elsewhere
     * in the spec. Each at most the file system's `size`.
     * @default {}
     */
    sizeOverrides?: HomeSizeOverrides;
    /**
     * The whole file system, every user's home folder, mounted read-write in the servers of admins
     * (and of staff with `staff: true`), for looking at or fixing a student's files. Costs nothing.
     * @default none (each user sees their own home only)
     */
    allHomes?: AllHomesMountSpec;
}

/**
 * Sizes by username.
 * @propertyNames { "pattern": "^\\S{1,255}$", "patternErrorMessage": "a username has no spaces" }
 */
export type HomeSizeOverrides = Record<Username, StorageSize>;

/** Where admins (and staff) see every home. */
export interface AllHomesMountSpec {
    /**
     * Where every home appears in their servers: an absolute path outside the shared course folder,
     * not the home directory itself.
     * @default "/home/jovyan/all-homes"
     * @pattern ^(\/(?!\.\.?(\/|$))[^/]+)+$
     * @patternErrorMessage use an absolute path to a folder, such as /home/jovyan/all-homes (no trailing /, no . or .. parts)
     */
    path?: string;
    /** Staff (`staffUsers`) see every home too, as admins do. @default false */
    staff?: boolean;
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
    /**
     * How big a ready seat is, that is what each placeholder pod reserves on a user node (and
     * frees when a real server evicts it): `server`, the guarantees of the default server (the
     * default profile's, when it has its own) with its sidecars; or `largestProfile`, the largest
     * CPU and the largest memory guarantee of the server and every CPU profile (with the sidecars),
     * so that any profile a student picks starts at once on a warm seat. GPU profiles never count:
     * placeholders run on CPU user nodes. A bigger seat keeps more nodes up for the same `seats`:
     * the plan's floor and each lecture's nodes follow it, and the seats are checked against the
     * user nodes' maximum at this size. Kubernetes hubs only: refused by EC2AutoscaleHub, where a
     * profile has no size of its own.
     * @default "server"
     */
    seatSize?: "server" | "largestProfile";
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
