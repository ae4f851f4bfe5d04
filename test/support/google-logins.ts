import { HubSpec } from "../../components";
import { AUTHS, MINIMAL_SPEC } from "./specs";

/** A Google account signing in: its email, its Workspace (`hd`, none for a consumer account), whether Google verified the email. */
export interface GoogleAccount {
    email: string;
    hd?: string;
    verified_email: boolean;
}

/** 2i2c's cloudbank/ccsf shape: Google login for one Workspace domain, plus outside tutors and admins listed by name. */
export const GOOGLE_OUTSIDERS_SPEC: HubSpec = {
    ...MINIMAL_SPEC,
    auth: AUTHS.google,
    adminUsers: ["prof.lee@example.edu", "tutor.admin@gmail.com"],
    staffUsers: ["ta.kim@othercollege.edu"],
    allowedUsers: ["visitor@gmail.com"],
};

/**
 * Accounts signing in to GOOGLE_OUTSIDERS_SPEC's hub, and what must become of each login (as
 * test/support/google_login_model.py words it): the Workspace's members and the listed outsiders
 * in, everyone else outside the Workspace blocked, a listed outsider with an unverified email refused.
 */
export const GOOGLE_LOGINS: Record<string, { account: GoogleAccount; outcome: string }> = {
    student: { account: { email: "jdoe@example.edu", hd: "example.edu", verified_email: true }, outcome: "logged in as jdoe@example.edu" },
    professor: {
        account: { email: "Prof.Lee@example.edu", hd: "example.edu", verified_email: true },
        outcome: "logged in as prof.lee@example.edu (admin)",
    },
    outsideAdmin: { account: { email: "tutor.admin@gmail.com", verified_email: true }, outcome: "logged in as tutor.admin@gmail.com (admin)" },
    outsideStaff: {
        account: { email: "ta.kim@othercollege.edu", hd: "othercollege.edu", verified_email: true },
        outcome: "logged in as ta.kim@othercollege.edu",
    },
    outsideVisitor: { account: { email: "visitor@gmail.com", verified_email: true }, outcome: "logged in as visitor@gmail.com" },
    stranger: { account: { email: "mallory@gmail.com", verified_email: true }, outcome: "blocked" },
    strangerOfAWorkspace: { account: { email: "eve@othercollege.edu", hd: "othercollege.edu", verified_email: true }, outcome: "blocked" },
    unverifiedListed: { account: { email: "visitor@gmail.com", verified_email: false }, outcome: "refused (403)" },
    // A consumer account under an insider's listed address, outside the Workspace: insiders still need the hd claim.
    insiderAddressOutsideWorkspace: { account: { email: "prof.lee@example.edu", verified_email: true }, outcome: "blocked" },
};
