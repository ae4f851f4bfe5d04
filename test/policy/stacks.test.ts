import { strict as assert } from "node:assert";
import { Provider } from "@pulumi/kubernetes/provider";
import { EC2AutoscaleHub, EksHub, GkeHub, JupyterHub, StaticIpIngress } from "../../components";
import { PolicyInput, policyInputs, runPack } from "../support/policy";
import { run } from "../support/program";
import { AUTHS, MINIMAL_SPEC } from "../support/specs";

const cluster = () => new Provider("cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" });

/** The example configuration of each component. */
const EXAMPLES: Record<string, () => void> = {
    "JupyterHub on an existing cluster": () => new JupyterHub("cs101", { provider: cluster(), spec: MINIMAL_SPEC }),
    "EksHub": () => new EksHub("cs101", { spec: MINIMAL_SPEC, apiAccessCidrs: ["203.0.113.0/24"] }),
    "EksHub behind its StaticIpIngress": () => new EksHub("cs101", {
        spec: { ...MINIMAL_SPEC, https: { mode: "ingress" } }, apiAccessCidrs: ["203.0.113.0/24"], ingress: { letsEncryptEmail: "it@example.edu" },
    }),
    "GkeHub": () => new GkeHub("cs101", { spec: MINIMAL_SPEC, location: { zone: "us-central1-a" }, apiAccessCidrs: ["203.0.113.0/24"] }),
    "StaticIpIngress": () => new StaticIpIngress("shared", {
        identity: { course: "stats-dept", term: "2026-2027", owner: "it@example.edu" }, provider: cluster(),
        address: { cloud: "gcp", region: "us-central1" }, letsEncryptEmail: "it@example.edu",
    }),
    "EC2AutoscaleHub": () => new EC2AutoscaleHub("cs101", { spec: MINIMAL_SPEC, workers: { maxCount: 8 } }),
    "EC2AutoscaleHub, single VM": () => new EC2AutoscaleHub("cs101", { spec: MINIMAL_SPEC, hub: { instanceType: "t4g.large" }, workers: false }),
};

async function recorded(program: () => void): Promise<PolicyInput[]> {
    return policyInputs(await run(program));
}

const summary = (inputs: PolicyInput[], config = {}) => runPack(inputs, config).map((v) => `${v.policy} ${v.resource}: ${v.message}`);

describe("the policy pack on whole stacks", () => {
    for (const [name, program] of Object.entries(EXAMPLES)) {
        it(`${name} passes with the default config`, async () => {
            const inputs = await recorded(program);
            assert.ok(inputs.length > 5);
            assert.deepEqual(summary(inputs), []);
        });
    }

    it("an untagged resource: exactly one violation, on it", async () => {
        const inputs = await recorded(EXAMPLES.EksHub);
        const vpc = inputs.find((i) => i.type === "aws:ec2/vpc:Vpc")!;
        delete vpc.props.tags;
        assert.deepEqual(summary(inputs), [
            "course-required-tags cs101-vpc: Missing the tags course, term, owner, managed-by: add them to tags, or to the provider's defaultTags.",
        ]);
    });

    it("too many nodes: the group's limit and the stack's", async () => {
        // One user group per zone (two zones by default): 42 seats become two groups of 21.
        const inputs = await recorded(() => new EksHub("cs101", {
            spec: MINIMAL_SPEC,
            apiAccessCidrs: ["203.0.113.0/24"],
            userNodes: { maxCount: 42 },
            maxNodes: 50,
        }));
        assert.deepEqual(summary(inputs), [
            "course-instance-limits cs101-user-nodes: \"cs101-user-nodes\" may run 21 instances, more than the per-group limit of 20.",
            "course-instance-limits cs101-user-nodes-2: \"cs101-user-nodes-2\" may run 21 instances, more than the per-group limit of 20.",
            "course-instance-limits (stack): The stack may run 43 instances (cs101-core-nodes 1, cs101-user-nodes 21, cs101-user-nodes-2 21), more than the limit of 20; lower the groups' maxima or raise maxInstances.",
        ]);
    });

    it("a Kubernetes API open to the world: accepted by EksHub and GkeHub, refused by exactly that rule", async () => {
        const world = ["0.0.0.0/0"];
        const eks = await recorded(() => new EksHub("cs101", { spec: MINIMAL_SPEC, apiAccessCidrs: world }));
        assert.deepEqual(summary(eks), [
            "kubernetes-api-restricted cs101-cluster: publicAccessCidrs admits 0.0.0.0/0: name the campus and VPN ranges instead.",
        ]);
        const gke = await recorded(() => new GkeHub("cs101", { spec: MINIMAL_SPEC, location: { zone: "us-central1-a" }, apiAccessCidrs: world }));
        assert.deepEqual(summary(gke), [
            "kubernetes-api-restricted cs101-cluster: masterAuthorizedNetworksConfig admits 0.0.0.0/0: name the campus and VPN ranges instead.",
        ]);
    });

    it("SSH open to the world: exactly that rule", async () => {
        const inputs = await recorded(EXAMPLES.EC2AutoscaleHub);
        const https = inputs.find((i) => i.name === "cs101-hub-443-ipv4")!;
        inputs.push({ ...https, name: "ssh-for-debugging", urn: `${https.urn}-ssh`, props: { ...https.props, fromPort: 22, toPort: 22 } });
        assert.deepEqual(summary(inputs), ["no-open-admin-ports ssh-for-debugging: Port 22 (SSH) is open to 0.0.0.0/0."]);
    });

    it("a shared password: refused by default, allowed by the stack's policy config", async () => {
        const inputs = await recorded(() => new JupyterHub("workshop", { provider: cluster(), spec: { ...MINIMAL_SPEC, auth: AUTHS.sharedPassword } }));
        assert.deepEqual(summary(inputs), [
            "no-insecure-authenticators workshop-release: The hub logs people in with jupyterhub.authenticators.shared.SharedPasswordAuthenticator: use GitHub, OIDC or LDAP, or set allowInsecureAuthenticators: true in this policy's config for this stack.",
        ]);
        assert.deepEqual(summary(inputs, { "no-insecure-authenticators": { allowInsecureAuthenticators: true } }), []);
    });
});
