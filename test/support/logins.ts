import { AUTHS } from "./specs";

/** What a login must render: the authenticator JupyterHub loads and the settings of its section. */
export interface ExpectedLogin {
    /** `JupyterHub.authenticator_class`: an entry point name or an import path the hub image resolves. */
    authenticatorClass: string;
    /**
     * The class that entry point names. traitlets applies a config section only to a class of that
     * name (or a subclass), so settings under any other name are silently ignored.
     */
    section: string;
    /** Every setting of that section, the secret aside. */
    traits: Record<string, unknown>;
    /** The trait that holds the login's secret, if it has one. */
    secretTrait?: string;
}

const CALLBACK = "https://cs101.hubs.example.edu/hub/oauth_callback";

/*
 * Written by hand from upstream, not from the code under test:
 * - oauthenticator 17.4.0, pyproject.toml [project.entry-points."jupyterhub.authenticators"]:
 *   github = oauthenticator.github:GitHubOAuthenticator, generic-oauth = oauthenticator.generic:GenericOAuthenticator,
 *   google = oauthenticator.google:GoogleOAuthenticator, azuread = oauthenticator.azuread:AzureAdOAuthenticator,
 *   cilogon = oauthenticator.cilogon:CILogonOAuthenticator. CILogon's per-IdP trait is `idps` in 17.4
 *   (`allowed_idps` was renamed to it in 17.4.0); AzureAd's username_claim defaults to "name".
 * - ldapauthenticator 2.0.2 (setup.py entry points ldap / ldapauthenticator = ldapauthenticator:LDAPAuthenticator;
 *   the package exports the class, so the import path ldapauthenticator.LDAPAuthenticator resolves too);
 *   tls_strategy is one of before_bind, on_connect, insecure.
 * - JupyterHub 5.5: jupyterhub.authenticators.shared.SharedPasswordAuthenticator, secret trait user_password.
 */
export const EXPECTED_LOGINS: Record<keyof typeof AUTHS, ExpectedLogin> = {
    github: {
        authenticatorClass: "github",
        section: "GitHubOAuthenticator",
        traits: {
            client_id: "gh-client",
            oauth_callback_url: CALLBACK,
            allowed_organizations: ["example-university", "example-university:cs101-staff"],
            scope: ["read:org"],
        },
        secretTrait: "client_secret",
    },
    genericOidc: {
        authenticatorClass: "generic-oauth",
        section: "GenericOAuthenticator",
        traits: {
            client_id: "canvas-client", oauth_callback_url: CALLBACK,
            authorize_url: "https://canvas.example.edu/login/oauth2/auth", token_url: "https://canvas.example.edu/login/oauth2/token",
            userdata_url: "https://canvas.example.edu/api/v1/users/self", username_claim: "login_id", scope: ["openid", "email", "profile"],
            manage_groups: true, auth_state_groups_key: "oauth_user.groups", allowed_groups: ["cs101"],
        },
        secretTrait: "client_secret",
    },
    google: {
        authenticatorClass: "google",
        section: "GoogleOAuthenticator",
        // strip_domain: false, else GoogleOAuthenticator (google.py 17.4.0) drops "@example.edu" from usernames with one hosted domain.
        traits: { client_id: "google-client", oauth_callback_url: CALLBACK, strip_domain: false, hosted_domain: ["example.edu"], allow_all: true },
        secretTrait: "client_secret",
    },
    azuread: {
        authenticatorClass: "azuread",
        section: "AzureAdOAuthenticator",
        traits: {
            client_id: "azure-client",
            oauth_callback_url: CALLBACK,
            allow_all: true,
            tenant_id: "0b5a2c1e-3f4d-4e6a-9b8c-7d6e5f4a3b2c",
            username_claim: "preferred_username",
        },
        secretTrait: "client_secret",
    },
    cilogon: {
        authenticatorClass: "cilogon",
        section: "CILogonOAuthenticator",
        traits: {
            client_id: "cilogon:/client_id/1234", oauth_callback_url: CALLBACK, allow_all: true,
            idps: { "https://idp.example.edu/idp/shibboleth": { username_derivation: { username_claim: "email" }, allow_all: true } },
        },
        secretTrait: "client_secret",
    },
    ldap: {
        authenticatorClass: "ldapauthenticator.LDAPAuthenticator",
        section: "LDAPAuthenticator",
        traits: {
            server_address: "ldap.example.edu", server_port: 389, tls_strategy: "before_bind",
            lookup_dn: true, user_search_base: "ou=people,dc=example,dc=edu", user_attribute: "uid",
            lookup_dn_search_user: "cn=hub,ou=services,dc=example,dc=edu", allowed_groups: ["cn=cs101,ou=groups,dc=example,dc=edu"],
        },
        secretTrait: "lookup_dn_search_password",
    },
    ldapTemplates: {
        authenticatorClass: "ldapauthenticator.LDAPAuthenticator",
        section: "LDAPAuthenticator",
        traits: {
            server_address: "ldap.example.edu",
            server_port: 636,
            tls_strategy: "on_connect",
            bind_dn_template: ["uid={username},ou=people,dc=example,dc=edu"],
            allow_all: true,
        },
    },
    sharedPassword: {
        authenticatorClass: "jupyterhub.authenticators.shared.SharedPasswordAuthenticator",
        section: "SharedPasswordAuthenticator",
        // No allowed_users in the spec: anyone with the password may pick a name.
        traits: { allow_all: true },
        secretTrait: "user_password",
    },
};
