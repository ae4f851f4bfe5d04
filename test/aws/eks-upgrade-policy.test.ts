import { strict as assert } from "node:assert";
import { EksHub, EksHubArgs, validateEksHubArgs } from "../../components";
import { checkKubernetesSupport } from "../../components/aws/eks-validate";
import { ProblemCollector } from "../../components/validation";
import { EKS_SUPPORT_CALENDAR, eksSupportOn, eksSupportWindow } from "../../components/versions";
import { estimateCost } from "../../plan/cost";
import PRICES from "../../plan/prices.json";
import { RecordedResource } from "../setup-mocks";
import { one, run } from "../support/program";
import { MINIMAL_SPEC } from "../support/specs";

/*
 * EksHub's clusters are upgraded at the end of standard support instead of entering extended
 * support (six times the hourly rate), and the plan prices a control plane by its support on the
 * day the prices were recorded.
 */

const MINIMAL: EksHubArgs = { spec: MINIMAL_SPEC, apiAccessCidrs: ["203.0.113.0/24"] };
const EXTENDED_RATE = PRICES.aws.eksControlPlaneExtendedSupportPerHour.usd;

/** A minor of EKS's calendar in this support on the day the prices were recorded. */
function minorIn(support: "standard" | "extended" | "unsupported"): string {
    const minor = Object.keys(EKS_SUPPORT_CALENDAR.minors).find((m) => eksSupportOn(m, PRICES.date) === support);
    assert.ok(minor, `the calendar has a minor in ${support} support on ${PRICES.date}`);
    return minor;
}

describe("EksHub's upgrade policy and the price of its control plane", () => {
    let cluster: RecordedResource;
    before(async () => {
        cluster = one(await run(() => new EksHub("cs101", MINIMAL)), "eks:index:Cluster");
    });

    /** The recorded cluster with other inputs, as a stack of one's own might set them. */
    const clusterWith = (inputs: Record<string, unknown>): RecordedResource => ({ ...cluster, inputs: { ...cluster.inputs, ...inputs } });
    const controlPlaneLines = (resource: RecordedResource) => estimateCost([resource], {}).lines.filter((line) => line.item.startsWith("EKS control plane"));

    it("asks EKS to upgrade the control plane at the end of standard support, not to bill extended support", () => {
        assert.deepEqual(cluster.inputs.upgradePolicy, { supportType: "STANDARD" });
        assert.equal(cluster.inputs.version, "1.35");
    });

    it("prices EksHub's control plane at the standard rate, and says when and how EKS upgrades it", () => {
        const cost = estimateCost([cluster], {});
        assert.deepEqual(controlPlaneLines(cluster).map((line) => [line.item, line.unitPrice]), [["EKS control plane", PRICES.aws.eksControlPlanePerHour.usd]]);
        const note = cost.notes.find((n) => n.startsWith("Kubernetes 1.35's EKS standard support ends"));
        assert.match(note ?? "", new RegExp(`ends ${eksSupportWindow("1.35")!.endOfStandardSupport}: EKS then upgrades cs101-cluster's control plane`));
    });

    it("prices a cluster without the policy past standard support at the extended rate, and the same cluster with it at the standard rate", () => {
        const version = minorIn("extended");
        const [extended] = controlPlaneLines(clusterWith({ version, upgradePolicy: undefined }));
        assert.equal(extended.item, `EKS control plane, extended support for Kubernetes ${version}`);
        assert.equal(extended.unitPrice, EXTENDED_RATE, "the extended rate of plan/prices.json, $0.60");
        assert.notEqual(extended.unitPrice, PRICES.aws.eksControlPlanePerHour.usd);
        const [upgraded] = controlPlaneLines(clusterWith({ version }));
        assert.deepEqual([upgraded.item, upgraded.unitPrice], ["EKS control plane", PRICES.aws.eksControlPlanePerHour.usd]);
    });

    it("warns of extended support ahead for a cluster without the policy, and names versions past support or unknown", () => {
        const ahead = estimateCost([clusterWith({ version: "1.35", upgradePolicy: { supportType: "EXTENDED" } })], {});
        assert.deepEqual(ahead.lines.filter((l) => l.item.startsWith("EKS control plane")).map((l) => l.item), ["EKS control plane"]);
        const until = eksSupportWindow("1.35")!.endOfExtendedSupport;
        assert.ok(ahead.notes.some((n) => n.includes(`from then until ${until} cs101-cluster's control plane is billed for extended support`)));
        const gone = minorIn("unsupported");
        const past = estimateCost([clusterWith({ version: gone })], {}).notes;
        assert.ok(past.includes(`Kubernetes ${gone} is past EKS extended support on ${PRICES.date}: EKS creates no cluster of it.`));
        const unknown = estimateCost([clusterWith({ version: "1.99" })], {});
        assert.ok(unknown.notes.some((n) => n.startsWith("Kubernetes 1.99 (cs101-cluster) is not in EKS's support calendar")));
        assert.deepEqual(controlPlaneLines(clusterWith({ version: "1.99" })).map((l) => l.unitPrice), [PRICES.aws.eksControlPlanePerHour.usd]);
    });

    it("refuses a version past standard support on the day of the deployment, and one EKS's calendar does not list", () => {
        const problems = (version: string, today: string) => {
            const check = new ProblemCollector();
            checkKubernetesSupport(check, version, today);
            return check.problems;
        };
        assert.deepEqual(problems("1.35", "2027-03-26"), [], "the last day of standard support");
        const [ended] = problems("1.35", "2027-03-27");
        assert.equal(ended.propertyPath, "kubernetesVersion");
        assert.match(ended.reason, /Kubernetes 1\.35 left EKS standard support on 2027-03-27: .*\$0\.60 an hour .*Use one of 1\.36$/);
        assert.match(problems("1.29", "2026-11-25")[0].reason, /"1\.29" is not among the minors of EKS's calendar \(1\.30, .*\): use "1\.35"/);
        // 1.31 left standard support on 2025-11-26, before any day this test runs.
        assert.deepEqual(validateEksHubArgs({ ...MINIMAL, kubernetesVersion: "1.31" }).map((p) => p.propertyPath), ["kubernetesVersion"]);
    });
});
