import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { plaintextOccurrences, resetRecording, settled, unwrapSecrets } from "./setup-mocks";
import { z2jhSchemaErrors } from "./support/z2jh-schema";

const ROOT = path.resolve(__dirname, "..");
const SCRATCH = path.join(ROOT, ".tmp");

/** The TypeScript block that follows `<!-- readme-example: NAME -->` in the README. */
function readmeExample(name: string): string {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const match = new RegExp(`<!-- readme-example: ${name} -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme);
    assert.ok(match, `README.md has no example marked ${name}`);
    return match[1];
}

/** Writes the example as a file that imports the package from this repository's sources. */
function writeExample(name: string): string {
    const code = readmeExample(name).replace(/from "course-hubs"/g, `from "../components"`);
    assert.ok(code.includes(`from "../components"`), "the example imports course-hubs");
    fs.mkdirSync(SCRATCH, { recursive: true });
    const file = path.join(SCRATCH, `readme-${name}.ts`);
    fs.writeFileSync(file, code);
    return file;
}

function typeErrors(file: string): string[] {
    const configFile = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
    const program = ts.createProgram([file], { ...options, noEmit: true });
    return ts.getPreEmitDiagnostics(program)
        .filter((d) => d.file?.fileName === file || !d.file)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("README library example: JupyterHub on an existing cluster", () => {
    const file = writeExample("jupyterhub-existing-cluster");

    it("compiles against the package's API", function () {
        this.timeout(120000);
        assert.deepEqual(typeErrors(file), []);
    });

    it("runs under mocks and installs the hub with its secret kept secret", async () => {
        const clientSecret = "readme-client-secret-value";
        pulumi.runtime.setAllConfig(
            { "course-hubs:kubeconfig": "apiVersion: v1\nkind: Config\n", "course-hubs:githubClientSecret": clientSecret },
            ["course-hubs:kubeconfig", "course-hubs:githubClientSecret"],
        );
        resetRecording();
        const program = require(file);
        const resources = await settled();
        const types = resources.map((r) => r.type);
        assert.ok(types.includes("course-hubs:k8s:JupyterHub"));
        const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
        assert.deepEqual(z2jhSchemaErrors(unwrapSecrets(release.inputs.values)), []);
        assert.equal(resources.filter((r) => r.type === "kubernetes:batch/v1:CronJob").length, 2);
        assert.deepEqual(plaintextOccurrences(clientSecret, resources), []);
        const url = await new Promise((resolve) => program.url.apply(resolve));
        assert.equal(url, "https://cs101.hubs.example.edu/");
    });
});
