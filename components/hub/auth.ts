import * as pulumi from "@pulumi/pulumi";
import { AuthSpec, CILogonAuth, CILogonIdentityProvider, HubSpec, OidcAuth } from "./spec";

/** A secret value and the traitlets setting it belongs to (`GitHubOAuthenticator.client_secret`). */
export interface AuthenticatorSecret {
    section: string;
    trait: string;
    value: pulumi.Input<string>;
}

/** Traitlets configuration: class name → trait → value. */
export type TraitletsConfig = Record<string, Record<string, unknown>>;

/** What a hub needs to know to log people in, in the form JupyterHub's config takes. */
export interface AuthenticatorConfig {
    /** Traitlets settings without any secret, `JupyterHub.authenticator_class` among them. */
    config: TraitletsConfig;
    /** Secret settings, kept apart so they travel only through secret channels. */
    secrets: AuthenticatorSecret[];
    /**
     * Python the hub runs after `config`, for what traitlets values cannot hold (a class of
     * course-hubs's own as `JupyterHub.authenticator_class`): `hub.extraConfig` on Kubernetes,
     * the end of jupyterhub_config.py on VMs. Absent where `config` says it all.
     */
    python?: string;
}

/*
 * Settings are those of the versions in the z2jh 4.4.0 hub image: JupyterHub 5.5,
 * oauthenticator 17.4, ldapauthenticator 2.0. JupyterHub 5 lets nobody in without an allow rule,
 * so every branch says who is allowed. Every branch also fixes how a login becomes a username, so
 * that the names of the spec's admin, staff and allowed lists are the names the hub sees
 * (usernameProblem below states each login's form).
 */

/** Renders the spec's login rules (authenticator, admins, allowed users) as traitlets config. */
export function authenticatorConfig(spec: HubSpec): AuthenticatorConfig {
    const allowedUsers = unique([...(spec.allowedUsers ?? []), ...(spec.staffUsers ?? [])]);
    const { className, authenticatorClass, settings, secrets } = authenticatorSettings(spec.auth, spec.hostname, allowedUsers.length > 0);
    const config: TraitletsConfig = {
        JupyterHub: { authenticator_class: authenticatorClass },
        Authenticator: {
            admin_users: unique(spec.adminUsers ?? []),
            ...(allowedUsers.length > 0 ? { allowed_users: allowedUsers } : {}),
        },
        [className]: { ...settings, ...(limitsProfilesToGroups(spec) ? loginGroupSettings(spec.auth) : {}) },
    };
    const python = listsGoogleOutsiders(spec.auth, [...(spec.adminUsers ?? []), ...allowedUsers])
        ? GOOGLE_LOGIN_FOR_LISTED_OUTSIDERS
        : lti13AdminRolesHook(spec.auth);
    return { config, secrets: secrets.map(([trait, value]) => ({ section: className, trait, value })), ...(python ? { python } : {}) };
}

interface AuthenticatorSettings {
    /** Class whose section holds the settings. */
    className: string;
    /** Value of `JupyterHub.authenticator_class`: an entry point name or an import path. */
    authenticatorClass: string;
    settings: Record<string, unknown>;
    secrets: [trait: string, value: pulumi.Input<string>][];
}

function authenticatorSettings(auth: AuthSpec, hostname: string, namesListed: boolean): AuthenticatorSettings {
    const oauthCallbackUrl = `https://${hostname}/hub/oauth_callback`;
    switch (auth.type) {
        case "github": {
            const orgs = auth.allowedOrganizations ?? [];
            return {
                className: "GitHubOAuthenticator",
                authenticatorClass: "github",
                settings: {
                    client_id: auth.clientId,
                    oauth_callback_url: oauthCallbackUrl,
                    // read:org lets the hub see private organization and team membership.
                    ...(orgs.length > 0 ? { allowed_organizations: orgs, scope: ["read:org"] } : {}),
                },
                secrets: [["client_secret", auth.clientSecret]],
            };
        }
        case "oidc": {
            const common = {
                client_id: auth.clientId,
                oauth_callback_url: oauthCallbackUrl,
                ...(auth.allowAllAuthenticated ? { allow_all: true } : {}),
            };
            const secrets: AuthenticatorSettings["secrets"] = [["client_secret", auth.clientSecret]];
            switch (auth.provider) {
                case "generic": {
                    const groups = auth.allowedGroups ?? [];
                    return {
                        className: "GenericOAuthenticator",
                        authenticatorClass: "generic-oauth",
                        settings: {
                            ...common,
                            authorize_url: auth.authorizeUrl,
                            token_url: auth.tokenUrl,
                            userdata_url: auth.userdataUrl,
                            username_claim: auth.usernameClaim ?? "email",
                            scope: auth.scopes ?? ["openid", "email", "profile"],
                            ...(groups.length > 0
                                ? { manage_groups: true, auth_state_groups_key: `oauth_user.${auth.groupsClaim}`, allowed_groups: groups }
                                : {}),
                        },
                        secrets,
                    };
                }
                case "google": {
                    const domains = auth.hostedDomains ?? [];
                    return {
                        className: "GoogleOAuthenticator",
                        authenticatorClass: "google",
                        settings: {
                            ...common,
                            // oauthenticator 17.4 strips "@domain" from the username by default when
                            // hosted_domain has at most one entry (google.py, strip_domain's default
                            // `len(self.hosted_domain) <= 1`), so prof.lee@example.edu would log in as
                            // prof.lee: the username stays the full email address, as the spec lists it.
                            strip_domain: false,
                            // hosted_domain restricts sign-in to the Workspace (verified through the hd
                            // claim); allow_all then admits everyone inside that restriction. The listed
                            // names outside it get past it with GOOGLE_LOGIN_FOR_LISTED_OUTSIDERS.
                            ...(domains.length > 0 ? { hosted_domain: domains, allow_all: true } : {}),
                        },
                        secrets,
                    };
                }
                case "azuread":
                    return {
                        className: "AzureAdOAuthenticator",
                        authenticatorClass: "azuread",
                        // azuread.py (17.4.0) l. 77-91 signs in at Azure AD's v1.0 endpoints
                        // (<tenant>/oauth2/authorize, /token) and l. 93-101 reads the claims of the v1.0
                        // ID token. Its default claim (l. 21-23, "name") is a display name with spaces;
                        // preferred_username is "present only in v2.0 tokens" (Microsoft's ID token claims
                        // reference), so no v1.0 login would have it; the v1.0 token endpoint's id_token holds
                        // the user principal name in upn (Azure AD's v1.0 code grant guide).
                        settings: { ...common, tenant_id: auth.tenantId, username_claim: AZURE_AD_USERNAME_CLAIM },
                        secrets,
                    };
                case "cilogon":
                    return {
                        className: "CILogonOAuthenticator",
                        authenticatorClass: "cilogon",
                        settings: {
                            ...common,
                            // CILogon pre-selects the first IdP marked default, else the dict's first key (cilogon.py
                            // l. 27-29); Helm writes the chart's values with keys sorted, so the first IdP listed is marked.
                            idps: Object.fromEntries(cilogonIdentityProviders(auth)
                                .map((idp, i) => [idp.entityId, { ...cilogonIdpSettings(idp), ...(i === 0 ? { default: true } : {}) }])),
                        },
                        secrets,
                    };
                default: {
                    // Every provider is handled above; validation rejects any other, so this only guards a new one.
                    const unhandled: never = auth;
                    throw new Error(`authenticatorSettings: unhandled OIDC provider ${JSON.stringify((unhandled as { provider: unknown }).provider)}`);
                }
            }
        }
        case "ldap": {
            const lookup = auth.lookupDn;
            const groups = auth.allowedGroups ?? [];
            const tls = auth.tls ?? "ldaps";
            return {
                className: "LDAPAuthenticator",
                authenticatorClass: "ldapauthenticator.LDAPAuthenticator",
                settings: {
                    server_address: auth.serverAddress,
                    server_port: auth.serverPort ?? (tls === "ldaps" ? 636 : 389),
                    tls_strategy: tls === "ldaps" ? "on_connect" : "before_bind",
                    ...(auth.bindDnTemplates?.length ? { bind_dn_template: auth.bindDnTemplates } : {}),
                    ...(lookup
                        ? {
                            lookup_dn: true,
                            user_search_base: lookup.searchBase,
                            user_attribute: lookup.userAttribute ?? "uid",
                            lookup_dn_search_user: lookup.bindUser,
                        }
                        : {}),
                    ...(groups.length > 0 ? { allowed_groups: groups } : {}),
                    ...(auth.allowAllAuthenticated ? { allow_all: true } : {}),
                },
                secrets: lookup ? [["lookup_dn_search_password", lookup.bindPassword]] : [],
            };
        }
        case "lti13":
            return {
                className: "LTI13Authenticator",
                // ltiauthenticator 1.6.3 declares no entry point (pyproject.toml), so the class is named by its import path.
                authenticatorClass: "ltiauthenticator.lti13.auth.LTI13Authenticator",
                settings: {
                    issuer: auth.issuer,
                    client_id: [auth.clientId],
                    authorize_url: auth.authorizeUrl,
                    jwks_endpoint: auth.jwksUrl,
                    username_key: auth.usernameClaim ?? "email",
                    // The hub is always behind HTTPS; "auto" (lti13/auth.py l. 117-130) guesses the scheme of the
                    // URLs it gives the LMS from forwarded headers, which the proxies in front may not all set.
                    uri_scheme: "https",
                    // The LMS is the allow rule: only those it launches, with a token it signed for this client, get here.
                    ...(namesListed ? {} : { allow_all: true }),
                },
                secrets: [],
            };
        case "sharedPassword": {
            const secrets: AuthenticatorSettings["secrets"] = [["user_password", auth.password]];
            if (auth.adminPassword !== undefined) {
                // JupyterHub 5.5 admits a name of admin_users only with admin_password (authenticators/shared.py).
                secrets.push(["admin_password", auth.adminPassword]);
            }
            return {
                className: "SharedPasswordAuthenticator",
                authenticatorClass: "jupyterhub.authenticators.shared.SharedPasswordAuthenticator",
                // Anyone with the password may pick any name, unless allowed_users lists the names.
                settings: namesListed ? {} : { allow_all: true },
                secrets,
            };
        }
    }
}

/**
 * Whether `auth` is a Google login restricted to hosted domains and `names` (the admins and the
 * allowed users) has one outside them: the domain after its "@" is none of them, as the
 * class of GOOGLE_LOGIN_FOR_LISTED_OUTSIDERS tells.
 */
function listsGoogleOutsiders(auth: AuthSpec, names: string[]): boolean {
    if (auth.type !== "oidc" || auth.provider !== "google") {
        return false;
    }
    const domains = (auth.hostedDomains ?? []).map((domain) => domain.toLowerCase());
    return domains.length > 0 && names.some((name) => !domains.includes(name.slice(name.lastIndexOf("@") + 1)));
}

/**
 * The hub's Python for a Google login restricted to hosted domains that lists names outside them
 * (a tutor's gmail.com account, an admin from another university). oauthenticator 17.4.0's
 * GoogleOAuthenticator.check_blocked_users (google.py l. 270-290) blocks every account whose `hd`
 * claim is not one of hosted_domain before any allow list is read, so those names could never log
 * in. This subclass lets a name of admin_users or allowed_users whose domain is none of
 * hosted_domain skip that one test, and nobody else: the listed names inside the domains and
 * everyone unlisted still need the claim. A listed outsider still needs:
 * - a verified email: GoogleOAuthenticator.check_allowed (l. 292-324) refuses any other with a
 *   403, but JupyterHub 5.5 never calls check_allowed under allow_all (auth.py,
 *   get_authenticated_user: `allowed_pass = self.allow_all`), which hosted domains render, so it is
 *   called here;
 * - not to be in blocked_users: the test GoogleOAuthenticator defers to
 *   (Authenticator.check_blocked_users, through OAuthenticator) still runs.
 * The traitlets config keeps `authenticator_class: google`, which the chart's values and the
 * policy pack read; this, run after it (z2jh 4.4.0's jupyterhub_config.py loads hub.config, then
 * runs hub.extraConfig: l. 499-542), replaces it with the subclass, which the GoogleOAuthenticator
 * section configures as it does its parent.
 */
const GOOGLE_LOGIN_FOR_LISTED_OUTSIDERS = [
    "from oauthenticator.google import GoogleOAuthenticator as _GoogleOAuthenticator",
    "",
    "",
    "class CourseHubsGoogleOAuthenticator(_GoogleOAuthenticator):",
    "    \"\"\"Google login that also lets in the names of admin_users and allowed_users outside hosted_domain (course-hubs).\"\"\"",
    "",
    "    async def check_blocked_users(self, username, auth_model):",
    "        listed = username in self.admin_users or username in self.allowed_users",
    "        if not listed or username.rpartition(\"@\")[2] in self.hosted_domain:",
    "            return super().check_blocked_users(username, auth_model)",
    "        # A verified email, or a 403: under allow_all JupyterHub never asks check_allowed, so it is asked here.",
    "        if not await self.check_allowed(username, auth_model):",
    "            return False",
    "        # Past the hosted-domain test to the one it defers to: blocked_users.",
    "        return super(_GoogleOAuthenticator, self).check_blocked_users(username, auth_model)",
    "",
    "",
    "c.JupyterHub.authenticator_class = CourseHubsGoogleOAuthenticator",
    "",
].join("\n");

/**
 * The hub's Python that makes the holders of an LTI 1.3 login's admin roles hub admins, or undefined
 * where it has none. ltiauthenticator 1.6.3's LTI13Authenticator.authenticate (lti13/auth.py
 * l. 168-189) returns only the name and, as auth_state, the launch token, whose roles claim lists
 * the user's roles as URIs (LTI 1.3 core, "Roles claim"; short context role names are deprecated
 * but allowed); it never sets `admin`. JupyterHub 5.5.1 runs `post_auth_hook` on the authenticated model once it passed the
 * allow rules (auth.py l. 724-754, after `is_admin` marked the names of admin_users) and then
 * applies an `admin` that is not None to the user (handlers/base.py l. 927-941), so the hook sets
 * it at each login: true for a holder of an admin role or a name of admin_users, false for anyone
 * else, so that an instructor dropped from the course stops being an admin at the next login.
 */
function lti13AdminRolesHook(auth: AuthSpec): string | undefined {
    const roles = auth.type === "lti13" ? auth.adminRoles ?? ["Instructor"] : [];
    if (roles.length === 0) {
        return undefined;
    }
    const names = roles.flatMap((role) => [role, `${LTI13_MEMBERSHIP_ROLE}#${role}`]);
    return [
        `_COURSE_HUBS_LTI13_ADMIN_ROLES = frozenset(${JSON.stringify(names)})`,
        "",
        "",
        "def _course_hubs_lti13_admin_roles(authenticator, handler, authentication):",
        `    roles = (authentication.get("auth_state") or {}).get("${LTI13_ROLES_CLAIM}") or []`,
        "    holds_admin_role = any(role in _COURSE_HUBS_LTI13_ADMIN_ROLES for role in roles)",
        "    authentication[\"admin\"] = holds_admin_role or authentication[\"name\"] in authenticator.admin_users",
        "    return authentication",
        "",
        "",
        "c.Authenticator.post_auth_hook = _course_hubs_lti13_admin_roles",
        "",
    ].join("\n");
}

/** The claim of an LTI 1.3 launch token that lists the user's roles (LTI 1.3 core, "Roles claim"). */
const LTI13_ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles";
/** The vocabulary of LTI 1.3 context roles, a user's roles in the course (LTI 1.3 core, "Context roles"). */
const LTI13_MEMBERSHIP_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership";

/** What a login's usernames look like, for the names that the spec lists. */
interface UsernameForm {
    /** A lowercase name of this form. */
    pattern: RegExp;
    /** What the login's usernames are, as a message ends: `full email addresses, such as prof.lee@example.edu`. */
    description: string;
}

/**
 * A name with one "@" and no spaces, as a regular expression's source; no ":" before the "@", where
 * an address never has one unquoted (RFC 5322's atext), so that a prefixed name is not taken for one.
 */
const LOCAL_PART = "[^\\s@:]+";
const ADDRESS = `${LOCAL_PART}@[^\\s@]+`;
const EMAIL_ADDRESSES: UsernameForm = { pattern: new RegExp(`^${ADDRESS}$`), description: "full email addresses, such as prof.lee@example.edu" };

/**
 * The form of the usernames a login produces, where the login fixes one; undefined where any name
 * can come (a claim course-hubs knows nothing of, a name typed with a shared password).
 */
function usernameForm(auth: AuthSpec): UsernameForm | undefined {
    switch (auth.type) {
        case "github":
            // The login, lowercase; Enterprise Managed Users' logins end in "_<shortcode>".
            return { pattern: /^[a-z0-9][a-z0-9_-]*$/, description: "GitHub logins (letters, digits and hyphens), such as prof-smith" };
        case "oidc":
            return oidcUsernameForm(auth);
        case "ldap":
            // ldapauthenticator refuses any other name typed at the login page (its valid_username_regex).
            return {
                pattern: /^[a-z][.a-z0-9_-]*$/,
                description: "the names typed at the login page, which ldapauthenticator accepts only as a lowercase letter followed by "
                    + "letters, digits, \".\", \"_\" or \"-\", such as jdoe (never an email address)",
            };
        case "lti13":
            // get_username (lti13/auth.py l. 191-219) takes the claim's value, else `sub`, an opaque ID nobody lists.
            return (auth.usernameClaim ?? "email") === "email" ? EMAIL_ADDRESSES : undefined;
        case "sharedPassword":
            return undefined;
    }
}

function oidcUsernameForm(auth: OidcAuth): UsernameForm | undefined {
    switch (auth.provider) {
        case "google":
            return EMAIL_ADDRESSES;
        case "azuread":
            return { ...EMAIL_ADDRESSES, description: "user principal names (UPNs), such as prof.lee@example.edu" };
        case "generic":
            return (auth.usernameClaim ?? "email") === "email" ? EMAIL_ADDRESSES : undefined;
        case "cilogon":
            return cilogonUsernameForm(auth);
    }
}

/** The claim of Azure AD's v1.0 ID token that holds the user principal name. */
const AZURE_AD_USERNAME_CLAIM = "upn";

/** A CILogon identity provider with the login's settings filled in where it has none of its own. */
type ResolvedIdentityProvider = CILogonIdentityProvider & Required<Pick<CILogonIdentityProvider, "usernameClaim" | "allowAll" | "allowedDomains">>;

/**
 * The identity providers of a CILogon login in the order CILogon offers them: those of
 * `allowedIdps` (the login's claim and allow rule, nothing stripped or prefixed), then those of
 * `identityProviders`, each filled in from the login where it says nothing.
 */
function cilogonIdentityProviders(auth: CILogonAuth): ResolvedIdentityProvider[] {
    const simple = (auth.allowedIdps ?? []).map((entityId): CILogonIdentityProvider => ({ entityId, allowAll: auth.allowAllAuthenticated }));
    return [...simple, ...(auth.identityProviders ?? [])].map((idp) => ({
        ...idp,
        usernameClaim: idp.usernameClaim ?? auth.usernameClaim ?? "email",
        allowAll: idp.allowAll ?? false,
        allowedDomains: idp.allowedDomains ?? [],
    }));
}

/**
 * An IdP's entry of `CILogonOAuthenticator.idps`, as oauthenticator 17.4.0 reads it
 * (oauthenticator/schemas/cilogon-schema.yaml; cilogon.py): the username is the claim's value
 * (l. 371-380), with "@domain" removed where it ends so, or "prefix:" put before it (l. 390-398).
 * check_allowed (l. 402-445) admits the IdP's users with allow_all, or those whose domain matches
 * allowed_domains (fnmatch, so "*.example.edu" works); the domain is that of allowed_domains_claim,
 * else of the username claim (l. 419-431), so the `email` claim is named: allowedDomains are email domains.
 */
function cilogonIdpSettings(idp: ResolvedIdentityProvider): Record<string, unknown> {
    return {
        username_derivation: {
            username_claim: idp.usernameClaim,
            ...(idp.stripDomain !== undefined ? { action: "strip_idp_domain", domain: idp.stripDomain } : {}),
            ...(idp.usernamePrefix !== undefined ? { action: "prefix", prefix: idp.usernamePrefix } : {}),
        },
        ...(idp.allowAll ? { allow_all: true } : {}),
        ...(idp.allowedDomains.length > 0 ? { allowed_domains: idp.allowedDomains, allowed_domains_claim: "email" } : {}),
    };
}

/**
 * Claims whose values are addresses (`user@domain`): `email`, and `eppn`, the eduPersonPrincipalName,
 * which the eduPerson schema defines as scoped (`user@scope`).
 */
const ADDRESS_CLAIMS: Record<string, { some: string; one: string }> = {
    email: { some: "full email addresses", one: "a full email address" },
    eppn: { some: "eduPersonPrincipalNames (user@scope)", one: "an eduPersonPrincipalName (user@scope)" },
};

/**
 * The names a CILogon login gives: those of at least one of its IdPs; undefined where some IdP
 * can give any name (a claim course-hubs knows nothing of, neither stripped nor prefixed).
 */
function cilogonUsernameForm(auth: CILogonAuth): UsernameForm | undefined {
    const idps = cilogonIdentityProviders(auth);
    const forms = idps.map(identityProviderUsernameForm);
    if (forms.some((form) => form === undefined)) {
        return undefined;
    }
    const known = forms as UsernameForm[];
    return known.length === 1
        ? known[0]
        : {
            pattern: new RegExp(known.map((form) => `(?:${form.pattern.source})`).join("|")),
            description: `by identity provider: ${known.map((form, i) => `from ${idps[i].entityId}, ${form.description}`).join("; ")}`,
        };
}

/** The names one CILogon IdP gives (cilogon.py l. 365-400, then JupyterHub lowercases them); undefined for any name. */
function identityProviderUsernameForm(idp: ResolvedIdentityProvider): UsernameForm | undefined {
    const claim = idp.usernameClaim;
    const addresses = ADDRESS_CLAIMS[claim];
    if (idp.usernamePrefix !== undefined) {
        const prefix = `${idp.usernamePrefix}:`;
        return {
            pattern: new RegExp(`^${escapeRegExp(prefix)}${addresses ? ADDRESS : "\\S+"}$`),
            description: `"${prefix}" followed by ${addresses?.one ?? `the value of the claim "${claim}"`}, such as ${prefix}ann@gmail.com`,
        };
    }
    if (idp.stripDomain !== undefined) {
        // oauthenticator strips the suffix whatever its case; the name is lowercase by then. A name
        // that still ends in it never comes: the suffix would have been stripped.
        const suffix = escapeRegExp(`@${idp.stripDomain}`);
        return {
            pattern: addresses ? new RegExp(`^(?:${LOCAL_PART}|${ADDRESS}(?<!${suffix}))$`) : new RegExp(`^(?!.*${suffix}$)\\S+$`),
            description: `${addresses?.some ?? `values of the claim "${claim}"`} with "@${idp.stripDomain}" removed, `
                + `such as jdoe for jdoe@${idp.stripDomain} (names of other domains keep their domain)`,
        };
    }
    return addresses ? { pattern: EMAIL_ADDRESSES.pattern, description: `${addresses.some}, such as prof.lee@example.edu` } : undefined;
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Why `name`, listed in the spec's admin, staff or allowed users, is not a username the login
 * `auth` gives anyone, or undefined when it can be. JupyterHub lowercases the login's name and
 * then compares it exactly, so a name of another form (`prof.lee@example.edu` where GitHub logins
 * come, `prof.lee` where email addresses come) never matches; nor does one with capitals where the
 * spec's names are compared as written (the shared course folder's writers).
 */
export function usernameProblem(auth: AuthSpec, name: string): string | undefined {
    if (name.includes("/")) {
        return "has a \"/\", which JupyterHub refuses in a username (the hub would not start)";
    }
    if (name !== name.toLowerCase()) {
        return `is not the name the hub sees: JupyterHub lowercases every username, so write "${name.toLowerCase()}"`;
    }
    const form = usernameForm(auth);
    if (form && !form.pattern.test(name)) {
        return `is not a username this login gives anyone: its usernames are ${form.description}`;
    }
    return undefined;
}

/** Whether a profile of the spec is limited to groups (`server.profiles[].groups`). */
export function limitsProfilesToGroups(spec: HubSpec): boolean {
    return (spec.server?.profiles ?? []).some((profile) => (profile.groups ?? []).length > 0);
}

/** The settings by which a login gives JupyterHub groups, or why it cannot. */
type LoginGroups = { settings: Record<string, unknown> } | { refused: string };

/**
 * How a login tells JupyterHub a user's groups at each login, as settings of its authenticator's
 * section (JupyterHub 5's `manage_groups`, with oauthenticator 17.4's `auth_state_groups_key`, a
 * path into what the login returned: oauth2.py, `get_user_groups`), or why it cannot. JupyterHub
 * 5.5 refuses every login when `manage_groups` is on and the authenticator gives no groups
 * (handlers/base.py, `auth_to_user`), so a login that cannot is refused, never tried.
 */
function loginGroups(auth: AuthSpec): LoginGroups {
    const manage = { manage_groups: true };
    switch (auth.type) {
        case "github":
            // populate_teams_in_auth_state lists GitHub's /user/teams (needs read:org: github.py);
            // GITHUB_TEAMS_AS_GROUPS, in the hub's config, names them org:team.
            return { settings: { ...manage, populate_teams_in_auth_state: true, scope: ["read:org"] } };
        case "oidc":
            return oidcLoginGroups(auth);
        case "ldap":
            return {
                refused: "ldapauthenticator 2.0 gives JupyterHub no groups (it only checks allowedGroups at login): use an OIDC login with groups, "
                    + "or leave groups out",
            };
        case "lti13":
            return {
                refused: "ltiauthenticator 1.6.3 gives JupyterHub no groups (its authenticate returns a name and the launch token only): "
                    + "use a GitHub or OIDC login with groups, or leave groups out",
            };
        case "sharedPassword":
            return { refused: "a shared password gives no groups: use a GitHub or OIDC login with groups, or leave groups out" };
    }
}

function oidcLoginGroups(auth: OidcAuth): LoginGroups {
    const manage = { manage_groups: true };
    switch (auth.provider) {
        case "generic":
            return auth.groupsClaim === undefined
                ? { refused: "groups need auth.groupsClaim: name the claim of the identity provider that lists a user's groups (often \"groups\")" }
                : { settings: { ...manage, auth_state_groups_key: `oauth_user.${auth.groupsClaim}` } };
        case "azuread":
            // The ID token's groups claim (azuread.py's default key), object IDs unless the app registration says otherwise.
            return { settings: { ...manage, auth_state_groups_key: "user.groups" } };
        case "cilogon":
            // CILogon's isMemberOf claim, with the org.cilogon.userinfo scope cilogon.py always asks for.
            return { settings: { ...manage, auth_state_groups_key: "cilogon_user.isMemberOf" } };
        case "google":
            return {
                refused: "Google gives no groups at login: oauthenticator reads Google groups only through the Admin SDK with a Workspace "
                    + "service account, which course-hubs does not set up. Use generic OIDC with a groupsClaim (or GitHub teams), or leave groups out",
            };
    }
}

/** Why the login gives JupyterHub no groups, for a profile limited to groups; undefined when it does. */
export function loginGroupsRefusal(auth: AuthSpec): string | undefined {
    const groups = loginGroups(auth);
    return "refused" in groups ? groups.refused : undefined;
}

function loginGroupSettings(auth: AuthSpec): Record<string, unknown> {
    const groups = loginGroups(auth);
    return "settings" in groups ? groups.settings : {};
}

/**
 * Python the hub runs so that a GitHub user's groups are their teams, `org:team` lowercase (team
 * slugs are; organization logins compare without case): `auth_state_groups_key` must be a
 * callable for that, which chart values cannot hold.
 */
export const GITHUB_TEAMS_AS_GROUPS = [
    "def _course_hubs_github_teams(auth_state):",
    "    return [f\"{team['organization']['login']}:{team['slug']}\".lower() for team in auth_state.get(\"teams\") or []]",
    "",
    "c.GitHubOAuthenticator.auth_state_groups_key = _course_hubs_github_teams",
    "",
].join("\n");

function unique(items: string[]): string[] {
    return [...new Set(items)];
}
