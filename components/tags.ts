import * as pulumi from "@pulumi/pulumi";

/** The identity every resource of a course carries, as AWS tags and (in legal form) as labels. */
export interface CourseIdentity {
    course: string;
    /** The term; none for a standing hub that lives across terms. */
    term?: string;
    owner: string;
}

/** The `term` tag of a standing hub, which has no term: every resource still carries the four tags. */
export const STANDING_TERM = "standing";

/** Just the identity of anything that carries one (a whole HubSpec, for instance). */
export function courseIdentity(source: CourseIdentity): CourseIdentity {
    return { course: source.course, term: source.term, owner: source.owner };
}

/**
 * The course's name on a cluster and in its cloud: `<course>-<term>` (`cs101-fall-2026`), or the
 * course alone for a standing hub without a term (`stats-lab`). It names the hub's namespace and
 * Helm release (whose cluster-wide objects the chart names after it), the EKS and GKE clusters and
 * the EC2 hub, so two courses in one account or cluster never collide.
 */
export function courseName(identity: Pick<CourseIdentity, "course" | "term">): string {
    return identity.term === undefined ? identity.course : `${identity.course}-${identity.term}`;
}

/**
 * A hub's physical name: what its clusters, Helm release, namespace, parameters, keys and VMs are
 * called in its cloud and cluster. The `physicalName` argument when given (a staging and a
 * production hub of one course in one account), else the course name.
 */
export function physicalNameOf(args: { spec: Pick<CourseIdentity, "course" | "term">; physicalName?: string }): string {
    return args.physicalName ?? courseName(args.spec);
}

/** Helm's longest release name; the course name must fit it. */
export const MAX_COURSE_NAME_LENGTH = 53;

/** Value of the `managed-by` tag on everything this library creates. */
export const MANAGED_BY = "course-hubs";

/** Course tags for AWS resources: `course`, `term` ({@link STANDING_TERM} without one), `owner`, `managed-by`. */
export function courseTags(identity: CourseIdentity): Record<string, string> {
    return { course: identity.course, term: identity.term ?? STANDING_TERM, owner: identity.owner, "managed-by": MANAGED_BY };
}

/**
 * The same keys as labels, with values in the form both GCP labels and Kubernetes labels accept
 * (lowercase letters, digits, `_` and `-`, at most 63, starting and ending alphanumeric).
 */
export function courseLabels(identity: CourseIdentity): Record<string, string> {
    return Object.fromEntries(Object.entries(courseTags(identity)).map(([key, value]) => [key, toLabelValue(value)]));
}

/**
 * Turns any text into a legal label value, deterministically: lowercased, every other character
 * replaced by `_`, trimmed to 63 characters and to alphanumeric ends (`it@Example.edu` →
 * `it_example_edu`).
 */
export function toLabelValue(text: string): string {
    const legal = text.toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, 63);
    return legal.replace(/^[^a-z0-9]+/, "").replace(/[^a-z0-9]+$/, "");
}

/** A Pulumi stack by project and name: who owns a course on a cluster that several stacks share. */
export interface OwningStack {
    project: string;
    stack: string;
}

/**
 * Annotation keys on a course's namespace that name the Pulumi stack owning it. A department
 * cluster's guard reads them to name the stacks to destroy before the cluster. Annotations, not
 * labels: a stack name may be longer than a label value allows.
 */
export const OWNING_STACK_ANNOTATIONS = { project: "course-hubs/pulumi-project", stack: "course-hubs/pulumi-stack" } as const;

/** The Pulumi project and stack running this program. */
export function runningStack(): OwningStack {
    return { project: pulumi.getProject(), stack: pulumi.getStack() };
}

/** Annotations naming the stack running this program as the owner of a course's namespace. */
export function owningStackAnnotations(): Record<string, string> {
    const owner = runningStack();
    return { [OWNING_STACK_ANNOTATIONS.project]: owner.project, [OWNING_STACK_ANNOTATIONS.stack]: owner.stack };
}
