/*
 * IAM policy documents as pure functions. Every action is named: no `*` action anywhere, and
 * write actions are limited to the course's own resources by tag or ARN.
 */

export interface PolicyStatement {
    /** Names the statement in a resource policy (letters and digits). */
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource?: string | string[];
    Principal?: Record<string, string | string[]>;
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/** Trust policy that lets an AWS service (`ec2.amazonaws.com`) assume a role. */
export function serviceTrustPolicy(service: string): PolicyDocument {
    return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] };
}

/**
 * Trust policy of an IAM role for a Kubernetes service account (IRSA): only that service account
 * of that namespace, through the cluster's OIDC provider, may assume it.
 */
export function irsaTrustPolicy(oidcProviderArn: string, oidcProviderUrl: string, namespace: string, serviceAccount: string): PolicyDocument {
    const issuer = oidcProviderUrl.replace(/^https:\/\//, "");
    return {
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Federated: oidcProviderArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: {
                    [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
                    [`${issuer}:aud`]: "sts.amazonaws.com",
                },
            },
        }],
    };
}

/**
 * The cluster autoscaler's permissions: describing groups and instance types anywhere (these
 * actions have no resource-level scope), changing only groups tagged as this cluster's.
 */
export function clusterAutoscalerPolicy(clusterName: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                    "eks:DescribeNodegroup",
                ],
                Resource: "*",
            },
            {
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
            },
        ],
    };
}

/** Notebook access to the course's buckets: read, or read and write. */
export function s3AccessPolicy(bucketArns: string[], readOnly: boolean): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: bucketArns },
            {
                Effect: "Allow",
                Action: readOnly ? ["s3:GetObject"] : ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
                Resource: bucketArns.map((arn) => `${arn}/*`),
            },
        ],
    };
}

/** Every action named in a policy document, for checks that none is a wildcard. */
export function policyActions(document: PolicyDocument): string[] {
    return document.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

/**
 * What an instance needs to be reached through SSM Session Manager, and nothing more: AWS's
 * "minimal Session Manager permissions" instance profile (register with Systems Manager, open the
 * session channels). Unlike the managed policy AmazonSSMManagedInstanceCore, it reads no parameter:
 * that policy allows ssm:GetParameter(s) on every parameter in the account. These actions have no
 * resource-level scope.
 */
export function sessionManagerPolicy(): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Action: [
                "ssm:UpdateInstanceInformation",
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
            ],
            Resource: "*",
        }],
    };
}

/**
 * What the account's IAM administrators may do with a course key: manage it, never use it. Every
 * action is named so that none of the cryptographic ones (Decrypt, Encrypt, ReEncrypt*,
 * GenerateDataKey*) or CreateGrant (a grant can hand out Decrypt) slips in through `kms:*`.
 */
export const KEY_ADMINISTRATION_ACTIONS = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
];

/** One principal's use of a course key, parameter by parameter. */
export interface ParameterKeyUser {
    /** Names its statements, letters and digits only (`Hub` gives `HubDecrypts`, `HubEncrypts`). */
    label: string;
    /** ARN of the IAM role or user. */
    principal: string;
    /** ARNs of the SecureString parameters it may read. */
    decrypts: string[];
    /** ARNs of the SecureString parameters it may write. */
    encrypts: string[];
}

/**
 * Key policy of a course's parameter key. Parameter Store calls KMS with the encryption context
 * `PARAMETER_ARN` = the parameter's ARN (standard tier: Encrypt to write, Decrypt to read), so each
 * principal is allowed exactly its own parameters, and only through Parameter Store in the
 * stack's region.
 *
 * The account root principal is granted administration only. The usual first statement, `kms:*`
 * for the account root, would also hand Decrypt to every principal whose IAM policies allow
 * kms:Decrypt on `*` (common in broad roles), which is the account-wide read this key exists to
 * prevent. Keeping administration with the account keeps the key manageable (and deletable) by
 * its IAM administrators; rewriting its policy (kms:PutKeyPolicy) stays an audited administrator
 * act.
 */
export function parameterKeyPolicy(accountId: string, region: string, users: ParameterKeyUser[]): PolicyDocument {
    const through = (parameterArns: string[]) => ({
        StringEquals: { "kms:ViaService": `ssm.${region}.amazonaws.com`, "kms:EncryptionContext:PARAMETER_ARN": parameterArns },
    });
    const uses = users.flatMap((user) => ([["Decrypts", "kms:Decrypt", user.decrypts], ["Encrypts", "kms:Encrypt", user.encrypts]] as const)
        .filter(([, , parameterArns]) => parameterArns.length > 0)
        .map(([verb, action, parameterArns]): PolicyStatement => ({
            Sid: `${user.label}${verb}`,
            Effect: "Allow",
            Principal: { AWS: user.principal },
            Action: action,
            Resource: "*",
            Condition: through([...parameterArns]),
        })));
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministersOnly",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                Action: KEY_ADMINISTRATION_ACTIONS,
                Resource: "*",
            },
            ...uses,
        ],
    };
}

/**
 * The EC2 hub VM: read the course's parameters, publish the swarm's join details, report its
 * metrics (CloudWatch metrics have no resource ARNs; the namespace condition narrows them).
 */
export function ec2HubPolicy(parameterPathArn: string, swarmParameterArns: string[], metricNamespace: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["ssm:GetParameter"], Resource: `${parameterPathArn}/*` },
            ...(swarmParameterArns.length > 0 ? [{ Effect: "Allow" as const, Action: ["ssm:PutParameter"], Resource: swarmParameterArns }] : []),
            {
                Effect: "Allow",
                Action: ["cloudwatch:PutMetricData"],
                Resource: "*",
                Condition: { StringEquals: { "cloudwatch:namespace": metricNamespace } },
            },
        ],
    };
}

/** An EC2 worker VM: read the swarm's join details, protect itself from scale-in in its own group. */
export function ec2WorkerPolicy(swarmParameterArns: string[], workerGroupArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["ssm:GetParameter"], Resource: swarmParameterArns },
            { Effect: "Allow", Action: ["autoscaling:SetInstanceProtection"], Resource: workerGroupArn },
        ],
    };
}

/** What an NFS client of EFS does: mount, write, and act as root (the VMs' set-up scripts and the hub create and chown homes). */
const EFS_CLIENT_ACTIONS = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"];

/**
 * File system policy of a course file system: clients reach it only through its mount targets
 * (inside the VPC, behind the NFS security group) and only over TLS, so a mount without the `tls`
 * option is refused instead of sending students' files in the clear. Clients mount without IAM
 * authorization, so they are anonymous and the statements name every principal.
 */
export function efsRequireTlsPolicy(fileSystemArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ClientsThroughMountTargets",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: EFS_CLIENT_ACTIONS,
                Resource: fileSystemArn,
                Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
            },
            {
                Sid: "NoClientWithoutTls",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: EFS_CLIENT_ACTIONS,
                Resource: fileSystemArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}
