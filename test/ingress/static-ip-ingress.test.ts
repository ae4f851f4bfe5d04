import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { JupyterHub, StaticIpIngress, StaticIpIngressArgs } from "../../components";
import { CHARTS } from "../../components/versions";
import { RecordedResource, mockElasticIp, unwrapSecrets } from "../setup-mocks";
import { duplicateNames, one, run, runExpectingError } from "../support/program";
import { MINIMAL_SPEC } from "../support/specs";
import { z2jhSchemaErrors } from "../support/z2jh-schema";
import { broken, packSummary, policyInputs } from "../support/policy";

const DEPARTMENT = { course: "stats-dept", term: "2026-2027", owner: "Stats IT <it@stats.example.edu>" };
const cluster = () => new Provider("department-cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
const ingress = (args: Partial<StaticIpIngressArgs> = {}) => new StaticIpIngress("shared", {
    identity: DEPARTMENT,
    provider: cluster(),
    address: { cloud: "gcp", region: "us-central1" },
    letsEncryptEmail: "it@stats.example.edu",
    ...args,
});
const release = (resources: RecordedResource[], chart: string) =>
    resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === chart)!;

describe("StaticIpIngress under Pulumi mocks", () => {
    it("on GKE: reserves a regional address with legal labels and pins the controller's Service to it", async () => {
        const resources = await run(() => ingress());
        const address = one(resources, "gcp:compute/address:Address");
        assert.deepEqual([address.inputs.region, address.inputs.addressType], ["us-central1", "EXTERNAL"]);
        // The owner "Stats IT <it@stats.example.edu>" in GCP's legal label form.
        assert.deepEqual(address.inputs.labels, {
            course: "stats-dept",
            term: "2026-2027",
            owner: "stats_it__it_stats_example_edu",
            "managed-by": "course-hubs",
        });
        assert.deepEqual(packSummary(policyInputs(resources)), []);
        const illegal = broken(
            policyInputs(resources),
            address.name,
            (props) => ({ ...props, labels: { ...props.labels, owner: DEPARTMENT.owner } }),
            address.type,
        );
        assert.deepEqual(packSummary(illegal), [
            `course-required-tags ${address.name}: Label values must be lowercase letters, digits, _ and -, at most 63: owner=${DEPARTMENT.owner}.`,
        ]);
        const traefik = release(resources, "traefik").inputs.values;
        assert.deepEqual(traefik.service.spec, { type: "LoadBalancer", externalTrafficPolicy: "Local", loadBalancerIP: "203.0.113.10" });
        assert.equal(traefik.ingressClass.name, "traefik");
        assert.equal(address.protect, false, "destroy releases the address by default");
    });

    it("on EKS: one Elastic IP per subnet, held by the network load balancer", async () => {
        const resources = await run(() => ingress({ address: { cloud: "aws", subnetIds: ["subnet-a", "subnet-b"] } }));
        const addresses = resources.filter((r) => r.type === "aws:ec2/eip:Eip");
        assert.equal(addresses.length, 2);
        assert.deepEqual(packSummary(policyInputs(resources)), [], "tagged, and within the guardrails");
        const annotations = release(resources, "traefik").inputs.values.service.annotations;
        assert.equal(annotations["service.beta.kubernetes.io/aws-load-balancer-type"], "nlb");
        assert.equal(annotations["service.beta.kubernetes.io/aws-load-balancer-subnets"], "subnet-a,subnet-b");
        assert.equal(annotations["service.beta.kubernetes.io/aws-load-balancer-eip-allocations"], "eipalloc-shared-address-1,eipalloc-shared-address-2");
        assert.equal(release(resources, "traefik").inputs.values.service.spec.externalTrafficPolicy, "Local");
    });

    it("installs Traefik and cert-manager at the manifest's pins, and Let's Encrypt issuers that solve through Traefik's class", async () => {
        const resources = await run(() => ingress());
        const traefik = release(resources, "traefik");
        assert.deepEqual([traefik.inputs.version, traefik.inputs.repositoryOpts.repo], [CHARTS.traefik.version, CHARTS.traefik.repository]);
        const certManager = release(resources, "cert-manager");
        assert.deepEqual([certManager.inputs.version, certManager.inputs.repositoryOpts.repo], [CHARTS.certManager.version, CHARTS.certManager.repository]);
        assert.deepEqual(certManager.inputs.values, { crds: { enabled: true } });
        assert.equal(traefik.inputs.values.ingressClass.name, "traefik");
        const issuers = resources.filter((r) => r.type === "kubernetes:cert-manager.io/v1:ClusterIssuer");
        assert.deepEqual(issuers.map((i) => i.inputs.metadata.name).sort(), ["letsencrypt-production", "letsencrypt-staging"]);
        for (const issuer of issuers) {
            assert.equal(issuer.inputs.spec.acme.email, "it@stats.example.edu");
            assert.deepEqual(issuer.inputs.spec.acme.solvers, [{ http01: { ingress: { ingressClassName: "traefik" } } }]);
            assert.ok(issuer.dependencies.includes(certManager.urn), "an issuer needs cert-manager's CRDs");
            assert.ok(issuer.dependencies.includes(traefik.urn), "an issuer solves through the controller");
        }
        assert.match(issuers.find((i) => i.inputs.metadata.name === "letsencrypt-staging")!.inputs.spec.acme.server, /acme-staging/);
        assert.equal(resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release").length, 2, "no other controller is installed");
    });

    it("accepts controller \"traefik\" spelled out, and refuses \"nginx-inc\" naming the key, the reason and the fix", async () => {
        const spelled = await run(() => ingress({ controller: "traefik" }));
        assert.equal(release(spelled, "traefik").inputs.chart, "traefik");
        const { error, resources } = await runExpectingError(() => ingress({ controller: "nginx-inc" } as any));
        assert.ok(pulumi.InputPropertiesError.isInstance(error));
        assert.deepEqual(error.errors.map((e: any) => e.propertyPath), ["controller"]);
        const reason: string = error.errors[0].reason;
        assert.match(reason, /HTTP-01/);
        assert.match(reason, /NGINX Inc/);
        assert.match(reason, /Leave controller out, or set controller: "traefik"/);
        assert.match(error.message, /controller: "nginx-inc" is no longer offered/);
        assert.deepEqual(resources.filter((r) => r.type !== "pulumi:providers:kubernetes"), []);
    });

    it("creates DNS records for the hostnames, and protects the address only when asked", async () => {
        const gcp = await run(() => ingress({
            protectAddress: true,
            dns: { cloud: "gcp", managedZone: "hubs", hostnames: ["cs101.hubs.example.edu", "ds200.hubs.example.edu"] },
        }));
        const records = gcp.filter((r) => r.type === "gcp:dns/recordSet:RecordSet");
        assert.deepEqual(records.map((r) => [r.inputs.name, r.inputs.type, r.inputs.rrdatas]),
            [["cs101.hubs.example.edu.", "A", ["203.0.113.10"]], ["ds200.hubs.example.edu.", "A", ["203.0.113.10"]]]);
        assert.equal(one(gcp, "gcp:compute/address:Address").protect, true);
        const aws = await run(() => ingress({
            address: { cloud: "aws", subnetIds: ["subnet-a"] },
            // A zone the same program creates: its ID is an Output.
            dns: { cloud: "aws", hostedZoneId: pulumi.output("Z123"), hostnames: ["cs101.hubs.example.edu"] },
        }));
        const record = one(aws, "aws:route53/record:Record");
        assert.deepEqual([record.inputs.zoneId, record.inputs.records], ["Z123", [mockElasticIp("shared-address-1")]]);
        // The controller's network load balancer carries the owner's tags, for billing.
        const annotations = unwrapSecrets(release(aws, "traefik").inputs.values).service.annotations;
        assert.equal(annotations["service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags"],
            "course=stats-dept,term=2026-2027,owner=Stats IT <it@stats.example.edu>,managed-by=course-hubs");
    });

    it("releases the address only after the controller that holds it", async () => {
        const resources = await run(() => ingress());
        const controller = release(resources, "traefik");
        assert.ok(controller.dependencies.includes(one(resources, "gcp:compute/address:Address").urn));
    });

    it("serves two courses by hostname, each with its own TLS secret, without collisions", async () => {
        const resources = await run(() => {
            const shared = ingress();
            const provider = new Provider("courses-cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
            for (const course of ["cs101", "ds200"]) {
                new JupyterHub(course, {
                    provider,
                    ingress: shared,
                    spec: { ...MINIMAL_SPEC, course, hostname: `${course}.hubs.example.edu`, https: { mode: "ingress" } },
                });
            }
        });
        assert.deepEqual(duplicateNames(resources), []);
        const hubs = resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "jupyterhub");
        const values = hubs.map((h) => unwrapSecrets(h.inputs.values));
        assert.deepEqual(values.map((v) => [
            v.ingress.hosts,
            v.ingress.tls[0].secretName,
            v.ingress.ingressClassName,
            v.ingress.annotations["cert-manager.io/cluster-issuer"],
        ]), [
            [["cs101.hubs.example.edu"], "cs101-fall-2026-tls", "traefik", "letsencrypt-production"],
            [["ds200.hubs.example.edu"], "ds200-fall-2026-tls", "traefik", "letsencrypt-production"],
        ]);
        for (const v of values) {
            assert.deepEqual(z2jhSchemaErrors(v), []);
            assert.equal(v.proxy.service.type, "ClusterIP", "no load balancer per course");
        }
        const controller = release(resources, "traefik");
        for (const hub of hubs) {
            assert.ok(hub.dependencies.includes(controller.urn), "a hub's release goes before the shared controller");
        }
    });

    it("reports every invalid argument at once, before creating anything", async () => {
        const { error, resources } = await runExpectingError(() => new StaticIpIngress("bad", {
            identity: DEPARTMENT,
            provider: cluster(),
            address: { cloud: "gcp", region: "us-central1-a" },
            controller: "ingress-nginx",
            dns: { cloud: "aws", hostedZoneId: "Z1", hostnames: ["Not A Host"] },
        } as any));
        assert.ok(pulumi.InputPropertiesError.isInstance(error));
        assert.deepEqual(error.errors.map((e: any) => e.propertyPath).sort(),
            ["address.region", "controller", "dns.cloud", "dns.hostnames[0]", "letsEncryptEmail"]);
        assert.deepEqual(resources.filter((r) => r.type !== "pulumi:providers:kubernetes"), []);
    });
});
