import * as pulumi from "@pulumi/pulumi";
import { AuthSpec, HubSpec } from "./spec";

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
 * so every branch says who is allowed.
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
                        // hosted_domain restricts sign-in to the Workspace (verified through the hd
                        // claim); allow_all then admits everyone inside that restriction.
                        settings: { ...common, ...(domains.length > 0 ? { hosted_domain: domains, allow_all: true } : {}) },
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
        case "sharedPassword":
            return {
                className: "SharedPasswordAuthenticator",
                authenticatorClass: "jupyterhub.authenticators.shared.SharedPasswordAuthenticator",
                // Anyone with the password may pick any name, unless allowed_users lists the names.
                settings: namesListed ? {} : { allow_all: true },
                secrets: [["user_password", auth.password]],
            };
    }
}

function unique(items: string[]): string[] {
    return [...new Set(items)];
}
