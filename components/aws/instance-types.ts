import { machineType } from "../machine-types";

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

/**
 * Pods a node of this type may run on the VPC CNI (the kubelet's maxPods as EKS managed node
 * groups set it without a custom AMI): ENIs x (IPv4 per ENI - 1) + 2 (aws-node and kube-proxy use
 * the host network); with prefix delegation on a Nitro type each slot is a /28 of 16 addresses,
 * and EKS caps managed nodes at 110 pods up to 30 vCPUs, 250 above. Undefined for a type the
 * machine table does not know.
 */
export function maxPodsOf(instanceType: string, prefixDelegation: boolean): number | undefined {
    const type = machineType("aws", instanceType);
    if (type?.enis === undefined || type.ipv4PerEni === undefined) {
        return undefined;
    }
    const slots = type.enis * (type.ipv4PerEni - 1);
    if (!prefixDelegation || type.nitro === false) {
        return slots + 2;
    }
    return Math.min(slots * 16 + 2, type.vcpus > 30 ? 250 : 110);
}
