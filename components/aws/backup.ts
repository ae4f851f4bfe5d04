import * as pulumi from "@pulumi/pulumi";
import * as backup from "@pulumi/aws/backup";
import * as iam from "@pulumi/aws/iam";
import { STUDENT_WORK_BACKUPS } from "../student-work";
import { CourseIdentity, courseTags } from "../tags";
import { serviceTrustPolicy } from "./iam";

/**
 * Daily AWS Backup recovery points of every volume and file system carrying the course's tags,
 * kept 180 days in a vault that `pulumi destroy` leaves in place: the last one before the end of
 * term is the final snapshot of students' work. Backup storage costs about $0.05 per GB-month.
 */
export function createStudentWorkBackups(name: string, identity: CourseIdentity, tags: Record<string, string>, parent: pulumi.Resource): void {
    const parented = { parent };
    const vault = new backup.Vault(`${name}-student-work`, { tags }, { ...parented, retainOnDelete: true });
    const plan = new backup.Plan(`${name}-student-work`, {
        rules: [{
            ruleName: "daily",
            targetVaultName: vault.name,
            schedule: `cron(0 ${STUDENT_WORK_BACKUPS.hourUtc} * * ? *)`,
            lifecycle: { deleteAfter: STUDENT_WORK_BACKUPS.retainDays },
            recoveryPointTags: tags,
        }],
        tags,
    }, parented);
    const role = new iam.Role(`${name}-backup-role`, { assumeRolePolicy: JSON.stringify(serviceTrustPolicy("backup.amazonaws.com")), tags }, parented);
    new iam.RolePolicyAttachment(`${name}-backup-policy`, {
        role: role.name,
        policyArn: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    }, parented);
    new backup.Selection(`${name}-student-work`, {
        planId: plan.id,
        iamRoleArn: role.arn,
        resources: ["*"],
        // Both tags must match (selection tags alone would match either).
        conditions: [{
            stringEquals: [{ key: "aws:ResourceTag/course", value: identity.course }, { key: "aws:ResourceTag/term", value: courseTags(identity).term }],
        }],
    }, parented);
}
