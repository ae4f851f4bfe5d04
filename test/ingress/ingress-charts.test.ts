import { strict as assert } from "node:assert";
import { validateEksHubArgs, validateGkeHubArgs } from "../../components";
import { INGRESS_CHARTS, certManagerValues, traefikValues } from "../../components/ingress/static-ip-ingress";
import { CHARTS, ChartPin, EKS_KUBERNETES, PINS_REVIEWED } from "../../components/versions";
import { MINIMAL_SPEC } from "../support/specs";

/*
 * The Traefik and cert-manager values are written in the keys of the pinned charts (Traefik 41.x,
 * cert-manager 1.21). Both charts ship a values schema that refuses unknown keys (Traefik from
 * v39), and before that Traefik silently ignored keys it no longer read: these tests name each key
 * that moved, so that a value written for an older chart is caught here, before a cluster is.
 * They were checked by rendering the pinned chart sources with real Helm (see README).
 */

const GCP_SERVICE = { loadBalancerIP: "203.0.113.10", annotations: {} };
const AWS_SERVICE = { annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" } };
const major = (version: string) => Number(version.replace(/^v/, "").split(".")[0]);
const minor = (version: string) => Number(version.replace(/^v/, "").split(".")[1]);
/** Every key path of a values tree, dotted. */
function keyPaths(value: unknown, prefix = ""): string[] {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return [];
    }
    return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)]);
}

describe("Traefik values in the pinned chart's keys", () => {
    it("pins Traefik chart 41 (the keys below are that chart's)", () => {
        assert.equal(INGRESS_CHARTS.traefik, CHARTS.traefik);
        assert.equal(major(CHARTS.traefik.version), 41, "a new major moves keys: re-render the chart and revisit traefikValues");
        assert.equal(CHARTS.traefik.appVersion, "v3.7.11");
    });

    for (const [cloud, service] of [["gcp", GCP_SERVICE], ["aws", AWS_SERVICE]] as const) {
        const values = traefikValues("traefik", service) as any;
        const paths = keyPaths(values);

        it(`${cloud}: turns off the new-version check with global.checkNewVersion, not globalArguments (ignored since chart v36, refused since v39)`, () => {
            assert.ok(!paths.some((p) => /globalArguments/i.test(p)), `globalArguments in ${paths.join(", ")}`);
            assert.deepEqual(values.global, { checkNewVersion: false, sendAnonymousUsage: false });
        });

        it(`${cloud}: redirects HTTP to HTTPS under ports.web.http.redirections (the schema refuses ports.web.redirections since v39)`, () => {
            assert.deepEqual(values.ports.web, { http: { redirections: { entryPoint: { to: "websecure", scheme: "https", permanent: true } } } });
            assert.ok(!paths.includes("ports.web.redirections") && !paths.includes("ports.web.redirectTo"));
        });

        it(`${cloud}: a LoadBalancer Service through service.spec.type (service.type is ignored since v40), keeping client addresses`, () => {
            assert.ok(!paths.includes("service.type"), "service.type is ignored by chart 40+");
            assert.equal(values.service.spec.type, "LoadBalancer");
            assert.equal(values.service.spec.externalTrafficPolicy, "Local");
            assert.deepEqual(values.service.annotations, service.annotations);
            assert.equal(values.service.spec.loadBalancerIP, "loadBalancerIP" in service ? service.loadBalancerIP : undefined);
        });

        it(`${cloud}: an IngressClass that is not the cluster's default (the chart's default is true), and the published Service address on Ingresses`, () => {
            assert.deepEqual(values.ingressClass, { enabled: true, isDefaultClass: false, name: "traefik" });
            assert.deepEqual(values.providers, { kubernetesIngress: { publishedService: { enabled: true } } });
        });

        it(`${cloud}: only top-level keys that chart 41 reads (its schema refuses any other)`, () => {
            assert.deepEqual(Object.keys(values).sort(), ["global", "ingressClass", "ports", "providers", "service"]);
        });
    }
});

describe("cert-manager values and pin", () => {
    it("installs its CRDs with crds.enabled (installCRDs is deprecated and may not be combined with it)", () => {
        assert.deepEqual(certManagerValues(), { crds: { enabled: true } });
    });

    it("is a cert-manager line that supports the cluster's Kubernetes and is not past end of life", () => {
        const pin: ChartPin = CHARTS.certManager;
        assert.equal(INGRESS_CHARTS.certManager, pin);
        assert.match(pin.version, /^v\d+\.\d+\.\d+$/, "cert-manager chart versions carry the v");
        assert.equal(pin.appVersion, pin.version);
        assert.ok(minor(pin.version) >= 21, "1.18 is past end of life (2026-03-10) and stops at Kubernetes 1.33");
        assert.ok(pin.endOfLife === undefined || pin.endOfLife > PINS_REVIEWED);
    });

    for (const [name, pin] of [["traefik", CHARTS.traefik], ["certManager", CHARTS.certManager]] as const) {
        it(`${name}: supports the EKS cluster minor (${EKS_KUBERNETES.version}) by its documented range and its chart's kubeVersion`, () => {
            const [lo, hi, k] = [pin.supportsKubernetes.min, pin.supportsKubernetes.max, EKS_KUBERNETES.version].map(minor);
            assert.ok(lo <= k && k <= hi, `${name} supports ${pin.supportsKubernetes.min}-${pin.supportsKubernetes.max}`);
            const floor = /^>=\s*1\.(\d+)\.0-0$/.exec(pin.kubeVersion ?? "");
            assert.ok(floor && Number(floor[1]) <= k, `kubeVersion ${pin.kubeVersion}`);
        });
    }
});

describe("the platforms' ingress.controller option", () => {
    const gke = (controller: unknown) => validateGkeHubArgs({
        spec: { ...MINIMAL_SPEC, https: { mode: "ingress" } }, location: { zone: "us-central1-a" }, apiAccessCidrs: ["203.0.113.0/24"],
        ingress: { letsEncryptEmail: "it@example.edu", controller },
    });
    const eks = (controller: unknown) => validateEksHubArgs({
        spec: { ...MINIMAL_SPEC, https: { mode: "ingress" } }, apiAccessCidrs: ["203.0.113.0/24"],
        ingress: { letsEncryptEmail: "it@example.edu", controller },
    });

    for (const [platform, validate] of [["GkeHub", gke], ["EksHub", eks]] as const) {
        it(`${platform}: accepts "traefik" or nothing, refuses "nginx-inc" at ingress.controller with the reason and the fix`, () => {
            assert.deepEqual(validate(undefined), []);
            assert.deepEqual(validate("traefik"), []);
            const problems = validate("nginx-inc");
            assert.deepEqual(problems.map((p) => p.propertyPath), ["ingress.controller"]);
            assert.match(problems[0].reason, /HTTP-01/);
            assert.match(problems[0].reason, /Leave ingress\.controller out, or set ingress\.controller: "traefik"/);
            const other = validate("ingress-nginx");
            assert.deepEqual(other.map((p) => p.propertyPath), ["ingress.controller"]);
            assert.equal(other[0].reason, 'must be "traefik", got the string "ingress-nginx"');
        });
    }

    it("EksHub and GkeHub refuse a hostname listed twice in ingress.dns, as StaticIpIngress does: their StaticIpIngress does not check again", () => {
        const hostnames = ["cs101.hubs.example.edu", "ds100.hubs.example.edu", "cs101.hubs.example.edu"];
        const ingress = (dns: object) => ({ letsEncryptEmail: "it@example.edu", dns });
        const spec = { ...MINIMAL_SPEC, https: { mode: "ingress" as const } };
        const onEks = validateEksHubArgs({ spec, apiAccessCidrs: ["203.0.113.0/24"], ingress: ingress({ hostedZoneId: "Z123", hostnames }) });
        const onGke = validateGkeHubArgs({
            spec, apiAccessCidrs: ["203.0.113.0/24"], location: { zone: "us-central1-a" }, ingress: ingress({ managedZone: "hubs", hostnames }),
        });
        for (const problems of [onEks, onGke]) {
            assert.deepEqual(problems, [{ propertyPath: "ingress.dns.hostnames[2]", reason: "\"cs101.hubs.example.edu\" is listed twice" }]);
        }
    });
});
