/** An EC2 instance type, such as m6i.xlarge. */
export const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/** Graviton (arm64) families carry a `g` after the generation digit: t4g, m7g, c7gn. */
export function isArmInstanceType(instanceType: string): boolean {
    return /^[a-z]+\d+g[a-z]*\./.test(instanceType);
}
