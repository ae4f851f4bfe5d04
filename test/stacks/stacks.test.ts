import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { CONFIG_KEYS, SECRET_KEYS, clusterOutput, deployCourse } from "../../stacks/course";
import { CLUSTER_GUARD_CHECK_TYPE } from "../../components/k8s/cluster-guard";
import { MOCK_GCP_ADDRESS, mockElasticIp, plaintextOccurrences, unwrapSecrets } from "../setup-mocks";
import { policyInputs, runPack } from "../support/policy";
import { capturingWarnings, runExpectingError } from "../support/program";
import { RAW_CHART_VALUES, REFUSED_CHART_PATHS, REFUSED_CHART_VALUES } from "../support/specs";
import { SECRET_PLACEHOLDER, STACKS, deploy, stackConfig } from "../support/stacks";

/** The config keys an error lists, one a line after its heading. */
const problemKeys = (error: Error) => error.message.split("\n").slice(1).map((l) => l.trim().slice(2, l.trim().indexOf(": "))).sort();

const EXAMPLES: Record<string, string> = {
    "fall-cs101": "course-hubs:aws:EksHub",
    "spring-ds100": "course-hubs:gcp:GkeHub",
    "summer-bootcamp": "course-hubs:aws:EC2AutoscaleHub",
    "dept-stats-cluster": "course-hubs:gcp:GkeHub",
    "dept-stats-stat200": "course-hubs:k8s:JupyterHub",
};

describe("course stacks", () => {
    it("every stack file in stacks/ is an example tested here", () => {
        const files = fs.readdirSync(STACKS).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).map((f) => f.slice("Pulumi.".length, -".yaml".length));
        assert.deepEqual(files.sort(), Object.keys(EXAMPLES).sort());
    });

    for (const [stack, component] of Object.entries(EXAMPLES)) {
        it(`${stack} deploys its course, keeps its secret secret and passes the policy pack`, async () => {
            const { resources, outputs, error } = await deploy(stackConfig(stack));
            assert.equal(error, undefined, String(error?.message));
            assert.ok(resources.some((r) => r.type === component), `${component} was not created`);
            assert.ok("url" in outputs && "next" in outputs, "the stack tells the operator the URL and what to do next");
            assert.deepEqual(plaintextOccurrences(SECRET_PLACEHOLDER, resources), []);
            const policyConfigFile = path.join(STACKS, `policy-config.${stack}.json`);
            const policyConfig = fs.existsSync(policyConfigFile) ? JSON.parse(fs.readFileSync(policyConfigFile, "utf8")) : {};
            assert.deepEqual(runPack(policyInputs(resources), policyConfig).map((v) => `${v.policy} ${v.resource}: ${v.message}`), []);
        });
    }

    it("a stack with a cluster of its own guards it: destroy checks for other stacks' courses before deleting anything", async () => {
        for (const [stack, component] of Object.entries(EXAMPLES)) {
            const { resources } = await deploy(stackConfig(stack));
            const checks = resources.filter((r) => r.type === CLUSTER_GUARD_CHECK_TYPE);
            const ownsCluster = component !== "course-hubs:k8s:JupyterHub" && component !== "course-hubs:aws:EC2AutoscaleHub";
            assert.equal(checks.length, ownsCluster ? 1 : 0, stack);
            if (ownsCluster) {
                const guard = resources.find((r) => r.type === "course-hubs:k8s:ClusterGuard")!;
                const unguarded = resources.filter((r) => r.custom && !r.read && !r.type.startsWith("pulumi:providers:") && r.parentUrn !== guard.urn)
                    .filter((r) => !checks[0].dependencies.includes(r.urn));
                assert.deepEqual(unguarded.map((r) => `${r.type}::${r.name}`), [], `${stack}: deleted before or beside the check`);
            }
        }
    });

    it("tells the operator, on every platform, the address the hostname's DNS record points at and which record", async () => {
        const resolved = (value: unknown) => new Promise((resolve) => pulumi.output(value as pulumi.Input<string>).apply(resolve));
        const ec2 = (await deploy(stackConfig("summer-bootcamp"))).outputs;
        assert.equal(await resolved(ec2.address), mockElasticIp("bootcamp-hub"), "the hub's Elastic IP");
        assert.match(String(ec2.next), /A record at address/);
        const gke = (await deploy(stackConfig("dept-stats-cluster"))).outputs;
        assert.equal(await resolved(gke.address), MOCK_GCP_ADDRESS, "the shared entry point's reserved IP");
        assert.match(String(gke.next), /address \(an A record\)/);
        const eks = await deploy(stackConfig("fall-cs101"));
        assert.ok(eks.resources.some((r) => r.read && r.type === "kubernetes:core/v1:Service" && r.id === "cs101-fall-2026/proxy-public"),
            "the load balancer's host name is read from the proxy's Service");
        assert.match(String(eks.outputs.next), /address \(a CNAME\)/);
    });

    it("a course on the department cluster uses the cluster stack's ingress, with no load balancer of its own", async () => {
        const { resources } = await deploy(stackConfig("dept-stats-stat200"));
        assert.ok(resources.some((r) => r.type === "pulumi:pulumi:StackReference" && r.inputs.name === "dept-stats-cluster"));
        const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
        const values = unwrapSecrets(release.inputs.values);
        assert.equal(values.ingress.ingressClassName, "traefik");
        assert.equal(values.proxy.service.type, "ClusterIP");
    });

    describe("https.mode ingress on a cluster of one's own, through course-hubs:kubernetes.platform.ingress", () => {
        const OWN_INGRESS = { className: "nginx", clusterIssuer: "campus-letsencrypt" };
        const SECRETS = ["course-hubs:authClientSecret", "course-hubs:kubeconfig"];
        const onOwnCluster = (target: unknown) => ({ ...stackConfig("dept-stats-stat200"), "course-hubs:kubernetes": JSON.stringify(target) });

        it("is served through the cluster's ingress controller and cert-manager issuer, beside raw chart values", async () => {
            // Open to everyone: the example's campus ranges are a Traefik allow list, which this nginx controller would not apply.
            const hub = { ...JSON.parse(stackConfig("dept-stats-stat200")["course-hubs:hub"]), allowedSourceRanges: undefined };
            const { resources, error } = await deploy({
                ...onOwnCluster({ platform: { homeStorageClass: "standard", ingress: OWN_INGRESS } }),
                "course-hubs:hub": JSON.stringify(hub),
                "course-hubs:chart": JSON.stringify({ values: { ingress: { annotations: { "nginx.ingress.kubernetes.io/proxy-body-size": "64m" } } } }),
            }, SECRETS);
            assert.equal(error, undefined, String(error?.message));
            assert.ok(!resources.some((r) => r.type === "pulumi:pulumi:StackReference"), "no cluster stack is read");
            const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "jupyterhub")!;
            const values = unwrapSecrets(release.inputs.values);
            assert.equal(values.ingress.ingressClassName, "nginx");
            assert.deepEqual(values.ingress.annotations, {
                "cert-manager.io/cluster-issuer": "campus-letsencrypt", "nginx.ingress.kubernetes.io/proxy-body-size": "64m",
            });
            assert.equal(values.proxy.service.type, "ClusterIP");
        });

        it("is refused beside a cluster stack, which brings its own ingress", async () => {
            const { error, resources } = await deploy(onOwnCluster({ clusterStack: "dept-stats-cluster", platform: { ingress: OWN_INGRESS } }));
            assert.deepEqual(problemKeys(error), ["course-hubs:kubernetes.platform.ingress"]);
            assert.match(error.message, /course-hubs:kubernetes\.platform\.ingress: comes from the cluster stack that course-hubs:kubernetes\.clusterStack names/);
            assert.deepEqual(resources, []);
        });

        it("without it or a cluster stack, https.mode ingress is refused naming both ways", async () => {
            const { error, resources } = await deploy(onOwnCluster({ platform: { homeStorageClass: "standard" } }), SECRETS);
            assert.deepEqual(problemKeys(error), ["course-hubs:hub.allowedSourceRanges", "course-hubs:hub.https.mode"]);
            assert.match(error.message, /course-hubs:hub\.https\.mode: "ingress" needs an ingress controller with cert-manager: .*in course-hubs:kubernetes\.clusterStack, or describe your cluster's own in course-hubs:kubernetes\.platform\.ingress/);
            assert.deepEqual(resources, []);
        });
    });

    it("reports every config problem at once, by the key a person types, before creating anything", async () => {
        const config = stackConfig("fall-cs101");
        const hub = JSON.parse(config["course-hubs:hub"]);
        hub.culling = { idleTimeoutMinute: 30 };
        hub.https = { mode: "letsencrypt" };
        const eks = JSON.parse(config["course-hubs:eks"]);
        delete eks.apiAccessCidrs;
        eks.coreNodes = { spot: true };
        const { error, resources } = await deploy({ ...config, "course-hubs:hub": JSON.stringify(hub), "course-hubs:eks": JSON.stringify(eks) }, []);
        assert.ok(error instanceof pulumi.RunError, String(error));
        assert.deepEqual(problemKeys(error), [
            "course-hubs:authClientSecret", "course-hubs:eks.apiAccessCidrs", "course-hubs:eks.coreNodes.spot",
            "course-hubs:hub.culling.idleTimeoutMinute", "course-hubs:hub.https.contactEmail",
        ]);
        assert.match(error.message, /pulumi config set --secret course-hubs:authClientSecret <value> --stack test/);
        assert.match(error.message, /did you mean "idleTimeoutMinutes"/);
        assert.deepEqual(resources, []);
    });

    it("names the platform key when it is missing or wrong, and the cluster when a kubernetes course has none", async () => {
        const { error } = await deploy({ "course-hubs:hub": stackConfig("fall-cs101")["course-hubs:hub"] });
        assert.match(error.message, /course-hubs:platform: is required \(one of eks, gke, ec2, kubernetes\); set it with: pulumi config set course-hubs:platform eks/);
        const { error: wrong } = await deploy({ ...stackConfig("fall-cs101"), "course-hubs:platform": "aks" });
        assert.match(wrong.message, /course-hubs:platform: must be one of eks, gke, ec2, kubernetes, got "aks"/);
        const { error: noCluster } = await deploy({ ...stackConfig("dept-stats-stat200"), "course-hubs:kubernetes": "{}" });
        assert.match(noCluster.message, /course-hubs:kubernetes.clusterStack: name the department's cluster stack, or set the cluster's kubeconfig with: pulumi config set --secret course-hubs:kubeconfig/);
    });

    it("checks course-hubs:kubernetes by its keys: a misspelt or unknown one is named, with every other problem, before anything is created", async () => {
        const target = JSON.parse(stackConfig("dept-stats-stat200")["course-hubs:kubernetes"]);
        const { error, resources } = await deploy({
            ...stackConfig("dept-stats-stat200"),
            "course-hubs:kubernetes": JSON.stringify({ ...target, releaseName: "stat200", platform: { ...target.platform, homeStorageClas: "gp3" } }),
        });
        assert.match(error.message, /course-hubs:kubernetes\.releaseName: unknown option\. Known options: clusterStack, platform, namespace\./);
        assert.match(error.message, /course-hubs:kubernetes\.platform\.homeStorageClas: unknown option; did you mean "sharedStorageClass"\?/,
            "the closest key not set already");
        assert.deepEqual(resources.filter((r) => !r.type.startsWith("pulumi:")), []);
    });

    it("checks course-hubs:term by its keys: dates of the calendar, the end not before the start, a known key", async () => {
        const { error, resources } = await deploy({
            ...stackConfig("fall-cs101"),
            "course-hubs:term": JSON.stringify({ start: "2026-12-16", end: "2026-09-02", student: 150 }),
        });
        assert.match(error.message, /course-hubs:term\.end: 2026-09-02 is before the term's start, 2026-12-16/);
        assert.match(error.message, /course-hubs:term\.student: unknown option; did you mean "students"\?/);
        assert.deepEqual(resources.filter((r) => !r.type.startsWith("pulumi:")), []);
    });

    it("refuses a node selector on a department cluster stack, whose user nodes carry only course-hubs's labels", async () => {
        const hub = JSON.parse(stackConfig("dept-stats-stat200")["course-hubs:hub"]);
        const { error, resources } = await deploy({
            ...stackConfig("dept-stats-stat200"),
            "course-hubs:hub": JSON.stringify({ ...hub, server: { nodeSelector: { "physics.example.edu/pool": "large" } } }),
        });
        assert.match(error.message, /course-hubs:hub\.server\.nodeSelector: the nodes of a department cluster stack \(course-hubs:kubernetes\.clusterStack\)/);
        assert.deepEqual(resources.filter((r) => !r.type.startsWith("pulumi:")), []);
    });

    it("declares in Pulumi.yaml exactly the keys the program reads, the secret ones as secret", () => {
        const declared: Record<string, { secret?: boolean }> = YAML.parse(fs.readFileSync(path.join(STACKS, "..", "Pulumi.yaml"), "utf8")).config;
        assert.deepEqual(Object.keys(declared).sort(), [...CONFIG_KEYS].sort());
        assert.deepEqual(Object.keys(declared).filter((key) => declared[key].secret).sort(), Object.values(SECRET_KEYS).sort());
    });

    it("refuses a course-hubs key nothing reads, with the key it likely meant, and a block of another platform", async () => {
        const config = stackConfig("fall-cs101");
        const { "course-hubs:eks": eks, ...rest } = config;
        const { error, resources } = await deploy({ ...rest, "course-hubs:ek": eks, "course-hubs:gke": "{}", "aws:profile": "course-it" });
        assert.ok(error instanceof pulumi.RunError, String(error));
        // Without its block, the EKS options fall back to the defaults, which need apiAccessCidrs, and whose
        // 10 user nodes (14 seats each) cannot hold the 150-seat lecture.
        assert.deepEqual(problemKeys(error),
            ["course-hubs:ek", "course-hubs:eks.apiAccessCidrs", "course-hubs:gke", "course-hubs:hub.prewarm.schedule[0].seats"]);
        assert.match(error.message, /course-hubs:ek: is not a key of this project, so nothing reads it; did you mean course-hubs:eks\? The project's keys: course-hubs:platform, /);
        assert.match(error.message, /course-hubs:gke: is read only when course-hubs:platform is gke, and this stack's is eks/);
        assert.deepEqual(resources, []);
        // The hint never names a key the stack already sets.
        const { error: both } = await deploy({ ...config, "course-hubs:ek": eks });
        assert.deepEqual(problemKeys(both), ["course-hubs:ek"]);
        assert.doesNotMatch(both.message, /did you mean course-hubs:eks/);
    });

    it("refuses a secret written in plain text, in its own key or in the hub, with the command that stores it encrypted", async () => {
        const config = stackConfig("dept-stats-stat200");
        const { error, resources } = await deploy({
            ...config,
            "course-hubs:authClientSecret": "plain-oauth-secret",
            "course-hubs:kubeconfig": "apiVersion: v1",
        }, []);
        assert.deepEqual(problemKeys(error), ["course-hubs:authClientSecret", "course-hubs:kubeconfig"]);
        assert.match(error.message, /course-hubs:authClientSecret: is written in plain text in the stack file: remove that line from Pulumi\.test\.yaml and set it encrypted with: pulumi config set --secret course-hubs:authClientSecret <value> --stack test/);
        assert.match(error.message, /pulumi config set --secret course-hubs:kubeconfig "\$\(cat kubeconfig\)" --stack test/);
        assert.deepEqual(resources, []);
        const hub = JSON.parse(config["course-hubs:hub"]);
        const inHub = [
            [{ ...hub.auth, clientSecret: "plain-oauth-secret" }, "auth.clientSecret", "authClientSecret"],
            [{ type: "ldap", serverAddress: "ldap.example.edu", lookupDn: { searchBase: "dc=x", bindUser: "cn=hub", bindPassword: "plain" } },
                "auth.lookupDn.bindPassword", "ldapBindPassword"],
            [{ type: "sharedPassword", password: "plain-class-password", acknowledgeInsecure: true }, "auth.password", "sharedPassword"],
        ];
        for (const [auth, field, key] of inHub) {
            // The hub's adminUsers need an admins' password under a shared-password login.
            const { error: refused } = await deploy({ ...config, "course-hubs:hub": JSON.stringify({ ...hub, auth }) },
                [`course-hubs:${key}`, "course-hubs:sharedAdminPassword"]);
            assert.deepEqual(problemKeys(refused), [`course-hubs:hub.${field}`]);
            assert.match(refused.message, new RegExp("is a secret, in plain text in the stack file: remove it from course-hubs:hub "
                + `and set it with: pulumi config set --secret course-hubs:${key} <value> --stack test`));
        }
        // Encrypted inside the hub (a `secure:` leaf makes the whole key secret), it would still be overridden by its own key.
        const encryptedInHub = { ...hub, auth: { ...hub.auth, clientSecret: "decrypted-by-the-cli" } };
        pulumi.runtime.setAllConfig({ ...config, "course-hubs:hub": JSON.stringify(encryptedInHub), "course-hubs:authClientSecret": "set-with-secret" },
            ["course-hubs:hub", "course-hubs:authClientSecret"]);
        const { error: encrypted } = await runExpectingError(() => deployCourse());
        pulumi.runtime.setAllConfig({});
        assert.deepEqual(problemKeys(encrypted), ["course-hubs:hub.auth.clientSecret"]);
        assert.match(encrypted.message, /is a secret, not read from here: remove it from course-hubs:hub and set it with: pulumi config set --secret course-hubs:authClientSecret/);
    });

    it("names course-hubs:hub.prewarm.timeZone when a lecture schedule has no time zone", async () => {
        const config = stackConfig("fall-cs101");
        const hub = JSON.parse(config["course-hubs:hub"]);
        delete hub.prewarm.timeZone;
        const { error } = await deploy({ ...config, "course-hubs:hub": JSON.stringify(hub) });
        assert.deepEqual(problemKeys(error), ["course-hubs:hub.prewarm.timeZone"]);
        assert.match(error.message, /for example timeZone: America\/New_York/);
    });

    it("fails by course-hubs:kubernetes.clusterStack when the cluster stack lacks an output it needs", async () => {
        const withoutOutputs = { getOutput: () => pulumi.output(undefined) } as unknown as pulumi.StackReference;
        const kubeconfig = clusterOutput(withoutOutputs, "fall-cs101", "kubeconfig", "a deployed course-hubs stack of platform eks or gke");
        // The output's own promise: its apply callback threw.
        await assert.rejects((kubeconfig as any).promise(), (err: any) => {
            assert.ok(pulumi.RunError.isInstance(err));
            assert.equal(err.message, "course-hubs:kubernetes.clusterStack: stack fall-cs101 has no kubeconfig output; "
                + "name a deployed course-hubs stack of platform eks or gke (pulumi stack output --stack fall-cs101 lists its outputs)");
            return true;
        });
    });

    describe("course-hubs:chart", () => {
        /** An example stack of each platform that installs the chart. */
        const CHART_STACKS = { eks: "fall-cs101", gke: "spring-ds100", kubernetes: "dept-stats-stat200" };
        const withChart = (stack: string, chart: unknown) => ({ ...stackConfig(stack), "course-hubs:chart": JSON.stringify(chart) });

        it("reaches the hub's release on eks, gke and kubernetes: its raw values merged last over the hub's, its version", async () => {
            for (const [platform, stack] of Object.entries(CHART_STACKS)) {
                const warnings = await capturingWarnings(async () => {
                    const { resources, error } = await deploy(withChart(stack, { version: "4.2.0", values: RAW_CHART_VALUES }));
                    assert.equal(error, undefined, String(error?.message));
                    const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "jupyterhub")!;
                    assert.equal(release.inputs.version, "4.2.0", platform);
                    const values = unwrapSecrets(release.inputs.values);
                    assert.equal(values.hub.config.JupyterHub.shutdown_on_logout, true, platform);
                    assert.equal(values.singleuser.extraEnv.DATA_DIR, "/data", platform);
                    assert.ok(values.hub.config.JupyterHub.authenticator_class, `${platform}: the hub's own values stay beside them`);
                });
                assert.equal(warnings.filter((w) => w.includes("z2jh chart 4.2.0 is not the pinned")).length, 1, `${platform}: ${warnings.join("\n")}`);
            }
        });

        it("refuses a protected key, a value the chart does not have, a misspelt option and a range, by config key, before creating anything", async () => {
            for (const [platform, stack] of Object.entries(CHART_STACKS)) {
                const { error, resources } = await deploy(withChart(stack, { values: REFUSED_CHART_VALUES, versoin: "4.4.0" }));
                assert.ok(error instanceof pulumi.RunError, `${platform}: ${error}`);
                assert.deepEqual(problemKeys(error), [
                    ...REFUSED_CHART_PATHS.map((p) => `course-hubs:chart.values.${p}`), "course-hubs:chart.versoin",
                ], platform);
                assert.match(error.message, /course-hubs:chart\.values\.hub\.config\.GitHubOAuthenticator: cannot be overridden: the login is the spec's/);
                assert.match(error.message, /course-hubs:chart\.values\.singleuser\.memroy: is not a value of the chart; did you mean "memory"\?/);
                assert.match(error.message, /course-hubs:chart\.versoin: unknown option; did you mean "version"\?/);
                assert.deepEqual(resources, [], platform);
                const { error: range } = await deploy(withChart(stack, { version: "^4.4.0" }));
                assert.deepEqual(problemKeys(range), ["course-hubs:chart.version"], platform);
                assert.match(range.message, /must be an exact chart version such as "4\.4\.0"/);
            }
        });

        it("is refused on ec2, which runs no chart, and in a platform's options block, which is not its key", async () => {
            const { error, resources } = await deploy(withChart("summer-bootcamp", { values: RAW_CHART_VALUES }));
            assert.deepEqual(problemKeys(error), ["course-hubs:chart"]);
            assert.match(error.message, /course-hubs:chart: is read only on the platforms that install the Zero to JupyterHub chart \(eks, gke, kubernetes\); ec2 runs JupyterHub on a VM/);
            assert.deepEqual(resources, []);
            const config = stackConfig("fall-cs101");
            const eks = { ...JSON.parse(config["course-hubs:eks"]), chart: { values: RAW_CHART_VALUES } };
            const { error: inBlock } = await deploy({ ...config, "course-hubs:eks": JSON.stringify(eks) });
            assert.deepEqual(problemKeys(inBlock), ["course-hubs:eks.chart"]);
            assert.match(inBlock.message, /course-hubs:eks\.chart: the chart has a key of its own on every platform: move it to course-hubs:chart/);
        });
    });

    it("refuses, by config key and before creating anything, what an existing cluster cannot serve", async () => {
        const hub = JSON.parse(stackConfig("dept-stats-stat200")["course-hubs:hub"]);
        hub.storage = { sharedCourseFolder: true };
        const { error, resources } = await deploy({
            ...stackConfig("dept-stats-stat200"),
            "course-hubs:hub": JSON.stringify(hub),
            "course-hubs:kubernetes": JSON.stringify({ platform: { homeStorageClass: "standard" } }),
        }, ["course-hubs:authClientSecret", "course-hubs:kubeconfig"]);
        // The example's campus ranges need the department's Traefik too.
        assert.deepEqual(problemKeys(error),
            ["course-hubs:hub.allowedSourceRanges", "course-hubs:hub.https.mode", "course-hubs:hub.storage.sharedCourseFolder"]);
        assert.deepEqual(resources, []);
    });
});
