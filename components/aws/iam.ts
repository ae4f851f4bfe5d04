/*
 * IAM policy documents as pure functions. Every action is named: no `*` action anywhere, and
 * write actions are limited to the course's own resources by tag or ARN.
 */

export interface PolicyStatement {
    Effect: "Allow";
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
