import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as efs from "@pulumi/aws/efs";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as ssm from "@pulumi/aws/ssm";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc/securityGroupIngressRule";
import { RandomBytes } from "@pulumi/random/randomBytes";
import { authenticatorConfig } from "../hub/auth";
import { UserGroupCapacity } from "../capacity";
import { courseTags, physicalNameOf } from "../tags";
import { HubSpec } from "../hub/spec";
import { Validated, ValidatedArgs, validatedOnce } from "../validated";
import { createStudentWorkBackups } from "./backup";
import { EC2AutoscaleHubArgs, EC2_DEFAULTS, Ec2WorkerOptions } from "./ec2-args";
import { hubIngressRules } from "./ec2-firewall";
import {
    METRIC_NAMESPACE, SERVERS_PER_WORKER_METRIC, UNPUBLISHED, VmContext, authSecretParameter, ownCertificateParameters, renderHubUserData,
    renderWorkerUserData, serverSecretParameters,
} from "./ec2-userdata";
import { workerScaling } from "./ec2-scaling";
import { validateEc2HubArgs, workerCapacity } from "./ec2-validate";
import {
    ParameterKeyUser, PolicyDocument, ec2HubPolicy, ec2WorkerPolicy, efsRequireTlsPolicy, parameterKeyPolicy, serviceTrustPolicy, sessionManagerPolicy,
} from "./iam";
import { isArmInstanceType } from "./instance-types";
import { createCourseVpc } from "./vpc";

export { EC2AutoscaleHubArgs } from "./ec2-args";

/** What every step of an EC2AutoscaleHub works from. */
interface Course {
    name: string;
    args: ValidatedArgs<EC2AutoscaleHubArgs>;
    hubName: string;
    tags: Record<string, string>;
    region: pulumi.Output<string>;
    caller: ReturnType<typeof getCallerIdentityOutput>;
    /** The ARN of a resource of this account and region. */
    arn: (service: string, resource: pulumi.Input<string>) => pulumi.Output<string>;
    /** The SSM folder of the hub's parameters. */
    parameterPrefix: string;
    /** The workers and their group's name; absent in single-VM mode. */
    workers?: { options: Ec2WorkerOptions; groupName: string };
}

/** Where the hub and the workers run. */
interface Ec2Network {
    vpcId: pulumi.Output<string>;
    hubSubnetId: pulumi.Output<string>;
    workerSubnetIds: pulumi.Output<string>[];
}

/** The security groups of the hub and (unless in single-VM mode) the workers, by role. */
interface Firewall {
    hub: ec2.SecurityGroup;
    workers?: ec2.SecurityGroup;
}

/** The course key, the parameters the VMs read, and the instance profiles allowed to read them. */
interface Secrets {
    parameterKey: kms.Key;
    parameters: ssm.Parameter[];
    hubProfile: iam.InstanceProfile;
    workerProfile?: iam.InstanceProfile;
}

/** The parameters the hub publishes for its workers: the join token (secret) and the manager's address. */
const SWARM_JOIN_TOKEN = "swarm-join-token";
const SWARM_MANAGER = "swarm-manager";

/**
 * The shortest window KMS allows: nothing encrypted under the course key outlives the hub (its
 * parameters are deleted with it), and a key pending deletion costs nothing.
 */
const PARAMETER_KEY_DELETION_WINDOW_DAYS = 7;

/** Docker Swarm's ports between hub and workers: management, gossip, overlay traffic. */
const SWARM_PORTS = [
    { protocol: "tcp", port: 2377 }, { protocol: "tcp", port: 7946 }, { protocol: "udp", port: 7946 }, { protocol: "udp", port: 4789 },
];

/**
 * A course hub on plain EC2: a hub VM (JupyterHub behind Caddy with Let's Encrypt or its own certificate, on an Elastic
 * IP, no SSH: administration through SSM Session Manager) and, unless in single-VM mode, an Auto
 * Scaling group of workers that join the hub's Docker Swarm and run students' servers. Homes and
 * the shared folder live on encrypted EFS mounted everywhere, over TLS. The group follows the
 * class: it tracks servers per worker, the lecture schedule raises it before class, and a worker
 * running a server protects itself from scale-in.
 */
export class EC2AutoscaleHub extends pulumi.ComponentResource {
    /** Address students open. */
    public readonly url: pulumi.Output<string>;
    /** The hub's Elastic IP: point the hostname's A record at it. */
    public readonly address: pulumi.Output<string>;
    /** The hub VM. */
    public readonly hubInstance: ec2.Instance;
    /** The Auto Scaling group of workers; absent in single-VM mode. */
    public readonly workerGroup?: autoscaling.Group;
    /** The course file system: homes and the shared folder. */
    public readonly fileSystem: efs.FileSystem;
    /** The course's KMS key, under which its SSM SecureStrings are encrypted. */
    public readonly parameterKey: kms.Key;
    /** The course's VPC (created, or the one given). */
    public readonly vpcId: pulumi.Output<string>;
    /** Seats on the workers: per worker, at the group's maximum, what binds and what a seat costs; none in single-VM mode. */
    public readonly capacity: UserGroupCapacity[];

    constructor(name: string, givenArgs: EC2AutoscaleHubArgs, opts?: pulumi.ComponentResourceOptions) {
        const args = validatedOnce(`EC2AutoscaleHub "${name}"`, givenArgs, validateEc2HubArgs);
        super("course-hubs:aws:EC2AutoscaleHub", name, {}, opts);
        const parented = { parent: this };
        const region = getRegionOutput({}, parented).region;
        const caller = getCallerIdentityOutput({}, parented);
        const hubName = physicalNameOf(args);
        const workers = args.workers === false ? undefined : args.workers ?? {};
        const course: Course = {
            name,
            args,
            hubName,
            tags: courseTags(args.spec),
            region,
            caller,
            arn: (service, resource) => pulumi.interpolate`arn:aws:${service}:${region}:${caller.accountId}:${resource}`,
            // One folder per hub name: `<folder>/*` in the hub's policy cannot reach another hub's folder.
            parameterPrefix: `/course-hubs/${hubName}`,
            workers: workers && { options: workers, groupName: `${hubName}-workers` },
        };

        this.capacity = workers ? workerCapacity(args.spec, workers) : [];
        const network = this.createNetwork(course);
        const firewall = this.createSecurityGroups(course, network.vpcId);
        const files = this.createFileSystem(course, network, firewall);
        const secrets = this.createSecrets(course);
        const hub = this.createHubVm(course, network, firewall, files, secrets);
        if (course.workers && firewall.workers && secrets.workerProfile) {
            this.workerGroup = this.createWorkerGroup(name, course.workers.options, args.spec, {
                groupName: course.workers.groupName, securityGroup: firewall.workers, subnetIds: network.workerSubnetIds, tags: course.tags,
                context: hub.context, profile: secrets.workerProfile, dependsOn: [hub.instance, ...files.mountTargets],
            });
        }

        this.url = pulumi.output(`https://${args.spec.hostname}/`);
        this.address = hub.address;
        this.hubInstance = hub.instance;
        this.fileSystem = files.fileSystem;
        this.parameterKey = secrets.parameterKey;
        this.vpcId = network.vpcId;
        this.registerOutputs({ url: this.url, address: this.address, workerGroupName: this.workerGroup?.name, fileSystemId: this.fileSystem.id });
    }

    /** The course's VPC (public subnets only: no NAT to pay for), or the subnets given. */
    private createNetwork({ name, args, tags }: Course): Ec2Network {
        if (args.network && "vpcId" in args.network) {
            return {
                vpcId: pulumi.output(args.network.vpcId),
                hubSubnetId: pulumi.output(args.network.hubSubnet.id),
                workerSubnetIds: args.network.workerSubnets.map((s) => pulumi.output(s.id)),
            };
        }
        const vpc = createCourseVpc(name, {
            cidrBlock: args.network?.cidrBlock ?? EC2_DEFAULTS.cidrBlock,
            zoneCount: args.network?.zoneCount ?? EC2_DEFAULTS.zoneCount,
            natGateway: false,
            tags,
        }, this);
        return { vpcId: vpc.vpcId, hubSubnetId: vpc.publicSubnetIds[0], workerSubnetIds: vpc.publicSubnetIds };
    }

    /**
     * The hub's and the workers' security groups: only 80 and 443 open, on the hub (443 to the
     * course's allowed source ranges if it has them); no SSH anywhere; swarm traffic only between the
     * course's own VMs (the Docker API is never exposed).
     */
    private createSecurityGroups({ name, args, tags, workers }: Course, vpcId: pulumi.Output<string>): Firewall {
        const parented = { parent: this };
        const hubGroup = new ec2.SecurityGroup(`${name}-hub`, { vpcId, description: "Course hub: HTTP and HTTPS", tags }, parented);
        for (const { role, port, ...cidr } of hubIngressRules(args.spec)) {
            new SecurityGroupIngressRule(`${name}-hub-${role}`, {
                securityGroupId: hubGroup.id, ipProtocol: "tcp", fromPort: port, toPort: port, ...cidr, tags,
            }, parented);
        }
        const egress = (group: ec2.SecurityGroup, role: string) => new ec2.SecurityGroupRule(`${name}-${role}-egress`, {
            securityGroupId: group.id, type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"],
        }, parented);
        egress(hubGroup, "hub");
        if (!workers) {
            return { hub: hubGroup };
        }
        const workerGroup = new ec2.SecurityGroup(`${name}-workers`, {
            vpcId,
            description: "Course hub workers: swarm traffic from the course only",
            tags,
        }, parented);
        egress(workerGroup, "workers");
        const members = [hubGroup, workerGroup];
        const role = (g: ec2.SecurityGroup) => (g === hubGroup ? "hub" : "workers");
        for (const target of members) {
            for (const source of members) {
                for (const { protocol, port } of SWARM_PORTS) {
                    new SecurityGroupIngressRule(`${name}-swarm-${role(source)}-to-${role(target)}-${protocol}-${port}`, {
                        securityGroupId: target.id, referencedSecurityGroupId: source.id, ipProtocol: protocol, fromPort: port, toPort: port, tags,
                    }, parented);
                }
            }
        }
        return { hub: hubGroup, workers: workerGroup };
    }

    /**
     * The course file system, homes and shared folder: encrypted, NFS from the course's VMs only,
     * mounts over TLS only, a mount target in every worker subnet; backed up when work is kept.
     */
    private createFileSystem(course: Course, network: Ec2Network, firewall: Firewall): { fileSystem: efs.FileSystem; mountTargets: efs.MountTarget[] } {
        const { name, args, hubName, tags, arn } = course;
        const parented = { parent: this };
        const fileSystem = new efs.FileSystem(`${name}-homes`, {
            encrypted: true,
            throughputMode: "elastic",
            lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }],
            tags: { ...tags, Name: `${hubName}-homes` },
        }, { ...parented, ...(args.keepStudentWork ? { retainOnDelete: true } : {}) });
        const nfsGroup = new ec2.SecurityGroup(`${name}-nfs`, {
            vpcId: network.vpcId,
            description: "Course file system: NFS from the hub and workers",
            tags,
        }, parented);
        for (const [role, source] of Object.entries(firewall)) {
            new SecurityGroupIngressRule(`${name}-nfs-from-${role}`, {
                securityGroupId: nfsGroup.id, referencedSecurityGroupId: source.id, ipProtocol: "tcp", fromPort: 2049, toPort: 2049, tags,
            }, parented);
        }
        const mountTargets = network.workerSubnetIds.map((subnetId, i) =>
            new efs.MountTarget(`${name}-homes-${i + 1}`, { fileSystemId: fileSystem.id, subnetId, securityGroups: [nfsGroup.id] }, parented));
        // Every VM mounts with efs-utils' `tls` option; the file system refuses any mount without it.
        new efs.FileSystemPolicy(`${name}-homes`, {
            fileSystemId: fileSystem.id,
            policy: arn("elasticfilesystem", pulumi.interpolate`file-system/${fileSystem.id}`)
                .apply((fileSystemArn) => JSON.stringify(efsRequireTlsPolicy(fileSystemArn))),
        }, parented);
        if (args.keepStudentWork) {
            createStudentWorkBackups(name, args.spec, tags, this);
        }
        return { fileSystem, mountTargets };
    }

    /**
     * The VMs' roles and the secrets they read: SSM SecureStrings under the course's own key, whose
     * policy lets each role decrypt only the parameters it reads.
     */
    private createSecrets(course: Course): Secrets {
        const { name, args, hubName, tags, region, caller, arn, parameterPrefix, workers } = course;
        const parented = { parent: this };
        const parameterArn = (key: string) => arn("ssm", `parameter${parameterPrefix}/${key}`);
        const hubSecrets: [key: string, value: pulumi.Input<string>][] = [
            ...["cookie-secret", "crypt-key", "proxy-token"].map((key): [string, pulumi.Input<string>] =>
                [key, new RandomBytes(`${name}-${key}`, { length: 32 }, parented).hex]),
            ...authenticatorConfig(args.spec).secrets.map((secret, i): [string, pulumi.Input<string>] => [authSecretParameter(i), secret.value]),
            ...ownCertificateParameters(args.spec),
            ...serverSecretParameters(args.spec),
        ];
        const hubSecretArns = pulumi.all(hubSecrets.map(([key]) => parameterArn(key)));
        const joinTokenArns = pulumi.all(workers ? [parameterArn(SWARM_JOIN_TOKEN)] : []);
        const swarmParameterArns = pulumi.all(workers ? [SWARM_JOIN_TOKEN, SWARM_MANAGER].map(parameterArn) : []);

        const hubRole = this.instanceRole(name, "hub", pulumi.all([arn("ssm", `parameter${parameterPrefix}`), swarmParameterArns])
            .apply(([pathArn, swarmArns]) => ec2HubPolicy(pathArn, swarmArns, METRIC_NAMESPACE)), tags);
        const workerRole = workers
            ? this.instanceRole(
                name,
                "worker",
                pulumi.all([swarmParameterArns, arn("autoscaling", `autoScalingGroup:*:autoScalingGroupName/${workers.groupName}`)])
                    .apply(([swarmArns, groupArn]) => ec2WorkerPolicy(swarmArns, groupArn)),
                tags,
            )
            : undefined;
        // Whoever runs Pulumi writes every parameter and reads it back (the provider reads SecureStrings
        // decrypted). The key policy names the role behind a deploying session, not the session, whose
        // ARN changes with every run.
        const deployer = iam.getSessionContextOutput({ arn: caller.arn }, parented).issuerArn;
        const keyUsers = pulumi.all([hubRole.role.arn, workerRole?.role.arn, deployer, hubSecretArns, joinTokenArns])
            .apply(([hubArn, workerArn, deployerArn, hubSecrets, joinToken]): ParameterKeyUser[] => [
                { label: "Hub", principal: hubArn, decrypts: hubSecrets, encrypts: joinToken },
                ...(workerArn ? [{ label: "Workers", principal: workerArn, decrypts: joinToken, encrypts: [] }] : []),
                { label: "Deployer", principal: deployerArn, decrypts: [...hubSecrets, ...joinToken], encrypts: [...hubSecrets, ...joinToken] },
            ]);
        const parameterKey = new kms.Key(`${name}-parameters`, {
            description: `Course hub ${hubName}: encrypts its SSM SecureStrings, each readable only by the role that needs it`,
            // $1 a month; yearly rotation adds $1 a month from the first rotation, after a term has ended.
            enableKeyRotation: true,
            deletionWindowInDays: PARAMETER_KEY_DELETION_WINDOW_DAYS,
            policy: pulumi.all([caller.accountId, region, keyUsers]).apply(([accountId, regionName, users]) =>
                JSON.stringify(parameterKeyPolicy(accountId, regionName, users))),
            tags,
        }, parented);
        new kms.Alias(`${name}-parameters`, { name: `alias/course-hubs/${hubName}`, targetKeyId: parameterKey.keyId }, parented);

        const parameter = (key: string, type: "SecureString" | "String", value: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions) =>
            new ssm.Parameter(`${name}-${key}`, {
                name: `${parameterPrefix}/${key}`,
                type,
                value,
                ...(type === "SecureString" ? { keyId: parameterKey.arn } : {}),
                // Advanced parameters are encrypted with GenerateDataKey, which the key policy does not allow.
                tier: "Standard",
                tags,
            }, { ...parented, ...opts });
        const parameters = hubSecrets.map(([key, value]) => parameter(key, "SecureString", pulumi.secret(value)));
        // The hub writes the real values at boot; Pulumi owns the parameters so destroy removes them.
        const swarmParameters = workers
            ? [parameter(SWARM_JOIN_TOKEN, "SecureString", UNPUBLISHED, { ignoreChanges: ["value"] }),
                parameter(SWARM_MANAGER, "String", UNPUBLISHED, { ignoreChanges: ["value"] })]
            : [];
        return { parameterKey, parameters: [...parameters, ...swarmParameters], hubProfile: hubRole.profile, workerProfile: workerRole?.profile };
    }

    /** The hub VM on its Elastic IP, booted from user-data that reads its secrets from the parameters. */
    private createHubVm(
        course: Course, network: Ec2Network, firewall: Firewall, files: { fileSystem: efs.FileSystem; mountTargets: efs.MountTarget[] }, secrets: Secrets,
    ): { instance: ec2.Instance; address: pulumi.Output<string>; context: pulumi.Output<VmContext> } {
        const { name, args, hubName, tags, region, parameterPrefix, workers } = course;
        const parented = { parent: this };
        const context = pulumi.all([region, files.fileSystem.id, secrets.parameterKey.arn]).apply(([regionName, fileSystemId, parameterKeyArn]): VmContext =>
            ({ spec: args.spec, region: regionName, fileSystemId, parameterPrefix, parameterKeyArn, workerGroupName: workers?.groupName }));
        const instanceType = args.hub?.instanceType ?? EC2_DEFAULTS.hub.instanceType;
        const instance = new ec2.Instance(`${name}-hub`, {
            ami: ssm.getParameterOutput({ name: amiParameter(instanceType) }, parented).value,
            instanceType,
            subnetId: network.hubSubnetId,
            vpcSecurityGroupIds: [firewall.hub.id],
            iamInstanceProfile: secrets.hubProfile.name,
            userData: context.apply(renderHubUserData),
            // New configuration means a new hub VM; homes live on EFS and the address stays.
            userDataReplaceOnChange: true,
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            rootBlockDevice: {
                volumeType: "gp3",
                volumeSize: args.hub?.diskSizeGiB ?? EC2_DEFAULTS.hub.diskSizeGiB,
                encrypted: true,
                deleteOnTermination: true,
            },
            tags: { ...tags, Name: `${hubName}-hub` },
            volumeTags: tags,
        // The AMI is read once; a newer one does not replace a running hub mid-term.
        }, { ...parented, dependsOn: [...files.mountTargets, ...secrets.parameters], ignoreChanges: ["ami"] });
        const address = new ec2.Eip(`${name}-hub`, { domain: "vpc", tags: { ...tags, Name: `${hubName}-hub` } }, parented);
        new ec2.EipAssociation(`${name}-hub`, { instanceId: instance.id, allocationId: address.id }, parented);
        return { instance, address: address.publicIp, context };
    }

    /**
     * An instance role with SSM Session Manager (the only way in) and the given inline policy. No
     * managed policy: AmazonSSMManagedInstanceCore would let the VM read every parameter in the account.
     */
    private instanceRole(name: string, role: string, policy: pulumi.Output<PolicyDocument>, tags: Record<string, string>) {
        const parented = { parent: this };
        const iamRole = new iam.Role(`${name}-${role}-role`, { assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com")), tags }, parented);
        new iam.RolePolicy(`${name}-${role}-session-manager`, { role: iamRole.id, policy: JSON.stringify(sessionManagerPolicy()) }, parented);
        new iam.RolePolicy(`${name}-${role}-policy`, { role: iamRole.id, policy: policy.apply((p) => JSON.stringify(p)) }, parented);
        const profile = new iam.InstanceProfile(`${name}-${role}`, { role: iamRole.name, tags }, parented);
        return { role: iamRole, profile };
    }

    /** The worker launch template, group, scaling policy and lecture schedule. */
    private createWorkerGroup(name: string, workers: Ec2WorkerOptions, spec: Validated<HubSpec>, setup: {
        groupName: string; securityGroup: ec2.SecurityGroup; subnetIds: pulumi.Output<string>[]; tags: Record<string, string>;
        context: pulumi.Output<VmContext>; profile: iam.InstanceProfile; dependsOn: pulumi.Resource[];
    }): autoscaling.Group {
        const parented = { parent: this };
        const scaling = workerScaling(spec, workers);
        const instanceType = scaling.instanceType;
        const template = new ec2.LaunchTemplate(`${name}-workers`, {
            // The newest Amazon Linux at every launch: workers are cattle.
            imageId: `resolve:ssm:${amiParameter(instanceType)}`,
            instanceType,
            iamInstanceProfile: { arn: setup.profile.arn },
            vpcSecurityGroupIds: [setup.securityGroup.id],
            userData: setup.context.apply((c) => Buffer.from(renderWorkerUserData(c)).toString("base64")),
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [{
                deviceName: "/dev/xvda",
                ebs: { volumeSize: workers.diskSizeGiB ?? EC2_DEFAULTS.workers.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
            }],
            tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
                resourceType,
                tags: { ...setup.tags, Name: setup.groupName },
            })),
            updateDefaultVersion: true,
            tags: setup.tags,
        }, parented);
        const group = new autoscaling.Group(`${name}-workers`, {
            name: setup.groupName,
            minSize: scaling.minSize,
            maxSize: scaling.maxSize,
            desiredCapacity: scaling.minSize,
            vpcZoneIdentifiers: setup.subnetIds,
            launchTemplate: { id: template.id, version: "$Latest" },
            healthCheckType: "EC2",
            tags: Object.entries({ ...setup.tags, Name: setup.groupName }).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
        // The scaling policy and schedule own the desired size once the group exists.
        }, { ...parented, dependsOn: setup.dependsOn, ignoreChanges: ["desiredCapacity", "minSize"] });
        new autoscaling.Policy(`${name}-follow-the-class`, {
            autoscalingGroupName: group.name,
            policyType: "TargetTrackingScaling",
            targetTrackingConfiguration: {
                customizedMetricSpecification: {
                    metricName: SERVERS_PER_WORKER_METRIC,
                    namespace: METRIC_NAMESPACE,
                    statistic: "Average",
                    metricDimensions: [{ name: "AutoScalingGroupName", value: setup.groupName }],
                },
                targetValue: scaling.targetServersPerWorker,
            },
        }, parented);
        for (const action of scaling.schedule) {
            new autoscaling.Schedule(`${name}-${action.name}`, {
                autoscalingGroupName: group.name,
                scheduledActionName: action.name,
                recurrence: action.recurrence,
                timeZone: action.timeZone,
                minSize: action.minSize,
                maxSize: scaling.maxSize,
            }, parented);
        }
        return group;
    }
}

/** The public SSM parameter of the newest Amazon Linux 2023 for the instance's architecture. */
function amiParameter(instanceType: string): string {
    return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${isArmInstanceType(instanceType) ? "arm64" : "x86_64"}`;
}
