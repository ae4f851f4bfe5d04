import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { SCHEMA_FILES } from "../components/schema";
import { readmeExample, readmeExampleNames } from "./support/readme-examples";

/*
 * The npm package as a department gets it: built from the current sources and packed (`npm run
 * build`, then `npm pack`), installed from the tarball into a fresh project, the README's examples
 * type-checked there (the one place they are) against the package's shipped types, and the library
 * example run under Pulumi mocks with the consumer's own @pulumi/pulumi.
 *
 * The install is `npm install` of the consumer's package.json; to spare it unpacking ~300 MB of
 * provider SDKs, the consumer's node_modules starts as hard links to this repository's locked
 * install (when both are on one file system), and npm keeps what satisfies the package's declared
 * ranges, prunes everything else (this repository's dev tools) and adds the package.
 */
const ROOT = path.resolve(__dirname, "..");
const ownPackage = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

function npm(args: string[], cwd: string): string {
    return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * Seeds `consumer/node_modules` with hard links to this repository's installed packages (no file
 * is shared that npm rewrites: its record of the tree is a copy). False where links cannot be made.
 */
function seedFromRepository(consumer: string): boolean {
    const target = path.join(consumer, "node_modules");
    try {
        execFileSync("cp", ["-al", path.join(ROOT, "node_modules"), target], { stdio: "ignore" });
    } catch {
        fs.rmSync(target, { recursive: true, force: true });
        return false;
    }
    const record = path.join(target, ".package-lock.json");
    fs.rmSync(record, { force: true });
    if (fs.existsSync(path.join(ROOT, "node_modules", ".package-lock.json"))) {
        fs.copyFileSync(path.join(ROOT, "node_modules", ".package-lock.json"), record);
    }
    return true;
}

/** The README's strictness (tsconfig.json), for a consumer's files: emitting, with Node's types only. */
function consumerCompilerOptions(consumer: string): ts.CompilerOptions {
    const { config } = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
    return {
        ...options, noEmit: false, outDir: path.join(consumer, "out"), rootDir: consumer,
        typeRoots: [path.join(ROOT, "node_modules", "@types")], types: ["node"],
    };
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
        // `npm pack`'s prepack step (npm run build), into a dist/ with nothing left from an earlier build.
        fs.rmSync(path.join(ROOT, "dist"), { recursive: true, force: true });
        npm(["run", "build", "--silent"], ROOT);
        const tarball = npm(["pack", "--ignore-scripts", "--pack-destination", work, "--silent"], ROOT).trim().split("\n").pop()!;
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
        seedFromRepository(consumer);
        npm(["install", "--prefer-offline", "--no-audit", "--no-fund"], consumer);
    });

    after(() => fs.rmSync(work, { recursive: true, force: true }));

    it("ships only the built library with its declarations", () => {
        const installed = path.join(consumer, "node_modules", "course-hubs");
        assert.ok(fs.existsSync(path.join(installed, "dist", "components", "index.d.ts")));
        assert.ok(!fs.existsSync(path.join(installed, "components")) && !fs.existsSync(path.join(installed, "test")));
        assert.ok(fs.existsSync(path.join(installed, "charts", "course-teardown", "Chart.yaml")), "JupyterHub installs course-teardown from the package");
        // The components validate against the schemas, an editor checks stack files with them, and a program may require them.
        const resolve = `for (const f of ${JSON.stringify(SCHEMA_FILES)}) console.log(require.resolve("course-hubs/schema/" + f))`;
        assert.deepEqual(execFileSync(process.execPath, ["-e", resolve], { cwd: consumer, encoding: "utf8" }).trim().split("\n"),
            SCHEMA_FILES.map((file) => fs.realpathSync(path.join(installed, "schema", file))));
        const copies = npm(["ls", "@pulumi/pulumi", "--all", "--parseable"], consumer).split("\n").filter((l) => /node_modules[\\/]@pulumi[\\/]pulumi$/.test(l));
        assert.equal(copies.length, 1, "the package brings no second @pulumi/pulumi");
        for (const devTool of ["mocha", "ts-node", "kubernetes-models"]) {
            assert.ok(!fs.existsSync(path.join(consumer, "node_modules", devTool)), `${devTool} (this repository's dev tool) is in the consumer's install`);
        }
    });

    it("compiles every README example against the package's types, and runs the library example", () => {
        const files = readmeExampleNames().map((name) => {
            const file = path.join(consumer, `${name}.ts`);
            fs.writeFileSync(file, readmeExample(name));
            return file;
        });
        const program = ts.createProgram(files, consumerCompilerOptions(consumer));
        const emitted = program.emit();
        const errors = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics]
            .map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
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
