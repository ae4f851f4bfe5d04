import { strict as assert } from "node:assert";
import { EKS_DEFAULTS } from "../components/aws/eks-args";
import { EKS_KUBERNETES, EKS_SUPPORT_CALENDAR, PINS_REVIEWED, eksSupportOn, eksSupportWindow } from "../components/versions";

/*
 * EKS's support calendar (components/versions.ts): what validators refuse and what the plan prices
 * follow from it, so its boundaries are checked day by day.
 */

const minorNumber = (minor: string) => Number(minor.split(".")[1]);

describe("the EKS support calendar", () => {
    it("is standard support until the day before its end, extended support from that day (billed from 00:00 UTC)", () => {
        assert.equal(eksSupportOn("1.32", "2026-03-22"), "standard");
        assert.equal(eksSupportOn("1.32", "2026-03-23"), "extended");
        assert.equal(eksSupportOn("1.35", "2027-03-26"), "standard");
        assert.equal(eksSupportOn("1.35", "2027-03-27"), "extended");
    });

    it("is unsupported from the end of extended support on", () => {
        assert.equal(eksSupportOn("1.32", "2027-03-22"), "extended");
        assert.equal(eksSupportOn("1.32", "2027-03-23"), "unsupported");
        assert.equal(eksSupportOn("1.30", "2026-11-25"), "unsupported");
    });

    it("knows nothing of a minor it does not list, nor of a patch version, and says so with undefined", () => {
        for (const version of ["1.29", "1.37", "1.35.2", "2.0", "constructor", "__proto__"]) {
            assert.equal(eksSupportOn(version, "2026-11-25"), undefined, version);
            assert.equal(eksSupportWindow(version), undefined, version);
        }
        assert.deepEqual(eksSupportWindow("1.34"), { endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" });
    });

    it("refuses a date that is not YYYY-MM-DD, which would compare wrongly as text", () => {
        assert.throws(() => eksSupportOn("1.35", "27/03/2027"), /YYYY-MM-DD/);
        assert.throws(() => eksSupportOn("1.35", "2027-3-27"), /YYYY-MM-DD/);
    });

    it("lists consecutive minors, each supported later than the one before, with twelve months of extended support", () => {
        const minors = Object.keys(EKS_SUPPORT_CALENDAR.minors);
        minors.forEach((minor, i) => {
            const window = eksSupportWindow(minor)!;
            const [year, monthAndDay] = [Number(window.endOfStandardSupport.slice(0, 4)), window.endOfStandardSupport.slice(4)];
            assert.equal(window.endOfExtendedSupport, `${year + 1}${monthAndDay}`, `${minor}: extended support lasts twelve months`);
            if (i > 0) {
                assert.equal(minorNumber(minor), minorNumber(minors[i - 1]) + 1, `${minor} follows ${minors[i - 1]}`);
                assert.ok(window.endOfStandardSupport > eksSupportWindow(minors[i - 1])!.endOfStandardSupport, `${minor} outlives ${minors[i - 1]}`);
            }
        });
    });

    it("has the default EKS version in standard support on the day the pins were reviewed, and the pin's end of life is its end of standard support", () => {
        assert.equal(eksSupportOn(EKS_DEFAULTS.kubernetesVersion, PINS_REVIEWED), "standard",
            `EKS_DEFAULTS.kubernetesVersion ${EKS_DEFAULTS.kubernetesVersion} on ${PINS_REVIEWED}: move the default to a minor in standard support`);
        assert.equal(EKS_KUBERNETES.version, EKS_DEFAULTS.kubernetesVersion);
        assert.equal(EKS_KUBERNETES.endOfLife, eksSupportWindow(EKS_KUBERNETES.version)?.endOfStandardSupport);
    });
});
