import * as pulumi from "@pulumi/pulumi";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { EmailAddress } from "../shapes";
import { CourseIdentity, courseIdentity } from "../tags";
import { Problem } from "../validation";
import { validated } from "../validated";
import { AwsAddresses, AwsDns, GcpAddress, GcpDns, IngressController, StaticIpIngress, nginxIncRefusal, repeatedHostnames } from "./static-ip-ingress";

/**
 * The `ingress` option of a platform component (EksHub, GkeHub): a StaticIpIngress on the
 * component's own cluster, described by what only the user knows.
 */
export interface PlatformIngressOptions<Dns> {
    /**
     * Address Let's Encrypt writes to about expiring certificates.
     * @requiredMessage Let's Encrypt needs an address for expiry notices
     */
    letsEncryptEmail: EmailAddress;
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
    // The platform component's validator checked the option (ingressOptionProblems and its schema);
    // the identity is its validated spec's, the address its own.
    return new StaticIpIngress(`${name}-ingress`, validated({
        identity: courseIdentity(identity),
        provider,
        address,
        letsEncryptEmail: options.letsEncryptEmail,
        controller: options.controller,
        dns: options.dns ? { cloud: address.cloud, ...options.dns } as GcpDns | AwsDns : undefined,
        protectAddress: options.protectAddress,
    }, []), opts);
}

/**
 * The rules of the `ingress` option of a platform component (EksHub, GkeHub) that its schema does
 * not state: why the refused controller is refused, and the spec's HTTPS mode it serves.
 */
export function ingressOptionProblems(ingress: PlatformIngressOptions<unknown> | undefined, httpsMode: string | undefined): Problem[] {
    const problems: Problem[] = [];
    if (ingress === undefined) {
        return problems;
    }
    if ((ingress.controller as string | undefined) === "nginx-inc") {
        problems.push({ propertyPath: "ingress.controller", reason: nginxIncRefusal("ingress.controller") });
    }
    const hostnames = (ingress.dns as { hostnames?: unknown } | undefined)?.hostnames;
    if (Array.isArray(hostnames)) {
        problems.push(...repeatedHostnames(hostnames, "ingress.dns.hostnames"));
    }
    if (httpsMode !== undefined && httpsMode !== "ingress") {
        problems.push({
            propertyPath: "ingress",
            reason: `the hub is served through the ingress only with spec.https.mode "ingress" (the spec says "${httpsMode}")`,
        });
    }
    return problems;
}
