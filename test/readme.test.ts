import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { RecordedResource, plaintextOccurrences, resetRecording, settled, unwrapSecrets } from "./setup-mocks";
import { readmeExample, readmeExampleNames } from "./support/readme-examples";
import { z2jhSchemaErrors } from "./support/z2jh-schema";

const ROOT = path.resolve(__dirname, "..");
const SCRATCH = path.join(ROOT, ".tmp");
const CLIENT_SECRET = "readme-client-secret-value";

/** Writes the example as a file that imports the package from this repository's sources. */
function writeExample(name: string): string {
    const code = readmeExample(name).replace(/from "course-hubs"/g, "from \"../components\"");
    assert.ok(code.includes("from \"../components\""), "the example imports course-hubs");
    fs.mkdirSync(SCRATCH, { recursive: true });
    const file = path.join(SCRATCH, `readme-${name}.ts`);
    fs.writeFileSync(file, code);
    return file;
}

/** Every example in the README, with what running it must produce. */
const EXAMPLES: Record<string, { component: string; outputs: Record<string, unknown> }> = {
    "jupyterhub-existing-cluster": { component: "course-hubs:k8s:JupyterHub", outputs: { url: "https://cs101.hubs.example.edu/", namespace: "cs101-fall-2026" } },
    "eks-hub": { component: "course-hubs:aws:EksHub", outputs: { url: "https://cs101.hubs.example.edu/" } },
    "gke-hub": { component: "course-hubs:gcp:GkeHub", outputs: { url: "https://ds100.hubs.example.edu/" } },
    "shared-cluster": { component: "course-hubs:ingress:StaticIpIngress", outputs: { address: "203.0.113.10" } },
    "ec2-hub": { component: "course-hubs:aws:EC2AutoscaleHub", outputs: { url: "https://bootcamp.hubs.example.edu/", workerGroup: "bootcamp-summer-2027-workers" } },
};

describe("README examples", () => {
    const files = Object.fromEntries(Object.keys(EXAMPLES).map((name) => [name, writeExample(name)]));

    it("every example in the README is tested", () => {
        assert.deepEqual(readmeExampleNames().sort(), Object.keys(EXAMPLES).sort());
    });

    // Their types are checked once, in test/package.test.ts: against the package's shipped
    // declarations, with this repository's tsconfig.json strictness.

    for (const [name, expected] of Object.entries(EXAMPLES)) {
        it(`${name} runs under mocks with its secret kept secret`, async () => {
            pulumi.runtime.setAllConfig(
                {
                    "course-hubs:kubeconfig": "apiVersion: v1\nkind: Config\n",
                    "course-hubs:githubClientSecret": CLIENT_SECRET,
                    "course-hubs:googleClientSecret": CLIENT_SECRET,
                },
                ["course-hubs:kubeconfig", "course-hubs:githubClientSecret", "course-hubs:googleClientSecret"],
            );
            resetRecording();
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example's program, loaded by path after the recording is reset
            const program = require(files[name]);
            const resources: RecordedResource[] = [...(await settled())];
            assert.ok(resources.some((r) => r.type === expected.component), `${expected.component} was not created`);
            for (const release of resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "jupyterhub")) {
                assert.deepEqual(z2jhSchemaErrors(unwrapSecrets(release.inputs.values)), []);
            }
            assert.deepEqual(plaintextOccurrences(CLIENT_SECRET, resources), []);
            for (const [output, value] of Object.entries(expected.outputs)) {
                assert.equal(await new Promise((resolve) => program[output].apply(resolve)), value, `output ${output}`);
            }
        });
    }
});
