import * as pulumi from "@pulumi/pulumi";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { CourseIdentity, courseIdentity } from "../tags";
import { EMAIL_PATTERN, ProblemCollector } from "../validation";
import { AwsAddresses, AwsDns, GcpAddress, GcpDns, IngressController, StaticIpIngress, checkIngressController } from "./static-ip-ingress";

/**
 * The `ingress` option of a platform component (EksHub, GkeHub): a StaticIpIngress on the
 * component's own cluster, described by what only the user knows.
 */
export interface PlatformIngressOptions<Dns> {
    /** Address Let's Encrypt writes to about expiring certificates. */
    letsEncryptEmail: string;
    /**
     * The ingress controller: only `"traefik"`. `"nginx-inc"` is refused (NGINX Inc.'s controller
     * keeps cert-manager's HTTP-01 challenges from reaching Let's Encrypt).
     * @default "traefik"
     */
    controller?: IngressController;
    /** DNS records for the hostnames, in the platform's own DNS service. @default none */
    dns?: Dns;
    /** Protect the reserved address from `pulumi destroy`. @default false */
    protectAddress?: boolean;
}

/** Creates the StaticIpIngress a platform component's `ingress` option describes. */
export function createPlatformIngress(
    name: string,
    options: PlatformIngressOptions<Omit<GcpDns, "cloud"> | Omit<AwsDns, "cloud">>,
    identity: CourseIdentity,
    provider: KubernetesProvider,
    address: GcpAddress | AwsAddresses,
    opts: pulumi.ComponentResourceOptions,
): StaticIpIngress {
    return new StaticIpIngress(`${name}-ingress`, {
        identity: courseIdentity(identity),
        provider,
        address,
        letsEncryptEmail: options.letsEncryptEmail,
        controller: options.controller,
        dns: options.dns ? { cloud: address.cloud, ...options.dns } as GcpDns | AwsDns : undefined,
        protectAddress: options.protectAddress,
    }, opts);
}

/** How a platform's DNS zone is named in its ingress options. */
export interface DnsZoneKey {
    key: "hostedZoneId" | "managedZone";
    pattern: RegExp;
    help: string;
}

export const ROUTE53_ZONE: DnsZoneKey = { key: "hostedZoneId", pattern: /^Z[A-Z0-9]+$/, help: "use a Route 53 hosted zone ID, Z..." };
export const CLOUD_DNS_ZONE: DnsZoneKey = { key: "managedZone", pattern: /^[a-z][a-z0-9-]{0,62}$/, help: "use the managed zone's name (not its DNS name)" };

/**
 * Checks the `ingress` option of a platform component (EksHub, GkeHub), which creates a
 * StaticIpIngress on its own cluster, against the spec's HTTPS mode.
 */
export function checkIngressOptions(check: ProblemCollector, ingress: unknown, httpsMode: unknown, zone: DnsZoneKey): void {
    if (ingress === undefined || !check.isObject("ingress", ingress)) {
        return;
    }
    check.knownKeys("ingress", ingress, ["letsEncryptEmail", "controller", "dns", "protectAddress"]);
    if (check.present("ingress.letsEncryptEmail", ingress.letsEncryptEmail, "Let's Encrypt needs an address for expiry notices")) {
        check.isString("ingress.letsEncryptEmail", ingress.letsEncryptEmail, EMAIL_PATTERN, "use an email address");
    }
    checkIngressController(check, "ingress.controller", ingress.controller);
    if (ingress.dns !== undefined && check.isObject("ingress.dns", ingress.dns)) {
        check.knownKeys("ingress.dns", ingress.dns, [zone.key, "hostnames"]);
        check.isString(`ingress.dns.${zone.key}`, ingress.dns[zone.key], zone.pattern, zone.help);
        check.isArray("ingress.dns.hostnames", ingress.dns.hostnames, (p, h) => check.isString(p, h));
    }
    if (ingress.protectAddress !== undefined) {
        check.isBoolean("ingress.protectAddress", ingress.protectAddress);
    }
    if (httpsMode !== undefined && httpsMode !== "ingress") {
        check.add("ingress", `the hub is served through the ingress only with spec.https.mode "ingress" (the spec says "${httpsMode}")`);
    }
}
