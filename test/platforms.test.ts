import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import Ajv, { ValidateFunction } from "ajv";
import {
    EksHub, EksHubArgs, GkeHub, GkeHubArgs, HubSpec, JupyterHubPlatformArgs, Problem, Validated, authenticatorConfig, courseTags, hubClusterObjects,
    renderHubUserData, renderWorkerUserData, toZ2jhValues, validateEc2HubArgs, validateEksHubArgs, validateGkeHubArgs, validateHubSpec,
    validateJupyterHubArgs,
} from "../components";
import { hubIngressRules } from "../components/aws/ec2-firewall";
import { workerScaling } from "../components/aws/ec2-scaling";
import { ownCertificateParameters, serverSecretParameters } from "../components/aws/ec2-userdata";
import { certificateBlocks } from "../components/hub/network-access";
import { JsonSchema, SCHEMA_KEYWORDS, resolveRef } from "../components/schema";
import { validated } from "../components/validated";
import { run } from "./support/program";
import {
    AUTHS, CERTIFICATE_HTTPS, FULL_PLATFORM, HTTPS_MODES, MAXIMAL_EKS_SPEC, MAXIMAL_SPEC, OTHER_HOST_CERTIFICATE, TEST_CERTIFICATE_CHAIN, groupsUnder,
    usernameUnder,
} from "./support/specs";

/*
 * Every option of the spec, on every platform, is rendered or refused with a message: never
 * accepted and dropped. The options are the leaves of schema/hub-spec.json, which is generated from
 * spec.ts, so a field added there is covered here without a word of this test changing.
 *
 * For each option and platform the test starts from a spec the platform serves, with the option at
 * its default (left out where it may be), sets it to each other value its schema allows, and asks
 * the platform's entry point (validateEksHubArgs, ..., validateJupyterHubArgs). A refusal at the
 * option (or at what holds it) counts; a value accepted must change what the platform renders: the
 * chart's values and the hub's own objects on Kubernetes; the user-data with jupyterhub_config.py,
 * the worker group's scaling, the secrets and the tags on EC2. A value accepted that changes
 * nothing fails the test, which names the option and the platform.
 */

type Segment = string | number;

const ROOT = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "schema", "hub-spec.json"), "utf8")) as JsonSchema;
const ajv = new Ajv({ allErrors: false, strict: false });
ajv.addVocabulary(SCHEMA_KEYWORDS);
const compiled = new Map<JsonSchema, ValidateFunction>();
/** Whether a value fits a part of the schema (the part's references resolved in the whole). */
function fits(schema: JsonSchema, value: unknown): boolean {
    if (!compiled.has(schema)) {
        compiled.set(schema, ajv.compile({ ...schema, definitions: ROOT.definitions }));
    }
    return compiled.get(schema)!(value);
}

function resolved(node: JsonSchema): JsonSchema {
    return node.$ref ? resolved(resolveRef(ROOT, node.$ref)) : node;
}

/** A union's branches, nested unions flattened (AuthSpec's OidcAuth is four), each named after its definition. */
function unionBranches(node: JsonSchema): { name: string; schema: JsonSchema }[] | undefined {
    const schema = resolved(node);
    const conditional = (schema.allOf as JsonSchema[] | undefined)?.filter((part) => part.if && part.then);
    const branches = conditional?.length
        ? conditional.map((part) => ({ name: ((part.then as JsonSchema).$ref ?? "").split("/").pop()!, schema: part.then as JsonSchema }))
        : schema.anyOf?.map((branch) => ({ name: `{ ${(resolved(branch).required ?? []).join(", ")} }`, schema: branch }));
    return branches?.flatMap((branch) => unionBranches(branch.schema) ?? [{ name: branch.name, schema: resolved(branch.schema) }]);
}

/** A union on the way to an option, and the branch the option is in. */
interface BranchOnTheWay {
    site: string[];
    name: string;
    schema: JsonSchema;
}

/** An option of the spec: a leaf of its schema (`[]` stands for every item of a list), or a union as a whole. */
interface SpecOption {
    path: string[];
    schema: JsonSchema;
    required: boolean;
    branches: BranchOnTheWay[];
    /** For a union as a whole: its branches. */
    union?: { name: string; schema: JsonSchema }[];
    /** What holds the option, outermost first: the objects and lists on its way, by their paths. */
    holders: { path: string[]; schema: JsonSchema }[];
}

function specOptions(node: JsonSchema, at: string[], required: boolean, branches: BranchOnTheWay[], holders: SpecOption["holders"]): SpecOption[] {
    const schema = resolved(node);
    const union = unionBranches(schema);
    if (union) {
        return [
            { path: at, schema, required, branches, union, holders },
            ...union.flatMap((branch) => specOptions(branch.schema, at, required, [...branches, { site: at, ...branch }], holders)),
        ];
    }
    if (schema.properties) {
        const within = [...holders, { path: at, schema }];
        return Object.entries(schema.properties)
            .filter(([, property]) => !("const" in property))
            .flatMap(([key, property]) => specOptions(property, [...at, key], (schema.required ?? []).includes(key), branches, within));
    }
    const items = schema.type === "array" ? resolved(schema.items as JsonSchema) : undefined;
    if (items?.properties) {
        return specOptions(items, [...at, "[]"], true, branches, [...holders, { path: at, schema }]);
    }
    return [{ path: at, schema, required, branches, holders }];
}

const OPTIONS = specOptions(ROOT, [], true, [], []);

function valueAt(value: unknown, at: Segment[]): unknown {
    return at.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key as string], value);
}

/** `value` with `replacement` at `at`, copied along the way; undefined leaves the key out. */
function withValue<T>(value: T, at: Segment[], replacement: unknown): T {
    if (at.length === 0) {
        return replacement as T;
    }
    const [key, ...rest] = at;
    const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
    const next = withValue(copy[key], rest, replacement);
    if (next === undefined) {
        delete copy[key];
    } else {
        copy[key] = next;
    }
    return copy;
}

/**
 * `withValue` for a spec; where `replacement` is a login of AUTHS, the spec's admin, staff and
 * allowed users (and the users of the homes' sizeOverrides) are renamed as that login names people (validation refuses a name it never gives),
 * and its profiles' groups as it names groups (none where it gives none).
 */
function withSpecValue(spec: HubSpec, at: Segment[], replacement: unknown): HubSpec {
    const placed = withValue(spec, at, replacement);
    const login = Object.keys(AUTHS).find((key) => AUTHS[key] === replacement);
    if (login === undefined) {
        return placed;
    }
    const rename = (names: string[] | undefined) => names?.map((name) => usernameUnder(login, name.split("@")[0]));
    const profiles = placed.server?.profiles?.map((p) => (p.groups ? { ...p, groups: groupsUnder(login, p.groups) } : p));
    const server = profiles ? { ...placed.server, profiles } : placed.server;
    const homes = placed.storage?.home?.sharedFileSystem;
    const sizeOverrides = homes?.sizeOverrides
        ? Object.fromEntries(Object.entries(homes.sizeOverrides).map(([name, size]) => [rename([name])![0], size]))
        : undefined;
    const storage = sizeOverrides ? { ...placed.storage, home: { ...placed.storage!.home, sharedFileSystem: { ...homes!, sizeOverrides } } } : placed.storage;
    return {
        ...placed, server, storage,
        adminUsers: rename(placed.adminUsers), staffUsers: rename(placed.staffUsers), allowedUsers: rename(placed.allowedUsers),
    };
}

/** The concrete paths of an option in a spec: one per item of each list on the way. */
function concretePaths(spec: unknown, at: string[]): Segment[][] {
    return at.reduce<Segment[][]>((paths, key) => paths.flatMap((p) => {
        if (key !== "[]") {
            return [[...p, key]];
        }
        const list = valueAt(spec, p);
        return Array.isArray(list) ? list.map((_, i) => [...p, i]) : [];
    }), [[]]);
}

function pathText(at: Segment[]): string {
    return at.reduce<string>((text, key) => (typeof key === "number" || key === "[]" ? `${text}[${key === "[]" ? "" : key}]` : `${text}.${key}`), "spec");
}

/** What fills a part of the spec that a base lacks: the maximal spec's, or the fixture of a union's branch. */
const BRANCH_FIXTURES: unknown[] = [
    ...Object.values(HTTPS_MODES),
    CERTIFICATE_HTTPS,
    ...Object.values(AUTHS),
    { awsRoleArn: "arn:aws:iam::123456789012:role/notebooks" },
    { gcpServiceAccountEmail: "notebooks@course-hubs-test.iam.gserviceaccount.com" },
];

function branchFixture(branch: { name: string; schema: JsonSchema }): unknown {
    const fixture = BRANCH_FIXTURES.find((candidate) => fits(branch.schema, candidate));
    assert.ok(fixture !== undefined, `no fixture for the branch ${branch.name}: add one to BRANCH_FIXTURES`);
    return fixture;
}

/**
 * What fills a holder the base lacks: the maximal spec's first value there (any item of a list), cut
 * to its required parts, so that nothing but the holder itself may be refused.
 */
function holderFill(holder: { path: string[]; schema: JsonSchema }): unknown {
    const value = concretePaths(MAXIMAL_SPEC, holder.path).map((p) => valueAt(MAXIMAL_SPEC, p)).find((found) => found !== undefined);
    assert.ok(value !== undefined, `${pathText(holder.path)} is not in MAXIMAL_SPEC (test/support/specs.ts): add it, so that the options in it are tried`);
    const required = (schema: JsonSchema, object: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(object).filter(([key]) => (schema.required ?? []).includes(key)));
    return Array.isArray(value)
        ? value.slice(0, 1).map((item) => required(resolved(holder.schema.items as JsonSchema), item))
        : required(holder.schema, value as Record<string, unknown>);
}

/** Strings to try: each option takes those its schema allows. */
const STRINGS = [
    "sample", "Sample text", "cs102", "spring-2027", "course-it@example.org", "cs102.hubs.example.org", "quay.io/jupyter/base-notebook",
    "2024-05-01", "/tree", "https://example.org/login/oauth", "https://github.com/example/other-notebooks", "uid={username},ou=staff,dc=example,dc=edu",
    "00000000-1111-2222-3333-444444444444", "urn:mace:incommon:example.org", "other-org", "other-org:other-team", "200Gi", "2Ti", "3G", "768M",
    "America/Chicago", "Europe/Berlin", "release", "other-folder", "15 8 * * 2,4", "45 12 * * 2,4", "ou=staff,dc=example,dc=edu",
    "cn=hub2,ou=services,dc=example,dc=edu", "preferred_username", "other-secret-PLAINTEXT", "standard-rwo", "other-tls", "example.org",
    // Source ranges: IPv4, IPv6, and one with host bits set.
    "198.51.100.0/24", "2001:db8:1234::/48", "198.51.100.7/24",
    // Certificate chains: the hub's certificate alone (no intermediate), and one for another host.
    certificateBlocks(TEST_CERTIFICATE_CHAIN)[0], OTHER_HOST_CERTIFICATE,
    // An LTI 1.3 context role's short name.
    "ContentDeveloper",
];

/** The values an option may take, other than `current` and its default. */
function alternatives(option: SpecOption, current: unknown): unknown[] {
    const schema = option.schema;
    const candidates: unknown[] = option.union
        ? option.union.map(branchFixture)
        : schema.enum ? schema.enum
            : schema.type === "boolean" ? [true, false]
                : schema.type === "integer" || schema.type === "number" ? numbers(schema)
                    : schema.type === "string" ? STRINGS
                        : schema.type === "array" ? listsOf(resolved(schema.items as JsonSchema))
                            // Maps: an environment variable; a size for a user (the homes' sizeOverrides).
                            : schema.type === "object" ? [{ SAMPLE_VARIABLE: "sample" }, { "sample-user": "20Gi" }]
                                : [];
    return candidates.filter((value) => fits(schema, value) && !isDeepStrictEqual(value, current)
        && !(current === undefined && "default" in schema && isDeepStrictEqual(value, schema.default)));
}

function numbers(schema: JsonSchema): number[] {
    const [low, high] = [schema.minimum ?? 0, schema.maximum ?? 1000];
    return [low, high, Math.round((low + high) / 2), low + 1, 5, 30, 150, 0.75].filter((n) => n >= low && n <= high);
}

function listsOf(items: JsonSchema): unknown[][] {
    const singles = items.type === "integer" ? numbers(items) : STRINGS;
    return singles.filter((value) => fits(items, value)).slice(0, 3).map((value) => [value]);
}

/** Where the entry point and the renderers of a platform meet the spec. */
interface Platform {
    name: string;
    /** A spec the platform serves, with what it offers set. */
    base: HubSpec;
    problems(spec: HubSpec): Problem[];
    render(spec: Validated<HubSpec>): unknown;
}

/** Whether the property path `inner` lies within `outer`. */
function isWithin(inner: string, outer: string): boolean {
    return inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
}

/** Whether a problem is about the option at `at`: at it, at what holds it, or within it. */
function concerns(problem: Problem, at: string): boolean {
    const p = problem.propertyPath;
    return p === at || isWithin(at, p) || isWithin(p, at);
}

type Verdict = { rendered: string[]; refused: string[]; dropped: string[] };

/** Tries every other value of an option on a platform. */
function verdict(platform: Platform, option: SpecOption): Verdict {
    const result: Verdict = { rendered: [], refused: [], dropped: [] };
    // The option's branch of each union on its way, and what holds it, from the maximal spec where the base lacks it.
    let spec = platform.base;
    // A branch is refused at its discriminator, within it; a holder at itself or at what holds it.
    const filled: { at: string; refusedBy: (problem: Problem) => boolean }[] = [];
    for (const branch of option.branches) {
        if (!fits(branch.schema, valueAt(spec, branch.site))) {
            spec = withSpecValue(spec, branch.site, branchFixture(branch));
            const at = pathText(branch.site);
            filled.push({ at, refusedBy: (problem) => concerns(problem, at) });
        }
    }
    for (const holder of option.holders.filter((h) => h.path.length > 0)) {
        const places = concretePaths(spec, holder.path);
        if (places.length > 0 && places.every((p) => valueAt(spec, p) === undefined)) {
            const fill = holderFill(holder);
            spec = places.reduce((s, p) => withValue(s, p, fill), spec);
            filled.push(...places.map(pathText)
                .map((at) => ({ at, refusedBy: (problem: Problem) => at === problem.propertyPath || isWithin(at, problem.propertyPath) })));
        }
    }
    const holderProblems = platform.problems(spec);
    const refusedHolder = holderProblems.filter((p) => filled.some((f) => f.refusedBy(p)));
    if (refusedHolder.length > 0) {
        result.refused.push(...refusedHolder.map((p) => `${p.propertyPath}: ${p.reason}`));
        return result;
    }
    assert.deepEqual(holderProblems, [], `${platform.name}: the base spec with ${filled.map((f) => f.at).join(", ")} filled in should be valid`);

    // Each value is tried at every place the option has (each item of a list), in the base and, for a
    // value that changes nothing there, with what holds the option cut to its required parts: Google's
    // allowAllAuthenticated changes nothing beside hostedDomains, which admit every member already.
    const outcomes = new Map<string, Set<"rendered" | "refused" | "unchanged">>();
    const record = (value: unknown, outcome: "rendered" | "refused" | "unchanged", detail?: string) => {
        const key = JSON.stringify(value);
        outcomes.set(key, new Set([...outcomes.get(key) ?? [], outcome]));
        if (detail) {
            (outcome === "rendered" ? result.rendered : result.refused).push(detail);
        }
    };
    for (const context of [spec, withHoldersCut(spec, option)]) {
        const paths = concretePaths(context, option.path);
        const withoutOption = option.required ? context : paths.reduce((s, p) => withValue(s, p, undefined), context);
        const base = platform.problems(withoutOption).length === 0 ? withoutOption : context;
        if (platform.problems(base).length > 0) {
            continue;
        }
        const rendered = platform.render(validated(base, []));
        for (const at of paths) {
            for (const value of alternatives(option, valueAt(base, at))) {
                if (context !== spec && !outcomes.get(JSON.stringify(value))?.has("unchanged")) {
                    continue;
                }
                const variant = withSpecValue(base, at, value);
                const where = pathText(at);
                const ownProblems = validateHubSpec(variant);
                if (ownProblems.length > 0) {
                    // A value the spec refuses on every platform counts where the refusal is the option's own.
                    ownProblems.filter((p) => p.propertyPath === where)
                        .forEach((p) => record(value, "refused", `${where} = ${JSON.stringify(value)}: ${p.reason}`));
                    continue;
                }
                const problems = platform.problems(variant);
                if (problems.some((p) => concerns(p, where))) {
                    problems.filter((p) => concerns(p, where)).forEach((p) => record(value, "refused", `${where} = ${JSON.stringify(value)}: ${p.reason}`));
                } else if (problems.length === 0) {
                    const changed = !isDeepStrictEqual(platform.render(validated(variant, problems)), rendered);
                    record(value, changed ? "rendered" : "unchanged", changed ? `${where} = ${JSON.stringify(value)}` : undefined);
                }
            }
        }
    }
    result.dropped.push(...[...outcomes].filter(([, seen]) => seen.size === 1 && seen.has("unchanged")).map(([value]) => value));
    return result;
}

/** The spec with each object that holds the option (an item, for an option of list items) cut to its required parts and the option. */
function withHoldersCut(spec: HubSpec, option: SpecOption): HubSpec {
    const holder = option.path.slice(0, -1);
    const key = option.path[option.path.length - 1];
    const holderSchema = option.holders[option.holders.length - 1]?.schema;
    if (holder.length === 0 || !holderSchema?.properties) {
        return spec;
    }
    return concretePaths(spec, holder).reduce((s, at) => {
        const value = valueAt(s, at) as Record<string, unknown> | undefined;
        const kept = Object.entries(value ?? {})
            .filter(([k]) => k === key || (holderSchema.required ?? []).includes(k) || "const" in (holderSchema.properties?.[k] ?? {}));
        return value === undefined ? s : withValue(s, at, Object.fromEntries(kept));
    }, spec);
}

/** The options as the test names them: the path, and the branch of each union on the way. */
function optionName(option: SpecOption): string {
    return `${pathText(option.path)}${option.branches.map((b) => ` (${b.name})`).join("")}${option.union ? " (which kind)" : ""}`;
}

const CIDRS = ["203.0.113.0/24"];
const INGRESS = { letsEncryptEmail: "course-it@example.edu" };
const SHARED_INGRESS = { className: "traefik", clusterIssuer: "letsencrypt-production" };

/** The args of a platform component for a spec: the shared entry point with ingress mode, the certificate with offload. */
function eksArgs(spec: HubSpec): EksHubArgs {
    return {
        spec, apiAccessCidrs: CIDRS, gpuNodes: {},
        ...(spec.https.mode === "ingress" ? { ingress: INGRESS } : {}),
        ...(spec.https.mode === "offload" ? { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" } : {}),
    };
}

function gkeArgs(spec: HubSpec): GkeHubArgs {
    return { spec, location: { zone: "us-central1-a" }, apiAccessCidrs: CIDRS, gpuNodes: {}, ...(spec.https.mode === "ingress" ? { ingress: INGRESS } : {}) };
}

/** What a hub on Kubernetes is rendered as: the chart's values and the hub's own objects. */
function onKubernetes(platform: pulumi.Unwrap<JupyterHubPlatformArgs>, spec: Validated<HubSpec>): unknown {
    const served = spec.https.mode === "ingress" ? { ...platform, ingress: platform.ingress ?? SHARED_INGRESS } : platform;
    return { values: toZ2jhValues(spec, served), objects: hubClusterObjects(spec, served) };
}

const VM = {
    region: "us-east-1",
    fileSystemId: "fs-0123456789abcdef0",
    parameterPrefix: "/course-hubs/cs101-fall-2026",
    parameterKeyArn: "arn:aws:kms:us-east-1:123456789012:key/0c0ffee0-1234-4abc-9def-0123456789ab",
};

/**
 * What a hub on EC2 is rendered as: its user-data (with jupyterhub_config.py), the workers', their
 * scaling, its secrets (the login's, a certificate's), its security group's rules and tags.
 */
function onEc2(spec: Validated<HubSpec>, withWorkers: boolean): unknown {
    const context = { ...VM, spec, workerGroupName: withWorkers ? "cs101-fall-2026-workers" : undefined };
    return {
        hub: renderHubUserData(context),
        workers: withWorkers ? { userData: renderWorkerUserData(context), scaling: workerScaling(spec, {}) } : undefined,
        secrets: authenticatorConfig(spec).secrets,
        certificate: ownCertificateParameters(spec),
        serverSecrets: serverSecretParameters(spec),
        firewall: hubIngressRules(spec),
        tags: courseTags(spec),
    };
}

/** What a platform component tells JupyterHub about its cluster, with every Input resolved. */
async function componentPlatform(make: () => EksHub | GkeHub): Promise<pulumi.Unwrap<JupyterHubPlatformArgs>> {
    let hub: EksHub | GkeHub | undefined;
    await run(() => {
        hub = make();
    });
    return new Promise((resolve) => pulumi.output(hub!.platform).apply(resolve));
}

const EC2_SPEC: HubSpec = {
    ...MAXIMAL_SPEC,
    https: HTTPS_MODES.letsencrypt,
    server: {
        ...MAXIMAL_SPEC.server,
        sidecars: undefined,
        extraFiles: undefined,
        initContainers: undefined,
        imagePullSecret: undefined,
        prePull: undefined,
        // EC2 has no per-profile sizes, GPUs, menus, settings or groups: a profile chooses an image.
        profiles: MAXIMAL_SPEC.server!.profiles!.map((profile) => ({
            ...profile, resources: undefined, gpus: undefined, menus: undefined, environment: undefined, defaultUrl: undefined, groups: undefined,
        })),
    },
    storage: { sharedCourseFolder: true },
    notebookIdentity: undefined,
};

describe("every spec option is rendered or refused on every platform", () => {
    const platforms: Platform[] = [];

    before(async () => {
        const eksSpec = MAXIMAL_EKS_SPEC;
        const gkeSpec: HubSpec = {
            ...MAXIMAL_SPEC,
            storage: { ...MAXIMAL_SPEC.storage, sharedSize: "1Ti" },
            notebookIdentity: { gcpServiceAccountEmail: "notebooks@proj.iam.gserviceaccount.com" },
        };
        const eks = await componentPlatform(() => new EksHub("cs101", { ...eksArgs({ ...eksSpec, https: HTTPS_MODES.offload }) }));
        const gke = await componentPlatform(() => new GkeHub("cs101", gkeArgs(gkeSpec)));
        const singleVm = { workers: false as const, hub: { instanceType: "t4g.xlarge" } };
        platforms.push(
            { name: "EksHub", base: eksSpec, problems: (spec) => validateEksHubArgs(eksArgs(spec)), render: (spec) => onKubernetes(eks, spec) },
            { name: "GkeHub", base: gkeSpec, problems: (spec) => validateGkeHubArgs(gkeArgs(spec)), render: (spec) => onKubernetes(gke, spec) },
            {
                name: "JupyterHub on a cluster of your own",
                base: MAXIMAL_SPEC,
                problems: (spec) => validateJupyterHubArgs({ spec, platform: FULL_PLATFORM }),
                render: (spec) => onKubernetes(FULL_PLATFORM, spec),
            },
            { name: "EC2AutoscaleHub", base: EC2_SPEC, problems: (spec) => validateEc2HubArgs({ spec }), render: (spec) => onEc2(spec, true) },
            {
                name: "EC2AutoscaleHub in single-VM mode",
                base: { ...EC2_SPEC, prewarm: undefined },
                problems: (spec) => validateEc2HubArgs({ spec, ...singleVm }),
                render: (spec) => onEc2(spec, false),
            },
        );
    });

    it("finds the options in the schema generated from spec.ts, unions and their branches among them", () => {
        const names = OPTIONS.map(optionName);
        for (const expected of ["spec.course", "spec.https (which kind)", "spec.https.secretName (ExistingSecretHttps)", "spec.auth.hostedDomains (GoogleAuth)",
            "spec.server.profiles[].gpus", "spec.server.sidecars[].resources.memoryLimit", "spec.storage.home.size", "spec.prewarm.schedule[].start",
            "spec.notebookIdentity (which kind)", "spec.server.environment"]) {
            assert.ok(names.includes(expected), `${expected} is not among the options found: ${names.join(", ")}`);
        }
        assert.ok(OPTIONS.length > 90, `${OPTIONS.length} options found`);
    });

    it("each platform serves its base spec", () => {
        for (const platform of platforms) {
            assert.deepEqual(platform.problems(platform.base), [], platform.name);
        }
    });

    it("no option is accepted and dropped, and every option is rendered or refused with a message", () => {
        const gaps: string[] = [];
        for (const platform of platforms) {
            for (const option of OPTIONS) {
                const { rendered, refused, dropped } = verdict(platform, option);
                if (dropped.length > 0) {
                    gaps.push(`${optionName(option)} on ${platform.name}: accepted, yet nothing rendered changes (set to ${dropped.slice(0, 3).join(", ")})`);
                } else if (rendered.length === 0 && refused.length === 0) {
                    gaps.push(`${optionName(option)} on ${platform.name}: no value to try is either rendered or refused`);
                }
            }
        }
        assert.ok(gaps.length === 0, `options neither rendered nor refused:\n${gaps.join("\n")}`);
    });
});
