/**
 * Checks a standard five-field cron expression (minute hour day-of-month month day-of-week), the
 * form Kubernetes CronJobs and EC2 Auto Scaling scheduled actions share. Returns a description of
 * the first fault, or undefined when the expression is valid.
 */
export function cronProblem(expression: string): string | undefined {
    const fields = expression.trim().split(/\s+/);
    if (fields.length !== CRON_FIELDS.length) {
        return `needs 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
    }
    for (let i = 0; i < fields.length; i++) {
        const fault = cronFieldProblem(fields[i], CRON_FIELDS[i]);
        if (fault) {
            return `${CRON_FIELDS[i].name} field "${fields[i]}": ${fault}`;
        }
    }
    return undefined;
}

interface CronField {
    name: string;
    min: number;
    max: number;
    names?: readonly string[];
}

const CRON_FIELDS: readonly CronField[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day-of-month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
    { name: "day-of-week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];

function cronFieldProblem(field: string, spec: CronField): string | undefined {
    for (const part of field.split(",")) {
        const [range, step, extra] = part.split("/");
        if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) {
            return `"${part}" has an invalid step`;
        }
        if (range === "*") {
            continue;
        }
        const bounds = range.split("-");
        if (bounds.length > 2) {
            return `"${range}" is not a value or a range`;
        }
        const values = bounds.map((b) => cronValue(b, spec));
        if (values.some((v) => v === undefined)) {
            return `"${range}" is outside ${spec.min}-${spec.max}`;
        }
        if (values.length === 2 && (values[0] as number) > (values[1] as number)) {
            return `range "${range}" runs backwards`;
        }
    }
    return undefined;
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
