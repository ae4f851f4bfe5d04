import { strict as assert } from "node:assert";
import { Provider } from "@pulumi/kubernetes/provider";
import { EksHub, GkeHub, JupyterHub, StaticIpIngress } from "../components";
import { TEARDOWN_RELEASE_NAME } from "../components/hub/teardown";
import { RecordedResource } from "./setup-mocks";
import { providerUrn, run } from "./support/program";
import { FULL_PLATFORM, MAXIMAL_EKS_SPEC, MAXIMAL_SPEC } from "./support/specs";

/*
 * The order `pulumi destroy` deletes in, read from what the components register. The engine
 * deletes a resource before everything it depends on: its recorded dependencies (dependsOn and
 * inputs from other resources), its provider and its parent; a dependency on a component is one
 * on each of the component's descendants. "A is deleted before B" is "A depends on B", transitively.
 */
class DeletionOrder {
    private readonly byUrn = new Map<string, RecordedResource>();
    private readonly children = new Map<string, string[]>();
    private readonly reachable = new Map<string, Set<string>>();

    constructor(resources: RecordedResource[]) {
        for (const r of resources.filter((x) => !x.read)) {
            this.byUrn.set(r.urn, r);
            this.children.set(r.parentUrn, [...(this.children.get(r.parentUrn) ?? []), r.urn]);
        }
    }

    /** Whether `first` is deleted before `then`. */
    before(first: RecordedResource, then: RecordedResource): boolean {
        return this.dependenciesOf(first.urn).has(then.urn);
    }

    private descendants(urn: string): string[] {
        return (this.children.get(urn) ?? []).flatMap((child) => [child, ...this.descendants(child)]);
    }

    private dependenciesOf(urn: string): Set<string> {
        const known = this.reachable.get(urn);
        if (known) {
            return known;
        }
        const found = new Set<string>();
        const pending = [urn];
        while (pending.length > 0) {
            const r = this.byUrn.get(pending.pop()!);
            if (!r) {
                continue;
            }
            const direct = [...r.dependencies.flatMap((d) => [d, ...this.descendants(d)]), r.parentUrn, r.provider ? providerUrn(r.provider) : ""];
            for (const next of direct.filter((d) => d && !found.has(d))) {
                found.add(next);
                pending.push(next);
            }
        }
        this.reachable.set(urn, found);
        return found;
    }
}

const label = (r: RecordedResource) => `${r.type.split(":").pop()} ${r.name}`;
const isKubernetesObject = (r: RecordedResource) => r.type.startsWith("kubernetes:") && !r.read;
const release = (resources: RecordedResource[], chartOrName: string) => {
    const found = resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && (r.inputs.chart === chartOrName || r.inputs.name === chartOrName));
    assert.equal(found.length, 1, `one release of ${chartOrName}`);
    return found[0];
};
const ofType = (resources: RecordedResource[], type: string, name?: RegExp) => {
    const found = resources.filter((r) => r.type === type && (!name || name.test(r.name)));
    assert.ok(found.length > 0, `no ${type} ${name ?? ""}`);
    return found;
};

/** Every pair (first, then) that is not deleted in that order, as readable lines. */
function outOfOrder(order: DeletionOrder, firsts: RecordedResource[], thens: RecordedResource[]): string[] {
    return firsts.flatMap((first) => thens.filter((then) => !order.before(first, then)).map((then) => `${label(first)} is not deleted before ${label(then)}`));
}

/** The course-teardown release goes before the hub's chart, shared claim and namespace, and before the ingress controller it is served through. */
function teardownFirst(resources: RecordedResource[], hubName: string): string[] {
    const order = new DeletionOrder(resources);
    return outOfOrder(order, [release(resources, TEARDOWN_RELEASE_NAME)], [
        release(resources, "jupyterhub"),
        ...ofType(resources, "kubernetes:core/v1:PersistentVolumeClaim", new RegExp(`^${hubName}-shared$`)),
        ...ofType(resources, "kubernetes:core/v1:Namespace", new RegExp(`^${hubName}-namespace$`)),
        release(resources, "traefik"),
    ]);
}

/** The ingress controller's load balancer is gone before its reserved addresses: Helm waits for the Service to be gone on uninstall. */
function controllerBeforeAddresses(resources: RecordedResource[], addresses: RecordedResource[]): string[] {
    const controller = release(resources, "traefik");
    assert.ok(!controller.inputs.skipAwait && controller.inputs.timeout >= 600, "uninstall waits long enough for the cloud to delete the load balancer");
    return outOfOrder(new DeletionOrder(resources), [controller], addresses);
}

describe("what pulumi destroy deletes first", function () {
    this.timeout(60_000);

    describe("EksHub with private nodes, a shared folder on EFS and its own StaticIpIngress", () => {
        let resources: RecordedResource[];
        before(async () => {
            resources = await run(() => new EksHub("cs101", {
                spec: { ...MAXIMAL_EKS_SPEC, notebookIdentity: undefined },
                apiAccessCidrs: ["203.0.113.0/24"],
                privateNodes: true,
                gpuNodes: { maxCount: 3 },
                ingress: { letsEncryptEmail: "course-it@example.edu" },
            }));
        });

        it("the hub's teardown before its chart, shared claim, namespace and ingress controller", () => {
            assert.deepEqual(teardownFirst(resources, "cs101-hub"), []);
        });

        it("every Kubernetes object before the nodes, the storage drivers and their permissions, EFS and the network the nodes reach the cloud through", () => {
            const infrastructure = [
                ...ofType(resources, "aws:eks/nodeGroup:NodeGroup"),
                ...ofType(resources, "aws:eks/addon:Addon", /-(ebs|efs)-csi$/),
                ...ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", /-(ebs|efs)-csi-policy$/),
                ...ofType(resources, "aws:efs/mountTarget:MountTarget"),
                ...ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", /-efs-from-nodes$/),
                ...ofType(resources, "aws:ec2/routeTableAssociation:RouteTableAssociation"),
                ...ofType(resources, "aws:ec2/natGateway:NatGateway"),
                ...ofType(resources, "aws:ec2/vpc:Vpc"),
            ];
            assert.deepEqual(outOfOrder(new DeletionOrder(resources), resources.filter(isKubernetesObject), infrastructure), []);
        });

        it("the ingress controller's load balancer before its Elastic IP", () => {
            assert.deepEqual(controllerBeforeAddresses(resources, ofType(resources, "aws:ec2/eip:Eip", /-ingress-address-/)), []);
        });
    });

    describe("GkeHub with private nodes, a shared folder on Filestore and its own StaticIpIngress", () => {
        let resources: RecordedResource[];
        before(async () => {
            resources = await run(() => new GkeHub("cs101", {
                // Without a notebook identity, a bucket dataset would be refused: it is mounted as that identity.
                spec: { ...MAXIMAL_SPEC, notebookIdentity: undefined, storage: { ...MAXIMAL_SPEC.storage, sharedSize: "1Ti", bucketDatasets: undefined } },
                location: { zone: "us-central1-a" },
                apiAccessCidrs: ["203.0.113.0/24"],
                privateNodes: true,
                gpuNodes: { maxCount: 1 },
                ingress: { letsEncryptEmail: "course-it@example.edu" },
            }));
        });

        it("the hub's teardown before its chart, shared claim, namespace and ingress controller", () => {
            assert.deepEqual(teardownFirst(resources, "cs101-hub"), []);
        });

        it("every Kubernetes object before the node pools, the cluster (its CSI drivers), the NAT and the network", () => {
            const infrastructure = [
                ...ofType(resources, "gcp:container/nodePool:NodePool"),
                ...ofType(resources, "gcp:container/cluster:Cluster"),
                ...ofType(resources, "gcp:compute/routerNat:RouterNat"),
                ...ofType(resources, "gcp:compute/subnetwork:Subnetwork"),
                ...ofType(resources, "gcp:compute/network:Network"),
            ];
            assert.deepEqual(outOfOrder(new DeletionOrder(resources), resources.filter(isKubernetesObject), infrastructure), []);
        });

        it("the ingress controller's load balancer before its static address", () => {
            assert.deepEqual(controllerBeforeAddresses(resources, ofType(resources, "gcp:compute/address:Address")), []);
        });
    });

    describe("JupyterHub on an existing cluster, behind a StaticIpIngress", () => {
        let resources: RecordedResource[];
        before(async () => {
            resources = await run(() => {
                const provider = new Provider("department", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
                const ingress = new StaticIpIngress("entry", {
                    identity: { course: "stats-dept", term: "2026", owner: "it@stats.example.edu" },
                    provider,
                    address: { cloud: "gcp", region: "us-central1" },
                    letsEncryptEmail: "it@stats.example.edu",
                });
                // The StaticIpIngress is the entry point, given once.
                new JupyterHub("cs101", { spec: MAXIMAL_SPEC, provider, platform: { ...FULL_PLATFORM, ingress: undefined }, ingress });
            });
        });

        it("the hub's teardown before its chart, shared claim, namespace and the ingress controller", () => {
            assert.deepEqual(teardownFirst(resources, "cs101"), []);
        });

        it("the ingress controller's load balancer before its static address", () => {
            assert.deepEqual(controllerBeforeAddresses(resources, ofType(resources, "gcp:compute/address:Address")), []);
        });
    });
});
