import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { Z2jhValues, toZ2jhValues } from "../../components";
import {
    PROTECTED_CHART_VALUES, chartDataFolder, chartValuesProblems, chartVersionProblems, mergeChartValues, unpinnedChartWarning, withChartDefaults,
} from "../../components/hub/chart-values";
import { CHARTS } from "../../components/versions";
import { FULL_PLATFORM, MAXIMAL_SPEC, MINIMAL_SPEC, PNG_LOGO, forCluster } from "../support/specs";

const PINNED = CHARTS.jupyterhub.version;
const chartDefaults = YAML.parse(fs.readFileSync(path.join(chartDataFolder(), "values.yaml"), "utf8"));

/** Problems of raw values over the spec's values on the pinned chart, as `path: reason` lines. */
function problemsOf(values: unknown, rendered = toZ2jhValues(forCluster(MINIMAL_SPEC), {})): string[] {
    return chartValuesProblems(values, rendered, PINNED).map((p) => `${p.propertyPath}: ${p.reason}`);
}

describe("a course's raw chart values", () => {
    describe("merged over the spec's values as Helm merges a second values file", () => {
        let rendered: Z2jhValues;
        before(() => {
            rendered = toZ2jhValues(forCluster(MAXIMAL_SPEC, FULL_PLATFORM), FULL_PLATFORM);
        });

        it("merges maps key by key, at any depth", () => {
            const merged = mergeChartValues(rendered, {
                hub: { config: { JupyterHub: { shutdown_on_logout: true } } },
                singleuser: { extraEnv: { DATA_DIR: "/data" } },
            });
            assert.equal(merged.hub.config.JupyterHub.shutdown_on_logout, true);
            assert.deepEqual(merged.hub.config.JupyterHub.template_vars, rendered.hub.config.JupyterHub.template_vars, "the spec's keys beside it stay");
            assert.equal(merged.hub.config.JupyterHub.authenticator_class, "generic-oauth");
            assert.deepEqual(merged.singleuser.extraEnv, {
                COURSE: "cs101", PGHOST: "localhost", DATA_DIR: "/data",
                PGPASSWORD: { valueFrom: { secretKeyRef: { name: "course-server-environment", key: "PGPASSWORD" } } },
            });
            assert.deepEqual(merged.proxy, rendered.proxy, "sections the raw values leave alone are the spec's");
        });

        it("replaces lists whole", () => {
            assert.equal(rendered.singleuser.profileList.length, MAXIMAL_SPEC.server!.profiles!.length);
            const onlyProfile = { display_name: "Only", slug: "only" };
            const merged = mergeChartValues(rendered, { singleuser: { profileList: [onlyProfile] } });
            assert.deepEqual(merged.singleuser.profileList, [onlyProfile]);
        });

        it("keeps a null, so that Helm deletes the key and the chart's default with it", () => {
            assert.equal(chartDefaults.singleuser.startTimeout, 300, "the chart has a default for it");
            const merged = mergeChartValues(rendered, { singleuser: { startTimeout: null } });
            assert.equal(merged.singleuser.startTimeout, null);
            assert.ok(!("startTimeout" in withChartDefaults(merged).singleuser), "Helm's coalescing deletes the default too");
            assert.equal(withChartDefaults(merged).singleuser.uid, chartDefaults.singleuser.uid, "other defaults stay");
        });

        it("leaves both sides as they were", () => {
            const before = JSON.stringify(rendered);
            const overrides = { hub: { config: { JupyterHub: { shutdown_on_logout: true } } } };
            mergeChartValues(rendered, overrides);
            assert.equal(JSON.stringify(rendered), before);
            assert.deepEqual(overrides, { hub: { config: { JupyterHub: { shutdown_on_logout: true } } } });
        });
    });

    describe("refused where they would override what course-hubs sets", () => {
        it("accepts traitlets the spec does not model, and additions beside the protected keys", () => {
            assert.deepEqual(problemsOf({
                hub: {
                    config: { JupyterHub: { shutdown_on_logout: true }, KubeSpawner: { start_timeout: 600 } },
                    extraConfig: { "my-hook": "c.Spawner.debug = True" },
                },
                singleuser: { networkPolicy: { egressAllowRules: { privateIPs: true } }, extraEnv: { DATA_DIR: "/data" } },
                proxy: { https: { letsencrypt: { acmeServer: "https://acme-staging-v02.api.letsencrypt.org/directory" } } },
            }), []);
        });

        it("refuses the login, naming the spec options to use", () => {
            const problems = problemsOf({
                hub: {
                    config: { GitHubOAuthenticator: { allow_all: true }, Authenticator: { admin_users: ["me"] }, JupyterHub: { authenticator_class: "dummy" } },
                },
            });
            assert.deepEqual(problems.map((p) => p.split(":")[0]), [
                "values.hub.config.JupyterHub.authenticator_class", "values.hub.config.GitHubOAuthenticator", "values.hub.config.Authenticator",
            ]);
            assert.ok(problems.every((p) => p.includes("cannot be overridden") && p.includes("spec.auth")), problems.join("\n"));
        });

        it("refuses the secrets, the network policies, the metadata block and how the hub is served, all at once", () => {
            const problems = problemsOf({
                hub: { existingSecret: "mine", networkPolicy: { enabled: false } },
                proxy: { secretToken: "0".repeat(64), https: { type: "offload" }, service: { disableHttpPort: false } },
                singleuser: { cloudMetadata: { blockWithIptables: false }, allowPrivilegeEscalation: true },
            });
            assert.deepEqual(problems.map((p) => p.split(":")[0]), [
                "values.hub.existingSecret", "values.hub.networkPolicy.enabled", "values.proxy.secretToken", "values.proxy.https.type",
                "values.proxy.service.disableHttpPort", "values.singleuser.cloudMetadata", "values.singleuser.allowPrivilegeEscalation",
            ]);
            assert.match(problems.find((p) => p.startsWith("values.proxy.https.type"))!, /spec\.https/);
            assert.match(problems.find((p) => p.startsWith("values.singleuser.cloudMetadata"))!, /spec\.notebookIdentity/);
        });

        it("refuses a null that would delete a protected key, once, listing what it deletes", () => {
            assert.deepEqual(problemsOf({ singleuser: { networkPolicy: null } }), [
                "values.singleuser.networkPolicy: null would delete what course-hubs sets: singleuser.networkPolicy.enabled, " +
                "singleuser.networkPolicy.egressAllowRules.cloudMetadataServer; override the keys under it instead",
            ]);
        });

        it("keeps private addresses closed to notebooks while the homes are on the hub's NFS server, and only then", () => {
            const open = { singleuser: { networkPolicy: { egressAllowRules: { privateIPs: true } } } };
            assert.ok(MAXIMAL_SPEC.storage?.home?.sharedFileSystem, "MAXIMAL_SPEC keeps its homes on a shared file system");
            const sharedHomes = toZ2jhValues(forCluster(MAXIMAL_SPEC, FULL_PLATFORM), FULL_PLATFORM);
            assert.deepEqual(problemsOf(open, sharedHomes).map((p) => p.split(":")[0]), ["values.singleuser.networkPolicy.egressAllowRules.privateIPs"]);
            assert.match(problemsOf(open, sharedHomes)[0], /read every home/);
            assert.deepEqual(problemsOf(open), []);
        });

        it("reserves the spec's own entries, named course-hubs-* and course-file-*", () => {
            assert.deepEqual(problemsOf({
                hub: { extraConfig: { "course-hubs-shared-folder": "" }, extraFiles: { "course-hubs-logo": { mountPath: "/tmp/logo.png", stringData: "" } } },
                singleuser: {
                    extraFiles: { "course-hubs-kernel-culling": { mountPath: "/tmp/x", data: {} }, "course-file-1": { mountPath: "/etc/x", stringData: "" } },
                },
            }).map((p) => p.split(":")[0]), [
                "values.hub.extraConfig.course-hubs-shared-folder",
                "values.hub.extraFiles.course-hubs-logo",
                "values.singleuser.extraFiles.course-hubs-kernel-culling",
                "values.singleuser.extraFiles.course-file-1",
            ]);
        });

        it("every protected key is one the spec's values or the component set, so the list names nothing stale", () => {
            const everything = toZ2jhValues(forCluster({ ...MAXIMAL_SPEC, https: { mode: "offload" }, logo: PNG_LOGO }, FULL_PLATFORM), FULL_PLATFORM);
            const withToken = mergeChartValues(everything, { proxy: { secretToken: "token" } });
            const ingress = toZ2jhValues(forCluster({ ...MAXIMAL_SPEC, https: { mode: "ingress" } }, FULL_PLATFORM), FULL_PLATFORM);
            const paths = (values: object, at = ""): string[] => Object.entries(values).flatMap(([key, value]) =>
                value && typeof value === "object" && !Array.isArray(value) ? [`${at}${key}`, ...paths(value, `${at}${key}.`)] : [`${at}${key}`]);
            const rendered = new Set([...paths(withToken), ...paths(ingress)]);
            for (const entry of PROTECTED_CHART_VALUES) {
                const pattern = new RegExp(`^${entry.path.replace(/\./g, "\\.").replace(/\*/g, "[^.]*")}$`);
                assert.ok([...rendered].some((p) => pattern.test(p)), `${entry.path} is not among the values course-hubs sets`);
            }
        });
    });

    describe("checked against the chart's own values schema", () => {
        it("refuses a key the chart does not have, at its path, with the closest key the chart has", () => {
            assert.deepEqual(problemsOf({ singleuser: { memroy: { limit: "2G" } } }), [
                "values.singleuser.memroy: is not a value of the chart; did you mean \"memory\"? "
                + "(z2jh 4.4.0's values schema: must NOT have additional properties)",
            ]);
        });

        it("refuses a wrong type, and names list items by index", () => {
            assert.deepEqual(problemsOf({ cull: { timeout: "an hour" }, singleuser: { storage: { dynamic: { storageAccessModes: [3] } } } }), [
                "values.singleuser.storage.dynamic.storageAccessModes[0]: must be string,null (z2jh 4.4.0's values schema)",
                "values.cull.timeout: must be integer,null (z2jh 4.4.0's values schema)",
            ]);
        });

        it("checks the raw values merged over the spec's: a raw key that clashes with a rendered one is refused", () => {
            const extraFile = { "my-settings": { mountPath: "/etc/jupyter/my.json", stringData: "{}" } };
            assert.deepEqual(problemsOf({ singleuser: { extraFiles: extraFile } }), []);
            const withCulling = toZ2jhValues(forCluster(MINIMAL_SPEC), {});
            assert.ok(withCulling.singleuser.extraFiles["course-hubs-kernel-culling"].data, "the spec renders a file with data");
            const clash = problemsOf({ singleuser: { extraFiles: { ...extraFile, "my-settings": { ...extraFile["my-settings"], data: {} } } } }, withCulling);
            assert.ok(clash.some((p) => p.startsWith("values.singleuser.extraFiles.my-settings: must match exactly one schema in oneOf")), clash.join("\n"));
        });

        it("is skipped for another chart version, whose schema the package does not carry; the protected keys are still refused", () => {
            const misspelt = { singleuser: { memroy: { limit: "2G" } } };
            assert.deepEqual(chartValuesProblems(misspelt, {}, "4.5.0"), []);
            assert.deepEqual(chartValuesProblems({ proxy: { secretToken: "x" } }, {}, "4.5.0").map((p) => p.propertyPath), ["values.proxy.secretToken"]);
        });
    });

    it("must be plain data: an object, without Outputs", () => {
        assert.deepEqual(problemsOf(["hub"]), ["values: must be an object of z2jh chart values, got a list"]);
        assert.deepEqual(problemsOf({ singleuser: { extraEnv: { BUCKET: pulumi.output("arn:aws:s3:::data") }, extraContainers: [Promise.resolve({})] } })
            .map((p) => p.split(":")[0]), ["values.singleuser.extraEnv.BUCKET", "values.singleuser.extraContainers[0]"]);
    });

    it("reports problems under the path it is given (a stack config key)", () => {
        assert.deepEqual(chartValuesProblems({ proxy: { secretToken: "x" } }, {}, PINNED, "course-hubs:chart.values").map((p) => p.propertyPath),
            ["course-hubs:chart.values.proxy.secretToken"]);
    });
});

describe("the pinned chart's values and schema", () => {
    it("ship in the package, where the built module finds them", () => {
        const root = path.resolve(__dirname, "../..");
        const [packed] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" }));
        const shipped = packed.files.map((f: { path: string }) => f.path);
        for (const file of ["values.yaml", "values.schema.yaml", "SOURCES.md"]) {
            assert.ok(shipped.includes(path.posix.join("chart-values", `jupyterhub-${PINNED}`, file)), `the package lacks ${file}`);
        }
        assert.equal(chartDataFolder(path.join(root, "dist", "components", "hub")), path.join(root, "chart-values", `jupyterhub-${PINNED}`));
    });
});

describe("chartVersion", () => {
    it("takes an exact version of the pinned major", () => {
        for (const version of [PINNED, "4.5.0", "4.4.1-beta.1", "4.0.0"]) {
            assert.deepEqual(chartVersionProblems(version), [], version);
        }
    });

    it("refuses ranges, other majors and anything but a string", () => {
        assert.deepEqual(chartVersionProblems("^4.4.0").map((p) => `${p.propertyPath}: ${p.reason}`), [
            "chartVersion: must be an exact chart version such as \"4.4.0\", got the string \"^4.4.0\" "
            + "(a range would let the hub change under an unchanged stack)",
        ]);
        assert.deepEqual(chartVersionProblems("5.0.0").map((p) => p.reason), ["course-hubs renders values for z2jh 4.x; 5.0.0 is another major version"]);
        assert.equal(chartVersionProblems(4).length, 1);
        assert.equal(chartVersionProblems("4.4").length, 1);
    });

    it("warns for a version whose schema is not shipped, and only then", () => {
        assert.equal(unpinnedChartWarning(PINNED), undefined);
        assert.match(unpinnedChartWarning("4.5.0")!, /4\.5\.0 is not the pinned 4\.4\.0: .*not checked.*Helm checks them/);
    });
});
