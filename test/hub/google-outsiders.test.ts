import { strict as assert } from "node:assert";
import * as path from "node:path";
import { AuthSpec, authenticatorConfig, validateHubSpec } from "../../components";
import { GOOGLE_LOGINS, GOOGLE_OUTSIDERS_SPEC as OUTSIDERS, GoogleAccount } from "../support/google-logins";
import { LOGIN_CONSUMERS, runLoginModel } from "../support/logins";
import { AUTHS } from "../support/specs";

/*
 * Google login for a Workspace domain plus named outsiders (2i2c's cloudbank/ccsf: outside tutors
 * and admins). oauthenticator 17.4.0 blocks every account whose hd claim is not one of
 * hosted_domain before any allow list is read, so the hub's own login config must let the listed
 * outsiders in, and nobody else. Each consumer's config is run with real traitlets and JupyterHub's
 * Authenticator, with the stand-in of GoogleOAuthenticator and JupyterHub 5.5's order of checks in
 * test/support/google_login_model.py (written from oauthenticator's and JupyterHub's sources).
 */

const MODEL = path.join(__dirname, "..", "support", "google_login_model.py");

/** The class the config file `config` makes JupyterHub log in with, and what becomes of each account's login, in order. */
function logIn(config: string, accounts: GoogleAccount[]): { authenticatorClass: string; outcomes: string[] } {
    return runLoginModel(MODEL, config, accounts);
}

describe("Google login for a Workspace domain plus named outsiders (oauthenticator 17.4.0)", () => {
    it("the spec is valid: outsiders are listed by their full email address", () => {
        assert.deepEqual(validateHubSpec(OUTSIDERS), []);
    });

    for (const [consumer, render] of LOGIN_CONSUMERS) {
        describe(consumer, () => {
            it("lets the listed outsiders in, and the Workspace's members; blocks everyone else outside it", () => {
                const logins = Object.entries(GOOGLE_LOGINS);
                const { authenticatorClass, outcomes } = logIn(render(OUTSIDERS), logins.map(([, login]) => login.account));
                assert.equal(authenticatorClass, "CourseHubsGoogleOAuthenticator");
                const expected = Object.fromEntries(logins.map(([who, login]) => [who, login.outcome]));
                assert.deepEqual(Object.fromEntries(logins.map(([who], i) => [who, outcomes[i]])), expected);
            });

            it("still blocks a listed outsider who is in blocked_users", () => {
                const config = `${render(OUTSIDERS)}\nc.Authenticator.blocked_users = {"ta.kim@othercollege.edu"}\n`;
                const { outcomes } = logIn(config, [GOOGLE_LOGINS.outsideStaff.account, GOOGLE_LOGINS.outsideVisitor.account]);
                assert.deepEqual(outcomes, ["blocked", "logged in as visitor@gmail.com"]);
            });

            it("renders Google's own class where no listed name is outside the hosted domains, or no domain restricts the login", () => {
                const insidersOnly = { ...OUTSIDERS, adminUsers: ["prof.lee@example.edu"], staffUsers: ["ta.kim@example.edu"], allowedUsers: [] };
                const noDomains = { ...OUTSIDERS, auth: { ...AUTHS.google, hostedDomains: undefined } as AuthSpec };
                for (const spec of [insidersOnly, noDomains]) {
                    assert.equal(authenticatorConfig(spec).python, undefined);
                    assert.equal(logIn(render(spec), [GOOGLE_LOGINS.student.account]).authenticatorClass, "GoogleOAuthenticator");
                }
                // Without the subclass, oauthenticator blocks every outsider: what this fix is for.
                const { outcomes } = logIn(render(insidersOnly), [GOOGLE_LOGINS.outsideVisitor.account, GOOGLE_LOGINS.student.account]);
                assert.deepEqual(outcomes, ["blocked", "logged in as jdoe@example.edu"]);
            });
        });
    }
});
