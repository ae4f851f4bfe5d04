import { strict as assert } from "node:assert";
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { Provider } from "@pulumi/kubernetes/provider";
import Ajv from "ajv";
import * as YAML from "yaml";
import { EksHub, HubSpec, JupyterHub, Z2jhValues, toZ2jhValues } from "../../components";
import { SHARED_VOLUME_CLAIM } from "../../components/hub/z2jh";
import { HUB_POD_SELECTOR, TEARDOWN_RELEASE_NAME } from "../../components/hub/teardown";
import { METADATA_BLOCK_CONTAINER } from "../../components/hub/z2jh";
import { GPU_PLATFORM } from "../../components/node-roles";
import { CHARTS, ChartPin, EKS_KUBERNETES } from "../../components/versions";
import { RecordedResource, unwrapSecrets } from "../setup-mocks";
import { hasSchema, kubernetesObjectProblems, KubernetesObject } from "../support/kubernetes-schemas";
import { GOOGLE_LOGINS, GOOGLE_OUTSIDERS_SPEC, GoogleAccount } from "../support/google-logins";
import { EXPECTED_LOGINS } from "../support/logins";
import { run, runExpectingError } from "../support/program";
import {
    AUTHS, FULL_PLATFORM, HTTPS_MODES, MAXIMAL_EKS_SPEC, MAXIMAL_SPEC, MENU_PROFILE, MINIMAL_SPEC, PNG_LOGO, forCluster, randomSpec, seededRandom,
    withoutUndefined,
} from "../support/specs";
import { REAL_HUB_STACKS, deploy, deployRealHub, stackConfig } from "../support/stacks";

/*
 * Every Helm release of every example stack, rendered by real Helm 3 from the real chart at its
 * pinned commit, every rendered object validated against the Kubernetes API schemas, and the
 * z2jh chart's own hub configuration executed with the rendered values.
 *
 * The chart sources are upstream code, which this repository does not carry: point
 * COURSE_HUBS_CHART_SOURCES at a folder with one exported chart per key of CHARTS in
 * components/versions.ts (`<folder>/jupyterhub/Chart.yaml`, `<folder>/traefik/Chart.yaml`, ...),
 * each exported from the commit the manifest names, and COURSE_HUBS_HELM at a helm 3 binary (or
 * have `helm` on the PATH). The README's "Checking against the real charts" says how. Without the
 * sources these tests are reported as pending, by name, never passed.
 */

const SOURCES = process.env.COURSE_HUBS_CHART_SOURCES;
const HELM = process.env.COURSE_HUBS_HELM ?? "helm";
const KUBE_VERSION = `${EKS_KUBERNETES.version}.0`;
const RELEASE = "kubernetes:helm.sh/v3:Release";

const EXAMPLES = ["fall-cs101", "spring-ds100", "summer-bootcamp", "dept-stats-cluster", "dept-stats-stat200"];
/** How the rendered releases of test/fixtures/real-hubs are named: `real hub <stack>`. */
const REAL_HUB = "real hub";

/**
 * An EKS course with everything the examples leave out: GPU groups (the NVIDIA device plugin) and
 * its own StaticIpIngress (Traefik, cert-manager), so every chart of the manifest is rendered.
 */
const EKS_WITH_EVERYTHING = () => new EksHub("gpu-course", {
    spec: { ...MAXIMAL_EKS_SPEC, course: "dl300", https: { mode: "ingress" }, notebookIdentity: undefined },
    apiAccessCidrs: ["203.0.113.0/24"],
    gpuNodes: { maxCount: 2 },
    ingress: { letsEncryptEmail: "course-it@example.edu" },
});

/** An EKS course whose network load balancer ends TLS with an ACM certificate (`https.mode: "offload"`). */
const EKS_TLS_OFFLOAD = () => new EksHub("offload-course", {
    spec: { ...MINIMAL_SPEC, course: "cs102", https: { mode: "offload" } },
    apiAccessCidrs: ["203.0.113.0/24"],
    certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000",
});

/** Kinds that are not namespaced: two releases on one cluster must not both create one. */
const CLUSTER_SCOPED = new Set([
    "PriorityClass", "ClusterRole", "ClusterRoleBinding", "IngressClass", "CustomResourceDefinition", "StorageClass",
    "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "Namespace", "PersistentVolume", "RuntimeClass",
]);

interface Rendered {
    stack: string;
    release: string;
    chartKey: string;
    namespace: string;
    objects: KubernetesObject[];
}

function chartKeyOf(chart: string): string {
    const entry = Object.entries(CHARTS as Record<string, ChartPin>).find(([, pin]) => pin.chart === chart);
    assert.ok(entry, `chart ${chart} is not in the version manifest`);
    return entry[0];
}

function helmTemplate(release: RecordedResource, scratch: string): { chartKey: string; objects: KubernetesObject[] } {
    return helmTemplateOf(unwrapSecrets(release.inputs), release.name, scratch);
}

/** `helm template` of one release's inputs (chart, version, name, namespace, values). */
function helmTemplateOf(inputs: any, fileName: string, scratch: string): { chartKey: string; objects: KubernetesObject[] } {
    const chartKey = chartKeyOf(inputs.chart);
    const pin = (CHARTS as Record<string, ChartPin>)[chartKey];
    const chartDir = path.join(SOURCES!, chartKey);
    const chartYaml = YAML.parse(fs.readFileSync(path.join(chartDir, "Chart.yaml"), "utf8"));
    assert.equal(String(chartYaml.appVersion).replace(/^v/, ""), pin.appVersion.replace(/^v/, ""), `${chartDir} is not the pinned ${chartKey}`);
    assert.equal(inputs.version, pin.version, `the component installs ${chartKey} ${pin.version}`);
    const output = execFileSync(HELM, ["template", inputs.name, chartDir, ...templateOptions(inputs, fileName, scratch)], {
        encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"],
    });
    return { chartKey, objects: manifests(output) };
}

/** `helm template`'s options for a release's namespace and values (written to a file in `scratch`). */
function templateOptions(inputs: any, fileName: string, scratch: string): string[] {
    const valuesFile = path.join(scratch, `${fileName}.values.json`);
    fs.writeFileSync(valuesFile, JSON.stringify(inputs.values ?? {}));
    return ["--namespace", inputs.namespace, "--kube-version", KUBE_VERSION, "--values", valuesFile];
}

function manifests(output: string): KubernetesObject[] {
    return YAML.parseAllDocuments(output).map((d) => d.toJS()).filter((o) => o && typeof o === "object");
}

const execFileAsync = promisify(execFile);

interface ChartRepository {
    url: string;
    /** `helm template` of a release's inputs from this repository, at the release's chart version. */
    template(inputs: any, fileName: string): Promise<KubernetesObject[]>;
    close(): void;
}

/**
 * A Helm chart repository on this machine serving the pinned z2jh sources packaged under each of
 * `versions`, as the published chart is packaged: with the values.schema.json its release
 * generates from values.schema.yaml, which Helm checks values against. Only the pinned release's
 * sources exist offline, so every version here has its templates; what the test can show is that
 * the release's version picks the chart Helm renders, and that Helm checks the values against
 * that chart's own schema.
 */
async function localChartRepository(versions: string[], scratch: string): Promise<ChartRepository> {
    const folder = fs.mkdtempSync(path.join(scratch, "repository-"));
    const chart = path.join(folder, "source", CHARTS.jupyterhub.chart);
    fs.cpSync(path.join(SOURCES!, "jupyterhub"), chart, { recursive: true });
    const schema = YAML.parse(fs.readFileSync(path.join(chart, "values.schema.yaml"), "utf8"));
    fs.writeFileSync(path.join(chart, "values.schema.json"), JSON.stringify(schema));
    const served = path.join(folder, "served");
    for (const version of versions) {
        await execFileAsync(HELM, ["package", chart, "--version", version, "--destination", served]);
    }
    const server = http.createServer((request, response) => {
        const file = path.join(served, path.basename(new URL(request.url ?? "/", "http://localhost").pathname));
        if (fs.existsSync(file)) {
            response.end(fs.readFileSync(file));
        } else {
            response.writeHead(404).end();
        }
    });
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await execFileAsync(HELM, ["repo", "index", served, "--url", url]);
    // Helm's own cache and settings for this repository only, beside it.
    const helmHomes = ["CACHE", "CONFIG", "DATA"].map((kind) => [`HELM_${kind}_HOME`, path.join(folder, kind.toLowerCase())]);
    const env = { ...process.env, ...Object.fromEntries(helmHomes) };
    return {
        url,
        async template(inputs, fileName) {
            const { stdout } = await execFileAsync(HELM, [
                "template", inputs.name, inputs.chart, "--repo", url, "--version", inputs.version, ...templateOptions(inputs, fileName, folder),
            ], { env, maxBuffer: 64 * 1024 * 1024 });
            return manifests(stdout);
        },
        close: () => server.close(),
    };
}

/** A course on an existing cluster through the JupyterHub component, with raw chart values and a chart version. */
function courseWithRawValues(spec: HubSpec, values?: Z2jhValues, chartVersion?: string): () => void {
    return () => {
        const provider = new Provider(`${spec.course}-cluster`, { kubeconfig: "apiVersion: v1\nkind: Config\n" });
        new JupyterHub(spec.course, { provider, spec, values, chartVersion });
    };
}

async function renderStack(stack: string, scratch: string): Promise<Rendered[]> {
    const { resources, error } = await deploy(stackConfig(stack));
    assert.equal(error, undefined, String(error?.message));
    return renderReleases(stack, resources, scratch);
}

function renderReleases(stack: string, resources: RecordedResource[], scratch: string): Rendered[] {
    // Upstream charts only: course-teardown is this repository's own, rendered by test/hub/teardown.test.ts.
    return resources.filter((r) => r.type === RELEASE && r.inputs.name !== TEARDOWN_RELEASE_NAME).map((release) => {
        const { chartKey, objects } = helmTemplate(release, scratch);
        const inputs = unwrapSecrets(release.inputs);
        return { stack, release: inputs.name, chartKey, namespace: inputs.namespace, objects };
    });
}

describe("the real charts, rendered by real Helm", function () {
    if (!SOURCES) {
        it("needs COURSE_HUBS_CHART_SOURCES (exported upstream charts) and helm: see the README, \"Checking against the real charts\"");
        return;
    }
    this.timeout(300_000);
    let scratch: string;
    const rendered: Rendered[] = [];

    before(async () => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "course-hubs-charts-"));
        for (const stack of EXAMPLES) {
            rendered.push(...(await renderStack(stack, scratch)));
        }
        rendered.push(...renderReleases("EksHub with GPUs and an ingress", await run(EKS_WITH_EVERYTHING), scratch));
        rendered.push(...renderReleases("EksHub with TLS offload", await run(EKS_TLS_OFFLOAD), scratch));
        // Issue 17's eight university hubs (test/fixtures/real-hubs), each named "real hub <stack>".
        for (const stack of REAL_HUB_STACKS) {
            const { resources, error } = await deployRealHub(stack);
            assert.equal(error, undefined, `${stack}: ${error?.message}`);
            rendered.push(...renderReleases(`${REAL_HUB} ${stack}`, resources, scratch));
        }
    });
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it("renders every release of every example stack, and every chart of the manifest, without an error", () => {
        assert.ok(rendered.length >= EXAMPLES.length, "every example has at least its hub");
        for (const r of rendered) {
            assert.ok(r.objects.length > 0, `${r.stack} ${r.release} rendered nothing`);
        }
        assert.deepEqual([...new Set(rendered.map((r) => r.chartKey))].sort(), Object.keys(CHARTS).sort());
    });

    it("renders what each spec asked for", () => {
        for (const r of rendered) {
            const of = (kind: string, name?: string) => r.objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name)) as any[];
            const where = `${r.stack} ${r.release}`;
            if (r.chartKey === "jupyterhub") {
                const values = hubValues(r);
                const [hubLabel, hubLabelValue] = HUB_POD_SELECTOR.split("=");
                assert.equal(of("Deployment", "hub")[0].spec.template.metadata.labels[hubLabel], hubLabelValue, `${where}: the teardown finds the hub's pods`);
                for (const priority of of("PriorityClass")) {
                    assert.ok(priority.metadata.name.startsWith(`${r.release}-`), `${where}: ${priority.metadata.name} is named after the course`);
                }
                const proxy = of("Service", "proxy-public")[0];
                const viaIngress = Boolean(values.ingress?.enabled);
                assert.equal(proxy.spec.type, viaIngress ? "ClusterIP" : "LoadBalancer", `${where}: the proxy's Service`);
                assert.notEqual(plainHttpAnswer(r.objects), "the hub", `${where}: plain HTTP reaches the hub through the load balancer`);
                if (values.proxy?.https?.type === "offload") {
                    assert.deepEqual(proxy.spec.ports, [{ name: "https", port: 443, targetPort: "http" }], `${where}: only the offloaded port`);
                }
                if (viaIngress) {
                    assert.deepEqual(of("Ingress")[0].spec.rules.map((rule: any) => rule.host), values.ingress.hosts, `${where}: the Ingress host`);
                }
                assert.equal(
                    of("Deployment", "autohttps").length,
                    values.proxy?.https?.enabled && values.proxy.https.type === "letsencrypt" ? 1 : 0,
                    `${where}: autohttps only for Let's Encrypt`,
                );
                const placeholder = of("StatefulSet", "user-placeholder")[0];
                assert.deepEqual(placeholder.spec.template.spec.containers[0].resources, values.scheduling.userPlaceholder.resources, `${where}: warm seats`);
                assert.equal(placeholder.spec.replicas, values.scheduling.userPlaceholder.replicas);
                for (const puller of of("DaemonSet").filter((d) => /image-puller/.test(d.metadata.name))) {
                    const tolerated = (puller.spec.template.spec.tolerations ?? []).map((t: any) => t.key);
                    assert.ok(!tolerated.includes("nvidia.com/gpu"), `${where}: ${puller.metadata.name} stays off GPU nodes`);
                    const images = [...puller.spec.template.spec.initContainers, ...puller.spec.template.spec.containers].map((c: any) => c.image);
                    assert.ok(!images.some((i: string) => /cuda/.test(i)), `${where}: ${puller.metadata.name} pulls no GPU image`);
                }
            }
            if (r.chartKey === "clusterAutoscaler") {
                const rules = of("ClusterRole").flatMap((role) => role.rules);
                assert.ok(rules.some((rule: any) => rule.apiGroups?.includes("resource.k8s.io")), `${where}: autoscaler 1.35 needs resource.k8s.io`);
                const container = of("Deployment")[0].spec.template.spec.containers[0];
                assert.ok(container.image.endsWith(`:v${CHARTS.clusterAutoscaler.appVersion}`), container.image);
                assert.ok(container.command.includes("--balance-similar-node-groups=true"), `${where}: per-zone groups balanced`);
                assert.ok(container.command.some((a: string) => a.startsWith("--node-group-auto-discovery=asg:tag=")), `${where}: discovery`);
            }
            if (r.chartKey === "nvidiaDevicePlugin") {
                const plugin = of("DaemonSet").find((d) => !/mps/.test(d.metadata.name));
                const tolerated = plugin.spec.template.spec.tolerations.map((t: any) => t.key);
                assert.ok(tolerated.includes("hub.jupyter.org/dedicated") && tolerated.includes("nvidia.com/gpu"), `${where}: tolerates both GPU-node taints`);
                const terms = JSON.stringify(plugin.spec.template.spec.affinity);
                assert.match(terms, /course-hubs\/gpu/, `${where}: lands on our GPU nodes`);
            }
            if (r.chartKey === "traefik") {
                const args: string[] = of("Deployment")[0].spec.template.spec.containers[0].args;
                assert.ok(args.some((a) => /checkNewVersion=false/i.test(a)), `${where}: no phoning home`);
                assert.ok(args.some((a) => /entryPoints\.web\.http\.redirections\.entryPoint\.to=/i.test(a)), `${where}: http redirects to https`);
                const service = of("Service")[0];
                assert.equal(service.spec.type, "LoadBalancer");
                assert.equal(service.spec.externalTrafficPolicy, "Local", `${where}: students' addresses preserved`);
                assert.equal(of("IngressClass")[0].metadata.annotations?.["ingressclass.kubernetes.io/is-default-class"], "false");
            }
        }
    });

    it("StaticIpIngress's ClusterIssuers are valid for the cert-manager CRD the chart installs", async () => {
        const crd = rendered.filter((r) => r.chartKey === "certManager")
            .flatMap((r) => r.objects).find((o) => o.kind === "CustomResourceDefinition" && o.metadata?.name === "clusterissuers.cert-manager.io") as any;
        assert.ok(crd, "cert-manager renders its CRDs (crds.enabled)");
        const schema = crd.spec.versions.find((v: any) => v.name === "v1").schema.openAPIV3Schema;
        const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
        const issuers = (await run(EKS_WITH_EVERYTHING)).filter((r) => r.type === "kubernetes:cert-manager.io/v1:ClusterIssuer");
        assert.equal(issuers.length, 2, "production and staging");
        for (const issuer of issuers) {
            const object = { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", ...unwrapSecrets(issuer.inputs) };
            assert.ok(validate(object), `${issuer.name}: ${JSON.stringify(validate.errors)}`);
        }
    });

    it("hands CILogon's identity providers, each with its own username and allow rule, to the hub the chart configures", () => {
        const spec: HubSpec = { ...MINIMAL_SPEC, auth: AUTHS.cilogon, adminUsers: ["prof@example.edu"] };
        const values = toZ2jhValues(forCluster(spec, FULL_PLATFORM), FULL_PLATFORM);
        const inputs = {
            chart: CHARTS.jupyterhub.chart, version: CHARTS.jupyterhub.version, name: "cilogon", namespace: "cilogon",
            values: { ...values, proxy: { ...values.proxy, secretToken: "0".repeat(64) } },
        };
        const { chartKey, objects } = helmTemplateOf(inputs, "cilogon", scratch);
        const config = runChartHubConfig({ stack: "multi-IdP CILogon", release: "cilogon", chartKey, namespace: "cilogon", objects }, scratch);
        assert.equal(config.hub_settings.authenticator_class, EXPECTED_LOGINS.cilogon.authenticatorClass);
        assert.deepEqual(config.authenticators.CILogonOAuthenticator.idps, EXPECTED_LOGINS.cilogon.traits.idps);
    });

    it("lets a Google hub's listed outsiders in through the hub the chart configures, and nobody else outside the Workspace", () => {
        const values = toZ2jhValues(forCluster(GOOGLE_OUTSIDERS_SPEC, FULL_PLATFORM), FULL_PLATFORM);
        const inputs = {
            chart: CHARTS.jupyterhub.chart, version: CHARTS.jupyterhub.version, name: "google", namespace: "google",
            values: { ...values, proxy: { ...values.proxy, secretToken: "0".repeat(64) } },
        };
        const { chartKey, objects } = helmTemplateOf(inputs, "google", scratch);
        const logins = Object.entries(GOOGLE_LOGINS);
        const rendered = { stack: "Google with outsiders", release: "google", chartKey, namespace: "google", objects };
        const { google_logins: google } = runChartHubConfig(rendered, scratch, undefined, logins.map(([, login]) => login.account));
        assert.equal(google.authenticator_class, "CourseHubsGoogleOAuthenticator");
        const expected = Object.fromEntries(logins.map(([who, login]) => [who, login.outcome]));
        assert.deepEqual(Object.fromEntries(logins.map(([who], i) => [who, google.logins[i]])), expected);
    });

    it("hands profiles' menus to KubeSpawner as the chart configures it, and shows a profile limited to groups to its members and admins only", () => {
        const spec: HubSpec = { ...MINIMAL_SPEC, auth: AUTHS.genericOidc, server: { profiles: [{ slug: "standard", displayName: "Standard" }, MENU_PROFILE] } };
        const values = toZ2jhValues(forCluster(spec, FULL_PLATFORM), FULL_PLATFORM);
        const inputs = {
            chart: CHARTS.jupyterhub.chart, version: CHARTS.jupyterhub.version, name: "menus", namespace: "menus",
            values: { ...values, proxy: { ...values.proxy, secretToken: "0".repeat(64) } },
        };
        const { chartKey, objects } = helmTemplateOf(inputs, "menus", scratch);
        const users: [string, boolean, string[]][] = [["student-1", false, ["other"]], ["member", false, ["cs101"]], ["an-admin", true, []]];
        const config = runChartHubConfig({ stack: "choice menus", release: "menus", chartKey, namespace: "menus", objects }, scratch, users);
        const slugs = (profiles: { slug: string }[]) => profiles.map((p) => p.slug);
        assert.deepEqual(slugs(config.profiles["student-1"]), ["standard"]);
        assert.deepEqual(slugs(config.profiles.member), ["standard", "choose"]);
        assert.deepEqual(slugs(config.profiles["an-admin"]), ["standard", "choose"]);
        // KubeSpawner 7 reads profile_options.<menu>.choices.<choice>.kubespawner_override and unlisted_choice (spawner.py, _load_profile).
        const options = config.profiles.member[1].profile_options;
        assert.deepEqual(Object.keys(options), ["image", "size"]);
        assert.equal(options.image.choices.r.kubespawner_override.image, "quay.io/jupyter/r-notebook:2025-10-20");
        assert.deepEqual(options.image.unlisted_choice.kubespawner_override, { image: "{value}" });
        // Groups come from the login's claim at each login (oauthenticator 17.4's auth_state_groups_key).
        const login = config.authenticators.GenericOAuthenticator;
        assert.deepEqual([login.manage_groups, login.auth_state_groups_key], [true, "oauth_user.groups"]);
        // The chart's image pullers pull every choice's image (its template names them profile-<index>-option-<menu>-<choice>).
        const pullers = objects.filter((o) => o.kind === "DaemonSet" && /image-puller/.test(o.metadata?.name ?? ""));
        const pulled = pullers.flatMap((o: any) => o.spec.template.spec.initContainers.map((c: any) => c.image));
        assert.ok(pulled.includes("quay.io/jupyter/r-notebook:2025-10-20") && pulled.includes("quay.io/jupyter/scipy-notebook:2025-10-20"), pulled.join(", "));
    });

    it("keeps a hub to allowedSourceRanges: on its proxy's load balancer, or by a Traefik Middleware (valid for its CRD) its Ingress names", async () => {
        const campus = ["198.51.100.0/22", "203.0.113.0/24"];
        const values = toZ2jhValues(forCluster({ ...MINIMAL_SPEC, https: HTTPS_MODES.secret, allowedSourceRanges: campus }, FULL_PLATFORM), FULL_PLATFORM);
        const inputs = {
            chart: CHARTS.jupyterhub.chart, version: CHARTS.jupyterhub.version, name: "campus-only", namespace: "campus-only",
            values: { ...values, proxy: { ...values.proxy, secretToken: "0".repeat(64) } },
        };
        const { objects } = helmTemplateOf(inputs, "campus-only", scratch);
        const service = objects.find((o) => o.kind === "Service" && o.metadata?.name === "proxy-public") as any;
        assert.deepEqual(service.spec.loadBalancerSourceRanges, campus);
        assert.deepEqual(await kubernetesObjectProblems(service), []);

        const crd = YAML.parse(fs.readFileSync(path.join(SOURCES!, "traefik", "crds", "traefik.io_middlewares.yaml"), "utf8"));
        // The API server drops fields a CRD does not name (pruning): here they fail instead, so a misspelt one cannot pass.
        const closed = (node: any): any => (typeof node !== "object" || node === null ? node : Array.isArray(node) ? node.map(closed) : {
            ...Object.fromEntries(Object.entries(node).map(([key, value]) => [key, closed(value)])),
            ...(node.properties && node.additionalProperties === undefined && !node["x-kubernetes-preserve-unknown-fields"]
                ? { additionalProperties: false }
                : {}),
        });
        const schema = closed(crd.spec.versions.find((v: any) => v.name === "v1alpha1").schema.openAPIV3Schema);
        const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
        const { resources } = await deploy(stackConfig("dept-stats-stat200"));
        const middleware = resources.find((r) => r.type === "kubernetes:traefik.io/v1alpha1:Middleware")!;
        const object = { apiVersion: "traefik.io/v1alpha1", kind: "Middleware", ...unwrapSecrets(middleware.inputs) };
        assert.ok(validate(object), JSON.stringify(validate.errors));
        const ingress = rendered.filter((r) => r.stack === "dept-stats-stat200").flatMap((r) => r.objects).find((o) => o.kind === "Ingress") as any;
        assert.equal(ingress.metadata.annotations["traefik.ingress.kubernetes.io/router.middlewares"],
            `${middleware.inputs.metadata.namespace}-${middleware.inputs.metadata.name}@kubernetescrd`);
    });

    it("the hand-written and 40 generated specs render through the z2jh chart into valid objects", async () => {
        const specs = [
            MINIMAL_SPEC,
            ...Object.values(HTTPS_MODES).map((https) => ({ ...MAXIMAL_SPEC, https })),
            ...Array.from({ length: 40 }, ((random) => () => withoutUndefined(randomSpec(random)))(seededRandom(20261125))),
        ];
        const platform = { ...FULL_PLATFORM, gpu: GPU_PLATFORM };
        const problems: string[] = [];
        for (const [i, spec] of specs.entries()) {
            const values = toZ2jhValues(forCluster(spec, platform), platform);
            const inputs = {
                chart: CHARTS.jupyterhub.chart, version: CHARTS.jupyterhub.version, name: `spec-${i}`, namespace: `spec-${i}`,
                values: { ...values, proxy: { ...values.proxy, secretToken: "0".repeat(64) } },
            };
            const { objects } = helmTemplateOf(inputs, `spec-${i}`, scratch);
            if (plainHttpAnswer(objects) === "the hub") {
                problems.push(`spec #${i} (https ${spec.https.mode}): plain HTTP reaches the hub through the load balancer`);
            }
            for (const object of objects) {
                if (await hasSchema(object)) {
                    problems.push(...(await kubernetesObjectProblems(object)).map((p) => `spec #${i}: ${p}`));
                }
            }
        }
        assert.deepEqual(problems, []);
    });

    it("homes on one shared file system: the chart mounts each user's folder of the NFS claim, and its hook shows admins and staff every home", () => {
        // MAXIMAL_SPEC keeps homes on a shared file system, with allHomes for staff too.
        const values = toZ2jhValues(forCluster(MAXIMAL_SPEC, FULL_PLATFORM), FULL_PLATFORM);
        const inputs = {
            chart: CHARTS.jupyterhub.chart, version: CHARTS.jupyterhub.version, name: "shared-homes", namespace: "shared-homes",
            values: { ...values, proxy: { ...values.proxy, secretToken: "0".repeat(64) } },
        };
        const { objects } = helmTemplateOf(inputs, "shared-homes", scratch);
        const r: Rendered = { stack: "MAXIMAL_SPEC", release: "shared-homes", chartKey: "jupyterhub", namespace: "shared-homes", objects };
        const result = runChartHubConfig(r, scratch, [["student-1", false], ["prof-smith", true], ["ta-jones", false]]);
        const homeMounts = (user: string) => (result.mounts[user] as { name: string; mountPath: string; subPath?: string }[])
            .filter((m) => m.name === "home").map((m) => [m.mountPath, m.subPath ?? null]).sort();
        const own = ["/home/jovyan", "{username}"];
        assert.deepEqual(homeMounts("student-1"), [own]);
        assert.deepEqual(homeMounts("prof-smith"), [own, ["/home/jovyan/all-homes", null]].sort());
        assert.deepEqual(homeMounts("ta-jones"), [own, ["/home/jovyan/all-homes", null]].sort());
        assert.equal(result.users["ta-jones"]["/home/jovyan/shared"], false, "the shared folders' hook still ran: staff write the course folder");
    });

    it("pre-pulls, sizes ready seats and shows the logo as the spec asks (server.prePull, prewarm.seatSize, logo)", () => {
        const logo = PNG_LOGO;
        const knobs: HubSpec = {
            ...MAXIMAL_SPEC, logo,
            server: { ...MAXIMAL_SPEC.server, prePull: { continuous: false, beforeUpgrade: true } },
            prewarm: { ...MAXIMAL_SPEC.prewarm, seatSize: "largestProfile" },
        };
        const render = (spec: HubSpec, name: string) => {
            const values = toZ2jhValues(forCluster(spec, FULL_PLATFORM), FULL_PLATFORM);
            const inputs = {
                chart: CHARTS.jupyterhub.chart, version: CHARTS.jupyterhub.version, name, namespace: name,
                values: { ...values, proxy: { ...values.proxy, secretToken: "0".repeat(64) } },
            };
            return helmTemplateOf(inputs, name, scratch).objects as any[];
        };
        const pullers = (objects: any[]) => objects.filter((o) => ["DaemonSet", "Job"].includes(o.kind) && /image-(puller|awaiter)$/.test(o.metadata.name)).map((o) => `${o.kind} ${o.metadata.name}`);
        const placeholder = (objects: any[]) => objects.find((o) => o.kind === "StatefulSet" && o.metadata.name === "user-placeholder")
            .spec.template.spec.containers[0].resources.requests;
        const plain = render({ ...MAXIMAL_SPEC, server: { ...MAXIMAL_SPEC.server, prePull: undefined } }, "knobs-default");
        assert.deepEqual(pullers(plain), ["DaemonSet continuous-image-puller"], "by default only the continuous puller, no upgrade hook");
        // The default profile's 0.25 CPU and 512M with the postgres sidecar's 256M; the largest, the "large" profile's 2G with it;
        // each with the bucket dataset's Cloud Storage FUSE sidecar, 0.05 CPU and 64M.
        assert.deepEqual(placeholder(plain), { cpu: "0.3", memory: "832Mi" });
        const turned = render(knobs, "knobs-turned");
        assert.deepEqual(pullers(turned).sort(), ["DaemonSet hook-image-puller", "Job hook-image-awaiter"]);
        assert.deepEqual(placeholder(turned), { cpu: "0.3", memory: "2368Mi" });
        const hub = turned.find((o) => o.kind === "Deployment" && o.metadata.name === "hub");
        const mount = hub.spec.template.spec.containers[0].volumeMounts.find((m: any) => m.subPath === "course-hubs-logo");
        assert.equal(mount?.mountPath, "/usr/local/etc/jupyterhub/course-hubs-logo.png");
        const secret = turned.find((o) => o.kind === "Secret" && o.metadata.name === "hub");
        assert.equal(secret.data["course-hubs-logo"], logo, "the hub's Secret holds the image's bytes as given");
    });

    it("every rendered object with a Kubernetes API schema is valid", async () => {
        const problems: string[] = [];
        for (const r of rendered) {
            for (const object of r.objects) {
                if (await hasSchema(object)) {
                    problems.push(...(await kubernetesObjectProblems(object)).map((p) => `${r.stack} ${r.release}: ${p}`));
                }
            }
        }
        assert.deepEqual(problems, []);
    });

    it("no two courses render the same cluster-wide object", () => {
        const owners = new Map<string, string>();
        const clashes: string[] = [];
        for (const r of rendered.filter((x) => x.chartKey === "jupyterhub")) {
            for (const object of r.objects.filter((o) => CLUSTER_SCOPED.has(o.kind))) {
                const key = `${object.kind}/${object.metadata?.name}`;
                const owner = `${r.stack}/${r.release}`;
                if (owners.has(key) && owners.get(key) !== owner) {
                    clashes.push(`${key}: ${owners.get(key)} and ${owner}`);
                }
                owners.set(key, owner);
            }
        }
        assert.ok(owners.size > 0, "the hubs render cluster-wide objects (priority classes, the user scheduler's role)");
        assert.deepEqual(clashes, []);
    });

    it("hands the pod extras to KubeSpawner and the image pullers: secret variables by reference, init containers after the content sync, the registry", () => {
        const r = rendered.find((each) => each.stack === "EksHub with GPUs and an ingress" && each.chartKey === "jupyterhub")!;
        const result = runChartHubConfig(r, scratch);
        assert.deepEqual(result.environment.PGPASSWORD, { valueFrom: { secretKeyRef: { name: "course-server-environment", key: "PGPASSWORD" } } });
        assert.deepEqual(result.init_containers, ["course-content", "fetch-dataset"]);
        assert.deepEqual(result.image_pull_secrets, ["course-image-pull"]);
        const pullers = r.objects.filter((o: any) => o.kind === "DaemonSet" && /image-puller/.test(o.metadata.name)) as any[];
        assert.ok(pullers.length > 0, "the chart's image pullers");
        for (const puller of pullers) {
            assert.deepEqual(puller.spec.template.spec.imagePullSecrets, [{ name: "course-image-pull" }], puller.metadata.name);
        }
    });

    it("the chart's own hub configuration loads, and its pre-spawn hook runs for a student, a staff member and an admin", () => {
        const withSharedFolder = rendered.filter((r) => r.chartKey === "jupyterhub");
        assert.ok(withSharedFolder.length > 0);
        let submitFolders = 0;
        for (const r of withSharedFolder) {
            const result = runChartHubConfig(r, scratch);
            assert.equal(result.spawner_class, "kubespawner.KubeSpawner");
            assert.equal(result.lifecycle_hooks?.postStart, undefined, `${r.stack}: no postStart hook (a failed one kills the server)`);
            const values = hubValues(r);
            const initContainers = (values.singleuser?.initContainers ?? []).map((c: { name: string }) => c.name);
            const block = values.singleuser?.cloudMetadata?.blockWithIptables ? [METADATA_BLOCK_CONTAINER] : [];
            assert.deepEqual(result.init_containers, [...block, ...initContainers],
                `${r.stack}: the metadata block first, then course content and the course's own init containers, in their order`);
            assert.equal(result.volume_mounts_shape, "dict", "z2jh 4.4.0 hands KubeSpawner a dict of mounts");
            process.stdout.write(`      ${r.stack}: ${JSON.stringify(result.users)}\n`);
            for (const [user, mounts] of Object.entries(result.users as Record<string, Record<string, boolean>>)) {
                if ("/home/jovyan/shared" in mounts) {
                    assert.equal(mounts["/home/jovyan/shared"], user === "student-1", `${r.stack}: ${user}'s course folder`);
                }
            }
            // The shared volume's folders: a student's own submit folder ({username}, KubeSpawner's safe slug); staff and
            // admins write every folder and see the whole submit tree. Datasets read-only for everyone.
            for (const [user, mounts] of Object.entries(result.mounts as Record<string, { name: string; subPath?: string; readOnly?: boolean }[]>)) {
                const student = user === "student-1";
                for (const mount of mounts.filter((m) => m.name === SHARED_VOLUME_CLAIM)) {
                    if (mount.subPath === "submit" || mount.subPath?.startsWith("submit/")) {
                        assert.equal(mount.subPath, student ? "submit/{username}" : "submit", `${r.stack}: ${user}'s submit folder`);
                        submitFolders += 1;
                    }
                    if (!student) {
                        assert.equal(mount.readOnly, false, `${r.stack}: ${user} writes ${mount.subPath}`);
                    }
                }
                for (const mount of mounts.filter((m) => m.name.startsWith("course-dataset-"))) {
                    assert.equal(mount.readOnly, true, `${r.stack}: ${user}'s dataset ${mount.name}`);
                }
            }
        }
        assert.ok(submitFolders > 0, "an example or the maximal spec has submit folders");
    });

    describe("the real hubs' shapes, in the chart's own hub configuration", () => {
        const hubOf = (stack: string) => rendered.find((r) => r.stack === `${REAL_HUB} ${stack}` && r.chartKey === "jupyterhub")!;
        type Mount = { name: string; mountPath: string; subPath?: string; readOnly?: boolean };

        it("every real hub renders its hub", () => {
            assert.deepEqual(REAL_HUB_STACKS.filter((stack) => !hubOf(stack)), []);
        });

        it("admins (and only they) get every home, the whole file system, where 2i2c gives it: allusers", () => {
            for (const stack of ["ucmerced", "lis", "neurohackademy"]) {
                const { mounts } = runChartHubConfig(hubOf(stack), scratch) as { mounts: Record<string, Mount[]> };
                const allHomes = (user: string) => mounts[user].filter((m) => m.mountPath === "/home/jovyan/allusers");
                assert.deepEqual(allHomes("an-admin").map((m) => [m.name, m.subPath, m.readOnly ?? false]), [["home", undefined, false]], stack);
                assert.deepEqual(allHomes("student-1"), [], stack);
                const home = mounts["student-1"].find((m) => m.mountPath === "/home/jovyan")!;
                assert.deepEqual([home.name, home.subPath], ["home", "{username}"], `${stack}: each home a folder of the one file system`);
            }
        });

        it("ETSU: each student's own submit folder, every student's for the admins", () => {
            const { mounts } = runChartHubConfig(hubOf("etsu"), scratch) as { mounts: Record<string, Mount[]> };
            const submit = (user: string) => mounts[user].filter((m) => m.mountPath === "/home/jovyan/submit").map((m) => [m.subPath, m.readOnly]);
            assert.deepEqual(submit("student-1"), [["submit/{username}", false]]);
            assert.deepEqual(submit("an-admin"), [["submit", false]]);
        });

        it("CCSF: every mail.ccsf.edu account, and the outside tutors and admins listed by name, log in; other outsiders are blocked", () => {
            const accounts = [
                { email: "jdoe@mail.ccsf.edu", hd: "mail.ccsf.edu", verified_email: true },
                { email: "tutor-a@gmail.com", verified_email: true },
                { email: "staff-a@berkeley.edu", hd: "berkeley.edu", verified_email: true },
                { email: "mallory@gmail.com", verified_email: true },
            ];
            const { google_logins: google } = runChartHubConfig(hubOf("ccsf"), scratch, [], accounts);
            assert.deepEqual(google.logins, [
                "logged in as jdoe@mail.ccsf.edu", "logged in as tutor-a@gmail.com", "logged in as staff-a@berkeley.edu (admin)", "blocked",
            ]);
        });

        // oauthenticator 17.4.0 cilogon.py l. 27-29 (_get_select_idp_param): CILogon pre-selects the first IdP marked
        // `default: true`, else the first key of `idps` as the hub reads it: from the values.yaml Helm writes, keys sorted.
        it("CILogon pre-selects each hub's campus IdP, the first it lists", () => {
            const campus: Record<string, string> = {
                ucmerced: "urn:mace:incommon:ucmerced.edu", temple: "https://fim.temple.edu/idp/shibboleth",
                etsu: "http://login.microsoftonline.com/common/oauth2/v2.0/authorize", monmouth: "http://login.microsoftonline.com/common/oauth2/v2.0/authorize",
            };
            for (const [stack, idp] of Object.entries(campus)) {
                const idps: Record<string, { default?: boolean }> = runChartHubConfig(hubOf(stack), scratch).authenticators.CILogonOAuthenticator.idps;
                const preselected = Object.entries(idps).find(([, settings]) => settings.default)?.[0] ?? Object.keys(idps)[0];
                assert.equal(preselected, idp, stack);
            }
        });
    });
});

describe("a course's raw chart values and chart version, through the real z2jh chart", function () {
    if (!SOURCES) {
        it("needs COURSE_HUBS_CHART_SOURCES (exported upstream charts) and helm: see the README, \"Checking against the real charts\"");
        return;
    }
    this.timeout(300_000);
    const spec: HubSpec = { ...MINIMAL_SPEC, server: { environment: { COURSE: "cs101" } } };
    const rawValues = {
        hub: { config: { JupyterHub: { shutdown_on_logout: true } } },
        singleuser: { extraEnv: { DATA_DIR: "/data" }, startTimeout: null },
    };
    /** The 4.4.0 sources under a version of their own, which only this test's repository serves. */
    const OTHER_VERSION = `${CHARTS.jupyterhub.version.replace(/\.(\d+)$/, (_, patch) => `.${Number(patch) + 1}`)}-relabelled`;
    let scratch: string;
    let repository: ChartRepository;

    before(async () => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "course-hubs-raw-values-"));
        repository = await localChartRepository([CHARTS.jupyterhub.version, OTHER_VERSION], scratch);
    });
    after(() => {
        repository?.close();
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    async function hubRelease(values?: Z2jhValues, chartVersion?: string): Promise<any> {
        const resources = await run(courseWithRawValues(spec, values, chartVersion));
        return unwrapSecrets(resources.find((r) => r.type === RELEASE && r.inputs.chart === CHARTS.jupyterhub.chart)!.inputs);
    }

    it("reach the hub's configuration the chart builds: traitlets and environment merged with the spec's, a null deleting the chart's default", async () => {
        const hubConfig = async (values?: Z2jhValues) => {
            const inputs = await hubRelease(values);
            const { objects } = helmTemplateOf(inputs, `raw-values-${values ? "given" : "none"}`, scratch);
            return runChartHubConfig({ stack: "raw values", release: inputs.name, chartKey: "jupyterhub", namespace: inputs.namespace, objects }, scratch);
        };
        const withRaw = await hubConfig(rawValues);
        const without = await hubConfig();
        assert.equal(withRaw.hub_settings.shutdown_on_logout, true);
        assert.equal(without.hub_settings.shutdown_on_logout, undefined);
        assert.deepEqual(withRaw.environment, { ...without.environment, DATA_DIR: "/data" });
        assert.equal(without.environment.COURSE, "cs101", "the spec's environment");
        assert.equal(without.spawner_settings.start_timeout, 600, "the spec's start timeout");
        assert.equal(withRaw.spawner_settings.start_timeout, undefined, "null deletes the spec's value and the chart's default 300: KubeSpawner's own applies");
    });

    it("another chart version: the release's version picks the chart Helm renders, with the raw values", async () => {
        for (const version of [OTHER_VERSION, CHARTS.jupyterhub.version]) {
            const inputs = await hubRelease(rawValues, version === CHARTS.jupyterhub.version ? undefined : version);
            assert.equal(inputs.version, version);
            const objects = await repository.template(inputs, `version-${version}`);
            const hub = objects.find((o) => o.kind === "Deployment" && o.metadata?.name === "hub") as any;
            assert.equal(hub.metadata.labels.chart, `jupyterhub-${version}`);
            const values = hubValues({ stack: "chart version", release: inputs.name, chartKey: "jupyterhub", namespace: inputs.namespace, objects });
            assert.equal(values.Chart.Version, version);
            assert.equal(values.hub.config.JupyterHub.shutdown_on_logout, true);
        }
    });

    it("with another chart version, Helm checks the raw values against that chart's own schema", async () => {
        const misspelt = { singleuser: { memroy: { limit: "2G" } } };
        const { error } = await runExpectingError(courseWithRawValues(spec, misspelt));
        assert.deepEqual(error.errors.map((e: any) => e.propertyPath), ["values.singleuser.memroy"], "the pinned version is checked before deploying");
        const inputs = await hubRelease(misspelt, OTHER_VERSION);
        await assert.rejects(repository.template(inputs, "misspelt"), /values don't meet the specifications of the schema[\s\S]*memroy/);
    });

    it("a course stack's course-hubs:chart reaches the hub's configuration the chart builds, on eks, gke and kubernetes", async () => {
        for (const stack of ["fall-cs101", "spring-ds100", "dept-stats-stat200"]) {
            const { resources, error } = await deploy({ ...stackConfig(stack), "course-hubs:chart": JSON.stringify({ values: rawValues }) });
            assert.equal(error, undefined, String(error?.message));
            const hub = renderReleases(stack, resources, scratch).find((r) => r.chartKey === "jupyterhub")!;
            const config = runChartHubConfig(hub, scratch);
            assert.equal(config.hub_settings.shutdown_on_logout, true, stack);
            assert.equal(config.environment.DATA_DIR, "/data", stack);
            assert.equal(config.spawner_settings.start_timeout, undefined, `${stack}: the null deletes the hub's start timeout and the chart's default`);
        }
    });
});

/**
 * What answers plain HTTP on the hub's load balancer (port 80 of proxy-public), followed through
 * the rendered objects to the process behind it: nothing, a redirect to HTTPS (Traefik's entry
 * point whose every route redirects, or CHP started with --redirect-port on that port), or the hub
 * itself. A ClusterIP Service has no load balancer: the ingress in front of it decides.
 */
function plainHttpAnswer(objects: KubernetesObject[]): "no load balancer" | "nothing" | "a redirect" | "the hub" {
    const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name) as any;
    const service = find("Service", "proxy-public");
    const port = service.spec.ports.find((p: any) => p.port === 80);
    if (service.spec.type === "ClusterIP") {
        return "no load balancer";
    }
    if (!port) {
        return "nothing";
    }
    const component = service.spec.selector.component;
    const container = find("Deployment", component).spec.template.spec.containers[0];
    const containerPort = container.ports.find((p: any) => p.name === port.targetPort || p.containerPort === port.targetPort).containerPort;
    if (component === "autohttps") {
        const data = find("ConfigMap", "autohttps").data;
        const entryPoints = Object.entries(YAML.parse(data["traefik.yaml"]).entryPoints as Record<string, { address: string }>);
        const entryPoint = entryPoints.find(([, e]) => e.address === `:${containerPort}`)![0];
        const dynamic = YAML.parse(data["dynamic.yaml"]).http;
        const routes = Object.values(dynamic.routers as Record<string, any>).filter((router) => router.entrypoints.includes(entryPoint));
        const redirects = (router: any) => router.middlewares.some((m: string) => dynamic.middlewares[m]?.redirectScheme?.scheme === "https");
        return routes.every(redirects) ? "a redirect" : "the hub";
    }
    assert.equal(component, "proxy", "proxy-public leads to autohttps or to the proxy");
    return container.command.includes(`--redirect-port=${containerPort}`) ? "a redirect" : "the hub";
}

function hubValues(r: Rendered): any {
    const secret = r.objects.find((o) => o.kind === "Secret" && o.metadata?.name === "hub") as any;
    return YAML.parse(Buffer.from(secret.data["values.yaml"], "base64").toString("utf8"));
}

/**
 * Lays out the hub pod's config folder from the rendered ConfigMap and Secrets and runs the chart's
 * config, calling its pre-spawn hook for a student, an admin and a staff member, or for `users`;
 * and logging in each of `googleAccounts` with the stand-in of GoogleOAuthenticator.
 */
function runChartHubConfig(r: Rendered, scratch: string, users?: ([string, boolean] | [string, boolean, string[]])[], googleAccounts?: GoogleAccount[]): any {
    const etc = fs.mkdtempSync(path.join(scratch, `${r.release}-etc-`));
    const configMap = r.objects.find((o) => o.kind === "ConfigMap" && o.metadata?.name === "hub") as any;
    const secret = r.objects.find((o) => o.kind === "Secret" && o.metadata?.name === "hub") as any;
    assert.ok(configMap && secret, `${r.stack}: the hub's ConfigMap and Secret`);
    for (const folder of ["config", "secret", "existing-secret"]) {
        fs.mkdirSync(path.join(etc, folder));
    }
    for (const [key, value] of Object.entries(configMap.data as Record<string, string>)) {
        fs.writeFileSync(path.join(etc, "config", key), value);
        if (key === "jupyterhub_config.py" || key === "z2jh.py") {
            fs.writeFileSync(path.join(etc, key), value);
        }
    }
    for (const [key, value] of Object.entries((secret.data ?? {}) as Record<string, string>)) {
        fs.writeFileSync(path.join(etc, "secret", key), Buffer.from(value, "base64"));
    }
    // hub.existingSecret, as the JupyterHub component writes it: the secret traitlets, no values here.
    fs.writeFileSync(path.join(etc, "existing-secret", "values.yaml"), "{}\n");
    const values = hubValues(r);
    const admins: string[] = values.hub?.config?.Authenticator?.admin_users ?? [];
    const staff = (values.hub?.extraConfig?.["course-hubs-shared-folder"] ?? "").match(/_course_hubs_writers = set\((\[.*\])\)/);
    const staffMember = staff ? (JSON.parse(staff[1]) as string[]).find((u) => !admins.includes(u)) : undefined;
    const spawned = users ?? [["student-1", false], ["an-admin", true], ...(staffMember ? [[staffMember, false]] : [])];
    const googleArgument = googleAccounts ? [JSON.stringify(googleAccounts)] : [];
    const output = execFileSync("/usr/bin/python3", [path.join(__dirname, "run_chart_hub_config.py"), etc, JSON.stringify(spawned), ...googleArgument], {
        encoding: "utf8",
    });
    const line = output.split("\n").find((l) => l.startsWith("COURSE-HUBS-RESULT "));
    assert.ok(line, output);
    return JSON.parse(line.slice("COURSE-HUBS-RESULT ".length));
}
