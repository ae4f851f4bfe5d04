import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HubSpec, renderHubUserData, toZ2jhValues } from "../../components";
import { AUTHS, FULL_PLATFORM, forCluster, forEc2 } from "./specs";

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
 *   (`allowed_idps` was renamed to it in 17.4.0); each entry is shaped by oauthenticator/schemas/cilogon-schema.yaml
 *   (username_derivation with username_claim, action strip_idp_domain + domain or prefix + prefix; allow_all,
 *   allowed_domains, allowed_domains_claim). AzureAd's username_claim defaults to "name"; the v1.0 ID token its
 *   default endpoints issue holds the UPN in `upn` (preferred_username is only in v2.0 tokens).
 * - ldapauthenticator 2.0.2 (setup.py entry points ldap / ldapauthenticator = ldapauthenticator:LDAPAuthenticator;
 *   the package exports the class, so the import path ldapauthenticator.LDAPAuthenticator resolves too);
 *   tls_strategy is one of before_bind, on_connect, insecure.
 * - JupyterHub 5.5: jupyterhub.authenticators.shared.SharedPasswordAuthenticator, secret trait user_password.
 * - jupyterhub-ltiauthenticator 1.6.3 (ltiauthenticator/lti13/auth.py): no entry point in its pyproject.toml, so the import path
 *   ltiauthenticator.lti13.auth.LTI13Authenticator; traits issuer, client_id (a set of strings), authorize_url, jwks_endpoint,
 *   username_key (default "email"), uri_scheme (auto, https or http); no secret (the platform signs the launch token).
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
            username_claim: "upn",
        },
        secretTrait: "client_secret",
    },
    cilogon: {
        authenticatorClass: "cilogon",
        section: "CILogonOAuthenticator",
        traits: {
            client_id: "cilogon:/client_id/1234", oauth_callback_url: CALLBACK,
            idps: {
                // The first listed, which CILogon pre-selects.
                "https://idp.example.edu/idp/shibboleth": { username_derivation: { username_claim: "email" }, default: true },
                "http://google.com/accounts/o8/id": {
                    username_derivation: { username_claim: "email", action: "prefix", prefix: "google" },
                    allowed_domains: ["example.edu"], allowed_domains_claim: "email",
                },
                "https://idp.med.example.edu/idp/shibboleth": {
                    username_derivation: { username_claim: "eppn", action: "strip_idp_domain", domain: "med.example.edu" },
                },
            },
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
    lti13: {
        authenticatorClass: "ltiauthenticator.lti13.auth.LTI13Authenticator",
        section: "LTI13Authenticator",
        traits: {
            issuer: "https://canvas.instructure.com", client_id: ["10000000000042"],
            authorize_url: "https://sso.canvaslms.com/api/lti/authorize_redirect", jwks_endpoint: "https://sso.canvaslms.com/api/lti/security/jwks",
            username_key: "email", uri_scheme: "https", allow_all: true,
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

/** What real JupyterHub reads of an EC2 hub's login: every authenticator section, and the listed names normalized as at startup. */
export interface LoadedLogin {
    authenticator: Record<string, Record<string, unknown>>;
    admin_users: string[];
    allowed_users: string[];
}

/** The EC2 hub's jupyterhub_config.py for `spec`, as its user-data writes it. */
export function ec2JupyterhubConfig(spec: HubSpec): string {
    const userData = renderHubUserData({
        region: "us-east-1",
        fileSystemId: "fs-0123456789abcdef0",
        parameterPrefix: "/course-hubs/cs101-fall-2026",
        parameterKeyArn: "arn:aws:kms:us-east-1:123456789012:key/0c0ffee0-1234-4abc-9def-0123456789ab",
        spec: forEc2(spec),
    });
    const files = JSON.parse(userData.slice("#cloud-config\n".length)).write_files as { path: string; content: string }[];
    return files.find((f) => f.path === "/etc/course-hub/jupyterhub_config.py")!.content;
}

/**
 * The hub's configuration on Kubernetes as z2jh 4.4.0's jupyterhub_config.py builds it from the
 * chart values (files/hub/jupyterhub_config.py l. 499-526: each section of hub.config merged into
 * the config; l. 539-542: then each hub.extraConfig entry run, by sorted key). The opt-in real-chart
 * test (test/upstream/charts.test.ts) runs the chart's own file.
 */
export function chartHubConfig(spec: HubSpec): string {
    const hub = toZ2jhValues(forCluster(spec, FULL_PLATFORM), FULL_PLATFORM).hub as { config: object; extraConfig?: Record<string, string> };
    const extraConfig = Object.entries(hub.extraConfig ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, python]) => python);
    return [
        "import json",
        "c = get_config()  # noqa: F821",
        `for section, cfg in json.loads(${JSON.stringify(JSON.stringify(hub.config))}).items():`,
        "    c[section].update(cfg)",
        ...extraConfig,
    ].join("\n");
}

/** The two consumers of a hub's login config: each renders the Python the hub runs for `spec`. */
export const LOGIN_CONSUMERS: [string, (spec: HubSpec) => string][] = [
    ["the EC2 hub's jupyterhub_config.py", ec2JupyterhubConfig],
    ["the chart's hub.config and hub.extraConfig", chartHubConfig],
];

/**
 * Runs a login model (a Python stand-in of an authenticator on real JupyterHub and traitlets, such
 * as google_login_model.py) with the config file `config` on each of `logins`: the class the config
 * makes JupyterHub log in with, and what became of each login, in order.
 */
export function runLoginModel(model: string, config: string, logins: unknown[]): { authenticatorClass: string; outcomes: string[] } {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "course-hubs-login-model-"));
    try {
        const file = path.join(scratch, "jupyterhub_config.py");
        fs.writeFileSync(file, config);
        const env = { ...process.env, COURSE_HUB_AUTH_SECRET: "secret-from-the-environment" };
        const output = execFileSync("/usr/bin/python3", [model, file, JSON.stringify(logins)], { encoding: "utf8", env });
        const { authenticator_class: authenticatorClass, logins: outcomes } = JSON.parse(output) as { authenticator_class: string; logins: string[] };
        return { authenticatorClass, outcomes };
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

/** The EC2 hub's jupyterhub_config.py for `spec`, its login read back by real JupyterHub (Debian's, as .ci/run installs it). */
export function loadEc2Login(spec: HubSpec): LoadedLogin {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "course-hubs-login-"));
    try {
        fs.writeFileSync(path.join(scratch, "jupyterhub_config.py"), ec2JupyterhubConfig(spec));
        const program = [
            "import json, sys",
            "from jupyterhub.auth import Authenticator",
            "from traitlets.config.loader import PyFileConfigLoader",
            "config = PyFileConfigLoader('jupyterhub_config.py', sys.argv[1]).load_config()",
            "authenticator = Authenticator(config=config)",
            "normalized = lambda names: sorted(authenticator.normalize_username(n) for n in names)",
            "sections = {name: dict(section) for name, section in config.items() if name.endswith('Authenticator') and name != 'Authenticator'}",
            "print(json.dumps({'authenticator': sections, 'admin_users': normalized(authenticator.admin_users),",
            "                  'allowed_users': normalized(authenticator.allowed_users)}, default=str))",
        ].join("\n");
        const env = { ...process.env, COURSE_HUB_AUTH_SECRET: "secret-from-the-environment" };
        return JSON.parse(execFileSync("/usr/bin/python3", ["-c", program, scratch], { encoding: "utf8", env }));
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}
