import { strict as assert } from "node:assert";
import { HubSpec, clusterCapabilities, ec2Capabilities, hubSpecProblems, renderHubUserData, toZ2jhValues } from "../../components";
import { LETS_ENCRYPT } from "../../components/versions";
import { resource, runPack } from "../support/policy";
import { FULL_PLATFORM, MINIMAL_SPEC, forCluster, forEc2 } from "../support/specs";
import { z2jhSchemaErrors } from "../support/z2jh-schema";

/*
 * Capability 7 of issue 17: Let's Encrypt staging for a first try, on every platform whose own
 * proxy obtains the certificate (z2jh's autohttps, the EC2 hub's Caddy).
 */

const STAGING: HubSpec = { ...MINIMAL_SPEC, https: { mode: "letsencrypt", contactEmail: "course-it@example.edu", staging: true } };

const VM = {
    region: "us-east-1",
    fileSystemId: "fs-0123456789abcdef0",
    parameterPrefix: "/course-hubs/cs101-fall-2026",
    parameterKeyArn: "arn:aws:kms:us-east-1:123456789012:key/0c0ffee0-1234-4abc-9def-0123456789ab",
};

/** The global options block of the EC2 hub's Caddyfile, as cloud-init writes it. */
function caddyGlobalOptions(spec: HubSpec): string {
    const userData = JSON.parse(renderHubUserData({ ...VM, spec: forEc2(spec) }).replace(/^#cloud-config\n/, "")) as {
        write_files: { path: string; content: string }[];
    };
    const caddyfile = userData.write_files.find((file) => file.path === "/etc/course-hub/Caddyfile")!.content;
    return caddyfile.slice(0, caddyfile.indexOf("}\n") + 2);
}

describe("https.staging: Let's Encrypt's staging service", () => {
    it("points z2jh's autohttps at the staging directory, within the chart's schema, and at production otherwise", () => {
        const staging = toZ2jhValues(forCluster(STAGING), FULL_PLATFORM);
        assert.deepEqual(staging.proxy.https.letsencrypt, { contactEmail: "course-it@example.edu", acmeServer: LETS_ENCRYPT.staging });
        assert.deepEqual(z2jhSchemaErrors(staging), []);
        // Left out, the chart's default (production) stays: nothing is rendered for it.
        for (const spec of [MINIMAL_SPEC, { ...STAGING, https: { ...STAGING.https, staging: false } } as HubSpec]) {
            assert.deepEqual(toZ2jhValues(forCluster(spec), FULL_PLATFORM).proxy.https.letsencrypt, { contactEmail: "course-it@example.edu" });
        }
    });

    it("is Let's Encrypt's staging directory", () => {
        assert.equal(LETS_ENCRYPT.staging, "https://acme-staging-v02.api.letsencrypt.org/directory");
    });

    it("points the EC2 hub's Caddy at the staging directory, and leaves Caddy's default (production) otherwise", () => {
        assert.equal(caddyGlobalOptions(STAGING), `{\n\temail course-it@example.edu\n\tacme_ca ${LETS_ENCRYPT.staging}\n}\n`);
        assert.equal(caddyGlobalOptions(MINIMAL_SPEC), "{\n\temail course-it@example.edu\n}\n");
    });

    it("is an option of the letsencrypt mode only: with ingress the platform's cluster issuer decides", () => {
        const ingressWithStaging = { ...MINIMAL_SPEC, https: { mode: "ingress", staging: true } } as unknown as HubSpec;
        const problems = hubSpecProblems(ingressWithStaging, clusterCapabilities(FULL_PLATFORM));
        assert.ok(problems.some((p) => p.propertyPath.startsWith("spec.https")), JSON.stringify(problems));
        assert.deepEqual(hubSpecProblems({ ...STAGING, https: { ...STAGING.https, staging: "yes" } } as unknown, ec2Capabilities({}))
            .map((p) => p.propertyPath), ["spec.https.staging"]);
    });

    it("keeps the hub within the hubs-use-https policy", () => {
        const values = toZ2jhValues(forCluster(STAGING), FULL_PLATFORM);
        const release = (chartValues: Record<string, any>) => resource("kubernetes:helm.sh/v3:Release", { chart: "jupyterhub", values: chartValues });
        const httpsViolations = (chartValues: Record<string, any>) => runPack([release(chartValues)]).filter((v) => v.policy === "hubs-use-https");
        assert.deepEqual(httpsViolations(values), []);
        // The policy does read these values: the same hub without HTTPS is reported.
        assert.equal(httpsViolations({ ...values, proxy: { ...values.proxy, https: { ...values.proxy.https, enabled: false } } }).length, 1);
    });
});
