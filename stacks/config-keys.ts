/*
 * Stack-file keys that both the program (stacks/course.ts, which declares every key it accepts) and
 * the offline plan (plan/) read, named once. The keys are in the project's namespace: `course-hubs:<key>`.
 */

/**
 * The billing account a stack bills to. The program reads nothing from it: `course-hubs plan` of
 * several stacks does, to apply the GKE free tier once per billing account (plan/department.ts).
 */
export const BILLING_ACCOUNT_KEY = "billingAccount";
