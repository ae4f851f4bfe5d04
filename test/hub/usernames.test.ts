import { strict as assert } from "node:assert";
import { AuthSpec, HubSpec, SharedPasswordAuth, authenticatorConfig, validateHubSpec } from "../../components";
import { unwrapSecrets } from "../setup-mocks";
import { loadEc2Login } from "../support/logins";
import { AUTHS, MINIMAL_SPEC } from "../support/specs";
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
 *   azuread.py l. 77-91: with tenant_id set and no authorize_url or token_url, the login goes through
 *   https://login.microsoftonline.com/<tenant>/oauth2/authorize and .../oauth2/token, Azure AD's v1.0
 *   endpoints; l. 93-101: the user's claims are those of the ID token they issue. Microsoft's ID token
 *   claims reference (MicrosoftDocs/entra-docs, docs/identity-platform/id-token-claims-reference.md):
 *   preferred_username is "Present only in v2.0 tokens", unique_name only in v1.0 tokens and for
 *   display only. Azure AD's v1.0 code grant guide (active-directory-protocols-oauth-code): the token
 *   endpoint's id_token decodes to ver 1.0 claims with upn ("User principal name of the user",
 *   frank@contoso.com) and unique_name, and no preferred_username.
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
            const loaded = loadEc2Login(spec);
            assert.equal(loaded.authenticator.GoogleOAuthenticator.strip_domain, false);
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
        // Azure AD: the UPN, not azuread.py's default display name (the describe below).
        assert.equal(config(AUTHS.azuread).config.AzureAdOAuthenticator.username_claim, "upn");
        // CILogon: an IdP of allowedIdps has the login's claim, with no action that strips a domain or adds a prefix
        // (identityProviders' own rules: test/hub/cilogon.test.ts).
        const idps = config(AUTHS.cilogon).config.CILogonOAuthenticator.idps as Record<string, { username_derivation: Record<string, unknown> }>;
        assert.deepEqual(idps["https://idp.example.edu/idp/shibboleth"].username_derivation, { username_claim: "email" });
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
            {
                login: "CILogon (email)", auth: { ...AUTHS.cilogon, identityProviders: undefined } as AuthSpec,
                accepted: ["prof.lee@example.edu"], refused: ["prof.lee"], says: /full email addresses/,
            },
            {
                // The eduPersonPrincipalName is scoped, user@scope (eduPerson schema), so a bare name never comes.
                login: "CILogon (eppn)", auth: { ...AUTHS.cilogon, identityProviders: undefined, usernameClaim: "eppn" } as AuthSpec,
                accepted: ["jdoe@example.edu"], refused: ["jdoe"], says: /eduPersonPrincipalNames \(user@scope\)/,
            },
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
            assert.deepEqual(problems({ ...AUTHS.cilogon, usernameClaim: "sub" } as AuthSpec, ["prof.lee@example.edu", "x"]), []);
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

describe("usernames: Azure AD (AzureAdOAuthenticator 17.4.0) logs people in under their user principal name", () => {
    /** The claims of a v1.0 ID token for a member of the tenant, shaped as Microsoft's v1.0 token reference shows them. */
    const V1_ID_TOKEN: Record<string, string> = {
        ver: "1.0", iss: "https://sts.windows.net/0b5a2c1e-3f4d-4e6a-9b8c-7d6e5f4a3b2c/", tid: "0b5a2c1e-3f4d-4e6a-9b8c-7d6e5f4a3b2c",
        oid: "68389ae2-62fa-4b18-91fe-53dd109d74f5", sub: "JWvYdCWPhhlpS1Zsf7yYUxShUwtUm5yzPmw_-jX3fHY",
        upn: "Prof.Lee@example.edu", unique_name: "Prof.Lee@example.edu", name: "Prof. Ann Lee", given_name: "Ann", family_name: "Lee",
    };

    it("keeps oauthenticator's v1.0 endpoints and reads the claim in which their ID token carries the UPN", () => {
        const spec: HubSpec = { ...MINIMAL_SPEC, auth: AUTHS.azuread, adminUsers: ["prof.lee@example.edu"] };
        assert.deepEqual(validateHubSpec(spec), []);
        const { config } = authenticatorConfig(spec);
        const settings = config.AzureAdOAuthenticator;
        assert.equal(settings.authorize_url, undefined, "the v1.0 endpoint");
        assert.equal(settings.token_url, undefined, "the v1.0 endpoint");
        // oauth2.py l. 1005-1014: a claim the token lacks fails every login.
        const claimed = V1_ID_TOKEN[settings.username_claim as string];
        assert.ok(claimed, `a v1.0 ID token has no ${settings.username_claim}: every login would fail`);
        assert.ok((config.Authenticator.admin_users as string[]).includes(claimed.toLowerCase()), "the admin logs in as an admin");
    });
});
