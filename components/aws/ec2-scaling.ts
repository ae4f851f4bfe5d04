import { prewarmScaleActions } from "../hub/prewarm";
import { HubSpec } from "../hub/spec";
import { Validated } from "../validated";
import { EC2_DEFAULTS, Ec2WorkerOptions } from "./ec2-args";
import { serversPerWorker, workerInstanceType } from "./ec2-validate";

/** How the worker group follows the class: its bounds, the load it keeps, and the lecture schedule's minimums. */
export interface WorkerScaling {
    instanceType: string;
    /** Servers one worker holds. */
    serversPerWorker: number;
    /** The group's minimum outside lectures: enough workers for `prewarm.seats`, unless `minCount` says otherwise. */
    minSize: number;
    maxSize: number;
    /** Running servers per ready worker that the target-tracking policy keeps. */
    targetServersPerWorker: number;
    /** The lecture schedule as scheduled actions, each with the group's minimum from its time on. */
    schedule: { name: string; recurrence: string; timeZone: string; minSize: number }[];
}

/** The worker group's scaling for a spec validated for EC2 (whose memory guarantee fits a worker). Pure. */
export function workerScaling(spec: Validated<HubSpec>, workers: Ec2WorkerOptions): WorkerScaling {
    const instanceType = workerInstanceType(workers, spec);
    // Validation requires serversPerWorker for a type whose memory the table does not know.
    const perWorker = workers.serversPerWorker ?? serversPerWorker(instanceType, spec)!;
    const maxSize = workers.maxCount ?? EC2_DEFAULTS.workers.maxCount;
    const workersFor = (seats: number) => Math.min(Math.ceil(seats / perWorker), maxSize);
    const minSize = workers.minCount ?? workersFor(spec.prewarm?.seats ?? 0);
    return {
        instanceType,
        serversPerWorker: perWorker,
        minSize,
        maxSize,
        targetServersPerWorker: Math.max(1, Math.floor(perWorker * EC2_DEFAULTS.targetUtilization)),
        schedule: prewarmScaleActions(spec).map((action) => ({
            name: action.name, recurrence: action.schedule, timeZone: action.timeZone, minSize: Math.max(minSize, workersFor(action.seats)),
        })),
    };
}
