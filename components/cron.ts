/**
 * Checks a standard five-field cron expression (minute hour day-of-month month day-of-week), the
 * form Kubernetes CronJobs and EC2 Auto Scaling scheduled actions share. Returns a description of
 * the first fault, or undefined when the expression is valid.
 */
export function cronProblem(expression: string): string | undefined {
    const parsed = parseCronFields(expression);
    return typeof parsed === "string" ? parsed : undefined;
}

/**
 * When a valid five-field cron expression fires, as the values each field allows, so that a plan
 * can count firings instead of only checking the expression. Read as Kubernetes CronJobs read it
 * (robfig/cron): `n/step` runs from n to the field's last value.
 * @throws Error naming the expression and its first fault (cronProblem's description) when it is
 * not valid.
 */
export function parseCron(expression: string): CronSchedule {
    const parsed = parseCronFields(expression);
    if (typeof parsed === "string") {
        throw new Error(`"${expression}" is not a cron expression: ${parsed}`);
    }
    const [minutes, hours, daysOfMonth, months, daysOfWeek] = parsed;
    return {
        minutes: minutes.values,
        hours: hours.values,
        daysOfMonth: daysOfMonth.values,
        months: months.values,
        daysOfWeek: daysOfWeek.values,
        eitherDay: !daysOfMonth.everyValue && !daysOfWeek.everyValue,
    };
}

/** When a cron expression fires: the values each of its fields allows, in ascending order. */
export interface CronSchedule {
    /** Minutes of the hour, 0-59. */
    minutes: readonly number[];
    /** Hours of the day, 0-23. */
    hours: readonly number[];
    /** Days of the month, 1-31. */
    daysOfMonth: readonly number[];
    /** Months, 1 (January) to 12. */
    months: readonly number[];
    /** Days of the week, 0 (Sunday) to 6. */
    daysOfWeek: readonly number[];
    /**
     * Whether a day matching either daysOfMonth or daysOfWeek fires: cron's rule when both fields
     * are restricted. When either allows every value as `*` (unstepped or with a step of 1), a day
     * must match both, which then means the other one alone.
     */
    eitherDay: boolean;
}

interface CronField {
    name: string;
    min: number;
    max: number;
    names?: readonly string[];
    /** What to write instead of a value outside the field's range. */
    outsideHint?: string;
}

const CRON_FIELDS: readonly CronField[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day-of-month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
    // Kubernetes validates CronJob schedules with robfig/cron, whose days of the week are 0-6: a 7
    // for Sunday, which other crons take, would be refused by the API server at deployment.
    {
        name: "day-of-week", min: 0, max: 6, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
        outsideHint: "Sunday is 0 or SUN (Kubernetes CronJobs refuse 7)",
    },
];

/**
 * A field's allowed values, and whether it was written as every value, which cron's day rule
 * tells apart from a list that happens to name them all.
 */
interface ParsedField {
    values: number[];
    everyValue: boolean;
}

function parseCronFields(expression: string): ParsedField[] | string {
    const fields = expression.trim().split(/\s+/);
    if (fields.length !== CRON_FIELDS.length) {
        return `needs 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
    }
    const parsed: ParsedField[] = [];
    for (let i = 0; i < fields.length; i++) {
        const field = parseCronField(fields[i], CRON_FIELDS[i]);
        if (typeof field === "string") {
            return `${CRON_FIELDS[i].name} field "${fields[i]}": ${field}`;
        }
        parsed.push(field);
    }
    return parsed;
}

function parseCronField(field: string, spec: CronField): ParsedField | string {
    const values = new Set<number>();
    let everyValue = false;
    for (const part of field.split(",")) {
        const [range, step, extra] = part.split("/");
        if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) {
            return `"${part}" has an invalid step`;
        }
        const stride = step === undefined ? 1 : Number(step);
        // robfig/cron, behind Kubernetes CronJobs, counts `*/2` as a restriction but `*/1` as `*`
        everyValue ||= range === "*" && stride === 1;
        const bounds = cronRange(range, step !== undefined, spec);
        if (typeof bounds === "string") {
            return bounds;
        }
        for (let value = bounds[0]; value <= bounds[1]; value += stride) {
            values.add(value);
        }
    }
    return { values: [...values].sort((a, b) => a - b), everyValue };
}

/** The first and last value of one range of a field (`*`, `5`, `1-5`), or its fault. */
function cronRange(range: string, stepped: boolean, spec: CronField): [number, number] | string {
    const last = spec.max;
    if (range === "*") {
        return [spec.min, last];
    }
    const bounds = range.split("-");
    if (bounds.length > 2) {
        return `"${range}" is not a value or a range`;
    }
    const values = bounds.map((b) => cronValue(b, spec));
    if (values.some((v) => v === undefined)) {
        return `"${range}" is outside ${spec.min}-${spec.max}${spec.outsideHint ? `: ${spec.outsideHint}` : ""}`;
    }
    const [first, second] = values as number[];
    if (second === undefined) {
        return [first, stepped ? Math.max(first, last) : first];
    }
    return first > second ? `range "${range}" runs backwards` : [first, second];
}

function cronValue(text: string, spec: CronField): number | undefined {
    const byName = spec.names?.indexOf(text.toUpperCase()) ?? -1;
    if (byName >= 0) {
        return byName + (spec.name === "month" ? 1 : 0);
    }
    if (!/^\d+$/.test(text)) {
        return undefined;
    }
    const value = Number(text);
    return value >= spec.min && value <= spec.max ? value : undefined;
}
