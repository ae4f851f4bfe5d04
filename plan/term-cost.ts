import { UserGroupCapacity } from "../components/capacity";
import { HubSpec } from "../components/hub/spec";
import { CostEstimate } from "./cost";
import { TermDates, lectureWindows, termDays } from "./lecture-hours";

/*
 * What a whole term costs, the number a department budgets with: the monthly floor over the
 * term's days, the user nodes each lecture window starts for its hours, students' use outside
 * lectures at what a seat costs, and their home volumes.
 */

/** The term of a course stack (`course-hubs:term`): its dates, and how the class uses the hub. */
export interface CourseTerm extends TermDates {
    /**
     * Students in the course.
     * @default the largest lecture window's seats (`prewarm.schedule`), else the ready seats (`prewarm.seats`)
     * @asType integer
     * @minimum 1
     * @maximum 5000
     */
    students?: number;
    /**
     * Hours each student's server runs outside lectures in a week (homework, labs), until culled.
     * @default 2
     * @minimum 0
     * @maximum 168
     */
    hoursPerStudentWeek?: number;
}

/** What a student's server runs outside lectures each week unless the term says otherwise. */
export const DEFAULT_HOURS_PER_STUDENT_WEEK = 2;

/** One lecture window over the term. */
export interface LectureCost {
    /** The window's cron expressions, as the spec gives them. */
    window: string;
    seats: number;
    opens: number;
    hours: number;
    /** User nodes the window starts beyond those the floor keeps up. */
    nodes: number;
    usd: number;
}

/** The estimate of a whole term. */
export interface TermCost {
    start: string;
    end: string;
    days: number;
    /** The monthly floor over the term's hours. */
    floor: number;
    lectures: LectureCost[];
    outsideLectures?: { students: number; hoursPerStudentWeek: number; seatHours: number; usdPerSeatHour: number; usd: number };
    homes?: { students: number; usdPerStudentMonth: number; usd: number };
    total: number;
    notes: string[];
}

const round = (usd: number) => Math.round(usd * 100) / 100;

/**
 * What a user node of the capacity's type costs an hour with its disk and address: its group's
 * lines in the monthly estimate, the hourly ones as they are and the monthly ones per node.
 */
export function nodeHourPrice(cost: CostEstimate, instanceType: string): number | undefined {
    const compute = cost.lines.find((line) => line.unit === "hour" && line.item.includes(`: ${instanceType}`) && line.ceilingQuantity > 0);
    if (!compute || compute.unitPrice === undefined) {
        return undefined;
    }
    return cost.lines.filter((line) => line.resource === compute.resource).reduce((sum, line) => {
        const perNode = line.ceilingQuantity / compute.ceilingQuantity;
        const price = line.unitPrice ?? 0;
        return sum + (line.unit === "hour" ? price * perNode : line.unit === "GB-month" ? price * perNode / cost.hoursPerMonth : 0);
    }, 0);
}

/**
 * The term's cost for a stack: the floor over its days, each lecture window's extra user nodes for
 * the hours it is open, students' use outside lectures at a full node's seat-hour price (a lower
 * bound: nodes are rarely full then), and a home volume a student for the months of the term.
 * Without the server's capacity (a platform whose nodes the stack does not create), only the floor
 * and the homes are counted, and a note says so. Ready seats are counted at `readySeats`, the
 * capacity for their size when `prewarm.seatSize` makes it another than the server's.
 */
export function estimateTermCost(
    term: CourseTerm, spec: HubSpec, capacity: UserGroupCapacity | undefined, cost: CostEstimate, readySeats = capacity,
): TermCost {
    const days = termDays(term);
    const hours = days * 24;
    const notes: string[] = [];
    const schedule = spec.prewarm?.schedule ?? [];
    const standing = spec.prewarm?.seats ?? 0;
    const students = term.students ?? Math.max(standing, ...schedule.map((w) => w.seats), 0);
    const nodeHour = capacity && nodeHourPrice(cost, capacity.instanceType);
    const lectures: LectureCost[] = [];
    let outsideLectures: TermCost["outsideLectures"];
    if (capacity && nodeHour !== undefined && capacity.seatsPerNode > 0) {
        // Ready seats, standing and in lectures, keep nodes up at their own size (prewarm.seatSize).
        const seatsPerNode = Math.max(readySeats?.seatsPerNode ?? capacity.seatsPerNode, 1);
        const kept = Math.ceil(standing / seatsPerNode);
        for (const window of schedule) {
            const open = lectureWindows(window, spec.prewarm?.timeZone ?? "Etc/UTC", term);
            const nodes = Math.max(0, Math.ceil(window.seats / seatsPerNode) - kept);
            lectures.push({ window: `${window.start} to ${window.end}`, seats: window.seats, ...open, nodes, usd: round(nodes * open.hours * nodeHour) });
        }
        if (students > 0) {
            const hoursPerStudentWeek = term.hoursPerStudentWeek ?? DEFAULT_HOURS_PER_STUDENT_WEEK;
            const seatHours = students * hoursPerStudentWeek * (days / 7);
            const usdPerSeatHour = nodeHour / capacity.seatsPerNode;
            outsideLectures = { students, hoursPerStudentWeek, seatHours: round(seatHours), usdPerSeatHour, usd: round(seatHours * usdPerSeatHour) };
        }
        notes.push("A lecture's nodes are counted for the window's hours; they leave about 10 minutes after their last server ends. "
            + `Use outside lectures is priced at ${capacity.instanceType}'s seat-hour with every seat taken: a lower bound, as evening nodes are rarely full.`);
    } else {
        notes.push("The stack does not create its user nodes (or their type has no price): lectures and use outside them are not counted.");
    }
    const homes = cost.perStudentMonthly !== undefined && students > 0
        ? { students, usdPerStudentMonth: cost.perStudentMonthly, usd: round(students * cost.perStudentMonthly * hours / cost.hoursPerMonth) }
        : undefined;
    if (students === 0 && term.students === undefined) {
        notes.push("No lecture window or ready seats to take the class size from: give course-hubs:term.students to count use outside lectures and homes.");
    }
    const floor = round(cost.floor * hours / cost.hoursPerMonth);
    const total = round(floor + lectures.reduce((sum, l) => sum + l.usd, 0) + (outsideLectures?.usd ?? 0) + (homes?.usd ?? 0));
    return { start: term.start, end: term.end, days, floor, lectures, outsideLectures, homes, total, notes };
}
