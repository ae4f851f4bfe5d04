/*
 * What `keepStudentWork` keeps, the same on every cloud: a backup of students' volumes every day
 * at this hour (UTC: night across the Americas), each kept this long, in a place that
 * `pulumi destroy` leaves behind.
 */
export const STUDENT_WORK_BACKUPS = { hourUtc: 7, retainDays: 180 } as const;
