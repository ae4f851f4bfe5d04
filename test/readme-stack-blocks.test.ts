import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { GkeHubArgs, HubSpec, clusterCapabilities, ec2Capabilities, gkeCapabilities, hubSpecProblems } from "../components";
import { schemaProblems } from "../components/schema";
import { FULL_PLATFORM, MINIMAL_SPEC } from "./support/specs";

/*
 * The README's "What real courses ask for" shows each capability as a course stack writes it. Each
 * block's `course-hubs:hub` is merged over a minimal course and must pass the spec's schema, rules
 * and what its platform serves (GkeHub with the block's `course-hubs:gke`, EC2 for `https.mode:
 * certificate`, else a cluster with every feature); the whole block must fit the course stack's schema. A block that drifts from the spec fails here.
 */

const README = fs.readFileSync(path.resolve(__dirname, "../README.md"), "utf8");

function sectionBlocks(heading: string): { line: number; config: Record<string, unknown> }[] {
    const start = README.indexOf(`### ${heading}\n`);
    assert.ok(start >= 0, `the README has a section "${heading}"`);
    const end = README.slice(start + heading.length + 5).search(/\n##+ /) + start + heading.length + 5;
    const section = README.slice(start, end);
    const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)];
    return blocks.map((block) => ({
        line: README.slice(0, start + block.index).split("\n").length,
        config: YAML.parse(block[1]) as Record<string, unknown>,
    }));
}

/**
 * `fragment` over `base`: objects key by key, anything else replaced; a login or an HTTPS mode is one
 * choice, replaced whole.
 */
function merged(base: unknown, fragment: unknown, key = ""): unknown {
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
    if (!isObject(base) || !isObject(fragment) || key === "auth" || key === "https") {
        return fragment;
    }
    return Object.fromEntries([...new Set([...Object.keys(base), ...Object.keys(fragment)])]
        .map((k) => [k, k in fragment ? merged(base[k], fragment[k], k) : base[k]]));
}

/** The spec as the stack program hands it on: the secrets the stack keeps in secret keys put in. */
function withStackSecrets(spec: HubSpec): HubSpec {
    const secret = "a-secret-from-pulumi-config";
    const server = spec.server?.imagePullSecret ? { ...spec.server, imagePullSecret: { ...spec.server.imagePullSecret, password: secret } } : spec.server;
    const takesClientSecret = spec.auth.type === "github" || spec.auth.type === "oidc";
    return { ...spec, auth: takesClientSecret ? { ...spec.auth, clientSecret: secret } as HubSpec["auth"] : spec.auth, server };
}

describe("the README's stack-file blocks of what real courses ask for", () => {
    const blocks = sectionBlocks("What real courses ask for");

    it("shows a block for each capability", () => {
        assert.ok(blocks.length >= 8, `${blocks.length} blocks`);
    });

    for (const { line, config } of blocks) {
        it(`README line ${line}: valid for the spec, for the platform that serves it, and for the course stack's schema`, () => {
            const fragment = config["course-hubs:hub"] as Partial<HubSpec>;
            assert.ok(fragment, "the block sets course-hubs:hub");
            // As a stack file writes the course: its login's secret is in a secret key, not in the hub.
            const writtenAuth = Object.fromEntries(Object.entries(MINIMAL_SPEC.auth).filter(([key]) => key !== "clientSecret"));
            const written = merged({ ...MINIMAL_SPEC, auth: writtenAuth }, fragment) as HubSpec;
            const onEc2 = written.https.mode === "certificate";
            const gke = config["course-hubs:gke"] as GkeHubArgs | undefined;
            const platform = onEc2 ? "ec2" : gke ? "gke" : "kubernetes";
            const capabilities = {
                ec2: () => ec2Capabilities({}), gke: () => gkeCapabilities(gke!), kubernetes: () => clusterCapabilities(FULL_PLATFORM),
            }[platform]();
            const problems = hubSpecProblems(withStackSecrets(written), capabilities).map((p) => `${p.propertyPath}: ${p.reason}`);
            assert.deepEqual(problems, []);
            const stack = {
                config: {
                    "course-hubs:platform": platform,
                    ...(platform === "kubernetes" ? { "course-hubs:kubernetes": { platform: {} } } : {}),
                    ...config,
                    "course-hubs:hub": written,
                },
            };
            assert.deepEqual(schemaProblems("course-stack.json", stack).map((p) => `${p.propertyPath}: ${p.reason}`), []);
        });
    }
});
