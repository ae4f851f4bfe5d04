import { chartDataFolder, chartSchemaProblems } from "../../components/hub/chart-values";

/*
 * Checks Helm values the way `helm install` does for the z2jh chart: merged over the chart's
 * values.yaml, then against its values.schema.yaml, with the check JupyterHub runs on a course's
 * raw values (the chart's own files, shipped in the package, with their source in SOURCES.md).
 */

export const Z2JH_FIXTURES = chartDataFolder();

/** Schema errors of `values` merged over the chart defaults, as `path: reason` lines; empty if valid. */
export function z2jhSchemaErrors(values: unknown): string[] {
    // Values as they reach Helm: JSON, without the keys whose value is undefined.
    return chartSchemaProblems(JSON.parse(JSON.stringify(values))).map((p) => `${p.propertyPath}: ${p.reason}`);
}
