/*
 * A small evaluator of AWS policy documents, enough to answer "may this principal read that SSM
 * parameter" the way AWS decides it within one account: identity policies (an explicit Deny wins,
 * else some Allow must match), resource policies such as a KMS key policy or an EFS file system
 * policy (a statement naming the principal decides by itself; one naming the account root only
 * delegates to the principal's identity policies), and the request context that conditions test.
 * It throws on anything it does not model (NotAction, an unknown condition operator, a principal
 * form it cannot read) instead of guessing an answer.
 */
import { PolicyDocument, PolicyStatement } from "../../components/aws/iam";
import { RecordedResource } from "../setup-mocks";

/** The account and region the recording engine answers with. */
export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";

/** A client with no AWS identity, such as an NFS mount without IAM authorization. */
export const ANONYMOUS = "anonymous";

/** One request: who asks, for what, on what, with which context keys (`kms:ViaService`, …). */
export interface AccessRequest {
    principal: string;
    action: string;
    resource: string;
    context?: Record<string, string>;
}

/** `*` and `?` wildcards, as IAM matches actions (case-insensitively) and resources. */
function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
    const source = pattern.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/]/g, "\\$&"))).join("");
    return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
}

function list(value: string | string[] | undefined): string[] {
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Conditions: every operator and every key must hold; a key absent from the request fails. */
function conditionsHold(statement: PolicyStatement, context: Record<string, string>): boolean {
    return Object.entries(statement.Condition ?? {}).every(([operator, tests]) => Object.entries(tests).every(([key, expected]) => {
        const actual = context[key];
        if (!["StringEquals", "StringLike", "Bool"].includes(operator)) {
            throw new Error(`the evaluator does not model the condition operator ${operator}`);
        }
        return actual !== undefined && list(expected).some((e) => (operator === "StringLike" ? globMatches(e, actual) : e === actual));
    }));
}

function statementCovers(statement: PolicyStatement, request: AccessRequest): boolean {
    if ("NotAction" in statement || "NotResource" in statement || "NotPrincipal" in statement) {
        throw new Error("the evaluator does not model NotAction, NotResource or NotPrincipal");
    }
    return list(statement.Action).some((a) => globMatches(a, request.action, true))
        && list(statement.Resource ?? "*").some((r) => globMatches(r, request.resource))
        && conditionsHold(statement, request.context ?? {});
}

function accountOf(principalArn: string): string {
    const account = principalArn.split(":")[4];
    if (!/^\d{12}$/.test(account ?? "")) {
        throw new Error(`not a principal ARN: ${principalArn}`);
    }
    return account;
}

/** Whether identity policies allow the request: some Allow covers it and no Deny does. */
export function identityAllows(policies: PolicyDocument[], request: AccessRequest): boolean {
    return policies.flatMap((p) => p.Statement).some((s) => s.Effect === "Allow" && statementCovers(s, request)) && !identityDenies(policies, request);
}

/** How a resource policy statement names the requester: itself (or everyone), its account only, or not at all. */
function principalMatch(statement: PolicyStatement, principal: string): "named" | "account" | "none" {
    const principals = statement.Principal === undefined ? [] : Object.entries(statement.Principal).flatMap(([kind, values]) => {
        if (kind !== "AWS" && kind !== "Service") {
            throw new Error(`the evaluator does not model ${kind} principals`);
        }
        return kind === "AWS" ? list(values) : [];
    });
    if (principals.some((p) => p === "*" || p === principal)) {
        return "named";
    }
    if (principal === ANONYMOUS) {
        return "none";
    }
    const account = accountOf(principal);
    return principals.some((p) => p === account || p === `arn:aws:iam::${account}:root`) ? "account" : "none";
}

/**
 * Whether a resource policy (with the principal's identity policies, where it delegates to them)
 * allows a request within the resource's account.
 */
export function resourcePolicyAllows(resourcePolicy: PolicyDocument, identityPolicies: PolicyDocument[], request: AccessRequest): boolean {
    const covering = resourcePolicy.Statement
        .map((s) => ({ statement: s, match: principalMatch(s, request.principal) }))
        .filter(({ statement, match }) => match !== "none" && statementCovers(statement, request));
    if (covering.some(({ statement }) => statement.Effect === "Deny") || identityDenies(identityPolicies, request)) {
        return false;
    }
    const allows = covering.filter(({ statement }) => statement.Effect === "Allow");
    return allows.some(({ match }) => match === "named") || (allows.some(({ match }) => match === "account") && identityAllows(identityPolicies, request));
}

function identityDenies(policies: PolicyDocument[], request: AccessRequest): boolean {
    return policies.flatMap((p) => p.Statement).some((s) => s.Effect === "Deny" && statementCovers(s, request));
}

/**
 * The key policy AWS gives the managed key `aws/ssm`, which encrypts a SecureString without a
 * KeyId: every principal of the account may use it through Parameter Store.
 */
export function awsManagedSsmKeyPolicy(account: string, region: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: "*",
            Condition: { StringEquals: { "kms:CallerAccount": account, "kms:ViaService": `ssm.${region}.amazonaws.com` } },
        }],
    };
}

/** The AWS managed policies the evaluator knows, by ARN: what a role gets by attaching one. */
export const MANAGED_POLICIES: Record<string, PolicyDocument> = {
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore": {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: [
                    "ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument", "ssm:DescribeDocument",
                    "ssm:GetManifest", "ssm:GetParameter", "ssm:GetParameters", "ssm:ListAssociations", "ssm:ListInstanceAssociations",
                    "ssm:PutInventory", "ssm:PutComplianceItems", "ssm:PutConfigurePackageResult", "ssm:UpdateAssociationStatus",
                    "ssm:UpdateInstanceAssociationStatus", "ssm:UpdateInstanceInformation",
                ],
                Resource: "*",
            },
            {
                Effect: "Allow",
                Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
                Resource: "*",
            },
            {
                Effect: "Allow",
                Action: [
                    "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage",
                    "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply",
                ],
                Resource: "*",
            },
        ],
    },
};

/** The ARN of a parameter, as Parameter Store names it in the encryption context. */
export function parameterArn(name: string): string {
    return `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`;
}

/** The ARN the recording engine gives a role resource of this name. */
export function roleArn(roleResourceName: string): string {
    return `arn:aws:iam::${ACCOUNT}:role/${roleResourceName}`;
}

function parsed(document: string | PolicyDocument): PolicyDocument {
    return typeof document === "string" ? JSON.parse(document) : document;
}

/**
 * Who may read and write the SSM parameters a program registered: each parameter's key (the
 * recorded KMS key its `keyId` names, or `aws/ssm` when it names none), each role's inline and
 * managed policies.
 */
export class ParameterAccess {
    constructor(private readonly resources: RecordedResource[]) {}

    /** The identity policies of a recorded role: its inline policies and the managed ones attached to it. */
    rolePolicies(roleResourceName: string): PolicyDocument[] {
        const role = this.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === roleResourceName);
        if (!role) {
            throw new Error(`no role ${roleResourceName}`);
        }
        const inline = this.resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && [role.id, role.name].includes(r.inputs.role))
            .map((r) => parsed(r.inputs.policy));
        const managed = this.resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.inputs.role === role.name)
            .map((r) => {
                const document = MANAGED_POLICIES[r.inputs.policyArn];
                if (!document) {
                    throw new Error(`the evaluator does not know the managed policy ${r.inputs.policyArn}`);
                }
                return document;
            });
        return [...inline, ...managed];
    }

    /** Whether a principal with these identity policies gets the parameter's value (decrypted, for a SecureString). */
    mayRead(principal: string, identityPolicies: PolicyDocument[], parameterName: string): boolean {
        const parameter = this.parameter(parameterName);
        return identityAllows(identityPolicies, { principal, action: "ssm:GetParameter", resource: parameterArn(parameterName) })
            && (parameter.inputs.type !== "SecureString" || this.keyAllows(principal, identityPolicies, parameterName, "kms:Decrypt"));
    }

    /** Whether a principal with these identity policies may put a new value (encrypted, for a SecureString). */
    mayWrite(principal: string, identityPolicies: PolicyDocument[], parameterName: string): boolean {
        const parameter = this.parameter(parameterName);
        return identityAllows(identityPolicies, { principal, action: "ssm:PutParameter", resource: parameterArn(parameterName) })
            && (parameter.inputs.type !== "SecureString" || this.keyAllows(principal, identityPolicies, parameterName, "kms:Encrypt"));
    }

    /** The key policy that decides a SecureString: its recorded key's, or the account's aws/ssm key's. */
    private keyPolicyOf(parameterName: string): { keyArn: string; policy: PolicyDocument } {
        const keyId: string | undefined = this.parameter(parameterName).inputs.keyId;
        if (keyId === undefined || keyId === "alias/aws/ssm") {
            return { keyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/aws/ssm`, policy: awsManagedSsmKeyPolicy(ACCOUNT, REGION) };
        }
        const keys = this.resources.filter((r) => r.type === "aws:kms/key:Key" && keyId.endsWith(`:key/${r.name}`));
        if (keys.length !== 1) {
            throw new Error(`${parameterName} is encrypted under ${keyId}, which is no recorded key`);
        }
        return { keyArn: keyId, policy: parsed(keys[0].inputs.policy) };
    }

    /** Whether the parameter's key lets the principal use it (kms:Decrypt, kms:Encrypt) as Parameter Store does for that parameter. */
    keyAllows(principal: string, identityPolicies: PolicyDocument[], parameterName: string, action: string): boolean {
        const { keyArn, policy } = this.keyPolicyOf(parameterName);
        return resourcePolicyAllows(policy, identityPolicies, {
            principal,
            action,
            resource: keyArn,
            // What Parameter Store sends KMS on the principal's behalf.
            context: {
                "kms:ViaService": `ssm.${REGION}.amazonaws.com`,
                "kms:CallerAccount": accountOf(principal),
                "kms:EncryptionContext:PARAMETER_ARN": parameterArn(parameterName),
            },
        });
    }

    private parameter(name: string): RecordedResource {
        const found = this.resources.filter((r) => r.type === "aws:ssm/parameter:Parameter" && r.inputs.name === name);
        if (found.length !== 1) {
            throw new Error(`expected one parameter ${name}, found ${found.length}`);
        }
        return found[0];
    }
}
