import { isIPv4, isIPv6 } from "node:net";

/*
 * CIDR blocks as a person writes them in a stack file, checked the way a firewall reads them: an
 * address of its family, a prefix within the family's width, and no bits set past the prefix (a
 * firewall would silently widen `10.1.2.3/16` to `10.1.0.0/16`, which is seldom what was meant).
 */

/** A CIDR block, understood. */
export interface Cidr {
    family: "ipv4" | "ipv6";
    /** The block as written. */
    text: string;
    prefix: number;
    /** Whether bits past the prefix are set (`10.1.2.3/16`), which a firewall clears. */
    hostBitsSet: boolean;
    /** The block with its host bits cleared, in the family's usual notation. */
    masked: string;
    /** Whether the block is every address of its family (`0.0.0.0/0`, `::/0`). */
    everyone: boolean;
}

/** The block in `text`, or why it is not one. */
export function parseCidr(text: string): Cidr | { problem: string } {
    const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
    if (!match) {
        return { problem: `"${text}" is not a CIDR block: write an address and a prefix length, such as 203.0.113.0/24 or 2001:db8::/32` };
    }
    const [, address, prefixText] = match;
    const family = isIPv4(address) ? "ipv4" : isIPv6(address) ? "ipv6" : undefined;
    if (family === undefined) {
        return { problem: `"${address}" is not an IPv4 or IPv6 address` };
    }
    const bits = family === "ipv4" ? 32 : 128;
    const prefix = Number(prefixText);
    if (prefix > bits) {
        return { problem: `an ${family === "ipv4" ? "IPv4" : "IPv6"} prefix is at most /${bits}, "${text}" has /${prefix}` };
    }
    const value = family === "ipv4" ? ipv4Value(address) : ipv6Value(address);
    const hostBits = BigInt(bits - prefix);
    const maskedValue = (value >> hostBits) << hostBits;
    const masked = `${family === "ipv4" ? formatIpv4(maskedValue) : formatIpv6(maskedValue)}/${prefix}`;
    return { family, text, prefix, hostBitsSet: maskedValue !== value, masked, everyone: prefix === 0 };
}

function ipv4Value(address: string): bigint {
    return address.split(".").reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

/** An IPv6 address as a number: `::` expanded, an embedded IPv4 tail (`::ffff:192.0.2.1`) read as two groups. */
function ipv6Value(address: string): bigint {
    const withIpv4Tail = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(address);
    const hex = withIpv4Tail
        ? `${withIpv4Tail[1]}${((ipv4Value(withIpv4Tail[2]) >> 16n) & 0xffffn).toString(16)}:${(ipv4Value(withIpv4Tail[2]) & 0xffffn).toString(16)}`
        : address;
    const [head, tail] = hex.includes("::") ? hex.split("::") : [hex, undefined];
    const groups = (part: string | undefined) => (part ? part.split(":") : []);
    const missing = 8 - groups(head).length - groups(tail).length;
    const all = tail === undefined ? groups(head) : [...groups(head), ...Array<string>(missing).fill("0"), ...groups(tail)];
    return all.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function formatIpv4(value: bigint): string {
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatIpv6(value: bigint): string {
    const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(16 * (7 - i))) & 0xffffn));
    let best = { start: -1, length: 1 };
    for (let start = 0; start < 8; start++) {
        let length = 0;
        while (start + length < 8 && groups[start + length] === 0) {
            length++;
        }
        if (length > best.length) {
            best = { start, length };
        }
    }
    const text = (part: number[]) => part.map((group) => group.toString(16)).join(":");
    return best.start < 0 ? text(groups) : `${text(groups.slice(0, best.start))}::${text(groups.slice(best.start + best.length))}`;
}
