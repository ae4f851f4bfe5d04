import { strict as assert } from "node:assert";
import {
    HubSpec, PlatformCapabilities, Z2jhPlatform, clusterCapabilities, ec2Capabilities, eksCapabilities, gkeCapabilities, hubClusterObjects,
    hubSpecProblems, toZ2jhValues, validateHubSpec,
} from "../../components";
import { parseCidr } from "../../components/cidr";
import { certificateBlocks } from "../../components/hub/network-access";
import {
    CERTIFICATE_HTTPS, FULL_PLATFORM, HTTPS_MODES, MINIMAL_SPEC, OTHER_HOST_CERTIFICATE, TEST_CERTIFICATE_CHAIN, TEST_PRIVATE_KEY, forCluster,
} from "../support/specs";
import { isSecret, unwrapSecrets } from "../setup-mocks";
import { one } from "../support/program";
import { SECRET_PLACEHOLDER, deploy, stackConfig } from "../support/stacks";
import { z2jhSchemaErrors } from "../support/z2jh-schema";

const CAMPUS = ["198.51.100.0/22", "203.0.113.0/24"];
const problemsOf = (spec: HubSpec, capabilities: PlatformCapabilities) => hubSpecProblems(spec, capabilities).map((p) => `${p.propertyPath}: ${p.reason}`);

describe("CIDR blocks (parseCidr)", () => {
    it("reads IPv4 and IPv6 blocks, an IPv4 tail and leading zeros included", () => {
        const read = (text: string) => {
            const cidr = parseCidr(text);
            assert.ok("family" in cidr, `${text}: ${JSON.stringify(cidr)}`);
            return [cidr.family, cidr.prefix, cidr.hostBitsSet, cidr.masked, cidr.everyone];
        };
        assert.deepEqual(read("203.0.113.0/24"), ["ipv4", 24, false, "203.0.113.0/24", false]);
        assert.deepEqual(read("203.0.113.9/32"), ["ipv4", 32, false, "203.0.113.9/32", false]);
        assert.deepEqual(read("0.0.0.0/0"), ["ipv4", 0, false, "0.0.0.0/0", true]);
        assert.deepEqual(read("2001:0DB8:0000::/32"), ["ipv6", 32, false, "2001:db8::/32", false]);
        assert.deepEqual(read("2001:db8:1234:5678::1/48"), ["ipv6", 48, true, "2001:db8:1234::/48", false]);
        assert.deepEqual(read("::ffff:192.0.2.128/121"), ["ipv6", 121, false, "::ffff:c000:280/121", false]);
        assert.deepEqual(read("fe80::1:0:0:1/64"), ["ipv6", 64, true, "fe80::/64", false]);
        assert.deepEqual(read("::/0"), ["ipv6", 0, false, "::/0", true]);
    });

    it("finds bits set past the prefix and says the block they mean", () => {
        const cidr = parseCidr("10.1.2.3/16");
        assert.ok("family" in cidr);
        assert.deepEqual([cidr.hostBitsSet, cidr.masked], [true, "10.1.0.0/16"]);
    });

    it("says what is wrong with what is not a block", () => {
        const problem = (text: string) => {
            const cidr = parseCidr(text);
            return "problem" in cidr ? cidr.problem : "";
        };
        assert.match(problem("198.51.100.0"), /is not a CIDR block: write an address and a prefix length/);
        assert.match(problem("256.1.1.0/24"), /"256\.1\.1\.0" is not an IPv4 or IPv6 address/);
        assert.match(problem("2001:db8::g/32"), /is not an IPv4 or IPv6 address/);
        assert.match(problem("198.51.100.0/33"), /an IPv4 prefix is at most \/32/);
        assert.match(problem("2001:db8::/129"), /an IPv6 prefix is at most \/128/);
    });
});

describe("spec.allowedSourceRanges", () => {
    const withRanges = (ranges: unknown, https = HTTPS_MODES.secret) => ({ ...MINIMAL_SPEC, https, allowedSourceRanges: ranges }) as HubSpec;
    const problems = (ranges: unknown) => validateHubSpec(withRanges(ranges)).map((p) => `${p.propertyPath}: ${p.reason}`);

    it("accepts campus blocks of either family", () => {
        assert.deepEqual(problems([...CAMPUS, "2001:db8:1234::/48", "192.0.2.7/32"]), []);
    });

    it("refuses, by item, a block with host bits set (naming its masked form), everyone, a bad address, the same block twice", () => {
        assert.deepEqual(problems(["10.1.2.3/16", "0.0.0.0/0", "::/0", "300.1.1.0/24", "2001:db8::/32", "2001:0db8:0::/32"]), [
            "spec.allowedSourceRanges[0]: \"10.1.2.3/16\" has bits set past its /16 prefix, so it means 10.1.0.0/16: "
            + "write 10.1.0.0/16, or /32 for that one address",
            "spec.allowedSourceRanges[1]: \"0.0.0.0/0\" is every IPv4 address: to let everyone in, leave allowedSourceRanges out",
            "spec.allowedSourceRanges[2]: \"::/0\" is every IPv6 address: to let everyone in, leave allowedSourceRanges out",
            "spec.allowedSourceRanges[3]: \"300.1.1.0\" is not an IPv4 or IPv6 address",
            "spec.allowedSourceRanges[5]: \"2001:0db8:0::/32\" is listed already (item 4)",
        ]);
    });

    it("refuses an empty list (which would let no one in) and what is not a CIDR block at all", () => {
        assert.equal(problems([]).length, 1);
        assert.match(problems([])[0], /^spec\.allowedSourceRanges: /);
        assert.deepEqual(problems(["campus"]),
            ["spec.allowedSourceRanges[0]: \"campus\" is not valid: use a CIDR block such as 203.0.113.0/24 or 2001:db8::/32"]);
    });

    it("is refused with Let's Encrypt on every Kubernetes platform (port 80 would close to its HTTP-01 challenge), not on EC2", () => {
        const spec = withRanges(CAMPUS, HTTPS_MODES.letsencrypt);
        const kubernetes = [clusterCapabilities(FULL_PLATFORM), eksCapabilities({}), gkeCapabilities({})];
        for (const capabilities of kubernetes) {
            const [refusal, ...rest] = problemsOf(spec, capabilities);
            assert.deepEqual(rest, []);
            assert.match(refusal, /^spec\.allowedSourceRanges: with https\.mode "letsencrypt", .*port 80 too.*HTTP-01.*use https\.mode "secret"/);
        }
        assert.deepEqual(problemsOf(spec, ec2Capabilities({})), []);
    });

    it("is served on the hub's own load balancer (secret, offload) and through a Traefik ingress", () => {
        const eks = eksCapabilities({ ingress: { letsEncryptEmail: "course-it@example.edu" } });
        for (const https of [HTTPS_MODES.secret, HTTPS_MODES.offload, HTTPS_MODES.ingress]) {
            assert.deepEqual(problemsOf(withRanges(CAMPUS, https), eks), [], https.mode);
            assert.deepEqual(problemsOf(withRanges(CAMPUS, https), clusterCapabilities(FULL_PLATFORM)), [], https.mode);
        }
    });

    it("with an ingress controller not known to be Traefik, is refused and says how to declare it", () => {
        const unknown = { ...FULL_PLATFORM, ingress: { className: "nginx", clusterIssuer: "letsencrypt" } };
        assert.deepEqual(problemsOf(withRanges(CAMPUS, HTTPS_MODES.ingress), clusterCapabilities(unknown, "course-hubs:kubernetes.platform")), [
            "spec.allowedSourceRanges: with https.mode \"ingress\", only a Traefik controller's per-Ingress allow list is rendered (the shared load "
            + "balancer serves every hub on the cluster): if yours is Traefik (a StaticIpIngress is), say so with course-hubs:kubernetes.platform."
            + "ingress.controller: \"traefik\"; else give the hub a load balancer of its own (https.mode \"secret\" or \"offload\")",
        ]);
    });

    it("refuses IPv6 blocks, by item, where the hub is reached over IPv4 only (EksHub, GkeHub, EC2), not on a cluster of one's own", () => {
        const spec = withRanges(["198.51.100.0/22", "2001:db8:1234::/48"]);
        const onEc2 = { ...spec, https: HTTPS_MODES.letsencrypt };
        for (const [served, capabilities] of [[spec, eksCapabilities({})], [spec, gkeCapabilities({})], [onEc2, ec2Capabilities({})]] as const) {
            const refused = problemsOf(served, capabilities);
            assert.equal(refused.length, 1, refused.join("\n"));
            assert.match(refused[0], /^spec\.allowedSourceRanges\[1\]: the hub's address is IPv4 only/);
        }
        assert.deepEqual(problemsOf(spec, clusterCapabilities(FULL_PLATFORM)), []);
    });

    it("becomes the proxy Service's loadBalancerSourceRanges, which the chart's schema accepts", () => {
        for (const https of [HTTPS_MODES.secret, HTTPS_MODES.offload]) {
            const values = toZ2jhValues(forCluster(withRanges(CAMPUS, https), FULL_PLATFORM), FULL_PLATFORM);
            assert.deepEqual(values.proxy.service.loadBalancerSourceRanges, CAMPUS);
            assert.deepEqual(z2jhSchemaErrors(values), []);
        }
        const open = toZ2jhValues(forCluster({ ...MINIMAL_SPEC, https: HTTPS_MODES.secret }, FULL_PLATFORM), FULL_PLATFORM);
        assert.ok(!("loadBalancerSourceRanges" in open.proxy.service), "everyone, without the option");
    });

    it("through a Traefik ingress, becomes a Middleware in the hub's namespace that only the hub's Ingress uses", () => {
        const spec = forCluster(withRanges(CAMPUS, HTTPS_MODES.ingress), FULL_PLATFORM);
        const values = toZ2jhValues(spec, FULL_PLATFORM as Z2jhPlatform, "cs101-fall-2026-staging");
        assert.equal(values.ingress.annotations["traefik.ingress.kubernetes.io/router.middlewares"],
            "cs101-fall-2026-staging-course-hub-allowed-sources@kubernetescrd");
        assert.equal(values.proxy.service.type, "ClusterIP");
        assert.ok(!("loadBalancerSourceRanges" in values.proxy.service), "the shared load balancer is not the hub's");
        assert.deepEqual(z2jhSchemaErrors(values), []);
        assert.deepEqual(hubClusterObjects(spec, FULL_PLATFORM).allowedSourcesMiddleware, { ipAllowList: { sourceRange: CAMPUS } });
        // The namespace defaults to the JupyterHub component's: the course and term.
        assert.equal(toZ2jhValues(spec, FULL_PLATFORM).ingress.annotations["traefik.ingress.kubernetes.io/router.middlewares"],
            "cs101-fall-2026-course-hub-allowed-sources@kubernetescrd");
        const open = forCluster({ ...MINIMAL_SPEC, https: HTTPS_MODES.ingress }, FULL_PLATFORM);
        assert.ok(!("traefik.ingress.kubernetes.io/router.middlewares" in toZ2jhValues(open, FULL_PLATFORM).ingress.annotations));
        assert.equal(hubClusterObjects(open, FULL_PLATFORM).allowedSourcesMiddleware, undefined);
    });
});

describe("spec.https mode \"certificate\"", () => {
    const withChain = (certificateChain: string) => ({ ...MINIMAL_SPEC, https: { ...CERTIFICATE_HTTPS, certificateChain } }) as HubSpec;
    const chainProblems = (certificateChain: string) => validateHubSpec(withChain(certificateChain)).map((p) => `${p.propertyPath}: ${p.reason}`);

    it("accepts the hub's certificate followed by its intermediate", () => {
        assert.deepEqual(certificateBlocks(TEST_CERTIFICATE_CHAIN).length, 2);
        assert.deepEqual(chainProblems(TEST_CERTIFICATE_CHAIN), []);
    });

    it("refuses a chain whose first certificate is another host's, or the intermediate first", () => {
        assert.match(chainProblems(OTHER_HOST_CERTIFICATE)[0],
            /^spec\.https\.certificateChain: the first certificate, which the hub presents, is for DNS:other\.example\.org, not for cs101\.hubs\.example\.edu/);
        const [own, intermediate] = certificateBlocks(TEST_CERTIFICATE_CHAIN);
        assert.equal(chainProblems(`${intermediate}\n${own}\n`).length, 1);
    });

    it("refuses an expired certificate", () => {
        const now = Date.now;
        Date.now = () => Date.parse("2200-01-01T00:00:00Z");
        try {
            assert.deepEqual(chainProblems(TEST_CERTIFICATE_CHAIN).map((p) => p.replace(/expired on .*: /, "expired on <date>: ")),
                ["spec.https.certificateChain: the hub's certificate expired on <date>: give its renewed chain"]);
        } finally {
            Date.now = now;
        }
    });

    it("refuses what is not PEM, a block that is not a certificate, and a certificate too long for an SSM standard parameter", () => {
        assert.deepEqual(chainProblems("MIIB0TCCAXegAwIBAgIU"), [
            "spec.https.certificateChain: \"MIIB0TCCAXegAwIBAgIU\" is not valid: give the certificate chain in PEM: "
            + "-----BEGIN CERTIFICATE----- blocks, the hub's certificate first, then its intermediates",
        ]);
        const garbled = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert.deepEqual(chainProblems(`${TEST_CERTIFICATE_CHAIN}${garbled}`),
            ["spec.https.certificateChain: certificate 3 of the chain is not a readable PEM certificate"]);
        const long = `-----BEGIN CERTIFICATE-----\n${"A".repeat(4100)}\n-----END CERTIFICATE-----\n`;
        assert.ok(chainProblems(`${TEST_CERTIFICATE_CHAIN}${long}`)
            .includes("spec.https.certificateChain: certificate 3 of the chain has 4154 characters; "
                + "each is stored in an SSM standard parameter of at most 4096"));
    });

    it("is refused on Kubernetes, saying to put the certificate in a TLS Secret; served on EC2", () => {
        const spec = withChain(TEST_CERTIFICATE_CHAIN);
        for (const capabilities of [clusterCapabilities(FULL_PLATFORM), eksCapabilities({}), gkeCapabilities({})]) {
            assert.deepEqual(problemsOf(spec, capabilities), [
                "spec.https.mode: on Kubernetes a certificate of your own goes in a TLS Secret in the hub's namespace "
                + "(kubectl create secret tls <name> --cert=chain.pem --key=hub.key): use mode \"secret\" with that secretName",
            ]);
        }
        assert.deepEqual(problemsOf(spec, ec2Capabilities({})), []);
    });
});

describe("source ranges and a certificate of one's own in a course stack", () => {
    it("dept-stats-stat200 keeps its hub on the department's shared ingress to the campus: a Middleware its Ingress names", async () => {
        const { resources, error } = await deploy(stackConfig("dept-stats-stat200"));
        assert.equal(error, undefined, String(error?.message));
        const middleware = one(resources, "kubernetes:traefik.io/v1alpha1:Middleware");
        assert.deepEqual([middleware.inputs.metadata.name, middleware.inputs.metadata.namespace], ["course-hub-allowed-sources", "stat200-fall-2026"]);
        assert.deepEqual(middleware.inputs.spec, { ipAllowList: { sourceRange: ["198.51.100.0/22", "203.0.113.0/24"] } });
        const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "jupyterhub")!;
        assert.equal(unwrapSecrets(release.inputs.values).ingress.annotations["traefik.ingress.kubernetes.io/router.middlewares"],
            "stat200-fall-2026-course-hub-allowed-sources@kubernetescrd");
    });

    describe("an EC2 course with its institution's certificate", () => {
        const config = stackConfig("summer-bootcamp");
        const hub = { ...JSON.parse(config["course-hubs:hub"]), https: { mode: "certificate" } };
        // The test certificate is for cs101's hostname.
        const withChain = (certificateChain: string) =>
            ({ ...config, "course-hubs:hub": JSON.stringify({ ...hub, hostname: "cs101.hubs.example.edu", https: { ...hub.https, certificateChain } }) });

        it("reads the key from the secret course-hubs:tlsPrivateKey into an SSM SecureString", async () => {
            const { resources, error } = await deploy(withChain(TEST_CERTIFICATE_CHAIN), ["course-hubs:authClientSecret", "course-hubs:tlsPrivateKey"]);
            assert.equal(error, undefined, String(error?.message));
            const key = one(resources, "aws:ssm/parameter:Parameter", "bootcamp-tls-private-key").inputs;
            assert.deepEqual([key.name, key.type, isSecret(key.value), unwrapSecrets(key.value)],
                ["/course-hubs/bootcamp-summer-2027/tls-private-key", "SecureString", true, SECRET_PLACEHOLDER]);
        });

        it("says how to set the key when it is missing, and refuses it written into the hub", async () => {
            const { error: missing } = await deploy(withChain(TEST_CERTIFICATE_CHAIN));
            assert.match(missing.message,
                /course-hubs:tlsPrivateKey: is required by course-hubs:hub\.https \(mode certificate\); set it with: pulumi config set --secret course-hubs:tlsPrivateKey "\$\(cat hub\.key\)"/);
            const inHub = JSON.parse(withChain(TEST_CERTIFICATE_CHAIN)["course-hubs:hub"]);
            const written = { ...config, "course-hubs:hub": JSON.stringify({ ...inHub, https: { ...inHub.https, privateKey: TEST_PRIVATE_KEY } }) };
            const { error: refused } = await deploy(written, ["course-hubs:authClientSecret", "course-hubs:tlsPrivateKey"]);
            assert.match(refused.message, /course-hubs:hub\.https\.privateKey: is a secret, in plain text in the stack file: .*course-hubs:tlsPrivateKey/);
        });
    });
});
