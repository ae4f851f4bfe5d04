import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { plaintextOccurrences, unwrapSecrets } from "../setup-mocks";
import { policyInputs, runPack } from "../support/policy";
import { SECRET_PLACEHOLDER, STACKS, deploy, stackConfig } from "../support/stacks";

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

    it("a course on the department cluster uses the cluster stack's ingress, with no load balancer of its own", async () => {
        const { resources } = await deploy(stackConfig("dept-stats-stat200"));
        assert.ok(resources.some((r) => r.type === "pulumi:pulumi:StackReference" && r.inputs.name === "dept-stats-cluster"));
        const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
        const values = unwrapSecrets(release.inputs.values);
        assert.equal(values.ingress.ingressClassName, "traefik");
        assert.equal(values.proxy.service.type, "ClusterIP");
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
        const lines = error.message.split("\n").slice(1).map((l: string) => l.trim());
        assert.deepEqual(lines.map((l: string) => l.slice(2, l.indexOf(": "))).sort(), [
            "course-hubs:authClientSecret", "course-hubs:eks.apiAccessCidrs", "course-hubs:eks.coreNodes.spot",
            "course-hubs:hub.culling.idleTimeoutMinute", "course-hubs:hub.https.contactEmail",
        ]);
        assert.match(error.message, /pulumi config set --secret course-hubs:authClientSecret <value> --stack test/);
        assert.match(error.message, /did you mean "idleTimeoutMinutes"/);
        assert.deepEqual(resources, []);
    });

    it("names the platform key when it is missing or wrong, and the cluster when a kubernetes course has none", async () => {
        const { error } = await deploy({ "course-hubs:hub": stackConfig("fall-cs101")["course-hubs:hub"] });
        assert.match(error.message, /course-hubs:platform: must be one of eks, gke, ec2, kubernetes, got nothing/);
        const { error: noCluster } = await deploy({ ...stackConfig("dept-stats-stat200"), "course-hubs:kubernetes": "{}" });
        assert.match(noCluster.message, /course-hubs:kubernetes.clusterStack: name the department's cluster stack, or set the cluster's kubeconfig with: pulumi config set --secret course-hubs:kubeconfig/);
    });

    it("refuses, by config key and before creating anything, what an existing cluster cannot serve", async () => {
        const hub = JSON.parse(stackConfig("dept-stats-stat200")["course-hubs:hub"]);
        hub.storage = { sharedCourseFolder: true };
        const { error, resources } = await deploy({
            ...stackConfig("dept-stats-stat200"),
            "course-hubs:hub": JSON.stringify(hub),
            "course-hubs:kubernetes": JSON.stringify({ platform: { homeStorageClass: "standard" } }),
        }, ["course-hubs:authClientSecret", "course-hubs:kubeconfig"]);
        const keys = error.message.split("\n").slice(1).map((l: string) => l.trim().slice(2, l.trim().indexOf(": ")));
        assert.deepEqual(keys.sort(), ["course-hubs:hub.https.mode", "course-hubs:hub.storage"]);
        assert.deepEqual(resources, []);
    });
});
