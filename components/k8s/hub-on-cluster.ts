import * as pulumi from "@pulumi/pulumi";
import * as core from "@pulumi/kubernetes/core/v1";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { HubChartOptions } from "../hub/chart-values";
import { JupyterHub } from "../hub/jupyterhub";
import { JupyterHubPlatformArgs } from "../hub/platform";
import { HubSpec } from "../hub/spec";
import { AwsAddresses, GcpAddress, StaticIpIngress } from "../ingress/static-ip-ingress";
import { createPlatformIngress } from "../ingress/options";
import { Validated, validated } from "../validated";

/** What EksHub and GkeHub hand over once their cluster, nodes and storage exist. */
export interface HubOnClusterArgs {
    spec: Validated<HubSpec>;
    physicalName: string;
    provider: KubernetesProvider;
    /**
     * What the cluster offers this hub: the platform it publishes for other courses on it, with the
     * reserved address of this hub's own load balancer where the cluster reserves one (GkeHub).
     */
    platform: JupyterHubPlatformArgs;
    /** The notebooks' cloud identity: this course's own, so not in the published platform. */
    notebookIdentity?: JupyterHubPlatformArgs["notebookIdentity"];
    /** The shared entry point to create, and where its address lives. */
    ingress?: { options: Parameters<typeof createPlatformIngress>[1]; address: GcpAddress | AwsAddresses; dependsOn: pulumi.Resource[] };
    chart?: HubChartOptions;
    /** What the hub's chart needs in place first (storage classes, the autoscaler). */
    dependsOn: pulumi.Resource[];
}

/**
 * The part EksHub and GkeHub share once their cluster is ready: the optional shared entry point,
 * the hub, and the address its hostname points at (the entry point's, else the hub's own load
 * balancer's).
 */
export function installHubOnCluster(parent: pulumi.ComponentResource, name: string, args: HubOnClusterArgs): {
    ingress?: StaticIpIngress; hub: JupyterHub; address: pulumi.Output<string>;
} {
    const ingress = args.ingress
        ? createPlatformIngress(name, args.ingress.options, args.spec, args.provider, args.ingress.address, { parent, dependsOn: args.ingress.dependsOn })
        : undefined;
    // EksHub's and GkeHub's validators checked these arguments already, on the same platform with
    // stand-ins for what deployment produces (hubAdditionsBeforeDeployment): JupyterHub need not.
    const hub = new JupyterHub(`${name}-hub`, validated({
        spec: args.spec,
        physicalName: args.physicalName,
        provider: args.provider,
        ingress,
        platform: { ...args.platform, notebookIdentity: args.notebookIdentity },
        values: args.chart?.values,
        chartVersion: args.chart?.version,
    }, []), { parent, dependsOn: args.dependsOn });
    const address = ingress ? ingress.ip : proxyLoadBalancerAddress(name, hub, { parent, provider: args.provider });
    return { ingress, hub, address };
}

/**
 * What the hub's own load balancer answers on, read from the chart's `proxy-public` Service once
 * the release is installed: a host name on AWS (an NLB: point a CNAME at it), an IP address on
 * Google Cloud (an A record). Empty until the cloud has made the load balancer.
 */
function proxyLoadBalancerAddress(name: string, hub: JupyterHub, inCluster: pulumi.CustomResourceOptions): pulumi.Output<string> {
    const proxy = core.Service.get(`${name}-proxy-public`, pulumi.interpolate`${hub.namespace}/proxy-public`, { ...inCluster, dependsOn: [hub] });
    return proxy.status.apply((status) => {
        const first = status?.loadBalancer?.ingress?.[0];
        return first?.hostname ?? first?.ip ?? "";
    });
}
