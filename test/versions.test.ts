import { strict as assert } from "node:assert";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as semver from "semver";
import { EKS_DEFAULTS } from "../components/aws/eks-args";
import * as versions from "../components/versions";
import { ChartPin, EKS_KUBERNETES, PINS_REVIEWED, Provenance } from "../components/versions";
import { Z2JH_FIXTURES } from "./support/z2jh-schema";

/*
 * The compatibility rules of the version manifest (components/versions.ts). Each rule is a fact
 * about how the pinned software behaves together; a pin changed without its partner fails here.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Every pin of the manifest with its provenance, named by where it sits (`CHARTS.jupyterhub`). */
function allPins(): [string, Provenance][] {
    const pins: [string, Provenance][] = [];
    const visit = (where: string, value: unknown) => {
        if (typeof value !== "object" || value === null) {
            return;
        }
        if ("released" in value && "source" in value) {
            pins.push([where, value as Provenance]);
            return;
        }
        for (const [key, inner] of Object.entries(value)) {
            visit(`${where}.${key}`, inner);
        }
    };
    for (const [name, value] of Object.entries(versions)) {
        visit(name, value);
    }
    return pins;
}

function charts(): [string, ChartPin][] {
    return Object.entries(versions.CHARTS as Record<string, ChartPin>);
}

const minor = (version: string) => semver.coerce(version)!.minor;
const clusterVersion = `${EKS_KUBERNETES.version}.0`;

describe("the version manifest", () => {
    it("names a source and a release date for every pin, none in the future", () => {
        const pins = allPins();
        assert.ok(pins.length >= 6, `found only ${pins.length} pins: the walk misses some`);
        for (const [where, pin] of pins) {
            assert.ok(pin.source.length > 0, `${where} has no source`);
            assert.match(pin.released, DATE, `${where}.released`);
            assert.ok(pin.released <= PINS_REVIEWED, `${where} is released after the review date`);
        }
    });

    it("has nothing past its end of life on the day the pins were reviewed", () => {
        const expired = allPins().filter(([, pin]) => pin.endOfLife !== undefined && pin.endOfLife <= PINS_REVIEWED);
        assert.deepEqual(expired.map(([where, pin]) => `${where} ended ${pin.endOfLife}`), []);
    });

    it("every chart supports the cluster's Kubernetes version, by its own kubeVersion and by upstream's word", () => {
        for (const [name, chart] of charts()) {
            if (chart.kubeVersion) {
                assert.ok(semver.satisfies(clusterVersion, chart.kubeVersion, { includePrerelease: true }),
                    `${name}: kubeVersion ${chart.kubeVersion} excludes ${clusterVersion}`);
            }
            const [low, high] = [chart.supportsKubernetes.min, chart.supportsKubernetes.max].map(minor);
            assert.ok(low <= minor(clusterVersion) && minor(clusterVersion) <= high,
                `${name} supports Kubernetes ${chart.supportsKubernetes.min}-${chart.supportsKubernetes.max}, not ${EKS_KUBERNETES.version}`);
        }
    });

    it("the cluster autoscaler is the cluster's minor and runs its own chart's appVersion", () => {
        const autoscaler = (versions.CHARTS as Record<string, ChartPin>).clusterAutoscaler;
        assert.ok(autoscaler, "CHARTS.clusterAutoscaler is pinned");
        assert.equal(minor(autoscaler.appVersion), minor(clusterVersion), "the autoscaler's minor must equal the cluster's");
        assert.equal(EKS_DEFAULTS.kubernetesVersion, EKS_KUBERNETES.version);
        assert.equal(EKS_DEFAULTS.clusterAutoscaler.chartVersion, autoscaler.version);
        assert.equal(versions.AUTOSCALER_CHART_MINORS[autoscaler.version], `1.${minor(autoscaler.appVersion)}`,
            "EksHub's table of chart releases knows the pinned chart, for its own appVersion");
        assert.equal(EKS_DEFAULTS.clusterAutoscaler.imageTag, `v${autoscaler.appVersion}`,
            "the chart's RBAC is written for its own appVersion: run that image");
    });

    it("kubectl is within one minor of the cluster (kubectl's version skew policy)", () => {
        const skew = Math.abs(minor(versions.IMAGES.kubectl.tag) - minor(clusterVersion));
        assert.ok(skew <= 1, `kubectl ${versions.IMAGES.kubectl.tag} against Kubernetes ${EKS_KUBERNETES.version}`);
    });

    it("the README's version table names every pinned version and release date of the manifest", () => {
        const readme = fs.readFileSync(path.resolve(__dirname, "../README.md"), "utf8");
        const start = readme.indexOf("<!-- versions-table -->");
        assert.ok(start >= 0, "the README marks its versions table");
        const table = readme.slice(start, readme.indexOf("\n\n", start + 30));
        const stated = (text: string, where: string) => assert.ok(table.includes(text), `the README's versions table lacks ${where}: ${text}`);
        stated(`\`${EKS_KUBERNETES.version}\``, "EKS_KUBERNETES.version");
        for (const [key, chart] of charts()) {
            stated(`\`${chart.version}\``, `CHARTS.${key}.version`);
            stated(chart.released, `CHARTS.${key}.released`);
            stated(chart.source, `CHARTS.${key}.source`);
        }
        for (const [key, image] of Object.entries(versions.IMAGES)) {
            stated(image.tag, `IMAGES.${key}.tag`);
        }
        stated(`${versions.EC2_HUB.jupyterhubImage.name}:${versions.EC2_HUB.jupyterhubImage.tag}`, "EC2_HUB.jupyterhubImage");
        stated(`${versions.EC2_HUB.caddyImage.name}:${versions.EC2_HUB.caddyImage.tag}`, "EC2_HUB.caddyImage");
        for (const pkg of versions.EC2_HUB.pythonPackages) {
            stated(`\`${pkg.name}==${pkg.version}\``, "EC2_HUB.pythonPackages");
        }
        for (const pkg of versions.EC2_HUB.amazonLinuxPackages) {
            stated(`\`${pkg.name}\``, "EC2_HUB.amazonLinuxPackages");
        }
        const autoscaler = (versions.CHARTS as Record<string, ChartPin>).clusterAutoscaler;
        stated(`\`v${autoscaler.appVersion}\``, "the autoscaler image");
    });

    it("the z2jh fixtures are the files SOURCES.md names, byte for byte", () => {
        const sources = fs.readFileSync(path.join(Z2JH_FIXTURES, "SOURCES.md"), "utf8");
        const rows = [...sources.matchAll(/^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$/gm)];
        assert.equal(rows.length, 2);
        for (const [, file, sha256] of rows) {
            const actual = crypto.createHash("sha256").update(fs.readFileSync(path.join(Z2JH_FIXTURES, file))).digest("hex");
            assert.equal(actual, sha256, file);
        }
        assert.match(sources, new RegExp(versions.CHARTS.jupyterhub.commit!), "the fixtures come from the pinned chart's commit");
    });
});
