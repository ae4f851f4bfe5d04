import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as route53 from "@pulumi/aws/route53";
import * as compute from "@pulumi/gcp/compute";
import * as dns from "@pulumi/gcp/dns";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import * as core from "@pulumi/kubernetes/core/v1";
import * as helm from "@pulumi/kubernetes/helm/v3";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { DnsLabel, EmailAddress, Hostname } from "../shapes";
import { CourseIdentity, courseLabels, courseTags } from "../tags";
import { isValidAt, mergeProblems, schemaProblems } from "../schema";
import { isValidated } from "../validated";
import { Problem, throwIfProblems } from "../validation";
import { CHARTS, LETS_ENCRYPT } from "../versions";

/**
 * The options of {@link StaticIpIngress}: every argument but the provider, as
 * schema/static-ip-ingress-args.json describes them.
 */
export interface StaticIpIngressOptions {
    /**
     * Who owns the shared entry point, for tags and labels: usually the department, with `course`
     * naming the shared cluster (`stats-dept`).
     */
    identity: CourseIdentity;
    /** Where the reserved address comes from: a regional GCP address, or Elastic IPs on AWS. */
    address: GcpAddress | AwsAddresses;
    /**
     * Address Let's Encrypt writes to about expiring certificates.
     * @requiredMessage Let's Encrypt needs an address for expiry notices
     */
    letsEncryptEmail: EmailAddress;
    /**
     * The ingress controller: Traefik, the only one offered (the key stays so that configs that
     * spell it out keep working). `"nginx-inc"` is refused: NGINX Inc.'s controller serves a
     * hostname from its oldest Ingress only, so cert-manager's HTTP-01 solver Ingress never gets
     * the challenge and no certificate is issued. The community ingress-nginx is retired upstream
     * (no fixes since March 2026) and not offered either.
     * @default "traefik"
     */
    controller?: IngressController;
    /** DNS A records for the hubs' hostnames, pointing at the reserved address. @default none */
    dns?: GcpDns | AwsDns;
    /**
     * Protect the address from `pulumi destroy` (which then stops until someone unprotects it),
     * for an address registered with campus DNS that must survive from term to term. An
     * unattached address still costs about $3.65-$7.30 a month.
     * @default false
     */
    protectAddress?: boolean;
    /** Namespace for the controller. cert-manager gets `cert-manager`. @default "ingress" */
    namespace?: DnsLabel;
}

/** Arguments of {@link StaticIpIngress}. */
export interface StaticIpIngressArgs extends StaticIpIngressOptions {
    /** Provider of the cluster the controller is installed on. */
    provider: KubernetesProvider;
}

/** A regional external address on GCP (premium tier). */
export interface GcpAddress {
    cloud: "gcp";
    /**
     * Region of the cluster, for example `us-central1`.
     * @pattern ^[a-z]+-[a-z]+\d+$
     * @patternErrorMessage use a region such as us-central1 (a zone is not a region)
     */
    region: string;
}

/** Elastic IPs on AWS, one for each subnet of the network load balancer. */
export interface AwsAddresses {
    cloud: "aws";
    /**
     * Public subnets the load balancer sits in; one Elastic IP each ($3.65 a month each).
     * @minItems 1
     * @errorMessage give at least one public subnet for the load balancer
     */
    subnetIds: pulumi.Input<string>[];
}

/** Records in a Cloud DNS managed zone. */
export interface GcpDns {
    cloud: "gcp";
    /** Name of the managed zone (not its DNS name). */
    managedZone: pulumi.Input<string>;
    /** Fully qualified hostnames to point at the address. */
    hostnames: Hostname[];
}

/** Records in a Route 53 hosted zone. */
export interface AwsDns {
    cloud: "aws";
    /** Hosted zone ID, `Z...`. */
    hostedZoneId: pulumi.Input<string>;
    /** Fully qualified hostnames to point at the addresses. */
    hostnames: Hostname[];
}

/** The ingress controllers StaticIpIngress installs. */
export type IngressController = "traefik";

/**
 * Chart versions, pinned so that every course on the cluster sees the same controller all term:
 * the entries of the version manifest (`components/versions.ts`).
 */
export const INGRESS_CHARTS = {
    traefik: CHARTS.traefik,
    certManager: CHARTS.certManager,
} as const;

/**
 * Why `"nginx-inc"` is refused, and what to write instead, for the option at `path`
 * (StaticIpIngress's `controller`, the platforms' `ingress.controller`).
 */
export function nginxIncRefusal(path: string): string {
    return "\"nginx-inc\" is no longer offered: NGINX Inc.'s ingress controller serves a hostname from its oldest Ingress only, " +
        "so cert-manager's HTTP-01 solver Ingress for the same hostname never receives Let's Encrypt's challenge and no certificate is issued " +
        "(cert-manager's acme.cert-manager.io/http01-edit-in-place workaround is still reported unreliable with that controller). " +
        `Leave ${path} out, or set ${path}: "traefik" (the default): Traefik serves the same hubs and hostnames.`;
}

/** Helm's wait for the controller, on install for its load balancer's address, on uninstall for the load balancer's deletion. */
const CONTROLLER_RELEASE_TIMEOUT_SECONDS = 900;


/**
 * Checks `StaticIpIngress` arguments and returns every problem; pure. Their shape (all but the
 * provider) is checked against schema/static-ip-ingress-args.json; the rules here are what a
 * schema cannot say.
 */
export function validateStaticIpIngressArgs(args: unknown): Problem[] {
    if (typeof args !== "object" || args === null || Array.isArray(args)) {
        return schemaProblems("static-ip-ingress-args.json", args);
    }
    const { provider, ...options } = args as Partial<StaticIpIngressArgs>;
    const structural = schemaProblems("static-ip-ingress-args.json", options);
    const rules: Problem[] = [];
    if (provider === undefined || provider === null) {
        rules.push({ propertyPath: "provider", reason: "is required: pass the Kubernetes provider of the cluster" });
    }
    if ((options.controller as string | undefined) === "nginx-inc") {
        rules.push({ propertyPath: "controller", reason: nginxIncRefusal("controller") });
    }
    if (isValidAt(structural, "dns.hostnames")) {
        rules.push(...repeatedHostnames(options.dns?.hostnames ?? [], "dns.hostnames"));
    }
    if (options.dns && options.address && ["dns.cloud", "address.cloud"].every((at) => isValidAt(structural, at))
        && options.address.cloud !== options.dns.cloud) {
        rules.push({ propertyPath: "dns.cloud", reason: "must be the cloud of the address" });
    }
    return mergeProblems(structural, rules);
}

/** A hostname listed twice in `hostnames` (at `path`): one record each is all DNS takes. */
export function repeatedHostnames(hostnames: readonly string[], path: string): Problem[] {
    return hostnames.flatMap((host, i) => (hostnames.indexOf(host) < i ? [{ propertyPath: `${path}[${i}]`, reason: `"${host}" is listed twice` }] : []));
}

/**
 * One stable entry point that many course hubs on a cluster share by hostname: a reserved
 * address, an ingress controller whose Service holds it (client IPs preserved), cert-manager with
 * Let's Encrypt issuers (production and staging, HTTP-01 through this controller), and optionally
 * the DNS records. One per cluster: its issuers and ingress class are cluster-wide.
 */
export class StaticIpIngress extends pulumi.ComponentResource {
    /** The reserved address (on AWS, the first of the load balancer's Elastic IPs). */
    public readonly ip: pulumi.Output<string>;
    /** Every reserved address. */
    public readonly ips: pulumi.Output<string[]>;
    /** Ingress class hubs use. */
    public readonly ingressClassName: pulumi.Output<string>;
    /** ClusterIssuer for real certificates. */
    public readonly clusterIssuer: pulumi.Output<string>;
    /** ClusterIssuer for Let's Encrypt's staging service, to test without rate limits. */
    public readonly stagingClusterIssuer: pulumi.Output<string>;

    constructor(name: string, args: StaticIpIngressArgs, opts?: pulumi.ComponentResourceOptions) {
        // Arguments EksHub or GkeHub built from their validated ingress option are not checked twice.
        if (!isValidated(args)) {
            throwIfProblems(`StaticIpIngress "${name}"`, validateStaticIpIngressArgs(args));
        }
        super("course-hubs:ingress:StaticIpIngress", name, {}, opts);
        const parented = { parent: this };
        const inCluster = { parent: this, provider: args.provider };
        const addressOptions = { ...parented, protect: args.protectAddress ?? false };
        const className = "traefik";

        let service: ControllerService;
        let records: pulumi.Output<string[]>;
        if (args.address.cloud === "gcp") {
            const address = new compute.Address(`${name}-address`, {
                region: args.address.region,
                addressType: "EXTERNAL",
                networkTier: "PREMIUM",
                labels: courseLabels(args.identity),
            }, addressOptions);
            service = { loadBalancerIP: address.address, annotations: {} };
            records = pulumi.output([address.address]);
        } else {
            const tags = courseTags(args.identity);
            const addresses = args.address.subnetIds.map((_, i) =>
                new ec2.Eip(`${name}-address-${i + 1}`, { domain: "vpc", tags: { ...tags, Name: `${name}-${i + 1}` } }, addressOptions));
            service = {
                annotations: {
                    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
                    "service.beta.kubernetes.io/aws-load-balancer-subnets": pulumi.all(args.address.subnetIds).apply((ids) => ids.join(",")),
                    "service.beta.kubernetes.io/aws-load-balancer-eip-allocations": pulumi.all(addresses.map((a) => a.allocationId))
                        .apply((ids) => ids.join(",")),
                    "service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags": Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(","),
                },
            };
            records = pulumi.all(addresses.map((a) => a.publicIp));
        }

        const labels = courseLabels(args.identity);
        const namespace = new core.Namespace(`${name}-namespace`, { metadata: { name: args.namespace ?? "ingress", labels } }, inCluster);
        const traefik = INGRESS_CHARTS.traefik;
        const controllerRelease = new helm.Release(`${name}-controller`, {
            name: traefik.chart,
            namespace: namespace.metadata.name,
            chart: traefik.chart,
            version: traefik.version,
            repositoryOpts: { repo: traefik.repository },
            values: traefikValues(className, service),
            // Uninstalling waits until every object of the release is gone, its LoadBalancer Service
            // too, which the service controller lets go only once the cloud has deleted the load
            // balancer: only then is the reserved address (an input of these values) released.
            timeout: CONTROLLER_RELEASE_TIMEOUT_SECONDS,
        }, inCluster);

        const certManagerNamespace = new core.Namespace(`${name}-cert-manager-namespace`, { metadata: { name: "cert-manager", labels } }, inCluster);
        const certManager = new helm.Release(`${name}-cert-manager`, {
            name: "cert-manager",
            namespace: certManagerNamespace.metadata.name,
            chart: INGRESS_CHARTS.certManager.chart,
            version: INGRESS_CHARTS.certManager.version,
            repositoryOpts: { repo: INGRESS_CHARTS.certManager.repository },
            values: certManagerValues(),
        }, inCluster);
        const issuer = (environment: "production" | "staging") => new CustomResource(`${name}-letsencrypt-${environment}`, {
            apiVersion: "cert-manager.io/v1",
            kind: "ClusterIssuer",
            metadata: { name: `letsencrypt-${environment}`, labels },
            spec: {
                acme: {
                    email: args.letsEncryptEmail,
                    server: LETS_ENCRYPT[environment],
                    privateKeySecretRef: { name: `letsencrypt-${environment}-account` },
                    solvers: [{ http01: { ingress: { ingressClassName: className } } }],
                },
            },
        }, { ...inCluster, dependsOn: [certManager, controllerRelease] });
        const production = issuer("production");
        const staging = issuer("staging");

        if (args.dns) {
            this.createDnsRecords(name, args.dns, records);
        }

        this.ips = records;
        this.ip = records.apply((ips) => ips[0]);
        this.ingressClassName = controllerRelease.status.apply(() => className);
        this.clusterIssuer = production.metadata.name;
        this.stagingClusterIssuer = staging.metadata.name;
        this.registerOutputs({ ip: this.ip, ips: this.ips, ingressClassName: this.ingressClassName, clusterIssuer: this.clusterIssuer });
    }

    private createDnsRecords(name: string, records: GcpDns | AwsDns, addresses: pulumi.Output<string[]>): void {
        for (const hostname of records.hostnames) {
            const recordName = `${name}-dns-${hostname}`;
            if (records.cloud === "gcp") {
                new dns.RecordSet(recordName, {
                    managedZone: records.managedZone, name: `${hostname}.`, type: "A", ttl: 300, rrdatas: addresses,
                }, { parent: this });
            } else {
                new route53.Record(recordName, {
                    zoneId: records.hostedZoneId, name: hostname, type: "A", ttl: 300, records: addresses,
                }, { parent: this });
            }
        }
    }
}

/** The controller's Service: on the reserved address (GCP) or with the load balancer's annotations (AWS). */
export interface ControllerService {
    loadBalancerIP?: pulumi.Input<string>;
    annotations: Record<string, pulumi.Input<string>>;
}

/**
 * Values of the Traefik chart at {@link INGRESS_CHARTS}.traefik (41.x), in that chart's own keys
 * (its values schema rejects unknown keys, and older keys were silently ignored before it did):
 * one LoadBalancer Service on the reserved address with `externalTrafficPolicy: Local` so that
 * JupyterHub sees students' real addresses; plain HTTP only redirects to HTTPS (Let's Encrypt
 * follows the redirect for its HTTP-01 challenge); an IngressClass that is not the cluster's
 * default; no call home to check for new versions or send usage data.
 */
export function traefikValues(className: string, service: ControllerService): Record<string, unknown> {
    return {
        // Not `globalArguments`: the chart dropped it in v36 and its schema refuses it from v39.
        global: { checkNewVersion: false, sendAnonymousUsage: false },
        ingressClass: { enabled: true, isDefaultClass: false, name: className },
        providers: { kubernetesIngress: { publishedService: { enabled: true } } },
        // The Service type sits in `service.spec` from chart v40 (`service.type` is ignored).
        service: {
            annotations: service.annotations,
            spec: { type: "LoadBalancer", externalTrafficPolicy: "Local", ...(service.loadBalancerIP ? { loadBalancerIP: service.loadBalancerIP } : {}) },
        },
        // Port options sit under `http` from chart v39 (the schema refuses `ports.web.redirections`).
        ports: { web: { http: { redirections: { entryPoint: { to: "websecure", scheme: "https", permanent: true } } } } },
    };
}

/** Values of the cert-manager chart at {@link INGRESS_CHARTS}.certManager: it installs its own CRDs. */
export function certManagerValues(): Record<string, unknown> {
    return { crds: { enabled: true } };
}
