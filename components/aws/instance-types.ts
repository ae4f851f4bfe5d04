/**
 * An EC2 instance type, such as `m6i.xlarge`.
 * @pattern ^[a-z][a-z0-9-]*\.[a-z0-9]+$
 * @patternErrorMessage use an EC2 instance type such as m6i.xlarge
 */
export type Ec2InstanceType = string;

/** Graviton (arm64) families carry a `g` after the generation digit: t4g, m7g, c7gn. */
export function isArmInstanceType(instanceType: string): boolean {
    return /^[a-z]+\d+g[a-z]*\./.test(instanceType);
}

/** What limits the pods of a node on the VPC CNI: network interfaces, IPv4 addresses per interface, hypervisor. */
export interface EniLimits {
    enis: number;
    ipv4PerEni: number;
    vcpus: number;
    /** Nitro types can take /28 prefixes per address slot (prefix delegation); Xen (t2) cannot. */
    nitro: boolean;
}

/**
 * ENI limits of the instance types a core group may use, from the VPC CNI's table
 * (aws/amazon-vpc-cni-k8s pkg/vpc/vpc_ip_resource_limit.go and misc/eni-max-pods.txt, August 2026).
 * A type not listed is refused for the core group: its pod capacity cannot be checked.
 */
export const CORE_INSTANCE_TYPES: Record<string, EniLimits> = {
    "t2.medium": { enis: 3, ipv4PerEni: 6, vcpus: 2, nitro: false },
    "t2.large": { enis: 3, ipv4PerEni: 12, vcpus: 2, nitro: false },
    "t3.small": { enis: 3, ipv4PerEni: 4, vcpus: 2, nitro: true },
    "t3.medium": { enis: 3, ipv4PerEni: 6, vcpus: 2, nitro: true },
    "t3.large": { enis: 3, ipv4PerEni: 12, vcpus: 2, nitro: true },
    "t3.xlarge": { enis: 4, ipv4PerEni: 15, vcpus: 4, nitro: true },
    "t3a.medium": { enis: 3, ipv4PerEni: 6, vcpus: 2, nitro: true },
    "t3a.large": { enis: 3, ipv4PerEni: 12, vcpus: 2, nitro: true },
    "t3a.xlarge": { enis: 4, ipv4PerEni: 15, vcpus: 4, nitro: true },
    "t4g.small": { enis: 3, ipv4PerEni: 4, vcpus: 2, nitro: true },
    "t4g.medium": { enis: 3, ipv4PerEni: 6, vcpus: 2, nitro: true },
    "t4g.large": { enis: 3, ipv4PerEni: 12, vcpus: 2, nitro: true },
    "t4g.xlarge": { enis: 4, ipv4PerEni: 15, vcpus: 4, nitro: true },
    "m5.large": { enis: 3, ipv4PerEni: 10, vcpus: 2, nitro: true },
    "m6i.large": { enis: 3, ipv4PerEni: 10, vcpus: 2, nitro: true },
    "m6a.large": { enis: 3, ipv4PerEni: 10, vcpus: 2, nitro: true },
    "m6g.large": { enis: 3, ipv4PerEni: 10, vcpus: 2, nitro: true },
    "m7i.large": { enis: 3, ipv4PerEni: 10, vcpus: 2, nitro: true },
    "m7g.large": { enis: 3, ipv4PerEni: 10, vcpus: 2, nitro: true },
    "c6i.large": { enis: 3, ipv4PerEni: 10, vcpus: 2, nitro: true },
    "c7g.large": { enis: 3, ipv4PerEni: 10, vcpus: 2, nitro: true },
    "r6i.large": { enis: 3, ipv4PerEni: 10, vcpus: 2, nitro: true },
    "r7g.large": { enis: 3, ipv4PerEni: 10, vcpus: 2, nitro: true },
};

/**
 * Pods a node of this type may run on the VPC CNI (the kubelet's maxPods as EKS managed node
 * groups set it without a custom AMI): ENIs x (IPv4 per ENI - 1) + 2 (aws-node and kube-proxy use
 * the host network); with prefix delegation on a Nitro type each slot is a /28 of 16 addresses,
 * and EKS caps managed nodes at 110 pods under 30 vCPUs, 250 above. Undefined for an unknown type.
 */
export function maxPodsOf(instanceType: string, prefixDelegation: boolean): number | undefined {
    const limits = CORE_INSTANCE_TYPES[instanceType];
    if (!limits) {
        return undefined;
    }
    const slots = limits.enis * (limits.ipv4PerEni - 1);
    if (!prefixDelegation || !limits.nitro) {
        return slots + 2;
    }
    return Math.min(slots * 16 + 2, limits.vcpus < 30 ? 110 : 250);
}
