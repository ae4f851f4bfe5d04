import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { JupyterHub, JupyterHubArgs } from "../../components";
import { isSecret, mockRandomHex, plaintextOccurrences, resetRecording, settled, unwrapSecrets } from "../setup-mocks";
import { capturingWarnings, duplicateNames, one, run, runExpectingError } from "../support/program";
import { AUTHS, BIND_PASSWORD, CLIENT_SECRET, FULL_PLATFORM, MAXIMAL_SPEC, MINIMAL_SPEC, SHARED_ADMIN_PASSWORD, SHARED_PASSWORD } from "../support/specs";
import { z2jhSchemaErrors } from "../support/z2jh-schema";
import { EXPECTED_LOGINS } from "../support/logins";

const COMPONENT = "course-hubs:k8s:JupyterHub";
const RELEASE = "kubernetes:helm.sh/v3:Release";


function hub(name: string, args: Omit<JupyterHubArgs, "provider">): JupyterHub {
    const provider = new Provider(`${name}-cluster`, { kubeconfig: "apiVersion: v1\nkind: Config\n" });
    return new JupyterHub(name, { provider, ...args });
}

describe("JupyterHub under Pulumi mocks", () => {
    it("installs the z2jh chart with schema-valid, secret values", async () => {
        const resources = await run(() => hub("cs101", { spec: MINIMAL_SPEC }));
        const release = one(resources, RELEASE, "cs101-release");
        assert.ok(isSecret(release.inputs.values), "the release values must be a Pulumi secret");
        assert.equal(release.inputs.chart, "jupyterhub");
        assert.equal(release.inputs.version, "4.4.0");
        assert.equal(release.inputs.repositoryOpts.repo, "https://hub.jupyter.org/helm-chart/");
        assert.equal(release.inputs.namespace, "cs101-fall-2026");
        const values = unwrapSecrets(release.inputs.values);
        assert.deepEqual(z2jhSchemaErrors(values), []);
        assert.equal(values.proxy.secretToken, mockRandomHex("cs101-proxy-token"));
        assert.equal(values.hub.existingSecret, "course-hub-credentials");
    });

    it("keeps every secret secret: client secret, cookie secret, crypt key, proxy token", async () => {
        const resources = await run(() => hub("cs101", { spec: MINIMAL_SPEC }));
        const credentials = one(resources, "kubernetes:core/v1:Secret");
        assert.ok(isSecret(credentials.inputs.stringData), "the credentials Secret's data must be a Pulumi secret");
        const data = unwrapSecrets(credentials.inputs.stringData);
        assert.deepEqual(JSON.parse(data["values.yaml"]), { hub: { config: { GitHubOAuthenticator: { client_secret: CLIENT_SECRET } } } });
        assert.equal(data["hub.config.JupyterHub.cookie_secret"], mockRandomHex("cs101-cookie-secret"));
        assert.equal(data["hub.config.CryptKeeper.keys"], mockRandomHex("cs101-crypt-key"));
        for (const secret of [CLIENT_SECRET, ...["cookie-secret", "crypt-key", "proxy-token"].map((r) => mockRandomHex(`cs101-${r}`))]) {
            assert.deepEqual(plaintextOccurrences(secret, resources), [], `secret ${secret.slice(0, 12)}… appears in plaintext`);
        }
        for (const role of ["cookie-secret", "crypt-key", "proxy-token"]) {
            one(resources, "random:index/randomBytes:RandomBytes", `cs101-${role}`);
        }
    });

    it("keeps the LDAP bind password and a shared password secret", async () => {
        for (const [auth, secret, trait] of [
            [AUTHS.ldap, BIND_PASSWORD, "lookup_dn_search_password"],
            [AUTHS.sharedPassword, SHARED_PASSWORD, "user_password"],
        ] as const) {
            const resources = await run(() => hub("cs101", { spec: { ...MINIMAL_SPEC, auth } }));
            assert.deepEqual(plaintextOccurrences(secret, resources), []);
            const data = unwrapSecrets(one(resources, "kubernetes:core/v1:Secret").inputs.stringData);
            assert.ok(JSON.stringify(JSON.parse(data["values.yaml"])).includes(`"${trait}":"${secret}"`), `${trait} reaches the hub`);
        }
    });

    it("puts each login's secret under its authenticator's own section of the hub's values, and nowhere in plaintext", async () => {
        for (const [name, auth] of Object.entries(AUTHS)) {
            const expected = EXPECTED_LOGINS[name as keyof typeof AUTHS];
            const resources = await run(() => hub("cs101", { spec: { ...MINIMAL_SPEC, auth } }));
            const data = unwrapSecrets(one(resources, "kubernetes:core/v1:Secret").inputs.stringData);
            const secret = {
                github: CLIENT_SECRET,
                genericOidc: CLIENT_SECRET,
                google: CLIENT_SECRET,
                azuread: CLIENT_SECRET,
                cilogon: CLIENT_SECRET,
                ldap: BIND_PASSWORD,
                sharedPassword: SHARED_PASSWORD,
            }[name];
            // A shared-password login has the admins' password beside the class password.
            const admins = name === "sharedPassword" ? { admin_password: SHARED_ADMIN_PASSWORD } : {};
            assert.deepEqual(
                JSON.parse(data["values.yaml"]),
                { hub: { config: expected.secretTrait ? { [expected.section]: { [expected.secretTrait]: secret, ...admins } } : {} } },
                name,
            );
            for (const value of [secret, ...Object.values(admins)].filter((v): v is string => v !== undefined)) {
                assert.deepEqual(plaintextOccurrences(value, resources), [], name);
            }
        }
    });

    it("the plaintext detector finds a value that is stored in the clear", async () => {
        const resources = await run(() => hub("cs101", { spec: { ...MINIMAL_SPEC, owner: "owner-in-the-clear-1234" } }));
        assert.ok(plaintextOccurrences("owner-in-the-clear-1234", resources).some((p) => p.startsWith("kubernetes:core/v1:Namespace::")));
    });

    it("parents every child to the component and names it from the component's name", async () => {
        const resources = await run(() => hub("ds200", { spec: MAXIMAL_SPEC, platform: FULL_PLATFORM }));
        const component = one(resources, COMPONENT);
        const children = resources.filter((r) => r.type !== COMPONENT && !r.type.startsWith("pulumi:providers:"));
        assert.ok(children.length >= 10, `expected the full set of children, got ${children.length}`);
        for (const child of children) {
            assert.equal(child.parentUrn, component.urn, `${child.type}::${child.name} is not parented to the hub`);
            assert.ok(child.name.startsWith("ds200-"), `${child.name} is not named from the component`);
        }
    });

    it("creates the namespace, shared volume, notebook identity and pre-warm schedule of a full spec", async () => {
        const resources = await run(() => hub("cs101", { spec: MAXIMAL_SPEC, platform: FULL_PLATFORM }));
        const namespace = one(resources, "kubernetes:core/v1:Namespace");
        assert.deepEqual(namespace.inputs.metadata.labels, { course: "cs101", term: "fall-2026", owner: "course-it_example_edu", "managed-by": "course-hubs" });
        const claim = one(resources, "kubernetes:core/v1:PersistentVolumeClaim", "cs101-shared");
        assert.deepEqual(claim.inputs.spec.accessModes, ["ReadWriteMany"]);
        assert.equal(claim.inputs.spec.storageClassName, "efs");
        assert.equal(claim.inputs.spec.resources.requests.storage, "50Gi");
        const identity = one(resources, "kubernetes:core/v1:ServiceAccount", "cs101-notebook-identity");
        assert.equal(identity.inputs.metadata.annotations["eks.amazonaws.com/role-arn"], "arn:aws:iam::123456789012:role/cs101-notebooks");
        assert.equal(identity.inputs.automountServiceAccountToken, false);
        const cronJobs = resources.filter((r) => r.type === "kubernetes:batch/v1:CronJob");
        assert.deepEqual(cronJobs.map((c) => [c.inputs.spec.schedule, c.inputs.spec.jobTemplate.spec.template.spec.containers[0].args[2]]), [
            ["45 9 * * MON,WED", "--replicas=150"], ["30 11 * * MON,WED", "--replicas=5"],
            ["0 13 * * 5", "--replicas=40"], ["0 15 * * 5", "--replicas=5"],
        ]);
        assert.ok(cronJobs.every((c) => c.inputs.spec.timeZone === "America/New_York"));
        const role = one(resources, "kubernetes:rbac.authorization.k8s.io/v1:Role");
        assert.deepEqual(role.inputs.rules[0].resourceNames, ["user-placeholder"], "the scaler may touch the placeholders only");
    });

    it("orders teardown: schedule before release, release before its secrets and volumes, all before the namespace", async () => {
        const resources = await run(() => hub("cs101", { spec: MAXIMAL_SPEC, platform: FULL_PLATFORM }));
        const urnOf = (type: string, name?: string) => one(resources, type, name).urn;
        const namespace = urnOf("kubernetes:core/v1:Namespace");
        const release = one(resources, RELEASE, "cs101-release");
        // Pulumi deletes a resource before anything it depends on.
        for (const dependency of [
            urnOf("kubernetes:core/v1:Secret", "cs101-credentials"),
            urnOf("kubernetes:core/v1:Secret", "cs101-server-environment"),
            urnOf("kubernetes:core/v1:Secret", "cs101-image-pull"),
            urnOf("kubernetes:core/v1:PersistentVolumeClaim", "cs101-shared"),
            urnOf("kubernetes:core/v1:PersistentVolumeClaim", "cs101-homes"),
            urnOf("kubernetes:core/v1:ServiceAccount", "cs101-notebook-identity"),
        ]) {
            assert.ok(release.dependencies.includes(dependency), `the release must depend on ${dependency}`);
        }
        for (const cronJob of resources.filter((r) => r.type === "kubernetes:batch/v1:CronJob")) {
            assert.ok(cronJob.dependencies.includes(release.urn), `${cronJob.name} must go before the release`);
        }
        const namespaced = resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:core/v1:Namespace");
        for (const object of namespaced) {
            assert.ok(object.dependencies.includes(namespace), `${object.type}::${object.name} must be deleted before the namespace`);
        }
    });

    it("two hubs in one program do not collide", async () => {
        const resources = await run(() => {
            hub("cs101", { spec: MINIMAL_SPEC });
            hub("ds200", { spec: { ...MAXIMAL_SPEC, course: "ds200", hostname: "ds200.hubs.example.edu" }, platform: FULL_PLATFORM });
        });
        assert.deepEqual(duplicateNames(resources), []);
        const namespaces = resources.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => r.inputs.metadata.name);
        assert.deepEqual(namespaces.sort(), ["cs101-fall-2026", "ds200-fall-2026"]);
    });

    it("reports every invalid argument before registering anything", async () => {
        const { error, resources } = await runExpectingError(() =>
            hub("bad", { spec: { ...MAXIMAL_SPEC, course: "CS 101", https: { mode: "letsencrypt" } as any }, platform: {} }));
        assert.ok(pulumi.InputPropertiesError.isInstance(error), `expected an InputPropertiesError, got ${error}`);
        assert.deepEqual(error.errors.map((e: any) => e.propertyPath).sort(),
            [
                "spec.course", "spec.https.contactEmail", "spec.server.profiles[2].gpus", "spec.storage.bucketDatasets", "spec.storage.home.sharedFileSystem",
                "spec.storage.sharedCourseFolder", "spec.storage.sharedFolders", "spec.storage.submitFolder",
            ]);
        assert.deepEqual(resources.filter((r) => r.type !== "pulumi:providers:kubernetes").map((r) => r.type), [],
            "nothing but the caller's provider may be registered");
    });

    it("takes ingress settings that other resources produce", async () => {
        const resources = await run(() => hub("cs101", {
            spec: { ...MINIMAL_SPEC, https: { mode: "ingress" } },
            platform: { ingress: { className: pulumi.output("traefik"), clusterIssuer: pulumi.output("letsencrypt-staging") } },
        }));
        const values = unwrapSecrets(one(resources, RELEASE, "cs101-release").inputs.values);
        assert.equal(values.ingress.ingressClassName, "traefik");
        assert.equal(values.ingress.annotations["cert-manager.io/cluster-issuer"], "letsencrypt-staging");
        assert.deepEqual(z2jhSchemaErrors(values), []);
    });

    describe("with a course's raw chart values and chart version", () => {
        const rawValues = {
            hub: { config: { JupyterHub: { shutdown_on_logout: true } } },
            singleuser: { extraEnv: { DATA_DIR: "/data" }, startTimeout: null },
        };

        it("installs the release with the raw values merged last, nulls kept for Helm, and the version asked for", async () => {
            const warnings = await capturingWarnings(async () => {
                const resources = await run(() => hub("cs101", { spec: MAXIMAL_SPEC, platform: FULL_PLATFORM, values: rawValues, chartVersion: "4.5.0" }));
                const release = one(resources, RELEASE, "cs101-release");
                assert.equal(release.inputs.version, "4.5.0");
                assert.ok(isSecret(release.inputs.values));
                const values = unwrapSecrets(release.inputs.values);
                assert.equal(values.hub.config.JupyterHub.shutdown_on_logout, true);
                assert.equal(values.hub.config.JupyterHub.authenticator_class, "generic-oauth", "the spec's keys beside it stay");
                assert.deepEqual(values.singleuser.extraEnv, {
                    COURSE: "cs101", PGHOST: "localhost", DATA_DIR: "/data",
                    PGPASSWORD: { valueFrom: { secretKeyRef: { name: "course-server-environment", key: "PGPASSWORD" } } },
                });
                assert.ok("startTimeout" in values.singleuser && values.singleuser.startTimeout === null, "the null reaches Helm, which deletes the default");
                assert.equal(values.proxy.secretToken, mockRandomHex("cs101-proxy-token"));
            });
            assert.deepEqual(warnings.filter((w) => w.includes("z2jh chart 4.5.0 is not the pinned 4.4.0")).length, 1, warnings.join("\n"));
        });

        it("warns about nothing on the pinned version, and the release's values pass the chart schema", async () => {
            const warnings = await capturingWarnings(async () => {
                const resources = await run(() => hub("cs101", { spec: MAXIMAL_SPEC, platform: FULL_PLATFORM, values: rawValues }));
                const release = one(resources, RELEASE, "cs101-release");
                assert.equal(release.inputs.version, "4.4.0");
                assert.deepEqual(z2jhSchemaErrors(unwrapSecrets(release.inputs.values)), []);
            });
            assert.deepEqual(warnings, []);
        });

        it("checks them against the chart schema with a platform whose addresses other resources produce", async () => {
            const resources = await run(() => hub("cs101", {
                spec: { ...MINIMAL_SPEC, https: { mode: "offload" } },
                platform: {
                    proxyService: {
                        annotations: { "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": pulumi.output("arn:cert") },
                        loadBalancerIP: pulumi.output("203.0.113.7"),
                    },
                },
                values: rawValues,
            }));
            const values = unwrapSecrets(one(resources, RELEASE, "cs101-release").inputs.values);
            assert.equal(values.proxy.service.loadBalancerIP, "203.0.113.7");
            assert.equal(values.hub.config.JupyterHub.shutdown_on_logout, true);
        });

        it("refuses bad raw values and chart versions with every invalid argument, before registering anything", async () => {
            const values = { singleuser: { memroy: { limit: "2G" } }, hub: { config: { GitHubOAuthenticator: { allow_all: true } } } };
            const pinned = await runExpectingError(() => hub("bad", { spec: MINIMAL_SPEC, values }));
            assert.ok(pulumi.InputPropertiesError.isInstance(pinned.error), `expected an InputPropertiesError, got ${pinned.error}`);
            const paths = (error: any) => error.errors.map((e: any) => e.propertyPath).sort();
            assert.deepEqual(paths(pinned.error), ["values.hub.config.GitHubOAuthenticator", "values.singleuser.memroy"]);
            // A range is no version whose schema the package carries: the protected keys are still refused.
            const range = await runExpectingError(() => hub("bad", { spec: MINIMAL_SPEC, values, chartVersion: "^4.4.0" }));
            assert.deepEqual(paths(range.error), ["chartVersion", "values.hub.config.GitHubOAuthenticator"]);
            for (const { resources } of [pinned, range]) {
                assert.deepEqual(resources.filter((r) => r.type !== "pulumi:providers:kubernetes").map((r) => r.type), []);
            }
        });

        it("checks the raw values on their own when the spec cannot be rendered, so every problem is reported at once", async () => {
            const { error } = await runExpectingError(() =>
                hub("bad", { spec: { ...MINIMAL_SPEC, course: "CS 101" }, values: { singleuser: { memroy: {} } } }));
            assert.deepEqual(error.errors.map((e: any) => e.propertyPath).sort(), ["spec.course", "values.singleuser.memroy"]);
        });
    });

    it("exposes the hub URL, namespace and release name", async () => {
        resetRecording();
        const component = hub("cs101", { spec: MINIMAL_SPEC });
        const [url, namespace, releaseName] = await new Promise<string[]>((resolve) =>
            pulumi.all([component.url, component.namespace, component.releaseName]).apply(resolve));
        assert.deepEqual([url, namespace, releaseName], ["https://cs101.hubs.example.edu/", "cs101-fall-2026", "cs101-fall-2026"]);
        await settled();
    });
});
