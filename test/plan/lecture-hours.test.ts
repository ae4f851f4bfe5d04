import { strict as assert } from "node:assert";
import { performance } from "node:perf_hooks";
import { lectureWindows, termDays, termProblems } from "../../plan/lecture-hours";

/*
 * Expected numbers come from the calendar, worked out by hand: 2026-01-01 is a Thursday (2025-01-01
 * was a Wednesday and 2025 has 365 days). September 1 is 243 days later (31+28+31+30+31+30+31+31),
 * 34 weeks and 5 days, so a Tuesday; October 1 is 30 days after that, a Thursday; November 1 is 31
 * days after that, a Sunday; December 1 is 30 days after that, a Tuesday. New York's clocks fall
 * back on the first Sunday of November (2026-11-01, 2:00 EDT -> 1:00 EST) and spring forward on
 * the second Sunday of March (March 1 is 59 days after January 1, a Sunday, so 2026-03-08, 2:00
 * EST -> 3:00 EDT).
 */

const NEW_YORK = "America/New_York";
const LECTURE = { start: "45 9 * * 1,3", end: "30 11 * * 1,3" };
/** Tuesday after Labor Day (September 7) to Friday of the last teaching week. */
const FALL_2026 = { start: "2026-09-08", end: "2026-12-11" };

describe("lecture hours over a term", () => {
    it("counts Monday and Wednesday lectures of a fall term, 1.75 h each", () => {
        // Mondays from Sep 8 (Tue) to Dec 11 (Fri): Sep 14 21 28, Oct 5 12 19 26, Nov 2 9 16 23 30,
        // Dec 7 = 13. Wednesdays: Sep 9 16 23 30, Oct 7 14 21 28, Nov 4 11 18 25, Dec 2 9 = 14.
        const lectures = 13 + 14;
        assert.deepEqual(lectureWindows(LECTURE, NEW_YORK, FALL_2026), { opens: lectures, hours: lectures * 1.75 });
    });

    it("keeps a lecture 1.75 h on each side of the clocks falling back, and counts elapsed hours when a window spans the change", () => {
        // Every day Oct 30 (Fri) to Nov 3 (Tue): 5 lectures, Nov 1 being the day of the change.
        const daily = { start: "45 9 * * *", end: "30 11 * * *" };
        assert.deepEqual(lectureWindows(daily, NEW_YORK, { start: "2026-10-30", end: "2026-11-03" }), { opens: 5, hours: 5 * 1.75 });
        // 0:45 EDT to 2:30 EST on Nov 1: 1.75 h on the wall clock, plus the repeated hour from 1:00 to 2:00.
        const acrossTheChange = { start: "45 0 * * 0", end: "30 2 * * 0" };
        assert.deepEqual(lectureWindows(acrossTheChange, NEW_YORK, { start: "2026-11-01", end: "2026-11-01" }), { opens: 1, hours: 2.75 });
    });

    it("fires a wall time the clocks repeat twice, and skips one they skip", () => {
        // 1:10-1:20 happens in EDT and again in EST on Nov 1: two openings of 10 minutes.
        const inRepeatedHour = { start: "10 1 * * *", end: "20 1 * * *" };
        assert.deepEqual(lectureWindows(inRepeatedHour, NEW_YORK, { start: "2026-11-01", end: "2026-11-01" }), { opens: 2, hours: 20 / 60 });
        // 2:30 does not exist on Mar 8: Mar 7 and Mar 9 open 2:30-4:00 (1.5 h each); on Mar 8 the
        // 4:00 close finds nothing open.
        const inSkippedHour = { start: "30 2 * * *", end: "0 4 * * *" };
        assert.deepEqual(lectureWindows(inSkippedHour, NEW_YORK, { start: "2026-03-07", end: "2026-03-09" }), { opens: 2, hours: 3 });
    });

    it("reads a weekday range, names and a stepped range", () => {
        // Sep 14 (Mon) to Sep 27 (Sun): two working weeks, 10 days of 8 hours.
        const twoWeeks = { start: "2026-09-14", end: "2026-09-27" };
        const workday = { opens: 10, hours: 80 };
        assert.deepEqual(lectureWindows({ start: "0 9 * * 1-5", end: "0 17 * * 1-5" }, NEW_YORK, twoWeeks), workday);
        assert.deepEqual(lectureWindows({ start: "0 9 * * MON-FRI", end: "0 17 * * mon-fri" }, NEW_YORK, twoWeeks), workday);
        // 1-5/2 is Monday, Wednesday and Friday: 3 days a week.
        assert.deepEqual(lectureWindows({ start: "0 9 * * 1-5/2", end: "0 17 * * *" }, NEW_YORK, twoWeeks), { opens: 6, hours: 48 });
        // 1/2 runs from Monday to Saturday, as in Kubernetes: the same days, not Sunday (7) too.
        assert.deepEqual(lectureWindows({ start: "0 9 * * 1/2", end: "0 17 * * *" }, NEW_YORK, twoWeeks), { opens: 6, hours: 48 });
        // In September only, written by name: the same two weeks; in October, nothing.
        assert.deepEqual(lectureWindows({ start: "0 9 * SEP 1-5", end: "0 17 * * *" }, NEW_YORK, twoWeeks), workday);
        assert.deepEqual(lectureWindows({ start: "0 9 * OCT 1-5", end: "0 17 * * *" }, NEW_YORK, twoWeeks), { opens: 0, hours: 0 });
    });

    it("opens once while a start fires again in an open window", () => {
        // 9:00, 9:15, 9:30 and 9:45 each match, but the window opened at 9:00 stays open until 10:00.
        const everyQuarter = { start: "*/15 9 * * 1", end: "0 10 * * 1" };
        assert.deepEqual(lectureWindows(everyQuarter, NEW_YORK, { start: "2026-09-14", end: "2026-09-14" }), { opens: 1, hours: 1 });
    });

    it("closes a window whose end never comes at the end of the term's last day", () => {
        // Opens Monday Sep 14 at 9:00; the December close never comes, so it is open until the end of
        // Sep 27: 13 days and 15 hours. Monday Sep 21's start finds it still open.
        const neverClosed = { start: "0 9 * * 1", end: "0 8 * DEC *" };
        assert.deepEqual(lectureWindows(neverClosed, NEW_YORK, { start: "2026-09-14", end: "2026-09-27" }), { opens: 1, hours: 13 * 24 + 15 });
    });

    it("reads 0 and SUN as Sunday, and refuses 7, as Kubernetes does", () => {
        // Sundays in September 2026 (Sep 1 a Tuesday): 6, 13, 20, 27, an hour each.
        const september = { start: "2026-09-01", end: "2026-09-30" };
        for (const sunday of ["0", "SUN", "0/7"]) {
            assert.deepEqual(lectureWindows({ start: `0 10 * * ${sunday}`, end: "0 11 * * *" }, NEW_YORK, september), { opens: 4, hours: 4 }, sunday);
        }
        // Saturdays 5, 12, 19, 26 and the Sundays.
        assert.deepEqual(lectureWindows({ start: "0 10 * * 0,6", end: "0 11 * * *" }, NEW_YORK, september), { opens: 8, hours: 8 });
        assert.throws(() => lectureWindows({ start: "0 10 * * 7", end: "0 11 * * *" }, NEW_YORK, september), /Sunday is 0 or SUN/);
    });

    it("fires on a day matching the day of month or the day of week when both are restricted, both only when one is *", () => {
        // October 2026 (Oct 1 a Thursday): Fridays 2, 9, 16, 23, 30, and the 13th, a Tuesday.
        const october = { start: "2026-10-01", end: "2026-10-31" };
        const hourFrom = (start: string) => lectureWindows({ start, end: "0 10 * * *" }, NEW_YORK, october);
        assert.deepEqual(hourFrom("0 9 13 * 5"), { opens: 6, hours: 6 }, "the 13th or a Friday");
        assert.deepEqual(hourFrom("0 9 * * 5"), { opens: 5, hours: 5 }, "a day-of-month * leaves the Fridays");
        assert.deepEqual(hourFrom("0 9 13 * *"), { opens: 1, hours: 1 }, "a day-of-week * leaves the 13th");
        // A stepped * restricts, as in Kubernetes: the 16 odd days of October, and the Fridays among
        // the even days (2, 16, 30), 19 in all.
        assert.deepEqual(hourFrom("0 9 */2 * 5"), { opens: 19, hours: 19 }, "odd days or a Friday");
    });

    it("ends the term at midnight in the schedule's time zone", () => {
        // Opens at 23:00 on the term's only day; the 1:00 close comes the next day, after the term,
        // so the window closes at local midnight: 1 h, whether local midnight is before or after UTC's.
        const lateEvening = { start: "0 23 * * *", end: "0 1 * * *" };
        for (const timeZone of [NEW_YORK, "Asia/Tokyo"]) {
            assert.deepEqual(lectureWindows(lateEvening, timeZone, { start: "2026-09-14", end: "2026-09-14" }), { opens: 1, hours: 1 }, timeZone);
        }
    });

    it("computes a 16-week term with two windows in well under 50 ms", () => {
        // Aug 31 (Mon) to Dec 20 (Sun): 112 days.
        const sixteenWeeks = { start: "2026-08-31", end: "2026-12-20" };
        const lab = { start: "*/5 13-15 * * 2,4", end: "0 17 * * 2,4" };
        const began = performance.now();
        lectureWindows(LECTURE, NEW_YORK, sixteenWeeks);
        lectureWindows(lab, NEW_YORK, sixteenWeeks);
        const elapsedMs = performance.now() - began;
        assert.ok(elapsedMs < 50, `took ${elapsedMs.toFixed(1)} ms`);
    });

    it("refuses an invalid cron expression or time zone", () => {
        assert.throws(() => lectureWindows({ start: "45 9 * * 8", end: LECTURE.end }, NEW_YORK, FALL_2026), /"45 9 \* \* 8" is not a cron expression: day-of-week/);
        assert.throws(() => lectureWindows(LECTURE, "Mars/Olympus_Mons", FALL_2026), RangeError);
        assert.throws(() => lectureWindows(LECTURE, NEW_YORK, { start: "2026-12-11", end: "2026-09-08" }), /term\.end/);
    });
});

describe("term dates", () => {
    it("counts the days of a term, both ends included", () => {
        // Sep 8-30: 23 days, October 31, November 30, Dec 1-11: 11; 95 in all.
        assert.equal(termDays(FALL_2026), 23 + 31 + 30 + 11);
        assert.equal(termDays({ start: "2026-09-08", end: "2026-09-08" }), 1);
        assert.equal(termDays({ start: "2028-01-01", end: "2028-12-31" }), 366, "2028 is a leap year");
    });

    it("accepts a valid term", () => {
        assert.deepEqual(termProblems(FALL_2026, "plan.term"), []);
        assert.deepEqual(termProblems({ start: "2028-02-29", end: "2028-02-29" }, "plan.term"), []);
    });

    it("refuses a term ending before it starts, naming the path and the fix", () => {
        assert.deepEqual(termProblems({ start: "2026-12-11", end: "2026-09-08" }, "plan.term"), [{
            propertyPath: "plan.term.end",
            reason: "2026-09-08 is before the term's start, 2026-12-11: give the term's last day, on or after its first (or swap the two)",
        }]);
    });

    it("refuses dates that are not ISO calendar dates, all at once", () => {
        const problems = termProblems({ start: "2026-02-29", end: "12/11/2026" }, "plan.term");
        assert.deepEqual(problems.map((p) => p.propertyPath), ["plan.term.start", "plan.term.end"]);
        assert.match(problems[0].reason, /"2026-02-29" is not a date on the calendar: give the term's first day as YYYY-MM-DD, for example "2026-09-08"/);
        assert.match(problems[1].reason, /"12\/11\/2026" is not a date written YYYY-MM-DD: give the term's last day/);
        assert.match(termProblems({ start: "2026-09-08" }, "plan.term")[0].reason, /^is missing: give the term's last day as YYYY-MM-DD/);
        assert.match(termProblems("fall-2026", "plan.term")[0].reason, /expected the term's first and last days/);
    });

    it("refuses a term longer than a leap year", () => {
        assert.deepEqual(termProblems({ start: "2026-09-08", end: "2027-09-08" }, "plan.term").map((p) => p.propertyPath), []);
        const tooLong = termProblems({ start: "2026-09-08", end: "2027-09-09" }, "plan.term");
        assert.deepEqual(tooLong.map((p) => p.propertyPath), ["plan.term"]);
        assert.match(tooLong[0].reason, /runs 367 days, from 2026-09-08 to 2027-09-09; a term is at most 366 days: check the years/);
    });
});
