import { strict as assert } from "node:assert";
import { GkeHub, GkeHubArgs, JupyterHub } from "../../components";
import { gkeHubPlatform } from "../../components/gcp/gke-platform";
import { KNOWN_AFTER_DEPLOYMENT, hubAdditionsBeforeDeployment } from "../../components/hub/platform";
import { valuesBeforeDeployment } from "../../components/hub/z2jh";
import { estimateCost } from "../../plan/cost";
import PRICES from "../../plan/prices.json";
import { MOCK_GCP_ADDRESS, RecordedResource, unwrapSecrets } from "../setup-mocks";
import { packSummary, policyInputs } from "../support/policy";
import { one, run } from "../support/program";
import { MINIMAL_SPEC, forCluster } from "../support/specs";
import { deploy } from "../support/stacks";

/*
 * The hub's own load balancer on GKE: GKE labels nothing it creates for a LoadBalancer Service, so
 * GkeHub reserves the address with the course's labels and hands it to this hub alone; the cluster's
 * cost allocation attributes the rest. The plan prices the load balancer once: its forwarding rule,
 * and its address at no charge while the rule holds it.
 */

const LABELS = { course: "cs101", term: "fall-2026", owner: "course-it_example_edu", "managed-by": "course-hubs" };
const OWN_LOAD_BALANCER: GkeHubArgs = { spec: MINIMAL_SPEC, location: { zone: "us-central1-a" }, apiAccessCidrs: ["203.0.113.0/24"] };
const BEHIND_INGRESS: GkeHubArgs = {
    ...OWN_LOAD_BALANCER,
    spec: { ...MINIMAL_SPEC, https: { mode: "ingress" } },
    ingress: { letsEncryptEmail: "course-it@example.edu" },
};

const hubRelease = (resources: RecordedResource[], namespace = "cs101-fall-2026") =>
    resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "jupyterhub" && r.inputs.namespace === namespace)!;
const proxyService = (release: RecordedResource) => unwrapSecrets(release.inputs.values).proxy.service;

describe("GkeHub's own load balancer: a labelled, reserved address for this hub alone", () => {
    let gke: GkeHub;
    let resources: RecordedResource[];
    before(async () => {
        resources = await run(() => {
            gke = new GkeHub("cs101", OWN_LOAD_BALANCER);
            // Another course on the cluster, through what the cluster publishes.
            new JupyterHub("ds200", {
                provider: gke.provider,
                platform: gke.platform,
                spec: { ...MINIMAL_SPEC, course: "ds200", hostname: "ds200.hubs.example.edu" },
            });
        });
    });

    it("reserves a regional premium-tier external address labelled with the course's labels, and the hub's Service asks for it", () => {
        const address = one(resources, "gcp:compute/address:Address", "cs101-proxy-address");
        assert.deepEqual(
            [address.inputs.region, address.inputs.addressType, address.inputs.networkTier, address.inputs.labels],
            ["us-central1", "EXTERNAL", "PREMIUM", LABELS],
        );
        assert.deepEqual(proxyService(hubRelease(resources)), { type: "LoadBalancer", loadBalancerIP: MOCK_GCP_ADDRESS });
        assert.deepEqual(packSummary(policyInputs(resources)), [], "labelled as the policy pack requires");
    });

    it("creates the address before the hub and releases it only after the hub's chart, and its load balancer, are uninstalled", () => {
        const address = one(resources, "gcp:compute/address:Address", "cs101-proxy-address");
        const release = hubRelease(resources);
        assert.ok(release.dependencies.includes(address.urn), "the release takes the address as an input: deleted before it");
        assert.ok(!release.inputs.skipAwait && release.inputs.timeout >= 600, "uninstalling waits for the Service, so for the load balancer, to be gone");
        assert.equal(address.protect, false);
        assert.equal(address.retainOnDelete, false);
    });

    it("keeps the address out of the platform it publishes: another course on the cluster gets a load balancer of its own", () => {
        assert.equal(gke.platform.proxyService, undefined);
        assert.deepEqual(proxyService(hubRelease(resources, "ds200-fall-2026")), { type: "LoadBalancer" });
        assert.equal(resources.filter((r) => r.type === "gcp:compute/address:Address").length, 1);
    });

    it("turns on GKE cost allocation, which attributes the nodes' cost to each course's namespace in the billing export", () => {
        assert.deepEqual(one(resources, "gcp:container/cluster:Cluster").inputs.costManagementConfig, { enabled: true });
    });

    it("renders before deployment what it deploys: the validator's stand-in sits where the reserved address goes", () => {
        // As validateGkeHubArgs renders them.
        const rendered = (args: GkeHubArgs) => {
            const platform = { ...gkeHubPlatform(args, KNOWN_AFTER_DEPLOYMENT), ...hubAdditionsBeforeDeployment(undefined, args.ingress !== undefined) };
            return valuesBeforeDeployment(forCluster(args.spec, platform), platform).proxy.service;
        };
        assert.deepEqual(rendered(OWN_LOAD_BALANCER), { ...proxyService(hubRelease(resources)), loadBalancerIP: KNOWN_AFTER_DEPLOYMENT });
        assert.deepEqual(rendered(BEHIND_INGRESS), { type: "ClusterIP" }, "behind the shared entry point the hub has no load balancer to give an address");
        assert.equal(gkeHubPlatform(OWN_LOAD_BALANCER).proxyService, undefined, "without the address: the platform published for other courses");
        assert.equal(gkeHubPlatform(BEHIND_INGRESS, KNOWN_AFTER_DEPLOYMENT).proxyService, undefined, "no address behind the shared entry point");
    });

    it("reserves nothing more behind the shared entry point, whose controller holds its own labelled address", async () => {
        const behind = await run(() => new GkeHub("cs101", BEHIND_INGRESS));
        const addresses = behind.filter((r) => r.type === "gcp:compute/address:Address");
        assert.deepEqual(addresses.map((a) => [a.name, a.inputs.labels]), [["cs101-ingress-address", LABELS]]);
        assert.deepEqual(proxyService(hubRelease(behind)), { type: "ClusterIP" });
    });
});

describe("the plan's price of a GKE hub's own load balancer", () => {
    // A course stack on GkeHub without the ingress option, which the example stacks all use.
    const config = {
        "gcp:project": "example-cs101",
        "gcp:zone": "us-central1-a",
        "course-hubs:platform": "gke",
        "course-hubs:hub": JSON.stringify({
            course: "cs101", term: "fall-2026", owner: "course-it@example.edu", hostname: "cs101.hubs.example.edu",
            https: { mode: "letsencrypt", contactEmail: "course-it@example.edu" },
            auth: { type: "github", clientId: "Iv1.0a", allowedOrganizations: ["example"] },
            adminUsers: ["prof"],
        }),
        "course-hubs:gke": JSON.stringify({ apiAccessCidrs: ["203.0.113.0/24"] }),
    };
    let resources: RecordedResource[];
    before(async () => {
        const deployed = await deploy(config);
        assert.equal(deployed.error, undefined);
        resources = deployed.resources;
    });

    it("is one forwarding rule and its reserved address, at no charge while the rule holds it: the address is not priced twice", () => {
        const cost = estimateCost(resources, config);
        const addressLines = cost.lines.filter((line) => /address/i.test(line.item) && !line.item.startsWith("node pool"));
        assert.deepEqual(addressLines.map((line) => [line.item, line.resource, line.floor]), [[
            "static external IPv4 address on a load balancer (no charge while its forwarding rule holds it)",
            "gcp:compute/address:Address::cs101-proxy-address",
            0,
        ]]);
        const rules = cost.lines.filter((line) => line.item.endsWith("forwarding rule"));
        assert.deepEqual(rules.map((line) => [line.item, line.unitPrice]),
            [["load balancer of cs101-hub-release: forwarding rule", PRICES.gcp.forwardingRulePerHour.usd]]);
    });

    it("says that GCP forwarding rules carry no labels, and where the course's labels reach billing instead", () => {
        const notes = estimateCost(resources, config).notes;
        assert.ok(notes.some((note) => note.startsWith("GCP forwarding rules carry no labels")
            && note.includes("reserved address") && note.includes("GKE cost allocation")), notes.join("\n"));
        assert.ok(notes.some((note) => note.includes("$0.01 an hour ($7.30 a month)")), "what a reserved address costs once nothing holds it");
    });
});
