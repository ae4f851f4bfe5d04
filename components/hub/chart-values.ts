import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import * as YAML from "yaml";
import { shippedFolder } from "../package-files";
import { isDeferred, pointerPropertyPath } from "../schema";
import { Problem, describe, suggestKey } from "../validation";
import { CHARTS } from "../versions";
import { HOMES_CLAIM } from "./shared-homes";
import { Z2jhValues } from "./z2jh";

/*
 * A course's raw values for the Zero to JupyterHub chart: merged over what the spec renders as
 * Helm merges values files, refused where they would undo what course-hubs sets for security or
 * correctness, and checked against the chart's own values schema, all before anything is created.
 */

const PINNED_VERSION = CHARTS.jupyterhub.version;
const PINNED_MAJOR = PINNED_VERSION.split(".")[0];
/** An exact chart version, as `helm install --version` takes it; ranges are refused. */
const EXACT_VERSION = /^(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/**
 * The Zero to JupyterHub chart of a hub, beyond what its spec says: `EksHub`'s and `GkeHub`'s
 * `chart` option and a course stack's `course-hubs:chart` key, handed to `JupyterHub` as its
 * `chartVersion` and `values`.
 */
export interface HubChartOptions {
    /**
     * Version of the chart to install: an exact version (no ranges) of the pinned major. With
     * another version than the pinned one, `values` are not checked against that chart's schema
     * before deploying (a warning says so): Helm checks them when it installs the release.
     * @default "4.4.0"
     */
    version?: string;
    /**
     * Raw values of the chart, for what the spec does not model (traitlets under `hub.config`,
     * `singleuser.extraEnv`, ...; z2jh's configuration reference lists them), merged last over the
     * values the spec renders, as Helm merges a second values file: maps key by key, lists and
     * other values replaced whole, `null` deleting a key and the chart's default with it. Checked
     * before anything is created, each problem at its path: against the chart's values schema (for
     * the pinned version), and refused where they would override what course-hubs sets for
     * security or correctness (the login, how the hub is served, the secrets, the network policies,
     * the metadata block, ...: `PROTECTED_CHART_VALUES` in chart-values.ts), with the spec option
     * to use instead.
     * @default {}
     */
    values?: Z2jhValues;
}

/** The pinned chart's values.yaml and values.schema.yaml, in the package: `chart-values/<chart>-<version>`. */
export const CHART_DATA_FOLDER = path.join("chart-values", `${CHARTS.jupyterhub.chart}-${PINNED_VERSION}`);

/**
 * A key course-hubs sets that raw values may not override, and what to use instead. A `*` in a
 * path key matches any characters.
 */
export interface ProtectedChartValue {
    path: string;
    reason: string;
}

const LOGIN = "the login is the spec's: use spec.auth, spec.adminUsers, spec.allowedUsers and spec.staffUsers, "
    + "which are checked so that someone can log in";
const SERVING = "how the hub is served is the spec's: use spec.https and spec.hostname (plain HTTP never reaches the hub)";
const METADATA = "the cloud metadata server, which hands out the node's credentials, stays closed to notebooks: "
    + "spec.notebookIdentity gives them an identity of their own";

/** What course-hubs sets for security or correctness, refused in raw values. */
export const PROTECTED_CHART_VALUES: readonly ProtectedChartValue[] = [
    {
        path: "hub.existingSecret",
        reason: "JupyterHub's credentials Secret carries the hub's secrets (spec.auth's, the cookie secret, the crypt key)",
    },
    { path: "hub.config.JupyterHub.authenticator_class", reason: LOGIN },
    { path: "hub.config.*Authenticator", reason: LOGIN },
    {
        path: "hub.config.KubeSpawner.automount_service_account_token",
        reason: "notebooks get no Kubernetes API token; use spec.notebookIdentity for a cloud identity",
    },
    { path: "hub.networkPolicy.enabled", reason: "the hub's network policy stays on" },
    {
        path: "hub.extraConfig.course-hubs-*",
        reason: "entries named course-hubs-* are rendered from the spec (the login, the folders' writers, profiles' groups, every home for admins): "
            + "use spec.auth, spec.storage, spec.staffUsers and spec.server.profiles",
    },
    { path: "proxy.secretToken", reason: "JupyterHub generates the proxy's token and keeps it secret" },
    { path: "proxy.https.enabled", reason: SERVING },
    { path: "proxy.https.type", reason: SERVING },
    { path: "proxy.https.hosts", reason: SERVING },
    { path: "proxy.service.type", reason: SERVING },
    { path: "proxy.service.disableHttpPort", reason: SERVING },
    { path: "ingress.enabled", reason: SERVING },
    { path: "ingress.hosts", reason: SERVING },
    { path: "ingress.tls", reason: SERVING },
    { path: "singleuser.networkPolicy.enabled", reason: "the notebooks' network policy stays on" },
    { path: "singleuser.networkPolicy.egressAllowRules.cloudMetadataServer", reason: METADATA },
    { path: "singleuser.cloudMetadata", reason: METADATA },
    { path: "singleuser.allowPrivilegeEscalation", reason: "notebooks never gain privileges" },
    {
        path: "hub.extraFiles.course-hubs-*",
        reason: "entries named course-hubs-* are rendered from the spec (the logo): use spec.logo",
    },
    {
        path: "singleuser.extraFiles.course-hubs-*",
        reason: "entries named course-hubs-* are rendered from the spec (kernel culling): use spec.culling",
    },
    {
        path: "singleuser.extraFiles.course-file-*",
        reason: "entries named course-file-* are the spec's files: use spec.server.extraFiles",
    },
];

/**
 * `overrides` merged over `base` as Helm merges a second values file over a first: maps key by
 * key, anything else (lists, scalars) replaced whole. A `null` stays, so that Helm deletes the key
 * from the chart's defaults too.
 */
export function mergeChartValues(base: Z2jhValues, overrides: Z2jhValues): Z2jhValues {
    return merge(base, overrides, false) as Z2jhValues;
}

/**
 * The values as the chart's templates see them: merged over the pinned chart's values.yaml, where
 * a `null` deletes the key and its default (Helm's coalescing).
 */
export function withChartDefaults(values: Z2jhValues): Z2jhValues {
    return merge(pinnedChart().defaults, values, true) as Z2jhValues;
}

function merge(base: unknown, override: unknown, nullDeletesDefault: boolean): unknown {
    if (!isMap(base) || !isMap(override)) {
        return override;
    }
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) {
        if (value === null && nullDeletesDefault && key in base) {
            delete merged[key];
        } else {
            merged[key] = key in base ? merge(base[key], value, nullDeletesDefault) : value;
        }
    }
    return merged;
}

function isMap(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Problems of the `chartVersion` argument: an exact version within the pinned chart's major. */
export function chartVersionProblems(version: unknown, propertyPath = "chartVersion"): Problem[] {
    if (version === undefined) {
        return [];
    }
    const match = typeof version === "string" ? EXACT_VERSION.exec(version) : null;
    if (!match) {
        return [{
            propertyPath,
            reason: `must be an exact chart version such as "${PINNED_VERSION}", got ${describe(version)} `
                + "(a range would let the hub change under an unchanged stack)",
        }];
    }
    if (match[1] !== PINNED_MAJOR) {
        return [{ propertyPath, reason: `course-hubs renders values for z2jh ${PINNED_MAJOR}.x; ${version} is another major version` }];
    }
    return [];
}

/** A warning for a chart version whose values schema the package does not carry; undefined for the pinned one. */
export function unpinnedChartWarning(version: string): string | undefined {
    return version === PINNED_VERSION
        ? undefined
        : `z2jh chart ${version} is not the pinned ${PINNED_VERSION}: its values are not checked against its schema before deploying; ` +
          "Helm checks them when it installs the release";
}

/**
 * Problems of a course's raw chart values (`values`): anything but plain data, a key of
 * {@link PROTECTED_CHART_VALUES}, and, for the pinned chart version, whatever the chart's schema
 * refuses in them merged over `rendered` (the spec's values; `{}` checks the raw values alone).
 */
export function chartValuesProblems(values: unknown, rendered: Z2jhValues, chartVersion: string, propertyPath = "values"): Problem[] {
    if (values === undefined) {
        return [];
    }
    if (!isMap(values)) {
        return [{ propertyPath, reason: `must be an object of z2jh chart values, got ${describe(values)}` }];
    }
    const notPlain = unresolvedValues(values, propertyPath);
    if (notPlain.length > 0) {
        return notPlain;
    }
    // As Pulumi sends them to Helm: a key whose value is undefined is left out.
    const plain = JSON.parse(JSON.stringify(values)) as Z2jhValues;
    const problems = [...protectedValueProblems(plain, propertyPath), ...sharedHomesExposureProblems(plain, rendered, propertyPath)];
    if (chartVersion === PINNED_VERSION) {
        problems.push(...chartSchemaProblems(mergeChartValues(rendered, plain), propertyPath));
    }
    return problems;
}

/**
 * Problems of a {@link HubChartOptions} at `propertyPath`: its version, and its values merged over
 * `rendered`, the values the hub's spec renders on its platform (`{}` when the spec cannot be
 * rendered: the raw values are then checked on their own). An option that is not an object is left
 * to the caller's schema.
 */
export function chartOptionProblems(chart: unknown, rendered: Z2jhValues, propertyPath = "chart"): Problem[] {
    if (!isMap(chart)) {
        return [];
    }
    const version = typeof chart.version === "string" ? chart.version : PINNED_VERSION;
    return [
        ...chartVersionProblems(chart.version, `${propertyPath}.version`),
        ...chartValuesProblems(chart.values, rendered, version, `${propertyPath}.values`),
    ];
}

/** Outputs and promises in the values: they are checked before anything exists, so they must be known. */
function unresolvedValues(value: unknown, at: string): Problem[] {
    if (isDeferred(value)) {
        return [{
            propertyPath: at,
            reason: "must be a plain value: raw chart values are checked before anything is created, so they cannot wait for a resource",
        }];
    }
    if (Array.isArray(value)) {
        return value.flatMap((item, i) => unresolvedValues(item, `${at}[${i}]`));
    }
    return isMap(value) ? Object.entries(value).flatMap(([key, item]) => unresolvedValues(item, `${at}.${key}`)) : [];
}

/**
 * Keys of {@link PROTECTED_CHART_VALUES} that `values` set, or delete with a `null` on the way to
 * them, one problem per key of `values`.
 */
export function protectedValueProblems(values: Z2jhValues, propertyPath = "values"): Problem[] {
    const deleted = new Map<string, string[]>();
    const problems: Problem[] = [];
    for (const entry of PROTECTED_CHART_VALUES) {
        for (const { keys, deletes } of touches(values, entry.path.split("."), [])) {
            const at = [propertyPath, ...keys].join(".");
            if (deletes) {
                deleted.set(at, [...(deleted.get(at) ?? []), entry.path]);
            } else {
                problems.push({ propertyPath: at, reason: `cannot be overridden: ${entry.reason}` });
            }
        }
    }
    for (const [at, paths] of deleted) {
        problems.push({ propertyPath: at, reason: `null would delete what course-hubs sets: ${paths.join(", ")}; override the keys under it instead` });
    }
    return problems;
}

/**
 * Raw values that would let notebooks reach the cluster's private addresses while the homes are on
 * the hub's own NFS server (storage.home.sharedFileSystem), which serves every home to whatever
 * reaches it: its clients, the nodes, are told apart by nothing but their addresses. Without
 * shared homes, a course may open private addresses (a campus database, say).
 */
function sharedHomesExposureProblems(values: Z2jhValues, rendered: Z2jhValues, propertyPath: string): Problem[] {
    const sharedHomes = rendered.singleuser?.storage?.static?.pvcName === HOMES_CLAIM;
    return sharedHomes && values.singleuser?.networkPolicy?.egressAllowRules?.privateIPs === true
        ? [{
            propertyPath: `${propertyPath}.singleuser.networkPolicy.egressAllowRules.privateIPs`,
            reason: "cannot be true with storage.home.sharedFileSystem: every student could reach the homes' NFS server and read every home; "
                + "let notebooks reach the one address and port they need with a rule under singleuser.networkPolicy.egress instead",
        }]
        : [];
}

/** Where `values` reach a protected `pattern`: the key path set, and whether a null deletes it on the way. */
function touches(values: unknown, pattern: string[], keys: string[]): { keys: string[]; deletes: boolean }[] {
    if (pattern.length === 0) {
        return [{ keys, deletes: false }];
    }
    if (values === null && keys.length > 0) {
        return [{ keys, deletes: true }];
    }
    if (!isMap(values)) {
        return [];
    }
    const [first, ...rest] = pattern;
    const matches = new RegExp(`^${first.split("*").map(escapeRegExp).join(".*")}$`);
    return Object.keys(values).filter((key) => matches.test(key)).flatMap((key) => touches(values[key], rest, [...keys, key]));
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * What the pinned chart's values schema refuses in `values` (merged over its defaults first, as
 * Helm does), each at its property path under `propertyPath`, with the schema's message.
 */
export function chartSchemaProblems(values: Z2jhValues, propertyPath = "values"): Problem[] {
    const { validate } = pinnedChart();
    const merged = withChartDefaults(values);
    if (validate(merged)) {
        return [];
    }
    const problems = (validate.errors ?? []).map((error) => schemaProblem(error, merged, propertyPath));
    const seen = new Set<string>();
    return problems.filter((p) => !seen.has(`${p.propertyPath}\0${p.reason}`) && seen.add(`${p.propertyPath}\0${p.reason}`));
}

function schemaProblem(error: ErrorObject, values: unknown, prefix: string): Problem {
    const at = pointerPropertyPath(prefix, values, error.instancePath);
    const source = `z2jh ${PINNED_VERSION}'s values schema`;
    if (error.keyword === "additionalProperties") {
        const key = (error.params as { additionalProperty: string }).additionalProperty;
        const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
        const hint = suggestKey(key, known);
        return { propertyPath: `${at}.${key}`, reason: `is not a value of the chart${hint ? `; did you mean "${hint}"?` : ""} (${source}: ${error.message})` };
    }
    if (error.keyword === "enum") {
        const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ");
        return { propertyPath: at, reason: `${error.message}: ${allowed} (${source})` };
    }
    return { propertyPath: at, reason: `${error.message} (${source})` };
}

interface PinnedChart {
    defaults: Z2jhValues;
    validate: ValidateFunction;
}

let pinned: PinnedChart | undefined;

/** The pinned chart's defaults and compiled schema, read once (compiling takes a few hundred milliseconds). */
function pinnedChart(): PinnedChart {
    if (!pinned) {
        const folder = chartDataFolder();
        const read = (file: string) => YAML.parse(fs.readFileSync(path.join(folder, file), "utf8"));
        pinned = {
            defaults: read("values.yaml"),
            validate: new Ajv({ strict: false, allErrors: true, verbose: true }).compile(read("values.schema.yaml")),
        };
    }
    return pinned;
}

/** The pinned chart's values and values schema, shipped with the package. */
export function chartDataFolder(start = __dirname): string {
    return shippedFolder(CHART_DATA_FOLDER, "values.schema.yaml", start);
}
