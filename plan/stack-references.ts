import { Problem, suggestKey } from "../components/validation";
import { PulumiProject, StackConfig, readStackConfig, stackNames } from "./stack-config";

/*
 * Offline, a StackReference answers with stand-in outputs, so a course on a department cluster
 * would plan whatever stack it names. A stack of this project can be checked against its stack
 * file instead: it must exist and stand up a cluster. Another project's stack cannot be seen: the
 * plan says its outputs were assumed.
 */

/** Platforms whose stacks make a cluster that other courses deploy onto (their outputs carry its kubeconfig). */
const CLUSTER_PLATFORMS = ["eks", "gke"];

/**
 * The stack of this project that a StackReference name points to, as the Pulumi CLI reads it:
 * `stack` and `org/stack` are in the current project, `org/project/stack` in the project named;
 * undefined when that is another project.
 */
export function stackOfProject(project: PulumiProject, reference: string): string | undefined {
    const parts = reference.split("/");
    if (parts.length === 3) {
        return parts[1] === project.name ? parts[2] : undefined;
    }
    return parts[parts.length - 1];
}

/** The platform a stack file sets, if it sets one and can be read. */
function platformOf(project: PulumiProject, stack: string): string | undefined {
    try {
        return readStackConfig(project, stack).config[`${project.name}:platform`];
    } catch {
        return undefined;
    }
}

/** The project's stacks that make a cluster, with their platforms (`dept-stats-cluster (gke)`). */
function clusterStacks(project: PulumiProject): string[] {
    return stackNames(project).flatMap((stack) => {
        const platform = platformOf(project, stack);
        return platform !== undefined && CLUSTER_PLATFORMS.includes(platform) ? [`${stack} (${platform})`] : [];
    });
}

/** The department cluster stack a course on an existing cluster names (`course-hubs:kubernetes.clusterStack`), if any. */
function clusterStackOf(project: PulumiProject, stackConfig: StackConfig): string | undefined {
    if (stackConfig.config[`${project.name}:platform`] !== "kubernetes") {
        return undefined;
    }
    try {
        const target = JSON.parse(stackConfig.config[`${project.name}:kubernetes`] ?? "{}");
        return typeof target?.clusterStack === "string" ? target.clusterStack : undefined;
    } catch {
        return undefined;
    }
}

/**
 * A cluster stack of this project that the stack names but that has no stack file, or whose
 * platform makes no cluster, by the config key that names it, with the stacks that would do.
 */
export function clusterStackProblems(project: PulumiProject, stackConfig: StackConfig): Problem[] {
    const reference = clusterStackOf(project, stackConfig);
    const stack = reference === undefined ? undefined : stackOfProject(project, reference);
    if (stack === undefined) {
        return [];
    }
    const candidates = clusterStacks(project);
    const wouldDo = candidates.length > 0
        ? `stacks of this project that make a cluster: ${candidates.join(", ")}`
        : `this project has no stack of platform ${CLUSTER_PLATFORMS.join(" or ")} to name`;
    const problem = (reason: string) => [{ propertyPath: `${project.name}:kubernetes.clusterStack`, reason: `${reason}; ${wouldDo}` }];
    if (!stackNames(project).includes(stack)) {
        const hint = suggestKey(stack, stackNames(project));
        const didYouMean = hint ? ` (did you mean ${hint}?)` : "";
        return problem(`"${reference}" names stack ${stack} of project ${project.name}, which has no stack file Pulumi.${stack}.yaml${didYouMean}`);
    }
    const platform = platformOf(project, stack);
    if (platform === undefined || !CLUSTER_PLATFORMS.includes(platform)) {
        return problem(`"${reference}" names stack ${stack}, whose platform is ${platform ?? "not set"}: it makes no cluster to deploy onto`);
    }
    return [];
}

/** A StackReference the program read, and what the plan knows of it. */
export interface StackReferenceNote {
    /** The name the program referenced. */
    name: string;
    /** The stack of this project it names, checked against its stack file; absent for another project's stack. */
    projectStack?: string;
    /** The outputs the plan assumed it has: stand-ins, not read from the stack. */
    assumedOutputs: string[];
}
