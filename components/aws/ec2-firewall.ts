import { parseCidr } from "../cidr";
import { HubSpec } from "../hub/spec";

/** One rule of the hub VM's security group: a port open to one block of addresses. */
export interface HubIngressRule {
    /** The rule's resource name after the hub's: stable, so that a deployed hub keeps its rules. */
    role: string;
    port: number;
    cidrIpv4?: string;
    cidrIpv6?: string;
}

const EVERYONE = [{ family: "ipv4", cidrIpv4: "0.0.0.0/0" }, { family: "ipv6", cidrIpv6: "::/0" }] as const;

/**
 * Who may reach the hub VM: port 80 everyone, always, since Caddy answers Let's Encrypt's HTTP-01
 * challenge there (and otherwise only redirects to HTTPS, so it shows nothing of the hub); port 443
 * everyone, or only `allowedSourceRanges`. Pure.
 */
export function hubIngressRules(spec: Pick<HubSpec, "allowedSourceRanges">): HubIngressRule[] {
    const open = (port: number): HubIngressRule[] => EVERYONE.map(({ family, ...cidr }) => ({ role: `${port}-${family}`, port, ...cidr }));
    const ranges = spec.allowedSourceRanges;
    if (ranges === undefined) {
        return [...open(80), ...open(443)];
    }
    return [
        ...open(80),
        ...ranges.map((range, i): HubIngressRule => {
            const cidr = parseCidr(range);
            const block = "family" in cidr && cidr.family === "ipv6" ? { cidrIpv6: range } : { cidrIpv4: range };
            return { role: `443-allowed-${i + 1}`, port: 443, ...block };
        }),
    ];
}
