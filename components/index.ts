// The public API of course-hubs: everything a department's Pulumi program may import.

export { JupyterHub, JupyterHubArgs, validateJupyterHubArgs } from "./hub/jupyterhub";
export { JupyterHubPlatformArgs, Z2jhPlatform, Toleration } from "./hub/platform";
export { hubClusterObjects, HubClusterObjects } from "./hub/cluster-objects";
export {
    PlatformCapabilities,
    Offer,
    NotebookIdentityKind,
    clusterCapabilities,
    eksCapabilities,
    gkeCapabilities,
    ec2Capabilities,
    capabilityProblems,
    hubSpecProblems,
    validatedHubSpec,
} from "./platforms";
export { Validated } from "./validated";
export { HubChartOptions } from "./hub/chart-values";
export { EksHub } from "./aws/eks-hub";
export { ClusterGuard, ClusterGuardArgs } from "./k8s/cluster-guard";
export { PlatformIngressOptions } from "./ingress/options";
export {
    StaticIpIngress,
    StaticIpIngressArgs,
    GcpAddress,
    AwsAddresses,
    GcpDns,
    AwsDns,
    INGRESS_CHARTS,
    validateStaticIpIngressArgs,
} from "./ingress/static-ip-ingress";
export {
    EksHubArgs, EksIngressOptions, S3BucketAccess, NewVpcNetwork, ExistingVpcNetwork, SubnetRef, CoreNodeOptions, UserNodeOptions, GpuNodeOptions,
} from "./aws/eks-args";
export { validateEksHubArgs } from "./aws/eks-validate";
export { EC2AutoscaleHub } from "./aws/ec2-hub";
export { EC2AutoscaleHubArgs, ExistingEc2Network, Ec2SubnetRef, Ec2WorkerOptions } from "./aws/ec2-args";
export { validateEc2HubArgs, serversPerWorker } from "./aws/ec2-validate";
export { renderHubUserData, renderWorkerUserData, hubScripts, workerScripts, VmContext } from "./aws/ec2-userdata";
export { toJupyterhubConfig } from "./hub/jupyterhub-config";
export { GkeHub } from "./gcp/gke-hub";
export { GkeHubArgs, GcsBucketAccess, ZonalLocation, RegionalLocation, GkeIngressOptions } from "./gcp/gke-args";
export { validateGkeHubArgs } from "./gcp/gke-validate";
export * from "./hub/spec";
export { validateHubSpec } from "./hub/validate";
export { resolveHubSpec, ResolvedHubSpec, parseByteSize, DEFAULT_IMAGE } from "./hub/defaults";
export { authenticatorConfig, AuthenticatorConfig, AuthenticatorSecret, TraitletsConfig } from "./hub/auth";
export { prewarmScaleActions, PrewarmScaleAction } from "./hub/prewarm";
export {
    toZ2jhValues,
    ingressTlsSecretName,
    Z2jhValues,
    Z2JH_CHART_VERSION,
    Z2JH_CHART_REPOSITORY,
    NODE_PURPOSE_LABEL,
    USER_NODE_TAINT,
} from "./hub/z2jh";
export { courseIdentity, courseName, courseTags, courseLabels, toLabelValue, CourseIdentity, MANAGED_BY } from "./tags";
export {
    CHARTS, IMAGES, EC2_HUB, EKS_KUBERNETES, PINS_REVIEWED, ChartPin, ImagePin, Provenance, EKS_SUPPORT_CALENDAR, EksSupport, EksSupportWindow, eksSupportOn,
    eksSupportWindow,
} from "./versions";
export { Problem, throwIfProblems } from "./validation";
export { MachineType, Architecture, Cloud, MACHINE_PRICES, machineType, machineTypes } from "./machine-types";
export {
    UserGroupCapacity, UserNodeRoom, SeatRequest, NodeSeats, BindingResource, NodePlatform, userGroupCapacity, userNodeRoom, seatsIn, defaultSeatRequest,
    defaultUserNodeType, userNodeOffers, capacityProblems, warmSeatRequest,
} from "./capacity";
export { cronProblem } from "./cron";
