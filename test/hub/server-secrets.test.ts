import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import {
    EC2AutoscaleHub, HubSpec, InitContainerSpec, JupyterHub, Problem, clusterCapabilities, eksCapabilities, gkeCapabilities, hubClusterObjects,
    hubScripts, hubSpecProblems, renderHubUserData, toZ2jhValues, validateEc2HubArgs, validateHubSpec,
} from "../../components";
import { gpuImagePullerPod } from "../../components/hub/z2jh";
import { serverSecretParameters } from "../../components/aws/ec2-userdata";
import { dockerConfigJson } from "../../components/hub/registry";
import { GPU_PLATFORM } from "../../components/node-roles";
import { RecordedResource, isSecret, plaintextOccurrences, unwrapSecrets } from "../setup-mocks";
import { kubernetesObjectProblems } from "../support/kubernetes-schemas";
import { one, run } from "../support/program";
import { FULL_PLATFORM, MAXIMAL_SPEC, MINIMAL_SPEC, REGISTRY_PASSWORD, SERVER_SECRET, forCluster, forEc2 } from "../support/specs";
import { deploy, stackConfig } from "../support/stacks";
import { z2jhSchemaErrors } from "../support/z2jh-schema";

/*
 * The pod extras that carry secrets or run before the server: secret environment variables
 * (`server.secretEnvironment`), init containers (`server.initContainers`) and a private registry's
 * credential (`server.imagePullSecret`). On Kubernetes the secrets live in Secrets of the hub's
 * namespace that the chart's values only name; on EC2 the variables are SSM parameters the hub reads.
 */

const TOKEN = "api-token-PLAINTEXT-MUST-NOT-LEAK";
const PREPARE: InitContainerSpec = {
    name: "prepare", image: { name: "docker.io/library/busybox", tag: "1.37" }, command: ["sh", "-c", "mkdir -p data"],
};

function withServer(spec: HubSpec, server: HubSpec["server"]): HubSpec {
    return { ...spec, server: { ...spec.server, ...server } };
}

function renderValid(spec: HubSpec, platform = FULL_PLATFORM): Record<string, any> {
    const values = toZ2jhValues(forCluster(spec, platform), platform);
    assert.deepEqual(z2jhSchemaErrors(values), [], "values fail the z2jh 4.4.0 schema");
    return values;
}

function reasonsAt(problems: Problem[], propertyPath: string): string[] {
    return problems.filter((p) => p.propertyPath === propertyPath).map((p) => p.reason);
}

function hub(name: string, spec: HubSpec): JupyterHub {
    const provider = new Provider(`${name}-cluster`, { kubeconfig: "apiVersion: v1\nkind: Config\n" });
    return new JupyterHub(name, { provider, spec, platform: FULL_PLATFORM });
}

/** A recorded `kubernetes:core/v1:Secret` as the object sent to the API server. */
function secretObject(resource: RecordedResource): Record<string, any> {
    return { ...unwrapSecrets(resource.inputs), apiVersion: "v1", kind: "Secret" };
}

function secretNamed(resources: RecordedResource[], name: string): RecordedResource {
    const found = resources.filter((r) => r.type === "kubernetes:core/v1:Secret" && unwrapSecrets(r.inputs).metadata.name === name);
    assert.equal(found.length, 1, `one Secret ${name}`);
    return found[0];
}

/**
 * What KubeSpawner makes of a string of the values it expands: Python's `str.format` with its fields
 * (kubespawner 7.1.0 spawner.py, `_expand_user_properties`), run by Python itself.
 */
function expandedByKubeSpawner(texts: string[]): string[] {
    const fields = "dict(username='jane-2edoe', servername='', user_server='jane-2edoe', userid=7, unescaped_username='jane.doe')";
    const script = `import json, sys\nprint(json.dumps([t.format(**${fields}) for t in json.load(sys.stdin)]))`;
    return JSON.parse(execFileSync("python3", ["-c", script], { input: JSON.stringify(texts), encoding: "utf8" }));
}

describe("server.secretEnvironment: secret environment variables", () => {
    it("reach every server by secretKeyRef to the hub's Secret, beside the plain ones, with no value in the chart's values", () => {
        const values = renderValid(withServer(MINIMAL_SPEC, { environment: { COURSE: "cs101" }, secretEnvironment: { API_TOKEN: TOKEN } }));
        assert.deepEqual(values.singleuser.extraEnv, {
            COURSE: "cs101",
            API_TOKEN: { valueFrom: { secretKeyRef: { name: "course-server-environment", key: "API_TOKEN" } } },
        });
        assert.ok(!JSON.stringify(values).includes("PLAINTEXT-MUST-NOT-LEAK"), "no secret in the values");
    });

    it("are the hub's own objects, by name and value, for the Secret the component creates", () => {
        const objects = hubClusterObjects(forCluster(MAXIMAL_SPEC, FULL_PLATFORM), FULL_PLATFORM);
        assert.deepEqual(objects.serverSecretEnvironment, { PGPASSWORD: SERVER_SECRET });
        assert.equal(hubClusterObjects(forCluster(MINIMAL_SPEC), {}).serverSecretEnvironment, undefined);
    });

    it("keep plain values as written, braces and all, through KubeSpawner's expansion", () => {
        const json = "{\"dataset\": \"week-1\"}";
        const values = renderValid(withServer(MINIMAL_SPEC, { environment: { SETTINGS: json } }));
        assert.deepEqual(expandedByKubeSpawner([values.singleuser.extraEnv.SETTINGS]), [json]);
    });

    it("refuse a name also in environment, one JupyterHub sets, and one no shell can name, by its path", () => {
        const spec = (secretEnvironment: Record<string, string>) => withServer(MINIMAL_SPEC, { environment: { PGHOST: "db" }, secretEnvironment });
        assert.match(reasonsAt(validateHubSpec(spec({ PGHOST: TOKEN })), "spec.server.secretEnvironment.PGHOST")[0], /is in spec\.server\.environment too/);
        for (const name of ["JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN", "MEM_LIMIT", "JUPYTER_IMAGE"]) {
            assert.match(reasonsAt(validateHubSpec(spec({ [name]: TOKEN })), `spec.server.secretEnvironment.${name}`)[0] ?? "", /is set by JupyterHub/, name);
        }
        const problems = validateHubSpec(spec({ "2FA-TOKEN": TOKEN }));
        assert.ok(problems.some((p) => p.propertyPath.startsWith("spec.server.secretEnvironment") && /letters, digits and underscores/.test(p.reason)),
            JSON.stringify(problems));
        assert.ok(!JSON.stringify(problems).includes(TOKEN), "a problem never shows the secret");
        assert.deepEqual(validateHubSpec(spec({ API_TOKEN: pulumi.secret(TOKEN) as unknown as string })), []);
    });

    it("on EC2, are SSM parameters the hub VM reads into its environment, which jupyterhub_config.py hands to the servers", () => {
        const spec = forEc2(withServer(MINIMAL_SPEC, { environment: { COURSE: "cs101" }, secretEnvironment: { API_TOKEN: TOKEN } }));
        assert.deepEqual(serverSecretParameters(spec), [["server-secret-API_TOKEN", TOKEN]]);
        const context = {
            spec, region: "us-east-1", fileSystemId: "fs-0123456789abcdef0", parameterPrefix: "/course-hubs/cs101-fall-2026",
            parameterKeyArn: "arn:aws:kms:us-east-1:123456789012:key/0c0ffee0-1234-4abc-9def-0123456789ab",
        };
        const userData = renderHubUserData(context);
        assert.ok(!userData.includes(TOKEN), "no secret in the user-data");
        const secretsScript = Object.entries(hubScripts(context)).find(([, script]) => script.includes("JPY_COOKIE_SECRET"))![1];
        assert.ok(secretsScript.includes("printf 'COURSE_HUB_SERVER_SECRET_API_TOKEN=%s\\n' \"$(parameter server-secret-API_TOKEN)\""), secretsScript);
        // jupyterhub_config.py loaded by real JupyterHub, with the variable the secrets script puts in the hub's environment.
        const cloudConfig = JSON.parse(userData.slice("#cloud-config\n".length));
        const config = cloudConfig.write_files.find((f: { path: string }) => f.path === "/etc/course-hub/jupyterhub_config.py").content;
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "course-hubs-secret-env-")), "jupyterhub_config.py");
        fs.writeFileSync(file, config);
        const loader = path.join(__dirname, "../support/load_jupyterhub_config.py");
        const env = { ...process.env, COURSE_HUB_SERVER_SECRET_API_TOKEN: "from-the-parameter" };
        const loaded = JSON.parse(execFileSync("/usr/bin/python3", [loader, file], { encoding: "utf8", env }));
        assert.deepEqual(loaded.environment, { COURSE: "cs101", API_TOKEN: "from-the-parameter" });
    });
});

describe("server.initContainers: containers run before each server", () => {
    it("run after course-hubs's content sync, in their order, with the home mounted as the content sync mounts it, unprivileged", () => {
        const second: InitContainerSpec = { ...PREPARE, name: "second", environment: { STEP: "2" }, resources: { cpuGuarantee: 0.1, memoryLimit: "256M" } };
        const values = renderValid(withServer(MAXIMAL_SPEC, { initContainers: [PREPARE, second] }));
        const [content, prepare, last] = values.singleuser.initContainers;
        assert.deepEqual(values.singleuser.initContainers.map((c: { name: string }) => c.name), ["course-content", "prepare", "second"]);
        assert.deepEqual(prepare.volumeMounts, content.volumeMounts, "the home, as the content sync has it");
        assert.deepEqual(prepare, {
            name: "prepare",
            image: "docker.io/library/busybox:1.37",
            command: ["sh", "-c", "mkdir -p data"],
            workingDir: "/home/jovyan",
            volumeMounts: content.volumeMounts,
            securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 1000, runAsGroup: 100, capabilities: { drop: ["ALL"] } },
        });
        assert.deepEqual(last.env, [{ name: "STEP", value: "2" }]);
        assert.deepEqual(last.resources, { requests: { cpu: 0.1 }, limits: { memory: "256Mi" } });
    });

    it("are the only init containers without content, and their command and environment arrive as written through KubeSpawner's expansion", () => {
        const command = ["sh", "-c", "awk '{print $1}' /dataset/index > index && echo ${HOME}"];
        const values = renderValid(withServer(MINIMAL_SPEC, { initContainers: [{ ...PREPARE, command, environment: { JSON: "{}" } }] }));
        const [only] = values.singleuser.initContainers;
        assert.equal(values.singleuser.initContainers.length, 1);
        assert.deepEqual(expandedByKubeSpawner([...only.command, only.env[0].value]), [...command, "{}"]);
        assert.equal(renderValid(MINIMAL_SPEC).singleuser.initContainers, undefined);
    });

    it("refuse a name another container of the pod has, by its path", () => {
        const sidecar = { name: "db", image: { name: "docker.io/library/postgres", tag: "16.4" } };
        for (const taken of ["notebook", "course-content", "block-cloud-metadata", "db", "prepare"]) {
            const problems = validateHubSpec(withServer(MINIMAL_SPEC, { sidecars: [sidecar], initContainers: [PREPARE, { ...PREPARE, name: taken }] }));
            assert.match(reasonsAt(problems, "spec.server.initContainers[1].name")[0] ?? "", /is taken/, taken);
        }
        const problems = validateHubSpec(withServer(MINIMAL_SPEC, { initContainers: [{ ...PREPARE, command: [] }] }));
        assert.ok(problems.some((p) => p.propertyPath === "spec.server.initContainers[0].command"), JSON.stringify(problems));
        const guarantee = validateHubSpec(withServer(MINIMAL_SPEC, { initContainers: [{ ...PREPARE, resources: { cpuGuarantee: 2, cpuLimit: 1 } }] }));
        assert.ok(guarantee.some((p) => p.propertyPath.startsWith("spec.server.initContainers[0].resources")), JSON.stringify(guarantee));
    });
});

describe("server.imagePullSecret: a private registry's credential", () => {
    const CREDENTIAL = { registry: "registry.example.edu:5000", username: "cs101-puller", password: REGISTRY_PASSWORD };

    it("is named by the servers' image, so the servers and the image pullers pull with it, and its password is nowhere in the values", () => {
        const values = renderValid(withServer(MAXIMAL_SPEC, { imagePullSecret: CREDENTIAL }));
        assert.deepEqual(values.singleuser.image.pullSecrets, ["course-image-pull"]);
        assert.ok(!JSON.stringify(values).includes("PLAINTEXT-MUST-NOT-LEAK"), "no secret in the values");
        assert.equal(renderValid(MINIMAL_SPEC).singleuser.image.pullSecrets, undefined);
        const gpuPuller = gpuImagePullerPod(withServer(MAXIMAL_SPEC, { imagePullSecret: CREDENTIAL }), { gpu: GPU_PLATFORM });
        assert.deepEqual(gpuPuller?.imagePullSecrets, [{ name: "course-image-pull" }], "GPU images may be private too");
        assert.equal(gpuImagePullerPod(withServer(MAXIMAL_SPEC, { imagePullSecret: undefined }), { gpu: GPU_PLATFORM })?.imagePullSecrets, undefined);
    });

    it("is Docker's config as kubelet reads it: the registry's entry, Docker Hub's under its v1 address", () => {
        const config = JSON.parse(dockerConfigJson(CREDENTIAL, "s3cr:et"));
        assert.deepEqual(config, {
            auths: {
                "registry.example.edu:5000": { username: "cs101-puller", password: "s3cr:et", auth: Buffer.from("cs101-puller:s3cr:et").toString("base64") },
            },
        });
        assert.deepEqual(Object.keys(JSON.parse(dockerConfigJson({ ...CREDENTIAL, registry: "docker.io" }, "x")).auths), ["https://index.docker.io/v1/"]);
    });

    it("refuses a registry written as a URL or with a path, and an account name with a colon, by their paths", () => {
        for (const registry of ["https://ghcr.io", "ghcr.io/example", "GHCR.IO", "registry"]) {
            const problems = validateHubSpec(withServer(MINIMAL_SPEC, { imagePullSecret: { ...CREDENTIAL, registry } }));
            assert.match(reasonsAt(problems, "spec.server.imagePullSecret.registry")[0] ?? "", /registry's host name/, registry);
        }
        const problems = validateHubSpec(withServer(MINIMAL_SPEC, { imagePullSecret: { ...CREDENTIAL, username: "a:b" } }));
        assert.match(reasonsAt(problems, "spec.server.imagePullSecret.username")[0] ?? "", /without spaces or colons/);
    });
});

describe("the pod extras on each platform", () => {
    const extras = withServer(MINIMAL_SPEC, {
        secretEnvironment: { API_TOKEN: TOKEN }, initContainers: [PREPARE],
        imagePullSecret: { registry: "ghcr.io", username: "puller", password: REGISTRY_PASSWORD },
    });

    it("the Kubernetes hubs serve all three", () => {
        for (const capabilities of [clusterCapabilities({}), eksCapabilities({}), gkeCapabilities({})]) {
            assert.deepEqual(hubSpecProblems(extras, capabilities), []);
        }
    });

    it("EC2AutoscaleHub serves the secret variables and refuses the rest, saying what to do instead", () => {
        const problems = validateEc2HubArgs({ spec: extras });
        assert.deepEqual(problems.map((p) => p.propertyPath).sort(), ["spec.server.imagePullSecret", "spec.server.initContainers"]);
        assert.match(reasonsAt(problems, "spec.server.initContainers")[0], /need a Kubernetes hub.*server\.content/);
        assert.match(reasonsAt(problems, "spec.server.imagePullSecret")[0], /without registry credentials: use public images, or a Kubernetes hub/);
    });
});

describe("the pod extras' secrets under Pulumi mocks", () => {
    let resources: RecordedResource[];
    before(async () => {
        resources = await run(() => hub("cs101", MAXIMAL_SPEC));
    });

    it("are Secrets of the hub's namespace, their data Pulumi secrets, valid for the Kubernetes API, before the release", async () => {
        const environment = secretNamed(resources, "course-server-environment");
        const pull = secretNamed(resources, "course-image-pull");
        for (const secret of [environment, pull]) {
            assert.ok(isSecret(secret.inputs.stringData), `${secret.name}'s data is a Pulumi secret`);
            assert.deepEqual(await kubernetesObjectProblems(secretObject(secret) as never), [], secret.name);
            const release = one(resources, "kubernetes:helm.sh/v3:Release", "cs101-release");
            assert.ok(release.dependencies.includes(secret.urn), `the release waits for ${secret.name}`);
        }
        const namespace = unwrapSecrets(one(resources, "kubernetes:core/v1:Namespace").inputs).metadata.name;
        assert.deepEqual(secretObject(environment), {
            apiVersion: "v1", kind: "Secret", type: "Opaque",
            metadata: { name: "course-server-environment", namespace, labels: secretObject(environment).metadata.labels },
            stringData: { PGPASSWORD: SERVER_SECRET },
        });
        const pullData = secretObject(pull);
        assert.equal(pullData.type, "kubernetes.io/dockerconfigjson");
        assert.deepEqual(JSON.parse(pullData.stringData[".dockerconfigjson"]),
            JSON.parse(dockerConfigJson(MAXIMAL_SPEC.server!.imagePullSecret!, REGISTRY_PASSWORD)));
    });

    it("appear nowhere in plain text: not in the chart's values, other objects, or outputs", () => {
        for (const secret of [SERVER_SECRET, REGISTRY_PASSWORD]) {
            assert.deepEqual(plaintextOccurrences(secret, resources), [], `${secret} in plaintext`);
        }
    });

    it("on EC2, the secret variable is a SecureString parameter, in plain text nowhere", async () => {
        const ec2 = await run(() => new EC2AutoscaleHub("cs101", { spec: withServer(MINIMAL_SPEC, { secretEnvironment: { PGPASSWORD: SERVER_SECRET } }) }));
        const parameter = one(ec2, "aws:ssm/parameter:Parameter", "cs101-server-secret-PGPASSWORD");
        assert.equal(parameter.inputs.type, "SecureString");
        assert.ok(isSecret(parameter.inputs.value));
        assert.equal(unwrapSecrets(parameter.inputs.value), SERVER_SECRET);
        assert.deepEqual(plaintextOccurrences(SERVER_SECRET, ec2), []);
    });
});

describe("the pod extras' secrets in a course stack", () => {
    const config = stackConfig("dept-stats-stat200");
    const hubConfig = JSON.parse(config["course-hubs:hub"]);
    const withHub = (server: object) => ({ ...config, "course-hubs:hub": JSON.stringify({ ...hubConfig, server: { ...hubConfig.server, ...server } }) });
    const variables = JSON.stringify({ API_TOKEN: TOKEN, PGPASSWORD: SERVER_SECRET });
    /** The stack with `course-hubs:secretEnvironment` set encrypted, as the CLI hands it decrypted to the program. */
    const withVariables = (value: string) => deploy(config, undefined, { "course-hubs:secretEnvironment": value });

    it("reads course-hubs:secretEnvironment, each value a secret, into the servers' Secret", async () => {
        const { error, resources } = await withVariables(variables);
        assert.equal(error, undefined, String(error?.message));
        const secret = secretNamed(resources, "course-server-environment");
        assert.deepEqual(unwrapSecrets(secret.inputs.stringData), { API_TOKEN: TOKEN, PGPASSWORD: SERVER_SECRET });
        assert.deepEqual(plaintextOccurrences(TOKEN, resources), []);
    });

    it("refuses it in plain text, in the hub, or not a map of text, naming variables but never their values", async () => {
        const plain = await deploy({ ...config, "course-hubs:secretEnvironment": variables });
        assert.match(plain.error.message, /course-hubs:secretEnvironment: is written in plain text in the stack file.*--secret --path 'course-hubs:secretEnvironment\.<NAME>'/);
        const inHub = await deploy(withHub({ secretEnvironment: { API_TOKEN: TOKEN } }));
        assert.match(inHub.error.message, /course-hubs:hub\.server\.secretEnvironment: is a secret, in plain text in the stack file/);
        const notText = await withVariables(JSON.stringify({ API_TOKEN: { nested: TOKEN } }));
        assert.match(notText.error.message, /course-hubs:secretEnvironment\.API_TOKEN: is not text/);
        // Set without --path: one secret, not a map.
        const notMap = await withVariables(TOKEN);
        assert.match(notMap.error.message, /course-hubs:secretEnvironment: must map each variable's name to its value; set each variable with: pulumi config set/);
        const badName = await withVariables(JSON.stringify({ "2FA": TOKEN }));
        assert.match(badName.error.message, /course-hubs:secretEnvironment/);
        assert.doesNotMatch(badName.error.message, /course-hubs:hub\.server\.secretEnvironment/);
        for (const { error } of [plain, inHub, notText, notMap, badName]) {
            assert.ok(!error.message.includes(TOKEN), error.message);
        }
    });

    it("reads course-hubs:imagePullPassword into the registry credential, and requires it with server.imagePullSecret", async () => {
        const imagePullSecret = { registry: "ghcr.io", username: "puller" };
        const { error, resources } = await deploy(withHub({ imagePullSecret }), undefined, { "course-hubs:imagePullPassword": REGISTRY_PASSWORD });
        assert.equal(error, undefined, String(error?.message));
        const pull = unwrapSecrets(secretNamed(resources, "course-image-pull").inputs.stringData);
        assert.equal(JSON.parse(pull[".dockerconfigjson"]).auths["ghcr.io"].username, "puller");
        const missing = await deploy(withHub({ imagePullSecret }));
        assert.match(missing.error.message, /course-hubs:imagePullPassword: is required by course-hubs:hub\.server\.imagePullSecret; set it with: pulumi config set --secret/);
        const inHub = await deploy(withHub({ imagePullSecret: { ...imagePullSecret, password: "plain" } }), undefined, {
            "course-hubs:imagePullPassword": REGISTRY_PASSWORD,
        });
        assert.match(inHub.error.message, /course-hubs:hub\.server\.imagePullSecret\.password: is a secret/);
    });
});
