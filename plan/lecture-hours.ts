import { CronSchedule, parseCron } from "../components/cron";
import { PrewarmWindow } from "../components/hub/spec";
import { describe, Problem, problemList } from "../components/validation";

/* How long a course's prewarm windows stay open over a whole term, for the plan's cost estimate. */

/**
 * A calendar day, `YYYY-MM-DD`.
 * @pattern ^\d{4}-\d{2}-\d{2}$
 * @patternErrorMessage use a date such as 2026-09-08 (YYYY-MM-DD)
 */
export type IsoDate = string;

/** The days a course runs: ISO dates in the schedule's time zone, both included. */
export interface TermDates {
    /** The term's first day. */
    start: IsoDate;
    /** The term's last day; all of it counts. */
    end: IsoDate;
}

/** How often a prewarm window opens over a term and how long it stays open in all. */
export interface WindowOpenings {
    /** Times the window opened: a start firing while it was closed. */
    opens: number;
    /** Total hours it was open, as elapsed time, which is what the extra seats are billed for. */
    hours: number;
}

/** At most a year, with its leap day: a longer term is almost certainly a mistyped year. */
const MAX_TERM_DAYS = 366;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** UTC offsets run from -12:00 to +14:00, so a local day lies within these bounds of its wall times read as UTC. */
const MOST_AHEAD_MS = 14 * HOUR_MS;
const MOST_BEHIND_MS = 12 * HOUR_MS;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * How many times a prewarm window opens during a term and for how many hours in all, so the
 * offline plan can price a term's extra ready seats instead of guessing a monthly average.
 *
 * The window opens at each minute matching `window.start` within the term and closes at the first
 * later minute matching `window.end`, or at the end of the term's last day if `end` does not come
 * before it. A start firing while the window is open changes nothing (the seats are already up),
 * so `opens` counts only starts of a closed window. Cron fields are read on the wall clock of
 * `timeZone` as Kubernetes CronJobs read them (robfig/cron): day-of-month and day-of-week, when
 * both are restricted, match a day if either does; 0 and 7 are Sunday.
 *
 * Across a change of the clocks, `hours` is elapsed time: a 9:45–11:30 lecture stays 1.75 h on
 * either side of it, and a window open during the change counts the hour the clocks repeat (or
 * not the one they skip): 0:45–2:30 on the night New York falls back is 2.75 h. A wall time that does not exist on a spring-forward day (2:30 in New York on
 * the second Sunday of March) does not fire, and one that occurs twice when clocks fall back fires
 * at both instants, as Kubernetes' cron library does.
 *
 * Only the days of the term are visited, and on a day that a cron expression matches only its
 * matching hours and minutes, with two time zone look-ups per expression on such a day (one more
 * per firing on a day the clocks change), so a term costs milliseconds.
 * @param window the window's `start` and `end` cron expressions (a prewarm.schedule entry).
 * @param timeZone the IANA time zone the schedule is read in (prewarm.timeZone).
 * @param term the term's first and last days in that time zone.
 * @throws Error when a cron expression, the time zone or the term is not valid.
 */
export function lectureWindows(window: Pick<PrewarmWindow, "start" | "end">, timeZone: string, term: TermDates): WindowOpenings {
    const opening = parseCron(window.start);
    const closing = parseCron(window.end);
    const clock = new ZoneClock(timeZone);
    const { firstDay, lastDay } = termDayNumbers(term);
    const termStart = clock.boundary(firstDay * DAY_MS);
    const termEnd = clock.boundary((lastDay + 1) * DAY_MS);
    const starts: number[] = [];
    const ends: number[] = [];
    for (let day = firstDay; day <= lastDay; day++) {
        starts.push(...firings(opening, day, clock));
        ends.push(...firings(closing, day, clock));
    }
    const ascending = (a: number, b: number) => a - b;
    starts.sort(ascending);
    ends.sort(ascending);

    let opens = 0;
    let openMs = 0;
    let closedAt = termStart;
    let nextEnd = 0;
    for (const start of starts) {
        if (start < closedAt) {
            continue;
        }
        while (nextEnd < ends.length && ends[nextEnd] <= start) {
            nextEnd++;
        }
        closedAt = Math.min(ends[nextEnd] ?? termEnd, termEnd);
        opens++;
        openMs += closedAt - start;
    }
    return { opens, hours: openMs / HOUR_MS };
}

/**
 * The number of days in a term, first and last included, for spreading a term's cost over its
 * days or comparing it with a monthly price.
 * @throws Error when the term is not valid (see termProblems).
 */
export function termDays(term: TermDates): number {
    const { firstDay, lastDay } = termDayNumbers(term);
    return lastDay - firstDay + 1;
}

/**
 * What is wrong with a term's dates, each at its property path under `path`, all at once: each of
 * `start` and `end` must be a calendar date written `YYYY-MM-DD`, the end not before the start,
 * and the term at most 366 days long, so that a plan never prices a term it misread.
 */
export function termProblems(term: unknown, path: string): Problem[] {
    if (typeof term !== "object" || term === null || Array.isArray(term)) {
        return [{
            propertyPath: path,
            reason: `expected the term's first and last days, { start: "2026-09-08", end: "2026-12-11" }, got ${describe(term)}`,
        }];
    }
    const { start, end } = term as Record<string, unknown>;
    const problems: Problem[] = [];
    const firstDay = dayNumber(start);
    const lastDay = dayNumber(end);
    if (firstDay === undefined) {
        problems.push({ propertyPath: `${path}.start`, reason: dateFault(start, "first") });
    }
    if (lastDay === undefined) {
        problems.push({ propertyPath: `${path}.end`, reason: dateFault(end, "last") });
    }
    if (firstDay !== undefined && lastDay !== undefined) {
        if (lastDay < firstDay) {
            problems.push({
                propertyPath: `${path}.end`,
                reason: `${end} is before the term's start, ${start}: give the term's last day, on or after its first (or swap the two)`,
            });
        } else if (lastDay - firstDay + 1 > MAX_TERM_DAYS) {
            problems.push({
                propertyPath: path,
                reason: `runs ${lastDay - firstDay + 1} days, from ${start} to ${end}; a term is at most ${MAX_TERM_DAYS} days: check the years`,
            });
        }
    }
    return problems;
}

function dateFault(value: unknown, which: "first" | "last"): string {
    const fix = `give the term's ${which} day as YYYY-MM-DD, for example "${which === "first" ? "2026-09-08" : "2026-12-11"}"`;
    if (value === undefined) {
        return `is missing: ${fix}`;
    }
    const shape = typeof value === "string" && ISO_DATE.test(value) ? "is not a date on the calendar" : "is not a date written YYYY-MM-DD";
    return `${describe(value)} ${shape}: ${fix}`;
}

/** A term's first and last day as days since 1970-01-01. */
function termDayNumbers(term: TermDates): { firstDay: number; lastDay: number } {
    const problems = termProblems(term, "term");
    if (problems.length > 0) {
        throw new Error(`The term's dates are not valid:\n${problemList(problems)}`);
    }
    return { firstDay: dayNumber(term.start) as number, lastDay: dayNumber(term.end) as number };
}

/** Days since 1970-01-01 of an ISO date, or undefined when it is not a calendar date. */
function dayNumber(text: unknown): number | undefined {
    const match = typeof text === "string" ? ISO_DATE.exec(text) : null;
    if (!match) {
        return undefined;
    }
    const [year, month, day] = match.slice(1).map(Number);
    // setUTCFullYear, unlike Date.UTC, does not read years below 100 as 19xx
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    const isCalendarDate = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    return isCalendarDate ? date.getTime() / DAY_MS : undefined;
}

/** The instants, in ms since the epoch, at which a cron schedule fires on one local day. */
function firings(schedule: CronSchedule, day: number, clock: ZoneClock): number[] {
    const date = new Date(day * DAY_MS);
    if (!dayMatches(schedule, date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCDay())) {
        return [];
    }
    const offsets = clock.offsetsDuring(day * DAY_MS);
    return schedule.hours.flatMap((hour) => schedule.minutes.flatMap((minute) =>
        clock.instants(day * DAY_MS + hour * HOUR_MS + minute * MINUTE_MS, offsets)));
}

function dayMatches(schedule: CronSchedule, month: number, dayOfMonth: number, dayOfWeek: number): boolean {
    if (!schedule.months.includes(month)) {
        return false;
    }
    const byDate = schedule.daysOfMonth.includes(dayOfMonth);
    const byWeekday = schedule.daysOfWeek.includes(dayOfWeek);
    return schedule.eitherDay ? byDate || byWeekday : byDate && byWeekday;
}

/**
 * Wall times of one IANA time zone as instants. A wall time is written as the ms since the epoch
 * it would be in UTC, so calendar arithmetic on it needs no time zone.
 */
class ZoneClock {
    private readonly format: Intl.DateTimeFormat;

    constructor(timeZone: string) {
        this.format = new Intl.DateTimeFormat("en-US", {
            timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
        });
    }

    /**
     * The UTC offsets in ms in force at some time during the local day starting at wall time
     * `dayStart`: one, or two on a day the clocks change. Probing just outside the day's widest
     * possible span finds both sides of a change, as long as clocks change at most once in 50 hours.
     */
    offsetsDuring(dayStart: number): number[] {
        const before = this.offsetAt(dayStart - MOST_AHEAD_MS);
        const after = this.offsetAt(dayStart + DAY_MS + MOST_BEHIND_MS);
        return before === after ? [before] : [before, after];
    }

    /**
     * The instants the wall clock reads `wall`, given the offsets in force that day: none in the
     * gap the clocks skip forward over, two (earlier first) in the hour they repeat falling back.
     */
    instants(wall: number, offsets: number[]): number[] {
        if (offsets.length === 1) {
            return [wall - offsets[0]];
        }
        return offsets.map((offset) => wall - offset).filter((instant) => this.offsetAt(instant) === wall - instant);
    }

    /**
     * The instant a term starts or ends at local midnight `wall`: its first occurrence, or, in the
     * zones whose clocks skip midnight, the instant they jump past it.
     */
    boundary(wall: number): number {
        const offsets = this.offsetsDuring(wall);
        return this.instants(wall, offsets)[0] ?? wall - offsets[0];
    }

    private offsetAt(instant: number): number {
        const parts = this.format.formatToParts(instant);
        const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
        const wall = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
        return wall - instant;
    }
}
