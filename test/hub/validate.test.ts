import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import {
    clusterCapabilities, cronProblem, ec2Capabilities, hubSpecProblems, toJupyterhubConfig, toZ2jhValues, validateHubSpec, validatedHubSpec,
} from "../../components";
import { AUTHS, FULL_PLATFORM, MAXIMAL_SPEC, MINIMAL_SPEC, forCluster, forEc2 } from "../support/specs";

const paths = (spec: unknown) => validateHubSpec(spec).map((p) => p.propertyPath).sort();

describe("validateHubSpec", () => {
    it("accepts the minimal and maximal specs and every login type", () => {
        assert.deepEqual(validateHubSpec(MINIMAL_SPEC), []);
        assert.deepEqual(validateHubSpec(MAXIMAL_SPEC), []);
        for (const auth of Object.values(AUTHS)) {
            assert.deepEqual(validateHubSpec({ ...MINIMAL_SPEC, auth }), [], `auth ${auth.type} should be valid`);
        }
    });

    it("accepts a secret given as an Output", () => {
        const auth = { ...AUTHS.github, clientSecret: pulumi.secret("from-config") };
        assert.deepEqual(validateHubSpec({ ...MINIMAL_SPEC, auth }), []);
    });

    it("reports every bad field at once, each at its path", () => {
        const bad = {
            course: "CS 101",
            term: "",
            owner: "it@example.edu",
            hostname: "https://cs101.example.edu",
            https: { mode: "letsencrypt" },
            auth: { type: "github", clientId: "x" },
            adminUsers: ["prof smith"],
            server: {
                image: { name: "quay.io/jupyter/scipy-notebook", tag: "latest" },
                resources: { cpuGuarantee: 4, cpuLimit: 2, memoryGuarantee: "4G", memoryLimit: "2 GB" },
                profiles: [{ slug: "a", displayName: "A", default: true }, { slug: "a", displayName: "B", default: true, gpus: 1.5 }],
                environment: { "1BAD": "x", GOOD: 3 },
                sidecars: [{ name: "notebook", image: { name: "postgres", tag: "16" }, ports: [70000] }],
                content: { repository: "git@github.com:org/repo.git", targetPath: "../escape" },
            },
            storage: { home: { size: "10GB" }, sharedSize: "0Gi" },
            culling: { idleTimeoutMinutes: 1, maxAgeMinutes: -5 },
            prewarm: { seats: 2.5, timeZone: "Mars/Olympus", schedule: [{ start: "61 9 * * 1", end: "0 10 * *", seats: 0 }] },
            spawn: { concurrentLimit: 0 },
            notebookIdentity: { awsRoleArn: "arn", gcpServiceAccountEmail: "x@y" },
        };
        assert.deepEqual(paths(bad), [
            "spec.adminUsers[0]",
            "spec.auth.clientSecret",
            "spec.course",
            "spec.culling.idleTimeoutMinutes",
            "spec.culling.maxAgeMinutes",
            "spec.hostname",
            "spec.https.contactEmail",
            "spec.notebookIdentity",
            "spec.prewarm.schedule[0].end",
            "spec.prewarm.schedule[0].seats",
            "spec.prewarm.schedule[0].start",
            "spec.prewarm.seats",
            "spec.prewarm.timeZone",
            "spec.server.content.repository",
            "spec.server.content.targetPath",
            "spec.server.environment.1BAD",
            "spec.server.environment.GOOD",
            "spec.server.image.tag",
            "spec.server.profiles",
            "spec.server.profiles[1].gpus",
            "spec.server.profiles[1].slug",
            "spec.server.resources.cpuGuarantee",
            "spec.server.resources.memoryLimit",
            "spec.server.sidecars[0].name",
            "spec.server.sidecars[0].ports[0]",
            "spec.spawn.concurrentLimit",
            "spec.storage.home.size",
            "spec.storage.sharedSize",
            "spec.term",
        ]);
    });

    it("checks a guarantee against the limit the server will have: a profile's over the server's, the server's over the defaults", () => {
        const withResources = (server: object) => validateHubSpec({ ...MINIMAL_SPEC, server }).map((p) => `${p.propertyPath}: ${p.reason}`);
        // The default memory limit is 2G: a 4G guarantee alone could never be met.
        assert.deepEqual(withResources({ resources: { memoryGuarantee: "4G" } }), ["spec.server.resources.memoryGuarantee: "
            + "is more than memoryLimit (2G, from what it falls back to): raise memoryLimit here too, or lower the guarantee"]);
        const profile = (resources: object) => ({ profiles: [{ slug: "big", displayName: "Big", resources }] });
        assert.deepEqual(withResources({ resources: { memoryLimit: "8G" }, ...profile({ memoryGuarantee: "4G" }) }), [], "under the server's 8G limit");
        assert.deepEqual(withResources(profile({ memoryGuarantee: "4G" })).map((p) => p.split(":")[0]), ["spec.server.profiles[0].resources.memoryGuarantee"]);
        assert.deepEqual(withResources({ resources: { cpuGuarantee: 1 }, ...profile({ cpuLimit: 0.5 }) }),
            ["spec.server.profiles[0].resources.cpuLimit: is less than cpuGuarantee (1, from what it falls back to)"]);
    });

    it("names a misspelled option and suggests the right one", () => {
        const problems = validateHubSpec({ ...MINIMAL_SPEC, culling: { idleTimeoutMinute: 30 } });
        assert.equal(problems.length, 1);
        assert.equal(problems[0].propertyPath, "spec.culling.idleTimeoutMinute");
        assert.match(problems[0].reason, /did you mean "idleTimeoutMinutes"/);
    });

    it("explains a malformed owner with the whole rule and an example", () => {
        const problems = validateHubSpec({ ...MINIMAL_SPEC, owner: "it<at>example.edu" });
        assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.owner"]);
        assert.match(problems[0].reason, /use at most 128 letters, digits, spaces and the characters .* `@`, such as `cs-it@example.edu`$/);
    });

    it("does not suggest a key the object already has", () => {
        const problems = validateHubSpec({ ...MINIMAL_SPEC, culling: { idleTimeoutMinutes: 30, idleTimeoutMinute: 40 } });
        assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.culling.idleTimeoutMinute"]);
        assert.doesNotMatch(problems[0].reason, /did you mean/);
    });

    it("says a missing value is required and an empty one empty, whatever its type, never printing undefined", () => {
        const problems = validateHubSpec({
            https: {},
            auth: { type: "github", allowedOrganizations: ["org"] },
            // An empty YAML key (`gpus:`) parses as null.
            server: { profiles: [{ slug: "a", gpus: null }], environment: { COURSE: null } },
        });
        assert.deepEqual(problems.map((p) => [p.propertyPath, p.reason]).sort(), [
            ["spec.auth.clientId", "is required (a non-empty string)"],
            ["spec.auth.clientSecret", "is required: pass it as a Pulumi secret, for example from `pulumi config set --secret`"],
            ["spec.course", "is required (a non-empty string)"],
            ["spec.hostname", "is required (a non-empty string)"],
            ["spec.https.mode", "is required (one of \"letsencrypt\", \"secret\", \"offload\", \"ingress\", \"certificate\")"],
            ["spec.owner", "is required (a non-empty string)"],
            ["spec.server.environment.COURSE", "is empty: give a string"],
            ["spec.server.profiles[0].displayName", "is required (a non-empty string)"],
            ["spec.server.profiles[0].gpus", "is empty: give an integer"],
        ]);
        assert.deepEqual(validateHubSpec({ ...MINIMAL_SPEC, https: undefined }).map((p) => p.reason), ["is required (an object)"]);
    });

    it("requires the time zone of a pre-warm schedule, which would otherwise run in UTC", () => {
        const schedule = [{ start: "45 9 * * 1,3", end: "30 11 * * 1,3", seats: 150 }];
        const problems = validateHubSpec({ ...MINIMAL_SPEC, prewarm: { seats: 5, schedule } });
        assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.prewarm.timeZone"]);
        assert.match(problems[0].reason, /^is required with a schedule.*UTC.*America\/New_York/);
        assert.deepEqual(validateHubSpec({ ...MINIMAL_SPEC, prewarm: { schedule, timeZone: "America/Chicago" } }), []);
        assert.deepEqual(validateHubSpec({ ...MINIMAL_SPEC, prewarm: { seats: 5 } }), [], "seats alone keep no clock");
    });

    it("refuses an nbgrader exchange, saying what is unsafe and what to do instead", () => {
        const problems = validateHubSpec({ ...MINIMAL_SPEC, storage: { sharedCourseFolder: true, nbgraderExchange: true } });
        assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.storage.nbgraderExchange"]);
        assert.match(problems[0].reason, /^is refused: every notebook runs as the same user \(uid 1000\).*read or change another's submission/);
        assert.match(problems[0].reason, /give storage\.submitFolder instead .*, or collect work through the LMS; see the README's security section/);
        assert.deepEqual(validateHubSpec({ ...MINIMAL_SPEC, storage: { nbgraderExchange: false } }), []);
    });

    it("renders no nbgrader exchange: a spec asking for one is refused on Kubernetes and on VMs, and no other spec mounts one", () => {
        const withExchange = { ...MINIMAL_SPEC, storage: { sharedCourseFolder: true, nbgraderExchange: true } };
        for (const capabilities of [clusterCapabilities(FULL_PLATFORM), ec2Capabilities({})]) {
            assert.deepEqual(hubSpecProblems(withExchange, capabilities).map((p) => p.propertyPath), ["spec.storage.nbgraderExchange"]);
        }
        const mounts = toZ2jhValues(forCluster(MAXIMAL_SPEC, FULL_PLATFORM), FULL_PLATFORM).singleuser.storage.extraVolumeMounts.map((m: any) => m.mountPath);
        assert.deepEqual(mounts, [
            "/home/jovyan/shared", "/home/jovyan/scratch", "/home/rstudio/scratch", "/srv/data", "/home/jovyan/submit", "/home/rstudio/submit",
            "/home/jovyan/datasets/census", "/home/rstudio/census", "/home/jovyan/datasets/satellite", "/home/rstudio/satellite",
        ]);
        const vmSpec = { ...MINIMAL_SPEC, storage: { sharedCourseFolder: true, nbgraderExchange: false } };
        assert.doesNotMatch(toJupyterhubConfig(forEc2(vmSpec), { swarm: true }), /nbgrader|exchange/);
    });

    it("refuses a shared password without the acknowledgement, and says how to fix it", () => {
        const problems = validateHubSpec({ ...MINIMAL_SPEC, auth: { type: "sharedPassword", password: "long-enough", acknowledgeInsecure: false } });
        assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.auth.acknowledgeInsecure"]);
        assert.match(problems[0].reason, /acknowledgeInsecure: true/);
    });

    it("refuses a hub nobody could log in to", () => {
        const problems = validateHubSpec({ ...MINIMAL_SPEC, auth: { type: "github", clientId: "x", clientSecret: "y" } });
        assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.auth"]);
        assert.match(problems[0].reason, /nobody could log in/);
    });

    it("checks each login type's own fields", () => {
        assert.deepEqual(paths({
            ...MINIMAL_SPEC,
            auth: {
                type: "oidc",
                provider: "generic",
                clientId: "c",
                clientSecret: "s",
                authorizeUrl: "http://insecure",
                tokenUrl: "https://t",
                userdataUrl: "https://u",
                allowedGroups: ["g"],
            },
        }), ["spec.auth.authorizeUrl", "spec.auth.groupsClaim"]);
        assert.deepEqual(paths({
            ...MINIMAL_SPEC,
            auth: { type: "oidc", provider: "azuread", clientId: "c", clientSecret: "s", tenantId: "common", allowAllAuthenticated: true },
        }), ["spec.auth.tenantId"]);
        assert.deepEqual(paths({
            ...MINIMAL_SPEC,
            auth: { type: "oidc", provider: "cilogon", clientId: "c", clientSecret: "s", allowedIdps: [], allowAllAuthenticated: true },
        }), ["spec.auth.allowedIdps"]);
        assert.deepEqual(paths({ ...MINIMAL_SPEC, auth: { type: "ldap", serverAddress: "ldap://x:389", bindDnTemplates: ["uid=x"], allowAllAuthenticated: true } }),
            ["spec.auth.bindDnTemplates[0]", "spec.auth.serverAddress"]);
        assert.deepEqual(paths({ ...MINIMAL_SPEC, auth: { type: "ldap", serverAddress: "ldap.example.edu", allowAllAuthenticated: true } }),
            ["spec.auth.bindDnTemplates"]);
        assert.deepEqual(paths({ ...MINIMAL_SPEC, auth: { type: "kerberos" } }), ["spec.auth.type"]);
    });

    it("accepts CILogon's Google and Microsoft logins, whose entity IDs begin with http://; refuses what is no entity ID", () => {
        // The entity IDs CILogon gives them (its IdP list; oauthenticator's CILogon docs use Google's).
        const google = "http://google.com/accounts/o8/id";
        const microsoft = "http://login.microsoftonline.com/common/oauth2/v2.0/authorize";
        const cilogon = (allowedIdps: string[]) =>
            ({ ...MINIMAL_SPEC, auth: { type: "oidc", provider: "cilogon", clientId: "c", clientSecret: "s", allowedIdps, allowAllAuthenticated: true } });
        assert.deepEqual(validateHubSpec(cilogon([google, microsoft, "urn:mace:incommon:uiuc.edu", "https://idp.example.edu/idp/shibboleth"])), []);
        const problems = validateHubSpec(cilogon(["ftp://x", "shibboleth"]));
        assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.auth.allowedIdps[0]", "spec.auth.allowedIdps[1]"]);
        assert.match(problems[0].reason, /http:\/\/\.\.\./);
    });

    it("rejects values of the wrong type, as YAML config can hold", () => {
        assert.deepEqual(paths({ ...MINIMAL_SPEC, culling: { enabled: "yes", idleTimeoutMinutes: "60" } }),
            ["spec.culling.enabled", "spec.culling.idleTimeoutMinutes"]);
        assert.deepEqual(paths("not a spec"), ["spec"]);
        assert.deepEqual(paths({}), ["spec.auth", "spec.course", "spec.hostname", "spec.https", "spec.owner"], "a standing hub has no term");
    });

    it("validatedHubSpec, what the renderers take, throws an InputPropertiesError listing every problem", () => {
        assert.throws(() => validatedHubSpec({ ...MINIMAL_SPEC, course: "CS101", hostname: "localhost" }, clusterCapabilities({})), (err: any) => {
            assert.ok(pulumi.InputPropertiesError.isInstance(err));
            assert.deepEqual(err.errors.map((e: any) => e.propertyPath), ["spec.course", "spec.hostname"]);
            assert.match(err.message, /2 invalid arguments/);
            assert.match(err.message, /spec\.course/);
            return true;
        });
    });
});

describe("cronProblem", () => {
    it("accepts standard five-field expressions", () => {
        for (const ok of ["0 9 * * 1-5", "*/15 8-17 * * MON,WED,FRI", "30 11 1,15 JAN-MAY *", "0 0 * * 0", "5-10/2 * * * *"]) {
            assert.equal(cronProblem(ok), undefined, ok);
        }
    });
    it("names the faulty field", () => {
        assert.match(cronProblem("60 9 * * *")!, /minute/);
        assert.match(cronProblem("0 24 * * *")!, /hour/);
        assert.match(cronProblem("0 9 0 * *")!, /day-of-month/);
        assert.match(cronProblem("0 9 * 13 *")!, /month/);
        assert.match(cronProblem("0 9 * * 8")!, /day-of-week/);
        // Kubernetes validates CronJob schedules with robfig/cron, whose days of the week are 0-6.
        assert.equal(cronProblem("0 0 * * 7"), 'day-of-week field "7": "7" is outside 0-6: Sunday is 0 or SUN (Kubernetes CronJobs refuse 7)');
        assert.match(cronProblem("0 0 * * 5-7")!, /Kubernetes CronJobs refuse 7/);
        assert.match(cronProblem("0 9 * *")!, /5 fields/);
        assert.match(cronProblem("0 17-9 * * *")!, /backwards/);
        assert.match(cronProblem("*/0 * * * *")!, /step/);
    });
});
