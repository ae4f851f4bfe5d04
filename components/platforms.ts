import { EC2AutoscaleHubArgs } from "./aws/ec2-args";
import { EksHubArgs } from "./aws/eks-args";
import { GKE_DEFAULTS, GkeHubArgs } from "./gcp/gke-args";
import { parseStorageSize } from "./hub/defaults";
import { JupyterHubPlatformArgs } from "./hub/platform";
import { HttpsSpec, HubSpec, MountedFolder, NotebookIdentitySpec, StorageSize } from "./hub/spec";
import { datasetEntries } from "./hub/shared-folders";
import { hubSpecRuleProblems } from "./hub/validate";
import { parseCidr } from "./cidr";
import { SchemaFile, isValidAt, mergeProblems, schemaProblems } from "./schema";
import { Validated, validated } from "./validated";
import { Problem, ProblemCollector, throwIfProblems } from "./validation";

/*
 * What each platform can serve of a HubSpec, as data: one declaration per platform (EksHub, GkeHub,
 * EC2AutoscaleHub, and a cluster described by its JupyterHubPlatformArgs), each refusal with the
 * platform's own message (what to do instead there), and one pure check of a spec against it. The
 * renderers then render whatever a spec that passed holds, and never decide what a platform offers.
 * test/platforms.test.ts proves every spec option is rendered or refused on every platform.
 */

/** A spec option the platform serves (`true`), or refuses: why, and what to do instead there. */
export type Offer = true | { refused: string };

/** The two kinds of notebook identity, by the key that gives each. */
export type NotebookIdentityKind = "awsRoleArn" | "gcpServiceAccountEmail";

/** What a platform offers, option by option of the spec. */
export interface PlatformCapabilities {
    /** Each way of serving HTTPS, by `https.mode`. */
    https: Record<HttpsSpec["mode"], Offer>;
    /**
     * `storage.sharedCourseFolder: true`, `storage.sharedFolders` and `storage.submitFolder`: folders
     * on one volume every server mounts (ReadWriteMany storage).
     */
    sharedFolders: Offer;
    /** `alsoMountedAt` of a shared folder, the submit folder or a dataset: one folder mounted at several paths. */
    alsoMountedAt: Offer;
    /** `storage.datasets`: NFS exports mounted read-only in every server. */
    datasets: Offer;
    /** `storage.bucketDatasets`: buckets mounted read-only in every server, by a CSI driver of the cluster. */
    bucketDatasets: Offer;
    /** `storage.sharedSize`: a size for the shared volume. */
    sharedSize: Offer;
    /** The smallest shared volume the storage provisions, and why a smaller `storage.sharedSize` is refused. */
    minimumSharedSize?: { size: StorageSize; refused: string };
    /** `storage.home.size`: a volume of its own size for each user. */
    homeSize: Offer;
    /** `storage.home.storageClass`. */
    homeStorageClass: Offer;
    /** `storage.home.sharedFileSystem`: homes as folders with a quota on one XFS file system, served by NFS. */
    sharedHomes: Offer;
    /** `server.profiles[].gpus` above 0; a refusal completes "profile "gpu" asks for GPUs, but ...". */
    gpus: Offer;
    /** `server.profiles[].resources`: a size for each profile. */
    profileResources: Offer;
    /**
     * `server.profiles[].menus`, `environment`, `defaultUrl` and `groups`: a profile that does more
     * than choose an image (KubeSpawner's profile options and overrides).
     */
    profileOptions: Offer;
    /** `server.sidecars`: containers beside each server. */
    sidecars: Offer;
    /** `notebookIdentity`, by kind. */
    notebookIdentity: Record<NotebookIdentityKind, Offer>;
    /** `prewarm`: ready seats, standing (`seats`) or scheduled, in the schedule's time zone. */
    prewarm: Offer;
    /**
     * `server.nodeSelector` and `server.tolerations`, and a profile's: servers placed on nodes the
     * course names, beside course-hubs's own placement. Only nodes of a cluster the course brings
     * carry other labels than course-hubs's.
     */
    nodeSelection: Offer;
    /** `server.sharedMemory`: `/dev/shm` in memory, of a size. */
    sharedMemory: Offer;
    /** `server.extraFiles`: files placed in every server. */
    extraFiles: Offer;
    /** `server.initContainers`: containers run before each server starts. */
    initContainers: Offer;
    /** `server.imagePullSecret`: a registry credential the servers' pods pull with. */
    imagePullSecret: Offer;
    /** `server.prePull`: when the server images are pulled onto user nodes (z2jh's image pullers). */
    prePull: Offer;
    /** `prewarm.seatSize`: ready seats of another size than the server's. */
    seatSize: Offer;
    /** `logo`: the course's logo in the hub's pages. */
    logo: Offer;
    /** `allowedSourceRanges`, by `https.mode`: whether the hub's entry point in that mode drops other addresses. */
    sourceRanges: Record<HttpsSpec["mode"], Offer>;
    /** An IPv6 block in `allowedSourceRanges`: only a hub with an IPv6 address is ever reached from one. */
    ipv6SourceRanges: Offer;
}

const offeredIf = (condition: boolean, refused: string): Offer => (condition ? true : { refused });
const refusedFor = <K extends string>(keys: readonly K[], refused: string): Record<K, Offer> =>
    Object.fromEntries(keys.map((key) => [key, { refused }])) as Record<K, Offer>;
const IDENTITY_KINDS: readonly NotebookIdentityKind[] = ["awsRoleArn", "gcpServiceAccountEmail"];

/**
 * Why a hub's own load balancer cannot both take Let's Encrypt's HTTP-01 challenge and keep to
 * source ranges: a Service's loadBalancerSourceRanges cover every port of the Service (on EKS the
 * cloud provider opens the nodes' security group to them for each port mapping:
 * kubernetes/cloud-provider-aws pkg/providers/v1/aws.go, EnsureLoadBalancer's NLB branch; on GKE they
 * are the sources of the load balancer's firewall rule), and z2jh's autohttps answers the challenge on
 * port 80 (jupyterhub chart 4.4.0 templates/proxy/autohttps/_configmap-traefik.yaml: httpChallenge,
 * entryPoint http), which Let's Encrypt reaches from addresses it does not publish.
 */
const LETS_ENCRYPT_SOURCE_RANGES = "the hub's load balancer would admit only these ranges on port 80 too, where Let's Encrypt validates the hostname "
    + "(HTTP-01, from addresses it does not publish), so no certificate would ever be issued: use https.mode \"secret\" (a TLS Secret) or \"offload\", "
    + "\"ingress\" through a StaticIpIngress, or a certificate obtained by DNS-01 outside the hub";

/** Why a hub reached over IPv4 only refuses IPv6 blocks. */
const IPV4_ONLY = "the hub's address is IPv4 only, so no connection ever comes from an IPv6 block: "
    + "list IPv4 blocks (campus users on IPv6 reach the hub over IPv4)";

/** On Kubernetes, a certificate of one's own is a TLS Secret. */
const CERTIFICATE_AS_SECRET = "on Kubernetes a certificate of your own goes in a TLS Secret in the hub's namespace "
    + "(kubectl create secret tls <name> --cert=chain.pem --key=hub.key): use mode \"secret\" with that secretName";

/**
 * What a cluster described by its {@link JupyterHubPlatformArgs} offers. `argument` names that
 * description in messages: `platform` for JupyterHub, the config key in a course stack.
 */
export function clusterCapabilities(platform: JupyterHubPlatformArgs, argument = "platform"): PlatformCapabilities {
    const minimum = platform.minimumSharedSize;
    return {
        https: {
            letsencrypt: true,
            secret: true,
            offload: offeredIf(Object.keys(platform.proxyService?.annotations ?? {}).length > 0,
                `"offload" needs a load balancer that terminates TLS: give its annotations (${argument}.proxyService.annotations), or use letsencrypt`),
            ingress: offeredIf(platform.ingress !== undefined,
                `"ingress" needs an ingress controller: pass a StaticIpIngress as ingress (or ${argument}.ingress)`),
            certificate: { refused: CERTIFICATE_AS_SECRET },
        },
        sharedFolders: offeredIf(Boolean(platform.sharedStorageClass),
            `shared folders and submit folders need ReadWriteMany storage: give ${argument}.sharedStorageClass (EFS, Filestore or NFS)`),
        alsoMountedAt: true,
        datasets: true,
        bucketDatasets: offeredIf(platform.bucketDriver !== undefined,
            `the cluster has no driver that mounts buckets: on GKE turn on the Cloud Storage FUSE CSI driver add-on and say so with ${argument}.bucketDriver: `
            + "\"gcsFuse\"; else copy the data to an NFS export and give it as nfs"),
        sharedSize: true,
        ...(minimum
            ? { minimumSharedSize: { size: minimum, refused: `the cluster's shared storage provisions ${minimum} at least (${argument}.minimumSharedSize)` } }
            : {}),
        homeSize: true,
        homeStorageClass: true,
        sharedHomes: !platform.sharedHomesStorageClass
            ? {
                refused: "homes on a shared file system need a block storage class that formats XFS and mounts with project quotas "
                    + `(pquota): give it as ${argument}.sharedHomesStorageClass`,
            }
            : offeredIf(Boolean(platform.enforcesNetworkPolicy),
                "on a cluster that does not enforce NetworkPolicy, students' servers could reach the homes' NFS server and read every home: "
                + `use a cluster that enforces it (Calico, Cilium, GKE Dataplane V2) and say so with ${argument}.enforcesNetworkPolicy: true`),
        gpus: offeredIf(platform.gpu !== undefined, `the cluster has no GPU nodes: describe them in ${argument}.gpu`),
        profileResources: true,
        profileOptions: true,
        sidecars: true,
        notebookIdentity: platform.notebookIdentity
            ? refusedFor(IDENTITY_KINDS, `the platform gives the notebooks their identity (${argument}.notebookIdentity): leave spec.notebookIdentity out`)
            : { awsRoleArn: true, gcpServiceAccountEmail: true },
        prewarm: true,
        nodeSelection: true,
        ...SERVED_ON_EVERY_CLUSTER,
        sourceRanges: {
            ...KUBERNETES_SOURCE_RANGES,
            ingress: offeredIf(platform.ingress?.controller === "traefik",
                "only a Traefik controller's per-Ingress allow list is rendered (the shared load balancer serves every hub on the cluster): "
                + `if yours is Traefik (a StaticIpIngress is), say so with ${argument}.ingress.controller: "traefik"; `
                + "else give the hub a load balancer of its own (https.mode \"secret\" or \"offload\")"),
        },
        ipv6SourceRanges: true,
    };
}

/**
 * Source ranges on Kubernetes: on the hub's own load balancer, or through a StaticIpIngress, a
 * Traefik allow list on the hub's Ingress (the shared load balancer serves every hub on the cluster).
 * `certificate` mode is refused there on its own.
 */
const KUBERNETES_SOURCE_RANGES: Record<HttpsSpec["mode"], Offer> = {
    letsencrypt: { refused: LETS_ENCRYPT_SOURCE_RANGES }, secret: true, offload: true, ingress: true, certificate: true,
};

/** What the chart serves on any cluster, whoever made it: options of the pods, the hub's pages and the proxy. */
const SERVED_ON_EVERY_CLUSTER = {
    sharedMemory: true,
    extraFiles: true,
    initContainers: true,
    imagePullSecret: true,
    prePull: true,
    seatSize: true,
    logo: true,
    sourceRanges: KUBERNETES_SOURCE_RANGES,
} as const satisfies Partial<PlatformCapabilities>;

/** What `EksHub` offers, given its arguments. */
export function eksCapabilities(args: Pick<EksHubArgs, "gpuNodes" | "ingress" | "notebookBucketAccess">): PlatformCapabilities {
    return {
        https: {
            letsencrypt: true,
            secret: true,
            // The certificate the load balancer presents is EksHub's own argument (certificateArn), checked with the others.
            offload: true,
            ingress: offeredIf(args.ingress !== undefined, "\"ingress\" needs the ingress option (a StaticIpIngress on this cluster)"),
            certificate: { refused: CERTIFICATE_AS_SECRET },
        },
        sharedFolders: true,
        alsoMountedAt: true,
        datasets: true,
        bucketDatasets: {
            refused: "EksHub mounts no buckets (it has no Mountpoint for Amazon S3 driver): copy the data to an EFS file system "
                + "and give it as nfs, or read the bucket from notebooks through notebookBucketAccess",
        },
        sharedSize: { refused: "the shared folder on EKS is on EFS, which takes no size: it grows with what is stored (billed per GB-month). Leave it out" },
        homeSize: true,
        homeStorageClass: true,
        sharedHomes: true,
        gpus: offeredIf(args.gpuNodes !== undefined, "EksHub has no GPU nodes: add gpuNodes"),
        profileResources: true,
        profileOptions: true,
        sidecars: true,
        notebookIdentity: args.notebookBucketAccess
            ? refusedFor(IDENTITY_KINDS, "EksHub makes the notebooks' identity from notebookBucketAccess: leave spec.notebookIdentity out")
            : {
                awsRoleArn: true,
                gcpServiceAccountEmail: {
                    refused: "a Google service account means nothing on EKS: give awsRoleArn (an IAM role for IRSA), or let notebookBucketAccess make one",
                },
            },
        prewarm: true,
        nodeSelection: {
            refused: "EksHub's user nodes carry only course-hubs's labels and taints (its userNodes and gpuNodes groups), so servers placed "
                + "on other labels would wait forever: run the course on a cluster of your own (JupyterHub) to place servers on other nodes, "
                + "or give userNodes bigger instanceTypes",
        },
        ...SERVED_ON_EVERY_CLUSTER,
        ipv6SourceRanges: { refused: IPV4_ONLY },
    };
}

/** What `GkeHub` offers, given its arguments. */
export function gkeCapabilities(args: Pick<GkeHubArgs, "gpuNodes" | "ingress" | "notebookBucketAccess">): PlatformCapabilities {
    return {
        https: {
            letsencrypt: true,
            secret: true,
            offload: { refused: "\"offload\" is not offered by GkeHub: use letsencrypt, or ingress with the ingress option" },
            ingress: offeredIf(args.ingress !== undefined, "\"ingress\" needs the ingress option (a StaticIpIngress on this cluster)"),
            certificate: { refused: CERTIFICATE_AS_SECRET },
        },
        sharedFolders: true,
        alsoMountedAt: true,
        datasets: true,
        // With the Cloud Storage FUSE CSI driver's add-on, which GkeHub turns on for such a spec.
        bucketDatasets: true,
        sharedSize: true,
        minimumSharedSize: {
            size: GKE_DEFAULTS.minimumSharedSize,
            refused: `Filestore shares start at ${GKE_DEFAULTS.minimumSharedSize} (basic HDD, about $20 a month)`,
        },
        homeSize: true,
        homeStorageClass: true,
        sharedHomes: true,
        gpus: offeredIf(args.gpuNodes !== undefined, "GkeHub has no GPU pool: add gpuNodes"),
        profileResources: true,
        profileOptions: true,
        sidecars: true,
        notebookIdentity: args.notebookBucketAccess
            ? refusedFor(IDENTITY_KINDS, "GkeHub makes the notebooks' identity from notebookBucketAccess: leave spec.notebookIdentity out")
            : {
                awsRoleArn: {
                    refused: "an IAM role means nothing on GKE: give gcpServiceAccountEmail (a Google service account for Workload Identity), "
                        + "or let notebookBucketAccess make one",
                },
                gcpServiceAccountEmail: true,
            },
        prewarm: true,
        nodeSelection: {
            refused: "GkeHub's user nodes carry only course-hubs's labels and taints (its userNodes and gpuNodes pools), so servers placed "
                + "on other labels would wait forever: run the course on a cluster of your own (JupyterHub) to place servers on other nodes, "
                + "or give userNodes a bigger machineType",
        },
        ...SERVED_ON_EVERY_CLUSTER,
        ipv6SourceRanges: { refused: IPV4_ONLY },
    };
}

/** What `EC2AutoscaleHub` offers: homes and the shared folder are folders on the course's EFS, servers are containers. */
export function ec2Capabilities(args: Pick<EC2AutoscaleHubArgs, "workers">): PlatformCapabilities {
    const ownCertificateOnly = "EC2AutoscaleHub serves HTTPS itself (Caddy on the hub VM): use mode \"letsencrypt\", "
        + "or \"certificate\" with a certificate chain and key of your own";
    return {
        https: { letsencrypt: true, certificate: true, ...refusedFor(["secret", "offload", "ingress"], ownCertificateOnly) },
        sharedFolders: true,
        alsoMountedAt: {
            refused: "DockerSpawner mounts each folder of the course's file system at one path (it keys its volumes by folder): "
                + "leave alsoMountedAt out and give mountPath the path the image expects, or use a Kubernetes hub",
        },
        datasets: true,
        bucketDatasets: {
            refused: "EC2AutoscaleHub mounts NFS exports only: copy the data to an EFS file system and give it as nfs, "
                + "or run the course on GkeHub, which mounts Cloud Storage buckets",
        },
        sharedSize: { refused: "the shared folder on EC2 is a folder on the course's EFS file system, which grows as needed: leave it out" },
        homeSize: { refused: "homes on EC2 are folders on the course's EFS file system, which has no per-user size: leave it out" },
        homeStorageClass: { refused: "homes on EC2 live on the course's EFS file system, not in a Kubernetes storage class: leave it out" },
        sharedHomes: {
            refused: "homes on EC2 are already folders on one file system, the course's EFS, which has no quotas: leave it out "
                + "(EFS grows with what is stored, billed per GB-month), or use a Kubernetes hub for a quota per home",
        },
        gpus: { refused: "GPUs are offered by the Kubernetes hubs (EksHub, GkeHub), not on EC2 workers" },
        profileResources: { refused: "per-profile sizes need a Kubernetes hub; on EC2 a profile chooses an image only" },
        profileOptions: {
            refused: "on EC2 a profile chooses an image only (DockerSpawner's allowed_images): menus, environment, a page and groups of a profile "
                + "need a Kubernetes hub. Make each image a profile of its own, and put environment variables in server.environment",
        },
        sidecars: { refused: "sidecar containers need a Kubernetes hub (a pod); on EC2 put the service in the image" },
        notebookIdentity: refusedFor(IDENTITY_KINDS, "notebooks on EC2 workers get no cloud identity (the metadata service is out of their reach)"),
        prewarm: offeredIf(args.workers !== false,
            "in single-VM mode servers run on the hub VM, which is always up: there are no workers to warm. Leave prewarm out, or give workers"),
        nodeSelection: {
            refused: "EC2AutoscaleHub runs servers on its own VMs, which have no Kubernetes labels or taints: leave it out (give workers a bigger "
                + "instanceType for bigger servers), or run the course on a cluster of your own (JupyterHub) to place servers on other nodes",
        },
        sharedMemory: offeredIf(args.workers === false,
            "Docker Swarm services, which run the servers on EC2 workers, have no /dev/shm size: leave it out, use single-VM mode (workers: false), or a Kubernetes hub"),
        extraFiles: {
            refused: "files placed in the servers need a Kubernetes hub (the chart mounts them from a Secret); on EC2 put them in the image, "
                + "or bring them into homes with server.content",
        },
        initContainers: {
            refused: "init containers need a Kubernetes hub (a pod); on EC2 prepare homes with server.content, or do the work in the image",
        },
        imagePullSecret: {
            refused: "EC2AutoscaleHub pulls images without registry credentials: use public images, or a Kubernetes hub for a private registry",
        },
        prePull: {
            refused: "EC2AutoscaleHub's workers pull the server image as each joins (in single-VM mode the hub VM builds it at boot), "
                + "on no other schedule: leave it out",
        },
        seatSize: {
            refused: "a ready seat on EC2 is one server of the server's size (a profile has no size of its own there): leave it out, "
                + "or set workers.minCount for more room",
        },
        logo: {
            refused: "the hub VM's settings travel in its user-data, which holds 16 KB in all, too little for an image: leave it out, "
                + "or run the course on a Kubernetes hub",
        },
        // Security group rules for port 443; port 80 stays open for Let's Encrypt's HTTP-01 and the redirect to HTTPS.
        sourceRanges: { letsencrypt: true, secret: true, offload: true, ingress: true, certificate: true },
        ipv6SourceRanges: { refused: IPV4_ONLY },
    };
}

/** Which kind of identity a notebook identity is. */
function notebookIdentityKind(identity: NotebookIdentitySpec): NotebookIdentityKind {
    return "awsRoleArn" in identity ? "awsRoleArn" : "gcpServiceAccountEmail";
}

/**
 * What the platform cannot serve of a spec, each at its property path under `path`. Pure. Parts
 * of the spec that `shapeProblems` (its schema's problems) find wrong are left alone, so that a
 * spec with typos still hears everything else at once.
 */
export function capabilityProblems(spec: HubSpec, capabilities: PlatformCapabilities, path = "spec", shapeProblems: Problem[] = []): Problem[] {
    if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
        return [];
    }
    const valid = (part: string) => isValidAt(shapeProblems, `${path}.${part}`);
    const problems: Problem[] = [];
    const refuse = (offer: Offer, part: string, context = "") => {
        if (offer !== true) {
            problems.push({ propertyPath: `${path}.${part}`, reason: `${context}${offer.refused}` });
        }
    };
    if (valid("https")) {
        refuse(capabilities.https[spec.https.mode], "https.mode");
    }
    const storage = valid("storage") ? spec.storage ?? {} : {};
    if (storage.sharedCourseFolder) {
        refuse(capabilities.sharedFolders, "storage.sharedCourseFolder");
    }
    if ((storage.sharedFolders ?? []).length > 0) {
        refuse(capabilities.sharedFolders, "storage.sharedFolders");
    }
    if (storage.submitFolder !== undefined) {
        refuse(capabilities.sharedFolders, "storage.submitFolder");
    }
    if ((storage.datasets ?? []).length > 0) {
        refuse(capabilities.datasets, "storage.datasets");
    }
    if ((storage.bucketDatasets ?? []).length > 0) {
        refuse(capabilities.bucketDatasets, "storage.bucketDatasets");
    }
    const mounted: [string, MountedFolder | undefined][] = [
        ...(storage.sharedFolders ?? []).map((folder, i) => [`storage.sharedFolders[${i}]`, folder] as [string, MountedFolder]),
        ["storage.submitFolder", storage.submitFolder],
        ...datasetEntries(storage).map(({ at, dataset }) => [`storage.${at}`, dataset] as [string, MountedFolder]),
    ];
    for (const [at, folder] of mounted) {
        if ((folder?.alsoMountedAt ?? []).length > 0) {
            refuse(capabilities.alsoMountedAt, `${at}.alsoMountedAt`);
        }
    }
    const minimum = capabilities.minimumSharedSize;
    if (storage.sharedSize !== undefined) {
        refuse(capabilities.sharedSize, "storage.sharedSize");
        if (capabilities.sharedSize === true && minimum && parseStorageSize(storage.sharedSize) < parseStorageSize(minimum.size)) {
            refuse({ refused: `${minimum.refused}; "${storage.sharedSize}" is smaller` }, "storage.sharedSize");
        }
    }
    if (storage.home?.size !== undefined) {
        refuse(capabilities.homeSize, "storage.home.size");
    }
    if (storage.home?.storageClass !== undefined) {
        refuse(capabilities.homeStorageClass, "storage.home.storageClass");
    }
    if (storage.home?.sharedFileSystem !== undefined) {
        refuse(capabilities.sharedHomes, "storage.home.sharedFileSystem");
    }
    const server = valid("server") ? spec.server ?? {} : {};
    (server.profiles ?? []).forEach((profile, i) => {
        if ((profile.gpus ?? 0) > 0) {
            refuse(capabilities.gpus, `server.profiles[${i}].gpus`, `profile "${profile.slug}" asks for GPUs, but `);
        }
        if (profile.resources) {
            refuse(capabilities.profileResources, `server.profiles[${i}].resources`);
        }
        for (const option of ["menus", "environment", "defaultUrl", "groups"] as const) {
            if (profile[option] !== undefined) {
                refuse(capabilities.profileOptions, `server.profiles[${i}].${option}`);
            }
        }
    });
    if ((server.sidecars ?? []).length > 0) {
        refuse(capabilities.sidecars, "server.sidecars");
    }
    if (valid("notebookIdentity") && spec.notebookIdentity) {
        refuse(capabilities.notebookIdentity[notebookIdentityKind(spec.notebookIdentity)], "notebookIdentity");
    }
    if (valid("prewarm") && spec.prewarm !== undefined) {
        refuse(capabilities.prewarm, "prewarm");
    }
    // Node selection: the server's, and each profile's; an empty one places nothing.
    const placements = [["server", server], ...(server.profiles ?? []).map((profile, i) => [`server.profiles[${i}]`, profile] as const)] as const;
    for (const [at, holder] of placements) {
        for (const field of ["nodeSelector", "tolerations"] as const) {
            if (Object.keys(holder[field] ?? {}).length > 0) {
                refuse(capabilities.nodeSelection, `${at}.${field}`);
            }
        }
    }
    if (server.sharedMemory !== undefined) {
        refuse(capabilities.sharedMemory, "server.sharedMemory");
    }
    if ((server.extraFiles ?? []).length > 0) {
        refuse(capabilities.extraFiles, "server.extraFiles");
    }
    if ((server.initContainers ?? []).length > 0) {
        refuse(capabilities.initContainers, "server.initContainers");
    }
    if (server.imagePullSecret !== undefined) {
        refuse(capabilities.imagePullSecret, "server.imagePullSecret");
    }
    if (server.prePull !== undefined) {
        refuse(capabilities.prePull, "server.prePull");
    }
    if (valid("prewarm") && spec.prewarm?.seatSize !== undefined) {
        refuse(capabilities.seatSize, "prewarm.seatSize");
    }
    if (valid("logo") && spec.logo !== undefined) {
        refuse(capabilities.logo, "logo");
    }
    if (valid("https") && valid("allowedSourceRanges") && spec.allowedSourceRanges !== undefined) {
        refuse(capabilities.sourceRanges[spec.https.mode], "allowedSourceRanges", `with https.mode "${spec.https.mode}", `);
        spec.allowedSourceRanges.forEach((range, i) => {
            const cidr = parseCidr(range);
            if ("family" in cidr && cidr.family === "ipv6") {
                refuse(capabilities.ipv6SourceRanges, `allowedSourceRanges[${i}]`);
            }
        });
    }
    return problems;
}

/**
 * Every problem of a spec on a platform, each at its property path under `path`: its shape (the
 * schema), its rules, and what the platform cannot serve. Pure: creates nothing.
 */
export function hubSpecProblems(spec: unknown, capabilities: PlatformCapabilities, path = "spec"): Problem[] {
    const shape = schemaProblems("hub-spec.json", spec, path);
    return mergeProblems(shape, [...hubSpecRuleProblems(spec, path, shape), ...capabilityProblems(spec as HubSpec, capabilities, path, shape)]);
}

/**
 * The spec, validated for a platform: what the renderers (`toZ2jhValues`, `toJupyterhubConfig`)
 * take. Throws every problem at once as a `pulumi.InputPropertiesError`.
 */
export function validatedHubSpec(spec: HubSpec, capabilities: PlatformCapabilities): Validated<HubSpec> {
    const problems = hubSpecProblems(spec, capabilities);
    throwIfProblems("HubSpec", problems);
    return validated(spec, problems);
}

/** What a hub component's own rules see of its arguments. */
export interface HubArgsCheck<Args> {
    args: Args;
    /** Whether the argument at this path has its shape (no schema problem at, above or below it). */
    valid: (path: string) => boolean;
    /** Whether the spec has its shape and passes its own rules. */
    specValid: boolean;
    /** The spec, when it has its shape, passes its rules and the platform serves all of it: it can be rendered. */
    renderableSpec?: Validated<HubSpec>;
    /** Where the component's rules add their problems. */
    check: ProblemCollector;
}

/**
 * Every problem of a hub component's arguments, as EksHub, GkeHub and EC2AutoscaleHub all find
 * them: the shape from the schema, the spec's own rules, what the platform serves of the spec,
 * then the component's own rules, which run only where the arguments have their shape.
 */
export function hubArgsProblems<Args extends { spec: HubSpec }>(
    schema: SchemaFile, args: unknown, capabilitiesOf: (args: Args) => PlatformCapabilities, componentRules: (context: HubArgsCheck<Args>) => void,
): Problem[] {
    const structural = schemaProblems(schema, args);
    if (typeof args !== "object" || args === null) {
        return structural;
    }
    const typed = args as Args;
    const specRules = hubSpecRuleProblems(typed.spec, "spec", structural);
    const valid = (path: string) => isValidAt(structural, path);
    const specValid = valid("spec") && specRules.length === 0;
    const refused = capabilityProblems(typed.spec, capabilitiesOf(typed), "spec", structural);
    const check = new ProblemCollector();
    check.problems.push(...refused);
    const renderableSpec = specValid && refused.length === 0 ? validated(typed.spec, []) : undefined;
    componentRules({ args: typed, valid, specValid, renderableSpec, check });
    return mergeProblems(structural, [...specRules, ...check.problems]);
}
