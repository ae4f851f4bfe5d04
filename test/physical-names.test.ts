import { strict as assert } from "node:assert";
import { Provider } from "@pulumi/kubernetes/provider";
import { EC2AutoscaleHub, EC2AutoscaleHubArgs, EksHub, EksHubArgs, GkeHub, GkeHubArgs, JupyterHub } from "../components";
import { guardCluster } from "../stacks/course";
import { duplicateNames, duplicatePhysicalNames, one, run, runExpectingError } from "./support/program";
import { MINIMAL_SPEC } from "./support/specs";

// MINIMAL_SPEC is cs101 in fall-2026: the production hubs keep the default name, the staging ones get their own.
const STAGING = "cs101-fall-2026-staging";

const EKS: EksHubArgs = {
    spec: MINIMAL_SPEC,
    apiAccessCidrs: ["203.0.113.0/24"],
    notebookBucketAccess: { buckets: ["arn:aws:s3:::cs101-data"] },
    keepStudentWork: true,
};
const GKE: GkeHubArgs = {
    spec: MINIMAL_SPEC,
    location: { zone: "us-central1-a" },
    apiAccessCidrs: ["203.0.113.0/24"],
    notebookBucketAccess: { buckets: ["cs101-fall-2026-data"] },
    keepStudentWork: true,
};
const EC2: EC2AutoscaleHubArgs = { spec: MINIMAL_SPEC, keepStudentWork: true };

/** What a refused construction reported, by argument path. */
async function refusals(construct: () => void): Promise<Record<string, string>> {
    const { error, resources } = await runExpectingError(construct);
    assert.ok(error, "expected the arguments to be refused");
    // A JupyterHub's provider is registered before the hub is refused.
    assert.deepEqual(resources.filter((r) => !r.type.startsWith("pulumi:providers:")), [], "nothing is registered when the arguments are refused");
    return Object.fromEntries(error.errors.map((e: { propertyPath: string; reason: string }) => [e.propertyPath, e.reason]));
}

describe("physicalName: a staging and a production hub of one course and term in one account", () => {
    it("EksHub: no cluster, log group, release or namespace named twice", async () => {
        const resources = await run(() => {
            new EksHub("production", EKS);
            new EksHub("staging", { ...EKS, physicalName: STAGING });
        });
        assert.deepEqual(duplicateNames(resources), []);
        assert.deepEqual(duplicatePhysicalNames(resources), []);
        const clusters = resources.filter((r) => r.type === "eks:index:Cluster").map((r) => r.inputs.name);
        assert.deepEqual(clusters.sort(), ["cs101-fall-2026", STAGING]);
        const release = one(resources, "kubernetes:helm.sh/v3:Release", "staging-hub-release").inputs;
        assert.deepEqual([release.name, release.namespace], [STAGING, STAGING]);
        assert.equal(one(resources, "aws:cloudwatch/logGroup:LogGroup", "staging-control-plane-logs").inputs.name, `/aws/eks/${STAGING}/cluster`);
    });

    it("EksHub through the stack program: the cluster guard's objects take the hub's name", async () => {
        const resources = await run(() => guardCluster(MINIMAL_SPEC, new EksHub("staging", { ...EKS, physicalName: STAGING })));
        assert.equal(one(resources, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").inputs.metadata.name, `${STAGING}-cluster-guard`);
    });

    it("GkeHub: no cluster, service account, backup plan, release or namespace named twice", async () => {
        const resources = await run(() => {
            new GkeHub("production", GKE);
            new GkeHub("staging", { ...GKE, physicalName: STAGING });
        });
        assert.deepEqual(duplicateNames(resources), []);
        assert.deepEqual(duplicatePhysicalNames(resources), []);
        const accounts = resources.filter((r) => r.type === "gcp:serviceaccount/account:Account").map((r) => r.inputs.accountId);
        assert.deepEqual(accounts.sort(), ["cs101-fall-2026-nb", "cs101-fall-2026-nodes", `${STAGING}-nb`, `${STAGING}-nodes`]);
        const binding = one(resources, "gcp:serviceaccount/iAMMember:IAMMember", "staging-notebooks-workload-identity").inputs;
        assert.match(binding.member, new RegExp(`\\[${STAGING}/`), "the notebooks' identity is bound in the staging hub's namespace");
    });

    it("EC2AutoscaleHub: no parameter, key alias or worker group named twice", async () => {
        const resources = await run(() => {
            new EC2AutoscaleHub("production", EC2);
            new EC2AutoscaleHub("staging", { ...EC2, physicalName: STAGING });
        });
        assert.deepEqual(duplicateNames(resources), []);
        assert.deepEqual(duplicatePhysicalNames(resources), []);
        assert.equal(one(resources, "aws:ssm/parameter:Parameter", "staging-cookie-secret").inputs.name, `/course-hubs/${STAGING}/cookie-secret`);
        assert.equal(one(resources, "aws:ssm/parameter:Parameter", "production-cookie-secret").inputs.name, "/course-hubs/cs101-fall-2026/cookie-secret");
    });

    it("JupyterHub: two hubs of one course on one cluster get their own release and namespace", async () => {
        const resources = await run(() => {
            const provider = new Provider("cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
            new JupyterHub("production", { spec: MINIMAL_SPEC, provider });
            new JupyterHub("staging", { spec: MINIMAL_SPEC, provider, physicalName: STAGING });
        });
        assert.deepEqual(duplicateNames(resources), []);
        assert.deepEqual(duplicatePhysicalNames(resources), []);
    });

    it("refuses a name too long or malformed for what it names, at its argument path, before anything is created", async () => {
        const helmLimit = "a".repeat(54);
        const eks = await refusals(() => new EksHub("bad", { ...EKS, physicalName: helmLimit }));
        assert.match(eks.physicalName, /at most 53/);
        const ec2 = await refusals(() => new EC2AutoscaleHub("bad", { ...EC2, physicalName: "CS101_Staging" }));
        assert.match(ec2.physicalName, /lowercase letters, digits and hyphens/);
        // 25 characters fit a GKE cluster (40) but not the service account ids made from them (30 with "-nodes").
        const gke = await refusals(() => new GkeHub("bad", { ...GKE, physicalName: "cs101-fall-2026-stagingx1" }));
        assert.match(gke.physicalName, /3 to 24/);
        const jupyterhub = await refusals(() => new JupyterHub("bad", {
            spec: MINIMAL_SPEC,
            provider: new Provider("bad-cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" }),
            physicalName: "-staging",
        }));
        assert.match(jupyterhub.physicalName, /starting and ending with a letter or digit/);
    });
});
