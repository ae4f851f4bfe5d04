import { strict as assert } from "node:assert";
import { Provider } from "@pulumi/kubernetes/provider";
import {
    EC2AutoscaleHub, EksHub, GkeHub, HubSpec, JupyterHub, JupyterHubArgs, JupyterHubPlatformArgs, StaticIpIngress, clusterCapabilities, validatedHubSpec,
} from "../components";
import * as chartValues from "../components/hub/chart-values";
import { Z2jhValues } from "../components/hub/z2jh";
import * as schema from "../components/schema";
import { isValidated, validated } from "../components/validated";
import { unwrapSecrets } from "./setup-mocks";
import { one, run, runExpectingError } from "./support/program";
import { FULL_PLATFORM, MINIMAL_SPEC } from "./support/specs";
import { deploy, stackConfig } from "./support/stacks";

const cluster = () => new Provider("cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
const hub = (name: string, args: Omit<JupyterHubArgs, "provider">) => new JupyterHub(name, { provider: cluster(), ...args });
const CIDRS = ["203.0.113.0/24"];
const SHARED: HubSpec = { ...MINIMAL_SPEC, storage: { sharedCourseFolder: true } };
const GPU_SPEC: HubSpec = {
    ...MINIMAL_SPEC,
    server: { profiles: [{ slug: "cpu", displayName: "CPU", default: true }, { slug: "gpu", displayName: "GPU (1 × T4)", gpus: 1 }] },
};

/** The schemas checked while `body` runs, in order: one for each validation pass. */
async function validationPasses(body: () => Promise<unknown>): Promise<string[]> {
    const checked: string[] = [];
    const original = schema.schemaProblems;
    Object.assign(schema, {
        schemaProblems: (...args: Parameters<typeof schema.schemaProblems>) => {
            checked.push(args[0]);
            return original(...args);
        },
    });
    try {
        await body();
    } finally {
        Object.assign(schema, { schemaProblems: original });
    }
    return checked;
}

describe("one validation pass per entry point", () => {
    for (const [stack, schemaFile] of [
        ["fall-cs101", "eks-hub-args.json"],
        ["spring-ds100", "gke-hub-args.json"],
        ["summer-bootcamp", "ec2-hub-args.json"],
        ["dept-stats-stat200", "hub-spec.json"],
    ]) {
        it(`the stack program validates ${stack} once, and neither its platform component nor JupyterHub validates it again`, async () => {
            const passes = await validationPasses(async () => {
                const { error } = await deploy(stackConfig(stack), ["course-hubs:authClientSecret", "course-hubs:kubeconfig"]);
                assert.equal(error, undefined, String(error?.message));
            });
            assert.deepEqual(passes, [schemaFile]);
        });
    }

    it("EksHub, GkeHub, EC2AutoscaleHub and JupyterHub each validate once when a program calls them; JupyterHub takes their spec as validated", async () => {
        const passes = await validationPasses(() => run(() => {
            new EksHub("cs101", { spec: MINIMAL_SPEC, apiAccessCidrs: CIDRS });
            new GkeHub("ds100", { spec: { ...MINIMAL_SPEC, course: "ds100" }, location: { zone: "us-central1-a" }, apiAccessCidrs: CIDRS });
            new EC2AutoscaleHub("bootcamp", { spec: { ...MINIMAL_SPEC, course: "bootcamp" } });
            hub("stat200", { spec: { ...MINIMAL_SPEC, course: "stat200" } });
        }));
        assert.deepEqual(passes, ["eks-hub-args.json", "gke-hub-args.json", "ec2-hub-args.json", "hub-spec.json"]);
    });

    it("the proof is a copy that only validation hands out: a spec rebuilt from it, or the caller's own object, is validated again", async () => {
        const checked = validatedHubSpec(MINIMAL_SPEC, clusterCapabilities({}));
        assert.ok(isValidated(checked) && !isValidated(MINIMAL_SPEC), "the caller's object carries no proof");
        assert.deepEqual(await validationPasses(() => run(() => hub("cs101", { spec: checked }))), []);
        assert.deepEqual(await validationPasses(() => run(() => hub("cs101", { spec: { ...checked, term: "spring-2027" } }))), ["hub-spec.json"]);
        assert.throws(() => validated(MINIMAL_SPEC, [{ propertyPath: "spec.course", reason: "is wrong" }]), /report them first/);
    });

    it("a spec validated for another platform is still checked against this cluster: what it cannot serve is refused", async () => {
        const forGpus = validatedHubSpec(GPU_SPEC, clusterCapabilities({ gpu: {} }));
        const { error, resources } = await runExpectingError(() => hub("cs101", { spec: forGpus, platform: { nodePurposeLabels: true } }));
        assert.deepEqual(error.errors, [{
            propertyPath: "spec.server.profiles[1].gpus",
            reason: "profile \"gpu\" asks for GPUs, but the cluster has no GPU nodes: describe them in platform.gpu",
        }]);
        assert.deepEqual(resources.filter((r) => r.type !== "pulumi:providers:kubernetes"), []);
    });

    it("JupyterHub checks the shape of the platform it is given: a misspelt key is refused by name, before anything is created", async () => {
        const { error, resources } = await runExpectingError(() => hub("cs101", {
            spec: MINIMAL_SPEC, platform: { homeStorageClas: "gp3", nodePurposeLabels: "yes" } as unknown as JupyterHubPlatformArgs,
        }));
        assert.deepEqual(error.errors.map((e: any) => e.propertyPath).sort(), ["platform.homeStorageClas", "platform.nodePurposeLabels"]);
        assert.match(error.message, /platform\.homeStorageClas: .*did you mean "homeStorageClass"/);
        assert.deepEqual(resources.filter((r) => r.type !== "pulumi:providers:kubernetes"), []);
    });

    it("EksHub and GkeHub check raw chart values over what the spec renders on their cluster; JupyterHub does not check them again", async () => {
        // The validators call chartOptionProblems, JupyterHub chartValuesProblems: each call is seen here.
        const checked: Z2jhValues[] = [];
        const checkedByJupyterHub: Z2jhValues[] = [];
        const originals = { chartOptionProblems: chartValues.chartOptionProblems, chartValuesProblems: chartValues.chartValuesProblems };
        Object.assign(chartValues, {
            chartOptionProblems: (...args: Parameters<typeof chartValues.chartOptionProblems>) => {
                checked.push(args[1]);
                return originals.chartOptionProblems(...args);
            },
            chartValuesProblems: (...args: Parameters<typeof chartValues.chartValuesProblems>) => {
                checkedByJupyterHub.push(args[1]);
                return originals.chartValuesProblems(...args);
            },
        });
        const chart = { values: { hub: { config: { JupyterHub: { shutdown_on_logout: true } } } } };
        try {
            await run(() => {
                new EksHub("cs101", { spec: MINIMAL_SPEC, apiAccessCidrs: CIDRS, chart, notebookBucketAccess: { buckets: ["arn:aws:s3:::cs101-data"] } });
                new GkeHub("ds100", { spec: { ...SHARED, course: "ds100" }, location: { zone: "us-central1-a" }, apiAccessCidrs: CIDRS, chart });
            });
        } finally {
            Object.assign(chartValues, originals);
        }
        assert.equal(checkedByJupyterHub.length, 0, "JupyterHub takes the arguments its platform component validated");
        assert.equal(checked.length, 2, "once for each hub, by its component's validator");
        const [onEks, onGke] = checked;
        assert.equal(onEks.proxy.service.annotations["service.beta.kubernetes.io/aws-load-balancer-type"], "nlb", "over EksHub's load balancer");
        assert.equal(onEks.singleuser.serviceAccountName, "notebook", "with the notebooks' identity from notebookBucketAccess");
        assert.equal(onEks.singleuser.storage.dynamic.storageClass, "gp3");
        assert.equal(onGke.singleuser.storage.dynamic.storageClass, "balanced");
        assert.ok(JSON.stringify(onGke.singleuser.storage.extraVolumes).includes("shared"), "with GkeHub's Filestore share");
    });
});

describe("what a platform adds travels in its arguments to JupyterHub, never in the spec", () => {
    it("the notebooks' identity from platform.notebookIdentity: their annotated service account, the metadata server open for Workload Identity", async () => {
        for (const [identity, annotation, metadataServer] of [
            [{ awsRoleArn: "arn:aws:iam::123456789012:role/cs101-notebooks" }, "eks.amazonaws.com/role-arn", false],
            [{ gcpServiceAccountEmail: "nb@course-hubs-test.iam.gserviceaccount.com" }, "iam.gke.io/gcp-service-account", true],
        ] as const) {
            const resources = await run(() => hub("cs101", { spec: MINIMAL_SPEC, platform: { notebookIdentity: identity } }));
            const account = one(resources, "kubernetes:core/v1:ServiceAccount", "cs101-notebook-identity");
            assert.deepEqual(account.inputs.metadata.annotations, { [annotation]: Object.values(identity)[0] });
            const values = unwrapSecrets(one(resources, "kubernetes:helm.sh/v3:Release", "cs101-release").inputs.values);
            assert.equal(values.singleuser.serviceAccountName, "notebook");
            assert.equal(values.singleuser.networkPolicy.egressAllowRules.cloudMetadataServer, metadataServer);
        }
    });

    it("refuses the spec's notebook identity beside the platform's, by argument name", async () => {
        const { error, resources } = await runExpectingError(() => hub("cs101", {
            spec: { ...MINIMAL_SPEC, notebookIdentity: { awsRoleArn: "arn:aws:iam::123456789012:role/mine" } },
            platform: { notebookIdentity: { awsRoleArn: "arn:aws:iam::123456789012:role/the-platforms" } },
        }));
        assert.deepEqual(error.errors, [{
            propertyPath: "spec.notebookIdentity",
            reason: "the platform gives the notebooks their identity (platform.notebookIdentity): leave spec.notebookIdentity out",
        }]);
        assert.deepEqual(resources.filter((r) => r.type !== "pulumi:providers:kubernetes"), []);
    });

    it("the smallest shared volume from platform.minimumSharedSize: given when the spec names no size, a smaller one refused", async () => {
        const platform: JupyterHubPlatformArgs = { sharedStorageClass: "filestore", minimumSharedSize: "100Gi" };
        const claimSize = async (spec: HubSpec, on: JupyterHubPlatformArgs) => one(await run(() => hub("cs101", { spec, platform: on })),
            "kubernetes:core/v1:PersistentVolumeClaim").inputs.spec.resources.requests.storage;
        assert.equal(await claimSize(SHARED, platform), "100Gi");
        assert.equal(await claimSize({ ...SHARED, storage: { sharedCourseFolder: true, sharedSize: "2Ti" } }, platform), "2Ti");
        assert.equal(await claimSize(SHARED, { sharedStorageClass: "nfs", minimumSharedSize: "1Gi" }), "10Gi", "a minimum below the default keeps the default");
        const tooSmall = { ...SHARED, storage: { sharedCourseFolder: true, sharedSize: "50Gi" } };
        const { error } = await runExpectingError(() => hub("cs101", { spec: tooSmall, platform }));
        assert.deepEqual(error.errors, [{
            propertyPath: "spec.storage.sharedSize",
            reason: "the cluster's shared storage provisions 100Gi at least (platform.minimumSharedSize); \"50Gi\" is smaller",
        }]);
    });

    it("GkeHub publishes Filestore's minimum in its platform, so another course on its cluster gets it too; its notebook identity stays its own", async () => {
        let published: JupyterHubPlatformArgs = {};
        const resources = await run(() => {
            const department = new GkeHub("cs101", {
                spec: SHARED, location: { zone: "us-central1-a" }, apiAccessCidrs: CIDRS, notebookBucketAccess: { buckets: ["cs101-data"] },
            });
            published = department.platform;
            new JupyterHub("ds200", {
                provider: department.provider, platform: department.platform, spec: { ...SHARED, course: "ds200", hostname: "ds200.hubs.example.edu" },
            });
        });
        assert.equal(published.notebookIdentity, undefined, "the notebooks' account is cs101's, not the cluster's");
        const claims = resources.filter((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim");
        assert.deepEqual(claims.map((c) => [c.name, c.inputs.spec.resources.requests.storage]).sort(),
            [["cs101-hub-shared", "100Gi"], ["ds200-shared", "100Gi"]]);
        const accounts = resources.filter((r) => r.type === "kubernetes:core/v1:ServiceAccount" && r.name.endsWith("-notebook-identity"));
        assert.deepEqual(accounts.map((a) => a.name), ["cs101-hub-notebook-identity"]);
    });

    it("EksHub keeps the notebooks' role out of the platform it publishes", async () => {
        let published: JupyterHubPlatformArgs = {};
        const resources = await run(() => {
            published = new EksHub("cs101", {
                spec: MINIMAL_SPEC, apiAccessCidrs: CIDRS, notebookBucketAccess: { buckets: ["arn:aws:s3:::cs101-data"] },
            }).platform;
        });
        assert.equal(published.notebookIdentity, undefined);
        const account = one(resources, "kubernetes:core/v1:ServiceAccount", "cs101-hub-notebook-identity");
        assert.equal(account.inputs.metadata.annotations["eks.amazonaws.com/role-arn"], "arn:aws:iam::123456789012:role/cs101-notebooks-role");
    });
});

describe("the shared entry point is given once", () => {
    it("refuses ingress and platform.ingress together, by argument name, before creating the hub", async () => {
        const { error, resources } = await runExpectingError(() => {
            const shared = new StaticIpIngress("shared", {
                identity: { course: "stats-dept", term: "2026-2027", owner: "it@stats.example.edu" },
                provider: cluster(),
                address: { cloud: "gcp", region: "us-central1" },
                letsEncryptEmail: "it@stats.example.edu",
            });
            hub("cs101", { spec: { ...MINIMAL_SPEC, https: { mode: "ingress" } }, ingress: shared, platform: { ...FULL_PLATFORM } });
        });
        assert.deepEqual(error.errors.map((e: any) => e.propertyPath), ["ingress"]);
        assert.match(error.message, /ingress: and platform\.ingress both name the shared entry point: give the StaticIpIngress as ingress, or its ingress class/);
        assert.deepEqual(resources.filter((r) => r.type.startsWith("course-hubs:k8s:JupyterHub") || r.name.startsWith("cs101-")), []);
    });
});
