import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { readmeExample, readmeExampleNames } from "./support/readme-examples";

/*
 * The npm package as a department gets it: `npm pack`, installed from the tarball into a fresh
 * project, the README's examples compiled there against the package's shipped types, and the
 * library example run under Pulumi mocks with the consumer's own @pulumi/pulumi.
 */
const ROOT = path.resolve(__dirname, "..");
const ownPackage = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

function npm(args: string[], cwd: string): string {
    return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Runs the compiled example with mocks that record every resource, and prints what it made. */
const RUNNER = `
const pulumi = require("@pulumi/pulumi");
const types = [];
pulumi.runtime.setMocks({
    newResource: (args) => { types.push(args.type); return { id: args.name + "-id", state: args.inputs }; },
    call: (args) => args.inputs,
}, "course-hubs", "consumer", false);
pulumi.runtime.setAllConfig(
    { "course-hubs:kubeconfig": "apiVersion: v1\\nkind: Config\\n", "course-hubs:githubClientSecret": "placeholder" },
    ["course-hubs:kubeconfig", "course-hubs:githubClientSecret"]);
const program = require(process.argv[2]);
program.url.apply((url) => setTimeout(() => console.log(JSON.stringify({ url, types })), 500));
`;

describe("the npm package, installed into a fresh project", function () {
    this.timeout(300000);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "course-hubs-consumer-"));
    const consumer = path.join(work, "consumer");

    before(() => {
        const tarball = npm(["pack", "--pack-destination", work, "--silent"], ROOT).trim().split("\n").pop()!;
        fs.mkdirSync(consumer);
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({
            name: "department-hubs",
            private: true,
            dependencies: {
                "course-hubs": `file:../${tarball}`,
                "@pulumi/pulumi": ownPackage.devDependencies["@pulumi/pulumi"],
                "@pulumi/kubernetes": ownPackage.dependencies["@pulumi/kubernetes"],
            },
        }, null, 2));
        npm(["install", "--prefer-offline", "--no-audit", "--no-fund"], consumer);
    });

    after(() => fs.rmSync(work, { recursive: true, force: true }));

    it("ships only the built library with its declarations", () => {
        const installed = path.join(consumer, "node_modules", "course-hubs");
        assert.ok(fs.existsSync(path.join(installed, "dist", "components", "index.d.ts")));
        assert.ok(!fs.existsSync(path.join(installed, "components")) && !fs.existsSync(path.join(installed, "test")));
        const copies = npm(["ls", "@pulumi/pulumi", "--all", "--parseable"], consumer).split("\n").filter((l) => /node_modules[\\/]@pulumi[\\/]pulumi$/.test(l));
        assert.equal(copies.length, 1, "the package brings no second @pulumi/pulumi");
    });

    it("compiles every README example against the package's types, and runs the library example", () => {
        const files = readmeExampleNames().map((name) => {
            const file = path.join(consumer, `${name}.ts`);
            fs.writeFileSync(file, readmeExample(name));
            return file;
        });
        const program = ts.createProgram(files, {
            strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
            esModuleInterop: true, skipLibCheck: true, outDir: path.join(consumer, "out"), rootDir: consumer,
            typeRoots: [path.join(ROOT, "node_modules", "@types")], types: ["node"],
        });
        const emitted = program.emit();
        const errors = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
        assert.deepEqual(errors, []);
        fs.writeFileSync(path.join(consumer, "runner.js"), RUNNER);
        const output = execFileSync(process.execPath, ["runner.js", "./out/jupyterhub-existing-cluster.js"], { cwd: consumer, encoding: "utf8" });
        const result = JSON.parse(output.trim().split("\n").pop()!);
        assert.equal(result.url, "https://cs101.hubs.example.edu/");
        for (const type of ["course-hubs:k8s:JupyterHub", "kubernetes:core/v1:Namespace", "kubernetes:core/v1:Secret", "kubernetes:helm.sh/v3:Release"]) {
            assert.ok(result.types.includes(type), `${type} was not created in the consumer`);
        }
    });

    it("plans the department's own program offline with npx course-hubs plan", () => {
        // The department's Pulumi project: the README's library example, compiled by the test above.
        fs.writeFileSync(path.join(consumer, "Pulumi.yaml"), "name: department-hubs\nruntime: nodejs\nmain: out/jupyterhub-existing-cluster.js\n");
        fs.writeFileSync(path.join(consumer, "Pulumi.cs101.yaml"), [
            "config:",
            "  department-hubs:kubeconfig: { secure: v1:a3ViZWNvbmZpZy1jaXBoZXJ0ZXh0 }",
            "  department-hubs:githubClientSecret: { secure: v1:Z2l0aHViLWNpcGhlcnRleHQ= }",
        ].join("\n"));
        const output = execFileSync("npx", ["--no-install", "course-hubs", "plan", "cs101", "--json"], { cwd: consumer, encoding: "utf8" });
        const plan = JSON.parse(output);
        assert.equal(plan.exitCode, 0);
        assert.equal(plan.outputs.url, "https://cs101.hubs.example.edu/");
        assert.ok(plan.resources.some((r: any) => r.type === "course-hubs:k8s:JupyterHub"));
        assert.deepEqual(plan.policy.violations, []);
        assert.ok(plan.cost.lines.some((line: any) => line.item.startsWith("hub database volume")));
    });
});
