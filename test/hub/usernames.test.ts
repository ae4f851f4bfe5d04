import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AuthSpec, HubSpec, SharedPasswordAuth, authenticatorConfig, renderHubUserData, validateHubSpec } from "../../components";
import { unwrapSecrets } from "../setup-mocks";
import { AUTHS, MINIMAL_SPEC, forEc2 } from "../support/specs";
import { deploy, stackConfig } from "../support/stacks";

/*
 * How each login of the z2jh 4.4.0 hub image turns an account into a username, read in the
 * sources of the versions it freezes (z2jh commit 5c5f5df7, images/hub/requirements.txt:
 * oauthenticator==17.4.0, tag commit cf70f251; jupyterhub-ldapauthenticator==2.0.2, 7f1fd8cf;
 * jupyterhub==5.5.0, 97b31546). Written by
 * hand from those sources, not from the code under test; oauthenticator is not installable here,
 * so the tests check that the rendered settings are the ones these rules need.
 *
 * - JupyterHub 5.5.0, jupyterhub/auth.py l. 615-625: normalize_username lowercases the name (and
 *   applies username_map, which course-hubs leaves empty); app.py l. 2146-2176 does the same to
 *   admin_users and allowed_users at startup, and refuses a name with "/" (validate_username).
 * - oauthenticator 17.4.0, oauth2.py l. 1446-1447: username = normalize_username(user_info_to_username(user_info));
 *   l. 1005-1008: user_info_to_username reads the username_claim.
 * - google.py l. 27-29: username_claim defaults to "email". l. 125-140: strip_domain is a Bool
 *   whose default is `len(self.hosted_domain) <= 1`. l. 231-232: `if self.strip_domain and
 *   user_info["domain"] in self.hosted_domain: username = username.split("@")[0]`, the domain
 *   being the email's, lowercase (l. 225).
 * - github.py l. 23-25: username_claim defaults to "login". azuread.py l. 21-23: to "name".
 * - cilogon.py l. 382-400: a username_derivation's "action" strips a domain or adds a prefix;
 *   without one the claim's value is the username.
 * - ldapauthenticator 2.0.2, ldapauthenticator.py l. 217-218: valid_username_regex
 *   `^[a-z][.a-z0-9_-]*$`, matched against the name typed at the login page before anything else
 *   (l. 591-601); l. 397-398 and 703: that typed name is the username unless use_lookup_dn_username.
 */

/** The username GoogleOAuthenticator 17.4.0 gives `email` under the rendered `settings` (google.py l. 216-234, then normalize_username). */
function googleUsername(settings: Record<string, unknown>, email: string): string {
    const hostedDomains = ((settings.hosted_domain ?? []) as string[]).map((d) => d.toLowerCase());
    const strip = (settings.strip_domain ?? hostedDomains.length <= 1) as boolean;
    const domain = email.split("@")[1].toLowerCase();
    return (strip && hostedDomains.includes(domain) ? email.split("@")[0] : email).toLowerCase();
}

const google = (hostedDomains: string[]): AuthSpec => ({ ...AUTHS.google, hostedDomains } as AuthSpec);
const settingsOf = (spec: HubSpec, section: string) => authenticatorConfig(spec).config[section];

describe("usernames: the names the spec lists are the names the hub sees", () => {
    describe("Google (GoogleOAuthenticator 17.4.0)", () => {
        it("keeps the whole email address as the username, with no, one or several hosted domains", () => {
            for (const domains of [[], ["example.edu"], ["example.edu", "med.example.edu"]]) {
                const settings = settingsOf({ ...MINIMAL_SPEC, auth: google(domains) }, "GoogleOAuthenticator");
                assert.equal(settings.strip_domain, false, `${domains.length} hosted domains`);
                assert.equal(googleUsername(settings, "Prof.Lee@example.edu"), "prof.lee@example.edu");
            }
        });

        it("would strip the domain with one hosted domain if the setting were left to oauthenticator's default", () => {
            // The defect the setting prevents, as oauthenticator 17.4.0 would behave.
            const upstreamDefault = { ...settingsOf({ ...MINIMAL_SPEC, auth: google(["example.edu"]) }, "GoogleOAuthenticator") };
            delete upstreamDefault.strip_domain;
            assert.equal(googleUsername(upstreamDefault, "prof.lee@example.edu"), "prof.lee");
            assert.equal(googleUsername({ ...upstreamDefault, hosted_domain: ["example.edu", "med.example.edu"] }, "prof.lee@example.edu"),
                "prof.lee@example.edu");
        });

        it("spring-ds100: its admin logs in as an admin and its TA as an allowed writer of the shared folder, under the emails the stack lists", async () => {
            const spec = JSON.parse(stackConfig("spring-ds100")["course-hubs:hub"]) as HubSpec;
            assert.deepEqual([spec.adminUsers, spec.staffUsers], [["prof.lee@example.edu"], ["ta.kim@example.edu"]]);
            const { resources, error } = await deploy(stackConfig("spring-ds100"));
            assert.equal(error, undefined, String(error?.message));
            const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "jupyterhub")!;
            const { config, extraConfig } = unwrapSecrets(release.inputs.values).hub;
            const writers = extraConfig["course-hubs-shared-folder"] as string;
            const signIn = (email: string) => googleUsername(config.GoogleOAuthenticator, email);
            assert.ok(config.Authenticator.admin_users.includes(signIn("prof.lee@example.edu")), "the admin is an admin");
            assert.ok(config.Authenticator.allowed_users.includes(signIn("ta.kim@example.edu")), "the TA is allowed by name");
            const writerNames = JSON.parse(writers.match(/_course_hubs_writers = set\((\[.*\])\)/)![1]) as string[];
            assert.ok(writerNames.includes(signIn("ta.kim@example.edu")), "the TA writes to the shared folder");
        });

        it("the EC2 hub's jupyterhub_config.py, read by real JupyterHub, keeps the domain and normalizes the spec's names to themselves", () => {
            const spec: HubSpec = { ...MINIMAL_SPEC, auth: google(["example.edu"]), adminUsers: ["prof.lee@example.edu"], staffUsers: ["ta.kim@example.edu"] };
            const loaded = loadWithJupyterHub(spec);
            assert.equal(loaded.google.strip_domain, false);
            assert.deepEqual(loaded.admin_users, ["prof.lee@example.edu"]);
            assert.deepEqual(loaded.allowed_users, ["ta.kim@example.edu"]);
        });
    });

    it("every login renders the username rule its spec's names assume", () => {
        const config = (auth: AuthSpec) => authenticatorConfig({ ...MINIMAL_SPEC, auth });
        // GitHub: the login (github.py's default claim), nothing changed.
        assert.equal(config(AUTHS.github).config.GitHubOAuthenticator.username_claim, undefined);
        // Generic OIDC: the spec's claim, "email" unless it names another.
        assert.equal(config(AUTHS.genericOidc).config.GenericOAuthenticator.username_claim, "login_id");
        assert.equal(config({ ...AUTHS.genericOidc, usernameClaim: undefined } as AuthSpec).config.GenericOAuthenticator.username_claim, "email");
        // Azure AD: the UPN, not azuread.py's default display name.
        assert.equal(config(AUTHS.azuread).config.AzureAdOAuthenticator.username_claim, "preferred_username");
        // CILogon: the claim for every IdP, with no action that strips a domain or adds a prefix.
        const idps = config(AUTHS.cilogon).config.CILogonOAuthenticator.idps as Record<string, { username_derivation: Record<string, unknown> }>;
        assert.deepEqual(Object.values(idps).map((idp) => idp.username_derivation), [{ username_claim: "email" }]);
        // LDAP: the name typed at the login page (use_lookup_dn_username left at its default, False).
        for (const auth of [AUTHS.ldap, AUTHS.ldapTemplates]) {
            assert.equal(config(auth).config.LDAPAuthenticator.use_lookup_dn_username, undefined);
        }
    });

    describe("validateHubSpec refuses a name the login never gives, at its path, saying which names it gives", () => {
        const problems = (auth: AuthSpec, names: string[]) =>
            validateHubSpec({ ...MINIMAL_SPEC, auth, adminUsers: names, staffUsers: names, allowedUsers: names });
        const cases: { login: string; auth: AuthSpec; accepted: string[]; refused: string[]; says: RegExp }[] = [
            { login: "GitHub", auth: AUTHS.github, accepted: ["prof-smith", "ta1", "jdoe_acme"], refused: ["prof.lee@example.edu", "prof.lee"], says: /GitHub logins/ },
            {
                login: "Google", auth: google(["example.edu"]), accepted: ["prof.lee@example.edu", "guest@gmail.com"],
                refused: ["prof.lee", "prof-smith"], says: /full email addresses/,
            },
            { login: "Google without a hosted domain", auth: google([]), accepted: ["prof.lee@gmail.com"], refused: ["prof.lee"], says: /full email addresses/ },
            { login: "Azure AD", auth: AUTHS.azuread, accepted: ["prof.lee@example.edu"], refused: ["prof.lee"], says: /user principal names/ },
            { login: "CILogon (email)", auth: AUTHS.cilogon, accepted: ["prof.lee@example.edu"], refused: ["prof.lee"], says: /full email addresses/ },
            {
                login: "generic OIDC (email)", auth: { ...AUTHS.genericOidc, usernameClaim: "email" } as AuthSpec,
                accepted: ["prof.lee@example.edu"], refused: ["prof.lee"], says: /full email addresses/,
            },
            {
                login: "LDAP", auth: AUTHS.ldap, accepted: ["jdoe", "prof.lee", "ta_kim-2"],
                refused: ["prof.lee@example.edu", "2fast", "-jdoe"], says: /ldapauthenticator accepts only/,
            },
        ];
        for (const { login, auth, accepted, refused, says } of cases) {
            it(login, () => {
                assert.deepEqual(problems(auth, accepted), []);
                const found = problems(auth, refused);
                const lists = ["adminUsers", "staffUsers", "allowedUsers"];
                assert.deepEqual(found.map((p) => p.propertyPath).sort(), lists.flatMap((list) => refused.map((_, i) => `spec.${list}[${i}]`)).sort());
                for (const problem of found) {
                    assert.match(problem.reason, /^is not a username this login gives anyone: its usernames are /);
                    assert.match(problem.reason, says);
                }
            });
        }

        it("takes any name where the login does not fix a form: a claim course-hubs does not know, a shared password", () => {
            assert.deepEqual(problems(AUTHS.genericOidc, ["prof-smith", "prof.lee@example.edu"]), []);
            assert.deepEqual(problems({ ...AUTHS.cilogon, usernameClaim: "eppn" } as AuthSpec, ["prof.lee@example.edu", "x"]), []);
            assert.deepEqual(problems({ ...AUTHS.sharedPassword as SharedPasswordAuth, adminPassword: "a".repeat(32) }, ["student-1", "ann@example.edu"]), []);
        });

        it("refuses capitals and a slash under every login, saying what to write", () => {
            for (const auth of Object.values(AUTHS)) {
                const found = problems(auth, ["Prof.Lee@Example.edu", "cs/prof"]).filter((p) => p.propertyPath.startsWith("spec.adminUsers"));
                assert.equal(found[0].reason, "is not the name the hub sees: JupyterHub lowercases every username, so write \"prof.lee@example.edu\"");
                assert.match(found[1].reason, /has a "\/", which JupyterHub refuses/);
            }
        });

        it("accepts the names of every example stack", () => {
            for (const stack of ["fall-cs101", "spring-ds100", "summer-bootcamp", "dept-stats-cluster", "dept-stats-stat200"]) {
                // The client secret is config of its own (course-hubs:authClientSecret), not part of the spec here.
                const found = validateHubSpec(JSON.parse(stackConfig(stack)["course-hubs:hub"])).filter((p) => /Users\[/.test(p.propertyPath));
                assert.deepEqual(found, [], stack);
            }
        });
    });
});

/**
 * The EC2 hub's rendered jupyterhub_config.py loaded by real JupyterHub (Debian's, as .ci/run
 * installs it): the GoogleOAuthenticator section, and admin_users and allowed_users normalized as
 * JupyterHub's startup normalizes them.
 */
function loadWithJupyterHub(spec: HubSpec): { google: Record<string, unknown>; admin_users: string[]; allowed_users: string[] } {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "course-hubs-usernames-"));
    try {
        const userData = renderHubUserData({
            region: "us-east-1",
            fileSystemId: "fs-0123456789abcdef0",
            parameterPrefix: "/course-hubs/cs101-fall-2026",
            parameterKeyArn: "arn:aws:kms:us-east-1:123456789012:key/0c0ffee0-1234-4abc-9def-0123456789ab",
            spec: forEc2(spec),
        });
        const files = JSON.parse(userData.slice("#cloud-config\n".length)).write_files as { path: string; content: string }[];
        fs.writeFileSync(path.join(scratch, "jupyterhub_config.py"), files.find((f) => f.path === "/etc/course-hub/jupyterhub_config.py")!.content);
        const program = [
            "import json, sys",
            "from jupyterhub.auth import Authenticator",
            "from traitlets.config.loader import PyFileConfigLoader",
            "config = PyFileConfigLoader('jupyterhub_config.py', sys.argv[1]).load_config()",
            "authenticator = Authenticator(config=config)",
            "normalized = lambda names: sorted(authenticator.normalize_username(n) for n in names)",
            "print(json.dumps({'google': dict(config.GoogleOAuthenticator), 'admin_users': normalized(authenticator.admin_users),",
            "                  'allowed_users': normalized(authenticator.allowed_users)}, default=str))",
        ].join("\n");
        const env = { ...process.env, COURSE_HUB_AUTH_SECRET: "secret-from-the-environment" };
        return JSON.parse(execFileSync("/usr/bin/python3", ["-c", program, scratch], { encoding: "utf8", env }));
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}
