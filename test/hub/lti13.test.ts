import { strict as assert } from "node:assert";
import * as path from "node:path";
import { AuthSpec, HubSpec, authenticatorConfig, validateHubSpec } from "../../components";
import { LOGIN_CONSUMERS, runLoginModel } from "../support/logins";
import { AUTHS, MENU_PROFILE, MINIMAL_SPEC } from "../support/specs";

/*
 * LMS login through LTI 1.3 (ltiauthenticator 1.6.3): the LMS's course roles decide who is a hub
 * admin. ltiauthenticator never sets admin, so the hub's own login config does; each consumer's
 * config runs with real traitlets and JupyterHub's Authenticator, with the stand-in of
 * LTI13Authenticator and JupyterHub 5.5.1's order of checks in test/support/lti13_login_model.py.
 */

const MODEL = path.join(__dirname, "..", "support", "lti13_login_model.py");
const ROLES = "https://purl.imsglobal.org/spec/lti/claim/roles";
const MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership";

/** A launch token as Canvas signs it: roles as URIs of the LIS vocabularies. */
function launch(email: string, roles: string[]): Record<string, unknown> {
    return { sub: `sub-${email.split("@")[0]}`, email, [ROLES]: roles };
}

const INSTRUCTOR = launch("Prof.Lee@example.edu", [`${MEMBERSHIP}#Instructor`, "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty"]);
const COURSE_ADMIN = launch("it.admin@example.edu", ["Administrator"]);
const STUDENT = launch("jdoe@example.edu", [`${MEMBERSHIP}#Learner`]);
// An instructor elsewhere in the university, a learner in this course: the institution role is not a course role.
const FACULTY_STUDENT = launch("dr.auditor@example.edu", [`${MEMBERSHIP}#Learner`, "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor"]);
const TEACHING_ASSISTANT = launch("ta.kim@example.edu", [`${MEMBERSHIP}/Instructor#TeachingAssistant`]);
const LISTED_ADMIN = launch("head.ta@example.edu", [`${MEMBERSHIP}#Learner`]);

const SPEC: HubSpec = { ...MINIMAL_SPEC, auth: AUTHS.lti13, adminUsers: ["head.ta@example.edu"] };

/** The class the config file `config` makes JupyterHub log in with, and what becomes of each launch, in order. */
function logIn(config: string, tokens: Record<string, unknown>[]): { authenticatorClass: string; outcomes: string[] } {
    return runLoginModel(MODEL, config, tokens);
}

describe("LMS login through LTI 1.3 (ltiauthenticator 1.6.3)", () => {
    it("the spec is valid", () => {
        assert.deepEqual(validateHubSpec(SPEC), []);
    });

    for (const [consumer, render] of LOGIN_CONSUMERS) {
        describe(consumer, () => {
            it("makes the holders of the course's admin roles admins, and the names of adminUsers; everyone else a plain user", () => {
                const launches = [INSTRUCTOR, COURSE_ADMIN, STUDENT, FACULTY_STUDENT, TEACHING_ASSISTANT, LISTED_ADMIN];
                const { authenticatorClass, outcomes } = logIn(render(SPEC), launches);
                assert.equal(authenticatorClass, "ltiauthenticator.lti13.auth.LTI13Authenticator");
                assert.deepEqual(outcomes, [
                    "prof.lee@example.edu as admin",
                    "it.admin@example.edu as admin",
                    "jdoe@example.edu as user",
                    "dr.auditor@example.edu as user",
                    "ta.kim@example.edu as user",
                    "head.ta@example.edu as admin",
                ]);
            });

            it("with no admin roles, leaves admins to adminUsers and nobody else's status changes", () => {
                const spec = { ...SPEC, auth: { ...AUTHS.lti13, adminRoles: [] } as AuthSpec };
                assert.equal(authenticatorConfig(spec).python, undefined);
                assert.deepEqual(logIn(render(spec), [INSTRUCTOR, LISTED_ADMIN]).outcomes, ["prof.lee@example.edu unchanged", "head.ta@example.edu as admin"]);
            });

            it("names users by another claim of the launch token, or of its custom claim, and by sub where the claim is missing", () => {
                const custom = "https://purl.imsglobal.org/spec/lti/claim/custom";
                const spec = { ...SPEC, adminUsers: [], auth: { ...AUTHS.lti13, usernameClaim: "custom_login_id" } as AuthSpec };
                const withLogin = { ...STUDENT, [custom]: { login_id: "JDoe" } };
                assert.deepEqual(logIn(render(spec), [withLogin, STUDENT]).outcomes, ["jdoe as user", "sub-jdoe as user"]);
            });

            it("lets only the listed names in when allowedUsers lists some", () => {
                const spec = { ...SPEC, allowedUsers: ["jdoe@example.edu"] };
                assert.deepEqual(logIn(render(spec), [STUDENT, FACULTY_STUDENT, LISTED_ADMIN]).outcomes,
                    ["jdoe@example.edu as user", "refused", "head.ta@example.edu as admin"]);
            });
        });
    }
});

describe("LTI 1.3 login validation", () => {
    it("lets everyone the LMS launches in without any name listed", () => {
        assert.deepEqual(validateHubSpec({ ...MINIMAL_SPEC, auth: AUTHS.lti13 }), []);
    });

    it("refuses profiles limited to groups, which the login never gives", () => {
        const spec = { ...SPEC, server: { profiles: [MENU_PROFILE] } };
        const problems = validateHubSpec(spec);
        assert.deepEqual(problems.map((problem) => problem.propertyPath), ["spec.server.profiles[0].groups"]);
        assert.match(problems[0].reason, /ltiauthenticator 1\.6\.3 gives JupyterHub no groups/);
    });

    it("refuses endpoints that are not https URLs, at their paths", () => {
        const auth = { ...AUTHS.lti13, issuer: "canvas.instructure.com", jwksUrl: "http://sso.canvaslms.com/api/lti/security/jwks" } as AuthSpec;
        const paths = validateHubSpec({ ...SPEC, auth }).map((problem) => problem.propertyPath);
        assert.deepEqual(paths.sort(), ["spec.auth.issuer", "spec.auth.jwksUrl"]);
    });

    it("refuses an admin role that is not a context role's short name", () => {
        const auth = { ...AUTHS.lti13, adminRoles: [`${MEMBERSHIP}#Instructor`] } as AuthSpec;
        assert.deepEqual(validateHubSpec({ ...SPEC, auth }).map((problem) => problem.propertyPath), ["spec.auth.adminRoles[0]"]);
    });

    it("refuses listed names that are not email addresses with the email claim, and accepts any with another claim", () => {
        const problems = validateHubSpec({ ...SPEC, adminUsers: ["prof.lee"] });
        assert.deepEqual(problems.map((problem) => problem.propertyPath), ["spec.adminUsers[0]"]);
        assert.match(problems[0].reason, /full email addresses/);
        assert.deepEqual(validateHubSpec({ ...SPEC, adminUsers: ["prof.lee"], auth: { ...AUTHS.lti13, usernameClaim: "custom_login_id" } as AuthSpec }), []);
    });
});
