import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as efs from "@pulumi/aws/efs";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as iam from "@pulumi/aws/iam";
import * as ssm from "@pulumi/aws/ssm";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc/securityGroupIngressRule";
import { RandomBytes } from "@pulumi/random/randomBytes";
import { authenticatorConfig } from "../hub/auth";
import { prewarmScaleActions } from "../hub/prewarm";
import { courseName, courseTags } from "../tags";
import { throwIfProblems } from "../validation";
import { createStudentWorkBackups } from "./backup";
import { EC2AutoscaleHubArgs, EC2_DEFAULTS, Ec2WorkerOptions } from "./ec2-args";
import { METRIC_NAMESPACE, SERVERS_PER_WORKER_METRIC, UNPUBLISHED, VmContext, renderHubUserData, renderWorkerUserData } from "./ec2-userdata";
import { serversPerWorker, validateEc2HubArgs } from "./ec2-validate";
import { ec2HubPolicy, ec2WorkerPolicy, serviceTrustPolicy } from "./iam";
import { isArmInstanceType } from "./instance-types";
import { createCourseVpc } from "./vpc";

export { EC2AutoscaleHubArgs } from "./ec2-args";

/** Docker Swarm's ports between hub and workers: management, gossip, overlay traffic. */
const SWARM_PORTS = [
    { protocol: "tcp", port: 2377 }, { protocol: "tcp", port: 7946 }, { protocol: "udp", port: 7946 }, { protocol: "udp", port: 4789 },
];

/**
 * A course hub on plain EC2: a hub VM (JupyterHub behind Caddy with Let's Encrypt, on an Elastic
 * IP, no SSH: administration through SSM Session Manager) and, unless in single-VM mode, an Auto
 * Scaling group of workers that join the hub's Docker Swarm and run students' servers. Homes, the
 * shared folder and the exchange live on encrypted EFS mounted everywhere. The group follows the
 * class: it tracks servers per worker, the lecture schedule raises it before class, and a worker
 * running a server protects itself from scale-in.
 */
export class EC2AutoscaleHub extends pulumi.ComponentResource {
    /** Address students open. */
    public readonly url: pulumi.Output<string>;
    /** The hub's Elastic IP: point the hostname's A record at it. */
    public readonly publicIp: pulumi.Output<string>;
    /** The worker group's name; absent in single-VM mode. */
    public readonly autoScalingGroupName?: pulumi.Output<string>;
    /** The course file system. */
    public readonly fileSystemId: pulumi.Output<string>;

    constructor(name: string, args: EC2AutoscaleHubArgs, opts?: pulumi.ComponentResourceOptions) {
        throwIfProblems(`EC2AutoscaleHub "${name}"`, validateEc2HubArgs(args));
        super("course-hubs:aws:EC2AutoscaleHub", name, {}, opts);
        const spec = args.spec;
        const tags = courseTags(spec);
        const parented = { parent: this };
        const region = getRegionOutput({}, parented).region;
        const account = getCallerIdentityOutput({}, parented).accountId;
        const hubName = courseName(spec);
        const parameterPrefix = `/course-hubs/${spec.course}/${spec.term}`;
        const workers = args.workers === false ? undefined : args.workers ?? {};
        const workerGroupName = workers ? `${hubName}-workers` : undefined;

        const network = args.network && "vpcId" in args.network
            ? {
                vpcId: pulumi.output(args.network.vpcId),
                hubSubnetId: pulumi.output(args.network.hubSubnet.id),
                workerSubnetIds: args.network.workerSubnets.map((s) => pulumi.output(s.id)),
            }
            : (() => {
                const vpc = createCourseVpc(name, {
                    cidrBlock: args.network?.cidrBlock ?? EC2_DEFAULTS.cidrBlock,
                    zoneCount: args.network?.zoneCount ?? EC2_DEFAULTS.zoneCount,
                    natGateway: false,
                    tags,
                }, this);
                return { vpcId: vpc.vpcId, hubSubnetId: vpc.publicSubnetIds[0], workerSubnetIds: vpc.publicSubnetIds };
            })();

        // Only 80 and 443 are open to the world, on the hub. No SSH anywhere.
        const hubGroup = new ec2.SecurityGroup(`${name}-hub`, { vpcId: network.vpcId, description: "Course hub: HTTP and HTTPS", tags }, parented);
        for (const port of [80, 443]) {
            for (const [family, cidr] of [["ipv4", { cidrIpv4: "0.0.0.0/0" }], ["ipv6", { cidrIpv6: "::/0" }]] as const) {
                new SecurityGroupIngressRule(`${name}-hub-${port}-${family}`, {
                    securityGroupId: hubGroup.id, ipProtocol: "tcp", fromPort: port, toPort: port, ...cidr, tags,
                }, parented);
            }
        }
        const egress = (group: ec2.SecurityGroup, role: string) => new ec2.SecurityGroupRule(`${name}-${role}-egress`, {
            securityGroupId: group.id, type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"],
        }, parented);
        egress(hubGroup, "hub");
        const memberGroups = [hubGroup];
        let workerGroup: ec2.SecurityGroup | undefined;
        if (workers) {
            workerGroup = new ec2.SecurityGroup(`${name}-workers`, {
                vpcId: network.vpcId,
                description: "Course hub workers: swarm traffic from the course only",
                tags,
            }, parented);
            egress(workerGroup, "workers");
            memberGroups.push(workerGroup);
            // Swarm traffic flows only between the course's own VMs; the Docker API is never exposed.
            for (const target of memberGroups) {
                for (const source of memberGroups) {
                    for (const { protocol, port } of SWARM_PORTS) {
                        const role = (g: ec2.SecurityGroup) => (g === hubGroup ? "hub" : "workers");
                        new SecurityGroupIngressRule(`${name}-swarm-${role(source)}-to-${role(target)}-${protocol}-${port}`, {
                            securityGroupId: target.id, referencedSecurityGroupId: source.id, ipProtocol: protocol, fromPort: port, toPort: port, tags,
                        }, parented);
                    }
                }
            }
        }

        // The course file system: homes, shared folder, exchange; NFS from the course's VMs only.
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
        for (const source of memberGroups) {
            new SecurityGroupIngressRule(`${name}-nfs-from-${source === hubGroup ? "hub" : "workers"}`, {
                securityGroupId: nfsGroup.id, referencedSecurityGroupId: source.id, ipProtocol: "tcp", fromPort: 2049, toPort: 2049, tags,
            }, parented);
        }
        const mountTargets = network.workerSubnetIds.map((subnetId, i) =>
            new efs.MountTarget(`${name}-homes-${i + 1}`, { fileSystemId: fileSystem.id, subnetId, securityGroups: [nfsGroup.id] }, parented));
        if (args.keepStudentWork) {
            createStudentWorkBackups(name, spec, tags, this);
        }

        // Secrets reach the VMs through SSM SecureStrings that only their roles may read.
        const secureString = (key: string, value: pulumi.Input<string>) => new ssm.Parameter(`${name}-${key}`, {
            name: `${parameterPrefix}/${key}`, type: "SecureString", value: pulumi.secret(value), tags,
        }, parented);
        const generated = (key: string) => secureString(key, new RandomBytes(`${name}-${key}`, { length: 32 }, parented).hex);
        const parameters = [generated("cookie-secret"), generated("crypt-key"), generated("proxy-token")];
        for (const secret of authenticatorConfig(spec).secrets) {
            parameters.push(secureString("auth-secret", secret.value));
        }
        const swarmParameters = workers
            ? ["swarm-join-token", "swarm-manager"].map((key) => new ssm.Parameter(`${name}-${key}`, {
                name: `${parameterPrefix}/${key}`,
                type: key === "swarm-join-token" ? "SecureString" : "String",
                // The hub writes the real value at boot; Pulumi owns the parameter so destroy removes it.
                value: UNPUBLISHED,
                tags,
            }, { ...parented, ignoreChanges: ["value"] }))
            : [];

        const arn = (service: string, resource: pulumi.Input<string>) => pulumi.interpolate`arn:aws:${service}:${region}:${account}:${resource}`;
        const swarmParameterArns = swarmParameters.map((p) => arn("ssm", pulumi.interpolate`parameter${p.name}`));
        const hubRole = this.instanceRole(name, "hub", pulumi.all([arn("ssm", `parameter${parameterPrefix}`), pulumi.all(swarmParameterArns)])
            .apply(([pathArn, swarmArns]) => ec2HubPolicy(pathArn, swarmArns, METRIC_NAMESPACE)), tags);

        const context = pulumi.all([region, fileSystem.id]).apply(([regionName, fileSystemId]): VmContext =>
            ({ spec, region: regionName, fileSystemId, parameterPrefix, workerGroupName }));
        const hubAmi = ssm.getParameterOutput({ name: amiParameter(args.hub?.instanceType ?? EC2_DEFAULTS.hub.instanceType) }, parented).value;
        const hub = new ec2.Instance(`${name}-hub`, {
            ami: hubAmi,
            instanceType: args.hub?.instanceType ?? EC2_DEFAULTS.hub.instanceType,
            subnetId: network.hubSubnetId,
            vpcSecurityGroupIds: [hubGroup.id],
            iamInstanceProfile: hubRole.profile.name,
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
        }, { ...parented, dependsOn: [...mountTargets, ...parameters, ...swarmParameters], ignoreChanges: ["ami"] });
        const address = new ec2.Eip(`${name}-hub`, { domain: "vpc", tags: { ...tags, Name: `${hubName}-hub` } }, parented);
        new ec2.EipAssociation(`${name}-hub`, { instanceId: hub.id, allocationId: address.id }, parented);

        if (workers && workerGroup && workerGroupName) {
            this.autoScalingGroupName = this.workerGroup(name, workers, spec, {
                groupName: workerGroupName, securityGroup: workerGroup, subnetIds: network.workerSubnetIds, tags, context,
                policy: pulumi.all([pulumi.all(swarmParameterArns), arn("autoscaling", `autoScalingGroup:*:autoScalingGroupName/${workerGroupName}`)])
                    .apply(([swarmArns, groupArn]) => ec2WorkerPolicy(swarmArns, groupArn)),
                dependsOn: [hub, ...mountTargets],
            });
        }

        this.url = pulumi.output(`https://${spec.hostname}/`);
        this.publicIp = address.publicIp;
        this.fileSystemId = fileSystem.id;
        this.registerOutputs({ url: this.url, publicIp: this.publicIp, autoScalingGroupName: this.autoScalingGroupName, fileSystemId: this.fileSystemId });
    }

    /** An instance role with SSM Session Manager (the only way in) and the given inline policy. */
    private instanceRole(name: string, role: string, policy: pulumi.Output<object>, tags: Record<string, string>) {
        const parented = { parent: this };
        const iamRole = new iam.Role(`${name}-${role}-role`, { assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com")), tags }, parented);
        new iam.RolePolicyAttachment(`${name}-${role}-session-manager`, {
            role: iamRole.name,
            policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        }, parented);
        new iam.RolePolicy(`${name}-${role}-policy`, { role: iamRole.id, policy: policy.apply((p) => JSON.stringify(p)) }, parented);
        const profile = new iam.InstanceProfile(`${name}-${role}`, { role: iamRole.name, tags }, parented);
        return { role: iamRole, profile };
    }

    /** The worker launch template, group, scaling policy and lecture schedule. */
    private workerGroup(name: string, workers: Ec2WorkerOptions, spec: EC2AutoscaleHubArgs["spec"], setup: {
        groupName: string; securityGroup: ec2.SecurityGroup; subnetIds: pulumi.Output<string>[]; tags: Record<string, string>;
        context: pulumi.Output<VmContext>; policy: pulumi.Output<object>; dependsOn: pulumi.Resource[];
    }): pulumi.Output<string> {
        const parented = { parent: this };
        const instanceType = workers.instanceType ?? EC2_DEFAULTS.workers.instanceType;
        const perWorker = workers.serversPerWorker ?? serversPerWorker(instanceType, spec)!;
        const workersFor = (seats: number) => Math.min(Math.ceil(seats / perWorker), workers.maxCount ?? EC2_DEFAULTS.workers.maxCount);
        const minCount = workers.minCount ?? workersFor(spec.prewarm?.seats ?? 0);
        const maxCount = workers.maxCount ?? EC2_DEFAULTS.workers.maxCount;
        const { profile } = this.instanceRole(name, "worker", setup.policy, setup.tags);
        const template = new ec2.LaunchTemplate(`${name}-workers`, {
            // The newest Amazon Linux at every launch: workers are cattle.
            imageId: `resolve:ssm:${amiParameter(instanceType)}`,
            instanceType,
            iamInstanceProfile: { arn: profile.arn },
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
            minSize: minCount,
            maxSize: maxCount,
            desiredCapacity: minCount,
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
                targetValue: Math.max(1, Math.floor(perWorker * EC2_DEFAULTS.targetUtilization)),
            },
        }, parented);
        for (const action of prewarmScaleActions(spec)) {
            new autoscaling.Schedule(`${name}-${action.name}`, {
                autoscalingGroupName: group.name,
                scheduledActionName: action.name,
                recurrence: action.schedule,
                timeZone: action.timeZone,
                minSize: Math.max(minCount, workersFor(action.seats)),
                maxSize: maxCount,
            }, parented);
        }
        return group.name;
    }
}

/** The public SSM parameter of the newest Amazon Linux 2023 for the instance's architecture. */
function amiParameter(instanceType: string): string {
    return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${isArmInstanceType(instanceType) ? "arm64" : "x86_64"}`;
}
