import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import * as YAML from "yaml";
import { SECRET_PLACEHOLDER as OFFLINE_PLACEHOLDER } from "../../plan/stack-config";
import { RecordedResource, plaintextOccurrences, unwrapSecrets } from "../setup-mocks";
import { policyInputs, runPack } from "../support/policy";
import { REAL_HUBS, REAL_HUB_STACKS, deployRealHub } from "../support/stacks";

/*
 * Issue 17's eight university hubs, as 2i2c runs them (2i2c-org/infrastructure@9ad7cd0f), each as a
 * course stack in test/fixtures/real-hubs (its README.md says where each comes from and what is not
 * reproduced): deployed through the real program under the mocks, with the chart values that carry
 * each hub's shape checked against 2i2c's own values, so that a capability regressing fails here;
 * and planned offline, as `course-hubs plan` does. test/upstream/charts.test.ts renders them with
 * the real chart.
 */

const ROOT = path.resolve(__dirname, "../..");

/** The hub's chart values. */
const chartValues = (resources: RecordedResource[]) =>
    unwrapSecrets(resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "jupyterhub")!.inputs.values);

/** The inputs of the one Kubernetes object of `kind` named `name` in the hub's namespace. */
function object(resources: RecordedResource[], kind: string, name: string): any {
    const found = resources.filter((r) => r.type === `kubernetes:core/v1:${kind}` && unwrapSecrets(r.inputs).metadata?.name === name);
    assert.equal(found.length, 1, `one ${kind} ${name}`);
    return unwrapSecrets(found[0].inputs);
}

/** Homes on one file system: its size, and each home's quota in GiB as the quota enforcer reads it (jupyterhub-home-nfs's hard_quota). */
function sharedHomes(resources: RecordedResource[]): { size: string; quotaGiB: number } {
    const quota = JSON.parse(object(resources, "ConfigMap", "homes-nfs").data["quota-enforcer.json"]).QuotaManager;
    return { size: object(resources, "PersistentVolumeClaim", "course-homes-disk").spec.resources.requests.storage, quotaGiB: quota.hard_quota };
}

/**
 * Bytes of a KubeSpawner memory size, as JupyterHub's ByteSpecification reads one (jupyterhub/traitlets.py, 5.x
 * l. 78-93: `int(float(number) * unit)`, units of 1024): 2i2c's byte counts are written in KiB with a fraction.
 */
function kubeSpawnerBytes(size: string): number {
    const units: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };
    return Math.trunc(Number(size.slice(0, -1)) * units[size.slice(-1)]);
}

/** The chart's mounts of every server, by path. */
const mountsOf = (values: any) => Object.fromEntries(values.singleuser.storage.extraVolumeMounts.map((m: any) => [m.mountPath, m]));

/** Every home a folder of the NFS claim, named after the user alone: a user's named servers share it. */
function assertHomesOnSharedFileSystem(values: any): void {
    assert.equal(values.singleuser.storage.type, "static");
    assert.deepEqual(values.singleuser.storage.static, { pvcName: "course-homes", subPath: "{username}" });
}

/** 2i2c's `_shared` folder: read-only for students at the Jupyter and RStudio homes' `shared`. */
function assertSharedFolder(values: any): void {
    const mounts = mountsOf(values);
    for (const at of ["/home/jovyan/shared", "/home/rstudio/shared"]) {
        assert.deepEqual([mounts[at]?.subPath, mounts[at]?.readOnly], ["shared", true], at);
    }
}

/**
 * Admins get the whole file system, every home, at `at`: the hub's pre-spawn hook mounts the chart's home volume there
 * (test/upstream/charts.test.ts runs it).
 */
function assertAllHomesAt(values: any, at: string): void {
    assert.ok(values.hub.extraConfig["course-hubs-zz-all-homes"]?.includes(JSON.stringify({ name: "home", mountPath: at })), `admins see every home at ${at}`);
}

/**
 * The CILogon login's identity providers as oauthenticator 17.4 reads them (`CILogonOAuthenticator.idps`), without the
 * pre-selected one's `default`: test/upstream/charts.test.ts checks which is pre-selected, in the hub the chart configures.
 */
function cilogonIdps(values: any): Record<string, Record<string, unknown>> {
    const idps: Record<string, Record<string, unknown>> = values.hub.config.CILogonOAuthenticator.idps;
    const rules = (settings: Record<string, unknown>) => Object.fromEntries(Object.entries(settings).filter(([key]) => key !== "default"));
    return Object.fromEntries(Object.entries(idps).map(([entityId, settings]) => [entityId, rules(settings)]));
}
const GOOGLE_IDP = "http://google.com/accounts/o8/id";
const MICROSOFT_IDP = "http://login.microsoftonline.com/common/oauth2/v2.0/authorize";

/** A profile's menu (`profile_options`) as KubeSpawner reads it: its choices' overrides by slug, and the typed image's regex. */
function menu(profile: any, slug: string): { choices: Record<string, any>; typed?: RegExp } {
    const option = profile.profile_options[slug];
    const choices = Object.fromEntries(Object.entries(option.choices).map(([key, choice]: [string, any]) => [key, choice.kubespawner_override]));
    return { choices, typed: option.unlisted_choice?.enabled ? new RegExp(option.unlisted_choice.validation_regex) : undefined };
}

/** 2i2c's typed image, `^.+:.+$`: an image with a tag. */
function assertTypedImageOfAnyTag(typed: RegExp | undefined): void {
    assert.ok(typed, "a typed image");
    assert.ok(typed.test("pangeo/ml-notebook:2026.01.30"));
    assert.ok(!typed.test("pangeo/ml-notebook"), "an image without a tag is refused");
}

const profileBySlug = (values: any, slug: string) => values.singleuser.profileList.find((p: any) => p.slug === slug);

/** What each hub's chart values must carry of its 2i2c shape, from 2i2c's values files. */
const SHAPES: Record<string, (values: any, resources: RecordedResource[]) => void> = {
    ucmerced(values, resources) {
        assertHomesOnSharedFileSystem(values);
        assert.deepEqual(sharedHomes(resources), { size: "375Gi", quotaGiB: 10 });
        assertSharedFolder(values);
        // Multi-IdP CILogon: every UC Merced account by eppn; Google accounts by email, listed users only.
        assert.deepEqual(cilogonIdps(values), {
            "urn:mace:incommon:ucmerced.edu": { username_derivation: { username_claim: "eppn" }, allow_all: true },
            [GOOGLE_IDP]: { username_derivation: { username_claim: "email" } },
        });
        assert.deepEqual(values.hub.config.Authenticator.admin_users,
            ["staff-a@ucmerced.edu", "staff-b@ucmerced.edu", "engineer-a@2i2c.org", "engineer-b@2i2c.org"], "the hub's admins, then the operators'");
        // One size menu in both profiles, byte-exact as 2i2c's resource allocation, every server on r5.2xlarge nodes.
        assert.deepEqual(values.singleuser.nodeSelector, { "node.kubernetes.io/instance-type": "r5.2xlarge" });
        assert.deepEqual(values.singleuser.profileList.map((p: any) => p.slug), ["python", "r"]);
        assert.equal(profileBySlug(values, "r").kubespawner_override.image, "quay.io/2i2c/rocker-with-nbgitpuller:3edc87d73e3d");
        for (const profile of values.singleuser.profileList) {
            const { choices } = menu(profile, "requests");
            const small = choices["mem-954-mb"];
            const large = choices["mem-2-gb"];
            assert.deepEqual([kubeSpawnerBytes(small.mem_guarantee), kubeSpawnerBytes(small.mem_limit), small.cpu_guarantee, small.cpu_limit],
                [999856524, 999856524, 0.1176765625, 7.5313], profile.slug);
            assert.deepEqual([kubeSpawnerBytes(large.mem_guarantee), kubeSpawnerBytes(large.mem_limit), large.cpu_guarantee, large.cpu_limit],
                [1999713049, 1999713049, 0.235353125, 7.5313], profile.slug);
        }
        assertAllHomesAt(values, "/home/jovyan/allusers");
        assert.equal(values.prePuller.continuous.enabled, true);
    },
    utoronto(values, resources) {
        // Canvas: anyone with a U of T Canvas account, named by login_id (the UTORid).
        const canvas = values.hub.config.GenericOAuthenticator;
        assert.deepEqual([canvas.authorize_url, canvas.token_url, canvas.userdata_url], [
            "https://utoronto.instructure.com/login/oauth2/auth", "https://utoronto.instructure.com/login/oauth2/token",
            "https://utoronto.instructure.com/api/v1/users/self/profile",
        ]);
        assert.deepEqual([canvas.username_claim, canvas.allow_all], ["login_id", true]);
        assert.deepEqual(canvas.scope, ["url:GET|/api/v1/users/:user_id/profile", "url:GET|/api/v1/users/self/groups", "url:GET|/api/v1/courses"]);
        assertHomesOnSharedFileSystem(values);
        assert.deepEqual(sharedHomes(resources), { size: "1Ti", quotaGiB: 1024 }, "no quota: each home may fill the share");
        assertSharedFolder(values);
        // Private-repository pulls: git reads the GitHub App's credential helper from /etc/gitconfig.
        assert.equal(values.singleuser.extraEnv.GIT_CONFIG, "/etc/gitconfig");
        const gitconfig = Object.values(values.singleuser.extraFiles).find((f: any) => f.mountPath === "/etc/gitconfig") as any;
        assert.match(gitconfig?.stringData ?? "", /helper = !git-credential-github-app .* --app-id 93515/);
        assert.deepEqual([values.singleuser.cpu, values.singleuser.memory], [{ guarantee: 0.01, limit: 4 }, { guarantee: "1G", limit: "2G" }]);
        assert.deepEqual([values.prePuller.hook.enabled, values.prePuller.continuous.enabled], [true, false], "the hook pre-puller only");
    },
    temple(values, resources) {
        assertHomesOnSharedFileSystem(values);
        assert.deepEqual(sharedHomes(resources), { size: "1950Gi", quotaGiB: 10 });
        assertSharedFolder(values);
        assert.deepEqual(mountsOf(values)["/home/jovyan/shared-public"], {
            name: "course-shared", mountPath: "/home/jovyan/shared-public", subPath: "shared-public", readOnly: false,
        }, "a folder every student writes");
        assert.deepEqual(cilogonIdps(values), {
            "https://fim.temple.edu/idp/shibboleth": { username_derivation: { username_claim: "eppn" }, allow_all: true },
            [GOOGLE_IDP]: { username_derivation: { username_claim: "email" } },
        });
        assert.deepEqual(values.hub.config.Authenticator.allowed_users, ["prof-a@temple.edu", "prof-b@temple.edu"]);
        assert.deepEqual([values.hub.allowNamedServers, values.hub.namedServerLimitPerUser], [true, 10]);
        assert.deepEqual([kubeSpawnerBytes(values.singleuser.memory.guarantee), kubeSpawnerBytes(values.singleuser.memory.limit)], [1951419879, 1951419879]);
        assert.deepEqual(values.singleuser.cpu, { guarantee: 0.22815625, limit: 3.6505 });
        assert.ok(resources.some((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && r.inputs.instanceTypes?.includes("r5.xlarge")), "r5.xlarge user nodes");
    },
    etsu(values, resources) {
        assertHomesOnSharedFileSystem(values);
        assert.deepEqual(sharedHomes(resources), { size: "100Gi", quotaGiB: 20 });
        assertSharedFolder(values);
        // Each student's own submit folder, writable; the hub gives admins the whole tree (test/upstream/charts.test.ts runs it).
        assert.deepEqual(mountsOf(values)["/home/jovyan/submit"], {
            name: "course-shared", mountPath: "/home/jovyan/submit", subPath: "submit/{username}", readOnly: false,
        });
        assert.deepEqual(cilogonIdps(values), {
            [MICROSOFT_IDP]: {
                username_derivation: { username_claim: "email" }, allowed_domains: ["etsu.edu", "mail.etsu.edu"], allowed_domains_claim: "email",
            },
            [GOOGLE_IDP]: { username_derivation: { username_claim: "email" } },
        });
        assert.deepEqual(values.cull, { enabled: true, users: false, timeout: 1800, every: 300, maxAge: 43200 });
        assert.deepEqual(values.singleuser.memory, { guarantee: "2G", limit: "32G" });
    },
    monmouth(values, resources) {
        assertHomesOnSharedFileSystem(values);
        assert.deepEqual(sharedHomes(resources), { size: "100Gi", quotaGiB: 30 });
        assertSharedFolder(values);
        assert.deepEqual(cilogonIdps(values)[MICROSOFT_IDP].allowed_domains, ["monmouth.edu"]);
        const cpu = profileBySlug(values, "cpu-only");
        assert.deepEqual(cpu.kubespawner_override.node_selector, { "node.kubernetes.io/instance-type": "n2-highmem-4" });
        const cpuImages = menu(cpu, "image");
        assert.deepEqual(Object.values(cpuImages.choices).map((c) => c.image).sort(), [
            "pangeo/pangeo-notebook:2025.01.24", "quay.io/jupyter/scipy-notebook:2025-01-06",
            "us-central1-docker.pkg.dev/cal-icor-hubs/user-images/base-user-image:6d61d3c15d47",
            "us-central1-docker.pkg.dev/cal-icor-hubs/user-images/workshop-cpu-image:f6f187f86979",
        ]);
        assertTypedImageOfAnyTag(cpuImages.typed);
        // The GPU profile: one GPU on an n1-highmem-8 with a T4, the driver's capabilities, its own image menu.
        const gpu = profileBySlug(values, "gpu-t4").kubespawner_override;
        assert.deepEqual(gpu.extra_resource_limits, { "nvidia.com/gpu": "1" });
        assert.deepEqual(gpu.node_selector, { "cloud.google.com/gke-accelerator": "nvidia-tesla-t4", "node.kubernetes.io/instance-type": "n1-highmem-8" });
        assert.ok(gpu.tolerations.some((t: any) => t.key === "nvidia.com/gpu" && t.value === "present"), "the GPU nodes' taint");
        assert.deepEqual(gpu.environment, { NVIDIA_DRIVER_CAPABILITIES: "compute,utility" });
        assert.deepEqual([gpu.cpu_guarantee, gpu.cpu_limit, gpu.mem_guarantee, gpu.mem_limit], [1.5, 3, "12G", "16G"]);
        const gpuImages = menu(profileBySlug(values, "gpu-t4"), "image");
        assert.deepEqual(Object.values(gpuImages.choices).map((c) => c.image).sort(), [
            "pangeo/ml-notebook:2026.01.30", "pangeo/pytorch-notebook:2026.01.30",
            "us-central1-docker.pkg.dev/cal-icor-hubs/user-images/workshop-gpu-image:ed76dadfea20",
        ]);
        assertTypedImageOfAnyTag(gpuImages.typed);
    },
    lis(values, resources) {
        assertHomesOnSharedFileSystem(values);
        assert.deepEqual(sharedHomes(resources), { size: "570Gi", quotaGiB: 10 });
        assertSharedFolder(values);
        assert.deepEqual(values.hub.config.GitHubOAuthenticator.allowed_organizations, ["lisacuk", "2i2c-org:hub-access-for-2i2c-staff"]);
        // An environment menu with a typed image, and a size menu, in one profile.
        const profile = profileBySlug(values, "choose");
        const images = menu(profile, "image");
        assert.deepEqual(images.choices, { default: { image: "lisacuk/lishub-base:f762e16" } });
        assertTypedImageOfAnyTag(images.typed);
        const sizes = menu(profile, "resources").choices;
        assert.deepEqual([sizes["mem-2-gb"].mem_guarantee, sizes["mem-2-gb"].mem_limit, sizes["mem-4-gb"].mem_guarantee, sizes["mem-4-gb"].mem_limit],
            ["512M", "2G", "1G", "4G"]);
        assert.equal(profile.kubespawner_override.cpu_guarantee, 0.05);
        // The secret variables, by reference to the Secret that holds them: never in the values.
        for (const name of ["GH_SCOPED_CREDS_CLIENT_ID", "GH_SCOPED_CREDS_APP_URL"]) {
            assert.deepEqual(values.singleuser.extraEnv[name], { valueFrom: { secretKeyRef: { name: "course-server-environment", key: name } } });
        }
        assert.deepEqual(Object.keys(object(resources, "Secret", "course-server-environment").stringData).sort(),
            ["GH_SCOPED_CREDS_APP_URL", "GH_SCOPED_CREDS_CLIENT_ID"]);
        assertAllHomesAt(values, "/home/jovyan/allusers");
    },
    ccsf(values, resources) {
        assertHomesOnSharedFileSystem(values);
        assert.deepEqual(sharedHomes(resources), { size: "513Gi", quotaGiB: 15 });
        assertSharedFolder(values);
        // Google: every mail.ccsf.edu account, full emails as usernames; the listed outsiders let past the domain by the hub's
        // own login class (test/upstream/charts.test.ts logs them in).
        const google = values.hub.config.GoogleOAuthenticator;
        assert.deepEqual([google.hosted_domain, google.strip_domain, google.allow_all], [["mail.ccsf.edu"], false, true]);
        assert.ok(values.hub.config.Authenticator.allowed_users.includes("tutor-a@gmail.com"));
        assert.ok(values.hub.extraConfig["course-hubs-login"], "the login class that admits the listed outsiders");
        assert.deepEqual([values.singleuser.memory, values.singleuser.defaultUrl], [{ guarantee: "384M", limit: "1.5G" }, "/tree"]);
    },
    neurohackademy(values, resources) {
        assertHomesOnSharedFileSystem(values);
        assert.deepEqual(sharedHomes(resources), { size: "1000Gi", quotaGiB: 50 });
        assertSharedFolder(values);
        // The curriculum, into every home by an init container before every server, whatever the profile or image.
        const [content] = values.singleuser.initContainers;
        assert.equal(content.name, "course-content");
        assert.deepEqual(content.command.slice(-3), ["https://github.com/NeuroHackademy2026/curriculum", "main", "curriculum"]);
        assert.ok(values.singleuser.profileList.every((p: any) => !p.kubespawner_override?.init_containers), "no profile replaces it");
        // The private registry's credential for every server and image puller.
        assert.deepEqual(values.singleuser.image.pullSecrets, ["course-image-pull"]);
        assert.equal(object(resources, "Secret", "course-image-pull").type, "kubernetes.io/dockerconfigjson");
        // Hardware as two profiles (r5.4xlarge; a GPU on a g4dn.2xlarge), each with the image menu and a typed image.
        assert.deepEqual([kubeSpawnerBytes(values.singleuser.memory.guarantee), kubeSpawnerBytes(values.singleuser.memory.limit)], [16005176754, 16005176754]);
        assert.deepEqual(profileBySlug(values, "regular").kubespawner_override.node_selector, { "node.kubernetes.io/instance-type": "r5.4xlarge" });
        const gpu = profileBySlug(values, "gpu").kubespawner_override;
        assert.deepEqual(gpu.extra_resource_limits, { "nvidia.com/gpu": "1" });
        assert.equal(gpu.node_selector["node.kubernetes.io/instance-type"], "g4dn.2xlarge");
        assert.deepEqual([gpu.mem_guarantee, gpu.mem_limit, gpu.environment], ["29G", "29G", { NVIDIA_DRIVER_CAPABILITIES: "compute,utility" }]);
        for (const slug of ["regular", "gpu"]) {
            const images = menu(profileBySlug(values, slug), "image");
            assert.deepEqual(Object.values(images.choices).map((c) => c.image),
                ["quay.io/neurohackademy2026/hub-user-image:146358848b45", "quay.io/neurohackademy2026/hub-user-image-gpu:d570c3daaeac"], slug);
            assertTypedImageOfAnyTag(images.typed);
        }
        assert.deepEqual([values.hub.allowNamedServers, values.hub.namedServerLimitPerUser], [true, 10]);
        assertAllHomesAt(values, "/home/jovyan/allusers");
    },
};

describe("the eight 2i2c university hubs as course stacks (issue 17)", () => {
    it("has a stack for each of the eight hubs, and a check of its shape", () => {
        assert.deepEqual(REAL_HUB_STACKS, Object.keys(SHAPES).sort());
    });

    for (const stack of REAL_HUB_STACKS) {
        it(`${stack}: deploys with no problem, keeps its secrets secret, passes the policy pack, and renders its shape`, async () => {
            const { resources, error } = await deployRealHub(stack);
            assert.equal(error, undefined, String(error?.message));
            assert.deepEqual(plaintextOccurrences(OFFLINE_PLACEHOLDER, resources), []);
            const policyConfigFile = path.join(REAL_HUBS, `policy-config.${stack}.json`);
            const policyConfig = fs.existsSync(policyConfigFile) ? JSON.parse(fs.readFileSync(policyConfigFile, "utf8")) : {};
            assert.deepEqual(runPack(policyInputs(resources), policyConfig).map((v) => `${v.policy} ${v.resource}: ${v.message}`), []);
            SHAPES[stack](chartValues(resources), resources);
        });
    }

    it("each stack file passes schema/course-stack.json, which it names for the YAML language server", () => {
        const schema = path.join(ROOT, "schema", "course-stack.json");
        const stackFile = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(fs.readFileSync(schema, "utf8")));
        for (const stack of REAL_HUB_STACKS) {
            const text = fs.readFileSync(path.join(REAL_HUBS, `Pulumi.${stack}.yaml`), "utf8");
            assert.ok(stackFile(YAML.parse(text)), `${stack}: ${new Ajv().errorsText(stackFile.errors)}`);
            const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
            assert.equal(modeline && path.resolve(REAL_HUBS, modeline[1]), schema, stack);
        }
    });

    it("plans every hub offline (course-hubs plan): resources, no policy violation, a cost", function () {
        this.timeout(300_000);
        // A project running this repository's program on the real hubs' stack files.
        const project = fs.mkdtempSync(path.join(os.tmpdir(), "course-hubs-real-hubs-"));
        try {
            const declared = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
            fs.writeFileSync(path.join(project, "Pulumi.yaml"), YAML.stringify({ ...declared, main: path.join(ROOT, "stacks"), stackConfigDir: REAL_HUBS }));
            const child = spawnSync(process.execPath, [path.join(ROOT, "bin", "course-hubs.js"), "plan", ...REAL_HUB_STACKS, "--json", "--cwd", project], {
                encoding: "utf8", maxBuffer: 64 * 1024 * 1024,
            });
            assert.ok(child.stdout, child.stderr);
            const department = JSON.parse(child.stdout);
            for (const { stack, exitCode, plan, error } of department.stacks) {
                assert.equal(exitCode, 0, `${stack}: ${error ?? plan?.configError ?? plan?.programError ?? JSON.stringify(plan?.policy.violations)}`);
                assert.ok(plan.resources.length > 5, `${stack} plans only ${plan.resources.length} resources`);
                assert.deepEqual(plan.policy.violations, [], stack);
                assert.ok(plan.cost.floor > 0 && plan.cost.ceiling >= plan.cost.floor, `${stack} has no cost`);
            }
            assert.equal(child.status, 0);
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });
});
