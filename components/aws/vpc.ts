import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import { subnetLayout } from "./eks-layout";

/** Subnets and VPC a hub runs in, whether created here or given. */
export interface HubNetwork {
    vpcId: pulumi.Output<string>;
    publicSubnetIds: pulumi.Output<string>[];
    privateSubnetIds: pulumi.Output<string>[];
    /**
     * The subnets' route table associations, and through them the routes and the internet and NAT
     * gateways: how nodes reach the cloud's APIs, which a CSI driver deleting a disk needs until the
     * last Kubernetes object is gone. Empty for a VPC that is given.
     */
    routing: pulumi.Resource[];
}

export interface CourseVpcOptions {
    cidrBlock: string;
    zoneCount: number;
    /**
     * Give the private subnets a way out through one NAT gateway (about $33 a month). Without it
     * they reach only the VPC: enough for the control plane's interfaces and file system mounts.
     */
    natGateway: boolean;
    tags: Record<string, string>;
    /** Extra tags of public / private subnets (load balancer discovery). */
    publicSubnetTags?: Record<string, string>;
    privateSubnetTags?: Record<string, string>;
}

/**
 * A VPC with a public subnet per zone routed to an internet gateway and a private subnet per zone,
 * routed through a single NAT gateway when asked (one, not one per zone: a course does not need
 * zone-redundant egress at $33 a month each).
 */
export function createCourseVpc(name: string, options: CourseVpcOptions, parent: pulumi.Resource): HubNetwork {
    const opts = { parent };
    const tagged = (role: string, extra: Record<string, string> = {}) => ({ ...options.tags, ...extra, Name: `${name}-${role}` });
    const layout = subnetLayout(options.cidrBlock, options.zoneCount);
    const zones = getAvailabilityZonesOutput({ state: "available" }, { parent });

    const vpc = new ec2.Vpc(`${name}-vpc`, {
        cidrBlock: options.cidrBlock,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: tagged("vpc"),
    }, opts);
    const gateway = new ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tagged("igw") }, opts);
    const publicRoutes = new ec2.RouteTable(`${name}-public`, {
        vpcId: vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }],
        tags: tagged("public"),
    }, opts);
    const routing: pulumi.Resource[] = [];
    const publicSubnets = layout.publicCidrs.map((cidrBlock, i) => {
        const subnet = new ec2.Subnet(`${name}-public-${i + 1}`, {
            vpcId: vpc.id,
            cidrBlock,
            availabilityZone: zones.names[i],
            mapPublicIpOnLaunch: true,
            tags: tagged(`public-${i + 1}`, options.publicSubnetTags),
        }, opts);
        routing.push(new ec2.RouteTableAssociation(`${name}-public-${i + 1}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, opts));
        return subnet;
    });

    let natRoute: { cidrBlock: string; natGatewayId: pulumi.Output<string> }[] = [];
    if (options.natGateway) {
        const address = new ec2.Eip(`${name}-nat`, { domain: "vpc", tags: tagged("nat") }, opts);
        const nat = new ec2.NatGateway(`${name}-nat`, {
            allocationId: address.id,
            subnetId: publicSubnets[0].id,
            tags: tagged("nat"),
        }, { ...opts, dependsOn: [gateway] });
        natRoute = [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }];
    }
    const privateRoutes = new ec2.RouteTable(`${name}-private`, { vpcId: vpc.id, routes: natRoute, tags: tagged("private") }, opts);
    const privateSubnets = layout.privateCidrs.map((cidrBlock, i) => {
        const subnet = new ec2.Subnet(`${name}-private-${i + 1}`, {
            vpcId: vpc.id,
            cidrBlock,
            availabilityZone: zones.names[i],
            tags: tagged(`private-${i + 1}`, options.privateSubnetTags),
        }, opts);
        routing.push(new ec2.RouteTableAssociation(`${name}-private-${i + 1}`, { subnetId: subnet.id, routeTableId: privateRoutes.id }, opts));
        return subnet;
    });
    return {
        vpcId: vpc.id,
        publicSubnetIds: publicSubnets.map((s) => s.id),
        privateSubnetIds: privateSubnets.map((s) => s.id),
        routing,
    };
}
