import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { HubSpec, Z2jhPlatform, clusterCapabilities, hubSpecProblems, toZ2jhValues } from "../../components";
import {
    AUTHS, CLIENT_SECRET, FULL_PLATFORM, HTTPS_MODES, MAXIMAL_SPEC, MINIMAL_SPEC, forCluster, randomSpec, seededRandom, usernameUnder, withoutUndefined,
} from "../support/specs";
import { mergeChartValues } from "../../components/hub/chart-values";
import { z2jhSchemaErrors } from "../support/z2jh-schema";
import { EXPECTED_LOGINS } from "../support/logins";

/** Renders and checks against the chart's own schema, failing with the schema's words. */
function renderValid(spec: HubSpec, platform: Z2jhPlatform = FULL_PLATFORM): Record<string, any> {
    const values = toZ2jhValues(forCluster(spec, platform), platform);
    assert.deepEqual(z2jhSchemaErrors(values), [], `values for ${JSON.stringify(spec).slice(0, 200)} fail the chart schema`);
    return values;
}

describe("toZ2jhValues against the z2jh 4.4.0 chart schema", () => {
    it("the schema check itself rejects a misspelled key and a wrong type", () => {
        const values = toZ2jhValues(forCluster(MINIMAL_SPEC), {});
        assert.deepEqual(z2jhSchemaErrors(values), []);
        const misspelled = mergeChartValues(values, { singleuser: { memroy: { limit: "1G" } } });
        assert.ok(z2jhSchemaErrors(misspelled).some((e) => e.includes("memroy")), "a misspelled key must fail the schema");
        const wrongType = mergeChartValues(values, { cull: { timeout: "an hour" } });
        assert.ok(z2jhSchemaErrors(wrongType).some((e) => e.startsWith("values.cull.timeout:")), "a wrongly typed value must fail the schema");
    });

    it("the minimal spec on a bare cluster", () => {
        const values = renderValid(MINIMAL_SPEC, {});
        assert.equal(values.proxy.https.type, "letsencrypt");
        assert.deepEqual(values.proxy.https.hosts, ["cs101.hubs.example.edu"]);
        assert.equal(values.proxy.service.type, "LoadBalancer");
        assert.equal(values.scheduling.corePods.nodeAffinity.matchNodePurpose, "prefer", "an unlabelled cluster must still schedule the hub");
        assert.equal(values.singleuser.cloudMetadata.blockWithIptables, true, "without network policy enforcement, iptables blocks the metadata server");
        assert.equal(values.cull.enabled, true);
        assert.equal(values.cull.timeout, 3600);
        assert.equal(values.singleuser.defaultUrl, "/lab");
    });

    it("puts the chart's metadata block before the content sync and the course's init containers, where the pod has both", () => {
        const spec: HubSpec = {
            ...MINIMAL_SPEC,
            server: {
                content: { repository: "https://github.com/example-university/cs101" },
                initContainers: [{ name: "prepare", image: { name: "docker.io/library/busybox", tag: "1.37" }, command: ["true"] }],
            },
        };
        const values = renderValid(spec, {});
        assert.equal(values.singleuser.cloudMetadata.blockWithIptables, true);
        // As the chart runs it: the values' init containers, then its own block appended as a kubernetes client
        // object (jupyterhub_config.py l. 455-482), then hub.extraConfig.
        const harness = [
            "import json, sys",
            "class V1Container:",
            "    def __init__(self, name): self.name = name",
            "class Section: pass",
            "c = Section(); c.KubeSpawner = Section()",
            "c.KubeSpawner.init_containers = json.loads(sys.argv[1]) + [V1Container('block-cloud-metadata')]",
            "exec(sys.stdin.read())",
            "print(json.dumps([x['name'] if isinstance(x, dict) else x.name for x in c.KubeSpawner.init_containers]))",
        ].join("\n");
        const python = values.hub.extraConfig["course-hubs-metadata-block-first"];
        const fromValues = JSON.stringify(values.singleuser.initContainers);
        const order = JSON.parse(execFileSync("python3", ["-c", harness, fromValues], { input: python, encoding: "utf8" }));
        assert.deepEqual(order, ["block-cloud-metadata", "course-content", "prepare"]);
        // Where network policy keeps the metadata server closed the chart adds no block; without init containers nothing runs first.
        assert.equal(renderValid(spec, { enforcesNetworkPolicy: true }).hub.extraConfig?.["course-hubs-metadata-block-first"], undefined);
        assert.equal(renderValid(MINIMAL_SPEC, {}).hub.extraConfig?.["course-hubs-metadata-block-first"], undefined);
    });

    it("the maximal spec on a full platform", () => {
        const values = renderValid(MAXIMAL_SPEC);
        assert.equal(values.hub.config.JupyterHub.authenticator_class, "generic-oauth");
        assert.deepEqual(values.hub.config.GenericOAuthenticator.allowed_groups, ["cs101"]);
        assert.equal(values.hub.config.GenericOAuthenticator.auth_state_groups_key, "oauth_user.groups");
        assert.deepEqual(values.hub.config.Authenticator.allowed_users, ["auditor-1", "ta-jones", "ta-lee"]);
        assert.deepEqual(values.proxy.service, { type: "ClusterIP" }, "behind an ingress the hub has no load balancer of its own");
        assert.equal(values.ingress.ingressClassName, "traefik");
        assert.deepEqual(values.ingress.tls, [{ hosts: ["cs101.hubs.example.edu"], secretName: "cs101-fall-2026-tls" }]);
        assert.equal(values.ingress.annotations["cert-manager.io/cluster-issuer"], "letsencrypt-production");
        assert.equal(values.scheduling.userPlaceholder.replicas, 5);
        assert.equal(values.scheduling.userPods.nodeAffinity.matchNodePurpose, "require");
        assert.equal(values.hub.concurrentSpawnLimit, 150);
        assert.equal(values.singleuser.startTimeout, 900);
        assert.equal(values.singleuser.serviceAccountName, "notebook");
        assert.equal(values.singleuser.networkPolicy.egressAllowRules.cloudMetadataServer, false);
        assert.equal(values.singleuser.cloudMetadata.blockWithIptables, false, "network policy blocks the metadata server; no privileged init container");
        assert.equal(values.singleuser.lifecycleHooks, undefined, "no postStart hook: a failed one kills the server");
        const [content] = values.singleuser.initContainers;
        assert.deepEqual(content.command.slice(-3), ["https://github.com/example-university/cs101-notebooks.git", "fall-2026", "cs101"]);
        // Homes on one file system: the chart's "home" volume (a static claim), at the user's folder.
        assert.deepEqual(content.volumeMounts, [{ name: "home", subPath: "{username}", mountPath: "/home/jovyan" }]);
        assert.deepEqual([values.singleuser.storage.type, values.singleuser.storage.static], ["static", { pvcName: "course-homes", subPath: "{username}" }]);
        assert.deepEqual(values.singleuser.storage.extraVolumeMounts.map((m: any) => [m.mountPath, m.subPath, m.readOnly]), [
            ["/home/jovyan/shared", "course", true],
            ["/home/jovyan/scratch", "scratch", false],
            ["/home/rstudio/scratch", "scratch", false],
            ["/srv/data", "data", true],
            ["/home/jovyan/submit", "submit/{username}", false],
            ["/home/rstudio/submit", "submit/{username}", false],
            ["/home/jovyan/datasets/census", undefined, true],
            ["/home/rstudio/census", undefined, true],
            ["/home/jovyan/datasets/satellite", undefined, true],
            ["/home/rstudio/satellite", undefined, true],
        ]);
        assert.deepEqual(values.singleuser.storage.extraVolumes.find((v: any) => v.name === "course-dataset-census"),
            { name: "course-dataset-census", nfs: { server: "fs-0123456789abcdef0.efs.us-east-1.amazonaws.com", path: "/census", readOnly: true } });
        assert.match(values.hub.extraConfig["course-hubs-shared-folder"], /"prof-smith", "ta-jones", "ta-lee"/);
        assert.equal(values.singleuser.extraContainers[0].image, "docker.io/library/postgres:16.4");
        assert.deepEqual(values.singleuser.extraContainers[0].resources.limits, { memory: "512Mi" });
        const gpu = values.singleuser.profileList.find((p: any) => p.slug === "gpu");
        assert.deepEqual(gpu.kubespawner_override.extra_resource_limits, { "nvidia.com/gpu": "1" });
        assert.deepEqual(gpu.kubespawner_override.node_selector, { "course-hubs/gpu": "true" });
        assert.equal(values.singleuser.profileList.filter((p: any) => p.default).length, 1);
        assert.equal(values.singleuser.extraFiles["course-hubs-kernel-culling"].data.MappingKernelManager.cull_idle_timeout, 1200);
        assert.equal(values.cull.maxAge, 36000);
    });

    for (const [name, auth] of Object.entries(AUTHS)) {
        it(`login with ${name}: ${EXPECTED_LOGINS[name as keyof typeof AUTHS].section}, its settings in its own section, no secret`, () => {
            const expected = EXPECTED_LOGINS[name as keyof typeof AUTHS];
            const admin = usernameUnder(name, "prof");
            const values = renderValid({ ...MINIMAL_SPEC, auth, adminUsers: [admin] });
            const config = values.hub.config;
            assert.equal(config.JupyterHub.authenticator_class, expected.authenticatorClass);
            assert.deepEqual(config.Authenticator, { admin_users: [admin] });
            // Exactly one authenticator section, named after the class: a setting under any other name is ignored.
            assert.deepEqual(Object.keys(config).filter((k) => !["JupyterHub", "Authenticator", "KubeSpawner"].includes(k)), [expected.section]);
            assert.deepEqual(config[expected.section], expected.traits);
            assert.ok(!JSON.stringify(values).includes("PLAINTEXT-MUST-NOT-LEAK"), "no secret in the values");
        });
    }

    for (const [name, https] of Object.entries(HTTPS_MODES)) {
        it(`HTTPS through ${name}`, () => {
            const values = renderValid({ ...MINIMAL_SPEC, https });
            assert.equal(values.proxy.https.enabled, name !== "ingress");
            assert.equal(values.ingress?.enabled ?? false, name === "ingress");
        });
    }

    it("TLS offload closes the load balancer's port 80, which would reach the hub in plain text; letsencrypt and secret keep it (ACME, redirects)", () => {
        const httpPortDisabled = Object.fromEntries(
            Object.entries(HTTPS_MODES).map(([name, https]) => [name, renderValid({ ...MINIMAL_SPEC, https }).proxy.service.disableHttpPort]),
        );
        assert.deepEqual(httpPortDisabled, { letsencrypt: undefined, secret: undefined, offload: true, ingress: undefined });
    });

    it("a profile's resources are the server's with the profile's fields over them; the library defaults only below both", () => {
        const values = renderValid({
            ...MINIMAL_SPEC,
            server: {
                resources: { cpuGuarantee: 1, cpuLimit: 4, memoryLimit: "8G" },
                profiles: [{ slug: "big-memory", displayName: "More memory", resources: { memoryGuarantee: "4G" } }],
            },
        });
        assert.deepEqual(values.singleuser.profileList[0].kubespawner_override,
            { cpu_guarantee: 1, cpu_limit: 4, mem_guarantee: "4G", mem_limit: "8G" });
    });

    it("culling switched off turns off kernel culling too", () => {
        const values = renderValid({ ...MINIMAL_SPEC, culling: { enabled: false } });
        assert.deepEqual(values.cull, { enabled: false });
        assert.equal(values.singleuser.extraFiles, undefined);
    });

    it("GKE workload identity keeps the metadata server reachable for notebooks", () => {
        const values = renderValid({ ...MINIMAL_SPEC, notebookIdentity: { gcpServiceAccountEmail: "nb@p.iam.gserviceaccount.com" } });
        assert.equal(values.singleuser.networkPolicy.egressAllowRules.cloudMetadataServer, true);
        assert.equal(values.singleuser.cloudMetadata.blockWithIptables, false);
    });

    it("300 generated specs all render to schema-valid values", () => {
        const random = seededRandom(20261125);
        for (let i = 0; i < 300; i++) {
            const spec = withoutUndefined(randomSpec(random));
            const values = toZ2jhValues(forCluster(spec, FULL_PLATFORM), FULL_PLATFORM);
            const errors = z2jhSchemaErrors(values);
            assert.deepEqual(errors, [], `generated spec #${i} fails the chart schema: ${JSON.stringify(spec)}`);
            assert.ok(!JSON.stringify(values).includes(CLIENT_SECRET), `generated spec #${i} leaks the client secret into values`);
        }
    });
});

describe("a cluster refuses what it cannot serve, before anything is rendered", () => {
    it("names every option the platform lacks, and what to give instead", () => {
        const reasons = Object.fromEntries(hubSpecProblems(MAXIMAL_SPEC, clusterCapabilities({})).map((p) => [p.propertyPath, p.reason]));
        assert.deepEqual(Object.keys(reasons).sort(), [
            "spec.https.mode", "spec.server.profiles[2].gpus", "spec.storage.bucketDatasets", "spec.storage.home.sharedFileSystem",
            "spec.storage.sharedCourseFolder", "spec.storage.sharedFolders", "spec.storage.submitFolder",
        ]);
        assert.match(reasons["spec.storage.bucketDatasets"], /no driver that mounts buckets: .* say so with platform\.bucketDriver: "gcsFuse"/);
        assert.match(reasons["spec.storage.home.sharedFileSystem"], /formats XFS and mounts with project quotas \(pquota\): give it as platform\.sharedHomesStorageClass/);
        assert.match(reasons["spec.https.mode"], /pass a StaticIpIngress as ingress \(or platform\.ingress\)/);
        assert.match(reasons["spec.server.profiles[2].gpus"], /^profile "gpu" asks for GPUs, but the cluster has no GPU nodes: describe them in platform\.gpu$/);
        for (const option of ["sharedCourseFolder", "sharedFolders", "submitFolder"]) {
            assert.match(reasons[`spec.storage.${option}`], /need ReadWriteMany storage: give platform\.sharedStorageClass/);
        }
    });

    it("TLS offload without load balancer annotations", () => {
        const offload: HubSpec = { ...MINIMAL_SPEC, https: { mode: "offload" } };
        assert.deepEqual(hubSpecProblems(offload, clusterCapabilities({})).map((p) => p.propertyPath), ["spec.https.mode"]);
        assert.deepEqual(hubSpecProblems(offload, clusterCapabilities(FULL_PLATFORM)), []);
    });
});

describe("the hub's shared-folder hook, run by a real Python", () => {
    /*
     * The hook is Python the hub executes; run it with a stand-in for the hub's config object and
     * spawners, and read back which mounts each kind of user gets writable. The mounts are built
     * from our values in the shape the chart gives KubeSpawner: z2jh 4.4.0's jupyterhub_config.py
     * makes \`KubeSpawner.volume_mounts\` a dict (the home volume under its name template, or under
     * "home" for a static claim (homes on one shared file system), each
     * extra file under "<i>-files", each \`singleuser.storage.extraVolumeMounts\` list item under
     * "<i>-<name>"). KubeSpawner 7 also accepts a list, so both shapes are run.
     */
    const harness = `
import json, sys
class Namespace: pass
values = json.loads(sys.argv[1])
c = Namespace(); c.KubeSpawner = Namespace()
exec(sys.stdin.read(), {"c": c})
hook = c.KubeSpawner.pre_spawn_hook
singleuser = values["singleuser"]
storage = singleuser["storage"]
if storage["type"] == "static":
    chart_mounts = {"home": {"mountPath": "/home/jovyan", "name": "home", "subPath": storage["static"]["subPath"]}}
else:
    home = storage["dynamic"]["volumeNameTemplate"]
    chart_mounts = {home: {"mountPath": "/home/jovyan", "name": home}}
for i, key in enumerate(singleuser.get("extraFiles", {})):
    chart_mounts[f"{i}-files"] = {"mountPath": singleuser["extraFiles"][key]["mountPath"], "subPath": key, "name": "files"}
for i, mount in enumerate(storage["extraVolumeMounts"]):
    chart_mounts[f"{i}-{mount['name']}"] = mount
def read_only(mounts):
    listed = mounts.values() if isinstance(mounts, dict) else mounts
    return {m["mountPath"]: [m.get("readOnly", False), m.get("subPath")] for m in listed}
result = {}
for shape, mounts in [("dict", chart_mounts), ("list", list(chart_mounts.values()))]:
    for name, admin in [("prof-smith", False), ("ta-jones", False), ("student-1", False), ("someone-made-admin", True)]:
        spawner = Namespace(); spawner.user = Namespace(); spawner.user.name = name; spawner.user.admin = admin
        spawner.volume_mounts = mounts
        hook(spawner)
        assert type(spawner.volume_mounts) is type(mounts), "the hook keeps the chart's shape"
        result[f"{shape} {name}"] = read_only(spawner.volume_mounts)
    result[f"{shape} untouched"] = read_only(mounts)
print(json.dumps(result))
`;

    it("gives admins and staff write access to the course's folders and the whole submit tree, students their own, with a dict of mounts and a list", () => {
        const values = toZ2jhValues(forCluster(MAXIMAL_SPEC, FULL_PLATFORM), FULL_PLATFORM);
        const hook = values.hub.extraConfig["course-hubs-shared-folder"];
        const output = execFileSync("python3", ["-c", harness, JSON.stringify(values)], { input: hook, encoding: "utf8" });
        const mounts = (staff: boolean) => ({
            "/home/jovyan": [false, values.singleuser.storage.static?.subPath ?? null],
            "/usr/local/etc/jupyter/jupyter_server_config.d/course-hubs-kernel-culling.json": [false, "course-hubs-kernel-culling"],
            "/etc/course/settings.json": [false, "course-file-1"],
            "/home/jovyan/shared": [!staff, "course"],
            "/home/jovyan/scratch": [false, "scratch"],
            "/home/rstudio/scratch": [false, "scratch"],
            "/srv/data": [!staff, "data"],
            // KubeSpawner expands {username} in every mount: a student's own folder of the tree.
            "/home/jovyan/submit": [false, staff ? "submit" : "submit/{username}"],
            "/home/rstudio/submit": [false, staff ? "submit" : "submit/{username}"],
            "/home/jovyan/datasets/census": [true, null],
            "/home/rstudio/census": [true, null],
            "/home/jovyan/datasets/satellite": [true, null],
            "/home/rstudio/satellite": [true, null],
        });
        const expected: Record<string, unknown> = {};
        for (const shape of ["dict", "list"]) {
            Object.assign(expected, {
                [`${shape} prof-smith`]: mounts(true),
                [`${shape} ta-jones`]: mounts(true),
                [`${shape} student-1`]: mounts(false),
                [`${shape} someone-made-admin`]: mounts(true),
                [`${shape} untouched`]: mounts(false),
            });
        }
        assert.deepEqual(JSON.parse(output), expected);
    });
});
