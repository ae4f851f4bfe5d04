import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import * as apps from "@pulumi/kubernetes/apps/v1";
import * as batch from "@pulumi/kubernetes/batch/v1";
import * as core from "@pulumi/kubernetes/core/v1";
import * as helm from "@pulumi/kubernetes/helm/v3";
import * as rbac from "@pulumi/kubernetes/rbac/v1";
import * as k8sInput from "@pulumi/kubernetes/types/input";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { RandomBytes } from "@pulumi/random/randomBytes";
import { StaticIpIngress } from "../ingress/static-ip-ingress";
import { capabilityProblems, clusterCapabilities, hubSpecProblems } from "../platforms";
import { definitionProblems, schemaProblems } from "../schema";
import { DnsLabel, HubPhysicalName } from "../shapes";
import { courseLabels, owningStackAnnotations, physicalNameOf } from "../tags";
import { isValidated, validated } from "../validated";
import { IMAGES } from "../versions";
import { Problem, throwIfProblems } from "../validation";
import { AuthenticatorSecret } from "./auth";
import { chartValuesProblems, chartVersionProblems, mergeChartValues, unpinnedChartWarning } from "./chart-values";
import { hubClusterObjects } from "./cluster-objects";
import { imageReference } from "./defaults";
import { JupyterHubPlatformArgs, operatorAdminProblems } from "./platform";
import { PrewarmScaleAction } from "./prewarm";
import { IMAGE_PULL_SECRET, dockerConfigJson } from "./registry";
import { HOMES_CLAIM, HOMES_DISK_CLAIM, HOMES_NFS_SERVER, HOMES_NFS_SERVER_LABELS, SharedHomesObjects } from "./shared-homes";
import { createTeardownRelease, hubTeardownValues } from "./teardown";
import { HubSpec, ImageSpec } from "./spec";
import {
    ALLOWED_SOURCES_MIDDLEWARE,
    HUB_CREDENTIALS_SECRET,
    NOTEBOOK_SERVICE_ACCOUNT,
    SERVER_ENVIRONMENT_SECRET,
    SHARED_VOLUME_CLAIM,
    Z2JH_CHART_REPOSITORY,
    Z2JH_CHART_VERSION,
    Z2jhValues,
    toZ2jhValues,
    valuesBeforeDeployment,
} from "./z2jh";

/** Arguments of {@link JupyterHub}. */
export interface JupyterHubArgs {
    /**
     * The course hub to install. Its shape and rules are checked here unless validation handed it
     * back already (`validatedHubSpec`); what this cluster can serve of it is always checked.
     */
    spec: HubSpec;
    /** Provider of the cluster to install on; every Kubernetes object is created through it. */
    provider: KubernetesProvider;
    /**
     * What the cluster offers (storage classes, GPU nodes, ingress, node labels), and what the
     * platform adds to the hub (the notebooks' identity, the smallest shared volume).
     * @default {} (an unlabelled cluster with a default storage class, no shared storage, no GPUs)
     */
    platform?: JupyterHubPlatformArgs;
    /**
     * The name of the hub's Helm release (and of the cluster-wide objects the chart names after it)
     * and of its namespace, so that two hubs of one course and term (staging and production) can
     * share a cluster. A DNS label of at most 53 characters, Helm's longest release name. Labels
     * still carry the course and term.
     * @default "<course>-<term>", or "<course>" without a term
     */
    physicalName?: HubPhysicalName;
    /**
     * Namespace created for the hub, a DNS label: a department's naming scheme (`hub-stat200`) or a
     * standing hub's. The hub owns it: it must not exist yet, and deleting the hub deletes it, and
     * with it every user's volume, so the cluster's own (`default`, `kube-*`) are refused.
     * @default the physical name
     */
    namespace?: DnsLabel;
    /**
     * A shared entry point on the same cluster; with `spec.https.mode: "ingress"` the hub is
     * served through it (its ingress class and Let's Encrypt issuer) instead of a load balancer
     * of its own. Give it or `platform.ingress`, not both.
     * @default none
     */
    ingress?: StaticIpIngress;
    /**
     * Image that runs `kubectl scale` for the lecture pre-warm schedule; keep it within one minor
     * of the cluster's Kubernetes version.
     * @default { name: "registry.k8s.io/kubectl", tag: "v1.35.0" } (`IMAGES.kubectl` in versions.ts)
     */
    prewarmScalerImage?: ImageSpec;
    /**
     * Raw values of the Zero to JupyterHub chart, for what the spec does not model (z2jh's
     * configuration reference lists them): traitlets settings under `hub.config`
     * (`hub.config.JupyterHub.shutdown_on_logout: true`), Python under `hub.extraConfig`,
     * `singleuser.extraEnv`, ... Merged last over the values the spec renders, as Helm merges a
     * second values file: maps key by key, lists and other values replaced whole, and `null`
     * deletes a key (the chart's default with it).
     *
     * Checked before anything is created: plain data only (no Outputs); against the chart's own
     * values schema when `chartVersion` is the pinned one, each problem at its path
     * (`values.singleuser.memroy`); and refused where they would override what course-hubs sets
     * for security or correctness, with the spec option to use instead (`PROTECTED_CHART_VALUES`
     * in chart-values.ts): `hub.existingSecret`, `proxy.secretToken`, the login
     * (`hub.config.*Authenticator`, `hub.config.JupyterHub.authenticator_class`: use `spec.auth`),
     * how the hub is served (`proxy.https.enabled`/`type`/`hosts`, `proxy.service.type`,
     * `proxy.service.disableHttpPort`, `ingress.enabled`/`hosts`/`tls`: use `spec.https`), the
     * network policies, the cloud metadata block, `singleuser.allowPrivilegeEscalation`, no
     * Kubernetes API token for notebooks, and entries named `course-hubs-*`. Other keys the spec
     * renders (the image, resources, culling, ...) may be overridden, though the spec option says
     * it more plainly. The guard reads values, not Python: what `hub.extraConfig` runs is unchecked.
     * @default {} (the spec's values only)
     */
    values?: Z2jhValues;
    /**
     * Version of the z2jh chart to install: an exact version (no ranges) of the pinned major. The
     * values are written for the pinned version; with another one, `values` are not checked
     * against the chart's schema before deploying (a warning says so) and Helm checks the whole
     * values against that chart's own schema when it installs the release.
     * @default "4.4.0" (`CHARTS.jupyterhub.version` in versions.ts)
     */
    chartVersion?: string;
}

/** StatefulSet of placeholder pods that the chart creates and the pre-warm schedule scales. */
const PLACEHOLDER_STATEFULSET = "user-placeholder";
const DEFAULT_SCALER_IMAGE: ImageSpec = { name: IMAGES.kubectl.name, tag: IMAGES.kubectl.tag };

/**
 * A course hub on any Kubernetes cluster: a namespace labelled with the course, generated hub
 * secrets, the credentials Secret, and the Zero to JupyterHub chart (4.4.0, or `chartVersion`) as
 * one Helm release, with the course's raw chart `values` merged last.
 * Deleting it first runs the course-teardown chart's hook, which stops the hub and every user
 * server, deletes the namespace's load balancers and volumes and waits until the cloud has deleted
 * the disks behind them; then the release, the shared claim and the namespace go.
 */
export class JupyterHub extends pulumi.ComponentResource {
    /** Namespace the hub runs in. */
    public readonly namespace: pulumi.Output<string>;
    /** Name of the Helm release. */
    public readonly releaseName: pulumi.Output<string>;
    /** Address students open. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: JupyterHubArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validated before the component itself registers, so bad input leaves nothing behind; arguments
        // an entry point built and validated already (EksHub's, GkeHub's, a course stack's) are not checked twice.
        const problems = isValidated(args) ? [] : validateJupyterHubArgs(args);
        throwIfProblems(`JupyterHub "${name}"`, problems);
        super("course-hubs:k8s:JupyterHub", name, {}, opts);
        const chartVersion = args.chartVersion ?? Z2JH_CHART_VERSION;
        const unpinned = unpinnedChartWarning(chartVersion);
        if (unpinned) {
            pulumi.log.warn(unpinned, this);
        }
        const spec = isValidated(args.spec) ? args.spec : validated(args.spec, problems);
        const platform = hubPlatform(args);
        const objects = hubClusterObjects(spec, platform);
        const childOpts: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
        const labels = courseLabels(spec);
        const releaseName = physicalNameOf(args);

        const namespace = new core.Namespace(`${name}-namespace`, {
            // The stack that owns the course, for the guard of a cluster that several stacks share.
            metadata: { name: args.namespace ?? releaseName, labels, annotations: owningStackAnnotations() },
        }, childOpts);
        const ns = namespace.metadata.name;
        const inNamespace = (objectName: string) => ({ name: objectName, namespace: ns, labels });

        const generatedSecret = (role: string) => new RandomBytes(`${name}-${role}`, { length: 32 }, { parent: this }).hex;
        const cookieSecret = generatedSecret("cookie-secret");
        const cryptKey = generatedSecret("crypt-key");
        const proxyToken = generatedSecret("proxy-token");

        const credentials = new core.Secret(`${name}-credentials`, {
            metadata: inNamespace(HUB_CREDENTIALS_SECRET),
            type: "Opaque",
            stringData: pulumi.secret(hubCredentials(objects.loginSecrets, cookieSecret, cryptKey)),
        }, childOpts);

        const releaseDependencies: pulumi.Resource[] = [credentials, ...(args.ingress ? [args.ingress] : [])];
        // Servers read these when they start: each exists before the chart can start one.
        if (objects.serverSecretEnvironment) {
            releaseDependencies.push(new core.Secret(`${name}-server-environment`, {
                metadata: inNamespace(SERVER_ENVIRONMENT_SECRET),
                type: "Opaque",
                stringData: pulumi.secret(objects.serverSecretEnvironment),
            }, childOpts));
        }
        if (objects.imagePullCredential) {
            const { password, ...account } = objects.imagePullCredential;
            releaseDependencies.push(new core.Secret(`${name}-image-pull`, {
                metadata: inNamespace(IMAGE_PULL_SECRET),
                type: "kubernetes.io/dockerconfigjson",
                stringData: pulumi.secret(pulumi.output(password).apply((plain) => ({ ".dockerconfigjson": dockerConfigJson(account, plain) }))),
            }, childOpts));
        }
        if (objects.sharedVolume) {
            releaseDependencies.push(new core.PersistentVolumeClaim(`${name}-shared`, {
                metadata: inNamespace(SHARED_VOLUME_CLAIM),
                spec: {
                    accessModes: ["ReadWriteMany"],
                    storageClassName: objects.sharedVolume.storageClassName,
                    resources: { requests: { storage: objects.sharedVolume.size } },
                },
            }, childOpts));
        }
        if (objects.sharedHomes) {
            releaseDependencies.push(...createSharedHomes(name, objects.sharedHomes, inNamespace, childOpts));
        }
        if (objects.notebookServiceAccountAnnotations) {
            releaseDependencies.push(new core.ServiceAccount(`${name}-notebook-identity`, {
                metadata: { ...inNamespace(NOTEBOOK_SERVICE_ACCOUNT), annotations: objects.notebookServiceAccountAnnotations },
                automountServiceAccountToken: false,
            }, childOpts));
        }

        if (objects.allowedSourcesMiddleware) {
            releaseDependencies.push(new CustomResource(`${name}-allowed-sources`, {
                apiVersion: "traefik.io/v1alpha1",
                kind: "Middleware",
                metadata: inNamespace(ALLOWED_SOURCES_MIDDLEWARE),
                spec: objects.allowedSourcesMiddleware,
            }, childOpts));
        }

        const values = pulumi.output(platform).apply((resolved) => toZ2jhValues(spec, resolved, args.namespace ?? releaseName));
        const release = new helm.Release(`${name}-release`, {
            // The chart names its cluster-wide objects (priority classes, the user scheduler's
            // cluster role) after the release: one name per course lets courses share a cluster.
            name: releaseName,
            namespace: ns,
            chart: "jupyterhub",
            version: chartVersion,
            repositoryOpts: { repo: Z2JH_CHART_REPOSITORY },
            values: pulumi.secret(pulumi.all([values, proxyToken]).apply(([v, token]) => withProxyToken(mergeChartValues(v, args.values ?? {}), token))),
            // A whole class's first start pulls images onto fresh nodes: allow for it.
            timeout: 1200,
            cleanupOnFail: true,
            maxHistory: 10,
        }, { ...childOpts, dependsOn: releaseDependencies });

        const hubObjects: pulumi.Resource[] = [namespace, credentials, ...releaseDependencies, release];
        if (objects.gpuImagePuller) {
            const selector = { "app.kubernetes.io/name": "gpu-image-puller", "app.kubernetes.io/instance": releaseName };
            hubObjects.push(new apps.DaemonSet(`${name}-gpu-image-puller`, {
                metadata: inNamespace("gpu-image-puller"),
                spec: {
                    selector: { matchLabels: selector },
                    template: { metadata: { labels: { ...labels, ...selector } }, spec: objects.gpuImagePuller as k8sInput.core.v1.PodSpec },
                },
            }, { ...childOpts, dependsOn: [namespace] }));
        }

        if (objects.prewarmScaleActions.length > 0) {
            const scalerImage = args.prewarmScalerImage ?? DEFAULT_SCALER_IMAGE;
            hubObjects.push(...createPrewarmSchedule(name, objects.prewarmScaleActions, scalerImage, inNamespace, release, childOpts));
        }
        // Depending on every other object of the hub, it is deleted first, and its hook runs while they all exist.
        createTeardownRelease(`${name}-teardown`, ns, hubTeardownValues(platform), { ...childOpts, dependsOn: hubObjects });

        this.namespace = ns;
        this.releaseName = release.name;
        this.url = pulumi.output(`https://${spec.hostname}/`);
        this.registerOutputs({ namespace: this.namespace, releaseName: this.releaseName, url: this.url });
    }
}

/**
 * Every problem of `JupyterHub`'s arguments, each at its argument path: the platform's shape; the
 * spec's shape and rules (unless validation handed it back already) and what this cluster cannot
 * serve of it; the physical name; the shared entry point given twice; the chart's version; and the
 * raw values merged over what the spec renders on this platform. Pure: creates nothing.
 */
export function validateJupyterHubArgs(
    args: Pick<JupyterHubArgs, "spec" | "physicalName" | "namespace" | "platform" | "ingress" | "values" | "chartVersion">,
): Problem[] {
    const platformProblems = args.platform === undefined ? [] : schemaProblems("jupyterhub-platform.json", args.platform, "platform");
    if (platformProblems.length > 0) {
        return platformProblems;
    }
    const platform = hubPlatform(args);
    const capabilities = clusterCapabilities(platform);
    // A spec validated elsewhere may have been validated for another platform: what this one serves is checked here.
    const specProblems = isValidated(args.spec) ? capabilityProblems(args.spec, capabilities) : hubSpecProblems(args.spec, capabilities);
    const chartVersion = args.chartVersion ?? Z2JH_CHART_VERSION;
    // With a spec that cannot be rendered, the raw values are still checked on their own.
    const rendered = args.values !== undefined && specProblems.length === 0
        ? valuesBeforeDeployment(isValidated(args.spec) ? args.spec : validated(args.spec, specProblems), platform)
        : {};
    return [
        ...specProblems,
        ...(specProblems.length === 0 ? operatorAdminProblems(args.spec, platform) : []),
        // The platform components' schemas carry the shape; JupyterHub's arguments have none of their own.
        ...(args.physicalName === undefined ? [] : definitionProblems("eks-hub-args.json", "HubPhysicalName", args.physicalName, "physicalName")),
        ...namespaceProblems(args.namespace, "namespace"),
        ...(args.ingress !== undefined && args.platform?.ingress !== undefined
            ? [{
                propertyPath: "ingress",
                reason: "and platform.ingress both name the shared entry point: give the StaticIpIngress as ingress, "
                    + "or its ingress class and issuer as platform.ingress, not both",
            }]
            : []),
        ...chartVersionProblems(args.chartVersion),
        ...chartValuesProblems(args.values, rendered, chartVersion),
    ];
}

/** The platform the hub is rendered for: the given one, served through the shared entry point if one is given. */
function hubPlatform(args: Pick<JupyterHubArgs, "platform" | "ingress">): JupyterHubPlatformArgs {
    return args.ingress
        ? { ...args.platform, ingress: { className: args.ingress.ingressClassName, clusterIssuer: args.ingress.clusterIssuer, controller: "traefik" } }
        : args.platform ?? {};
}

/**
 * Problems of a namespace the hub is to create, at `path`: not a DNS label, or one of the cluster's
 * own, which deleting the hub would delete.
 */
export function namespaceProblems(namespace: unknown, path: string): Problem[] {
    if (namespace === undefined) {
        return [];
    }
    const shape = definitionProblems("hub-spec.json", "DnsLabel", namespace, path);
    if (shape.length > 0) {
        return shape;
    }
    return namespace === "default" || String(namespace).startsWith("kube-")
        ? [{
            propertyPath: path,
            reason: `"${namespace}" is the cluster's own namespace, which deleting the hub would delete: choose a new one, such as hub-<course>`,
        }]
        : [];
}

/**
 * Contents of the credentials Secret, in the layout the chart reads from `hub.existingSecret`:
 * a `values.yaml` with the secret traitlets (JSON is YAML), and the hub's own keys under their
 * chart key names, which take priority over the chart's generated ones.
 */
function hubCredentials(
    secrets: AuthenticatorSecret[], cookieSecret: pulumi.Output<string>, cryptKey: pulumi.Output<string>,
): pulumi.Output<Record<string, string>> {
    return pulumi.all([pulumi.all(secrets.map((s) => s.value)), cookieSecret, cryptKey]).apply(([secretValues, cookie, crypt]): Record<string, string> => {
        const config: Record<string, Record<string, string>> = {};
        secrets.forEach((s, i) => {
            config[s.section] = { ...config[s.section], [s.trait]: secretValues[i] };
        });
        return {
            "values.yaml": JSON.stringify({ hub: { config } }),
            "hub.config.JupyterHub.cookie_secret": cookie,
            "hub.config.CryptKeeper.keys": crypt,
        };
    });
}

/** The chart reads the proxy's token only from its own values, not from `hub.existingSecret`. */
function withProxyToken(values: Z2jhValues, token: string): Z2jhValues {
    return { ...values, proxy: { ...values.proxy, secretToken: token } };
}

/**
 * The shared file system of homes (shared-homes.ts): the block volume's claim, the NFS server's
 * configuration, Deployment and Service, and the NFS volume and claim every server mounts. The
 * kubelet mounts NFS from the node, where cluster DNS does not resolve: the volume names the
 * Service's cluster IP. The volume is cluster-wide, so it is named after the hub's namespace.
 * Returns every object it creates; the claim the servers mount is the last.
 */
function createSharedHomes(
    name: string,
    homes: SharedHomesObjects,
    inNamespace: (objectName: string) => { name: string; namespace: pulumi.Output<string>; labels: Record<string, string> },
    opts: pulumi.CustomResourceOptions,
): pulumi.Resource[] {
    const disk = new core.PersistentVolumeClaim(`${name}-homes-disk`, {
        metadata: inNamespace(HOMES_DISK_CLAIM),
        spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: homes.disk.storageClassName,
            resources: { requests: { storage: homes.disk.size } },
        },
    }, opts);
    const config = new core.ConfigMap(`${name}-homes-nfs`, { metadata: inNamespace(HOMES_NFS_SERVER), data: homes.config }, opts);
    const metadata = inNamespace(HOMES_NFS_SERVER);
    const podLabels = { ...metadata.labels, ...HOMES_NFS_SERVER_LABELS };
    const server = new apps.Deployment(`${name}-homes-nfs`, {
        metadata: { ...metadata, labels: podLabels },
        spec: {
            replicas: 1,
            // The block volume attaches to one node at a time: the old pod goes before the new one starts.
            strategy: { type: "Recreate" },
            selector: { matchLabels: { ...HOMES_NFS_SERVER_LABELS } },
            template: {
                metadata: { labels: podLabels, annotations: homes.serverPodAnnotations },
                spec: homes.serverPod,
            },
        },
    }, { ...opts, dependsOn: [disk, config] });
    const service = new core.Service(`${name}-homes-nfs`, {
        metadata,
        spec: { type: "ClusterIP", selector: { ...HOMES_NFS_SERVER_LABELS }, ports: [{ name: "nfs", port: 2049, targetPort: "nfs", protocol: "TCP" }] },
    }, opts);
    const size = homes.disk.size;
    const volume = new core.PersistentVolume(`${name}-homes`, {
        metadata: { name: pulumi.interpolate`${metadata.namespace}-homes`, labels: metadata.labels },
        spec: {
            capacity: { storage: size },
            accessModes: ["ReadWriteMany"],
            // Nothing to delete behind it: the homes are on the disk's own volume, which follows its class's policy.
            persistentVolumeReclaimPolicy: "Retain",
            storageClassName: "",
            mountOptions: homes.mountOptions,
            nfs: { server: service.spec.clusterIP, path: "/" },
            // Reserved for the hub's claim: no other claim of the cluster binds it.
            claimRef: { namespace: metadata.namespace, name: HOMES_CLAIM },
        },
    }, { ...opts, dependsOn: [server] });
    const claim = new core.PersistentVolumeClaim(`${name}-homes`, {
        metadata: inNamespace(HOMES_CLAIM),
        spec: {
            accessModes: ["ReadWriteMany"],
            storageClassName: "",
            volumeName: volume.metadata.name,
            resources: { requests: { storage: size } },
        },
    }, opts);
    return [disk, config, server, service, volume, claim];
}

/**
 * CronJobs that scale the chart's placeholder pods for lectures, with a service account that may
 * scale that one StatefulSet and nothing else. Returns every object it creates.
 */
function createPrewarmSchedule(
    name: string,
    actions: PrewarmScaleAction[],
    image: ImageSpec,
    inNamespace: (objectName: string) => { name: string; namespace: pulumi.Output<string>; labels: Record<string, string> },
    release: helm.Release,
    opts: pulumi.CustomResourceOptions,
): pulumi.Resource[] {
    const account = new core.ServiceAccount(`${name}-prewarm-scaler`, { metadata: inNamespace("prewarm-scaler") }, opts);
    const role = new rbac.Role(`${name}-prewarm-scaler`, {
        metadata: inNamespace("prewarm-scaler"),
        rules: [{
            apiGroups: ["apps"],
            resources: ["statefulsets", "statefulsets/scale"],
            resourceNames: [PLACEHOLDER_STATEFULSET],
            verbs: ["get", "patch", "update"],
        }],
    }, opts);
    const binding = new rbac.RoleBinding(`${name}-prewarm-scaler`, {
        metadata: inNamespace("prewarm-scaler"),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace: account.metadata.namespace }],
    }, opts);
    const cronJobs = actions.map((action) => new batch.CronJob(`${name}-${action.name}`, {
        metadata: inNamespace(action.name),
        spec: {
            schedule: action.schedule,
            timeZone: action.timeZone,
            concurrencyPolicy: "Replace",
            successfulJobsHistoryLimit: 1,
            failedJobsHistoryLimit: 3,
            jobTemplate: {
                spec: {
                    backoffLimit: 3,
                    template: {
                        spec: {
                            serviceAccountName: account.metadata.name,
                            restartPolicy: "OnFailure",
                            containers: [{
                                name: "scale",
                                image: imageReference(image),
                                args: [
                                    "scale", `statefulset/${PLACEHOLDER_STATEFULSET}`, `--replicas=${action.seats}`,
                                    pulumi.interpolate`--namespace=${release.namespace}`,
                                ],
                                securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 65534 },
                            }],
                        },
                    },
                },
            },
        },
    }, { ...opts, dependsOn: [release, binding] }));
    return [account, role, binding, ...cronJobs];
}
