import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { EC2AutoscaleHub, HubSpec, JupyterHub, SharedPasswordAuth, authenticatorConfig, renderHubUserData, validateHubSpec } from "../../components";
import { isSecret, plaintextOccurrences, unwrapSecrets } from "../setup-mocks";
import { one, run } from "../support/program";
import { MINIMAL_SPEC, SHARED_PASSWORD, forEc2 } from "../support/specs";
import { deploy, stackConfig } from "../support/stacks";

/*
 * JupyterHub 5.5's SharedPasswordAuthenticator (jupyterhub/authenticators/shared.py at 5.5.0)
 * admits a name of admin_users only with admin_password: at least 32 characters, and never the
 * class password (user_password), or the hub refuses to start.
 */

const ADMIN_PASSWORD = "admin-password-PLAINTEXT-MUST-NOT-LEAK-0123456789";
const LOGIN: SharedPasswordAuth = { type: "sharedPassword", password: SHARED_PASSWORD, adminPassword: ADMIN_PASSWORD, acknowledgeInsecure: true };
const WORKSHOP: HubSpec = { ...MINIMAL_SPEC, auth: LOGIN, adminUsers: ["instructor"] };

const problemsAt = (spec: unknown, propertyPath: string) => validateHubSpec(spec).filter((p) => p.propertyPath === propertyPath);

describe("shared-password login with admins", () => {
    it("renders the admins' password as a secret of its own, beside the class password", () => {
        const { config, secrets } = authenticatorConfig(WORKSHOP);
        assert.deepEqual(secrets.map((s) => [s.section, s.trait, s.value]), [
            ["SharedPasswordAuthenticator", "user_password", SHARED_PASSWORD],
            ["SharedPasswordAuthenticator", "admin_password", ADMIN_PASSWORD],
        ]);
        assert.ok(!JSON.stringify(config).includes(ADMIN_PASSWORD), "no password among the plain settings");
        assert.deepEqual(authenticatorConfig({ ...WORKSHOP, adminUsers: [], auth: { ...LOGIN, adminPassword: undefined } }).secrets
            .map((s) => s.trait), ["user_password"]);
    });

    it("puts it in the hub's credentials Secret on Kubernetes, and nowhere in plaintext", async () => {
        const resources = await run(() => new JupyterHub("cs101", {
            spec: WORKSHOP, provider: new Provider("cs101-cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" }),
        }));
        const credentials = one(resources, "kubernetes:core/v1:Secret");
        assert.ok(isSecret(credentials.inputs.stringData));
        const values = JSON.parse(unwrapSecrets(credentials.inputs.stringData)["values.yaml"]);
        assert.deepEqual(values.hub.config.SharedPasswordAuthenticator, { user_password: SHARED_PASSWORD, admin_password: ADMIN_PASSWORD });
        assert.deepEqual(plaintextOccurrences(ADMIN_PASSWORD, resources), []);
    });

    it("on EC2, reads it from the environment in jupyterhub_config.py and keeps it in an SSM SecureString of its own", async () => {
        const userData = renderHubUserData({
            region: "us-east-1", fileSystemId: "fs-0123456789abcdef0", parameterPrefix: "/course-hubs/cs101-fall-2026",
            parameterKeyArn: "arn:aws:kms:us-east-1:123456789012:key/0c0ffee0-1234-4abc-9def-0123456789ab", spec: forEc2(WORKSHOP),
        });
        assert.match(userData, /c\.SharedPasswordAuthenticator\.admin_password = os\.environ\[/);
        assert.ok(!userData.includes(ADMIN_PASSWORD));
        const resources = await run(() => new EC2AutoscaleHub("cs101", { spec: WORKSHOP, hub: { instanceType: "t4g.large" }, workers: false }));
        const parameters = resources.filter((r) => r.type === "aws:ssm/parameter:Parameter" && r.name.startsWith("cs101-auth-secret"));
        assert.deepEqual(parameters.map((p) => [p.name, p.inputs.type, isSecret(p.inputs.value), unwrapSecrets(p.inputs.value)]), [
            ["cs101-auth-secret", "SecureString", true, SHARED_PASSWORD],
            ["cs101-auth-secret-2", "SecureString", true, ADMIN_PASSWORD],
        ]);
        assert.deepEqual(plaintextOccurrences(ADMIN_PASSWORD, resources), []);
    });

    it("refuses adminUsers without it, saying why and which stack secret sets it", () => {
        const problems = problemsAt({ ...WORKSHOP, auth: { ...LOGIN, adminPassword: undefined } }, "spec.auth.adminPassword");
        assert.equal(problems.length, 1);
        assert.match(problems[0].reason, /^is required with adminUsers: .*without it they could not log in/);
        assert.match(problems[0].reason, /pulumi config set --secret course-hubs:sharedAdminPassword/);
        assert.deepEqual(validateHubSpec({ ...WORKSHOP, adminUsers: [], auth: { ...LOGIN, adminPassword: undefined } }), []);
    });

    it("refuses what JupyterHub refuses: the class password, fewer than 32 characters; Outputs are left to the deployment", () => {
        const same = problemsAt({ ...WORKSHOP, auth: { ...LOGIN, password: ADMIN_PASSWORD } }, "spec.auth.adminPassword");
        assert.deepEqual(same.map((p) => p.reason),
            ["is the class password: JupyterHub refuses to start when the two are the same, so choose another for the admins"]);
        const short = problemsAt({ ...WORKSHOP, auth: { ...LOGIN, adminPassword: "a".repeat(31) } }, "spec.auth.adminPassword");
        assert.deepEqual(short.map((p) => p.reason), ["must be at least 32 characters long"]);
        assert.deepEqual(validateHubSpec({ ...WORKSHOP, auth: { ...LOGIN, adminPassword: pulumi.secret("short") } }), []);
        assert.deepEqual(validateHubSpec(WORKSHOP), []);
    });

    describe("in a course stack", () => {
        const config = stackConfig("dept-stats-stat200");
        const hub = { ...JSON.parse(config["course-hubs:hub"]), auth: { type: "sharedPassword", acknowledgeInsecure: true }, adminUsers: ["instructor"] };
        const workshop = { ...config, "course-hubs:hub": JSON.stringify(hub) };
        const secrets = ["course-hubs:sharedPassword", "course-hubs:sharedAdminPassword"];

        it("reads course-hubs:sharedAdminPassword into the hub's admin password", async () => {
            const { error, resources } = await deploy(workshop, secrets);
            assert.equal(error, undefined, String(error?.message));
            const values = JSON.parse(unwrapSecrets(one(resources, "kubernetes:core/v1:Secret").inputs.stringData)["values.yaml"]);
            assert.deepEqual(Object.keys(values.hub.config.SharedPasswordAuthenticator), ["user_password", "admin_password"]);
            const { error: missing } = await deploy(workshop, ["course-hubs:sharedPassword"]);
            assert.match(missing.message, /course-hubs:hub\.auth\.adminPassword: is required with adminUsers/);
        });

        it("refuses it in plain text, in its own key or in the hub", async () => {
            const { error } = await deploy({ ...workshop, "course-hubs:sharedAdminPassword": ADMIN_PASSWORD }, ["course-hubs:sharedPassword"]);
            assert.match(error.message, /course-hubs:sharedAdminPassword: is written in plain text in the stack file/);
            const inHub = { ...config, "course-hubs:hub": JSON.stringify({ ...hub, auth: { ...hub.auth, adminPassword: ADMIN_PASSWORD } }) };
            const { error: refused } = await deploy(inHub, secrets);
            assert.match(refused.message, /course-hubs:hub\.auth\.adminPassword: is a secret, in plain text in the stack file: .*course-hubs:sharedAdminPassword/);
        });
    });
});
