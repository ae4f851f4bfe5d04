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
import { courseTags, physicalNameOf } from "../tags";
import { HubSpec } from "../hub/spec";
import { Validated, validatedOnce } from "../validated";
import { createStudentWorkBackups } from "./backup";
import { EC2AutoscaleHubArgs, EC2_DEFAULTS, Ec2WorkerOptions } from "./ec2-args";
import { METRIC_NAMESPACE, SERVERS_PER_WORKER_METRIC, UNPUBLISHED, VmContext, renderHubUserData, renderWorkerUserData } from "./ec2-userdata";
import { workerScaling } from "./ec2-scaling";
import { validateEc2HubArgs } from "./ec2-validate";
import {
    ParameterKeyUser, PolicyDocument, ec2HubPolicy, ec2WorkerPolicy, efsRequireTlsPolicy, parameterKeyPolicy, serviceTrustPolicy, sessionManagerPolicy,
} from "./iam";
import { isArmInstanceType } from "./instance-types";
import { createCourseVpc } from "./vpc";

export { EC2AutoscaleHubArgs } from "./ec2-args";

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
 * A course hub on plain EC2: a hub VM (JupyterHub behind Caddy with Let's Encrypt, on an Elastic
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

    constructor(name: string, givenArgs: EC2AutoscaleHubArgs, opts?: pulumi.ComponentResourceOptions) {
        const args = validatedOnce(`EC2AutoscaleHub "${name}"`, givenArgs, validateEc2HubArgs);
        super("course-hubs:aws:EC2AutoscaleHub", name, {}, opts);
        const spec = args.spec;
        const tags = courseTags(spec);
        const parented = { parent: this };
        const region = getRegionOutput({}, parented).region;
        const caller = getCallerIdentityOutput({}, parented);
        const account = caller.accountId;
        const hubName = physicalNameOf(args);
        const arn = (service: string, resource: pulumi.Input<string>) => pulumi.interpolate`arn:aws:${service}:${region}:${account}:${resource}`;
        // Without a physical name, the folder that hubs deployed before it existed read their secrets from.
        // One folder per hub name: `<folder>/*` in the hub's policy cannot reach another hub's folder.
        const parameterPrefix = `/course-hubs/${hubName}`;
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

        // The course file system: homes and shared folder; NFS from the course's VMs only.
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
        // Every VM mounts with efs-utils' `tls` option; the file system refuses any mount without it.
        new efs.FileSystemPolicy(`${name}-homes`, {
            fileSystemId: fileSystem.id,
            policy: arn("elasticfilesystem", pulumi.interpolate`file-system/${fileSystem.id}`)
                .apply((fileSystemArn) => JSON.stringify(efsRequireTlsPolicy(fileSystemArn))),
        }, parented);
        if (args.keepStudentWork) {
            createStudentWorkBackups(name, spec, tags, this);
        }

        // Secrets reach the VMs through SSM SecureStrings under the course's own key, whose policy
        // lets each role decrypt only the parameters it reads.
        const parameterArn = (key: string) => arn("ssm", `parameter${parameterPrefix}/${key}`);
        const hubSecrets: [key: string, value: pulumi.Input<string>][] = [
            ...["cookie-secret", "crypt-key", "proxy-token"].map((key): [string, pulumi.Input<string>] =>
                [key, new RandomBytes(`${name}-${key}`, { length: 32 }, parented).hex]),
            ...authenticatorConfig(spec).secrets.map((secret): [string, pulumi.Input<string>] => ["auth-secret", secret.value]),
        ];
        const hubSecretArns = pulumi.all(hubSecrets.map(([key]) => parameterArn(key)));
        const joinTokenArns = pulumi.all(workers ? [parameterArn(SWARM_JOIN_TOKEN)] : []);
        const swarmParameterArns = pulumi.all(workers ? [SWARM_JOIN_TOKEN, SWARM_MANAGER].map(parameterArn) : []);

        const hubRole = this.instanceRole(name, "hub", pulumi.all([arn("ssm", `parameter${parameterPrefix}`), swarmParameterArns])
            .apply(([pathArn, swarmArns]) => ec2HubPolicy(pathArn, swarmArns, METRIC_NAMESPACE)), tags);
        const workerRole = workers && workerGroupName
            ? this.instanceRole(
                name,
                "worker",
                pulumi.all([swarmParameterArns, arn("autoscaling", `autoScalingGroup:*:autoScalingGroupName/${workerGroupName}`)])
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
            policy: pulumi.all([account, region, keyUsers]).apply(([accountId, regionName, users]) =>
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

        const context = pulumi.all([region, fileSystem.id, parameterKey.arn]).apply(([regionName, fileSystemId, parameterKeyArn]): VmContext =>
            ({ spec, region: regionName, fileSystemId, parameterPrefix, parameterKeyArn, workerGroupName }));
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

        if (workers && workerGroup && workerGroupName && workerRole) {
            this.workerGroup = this.createWorkerGroup(name, workers, spec, {
                groupName: workerGroupName, securityGroup: workerGroup, subnetIds: network.workerSubnetIds, tags, context,
                profile: workerRole.profile, dependsOn: [hub, ...mountTargets],
            });
        }

        this.url = pulumi.output(`https://${spec.hostname}/`);
        this.address = address.publicIp;
        this.hubInstance = hub;
        this.fileSystem = fileSystem;
        this.parameterKey = parameterKey;
        this.vpcId = network.vpcId;
        this.registerOutputs({ url: this.url, address: this.address, workerGroupName: this.workerGroup?.name, fileSystemId: fileSystem.id });
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
