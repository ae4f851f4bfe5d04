import { strict as assert } from "node:assert";
import {
    HubSpec, Problem, ProfileSpec, Z2jhPlatform, clusterCapabilities, eksCapabilities, gkeCapabilities, hubSpecProblems, toZ2jhValues, validateEc2HubArgs,
    validateEksHubArgs, validateGkeHubArgs, validateHubSpec, validateJupyterHubArgs,
} from "../../components";
import { FULL_PLATFORM, MAXIMAL_SPEC, MINIMAL_SPEC, forCluster } from "../support/specs";
import { z2jhSchemaErrors } from "../support/z2jh-schema";

/*
 * Node selection: `nodeSelector` and `tolerations` of the server and of a profile, rendered as the
 * chart's singleuser values and as KubeSpawner overrides beside course-hubs's own placement, or
 * refused: course-hubs's own keys everywhere, and the option itself where the nodes carry only
 * course-hubs's labels (EksHub, GkeHub) or are no Kubernetes nodes (EC2AutoscaleHub).
 */

const DEPARTMENT_POOL = { "physics.example.edu/pool": "large" };
const DEPARTMENT_TAINT = { "physics.example.edu/dedicated": "cs101" };
const USER_NODE_TOLERATION = { key: "hub.jupyter.org/dedicated", value: "user", effect: "NoSchedule", operator: "Equal" };

/** Renders for a cluster of one's own and checks against the chart's own schema. */
function renderValid(spec: HubSpec, platform: Z2jhPlatform = FULL_PLATFORM): Record<string, any> {
    const values = toZ2jhValues(forCluster(spec, platform), platform);
    assert.deepEqual(z2jhSchemaErrors(values), [], "values fail the z2jh 4.4.0 schema");
    return values;
}

function withPlacement(spec: HubSpec, server: Pick<NonNullable<HubSpec["server"]>, "nodeSelector" | "tolerations">, profiles?: ProfileSpec[]): HubSpec {
    return { ...spec, server: { ...spec.server, ...server, ...(profiles ? { profiles } : {}) } };
}

function overrideOf(values: Record<string, any>, slug: string): Record<string, any> | undefined {
    return values.singleuser.profileList.find((p: { slug: string }) => p.slug === slug).kubespawner_override;
}

function reasonsAt(problems: Problem[], propertyPath: string): string[] {
    return problems.filter((p) => p.propertyPath === propertyPath).map((p) => p.reason);
}

describe("node selection: the server's and a profile's nodeSelector and tolerations", () => {
    it("the default server's become the chart's singleuser.nodeSelector and extraTolerations, which the chart adds to its own", () => {
        const values = renderValid(withPlacement(MINIMAL_SPEC, { nodeSelector: DEPARTMENT_POOL, tolerations: DEPARTMENT_TAINT }));
        assert.deepEqual(values.singleuser.nodeSelector, DEPARTMENT_POOL);
        assert.deepEqual(values.singleuser.extraTolerations, [{ key: "physics.example.edu/dedicated", operator: "Equal", value: "cs101" }]);
        assert.equal(values.scheduling.userPods.nodeAffinity.matchNodePurpose, "require", "course-hubs's user-node placement stays");
    });

    it("without them, the chart's own placement only", () => {
        const values = renderValid(MAXIMAL_SPEC);
        assert.equal(values.singleuser.nodeSelector, undefined);
        assert.equal(values.singleuser.extraTolerations, undefined);
        assert.equal(overrideOf(values, "standard"), undefined);
        assert.equal(overrideOf(values, "large")!.node_selector, undefined);
    });

    it("a profile's are merged over the server's in its overrides, the user-node toleration repeated; a profile without runs where the server does", () => {
        const values = renderValid(withPlacement(MINIMAL_SPEC, { nodeSelector: DEPARTMENT_POOL, tolerations: DEPARTMENT_TAINT }, [
            { slug: "standard", displayName: "Standard" },
            {
                slug: "big", displayName: "Big",
                nodeSelector: { "physics.example.edu/pool": "xlarge", "physics.example.edu/disk": "ssd" },
                tolerations: { "physics.example.edu/big": "" },
            },
            { slug: "ssd", displayName: "SSD", nodeSelector: { "physics.example.edu/disk": "ssd" } },
        ]));
        assert.equal(overrideOf(values, "standard"), undefined, "KubeSpawner keeps the chart's placement, which is the server's");
        assert.deepEqual(overrideOf(values, "big"), {
            node_selector: { "physics.example.edu/pool": "xlarge", "physics.example.edu/disk": "ssd" },
            tolerations: [
                USER_NODE_TOLERATION,
                { key: "physics.example.edu/dedicated", operator: "Equal", value: "cs101" },
                { key: "physics.example.edu/big", operator: "Equal", value: "" },
            ],
        });
        assert.deepEqual(overrideOf(values, "ssd"), { node_selector: { "physics.example.edu/pool": "large", "physics.example.edu/disk": "ssd" } },
            "only what the profile changes is overridden: the chart's tolerations stay");
    });

    it("a GPU profile keeps the GPU nodes' selector and tolerations, after the server's and its own", () => {
        const gke: Z2jhPlatform = {
            ...FULL_PLATFORM,
            gpu: {
                nodeSelector: { "cloud.google.com/gke-accelerator": "nvidia-tesla-t4" },
                tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
            },
        };
        const gpuProfile: ProfileSpec = {
            slug: "gpu", displayName: "GPU", gpus: 1,
            nodeSelector: { "cloud.google.com/gke-accelerator": "nvidia-l4", "physics.example.edu/disk": "ssd" },
            tolerations: { "physics.example.edu/gpu": "cs101" },
        };
        const values = renderValid(withPlacement(MINIMAL_SPEC, { nodeSelector: DEPARTMENT_POOL, tolerations: DEPARTMENT_TAINT }, [gpuProfile]), gke);
        const override = overrideOf(values, "gpu")!;
        assert.deepEqual(override.node_selector, {
            "physics.example.edu/pool": "large", "physics.example.edu/disk": "ssd", "cloud.google.com/gke-accelerator": "nvidia-tesla-t4",
        });
        assert.deepEqual(override.tolerations, [
            USER_NODE_TOLERATION,
            { key: "physics.example.edu/dedicated", operator: "Equal", value: "cs101" },
            { key: "physics.example.edu/gpu", operator: "Equal", value: "cs101" },
            { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
        ]);
        assert.deepEqual(override.extra_resource_limits, { "nvidia.com/gpu": "1" });
    });

    it("a GPU profile without placement of the course's renders as before: the GPU selector, the user and GPU tolerations", () => {
        const override = overrideOf(renderValid(MAXIMAL_SPEC), "gpu")!;
        assert.deepEqual(override.node_selector, FULL_PLATFORM.gpu!.nodeSelector);
        assert.deepEqual(override.tolerations, [USER_NODE_TOLERATION, ...FULL_PLATFORM.gpu!.tolerations!]);
    });

    it("course-hubs's own labels and taints are refused at their paths, on the server and on a profile", () => {
        const problems = validateHubSpec(withPlacement(MINIMAL_SPEC, {
            nodeSelector: { "hub.jupyter.org/node-purpose": "core", ...DEPARTMENT_POOL },
            tolerations: { "hub.jupyter.org/dedicated": "user", "hub.jupyter.org_dedicated": "user" },
        }, [{
            slug: "cheap-gpu", displayName: "Sneaky", nodeSelector: { "course-hubs/gpu": "true" }, tolerations: { "nvidia.com/gpu": "present" },
        }]));
        assert.match(reasonsAt(problems, "spec.server.nodeSelector.hub.jupyter.org/node-purpose")[0], /course-hubs's own label/);
        assert.match(reasonsAt(problems, "spec.server.tolerations.hub.jupyter.org/dedicated")[0], /every server tolerates already/);
        assert.match(reasonsAt(problems, "spec.server.tolerations.hub.jupyter.org_dedicated")[0], /every server tolerates already/);
        assert.match(reasonsAt(problems, "spec.server.profiles[0].nodeSelector.course-hubs/gpu")[0], /give the profile gpus/);
        assert.match(reasonsAt(problems, "spec.server.profiles[0].tolerations.nvidia.com/gpu")[0], /only a profile with gpus tolerates/);
        assert.equal(problems.length, 5, JSON.stringify(problems));
    });

    it("keys and values Kubernetes would refuse are refused by the schema, with what to write", () => {
        const problems = validateHubSpec(withPlacement(MINIMAL_SPEC, {
            nodeSelector: { "Example.edu/pool": "large", "pool": "-large" },
            tolerations: { "example.edu/": "x", [`example.edu/${"a".repeat(64)}`]: "x" },
        }));
        const paths = problems.map((p) => p.propertyPath);
        assert.ok(paths.some((p) => p.startsWith("spec.server.nodeSelector")) && paths.some((p) => p.startsWith("spec.server.tolerations")), paths.join(", "));
        assert.ok(problems.some((p) => p.reason.includes("use a label key such as example.edu/pool")), JSON.stringify(problems));
        assert.ok(problems.some((p) => p.propertyPath === "spec.server.nodeSelector.pool" && p.reason.includes("starting and ending with a letter or digit")),
            JSON.stringify(problems));
        assert.deepEqual(validateHubSpec(withPlacement(MINIMAL_SPEC, {
            nodeSelector: { "node.kubernetes.io/instance-type": "m7i.2xlarge", "pool": "" }, tolerations: { dedicated: "" },
        })), []);
    });

    it("is offered on a cluster of your own: JupyterHub, and the capabilities a course stack's kubernetes platform starts from", () => {
        const spec = withPlacement(MINIMAL_SPEC, { nodeSelector: DEPARTMENT_POOL, tolerations: DEPARTMENT_TAINT },
            [{ slug: "big", displayName: "Big", nodeSelector: DEPARTMENT_POOL, tolerations: DEPARTMENT_TAINT }]);
        assert.deepEqual(validateJupyterHubArgs({ spec, platform: FULL_PLATFORM }), []);
        assert.equal(clusterCapabilities({}).nodeSelection, true);
    });

    describe("refused where the nodes are not the course's to name, with the platform's own message", () => {
        const spec = withPlacement(MINIMAL_SPEC, { nodeSelector: DEPARTMENT_POOL, tolerations: DEPARTMENT_TAINT },
            [{ slug: "big", displayName: "Big", nodeSelector: DEPARTMENT_POOL }, { slug: "tainted", displayName: "Tainted", tolerations: DEPARTMENT_TAINT }]);
        const refusedPaths = [
            "spec.server.nodeSelector", "spec.server.tolerations", "spec.server.profiles[0].nodeSelector", "spec.server.profiles[1].tolerations",
        ];

        function assertRefused(problems: Problem[], message: RegExp): void {
            for (const at of refusedPaths) {
                assert.match(reasonsAt(problems, at)[0] ?? `nothing at ${at}: ${JSON.stringify(problems)}`, message);
            }
            assert.equal(problems.length, refusedPaths.length, JSON.stringify(problems));
        }

        it("EksHub: its user nodes carry only course-hubs's labels", () => {
            assertRefused(validateEksHubArgs({ spec, apiAccessCidrs: ["203.0.113.0/24"] }),
                /^EksHub's user nodes carry only course-hubs's labels and taints .* run the course on a cluster of your own \(JupyterHub\)/);
            assert.notEqual(eksCapabilities({ gpuNodes: {} }).nodeSelection, true);
        });

        it("GkeHub: its user nodes carry only course-hubs's labels", () => {
            assertRefused(validateGkeHubArgs({ spec, location: { zone: "us-central1-a" }, apiAccessCidrs: ["203.0.113.0/24"] }),
                /^GkeHub's user nodes carry only course-hubs's labels and taints .* run the course on a cluster of your own \(JupyterHub\)/);
            assert.notEqual(gkeCapabilities({ gpuNodes: {} }).nodeSelection, true);
        });

        it("EC2AutoscaleHub, with workers or on one VM: no Kubernetes nodes", () => {
            for (const vms of [{}, { workers: false as const, hub: { instanceType: "t4g.xlarge" } }]) {
                assertRefused(validateEc2HubArgs({ spec, ...vms }), /^EC2AutoscaleHub runs servers on its own VMs, which have no Kubernetes labels or taints/);
            }
        });

        it("an empty one places nothing and is accepted everywhere", () => {
            const empty = withPlacement(MINIMAL_SPEC, { nodeSelector: {}, tolerations: {} },
                [{ slug: "a", displayName: "A", nodeSelector: {}, tolerations: {} }]);
            assert.deepEqual(validateEksHubArgs({ spec: empty, apiAccessCidrs: ["203.0.113.0/24"] }), []);
            assert.deepEqual(hubSpecProblems(empty, gkeCapabilities({})), []);
            assert.deepEqual(validateEc2HubArgs({ spec: empty }), []);
            const values = renderValid(empty);
            assert.equal(values.singleuser.nodeSelector, undefined);
            assert.equal(overrideOf(values, "a"), undefined);
        });
    });
});
