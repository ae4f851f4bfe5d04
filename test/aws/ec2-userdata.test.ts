import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HubSpec, hubScripts, renderHubUserData, renderWorkerUserData, workerScripts } from "../../components";
import { ownCertificateParameters } from "../../components/aws/ec2-userdata";
import { CONTENT_SYNC_SCRIPT, contentSyncCommand } from "../../components/hub/content";
import { certificateBlocks } from "../../components/hub/network-access";
import { EC2_HUB, IMAGES } from "../../components/versions";
import {
    AUTHS, BIND_PASSWORD, CERTIFICATE_HTTPS, CLIENT_SECRET, MINIMAL_SPEC, RENEWED_CERTIFICATE, SHARED_PASSWORD, TEST_CERTIFICATE_CHAIN, TEST_PRIVATE_KEY,
    forEc2, usernameUnder,
} from "../support/specs";
import { EXPECTED_LOGINS } from "../support/logins";

/*
 * The artifacts checked by the programs that consume them (Debian packages installed by .ci/run):
 * cloud-init's own schema, shellcheck, and JupyterHub's classes loading the rendered config.
 * A missing tool fails the test; nothing is skipped.
 */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "course-hubs-userdata-"));
let written = 0;
function write(name: string, content: string): string {
    const file = path.join(scratch, `${written++}-${name}`);
    fs.writeFileSync(file, content);
    return file;
}

/** Runs a checker; returns its complaint, or "" when it accepts the file. */
function complaint(command: string, args: string[]): string {
    try {
        execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        return "";
    } catch (err: any) {
        if (err.code === "ENOENT") {
            throw new Error(`${command} is not installed: .ci/run installs it with apt-get (cloud-init, shellcheck, jupyterhub, caddy)`, { cause: err });
        }
        return `${err.stdout ?? ""}${err.stderr ?? ""}`.trim() || String(err);
    }
}

function cloudConfigOf(userData: string): { packages: string[]; write_files: { path: string; content: string }[] } {
    assert.ok(userData.startsWith("#cloud-config\n"));
    return JSON.parse(userData.slice("#cloud-config\n".length));
}

function writeFilesOf(userData: string): { path: string; content: string }[] {
    return cloudConfigOf(userData).write_files;
}

/**
 * The hub's jupyterhub_config.py from its user-data, loaded by real JupyterHub and traitlets
 * (test/support/load_jupyterhub_config.py), as JSON; its pre-spawn hook run for a student and for
 * each of `users` ([name, admin]).
 */
function loadHubConfig(userData: string, env: NodeJS.ProcessEnv = process.env, users: [string, boolean][] = []): any {
    const config = writeFilesOf(userData).find((f) => f.path === "/etc/course-hub/jupyterhub_config.py")!;
    const loader = path.join(__dirname, "../support/load_jupyterhub_config.py");
    const args = [loader, write("jupyterhub_config.py", config.content), JSON.stringify(users)];
    return JSON.parse(execFileSync("/usr/bin/python3", args, { encoding: "utf8", env }));
}

const CONTEXT = {
    region: "us-east-1",
    fileSystemId: "fs-0123456789abcdef0",
    parameterPrefix: "/course-hubs/cs101-fall-2026",
    parameterKeyArn: "arn:aws:kms:us-east-1:123456789012:key/0c0ffee0-1234-4abc-9def-0123456789ab",
};
const SPECS: Record<string, HubSpec> = {
    "github, everything": {
        ...MINIMAL_SPEC,
        adminUsers: ["prof"], staffUsers: ["ta"], allowedUsers: ["auditor"],
        server: { content: { repository: "https://github.com/org/notebooks" }, environment: { COURSE: "cs101" }, resources: { memoryGuarantee: "1G", memoryLimit: "3G" } },
        storage: { sharedCourseFolder: true },
        culling: { idleTimeoutMinutes: 45, maxAgeMinutes: 240 },
    },
    "ldap with lookup": { ...MINIMAL_SPEC, auth: AUTHS.ldap },
    "ldap without a secret": { ...MINIMAL_SPEC, auth: AUTHS.ldapTemplates, culling: { enabled: false } },
    "shared password": { ...MINIMAL_SPEC, auth: AUTHS.sharedPassword, allowedUsers: ["student-1"] },
    "google": { ...MINIMAL_SPEC, auth: AUTHS.google },
    "own certificate, campus only": { ...MINIMAL_SPEC, https: CERTIFICATE_HTTPS, allowedSourceRanges: ["198.51.100.0/22"] },
};

for (const [label, spec] of Object.entries(SPECS)) {
    for (const swarm of [true, false]) {
        describe(`EC2 user-data (${label}, ${swarm ? "with workers" : "single VM"})`, () => {
            const context = { ...CONTEXT, spec: forEc2(spec), workerGroupName: swarm ? "cs101-fall-2026-workers" : undefined };
            const hubData = renderHubUserData(context);

            it("passes cloud-init's schema, for the hub and the workers", () => {
                assert.equal(complaint("cloud-init", ["schema", "--config-file", write("hub.yaml", hubData)]), "");
                if (swarm) {
                    assert.equal(complaint("cloud-init", ["schema", "--config-file", write("worker.yaml", renderWorkerUserData(context))]), "");
                }
            });

            it("has only scripts that pass shellcheck", () => {
                const scripts = { ...hubScripts(context), ...(swarm ? workerScripts(context) : {}) };
                assert.ok(Object.keys(scripts).length >= (swarm ? 6 : 3));
                for (const [name, script] of Object.entries(scripts)) {
                    assert.equal(complaint("shellcheck", ["--shell=bash", write(path.basename(name), script)]), "", `${name} fails shellcheck`);
                }
                // The course-content script runs under sh in the Git image (busybox/ash there).
                assert.equal(
                    complaint("shellcheck", ["--shell=sh", write("content-sync.sh", CONTENT_SYNC_SCRIPT)]),
                    "",
                    "CONTENT_SYNC_SCRIPT fails shellcheck",
                );
                const written = writeFilesOf(hubData).map((f) => f.path);
                assert.ok(Object.keys(hubScripts(context)).every((p) => written.includes(p)), "every checked script is what the VM gets");
            });

            it("carries no secret, only the names of SSM parameters", () => {
                // The secret this spec carries (the LDAP login with bind templates has none).
                const carried = [CLIENT_SECRET, BIND_PASSWORD, SHARED_PASSWORD].filter((secret) => JSON.stringify(spec).includes(secret));
                assert.equal(carried.length, label === "ldap without a secret" ? 0 : 1);
                for (const secret of carried) {
                    assert.ok(!hubData.includes(secret), `${secret} in the hub's user-data`);
                    assert.ok(!renderWorkerUserData(context).includes(secret), `${secret} in the workers' user-data`);
                }
                assert.match(hubData, /\/course-hubs\/cs101-fall-2026/);
            });

            it("holds a JupyterHub config that real JupyterHub reads back as the spec says", () => {
                const loaded = loadHubConfig(hubData);
                const expectedAllowed = [...(spec.allowedUsers ?? []), ...(spec.staffUsers ?? [])].sort();
                assert.equal(loaded.admin_users.join(), (spec.adminUsers ?? []).join());
                assert.deepEqual(loaded.allowed_users, expectedAllowed);
                assert.equal(loaded.spawner_class, swarm ? "dockerspawner.SwarmSpawner" : "dockerspawner.DockerSpawner");
                const memoryLimit = spec.server?.resources?.memoryLimit ?? "2G";
                assert.equal(loaded.mem_limit, Number(memoryLimit.slice(0, -1)) * 1024 ** 3);
                const culling = { enabled: true, idleTimeoutMinutes: 60, maxAgeMinutes: 480, ...spec.culling };
                if (culling.enabled) {
                    const culler = loaded.services.find((s: any) => s.name === "idle-culler");
                    assert.ok(culler.command.includes(`--timeout=${culling.idleTimeoutMinutes * 60}`));
                    assert.ok(culler.command.includes(`--max-age=${culling.maxAgeMinutes * 60}`));
                } else {
                    assert.deepEqual(loaded.services, []);
                }
            });

            it("prepares the home DockerSpawner mounts and syncs course content with the shared script in the pinned Git image", () => {
                const loaded = loadHubConfig(hubData);
                // DockerSpawner mounts /srv/course/home/{username} with the escaped name: the hook must make that folder.
                const home = "/srv/course/home/jane-2edoe";
                const folders = spec.storage?.sharedCourseFolder ? ["/srv/course/shared"] : [];
                assert.deepEqual(loaded.pre_spawn.made, [home, ...folders]);
                assert.deepEqual(loaded.pre_spawn.chowned, [home, ...folders].map((folder) => [folder, 1000, 100]));
                assert.equal(loaded.volumes["/srv/course/home/{username}"], "/home/jovyan");
                assert.equal(loaded.post_start_cmd, null, "nothing runs inside the notebook image (it may lack nbgitpuller)");
                const content = spec.server?.content;
                if (!content) {
                    assert.deepEqual(loaded.pre_spawn.containers, []);
                    return;
                }
                assert.equal(loaded.pre_spawn.containers.length, 1);
                const run = loaded.pre_spawn.containers[0];
                assert.equal(run.image, `${IMAGES.git.name}:${IMAGES.git.tag}`);
                // The Git image's entrypoint is git: the shell must replace it, and run the very script the Kubernetes hubs run.
                assert.deepEqual([...run.entrypoint, ...run.command], contentSyncCommand(content));
                assert.equal(run.command[1], CONTENT_SYNC_SCRIPT);
                assert.equal(run.user, "1000:100");
                assert.equal(run.working_dir, "/home/jovyan");
                assert.deepEqual(run.volumes, { [home]: { bind: "/home/jovyan", mode: "rw" } });
                assert.equal(run.environment.HOME, "/tmp");
                assert.equal(run.detach, true);
                assert.ok(loaded.pre_spawn.wait_timeout > 0, "a bounded wait");
                assert.equal(loaded.pre_spawn.removed, 1, "the throwaway container is removed");
                assert.ok(loaded.pre_spawn.logged.some((line: string) => line.includes("cloned main")));
                assert.match(hubScripts(context)["/usr/local/sbin/course-hub-start"], new RegExp(`docker pull ${IMAGES.git.name}:${IMAGES.git.tag}`));
            });

            it("installs exactly the Amazon Linux 2023 packages versions.ts lists as checked, on the hub and the workers", () => {
                const checked = EC2_HUB.amazonLinuxPackages.map((p) => p.name);
                assert.deepEqual(cloudConfigOf(hubData).packages, checked);
                if (swarm) {
                    assert.deepEqual(cloudConfigOf(renderWorkerUserData(context)).packages, checked);
                }
            });

            it("builds the hub image and runs Caddy from the pins of versions.ts", () => {
                const dockerfile = writeFilesOf(hubData).find((f) => f.path === "/etc/course-hub/image/Dockerfile")!.content;
                assert.match(dockerfile, new RegExp(`^FROM ${EC2_HUB.jupyterhubImage.name}:${EC2_HUB.jupyterhubImage.tag}$`, "m"));
                for (const pin of EC2_HUB.pythonPackages) {
                    assert.ok(dockerfile.includes(` ${pin.name}==${pin.version}`), `${pin.name} is not pinned`);
                }
                assert.ok(hubScripts(context)["/usr/local/sbin/course-hub-start"].includes(`${EC2_HUB.caddyImage.name}:${EC2_HUB.caddyImage.tag}`));
            });
        });
    }
}

describe("each login on the EC2 hub, read back by real JupyterHub", () => {
    for (const [name, auth] of Object.entries(AUTHS)) {
        const expected = EXPECTED_LOGINS[name as keyof typeof AUTHS];
        it(`${name}: ${expected.authenticatorClass}, its settings under ${expected.section}, its secret from the environment`, () => {
            const admin = usernameUnder(name, "prof");
            // A shared-password hub lets its admins in only with a password of their own.
            const withAdmins = auth.type === "sharedPassword" ? { ...auth, adminPassword: "a".repeat(32) } : auth;
            const hubData = renderHubUserData({ ...CONTEXT, spec: forEc2({ ...MINIMAL_SPEC, auth: withAdmins, adminUsers: [admin] }) });
            const loaded = loadHubConfig(hubData);
            assert.equal(loaded.authenticator_class, expected.authenticatorClass);
            assert.deepEqual(loaded.admin_users, [admin]);
            // The loader lists every section whose name ends in "Authenticator": exactly the one the class reads.
            const secret = expected.secretTrait ? { [expected.secretTrait]: "secret-from-the-environment" } : {};
            const adminSecret = auth.type === "sharedPassword" ? { admin_password: "second-secret-from-the-environment" } : {};
            assert.deepEqual(loaded.authenticator, { [expected.section]: { ...expected.traits, ...secret, ...adminSecret } });
        });
    }
});

describe("profiles on the EC2 hub, read back by real JupyterHub", () => {
    /*
     * DockerSpawner 14's own form reads the `image` field and looks it up in allowed_images
     * (DockerSpawner.check_allowed); the course's form sends the profile's slug there.
     */
    const scipy = { name: "quay.io/jupyter/scipy-notebook", tag: "2025-10-20" };
    const spec = forEc2({
        ...MINIMAL_SPEC,
        server: {
            image: scipy,
            profiles: [
                { slug: "standard", displayName: "Standard" },
                {
                    slug: "torch", displayName: "PyTorch & CUDA", description: "for <week 9>", default: true,
                    image: { name: "quay.io/jupyter/pytorch-notebook", tag: "cuda12-2025-10-20" },
                },
            ],
        },
    });

    it("offers every profile by slug, with its title and description, the default preselected and started without a choice", () => {
        const loaded = loadHubConfig(renderHubUserData({ ...CONTEXT, spec }));
        assert.deepEqual(loaded.allowed_images, {
            standard: "quay.io/jupyter/scipy-notebook:2025-10-20",
            torch: "quay.io/jupyter/pytorch-notebook:cuda12-2025-10-20",
        });
        assert.deepEqual(loaded.options, [
            { field: "image", value: "standard", selected: false, label: "Standard" },
            { field: "image", value: "torch", selected: true, label: "PyTorch & CUDA (for <week 9>)" },
        ]);
        assert.equal(loaded.image, "quay.io/jupyter/pytorch-notebook:cuda12-2025-10-20");
    });

    it("without profiles, offers no choice and runs the server's image", () => {
        const loaded = loadHubConfig(renderHubUserData({ ...CONTEXT, spec: forEc2({ ...MINIMAL_SPEC, server: { image: scipy } }) }));
        assert.deepEqual([loaded.allowed_images, loaded.options, loaded.image], [null, null, "quay.io/jupyter/scipy-notebook:2025-10-20"]);
    });
});

describe("the EC2 hub's pre-spawn hook when Docker fails", () => {
    it("logs the failed content sync and lets the server start with the home prepared", () => {
        const spec = SPECS["github, everything"];
        const loaded = loadHubConfig(renderHubUserData({ ...CONTEXT, spec: forEc2(spec) }), { ...process.env, FAKE_DOCKER_FAILS: "1" });
        assert.equal(loaded.pre_spawn.made[0], "/srv/course/home/jane-2edoe");
        assert.equal(loaded.pre_spawn.containers.length, 1);
        assert.ok(loaded.pre_spawn.logged.some((line: string) => line.startsWith("EXCEPTION course content for jane.doe not synced")));
    });
});

describe("shared folders, submit folders and datasets on the EC2 hub, its pre-spawn hook run by real JupyterHub", () => {
    const spec = forEc2({
        ...MINIMAL_SPEC,
        adminUsers: ["prof"],
        staffUsers: ["ta"],
        storage: {
            sharedCourseFolder: true,
            sharedFolders: [{ name: "scratch", writableBy: "everyone" }, { name: "data", mountPath: "/opt/data" }],
            submitFolder: {},
            datasets: [{ name: "census", nfs: { server: "fs-0123456789abcdef0.efs.us-east-1.amazonaws.com", path: "/census" } }],
        },
    });
    let loaded: any;
    before(() => {
        loaded = loadHubConfig(renderHubUserData({ ...CONTEXT, spec }), process.env, [["ta", false], ["someone-made-admin", true]]);
    });
    const folders = (mode: "ro" | "rw") => ({
        "/srv/course/shared": { bind: "/home/jovyan/shared", mode },
        "/srv/course/folders/scratch": { bind: "/home/jovyan/scratch", mode: "rw" },
        "/srv/course/folders/data": { bind: "/opt/data", mode },
        // Mounted by the VM (below), read-only for everyone.
        "/srv/datasets/census": { bind: "/home/jovyan/datasets/census", mode: "ro" },
    });

    it("binds a student's own submit folder, the course's folders read-only unless everyone writes them", () => {
        assert.deepEqual(loaded.student_volumes, {
            "/srv/course/home/jane-2edoe": "/home/jovyan",
            ...folders("ro"),
            "/srv/course/folders/submit/jane-2edoe": { bind: "/home/jovyan/submit", mode: "rw" },
        });
    });

    it("binds every folder writable for staff and admins, with the whole submit tree", () => {
        for (const [name, escaped] of [["ta", "ta"], ["someone-made-admin", "someone-2dmade-2dadmin"]]) {
            assert.deepEqual(loaded.others[name].volumes, {
                [`/srv/course/home/${escaped}`]: "/home/jovyan",
                ...folders("rw"),
                "/srv/course/folders/submit": { bind: "/home/jovyan/submit", mode: "rw" },
            }, name);
        }
    });

    it("makes each bound folder owned by the notebook user, the submit tree before a student's own", () => {
        const shared = ["/srv/course/shared", ...["scratch", "data"].map((folder) => `/srv/course/folders/${folder}`)];
        const student = ["/srv/course/folders/submit", "/srv/course/home/jane-2edoe", ...shared, "/srv/course/folders/submit/jane-2edoe"];
        assert.deepEqual(loaded.pre_spawn.made, student);
        assert.deepEqual(loaded.pre_spawn.chowned, student.map((folder) => [folder, 1000, 100]));
        assert.deepEqual(loaded.others.ta.made, ["/srv/course/folders/submit", "/srv/course/home/ta", ...shared]);
    });

    it("mounts each dataset read-only on the hub VM and on every worker, where DockerSpawner binds it from", () => {
        const mount = "mount_dataset 'fs-0123456789abcdef0.efs.us-east-1.amazonaws.com:/census' '/srv/datasets/census'";
        for (const scripts of [hubScripts({ ...CONTEXT, spec }), workerScripts({ ...CONTEXT, spec, workerGroupName: "g" })]) {
            const script = scripts["/usr/local/sbin/course-hub-mount"];
            assert.ok(script.split("\n").includes(mount), script);
            assert.match(script, /echo "\$1 \$2 nfs ro,nofail,_netdev 0 0" >> \/etc\/fstab/);
            assert.equal(complaint("shellcheck", [write("mount.sh", script)]), "");
        }
    });
});

describe("the EC2 hub's pins (versions.ts)", () => {
    it("installs only Amazon Linux 2023 package names that were checked (there is no `awscli`)", () => {
        // cloud-init installs the list in one dnf transaction: one unknown name and Docker is never installed.
        const names = EC2_HUB.amazonLinuxPackages.map((p) => p.name);
        assert.deepEqual([...names].sort(), ["amazon-efs-utils", "awscli-2", "docker"]);
        for (const pin of EC2_HUB.amazonLinuxPackages) {
            assert.match(pin.checked, /^\d{4}-\d{2}-\d{2}$/);
            assert.ok(pin.source.length > 0);
        }
    });

    it("runs a JupyterHub 5.5 with the fixes for the advisories against 5.3 to 5.5.0, and DockerSpawner 14", () => {
        const jupyterhub = EC2_HUB.pythonPackages.find((p) => p.name === "jupyterhub")!;
        const [major, minor, patch] = jupyterhub.version.split(".").map(Number);
        assert.ok(major === 5 && minor === 5 && patch >= 1, `jupyterhub ${jupyterhub.version}`);
        assert.ok(EC2_HUB.jupyterhubImage.tag.startsWith("5.5."), "the image's own JupyterHub is of the same minor (database schema)");
        assert.equal(EC2_HUB.pythonPackages.find((p) => p.name === "dockerspawner")!.version, "14.0.0");
        assert.match(EC2_HUB.caddyImage.tag, /^2\.11(\.\d+)?$/, "Caddy fixes only its newest minor");
        for (const pin of [EC2_HUB.jupyterhubImage, EC2_HUB.caddyImage, ...EC2_HUB.pythonPackages]) {
            assert.match(pin.released, /^\d{4}-\d{2}-\d{2}$/);
        }
    });
});

describe("the checkers themselves", () => {
    it("cloud-init rejects a wrongly typed key and shellcheck an unquoted variable", () => {
        const data = renderHubUserData({ ...CONTEXT, spec: forEc2(MINIMAL_SPEC), workerGroupName: "g" })
            .replace('"package_update": true', '"package_update": "yes"');
        assert.notEqual(complaint("cloud-init", ["schema", "--config-file", write("bad.yaml", data)]), "");
        assert.notEqual(complaint("shellcheck", [write("bad.sh", "#!/bin/bash\nrm -rf $dir/*\n")]), "");
    });
});

describe("the course file system on the VMs", () => {
    it("is mounted over TLS (efs-utils' tls option), the only way its file system policy lets a client in", () => {
        const spec = forEc2(MINIMAL_SPEC);
        for (const scripts of [hubScripts({ ...CONTEXT, spec }), workerScripts({ ...CONTEXT, spec, workerGroupName: "g" })]) {
            const fstabEntry = scripts["/usr/local/sbin/course-hub-mount"].match(/echo "\$\{file_system\}:\/ \$\{mount_point\} efs (\S+) 0 0"/);
            assert.ok(fstabEntry, "the mount script writes an efs entry to /etc/fstab");
            assert.ok(fstabEntry[1].split(",").includes("tls"), `mount options ${fstabEntry[1]}`);
        }
    });
});

describe("the hub publishing its swarm (the start script run with stand-in aws, docker and curl)", () => {
    const context = { ...CONTEXT, spec: forEc2(MINIMAL_SPEC), workerGroupName: "g" };

    /** Every aws command the start script runs, as its argument lists. */
    function awsCalls(): string[][] {
        const bin = fs.mkdtempSync(path.join(scratch, "bin-"));
        const stub = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
        stub("aws", `printf '%s\\037' "$@" >> "${bin}/aws-calls"; echo >> "${bin}/aws-calls"`);
        stub("docker", "case \"$*\" in \"info \"*) echo inactive;; \"swarm join-token -q worker\") echo SWMTKN-1-hub;; \"network inspect \"*) exit 1;; esac");
        stub("curl", "echo 10.0.0.5");
        stub("course-hub-mount", "exit 0");
        stub("course-hub-secrets", "exit 0");
        // The stand-ins replace the scripts the start script runs by their installed paths.
        const script = write("course-hub-start", hubScripts(context)["/usr/local/sbin/course-hub-start"].replaceAll("/usr/local/sbin/", `${bin}/`));
        execFileSync("bash", [script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, stdio: "ignore" });
        return fs.readFileSync(path.join(bin, "aws-calls"), "utf8").trim().split("\n").map((line) => line.split("\x1f").slice(0, -1));
    }

    it("encrypts the join token under the course key, never the account's aws/ssm key that every role may use", () => {
        const puts = awsCalls().filter((call) => call.slice(0, 2).join(" ") === "ssm put-parameter");
        const option = (call: string[], name: string) => (call.includes(name) ? call[call.indexOf(name) + 1] : `no ${name}`);
        assert.deepEqual(puts.map((call) => option(call, "--name")), ["swarm-join-token", "swarm-manager"].map((key) => `${CONTEXT.parameterPrefix}/${key}`));
        const [token, manager] = puts;
        assert.deepEqual(["--type", "--key-id", "--value"].map((name) => option(token, name)), ["SecureString", CONTEXT.parameterKeyArn, "SWMTKN-1-hub"]);
        // The course key lets the hub Encrypt, which is how a standard-tier value is written.
        assert.equal(option(token, "--tier"), "Standard");
        assert.deepEqual([option(manager, "--type"), option(manager, "--value")], ["String", "10.0.0.5:2377"]);
    });
});

describe("a worker joining the hub's swarm (the join script run with stand-in aws, docker and sleep)", () => {
    const join = workerScripts({ ...CONTEXT, spec: forEc2(MINIMAL_SPEC), workerGroupName: "g" })["/usr/local/sbin/course-hub-join"];

    /** Runs the script with the hub publishing after `polls` reads; returns the joins and the exit code. */
    function runJoin(polls: number): { joins: string[]; status: number } {
        const bin = fs.mkdtempSync(path.join(scratch, "bin-"));
        const stub = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
        // The parameters read "not-yet-published" (Pulumi's placeholder) until the hub publishes.
        stub("aws", `n=$(cat "${bin}/reads" 2>/dev/null || echo 0); echo $((n + 1)) > "${bin}/reads"
if [ "$n" -lt ${polls * 2} ]; then echo not-yet-published; else case "$*" in *swarm-join-token*) echo SWMTKN-1-real;; *) echo 10.0.0.5:2377;; esac; fi`);
        stub("docker", `case "$1" in info) echo inactive;; swarm) echo "$*" >> "${bin}/joins";; esac`);
        stub("sleep", "exit 0");
        const script = write("course-hub-join", join);
        let status = 0;
        try {
            execFileSync("bash", [script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, stdio: "ignore" });
        } catch (err: any) {
            status = err.status;
        }
        const joins = fs.existsSync(path.join(bin, "joins")) ? fs.readFileSync(path.join(bin, "joins"), "utf8").trim().split("\n") : [];
        return { joins, status };
    }

    it("waits while the parameters hold the placeholder, then joins with the published token", () => {
        assert.deepEqual(runJoin(3), { joins: ["swarm join --token SWMTKN-1-real 10.0.0.5:2377"], status: 0 });
    });

    it("gives up after its bounded wait, never joining with the placeholder", () => {
        assert.deepEqual(runJoin(1000), { joins: [], status: 1 });
    });
});

describe("a certificate of the course's own on the EC2 hub (the secrets script run with a stand-in aws, then Debian's Caddy)", () => {
    const context = { ...CONTEXT, spec: forEc2({ ...MINIMAL_SPEC, https: CERTIFICATE_HTTPS }) };
    const hubData = renderHubUserData(context);
    const caddyfile = writeFilesOf(hubData).find((f) => f.path === "/etc/course-hub/Caddyfile")!.content;

    /** Runs the secrets script against SSM parameters holding the certificate's (and stand-ins for the rest); returns where it put the TLS files. */
    function fetchedTlsFolder(privateKey: string): string {
        const root = fs.mkdtempSync(path.join(scratch, "secrets-"));
        fs.mkdirSync(path.join(root, "parameters"));
        const parameters: [string, string][] = [
            ...["cookie-secret", "proxy-token", "crypt-key", "auth-secret"].map((key): [string, string] => [key, `stand-in-${key}`]),
            ...ownCertificateParameters(context.spec).map(([key, value]): [string, string] => [key, key === "tls-private-key" ? privateKey : value as string]),
        ];
        parameters.forEach(([key, value]) => fs.writeFileSync(path.join(root, "parameters", key), value));
        // Like the AWS CLI's text output: the value, then a newline.
        const aws = `while [ "$1" != --name ]; do shift; done; printf '%s\\n' "$(cat "${root}/parameters/\${2##*/}")"`;
        fs.writeFileSync(path.join(root, "aws"), `#!/bin/bash\n${aws}\n`, { mode: 0o755 });
        const script = write("course-hub-secrets", hubScripts(context)["/usr/local/sbin/course-hub-secrets"].replaceAll("/run/course-hub", `${root}/run`));
        execFileSync("bash", [script], { env: { ...process.env, PATH: `${root}:${process.env.PATH}` }, stdio: "ignore" });
        return path.join(root, "run", "tls");
    }

    /** Debian's Caddy (2.6; the hub runs the image of versions.ts) validating the hub's Caddyfile with the files in `tlsFolder`: its complaint, or "". */
    const caddyComplaint = (tlsFolder: string) =>
        complaint("caddy", ["validate", "--adapter", "caddyfile", "--config", write("Caddyfile", caddyfile.replaceAll("/etc/caddy/tls", tlsFolder))]);

    it("writes the chain (the hub's certificate first) and the key where Caddy's container reads them, for root only, and Caddy loads them", () => {
        const folder = fetchedTlsFolder(TEST_PRIVATE_KEY);
        const chain = fs.readFileSync(path.join(folder, "chain.pem"), "utf8");
        assert.deepEqual(certificateBlocks(chain), certificateBlocks(TEST_CERTIFICATE_CHAIN));
        assert.equal(fs.readFileSync(path.join(folder, "key.pem"), "utf8").trim(), TEST_PRIVATE_KEY.trim());
        for (const file of ["chain.pem", "key.pem"]) {
            assert.equal(fs.statSync(path.join(folder, file)).mode & 0o777, 0o600, file);
        }
        assert.match(hubData, /-v \/run\/course-hub\/tls:\/etc\/caddy\/tls:ro/);
        assert.equal(caddyComplaint(folder), "");
    });

    it("is served only with its own key: Caddy refuses another", () => {
        const otherKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
        assert.match(caddyComplaint(fetchedTlsFolder(otherKey)), /private key does not match public key|tls: /);
    });

    it("carries neither the key nor an ACME account in the user-data; a renewed chain is new user-data, so a new hub VM serves it", () => {
        assert.ok(!hubData.includes("PRIVATE KEY") && !hubData.includes(TEST_PRIVATE_KEY.split("\n")[1]), "the key in the user-data");
        assert.ok(!/acme|email/.test(caddyfile), caddyfile);
        const [own] = certificateBlocks(TEST_CERTIFICATE_CHAIN);
        const serving = (certificateChain: string) =>
            renderHubUserData({ ...CONTEXT, spec: forEc2({ ...MINIMAL_SPEC, https: { ...CERTIFICATE_HTTPS, certificateChain } }) });
        assert.notEqual(serving(RENEWED_CERTIFICATE), serving(own));
    });
});
