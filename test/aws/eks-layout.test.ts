import { strict as assert } from "node:assert";
import { autoscalerTags, cidrSubnet, corePodFit, corePods, nodeGroupLayouts, nodeZones, splitAcrossZones, subnetLayout } from "../../components/aws/eks-layout";
import { maxPodsOf } from "../../components/aws/instance-types";
import { MINIMAL_SPEC } from "../support/specs";
import { clusterAutoscalerPolicy, irsaTrustPolicy, policyActions, s3AccessPolicy } from "../../components/aws/iam";
import { eksExecKubeconfig } from "../../components/aws/kubeconfig";
import { gkeExecKubeconfig, nodePoolLayouts, serviceAccountId } from "../../components/gcp/gke-layout";
import { COURSE_TAGS } from "../support/aws";
import { packSummary, resource } from "../support/policy";

describe("EksHub planning (pure)", () => {
    it("splits a VPC into stable subnet blocks", () => {
        assert.equal(cidrSubnet("10.40.0.0/16", 4, 0), "10.40.0.0/20");
        assert.equal(cidrSubnet("10.40.0.0/16", 4, 1), "10.40.16.0/20");
        assert.equal(cidrSubnet("10.40.0.0/16", 4, 9), "10.40.144.0/20");
        assert.equal(cidrSubnet("172.16.32.0/20", 4, 15), "172.16.47.0/24");
        assert.throws(() => cidrSubnet("10.0.0.0/30", 4, 0), /no block/);
        assert.deepEqual(subnetLayout("10.40.0.0/16", 2), {
            publicCidrs: ["10.40.0.0/20", "10.40.16.0/20"], privateCidrs: ["10.40.128.0/20", "10.40.144.0/20"],
        });
        assert.deepEqual(subnetLayout("10.40.0.0/16", 3).privateCidrs, ["10.40.128.0/20", "10.40.144.0/20", "10.40.160.0/20"]);
    });

    it("layouts a core group that never scales and user/GPU groups from zero", () => {
        const [coreGroup, user, gpu] = nodeGroupLayouts({
            spec: MINIMAL_SPEC,
            userNodes: { spot: true, maxCount: 30 },
            gpuNodes: { maxCount: 3 },
            coreNodes: { instanceType: "t4g.medium" },
        }, 1);
        assert.deepEqual([coreGroup.minSize, coreGroup.maxSize, coreGroup.capacityType, coreGroup.amiType], [1, 1, "ON_DEMAND", "AL2023_ARM_64_STANDARD"]);
        assert.deepEqual(coreGroup.labels, { "hub.jupyter.org/node-purpose": "core" });
        assert.deepEqual([user.minSize, user.maxSize, user.desiredSize, user.capacityType], [0, 30, 0, "SPOT"]);
        assert.deepEqual(user.taints, [{ key: "hub.jupyter.org/dedicated", value: "user", effect: "NoSchedule" }]);
        assert.deepEqual([gpu.minSize, gpu.maxSize, gpu.amiType], [0, 3, "AL2023_x86_64_NVIDIA"]);
        assert.equal(gpu.labels["course-hubs/gpu"], "true");
        assert.equal(nodeGroupLayouts({ spec: MINIMAL_SPEC }, 1).length, 2, "no GPU group unless asked");
    });

    it("tags groups so the autoscaler can scale them up from zero", () => {
        const gpu = nodeGroupLayouts({ spec: MINIMAL_SPEC, gpuNodes: {} }, 1)[2];
        assert.deepEqual(autoscalerTags("cs101-fall-2026", gpu), {
            "k8s.io/cluster-autoscaler/enabled": "true",
            "k8s.io/cluster-autoscaler/cs101-fall-2026": "owned",
            "k8s.io/cluster-autoscaler/node-template/label/hub.jupyter.org/node-purpose": "user",
            "k8s.io/cluster-autoscaler/node-template/label/course-hubs/gpu": "true",
            "k8s.io/cluster-autoscaler/node-template/taint/hub.jupyter.org/dedicated": "user:NoSchedule",
            "k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu": "present:NoSchedule",
            "k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu": "1",
        });
    });

    it("splits user and GPU maxima over the zones, one group each, totals unchanged (the bill's ceiling)", () => {
        assert.deepEqual(splitAcrossZones(10, 2), [5, 5]);
        assert.deepEqual(splitAcrossZones(5, 3), [2, 2, 1]);
        assert.deepEqual(splitAcrossZones(12, 1), [12]);
        assert.throws(() => splitAcrossZones(2, 3), /at least one each/);
        const layouts = nodeGroupLayouts({ spec: MINIMAL_SPEC, userNodes: { maxCount: 7 }, gpuNodes: { maxCount: 2 } }, 2);
        assert.deepEqual(layouts.map((p) => [p.role, p.zone, p.suffix, p.maxSize]),
            [["core", 0, "", 1], ["user", 0, "", 4], ["user", 1, "-2", 3], ["gpu", 0, "", 1], ["gpu", 1, "-2", 1]]);
        assert.deepEqual(nodeZones(undefined, false), [{ zone: "zone 1", subnetIndexes: [0] }, { zone: "zone 2", subnetIndexes: [1] }]);
        assert.deepEqual(nodeZones({ vpcId: "vpc-1", publicSubnets: [], privateSubnets: [
            { id: "a", availabilityZone: "us-east-1a" }, { id: "b", availabilityZone: "us-east-1b" }, { id: "c", availabilityZone: "us-east-1a" }] }, true),
        [{ zone: "us-east-1a", subnetIndexes: [0, 2] }, { zone: "us-east-1b", subnetIndexes: [1] }]);
    });

    it("counts the core pods and the pods a core type holds on the VPC CNI", () => {
        // ENIs x (addresses - 1) + 2, as in the VPC CNI's eni-max-pods.txt; prefix delegation: capped at 110 under 30 vCPUs.
        assert.deepEqual(["t4g.medium", "t3.medium", "t2.medium", "m6i.large", "t3.small"].map((t) => [maxPodsOf(t, false), maxPodsOf(t, true)]),
            [[17, 110], [17, 110], [17, 17], [29, 110], [11, 110]]);
        assert.equal(maxPodsOf("x9z.huge", true), undefined);
        const total = (pods: ReturnType<typeof corePods>) => pods.reduce((n, p) => n + p.pods, 0);
        // Let's Encrypt through z2jh's autohttps, no shared folder, no pre-warm schedule.
        assert.equal(total(corePods({ spec: MINIMAL_SPEC })), 14);
        const busy = corePods({
            spec: {
                ...MINIMAL_SPEC,
                https: { mode: "ingress" },
                storage: { sharedCourseFolder: true },
                prewarm: { schedule: [{ start: "0 9 * * 1", end: "0 11 * * 1", seats: 10 }] },
            },
            ingress: { letsEncryptEmail: "it@example.edu" },
        });
        assert.equal(total(busy), 21, "EFS, an ingress and a pre-warm job: more than a t4g.medium's 17 without prefix delegation");
        assert.deepEqual(busy.filter((p) => p.perNode).map((p) => p.name), ["aws-node (VPC CNI)", "kube-proxy", "ebs-csi-node", "efs-csi-node"]);
        assert.deepEqual(corePodFit(busy, 1, 17), { perNode: 17, needed: 21, fits: false });
        assert.deepEqual(corePodFit(busy, 2, 17), { perNode: 17, needed: 13, fits: true });
        assert.equal(corePodFit(busy, 1, maxPodsOf("t4g.medium", true)!).fits, true);
    });

    it("writes IAM policies without wildcard actions, scoped to the cluster", () => {
        // Judged by the policy pack, as the roles that carry them would be.
        const role = (name: string, inline: unknown, trust: unknown) => resource("aws:iam/role:Role", {
            assumeRolePolicy: JSON.stringify(trust), inlinePolicies: [{ name, policy: JSON.stringify(inline) }], tags: COURSE_TAGS,
        }, name);
        const irsa = irsaTrustPolicy("arn:p", "https://oidc/id/X", "ns", "sa");
        const roles = [
            role("autoscaler", clusterAutoscalerPolicy("cs101-fall-2026"), irsa),
            role("s3-rw", s3AccessPolicy(["arn:aws:s3:::data"], false), irsa),
            role("s3-ro", s3AccessPolicy(["arn:aws:s3:::data"], true), irsa),
        ];
        assert.deepEqual(packSummary(roles), []);
        const widened = clusterAutoscalerPolicy("cs101-fall-2026");
        widened.Statement[1].Action = [...([] as string[]).concat(widened.Statement[1].Action), "ec2:*"];
        assert.deepEqual(packSummary([role("autoscaler", widened, irsa)]), [
            "no-wildcard-iam-actions autoscaler: The policy grants wildcard actions ec2:*: name each action.",
        ]);
        const writes = clusterAutoscalerPolicy("cs101-fall-2026").Statement[1];
        assert.deepEqual(writes.Condition, { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/cs101-fall-2026": "owned" } });
        assert.deepEqual(policyActions(s3AccessPolicy(["arn:aws:s3:::data"], true)), ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetObject"]);
        const trust = irsaTrustPolicy("arn:aws:iam::1:oidc-provider/oidc/id/X", "https://oidc/id/X", "cs101-fall-2026", "notebook");
        assert.deepEqual(trust.Statement[0].Condition, {
            StringEquals: {
                "oidc/id/X:sub": "system:serviceaccount:cs101-fall-2026:notebook",
                "oidc/id/X:aud": "sts.amazonaws.com",
            },
        });
    });

    it("writes a kubeconfig that execs aws eks get-token and holds no credential", () => {
        const config = JSON.parse(eksExecKubeconfig({ clusterName: "cs101-fall-2026", endpoint: "https://x.eks", certificateAuthorityData: "Q0E=", region: "us-east-1" }));
        const user = config.users[0].user;
        assert.deepEqual(Object.keys(user), ["exec"]);
        assert.equal(user.exec.command, "aws");
        assert.deepEqual(user.exec.args, ["eks", "get-token", "--cluster-name", "cs101-fall-2026", "--region", "us-east-1", "--output", "json"]);
        assert.equal(config.clusters[0].cluster.server, "https://x.eks");
    });
});

describe("GKE planning (pure)", () => {
    it("writes a kubeconfig that runs gke-gcloud-auth-plugin and holds no credential", () => {
        const config = JSON.parse(gkeExecKubeconfig({ clusterName: "ds100-spring-2027", endpoint: "34.1.2.3", certificateAuthorityData: "Q0E=" }));
        assert.deepEqual(Object.keys(config.users[0].user), ["exec"]);
        assert.equal(config.users[0].user.exec.command, "gke-gcloud-auth-plugin");
        assert.equal(config.clusters[0].cluster.server, "https://34.1.2.3");
    });

    it("layouts a fixed core pool and user/GPU pools from zero, leaving the GPU taint to GKE", () => {
        const [corePool, user, gpu] = nodePoolLayouts({ spec: MINIMAL_SPEC, gpuNodes: { maxCount: 3 } });
        assert.deepEqual(corePool.size, { fixed: 1 });
        assert.deepEqual(user.size, { min: 0, max: 10 });
        assert.deepEqual(gpu.taints.map((t) => t.key), ["hub.jupyter.org/dedicated"]);
        assert.deepEqual(gpu.accelerator, { type: "nvidia-tesla-t4", count: 1 });
    });

    it("makes service account IDs within GCP's 30 characters, deterministically", () => {
        assert.equal(serviceAccountId("cs101-fall-2026", "nb"), "cs101-fall-2026-nb");
        const long = serviceAccountId("intro-to-computational-biology-spring-2027", "nodes");
        assert.ok(long.length <= 30 && /^[a-z][a-z0-9-]*[a-z0-9]$/.test(long), long);
        assert.equal(long, serviceAccountId("intro-to-computational-biology-spring-2027", "nodes"));
    });
});
