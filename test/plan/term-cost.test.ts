import { strict as assert } from "node:assert";
import { userGroupCapacity } from "../../components/capacity";
import { HubSpec } from "../../components/hub/spec";
import { CostEstimate, CostLine } from "../../plan/cost";
import { estimateTermCost, nodeHourPrice } from "../../plan/term-cost";
import { MINIMAL_SPEC } from "../support/specs";

/*
 * What a term costs. The figures are worked out by hand in the comments: the calendar (Mondays and
 * Wednesdays of fall 2026), the machine table's prices and the seats a node holds.
 */

const line = (item: string, resource: string, unitPrice: number, unit: CostLine["unit"], floorQuantity: number, ceilingQuantity: number): CostLine =>
    ({ item, resource, unitPrice, unit, floorQuantity, ceilingQuantity, floor: 0, ceiling: 0 });

/** A monthly estimate with a $122.94 floor and one user group of 6 c6g.2xlarge nodes, each with a 50 GB gp3 disk and a public IPv4. */
const MONTHLY: CostEstimate = {
    currency: "USD",
    hoursPerMonth: 730,
    prices: { date: "2026-11-25", aws: "us-east-1", gcp: "us-central1" },
    lines: [
        line("node group cs101-user-nodes: c6g.2xlarge", "aws:eks/nodeGroup:NodeGroup::cs101-user-nodes", 0.272, "hour", 0, 6),
        line("node group cs101-user-nodes: 50 GB gp3 disk each", "aws:eks/nodeGroup:NodeGroup::cs101-user-nodes", 0.08, "GB-month", 0, 300),
        line("node group cs101-user-nodes: public IPv4 address each", "aws:eks/nodeGroup:NodeGroup::cs101-user-nodes", 0.005, "hour", 0, 6),
        line("EKS control plane", "eks:index:Cluster::cs101-cluster", 0.1, "hour", 1, 1),
    ],
    floor: 122.94,
    ceiling: 0,
    notes: [],
    perStudentMonthly: 0.8,
};

const LECTURES: HubSpec = {
    ...MINIMAL_SPEC,
    server: { image: { name: "quay.io/jupyter/scipy-notebook", tag: "2025-10-20" } },
    prewarm: { timeZone: "America/New_York", schedule: [{ start: "45 9 * * 1,3", end: "30 11 * * 1,3", seats: 150 }] },
};

describe("what a term costs", () => {
    it("prices a user node-hour with its disk and address: 0.272 + 50 x 0.08 / 730 + 0.005", () => {
        assert.ok(Math.abs(nodeHourPrice(MONTHLY, "c6g.2xlarge")! - (0.272 + 50 * 0.08 / 730 + 0.005)) < 1e-9);
        assert.equal(nodeHourPrice(MONTHLY, "m6i.xlarge"), undefined, "a type no group runs");
    });

    it("adds the floor over the term's days, each lecture's nodes for its hours, use outside lectures and the homes", () => {
        const capacity = userGroupCapacity("eks", LECTURES, ["c6g.2xlarge"], 12)!;
        assert.equal(capacity.seatsPerNode, 14);
        const term = estimateTermCost({ start: "2026-09-02", end: "2026-12-16" }, LECTURES, capacity, MONTHLY);
        const nodeHour = 0.272 + 50 * 0.08 / 730 + 0.005;
        // Sep 2 to Dec 16, both included: 29 + 31 + 30 + 16 = 106 days, 2544 hours.
        assert.equal(term.days, 106);
        assert.equal(term.floor, Math.round(122.94 * 2544 / 730 * 100) / 100);
        // Wednesdays Sep 2 .. Dec 16: 16; Mondays Sep 7 .. Dec 14: 15. 31 lectures of 1.75 hours; 150 seats at
        // 14 a node need 11 nodes.
        assert.deepEqual(term.lectures.map((l) => [l.opens, l.hours, l.nodes]), [[31, 54.25, 11]]);
        assert.equal(term.lectures[0].usd, Math.round(11 * 54.25 * nodeHour * 100) / 100);
        // The class is the lecture's 150; 2 hours a week over 106 / 7 weeks, at a node-hour over 14 seats.
        const seatHours = 150 * 2 * 106 / 7;
        assert.equal(term.outsideLectures!.usd, Math.round(seatHours * nodeHour / 14 * 100) / 100);
        // A $0.80 home a student for 2544 of 730 hours.
        assert.equal(term.homes!.usd, Math.round(150 * 0.8 * 2544 / 730 * 100) / 100);
        assert.equal(term.total, Math.round((term.floor + term.lectures[0].usd + term.outsideLectures!.usd + term.homes!.usd) * 100) / 100);
    });

    it("takes the class size and hours outside lectures from the term when given, and counts seats the floor keeps up only once", () => {
        const warm: HubSpec = { ...LECTURES, prewarm: { ...LECTURES.prewarm, seats: 28 } };
        const capacity = userGroupCapacity("eks", warm, ["c6g.2xlarge"], 12)!;
        const term = estimateTermCost({ start: "2026-09-02", end: "2026-12-16", students: 90, hoursPerStudentWeek: 5 }, warm, capacity, MONTHLY);
        // 28 standing seats keep 2 nodes up (in the floor): a lecture adds 11 - 2 = 9.
        assert.equal(term.lectures[0].nodes, 9);
        assert.equal(term.outsideLectures!.students, 90);
        assert.equal(term.outsideLectures!.seatHours, Math.round(90 * 5 * 106 / 7 * 100) / 100);
    });

    it("on a cluster whose nodes the stack does not create, counts the floor and the homes, and says what it leaves out", () => {
        const term = estimateTermCost({ start: "2026-09-02", end: "2026-12-16", students: 40 }, MINIMAL_SPEC, undefined, MONTHLY);
        assert.deepEqual(term.lectures, []);
        assert.equal(term.outsideLectures, undefined);
        assert.equal(term.homes!.students, 40);
        assert.match(term.notes.join("\n"), /does not create its user nodes/);
    });
});
