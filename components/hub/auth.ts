import * as pulumi from "@pulumi/pulumi";
import { AuthSpec, HubSpec, OidcAuth } from "./spec";

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
        [className]: settings,
    };
    return { config, secrets: secrets.map(([trait, value]) => ({ section: className, trait, value })) };
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
                            // claim); allow_all then admits everyone inside that restriction.
                            ...(domains.length > 0 ? { hosted_domain: domains, allow_all: true } : {}),
                        },
                        secrets,
                    };
                }
                case "azuread":
                    return {
                        className: "AzureAdOAuthenticator",
                        authenticatorClass: "azuread",
                        // The default claim ("name") is a display name with spaces; the UPN is unique.
                        settings: { ...common, tenant_id: auth.tenantId, username_claim: "preferred_username" },
                        secrets,
                    };
                case "cilogon": {
                    const usernameClaim = auth.usernameClaim ?? "email";
                    return {
                        className: "CILogonOAuthenticator",
                        authenticatorClass: "cilogon",
                        settings: {
                            ...common,
                            idps: Object.fromEntries(auth.allowedIdps.map((idp) => [idp, {
                                username_derivation: { username_claim: usernameClaim },
                                ...(auth.allowAllAuthenticated ? { allow_all: true } : {}),
                            }])),
                        },
                        secrets,
                    };
                }
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

/** What a login's usernames look like, for the names that the spec lists. */
interface UsernameForm {
    /** A lowercase name of this form. */
    pattern: RegExp;
    /** What the login's usernames are, as a message ends: `full email addresses, such as prof.lee@example.edu`. */
    description: string;
}

const EMAIL_ADDRESSES: UsernameForm = { pattern: /^[^\s@]+@[^\s@]+$/, description: "full email addresses, such as prof.lee@example.edu" };

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
        case "cilogon":
            return (auth.usernameClaim ?? "email") === "email" ? EMAIL_ADDRESSES : undefined;
    }
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

function unique(items: string[]): string[] {
    return [...new Set(items)];
}
