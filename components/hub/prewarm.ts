import { HubSpec } from "./spec";
import { DEFAULT_PREWARM_TIME_ZONE } from "./defaults";

/** One scheduled change of the number of ready seats. */
export interface PrewarmScaleAction {
    /** Name of the action, unique within the hub, a DNS label: `prewarm-1-open`. */
    name: string;
    /** Five-field cron expression. */
    schedule: string;
    /** IANA time zone the schedule is read in. */
    timeZone: string;
    /** Ready seats from then on. */
    seats: number;
}

/**
 * The spec's lecture schedule as scale actions: each window opens with its seats and closes back
 * to the spec's standing `prewarm.seats`. Platforms turn them into CronJobs or scheduled actions.
 */
export function prewarmScaleActions(spec: HubSpec): PrewarmScaleAction[] {
    const timeZone = spec.prewarm?.timeZone ?? DEFAULT_PREWARM_TIME_ZONE;
    const standingSeats = spec.prewarm?.seats ?? 0;
    return (spec.prewarm?.schedule ?? []).flatMap((window, i) => [
        { name: `prewarm-${i + 1}-open`, schedule: window.start, timeZone, seats: window.seats },
        { name: `prewarm-${i + 1}-close`, schedule: window.end, timeZone, seats: standingSeats },
    ]);
}
