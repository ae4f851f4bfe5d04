import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import * as container from "@pulumi/gcp/container";
import { getClientConfigOutput } from "@pulumi/gcp/organizations/getClientConfig";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as gcs from "@pulumi/gcp/storage";
import * as k8sStorage from "@pulumi/kubernetes/storage/v1";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { hasBucketDatasets, needsSharedVolume } from "../hub/defaults";
import { JupyterHub } from "../hub/jupyterhub";
import { JupyterHubPlatformArgs } from "../hub/platform";
import { blockStorageClassArgs, sharedHomesOf } from "../hub/shared-homes";
import { HubSpec } from "../hub/spec";
import { NOTEBOOK_SERVICE_ACCOUNT } from "../hub/z2jh";
import { StaticIpIngress } from "../ingress/static-ip-ingress";
import { installHubOnCluster } from "../k8s/hub-on-cluster";
import { UserGroupCapacity, userCapacity } from "../capacity";
import { cloudTaintEffect } from "../node-roles";
import { courseLabels, physicalNameOf } from "../tags";
import { ValidatedArgs, validatedOnce } from "../validated";
import { createStudentWorkBackupPlan } from "./backup";
import { GKE_DEFAULTS, GcsBucketAccess, GkeHubArgs, RegionalLocation, ZonalLocation, regionOfZone } from "./gke-args";
import { NodePoolLayout, gkeExecKubeconfig, nodePoolLayouts, poolZoneCount, serviceAccountId, userMachineType } from "./gke-layout";
import { GKE_STORAGE_CLASSES, gkeHubPlatform } from "./gke-platform";
import { validateGkeHubArgs } from "./gke-validate";

export { GkeHubArgs } from "./gke-args";

/**
 * The args with a location: the given one, else zonal where the stack's Google Cloud config
 * points (`gcp:zone`, else zone "a" of `gcp:region`). Validate what this returns.
 */
export function withStackLocation<T extends { location?: unknown }>(args: T): T {
    if (args.location !== undefined) {
        return args;
    }
    const config = new pulumi.Config("gcp");
    const zone = config.get("zone") ?? (config.get("region") ? `${config.get("region")}-a` : undefined);
    return zone ? { ...args, location: { zone } satisfies ZonalLocation } : args;
}

/** What every step of a GkeHub works from: its arguments, names, labels and where it runs. */
interface Course {
    name: string;
    args: ValidatedArgs<GkeHubArgs>;
    clusterName: string;
    labels: Record<string, string>;
    project: pulumi.Output<string>;
    /** The cluster's zone, or its region when it is regional. */
    location: string;
    region: string;
    /** A regional cluster's node zones, when given. */
    nodeZones?: string[];
    /** Whether the spec needs a shared (Filestore) volume. */
    shared: boolean;
}

/** The nodes' service account (its project role granted) and the node settings every pool shares. */
interface NodeSecurity {
    accountRole: projects.IAMMember;
    config: Record<string, unknown>;
}

/** Secondary ranges of the course's subnetwork, for pods and services (VPC-native cluster). */
const POD_RANGE = { rangeName: "pods", ipCidrRange: "10.56.0.0/14" };
const SERVICE_RANGE = { rangeName: "services", ipCidrRange: "10.60.0.0/20" };
/** Control plane range for private nodes. */
const MASTER_CIDR = "172.16.0.32/28";

/**
 * A course hub on its own GKE cluster: a VPC-native cluster with Dataplane V2 (network policy
 * enforced), Workload Identity and shielded nodes; a fixed core pool, a user pool and an optional
 * GPU pool scaled from zero; balanced persistent disks and, for shared folders, Filestore; the hub
 * on a load balancer or behind a StaticIpIngress. Destroying it removes the hub and every student's
 * disk before the node pools, the cluster and the network.
 */
export class GkeHub extends pulumi.ComponentResource {
    /** Address students open. */
    public readonly url: pulumi.Output<string>;
    /** Name of the GKE cluster. */
    public readonly clusterName: pulumi.Output<string>;
    /** The name of the cluster, the hub's release and namespace, and everything else named after the hub. */
    public readonly physicalName: string;
    /** Kubeconfig that authenticates with `gke-gcloud-auth-plugin` (a secret, as cluster details are). */
    public readonly kubeconfig: pulumi.Output<string>;
    /** The hub installed on the cluster. */
    public readonly hub: JupyterHub;
    /** The cluster's Kubernetes provider, for more courses on this cluster. */
    public readonly provider: KubernetesProvider;
    /** What the cluster offers, for more courses on it: `new JupyterHub(..., { platform: hub.platform })`. */
    public readonly platform: JupyterHubPlatformArgs;
    /** The shared entry point, when the `ingress` option is given. */
    public readonly ingress?: StaticIpIngress;
    /**
     * What the hostname's A record points at: the shared entry point's reserved IP with the
     * `ingress` option, else the IP of the hub's own load balancer (reserved for it, and labelled).
     */
    public readonly address: pulumi.Output<string>;
    /** The GKE cluster, for what this component does not set. */
    public readonly cluster: container.Cluster;
    /** The course's VPC network and the nodes' subnetwork. */
    public readonly network: { network: compute.Network; subnetwork: compute.Subnetwork };
    /** The node pools: core, user and (when asked for) GPU. */
    public readonly nodePools: container.NodePool[];
    /** Seats on the user pool: per node, at its maximum in every zone, what binds and what a seat costs, for the server and each profile. */
    public readonly capacity: UserGroupCapacity[];

    constructor(name: string, givenArgs: GkeHubArgs, opts?: pulumi.ComponentResourceOptions) {
        const args = validatedOnce(`GkeHub "${name}"`, withStackLocation(givenArgs), validateGkeHubArgs);
        super("course-hubs:gcp:GkeHub", name, {}, opts);
        const where = args.location as ZonalLocation | RegionalLocation;
        const course: Course = {
            name,
            args,
            clusterName: physicalNameOf(args),
            labels: courseLabels(args.spec),
            project: getClientConfigOutput({ parent: this }).project,
            location: "zone" in where ? where.zone : where.region,
            region: "zone" in where ? regionOfZone(where.zone) : where.region,
            nodeZones: "region" in where ? where.nodeZones : undefined,
            shared: needsSharedVolume(args.spec),
        };
        this.physicalName = course.clusterName;
        this.capacity = userCapacity("gke", args.spec, [userMachineType(args)],
            (args.userNodes?.maxCount ?? GKE_DEFAULTS.user.maxCount) * poolZoneCount(args.location));

        const { egress, ...network } = this.createNetwork(course);
        this.network = network;
        const nodeSecurity = this.nodeSecurity(course);
        this.cluster = this.createControlPlane(course, nodeSecurity);
        this.nodePools = nodePoolLayouts(args).map((layout) => this.nodePool(course, layout, nodeSecurity));

        this.kubeconfig = pulumi.secret(pulumi.all([this.cluster.endpoint, this.cluster.masterAuth]).apply(([endpoint, auth]) =>
            gkeExecKubeconfig({ clusterName: course.clusterName, endpoint, certificateAuthorityData: auth.clusterCaCertificate ?? "" })));
        // Every Kubernetes object goes through this provider and is deleted before it; it depends
        // on the node pools and the private nodes' NAT, so they outlive every hub, volume and load
        // balancer (a teardown pod that must pull its image still can).
        this.provider = new KubernetesProvider(`${name}-k8s`, { kubeconfig: this.kubeconfig, enableServerSideApply: true },
            { parent: this, dependsOn: [...this.nodePools, ...egress] });
        const storageClasses = this.createStorageClasses(course);

        this.platform = gkeHubPlatform(args);
        const installed = this.installHub(course, storageClasses);
        this.ingress = installed.ingress;
        this.hub = installed.hub;
        this.address = installed.address;
        this.url = this.hub.url;
        this.clusterName = this.cluster.name;
        this.registerOutputs({ url: this.url, address: this.address, clusterName: this.clusterName, kubeconfig: this.kubeconfig });
    }

    /** The course's VPC network and the nodes' subnetwork, with a NAT for private nodes. */
    private createNetwork({ name, args, clusterName, region, shared }: Course): GkeHub["network"] & { egress: pulumi.Resource[] } {
        const parented = { parent: this };
        // A kept Filestore share stays peered with the network, and GCP refuses to delete a network
        // in use: destroy would fail at its last step. The network alone costs nothing; it stays with the share.
        const keepsShareOnNetwork = Boolean(args.keepStudentWork) && shared;
        const network = new compute.Network(`${name}-network`, { autoCreateSubnetworks: false, description: `course ${clusterName}` },
            { ...parented, retainOnDelete: keepsShareOnNetwork });
        const subnetwork = new compute.Subnetwork(`${name}-nodes`, {
            network: network.id,
            region,
            ipCidrRange: args.nodeCidr ?? GKE_DEFAULTS.nodeCidr,
            secondaryIpRanges: [POD_RANGE, SERVICE_RANGE],
            privateIpGoogleAccess: true,
        }, parented);
        const egress: pulumi.Resource[] = [];
        if (args.privateNodes) {
            const router = new compute.Router(`${name}-router`, { network: network.id, region }, parented);
            egress.push(new compute.RouterNat(`${name}-nat`, {
                router: router.name,
                region,
                natIpAllocateOption: "AUTO_ONLY",
                sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
            }, parented));
        }
        return { network, subnetwork, egress };
    }

    /** What every node runs as: a service account with only the permissions GKE nodes need, shielded, metadata concealed. */
    private nodeSecurity({ name, clusterName, project, labels }: Course): NodeSecurity {
        const parented = { parent: this };
        const nodeAccount = new serviceaccount.Account(`${name}-nodes`, {
            accountId: serviceAccountId(clusterName, "nodes"),
            displayName: `GKE nodes of ${clusterName}`,
        }, parented);
        const accountRole = new projects.IAMMember(`${name}-nodes`, {
            project,
            role: "roles/container.defaultNodeServiceAccount",
            member: pulumi.interpolate`serviceAccount:${nodeAccount.email}`,
        }, parented);
        return {
            accountRole,
            config: {
                serviceAccount: nodeAccount.email,
                oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
                shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
                workloadMetadataConfig: { mode: "GKE_METADATA" },
                metadata: { "disable-legacy-endpoints": "true" },
                resourceLabels: labels,
            },
        };
    }

    /**
     * The cluster: VPC-native, Dataplane V2, Workload Identity, its API open to `apiAccessCidrs`
     * only, the storage drivers the course needs, and no default node pool.
     */
    private createControlPlane(course: Course, nodeSecurity: NodeSecurity): container.Cluster {
        const { name, args, clusterName, labels, project, location, shared } = course;
        return new container.Cluster(`${name}-cluster`, {
            name: clusterName,
            location,
            nodeLocations: course.nodeZones,
            // The default pool cannot be configured as the course needs: GKE creates it, we remove it.
            removeDefaultNodePool: true,
            initialNodeCount: 1,
            nodeConfig: { diskSizeGb: 20, diskType: "pd-balanced", ...nodeSecurity.config },
            network: this.network.network.id,
            subnetwork: this.network.subnetwork.id,
            networkingMode: "VPC_NATIVE",
            ipAllocationPolicy: { clusterSecondaryRangeName: POD_RANGE.rangeName, servicesSecondaryRangeName: SERVICE_RANGE.rangeName },
            // Dataplane V2 enforces NetworkPolicy, so z2jh's policies (metadata server blocked) take effect.
            datapathProvider: "ADVANCED_DATAPATH",
            releaseChannel: { channel: args.releaseChannel ?? GKE_DEFAULTS.releaseChannel },
            workloadIdentityConfig: { workloadPool: pulumi.interpolate`${project}.svc.id.goog` },
            masterAuthorizedNetworksConfig: {
                cidrBlocks: args.apiAccessCidrs.map((cidrBlock, i) => ({ cidrBlock, displayName: `api-access-${i + 1}` })),
                // Otherwise every Compute Engine VM's public address, any tenant's, may reach the API too.
                gcpPublicCidrsAccessEnabled: false,
            },
            privateClusterConfig: args.privateNodes ? { enablePrivateNodes: true, enablePrivateEndpoint: false, masterIpv4CidrBlock: MASTER_CIDR } : undefined,
            enableShieldedNodes: true,
            clusterAutoscaling: { autoscalingProfile: "OPTIMIZE_UTILIZATION" },
            addonsConfig: {
                gcePersistentDiskCsiDriverConfig: { enabled: true },
                gcpFilestoreCsiDriverConfig: { enabled: shared },
                gkeBackupAgentConfig: { enabled: Boolean(args.keepStudentWork) },
                // Mounts the spec's bucket datasets; free, and off otherwise (its webhook and node plugin run on every node).
                gcsFuseCsiDriverConfig: { enabled: hasBucketDatasets(args.spec) },
            },
            resourceLabels: labels,
            // GKE cost allocation: the billing export then attributes the nodes' cost to namespaces (one
            // per course) and Kubernetes labels, which labels on the cluster alone cannot; it costs nothing.
            costManagementConfig: { enabled: true },
            // Destroy means gone: GKE's own deletion protection would stop `pulumi destroy`.
            deletionProtection: false,
        }, { parent: this, dependsOn: [nodeSecurity.accountRole] });
    }

    /** Balanced persistent disks for homes (the default class) and, for a shared folder, Filestore; labelled for billing. */
    private createStorageClasses({ name, args, labels, shared }: Course): pulumi.Resource[] {
        const inCluster = { parent: this, provider: this.provider };
        const labelParameter = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(",");
        const reclaimPolicy = args.keepStudentWork ? "Retain" : "Delete";
        const balancedParameters = { type: "pd-balanced", labels: labelParameter };
        const balancedClass = (resourceName: string, metadata: { name: string; annotations?: Record<string, string> }, xfsWithQuotas = false) =>
            new k8sStorage.StorageClass(
                resourceName, blockStorageClassArgs(metadata, "pd.csi.storage.gke.io", balancedParameters, reclaimPolicy, xfsWithQuotas), inCluster,
            );
        const classes: pulumi.Resource[] = [
            balancedClass(`${name}-balanced`, { name: GKE_STORAGE_CLASSES.home, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }),
        ];
        if (sharedHomesOf(args.spec)) {
            classes.push(balancedClass(`${name}-balanced-xfs`, { name: GKE_STORAGE_CLASSES.sharedHomes }, true));
        }
        if (shared) {
            classes.push(new k8sStorage.StorageClass(`${name}-filestore`, {
                metadata: { name: GKE_STORAGE_CLASSES.shared },
                provisioner: "filestore.csi.storage.gke.io",
                // "standard" is basic HDD: shares from 100 GiB (about $20 a month).
                parameters: { tier: "standard", network: this.network.network.name, labels: labelParameter },
                reclaimPolicy,
                volumeBindingMode: "Immediate",
                allowVolumeExpansion: true,
            }, inCluster));
        }
        return classes;
    }

    /**
     * The hub, on this cluster's platform, with the notebooks' own service account when they reach
     * buckets and the reserved address of its own load balancer (the course's, so not in the
     * platform other courses share), the shared entry point when asked, and the backup plan of
     * students' volumes when work is kept.
     */
    private installHub(course: Course, storageClasses: pulumi.Resource[]): ReturnType<typeof installHubOnCluster> {
        const { name, args, clusterName, labels, project, region } = course;
        const notebookIdentity = args.notebookBucketAccess
            ? { gcpServiceAccountEmail: this.notebookIdentity(name, args.spec, clusterName, project, args.notebookBucketAccess) }
            : undefined;
        const ownAddress = args.ingress ? undefined : this.loadBalancerAddress(course);
        const installed = installHubOnCluster(this, name, {
            spec: args.spec, physicalName: clusterName, provider: this.provider, notebookIdentity, chart: args.chart,
            platform: gkeHubPlatform(args, ownAddress?.address),
            ingress: args.ingress ? { options: args.ingress, address: { cloud: "gcp", region }, dependsOn: [] } : undefined,
            dependsOn: storageClasses,
        });
        if (args.keepStudentWork) {
            createStudentWorkBackupPlan(name, {
                planName: `${clusterName}-student-work`,
                clusterId: this.cluster.id,
                region,
                namespace: installed.hub.namespace,
                labels,
            }, this);
        }
        return installed;
    }

    /**
     * The address of the hub's own load balancer, reserved so that it carries the course's labels:
     * GKE puts none on the forwarding rule it creates for a LoadBalancer Service, and no Service
     * annotation asks it to. The hub's release takes it as an input, so it exists before the Service asks for it
     * and is released only after the release is uninstalled (and the load balancer with it); GKE
     * treats an address a Service names as the user's and never releases it itself.
     */
    private loadBalancerAddress({ name, clusterName, labels, region }: Course): compute.Address {
        return new compute.Address(`${name}-proxy-address`, {
            region,
            addressType: "EXTERNAL",
            // GKE's load balancers are premium tier unless a Service asks otherwise, and take only an address of their tier.
            networkTier: "PREMIUM",
            description: `load balancer of the hub ${clusterName}`,
            labels,
        }, { parent: this });
    }

    /**
     * A node pool. Each pool names its zones itself (GKE would inherit the cluster's): the policy
     * pack, which sees a pool without its cluster, counts a regional pool without them in three zones.
     */
    private nodePool({ name, nodeZones }: Course, layout: NodePoolLayout, nodeSecurity: NodeSecurity): container.NodePool {
        return new container.NodePool(`${name}-${layout.role}-pool`, {
            cluster: this.cluster.name,
            location: this.cluster.location,
            nodeLocations: nodeZones,
            ...("fixed" in layout.size
                ? { nodeCount: layout.size.fixed }
                : { initialNodeCount: 0, autoscaling: { minNodeCount: layout.size.min, maxNodeCount: layout.size.max } }),
            management: { autoRepair: true, autoUpgrade: true },
            nodeConfig: {
                ...nodeSecurity.config,
                machineType: layout.machineType,
                diskSizeGb: layout.diskSizeGiB,
                diskType: "pd-balanced",
                spot: layout.spot,
                labels: layout.labels,
                taints: layout.taints.map((t) => ({ key: t.key, value: t.value, effect: cloudTaintEffect(t.effect) })),
                guestAccelerators: layout.accelerator
                    ? [{ type: layout.accelerator.type, count: layout.accelerator.count, gpuDriverInstallationConfig: { gpuDriverVersion: "DEFAULT" } }]
                    : undefined,
            },
        }, { parent: this, dependsOn: [this.cluster] });
    }

    /**
     * A Google service account for the notebooks, allowed on the course's buckets and bound to the
     * notebooks' Kubernetes service account through Workload Identity.
     */
    private notebookIdentity(
        name: string, spec: HubSpec, hubName: string, project: pulumi.Output<string>, access: GcsBucketAccess,
    ): pulumi.Output<string> {
        const parented = { parent: this };
        const account = new serviceaccount.Account(`${name}-notebooks`, {
            accountId: serviceAccountId(hubName, "nb"),
            displayName: `Notebooks of ${spec.course}${spec.term === undefined ? "" : ` ${spec.term}`}`,
        }, parented);
        // Named by position, since a bucket made in the same program has no name before deployment.
        for (const [i, bucket] of access.buckets.entries()) {
            new gcs.BucketIAMMember(`${name}-notebooks-bucket-${i + 1}`, {
                bucket,
                role: access.readOnly ?? true ? "roles/storage.objectViewer" : "roles/storage.objectUser",
                member: pulumi.interpolate`serviceAccount:${account.email}`,
            }, parented);
        }
        new serviceaccount.IAMMember(`${name}-notebooks-workload-identity`, {
            serviceAccountId: account.name,
            role: "roles/iam.workloadIdentityUser",
            member: pulumi.interpolate`serviceAccount:${project}.svc.id.goog[${hubName}/${NOTEBOOK_SERVICE_ACCOUNT}]`,
        }, parented);
        return account.email;
    }
}
