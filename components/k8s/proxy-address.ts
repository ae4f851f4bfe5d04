import * as pulumi from "@pulumi/pulumi";
import * as core from "@pulumi/kubernetes/core/v1";
import { JupyterHub } from "../hub/jupyterhub";

/**
 * What the hub's own load balancer answers on, read from the chart's `proxy-public` Service once
 * the release is installed: a host name on AWS (an NLB: point a CNAME at it), an IP address on
 * Google Cloud (an A record). Empty until the cloud has made the load balancer.
 */
export function proxyLoadBalancerAddress(name: string, hub: JupyterHub, inCluster: pulumi.CustomResourceOptions): pulumi.Output<string> {
    const proxy = core.Service.get(`${name}-proxy-public`, pulumi.interpolate`${hub.namespace}/proxy-public`, { ...inCluster, dependsOn: [hub] });
    return proxy.status.apply((status) => {
        const first = status?.loadBalancer?.ingress?.[0];
        return first?.hostname ?? first?.ip ?? "";
    });
}
