import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as efs from "@pulumi/aws/efs";
import * as awsEks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc/securityGroupIngressRule";
import { Cluster } from "@pulumi/eks/cluster";
import * as helm from "@pulumi/kubernetes/helm/v3";
import * as storage from "@pulumi/kubernetes/storage/v1";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { UserGroupCapacity, userCapacity } from "../capacity";
import { needsSharedVolume } from "../hub/defaults";
import { JupyterHub } from "../hub/jupyterhub";
import { JupyterHubPlatformArgs } from "../hub/platform";
import { blockStorageClassArgs, sharedHomesOf } from "../hub/shared-homes";
import { StaticIpIngress } from "../ingress/static-ip-ingress";
import { installHubOnCluster } from "../k8s/hub-on-cluster";
import { NOTEBOOK_SERVICE_ACCOUNT } from "../hub/z2jh";
import { courseTags, physicalNameOf } from "../tags";
import { ValidatedArgs, validatedOnce } from "../validated";
import { EKS_DEFAULTS, EksHubArgs } from "./eks-args";
import { cloudTaintEffect } from "../node-roles";
import { NodeGroupLayout, autoscalerTags, nodeGroupLayouts, nodeZones, nvidiaDevicePluginValues, userInstanceTypes, vpcCniConfiguration } from "./eks-layout";
import { CHARTS } from "../versions";
import { createStudentWorkBackups } from "./backup";
import { EKS_STORAGE_CLASSES, eksHubPlatform } from "./eks-platform";
import { validateEksHubArgs } from "./eks-validate";
import { PolicyDocument, clusterAutoscalerPolicy, efsRequireTlsPolicy, irsaTrustPolicy, s3AccessPolicy, serviceTrustPolicy } from "./iam";
import { eksExecKubeconfig } from "./kubeconfig";
import { HubNetwork, createCourseVpc } from "./vpc";

export { EksHubArgs } from "./eks-args";

/** What every step of an EksHub works from: its resource name, its validated arguments, its physical name and tags. */
interface Course {
    name: string;
    args: ValidatedArgs<EksHubArgs>;
    clusterName: string;
    tags: Record<string, string>;
}

/** The cluster's IAM OIDC provider, which IRSA roles trust. */
interface OidcProvider {
    arn: pulumi.Output<string>;
    url: pulumi.Output<string>;
}

/** The control plane, as the later steps need it. */
interface ControlPlane {
    cluster: Cluster;
    oidc: OidcProvider;
    /** The VPC CNI add-on, which every node group waits for. */
    vpcCni: awsEks.Addon;
    region: pulumi.Output<string>;
    kubeconfig: pulumi.Output<string>;
}

/** The storage drivers: what must outlive every Kubernetes object, and the shared file system's ID when there is one. */
interface StorageDrivers {
    ready: pulumi.Resource[];
    efsFileSystemId?: pulumi.Output<string>;
}

/** What the hub's chart waits for: the storage classes and the cluster autoscaler. */
interface AddOns {
    classes: pulumi.Resource[];
    autoscaler: helm.Release;
}

type InstalledHub = ReturnType<typeof installHubOnCluster>;

const MANAGED_POLICY = "arn:aws:iam::aws:policy";
// The VPC CNI's policy is not here: its own role serves aws-node alone (see the vpc-cni add-on).
const NODE_POLICIES = {
    "worker": `${MANAGED_POLICY}/AmazonEKSWorkerNodePolicy`,
    "registry": `${MANAGED_POLICY}/AmazonEC2ContainerRegistryReadOnly`,
};

/**
 * A course hub on its own EKS cluster, created and destroyed by Pulumi alone: network, control
 * plane with IRSA, core / user / GPU node groups, EBS (and, for shared folders, EFS) storage,
 * the cluster autoscaler, and the `JupyterHub` chart. Destroying it removes the hub and every
 * student's volume before the nodes, the cluster and the network.
 */
export class EksHub extends pulumi.ComponentResource {
    /** Address students open. */
    public readonly url: pulumi.Output<string>;
    /**
     * What the hostname's DNS record points at: the shared entry point's Elastic IP (an A record)
     * with the `ingress` option, else the host name of the hub's network load balancer (a CNAME).
     */
    public readonly address: pulumi.Output<string>;
    /** Name of the EKS cluster. */
    public readonly clusterName: pulumi.Output<string>;
    /** The name of the cluster, the hub's release and namespace, and everything else named after the hub. */
    public readonly physicalName: string;
    /** Kubeconfig that authenticates with `aws eks get-token` (a secret, as cluster details are). */
    public readonly kubeconfig: pulumi.Output<string>;
    /** The hub installed on the cluster. */
    public readonly hub: JupyterHub;
    /** The cluster's Kubernetes provider, for more courses on this cluster. */
    public readonly provider: KubernetesProvider;
    /** What the cluster offers, for more courses on it: `new JupyterHub(..., { platform: hub.platform })`. */
    public readonly platform: JupyterHubPlatformArgs;
    /** The shared entry point, when the `ingress` option is given. */
    public readonly ingress?: StaticIpIngress;
    /** The EKS cluster (a pulumi-eks `Cluster`), for what this component does not set. */
    public readonly cluster: Cluster;
    /** The course's network: its VPC and subnets (created, or the ones given). */
    public readonly network: HubNetwork;
    /** The cluster's IAM OIDC provider, for more IRSA roles. */
    public readonly oidcProvider: { arn: pulumi.Output<string>; url: pulumi.Output<string> };
    /** The managed node groups: the core group, then the user (and GPU) groups, one per zone. */
    public readonly nodeGroups: awsEks.NodeGroup[];
    /** Seats on the user nodes: per node, at the groups' maximum, what binds and what a seat costs, for the server and each profile. */
    public readonly capacity: UserGroupCapacity[];

    constructor(name: string, givenArgs: EksHubArgs, opts?: pulumi.ComponentResourceOptions) {
        const args = validatedOnce(`EksHub "${name}"`, givenArgs, validateEksHubArgs);
        super("course-hubs:aws:EksHub", name, {}, opts);
        const course: Course = { name, args, clusterName: physicalNameOf(args), tags: courseTags(args.spec) };
        this.physicalName = course.clusterName;
        this.capacity = userCapacity("eks", args.spec, userInstanceTypes(args), args.userNodes?.maxCount ?? EKS_DEFAULTS.user.maxCount);

        this.network = this.createNetwork(course);
        const controlPlane = this.createControlPlane(course);
        this.cluster = controlPlane.cluster;
        this.oidcProvider = controlPlane.oidc;
        this.kubeconfig = controlPlane.kubeconfig;
        this.nodeGroups = this.createNodes(course, controlPlane);
        const storageDrivers = this.createStorageDrivers(course, controlPlane, this.nodeGroups[0]);

        // Everything on the cluster is created through this provider, and so deleted before it; it
        // depends on the nodes, the storage drivers and the routes out of the subnets, so they outlive
        // every Kubernetes object (the drivers delete the hub's disks through the cloud's API).
        this.provider = new KubernetesProvider(`${name}-k8s`, { kubeconfig: this.kubeconfig, enableServerSideApply: true },
            { parent: this, dependsOn: [...this.nodeGroups, ...storageDrivers.ready, ...this.network.routing] });
        const addOns = this.installAddOns(course, controlPlane, storageDrivers);

        this.platform = eksHubPlatform(args, this.network.publicSubnetIds[0], course.tags);
        const installed = this.installHub(course, controlPlane, addOns);
        this.ingress = installed.ingress;
        this.hub = installed.hub;
        this.address = installed.address;
        this.url = this.hub.url;
        this.clusterName = this.cluster.core.apply(() => course.clusterName);
        this.registerOutputs({
            url: this.url,
            address: this.address,
            clusterName: this.clusterName,
            kubeconfig: this.kubeconfig,
        });
    }

    /** The course's VPC, or the one given, with its subnets tagged for load balancers. */
    private createNetwork({ name, args, tags }: Course): HubNetwork {
        const network = args.network ?? {};
        if ("vpcId" in network) {
            return {
                vpcId: pulumi.output(network.vpcId),
                publicSubnetIds: network.publicSubnets.map((s) => pulumi.output(s.id)),
                privateSubnetIds: (network.privateSubnets ?? []).map((s) => pulumi.output(s.id)),
                routing: [],
            };
        }
        return createCourseVpc(name, {
            cidrBlock: network.cidrBlock ?? EKS_DEFAULTS.cidrBlock,
            zoneCount: network.zoneCount ?? EKS_DEFAULTS.zoneCount,
            natGateway: args.privateNodes ?? false,
            tags,
            // Where Kubernetes puts internet-facing and internal load balancers.
            publicSubnetTags: { "kubernetes.io/role/elb": "1" },
            privateSubnetTags: { "kubernetes.io/role/internal-elb": "1" },
        }, this);
    }

    /**
     * The control plane: its log group, the cluster with IRSA, the VPC CNI add-on with a role of its
     * own, and a kubeconfig for it.
     */
    private createControlPlane(course: Course): ControlPlane {
        const { name, args, clusterName, tags } = course;
        const parented = { parent: this };
        // EKS would create this log group itself and keep it forever; owning it lets destroy remove it.
        const controlPlaneLogs = new cloudwatch.LogGroup(`${name}-control-plane-logs`, {
            name: `/aws/eks/${clusterName}/cluster`,
            retentionInDays: 30,
            tags,
        }, parented);

        const cluster = new Cluster(`${name}-cluster`, {
            name: clusterName,
            version: args.kubernetesVersion ?? EKS_DEFAULTS.kubernetesVersion,
            // A course that outlives its version's standard support gets its control plane upgraded
            // to the next minor instead of being billed six times the rate ($0.60 an hour for extended
            // support instead of $0.10), which a cluster made through the API would get by default.
            // The node groups stay on their minor, one behind, which Kubernetes' skew policy allows.
            upgradePolicy: { supportType: "STANDARD" },
            authenticationMode: "API",
            accessEntries: Object.fromEntries((args.adminRoleArns ?? []).map((principalArn, i) => [`admin-${i + 1}`, {
                principalArn,
                accessPolicies: {
                    admin: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", accessScope: { type: "cluster" } },
                },
            }])),
            createOidcProvider: true,
            skipDefaultNodeGroup: true,
            // Managed nodes whose launch template names no security group get the one EKS creates for
            // the cluster; without pulumi-eks's own groups, clusterSecurityGroupId is that group.
            skipDefaultSecurityGroups: true,
            createInstanceRole: false,
            vpcId: this.network.vpcId,
            publicSubnetIds: this.network.publicSubnetIds,
            privateSubnetIds: this.network.privateSubnetIds.length > 0 ? this.network.privateSubnetIds : undefined,
            endpointPublicAccess: true,
            endpointPrivateAccess: true,
            publicAccessCidrs: args.apiAccessCidrs,
            enabledClusterLogTypes: ["api", "audit", "authenticator"],
            // The vpc-cni add-on is ours (below): its IRSA role trusts this cluster's OIDC provider, so
            // it cannot be an input of this cluster, as pulumi-eks's own add-on would need.
            useDefaultVpcCni: true,
            tags,
        }, { ...parented, dependsOn: [controlPlaneLogs] });
        const oidc = { arn: cluster.oidcProviderArn, url: cluster.oidcProviderUrl };

        // Only aws-node may manage network interfaces, not every pod that reaches a node's credentials.
        // The add-on exists before any node group: nodes join with prefix delegation set (maxPods 110 on
        // Nitro types instead of 17 on t4g.medium) and with NetworkPolicy enforced, so z2jh's policies
        // (metadata server blocked) take effect.
        const cniRole = this.irsaRole(course, oidc, "vpc-cni", "kube-system", "aws-node", { managed: `${MANAGED_POLICY}/AmazonEKS_CNI_Policy` });
        const vpcCni = new awsEks.Addon(`${name}-vpc-cni`, {
            clusterName,
            addonName: "vpc-cni",
            serviceAccountRoleArn: cniRole.arn,
            configurationValues: JSON.stringify(vpcCniConfiguration()),
            resolveConflictsOnCreate: "OVERWRITE",
            tags,
        }, { ...parented, dependsOn: [cluster] });

        const region = getRegionOutput({}, parented).region;
        const described = awsEks.getClusterOutput({ name: clusterName }, { ...parented, dependsOn: [cluster] });
        const kubeconfig = pulumi.secret(pulumi.all([described.endpoint, described.certificateAuthorities, region])
            .apply(([endpoint, authorities, regionName]) =>
                eksExecKubeconfig({ clusterName, endpoint, certificateAuthorityData: authorities[0].data, region: regionName })));
        return { cluster, oidc, vpcCni, region, kubeconfig };
    }

    /**
     * The managed node groups, after the VPC CNI add-on: the core group in the load balancer's
     * zone; user and GPU groups one per zone, each in its zone's subnets, so that a server starts
     * where its home volume is.
     */
    private createNodes(course: Course, controlPlane: ControlPlane): awsEks.NodeGroup[] {
        const { name, args, tags } = course;
        const parented = { parent: this };
        const nodeRole = new iam.Role(`${name}-node-role`, { assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com")), tags }, parented);
        const nodeRolePolicies = Object.entries(NODE_POLICIES).map(([role, policyArn]) =>
            new iam.RolePolicyAttachment(`${name}-node-${role}`, { role: nodeRole.name, policyArn }, parented));

        const nodeSubnetIds = this.nodeSubnetIds(args);
        const zones = nodeZones(args.network, args.privateNodes ?? false);
        const templates = new Map<string, ec2.LaunchTemplate>();
        return nodeGroupLayouts(args, zones.length).map((layout) => {
            const template = templates.get(layout.role) ?? this.launchTemplate(course, layout);
            templates.set(layout.role, template);
            const subnetIds = layout.role === "core" ? nodeSubnetIds.slice(0, 1) : zones[layout.zone].subnetIndexes.map((i) => nodeSubnetIds[i]);
            return this.nodeGroup(course, layout, nodeRole, subnetIds, template, [controlPlane.cluster, controlPlane.vpcCni, ...nodeRolePolicies]);
        });
    }

    private nodeSubnetIds(args: EksHubArgs): pulumi.Output<string>[] {
        return args.privateNodes ? this.network.privateSubnetIds : this.network.publicSubnetIds;
    }

    /**
     * The storage drivers, on the core nodes: EBS for homes and, for a shared folder, EFS with its
     * encrypted file system. `ready` is what must outlive every Kubernetes object.
     */
    private createStorageDrivers(course: Course, controlPlane: ControlPlane, coreNodes: awsEks.NodeGroup): StorageDrivers {
        const { name, args, clusterName, tags } = course;
        const parented = { parent: this };
        const ebsRole = this.irsaRole(course, controlPlane.oidc, "ebs-csi", "kube-system", "ebs-csi-controller-sa",
            { managed: `${MANAGED_POLICY}/service-role/AmazonEBSCSIDriverPolicy` });
        const ready: pulumi.Resource[] = [new awsEks.Addon(`${name}-ebs-csi`, {
            clusterName,
            addonName: "aws-ebs-csi-driver",
            serviceAccountRoleArn: ebsRole.arn,
            resolveConflictsOnCreate: "OVERWRITE",
            tags,
        }, { ...parented, dependsOn: [coreNodes] })];
        if (!needsSharedVolume(args.spec)) {
            return { ready };
        }
        const fileSystem = this.sharedFileSystem(course, controlPlane.cluster.clusterSecurityGroupId);
        const efsRole = this.irsaRole(course, controlPlane.oidc, "efs-csi", "kube-system", "efs-csi-controller-sa",
            { managed: `${MANAGED_POLICY}/service-role/AmazonEFSCSIDriverPolicy` });
        ready.push(...fileSystem.mountTargets, new awsEks.Addon(`${name}-efs-csi`, {
            clusterName,
            addonName: "aws-efs-csi-driver",
            serviceAccountRoleArn: efsRole.arn,
            resolveConflictsOnCreate: "OVERWRITE",
            tags,
        }, { ...parented, dependsOn: [coreNodes] }));
        return { ready, efsFileSystemId: fileSystem.id };
    }

    /**
     * What the hub needs on the cluster: its storage classes, the cluster autoscaler, the NVIDIA
     * device plugin for GPU nodes, and the backups of students' volumes when work is kept.
     * Returns what the hub's chart must wait for.
     */
    private installAddOns(course: Course, controlPlane: ControlPlane, storageDrivers: StorageDrivers): AddOns {
        const { name, args, clusterName, tags } = course;
        const inCluster = { parent: this, provider: this.provider };
        if (args.keepStudentWork) {
            createStudentWorkBackups(name, args.spec, tags, this);
        }
        const reclaimPolicy = args.keepStudentWork ? "Retain" : "Delete";
        const gp3Parameters = {
            type: "gp3",
            encrypted: "true",
            // The EBS CSI driver tags every volume it creates with these.
            ...Object.fromEntries(Object.entries(tags).map(([key, value], i) => [`tagSpecification_${i + 1}`, `${key}=${value}`])),
        };
        const gp3Class = (resourceName: string, metadata: { name: string; annotations?: Record<string, string> }, xfsWithQuotas = false) =>
            new storage.StorageClass(resourceName, blockStorageClassArgs(metadata, "ebs.csi.aws.com", gp3Parameters, reclaimPolicy, xfsWithQuotas), inCluster);
        const classes: pulumi.Resource[] = [
            gp3Class(`${name}-gp3`, { name: EKS_STORAGE_CLASSES.home, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }),
        ];
        if (sharedHomesOf(args.spec)) {
            classes.push(gp3Class(`${name}-gp3-xfs`, { name: EKS_STORAGE_CLASSES.sharedHomes }, true));
        }
        if (storageDrivers.efsFileSystemId) {
            classes.push(new storage.StorageClass(`${name}-efs`, {
                metadata: { name: EKS_STORAGE_CLASSES.shared },
                provisioner: "efs.csi.aws.com",
                // One access point per volume, owned by the notebook user (uid 1000, gid 100).
                parameters: {
                    provisioningMode: "efs-ap",
                    fileSystemId: storageDrivers.efsFileSystemId,
                    directoryPerms: "775",
                    uid: "1000",
                    gid: "100",
                    basePath: "/course-hubs",
                },
                reclaimPolicy,
                volumeBindingMode: "Immediate",
            }, inCluster));
        }

        const autoscalerOptions = { ...EKS_DEFAULTS.clusterAutoscaler, ...args.clusterAutoscaler };
        const autoscalerRole = this.irsaRole(course, controlPlane.oidc, "cluster-autoscaler", "kube-system", "cluster-autoscaler",
            { inline: clusterAutoscalerPolicy(clusterName) });
        const autoscaler = new helm.Release(`${name}-cluster-autoscaler`, {
            name: "cluster-autoscaler",
            namespace: "kube-system",
            chart: CHARTS.clusterAutoscaler.chart,
            version: autoscalerOptions.chartVersion,
            repositoryOpts: { repo: CHARTS.clusterAutoscaler.repository },
            values: {
                cloudProvider: "aws",
                awsRegion: controlPlane.region,
                autoDiscovery: { clusterName },
                image: { tag: autoscalerOptions.imageTag },
                rbac: { serviceAccount: { name: "cluster-autoscaler", annotations: { "eks.amazonaws.com/role-arn": autoscalerRole.arn } } },
                nodeSelector: { "hub.jupyter.org/node-purpose": "core" },
                // Balancing keeps the per-zone groups of a role alike in size.
                extraArgs: { "balance-similar-node-groups": true, expander: "least-waste", "scale-down-unneeded-time": "10m" },
            },
        }, inCluster);
        if (args.gpuNodes) {
            this.nvidiaDevicePlugin(name, inCluster);
        }
        return { classes, autoscaler };
    }

    /**
     * The hub, on this cluster's platform, with the notebooks' own role when they reach buckets (the
     * course's, so not in the platform other courses share), and the shared entry point when asked.
     */
    private installHub(course: Course, controlPlane: ControlPlane, addOns: AddOns): InstalledHub {
        const { name, args, clusterName } = course;
        const bucketAccess = args.notebookBucketAccess;
        const notebookIdentity = bucketAccess
            ? {
                awsRoleArn: this.irsaRole(course, controlPlane.oidc, "notebooks", clusterName, NOTEBOOK_SERVICE_ACCOUNT, {
                    inline: pulumi.all(bucketAccess.buckets).apply((arns) => s3AccessPolicy(arns, bucketAccess.readOnly ?? true)),
                }).arn,
            }
            : undefined;
        return installHubOnCluster(this, name, {
            spec: args.spec, physicalName: clusterName, provider: this.provider, platform: this.platform, notebookIdentity, chart: args.chart,
            // One subnet, one Elastic IP: the same saving as for the hub's own load balancer.
            ingress: args.ingress
                ? { options: args.ingress, address: { cloud: "aws", subnetIds: this.network.publicSubnetIds.slice(0, 1) }, dependsOn: [addOns.autoscaler] }
                : undefined,
            dependsOn: [...addOns.classes, addOns.autoscaler],
        });
    }

    /** The launch template of a role's groups: IMDSv2 with hop limit 1, encrypted gp3 root disk. */
    private launchTemplate({ name, clusterName, tags }: Course, layout: NodeGroupLayout): ec2.LaunchTemplate {
        return new ec2.LaunchTemplate(`${name}-${layout.role}-nodes`, {
            // Hop limit 1: the node's credentials are out of reach of pods, which do not need them.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [{
                deviceName: "/dev/xvda",
                ebs: { volumeSize: layout.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
            }],
            tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
                resourceType,
                tags: { ...tags, Name: `${clusterName}-${layout.role}` },
            })),
            updateDefaultVersion: true,
            tags,
        }, { parent: this });
    }

    /**
     * The NVIDIA device plugin on the GPU nodes, so that they advertise nvidia.com/gpu (the NVIDIA
     * AMI has the driver, not the plugin). In kube-system: the chart refuses `default`.
     */
    private nvidiaDevicePlugin(name: string, inCluster: pulumi.CustomResourceOptions): helm.Release {
        return new helm.Release(`${name}-nvidia-device-plugin`, {
            name: "nvidia-device-plugin",
            namespace: "kube-system",
            chart: CHARTS.nvidiaDevicePlugin.chart,
            version: CHARTS.nvidiaDevicePlugin.version,
            repositoryOpts: { repo: CHARTS.nvidiaDevicePlugin.repository },
            values: nvidiaDevicePluginValues(),
        }, inCluster);
    }

    /** A managed node group in one zone (the core group: the first subnet), with autoscaler tags. */
    private nodeGroup(
        { name, clusterName, tags }: Course, layout: NodeGroupLayout, nodeRole: iam.Role, subnetIds: pulumi.Output<string>[],
        launchTemplate: ec2.LaunchTemplate, dependsOn: pulumi.Resource[],
    ): awsEks.NodeGroup {
        const parented = { parent: this };
        const group = new awsEks.NodeGroup(`${name}-${layout.role}-nodes${layout.suffix}`, {
            clusterName,
            nodeRoleArn: nodeRole.arn,
            subnetIds,
            instanceTypes: layout.instanceTypes,
            capacityType: layout.capacityType,
            amiType: layout.amiType,
            scalingConfig: { minSize: layout.minSize, maxSize: layout.maxSize, desiredSize: layout.desiredSize },
            labels: layout.labels,
            taints: layout.taints.map((t) => ({ key: t.key, value: t.value, effect: cloudTaintEffect(t.effect) })),
            launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            updateConfig: { maxUnavailable: 1 },
            tags,
        // The autoscaler owns the desired size once the group exists.
        }, { ...parented, dependsOn, ignoreChanges: ["scalingConfig.desiredSize"] });
        if (layout.minSize === 0) {
            // Managed node groups do not pass their tags to the Auto Scaling group, where the
            // autoscaler reads them: tag the group directly.
            const groupName = group.resources.apply((resources) => resources[0].autoscalingGroups[0].name);
            Object.entries(autoscalerTags(clusterName, layout)).forEach(([key, value], i) => {
                new autoscaling.Tag(`${name}-${layout.role}-asg${layout.suffix}-tag-${i + 1}`, {
                    autoscalingGroupName: groupName,
                    tag: { key, value, propagateAtLaunch: false },
                }, parented);
            });
        }
        return group;
    }

    /**
     * An IAM role that one Kubernetes service account may assume (IRSA), by its ARN. The ARN also
     * depends on the role's policy: what uses the role is deleted before its permissions go (a CSI
     * driver still deletes disks while the destroy removes the hub).
     */
    private irsaRole(
        { name, tags }: Course, oidc: OidcProvider, role: string, namespace: string, serviceAccount: string,
        policy: { managed?: string; inline?: pulumi.Input<PolicyDocument> },
    ): { arn: pulumi.Output<string> } {
        const parented = { parent: this };
        const iamRole = new iam.Role(`${name}-${role}-role`, {
            assumeRolePolicy: pulumi.all([oidc.arn, oidc.url]).apply(([arn, url]) => JSON.stringify(irsaTrustPolicy(arn, url, namespace, serviceAccount))),
            tags,
        }, parented);
        const grants: pulumi.Resource[] = [];
        if (policy.managed) {
            grants.push(new iam.RolePolicyAttachment(`${name}-${role}-policy`, { role: iamRole.name, policyArn: policy.managed }, parented));
        }
        if (policy.inline) {
            const document = pulumi.output(policy.inline).apply((p) => JSON.stringify(p));
            grants.push(new iam.RolePolicy(`${name}-${role}-policy`, { role: iamRole.id, policy: document }, parented));
        }
        return { arn: pulumi.all([iamRole.arn, ...grants.map((grant) => grant.urn)]).apply(([arn]) => arn) };
    }

    /**
     * Encrypted EFS for the course's shared folders and submit folders, with a mount target in each node subnet: NFS from
     * the course's nodes only (`nodeSecurityGroupId`, the group EKS gives managed nodes), over TLS
     * only (the EFS CSI driver mounts access points with TLS).
     */
    private sharedFileSystem(
        { name, args, tags }: Course, nodeSecurityGroupId: pulumi.Output<string>,
    ): { id: pulumi.Output<string>; mountTargets: efs.MountTarget[] } {
        const parented = { parent: this };
        const keep = args.keepStudentWork ? { retainOnDelete: true } : {};
        const fileSystem = new efs.FileSystem(`${name}-shared`, {
            encrypted: true,
            throughputMode: "elastic",
            lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }],
            tags: { ...tags, Name: `${name}-shared` },
        }, { ...parented, ...keep });
        new efs.FileSystemPolicy(`${name}-shared-policy`, {
            fileSystemId: fileSystem.id,
            policy: fileSystem.arn.apply((arn) => JSON.stringify(efsRequireTlsPolicy(arn))),
        }, { ...parented, ...keep });
        const securityGroup = new ec2.SecurityGroup(`${name}-efs`, {
            vpcId: this.network.vpcId,
            description: "NFS from the course's nodes to its EFS file system",
            tags,
        }, parented);
        const nfsFromNodes = new SecurityGroupIngressRule(`${name}-efs-from-nodes`, {
            securityGroupId: securityGroup.id, referencedSecurityGroupId: nodeSecurityGroupId, ipProtocol: "tcp", fromPort: 2049, toPort: 2049, tags,
        }, parented);
        const mountTargets = this.nodeSubnetIds(args).map((subnetId, i) => new efs.MountTarget(`${name}-shared-${i + 1}`, {
            fileSystemId: fileSystem.id,
            subnetId,
            securityGroups: [securityGroup.id],
        // Servers unmount their shares while the hub is torn down: NFS stays open until the mount targets go.
        }, { ...parented, dependsOn: [nfsFromNodes] }));
        return { id: fileSystem.id, mountTargets };
    }
}
