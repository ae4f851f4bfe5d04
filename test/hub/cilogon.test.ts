import { strict as assert } from "node:assert";
import { AuthSpec, CILogonAuth, HubSpec, authenticatorConfig, validateHubSpec } from "../../components";
import { loadEc2Login } from "../support/logins";
import { CLIENT_SECRET, MINIMAL_SPEC } from "../support/specs";

/*
 * CILogon with several identity providers, checked against how oauthenticator 17.4.0 (the z2jh
 * 4.4.0 hub image's, tag commit cf70f251) reads `CILogonOAuthenticator.idps`. Written by hand from
 * its sources, not from the code under test (oauthenticator is not installable here):
 *
 * - oauthenticator/schemas/cilogon-schema.yaml: an entry has only allow_all, allowed_domains,
 *   allowed_domains_claim, default and username_derivation (required); username_derivation has
 *   only username_claim (required), action (strip_idp_domain or prefix), domain (required with
 *   strip_idp_domain) and prefix (required with prefix). cilogon.py l. 229-249 validates every
 *   entry against it and refuses an entity ID whose scheme is not urn, https or http.
 * - cilogon.py l. 350-363: a login from an IdP that is not a key of idps is refused (403).
 *   l. 365-380: the username is the value of the IdP's username_claim. l. 382-400: with
 *   strip_idp_domain, "@domain" is removed when the value ends in it (compared in lowercase);
 *   with prefix, "prefix:" is put before it. Then JupyterHub lowercases it (normalize_username).
 * - cilogon.py l. 402-445 (check_allowed): the names of allowed_users and admin_users, and the
 *   class's allow_all (OAuthenticator.check_allowed), then the IdP's allow_all, then its
 *   allowed_domains matched with fnmatch against the domain of allowed_domains_claim's value (an
 *   error when the claim is missing), else of the username claim's value before any action.
 */

const UNIVERSITY = "https://idp.example.edu/idp/shibboleth";
const GOOGLE = "http://google.com/accounts/o8/id";
const MICROSOFT = "http://login.microsoftonline.com/common/oauth2/v2.0/authorize";

type IdpEntry = {
    username_derivation: { username_claim: string; action?: string; domain?: string; prefix?: string };
    allow_all?: boolean;
    allowed_domains?: string[];
    allowed_domains_claim?: string;
    default?: boolean;
};
type UserInfo = Record<string, string>;

/** Why an `idps` entry would make CILogonOAuthenticator 17.4.0 refuse to start (its schema, its entity-ID check), or []. */
function idpEntryProblems(entityId: string, entry: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const unknown = (object: object, known: string[]) => Object.keys(object).filter((key) => !known.includes(key));
    const keys = ["allow_all", "allowed_domains", "allowed_domains_claim", "default", "username_derivation"];
    problems.push(...unknown(entry, keys).map((k) => `unknown key ${k}`));
    const derivation = entry.username_derivation as Record<string, unknown> | undefined;
    if (derivation === undefined) {
        return [...problems, "no username_derivation"];
    }
    problems.push(...unknown(derivation, ["username_claim", "action", "domain", "prefix"]).map((k) => `unknown key username_derivation.${k}`));
    if (typeof derivation.username_claim !== "string") {
        problems.push("no username_claim");
    }
    if (derivation.action !== undefined && !["strip_idp_domain", "prefix"].includes(derivation.action as string)) {
        problems.push(`unknown action ${derivation.action}`);
    }
    if (derivation.action === "strip_idp_domain" && typeof derivation.domain !== "string") {
        problems.push("strip_idp_domain without domain");
    }
    if (derivation.action === "prefix" && typeof derivation.prefix !== "string") {
        problems.push("prefix without prefix");
    }
    if (!/^(urn|https|http):/.test(entityId)) {
        problems.push(`entity ID ${entityId} is not urn, https or http`);
    }
    return problems;
}

/** The username CILogonOAuthenticator gives `user` (cilogon.py l. 350-400), lowercased as JupyterHub does. */
function cilogonUsername(idps: Record<string, IdpEntry>, user: UserInfo): string {
    const idp = idps[user.idp];
    if (!idp) {
        throw new Error(`403: Login with identity provider ${user.idp} is not pre-configured`);
    }
    const derivation = idp.username_derivation;
    let username = user[derivation.username_claim];
    if (!username) {
        throw new Error(`500: Configured username_claim ${derivation.username_claim} for ${user.idp} was not found`);
    }
    if (derivation.action === "strip_idp_domain") {
        const suffix = `@${derivation.domain}`;
        if (username.toLowerCase().endsWith(suffix.toLowerCase())) {
            username = username.slice(0, -suffix.length);
        }
    } else if (derivation.action === "prefix") {
        username = `${derivation.prefix}:${username}`;
    }
    return username.toLowerCase();
}

/** Python's fnmatch (POSIX: case as given): `*` any run, `?` one character, the rest literal. */
function fnmatch(name: string, pattern: string): boolean {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${source}$`).test(name);
}

/** Whether CILogonOAuthenticator admits `user`, logged in as `username` (check_allowed, cilogon.py l. 402-445). */
function cilogonAllows(config: Record<string, Record<string, unknown>>, username: string, user: UserInfo): boolean {
    const names = [...(config.Authenticator.admin_users as string[]), ...((config.Authenticator.allowed_users ?? []) as string[])];
    const section = config.CILogonOAuthenticator;
    if (names.includes(username) || section.allow_all === true) {
        return true;
    }
    const idp = (section.idps as Record<string, IdpEntry>)[user.idp];
    if (idp.allow_all) {
        return true;
    }
    if ((idp.allowed_domains ?? []).length === 0) {
        return false;
    }
    const raw = user[idp.allowed_domains_claim ?? idp.username_derivation.username_claim];
    if (!raw) {
        throw new Error(`500: Configured allowed_domains_claim ${idp.allowed_domains_claim} for ${user.idp} was not found`);
    }
    const domain = raw.split("@").pop()!.toLowerCase();
    return idp.allowed_domains!.map((d) => d.toLowerCase()).some((pattern) => fnmatch(domain, pattern));
}

const cilogon = (fields: Partial<CILogonAuth>): AuthSpec =>
    ({ type: "oidc", provider: "cilogon", clientId: "cilogon:/client_id/1234", clientSecret: CLIENT_SECRET, ...fields } as AuthSpec);

/**
 * The shape of the hubs 2i2c runs for universities: the university's SAML IdP for students and
 * staff, the eppn without "@example.edu" as the username and everyone admitted; Google for guests,
 * prefixed so their names never collide with the university's, admitted from partner domains or by name.
 */
const MULTI_IDP: HubSpec = {
    ...MINIMAL_SPEC,
    auth: cilogon({
        identityProviders: [
            { entityId: UNIVERSITY, usernameClaim: "eppn", stripDomain: "example.edu", allowAll: true },
            { entityId: GOOGLE, usernamePrefix: "google", allowedDomains: ["partner.org", "*.partner.org"] },
        ],
    }),
    adminUsers: ["prof.lee"],
    staffUsers: ["google:ta.kim@gmail.com"],
    allowedUsers: ["visitor@other.edu"],
};

const idpsOf = (spec: HubSpec) => authenticatorConfig(spec).config.CILogonOAuthenticator.idps as Record<string, IdpEntry>;

describe("CILogon with several identity providers (CILogonOAuthenticator 17.4.0)", () => {
    it("renders one entry per IdP, in the spec's order, each one oauthenticator accepts", () => {
        const idps = idpsOf(MULTI_IDP);
        assert.deepEqual(Object.keys(idps), [UNIVERSITY, GOOGLE]);
        // CILogon pre-selects the first entry marked default (cilogon.py l. 27-29): the hub reads the
        // chart's values as Helm writes them, keys sorted, so the order alone would not say which.
        assert.deepEqual(Object.keys(idps).filter((id) => idps[id].default), [UNIVERSITY], "the first IdP listed is pre-selected");
        for (const [entityId, entry] of Object.entries(idps)) {
            assert.deepEqual(idpEntryProblems(entityId, entry), [], entityId);
        }
        assert.deepEqual(idps[UNIVERSITY].username_derivation, { username_claim: "eppn", action: "strip_idp_domain", domain: "example.edu" });
        assert.deepEqual(idps[GOOGLE].username_derivation, { username_claim: "email", action: "prefix", prefix: "google" });
        assert.equal(authenticatorConfig(MULTI_IDP).config.CILogonOAuthenticator.allow_all, undefined, "no IdP's rule is overridden");
    });

    it("keeps the simple form: every IdP of allowedIdps with the login's claim and allow rule, and nothing else", () => {
        const spec = { ...MINIMAL_SPEC, auth: cilogon({ allowedIdps: [UNIVERSITY, MICROSOFT], usernameClaim: "eppn", allowAllAuthenticated: true }) };
        assert.deepEqual(validateHubSpec(spec), []);
        const entry = { username_derivation: { username_claim: "eppn" }, allow_all: true };
        assert.deepEqual(idpsOf(spec), { [UNIVERSITY]: { ...entry, default: true }, [MICROSOFT]: entry });
        // Both forms at once: the simple ones first, the login's claim where an IdP names none.
        const both = idpsOf({ ...MINIMAL_SPEC, auth: cilogon({ allowedIdps: [UNIVERSITY], identityProviders: [{ entityId: GOOGLE, allowAll: true }] }) });
        assert.deepEqual(Object.keys(both), [UNIVERSITY, GOOGLE]);
        assert.deepEqual(both, {
            [UNIVERSITY]: { username_derivation: { username_claim: "email" }, default: true },
            [GOOGLE]: { username_derivation: { username_claim: "email" }, allow_all: true },
        });
    });

    it("logs each person in under the name the spec lists, admitted by their IdP's rule", () => {
        assert.deepEqual(validateHubSpec(MULTI_IDP), []);
        const { config } = authenticatorConfig(MULTI_IDP);
        const idps = config.CILogonOAuthenticator.idps as Record<string, IdpEntry>;
        const people: { who: string; user: UserInfo; username: string; allowed: boolean }[] = [
            { who: "the professor", user: { idp: UNIVERSITY, eppn: "Prof.Lee@example.edu", email: "lee@cs.example.edu" }, username: "prof.lee", allowed: true },
            { who: "a student", user: { idp: UNIVERSITY, eppn: "jdoe@EXAMPLE.EDU" }, username: "jdoe", allowed: true },
            { who: "a visitor scoped elsewhere", user: { idp: UNIVERSITY, eppn: "visitor@other.edu" }, username: "visitor@other.edu", allowed: true },
            { who: "the TA, a guest", user: { idp: GOOGLE, email: "Ta.Kim@gmail.com" }, username: "google:ta.kim@gmail.com", allowed: true },
            { who: "a partner", user: { idp: GOOGLE, email: "bob@partner.org" }, username: "google:bob@partner.org", allowed: true },
            { who: "a partner's department", user: { idp: GOOGLE, email: "eve@lab.partner.org" }, username: "google:eve@lab.partner.org", allowed: true },
            { who: "anyone else on Google", user: { idp: GOOGLE, email: "mallory@gmail.com" }, username: "google:mallory@gmail.com", allowed: false },
        ];
        for (const { who, user, username, allowed } of people) {
            assert.equal(cilogonUsername(idps, user), username, who);
            assert.equal(cilogonAllows(config, username, user), allowed, who);
        }
        assert.ok((config.Authenticator.admin_users as string[]).includes("prof.lee"), "the professor is an admin");
        assert.throws(() => cilogonUsername(idps, { idp: MICROSOFT, email: "x@example.edu" }), /403/, "an IdP the spec does not list");
        // Every name the login gives passes the spec's own check of listed names.
        assert.deepEqual(validateHubSpec({ ...MULTI_IDP, allowedUsers: people.map((p) => p.username) }), []);
    });

    it("admits by the domain of the email address, whatever claim the username comes from", () => {
        const auth = cilogon({ identityProviders: [{ entityId: UNIVERSITY, usernameClaim: "eppn", allowedDomains: ["partner.org"] }] });
        const spec = { ...MINIMAL_SPEC, auth };
        const { config } = authenticatorConfig(spec);
        const user = { idp: UNIVERSITY, eppn: "bob@lab.example.edu", email: "bob@partner.org" };
        assert.equal(cilogonAllows(config, cilogonUsername(config.CILogonOAuthenticator.idps as Record<string, IdpEntry>, user), user), true);
        assert.equal(cilogonAllows(config, "eve@partner.org", { idp: UNIVERSITY, eppn: "eve@partner.org", email: "eve@gmail.com" }), false);
    });

    it("refuses a listed name no IdP gives, naming each IdP's form", () => {
        // An address of another domain could be an eppn scoped elsewhere: the university's IdP keeps it.
        assert.deepEqual(validateHubSpec({ ...MULTI_IDP, allowedUsers: ["ta.kim@gmail.com"] }), []);
        const names = ["prof.lee@example.edu", "google:ta.kim", "github:prof-smith"];
        const problems = validateHubSpec({ ...MULTI_IDP, allowedUsers: names });
        assert.deepEqual(problems.map((p) => p.propertyPath), names.map((_, i) => `spec.allowedUsers[${i}]`));
        for (const problem of problems) {
            assert.match(problem.reason, /^is not a username this login gives anyone: its usernames are by identity provider: /);
            assert.ok(problem.reason.includes(`from ${UNIVERSITY}, eduPersonPrincipalNames (user@scope) with "@example.edu" removed, such as jdoe`));
            assert.ok(problem.reason.includes(`from ${GOOGLE}, "google:" followed by a full email address, such as google:ann@gmail.com`));
        }
    });

    it("checks names per IdP form: stripped or not, prefixed or not, a claim it does not know", () => {
        const only = (idp: object, names: string[]) =>
            validateHubSpec({ ...MINIMAL_SPEC, auth: cilogon({ identityProviders: [{ entityId: UNIVERSITY, allowAll: true, ...idp }] }), allowedUsers: names })
                .map((p) => p.propertyPath);
        assert.deepEqual(only({}, ["ann@example.edu", "ann"]), ["spec.allowedUsers[1]"]);
        assert.deepEqual(only({ stripDomain: "example.edu" }, ["ann", "ann@med.example.edu", "ann@example.edu"]), ["spec.allowedUsers[2]"]);
        assert.deepEqual(only({ usernamePrefix: "uni" }, ["uni:ann@example.edu", "ann@example.edu", "uni:ann"]),
            ["spec.allowedUsers[1]", "spec.allowedUsers[2]"]);
        // A claim course-hubs knows nothing of: any name, unless the action fixes part of it.
        assert.deepEqual(only({ usernameClaim: "uid" }, ["ann.lee", "uni:ann"]), []);
        assert.deepEqual(only({ usernameClaim: "uid", usernamePrefix: "uni" }, ["uni:ann.lee", "ann"]), ["spec.allowedUsers[1]"]);
        assert.deepEqual(only({ usernameClaim: "uid", stripDomain: "example.edu" }, ["ann", "ann@example.edu"]), ["spec.allowedUsers[1]"]);
    });

    describe("refuses a configuration oauthenticator would run otherwise than it reads, at its path", () => {
        const problemsOf = (fields: Partial<CILogonAuth>, users: Partial<HubSpec> = { adminUsers: ["ann@example.edu"] }) =>
            validateHubSpec({ ...MINIMAL_SPEC, auth: cilogon(fields), ...users });

        it("no identity provider at all", () => {
            const problems = problemsOf({});
            assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.auth.allowedIdps"]);
            assert.match(problems[0].reason, /list at least one identity provider/);
        });

        it("an IdP listed twice (the keys of idps are unique)", () => {
            const problems = problemsOf({ allowedIdps: [UNIVERSITY], identityProviders: [{ entityId: GOOGLE }, { entityId: UNIVERSITY }] });
            assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.auth.identityProviders[1].entityId"]);
            assert.match(problems[0].reason, /is listed already/);
            assert.deepEqual(problemsOf({ allowedIdps: [GOOGLE, GOOGLE] }).map((p) => p.propertyPath), ["spec.auth.allowedIdps[1]"]);
        });

        it("a domain stripped and a prefix added (one action per IdP)", () => {
            const problems = problemsOf({ identityProviders: [{ entityId: UNIVERSITY, stripDomain: "example.edu", usernamePrefix: "uni" }] },
                { adminUsers: ["uni:ann@example.edu"] });
            assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.auth.identityProviders[0].usernamePrefix"]);
            assert.match(problems[0].reason, /stripDomain or usernamePrefix, not both/);
        });

        it("an allow rule that a wider one makes void", () => {
            const narrower = problemsOf({
                allowAllAuthenticated: true,
                identityProviders: [{ entityId: UNIVERSITY, allowAll: false }, { entityId: GOOGLE, allowedDomains: ["example.edu"] }],
            });
            assert.deepEqual(narrower.map((p) => p.propertyPath), ["spec.auth.allowAllAuthenticated"]);
            assert.match(narrower[0].reason,
                /^lets every user of every identity provider in, so identityProviders\[0\]\.allowAll and identityProviders\[1\]\.allowedDomains would have no effect/);
            const both = problemsOf({ identityProviders: [{ entityId: GOOGLE, allowAll: true, allowedDomains: ["example.edu"] }] });
            assert.deepEqual(both.map((p) => p.propertyPath), ["spec.auth.identityProviders[0].allowedDomains"]);
            assert.match(both[0].reason, /allowAll already lets every user of this identity provider in/);
        });

        it("a hub nobody could log in to, and one whose IdP admits some by their domain", () => {
            const nobody = problemsOf({ identityProviders: [{ entityId: GOOGLE, usernamePrefix: "google" }] }, {});
            assert.deepEqual(nobody.map((p) => p.propertyPath), ["spec.auth"]);
            assert.match(nobody[0].reason, /nobody could log in: .*an identity provider's allowAll or allowedDomains/);
            assert.deepEqual(problemsOf({ identityProviders: [{ entityId: GOOGLE, allowedDomains: ["example.edu"] }] }, {}), []);
            assert.deepEqual(problemsOf({ identityProviders: [{ entityId: GOOGLE, allowAll: true }] }, {}), []);
        });

        it("a prefix or a domain pattern of another shape (the schema's)", () => {
            const google = { entityId: GOOGLE, usernamePrefix: "Google:", allowedDomains: ["@example.edu", "*example.edu"] };
            const problems = problemsOf({ identityProviders: [google] });
            const at = "spec.auth.identityProviders[0]";
            assert.deepEqual(problems.map((p) => p.propertyPath).sort(), [`${at}.allowedDomains[0]`, `${at}.allowedDomains[1]`, `${at}.usernamePrefix`]);
        });
    });

    it("the EC2 hub's jupyterhub_config.py, read by real JupyterHub, holds the same idps and the listed names as they log in", () => {
        const loaded = loadEc2Login(MULTI_IDP);
        assert.deepEqual(loaded.authenticator.CILogonOAuthenticator.idps, idpsOf(MULTI_IDP));
        assert.deepEqual(loaded.admin_users, ["prof.lee"]);
        assert.deepEqual(loaded.allowed_users, ["google:ta.kim@gmail.com", "visitor@other.edu"]);
    });
});
