import { strict as assert } from "node:assert";
import { HubChartOptions } from "../../components";
import { isSecret, unwrapSecrets } from "../setup-mocks";
import { capturingWarnings, one, run } from "./program";
import { RAW_CHART_VALUES } from "./specs";

/**
 * A hub component given `chart` (another version, raw values) installs the release with that
 * version and the raw values merged last over what its spec and platform render (its home
 * storage class among them), warning once that the version is not the pinned one.
 */
export async function assertChartOptionReachesRelease(make: (chart: HubChartOptions) => unknown, homeStorageClass: string): Promise<void> {
    const warnings = await capturingWarnings(async () => {
        const resources = await run(() => make({ version: "4.2.0", values: RAW_CHART_VALUES }));
        const release = one(resources, "kubernetes:helm.sh/v3:Release", "cs101-hub-release");
        assert.equal(release.inputs.version, "4.2.0");
        assert.ok(isSecret(release.inputs.values));
        const values = unwrapSecrets(release.inputs.values);
        assert.equal(values.hub.config.JupyterHub.shutdown_on_logout, true);
        assert.equal(values.hub.config.JupyterHub.authenticator_class, "github", "the spec's keys beside them stay");
        assert.equal(values.singleuser.extraEnv.DATA_DIR, "/data");
        assert.equal(values.singleuser.storage.dynamic.storageClass, homeStorageClass, "the platform still renders");
    });
    assert.equal(warnings.filter((w) => w.includes("z2jh chart 4.2.0 is not the pinned")).length, 1, warnings.join("\n"));
}
