import { X509Certificate } from "node:crypto";
import { parseCidr } from "../cidr";
import { ProblemCollector } from "../validation";
import { CertificateHttps, HubSpec } from "./spec";

/*
 * Who may reach a hub, and with which certificate: the rules of `allowedSourceRanges` and of
 * `https.mode: "certificate"` that the schema cannot state.
 */

/** The most characters of an SSM standard-tier parameter, which holds each certificate of a chain on EC2. */
export const MAX_CERTIFICATE_CHARACTERS = 4096;

/** The PEM blocks of a certificate chain, in order, each as written. */
export function certificateBlocks(chain: string): string[] {
    return chain.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

/** Checks the parts of `spec` that `valid` (its schema) leaves valid: source ranges, and a certificate of one's own. */
export function checkNetworkAccess(check: ProblemCollector, path: string, spec: HubSpec, valid: (part: string) => boolean): void {
    if (valid("allowedSourceRanges")) {
        checkSourceRanges(check, `${path}.allowedSourceRanges`, spec.allowedSourceRanges ?? []);
    }
    if (valid("https") && valid("hostname") && spec.https.mode === "certificate") {
        checkCertificateChain(check, `${path}.https.certificateChain`, spec.https, spec.hostname);
    }
}

function checkSourceRanges(check: ProblemCollector, path: string, ranges: string[]): void {
    const seen = new Map<string, number>();
    ranges.forEach((range, i) => {
        const cidr = parseCidr(range);
        if ("problem" in cidr) {
            check.add(`${path}[${i}]`, cidr.problem);
        } else if (cidr.everyone) {
            const family = cidr.family === "ipv4" ? "IPv4" : "IPv6";
            check.add(`${path}[${i}]`, `"${range}" is every ${family} address: to let everyone in, leave allowedSourceRanges out`);
        } else if (cidr.hostBitsSet) {
            check.add(`${path}[${i}]`, `"${range}" has bits set past its /${cidr.prefix} prefix, so it means ${cidr.masked}: write ${cidr.masked}, `
                + `or /${cidr.family === "ipv4" ? 32 : 128} for that one address`);
        } else if (seen.has(cidr.masked)) {
            check.add(`${path}[${i}]`, `"${range}" is listed already (item ${seen.get(cidr.masked)})`);
        } else {
            seen.set(cidr.masked, i);
        }
    });
}

/**
 * Each block of the chain is a certificate that fits an SSM standard parameter, and the first, the
 * hub's own, names the hub's hostname and has not expired: a browser would refuse it otherwise.
 */
function checkCertificateChain(check: ProblemCollector, path: string, https: CertificateHttps, hostname: string): void {
    const certificates = certificateBlocks(https.certificateChain).map((block, i) => {
        if (block.length > MAX_CERTIFICATE_CHARACTERS) {
            check.add(path, `certificate ${i + 1} of the chain has ${block.length} characters; each is stored in an SSM standard parameter `
                + `of at most ${MAX_CERTIFICATE_CHARACTERS}`);
        }
        try {
            return new X509Certificate(block);
        } catch {
            check.add(path, `certificate ${i + 1} of the chain is not a readable PEM certificate`);
            return undefined;
        }
    });
    const own = certificates[0];
    if (own === undefined) {
        return;
    }
    if (own.checkHost(hostname) === undefined) {
        check.add(path, `the first certificate, which the hub presents, is for ${own.subjectAltName ?? own.subject}, not for ${hostname}: `
            + "put the hub's own certificate first, then its intermediates");
    }
    if (Date.parse(own.validTo) <= Date.now()) {
        check.add(path, `the hub's certificate expired on ${own.validTo}: give its renewed chain`);
    }
}
