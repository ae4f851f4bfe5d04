import { EC2AutoscaleHubArgs, EksHubArgs, GkeHubArgs, HubChartOptions, HubSpec } from "../components";
import { CourseTerm } from "../plan/term-cost";
import { KubernetesTarget, Platform } from "./course";

/**
 * The `config:` block of a course's stack file, `stacks/Pulumi.<stack>.yaml`. Its JSON Schema,
 * `schema/course-stack.json`, lets an editor check a stack file as it is typed; the secrets of
 * `course-hubs:hub` are left out of it there, since each has a secret key of its own. Keys of other
 * namespaces (`aws:region`, `gcp:project`) are the providers' own, and any is accepted.
 */
export interface CourseStackConfig {
    /** The platform the course runs on; its options go in the key of that name. */
    "course-hubs:platform": Platform;
    /** The course's HubSpec, without its secrets (`course-hubs:authClientSecret`, ...). */
    "course-hubs:hub": HubSpec;
    /** EksHub options, for `course-hubs:platform: eks`; the chart is `course-hubs:chart`. */
    "course-hubs:eks"?: Omit<EksHubArgs, "spec" | "chart">;
    /**
     * GkeHub options, for `course-hubs:platform: gke`; the location defaults to `gcp:zone` or
     * `gcp:region`, the chart is `course-hubs:chart`.
     */
    "course-hubs:gke"?: Omit<GkeHubArgs, "spec" | "chart">;
    /** EC2AutoscaleHub options, for `course-hubs:platform: ec2`. */
    "course-hubs:ec2"?: Omit<EC2AutoscaleHubArgs, "spec">;
    /** The existing cluster, for `course-hubs:platform: kubernetes`. */
    "course-hubs:kubernetes"?: KubernetesTarget;
    /**
     * The hub's Zero to JupyterHub chart, for `course-hubs:platform` eks, gke and kubernetes (ec2
     * runs no chart): its version, and raw values merged last over the ones the hub renders.
     * @default the pinned chart (4.4.0) with the hub's values only
     */
    "course-hubs:chart"?: HubChartOptions;
    /**
     * The term's first and last days (in the lecture schedule's time zone) and how the class uses
     * the hub: `course-hubs plan` then estimates what the whole term costs (the floor over its
     * days, each lecture's nodes, students' use outside lectures and their homes).
     * @default no term estimate
     */
    "course-hubs:term"?: CourseTerm;
    /**
     * The Google Cloud billing account the stack's project bills to (`0X0X0X-0X0X0X-0X0X0X`, as
     * `gcloud billing projects describe <project>` shows it). The program reads nothing from it:
     * `course-hubs plan` of several stacks totals them with the GKE free tier (one credit per
     * billing account) once per account named here.
     * @default the billing account of every other stack planned with it that names none
     */
    "course-hubs:billingAccount"?: string;
    /** The OAuth client secret of GitHub or OIDC login: `pulumi config set --secret course-hubs:authClientSecret ...`. */
    "course-hubs:authClientSecret"?: SecureConfigValue;
    /** The LDAP lookup account's password: `pulumi config set --secret course-hubs:ldapBindPassword ...`. */
    "course-hubs:ldapBindPassword"?: SecureConfigValue;
    /** The shared password: `pulumi config set --secret course-hubs:sharedPassword ...`. */
    "course-hubs:sharedPassword"?: SecureConfigValue;
    /**
     * The admins' password of a shared-password login, required with `adminUsers` (at least 32
     * characters, not the shared password): `pulumi config set --secret course-hubs:sharedAdminPassword ...`.
     */
    "course-hubs:sharedAdminPassword"?: SecureConfigValue;
    /**
     * The private key of `course-hubs:hub.https.certificateChain`, with `https.mode: certificate` (EC2):
     * `pulumi config set --secret course-hubs:tlsPrivateKey "$(cat hub.key)"`.
     */
    "course-hubs:tlsPrivateKey"?: SecureConfigValue;
    /**
     * The password or access token of the registry account of `course-hubs:hub`'s
     * `server.imagePullSecret`, required with it: `pulumi config set --secret course-hubs:imagePullPassword ...`.
     */
    "course-hubs:imagePullPassword"?: SecureConfigValue;
    /**
     * The servers' secret environment variables (`server.secretEnvironment`), by name, each value set
     * encrypted: `pulumi config set --secret --path 'course-hubs:secretEnvironment.API_TOKEN' ...`.
     * @propertyNames { "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "patternErrorMessage": "use letters, digits and underscores, not starting with a digit" }
     */
    "course-hubs:secretEnvironment"?: Record<string, SecureConfigValue>;
    /** The existing cluster's kubeconfig: `pulumi config set --secret course-hubs:kubeconfig "$(cat kubeconfig)"`. */
    "course-hubs:kubeconfig"?: SecureConfigValue;
}

/** A value `pulumi config set --secret` wrote: ciphertext, never the secret itself. */
export interface SecureConfigValue {
    /** Ciphertext of the stack's secrets provider. */
    secure: string;
}
