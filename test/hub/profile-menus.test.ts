import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import {
    AuthSpec, HubSpec, ProfileSpec, authenticatorConfig, clusterCapabilities, ec2Capabilities, hubSpecProblems, toZ2jhValues, validateEksHubArgs,
    validateHubSpec,
} from "../../components";
import { defaultSeatRequest, userCapacity, userNodeArchitectures, warmSeatRequest } from "../../components/capacity";
import { GITHUB_TEAMS_CONFIG, PROFILE_GROUPS_CONFIG } from "../../components/hub/profile-menus";
import { AUTHS, FULL_PLATFORM, MENU_PROFILE, MINIMAL_SPEC, forCluster } from "../support/specs";
import { resource, runPack } from "../support/policy";
import { z2jhSchemaErrors } from "../support/z2jh-schema";

/*
 * Capability 4 of issue 17: profiles with choice menus (KubeSpawner 7's profile_options), a typed
 * image, environment and page per profile, and profiles limited to groups. What KubeSpawner does
 * with each key is read from kubespawner/spawner.py at 7.0.0 (the version z2jh 4.4.0's hub image
 * pins): the expectations below are written from it, not from what the renderer produced.
 */

const OPEN: ProfileSpec = { slug: "standard", displayName: "Standard", default: true };
const GENERIC_OIDC = AUTHS.genericOidc;
const withProfiles = (profiles: ProfileSpec[], auth: AuthSpec = GENERIC_OIDC): HubSpec => ({ ...MINIMAL_SPEC, auth, server: { profiles } });
const profileList = (spec: HubSpec) => toZ2jhValues(forCluster(spec, FULL_PLATFORM), FULL_PLATFORM).singleuser.profileList;
const problemsOf = (spec: HubSpec) => Object.fromEntries(validateHubSpec(spec).map((p) => [p.propertyPath, p.reason]));

describe("a profile's menus, as KubeSpawner 7's profile_options", () => {
    it("renders each menu as an option of choices, each choice's overrides only what it sets, the default marked, within the chart's schema", () => {
        const values = toZ2jhValues(forCluster(withProfiles([OPEN, MENU_PROFILE]), FULL_PLATFORM), FULL_PLATFORM);
        assert.deepEqual(z2jhSchemaErrors(values), []);
        assert.deepEqual(values.singleuser.profileList[1], {
            display_name: "Choose an image and a size",
            slug: "choose",
            description: "For the project weeks",
            // The profile's own environment and page, merged into (environment) or over (page) the server's by KubeSpawner.
            kubespawner_override: { environment: { PROFILE: "choose" }, default_url: "/tree" },
            profile_options: {
                image: {
                    display_name: "Image",
                    choices: {
                        scipy: { display_name: "SciPy", kubespawner_override: { image: "quay.io/jupyter/scipy-notebook:2025-10-20" } },
                        r: {
                            display_name: "R (RStudio)",
                            default: true,
                            kubespawner_override: {
                                image: "quay.io/jupyter/r-notebook:2025-10-20", environment: { R_LIBS_USER: "/home/jovyan/R" }, default_url: "/rstudio",
                            },
                        },
                    },
                    unlisted_choice: {
                        enabled: true,
                        display_name: "An image of the course&#39;s registry",
                        display_name_in_choices: "An image of the course&#39;s registry",
                        validation_regex: "^(?:quay\\.io/cs101/[a-z0-9\\-]+:[0-9][0-9.\\-]*)$",
                        validation_message: "quay.io/cs101/&#60;name&#62;:&#60;version&#62;",
                        kubespawner_override: { image: "{value}" },
                    },
                },
                size: {
                    display_name: "Size",
                    choices: {
                        // No choice says default: KubeSpawner would preselect the first; it is marked so that the plan and the hub agree.
                        small: { display_name: "1 GB", default: true, kubespawner_override: { mem_guarantee: "1G", mem_limit: "1G" } },
                        large: { display_name: "2-4 GB, up to 2 CPUs", kubespawner_override: { cpu_limit: 2, mem_guarantee: "2G", mem_limit: "4G" } },
                    },
                },
            },
        });
    });

    it("writes every text as HTML, as KubeSpawner's form template inserts them unescaped", () => {
        const profile: ProfileSpec = {
            slug: "r", displayName: "R & <Python>", description: "Tom's \"lab\"",
            menus: [{ slug: "image", displayName: "<b>Image</b>", choices: [{ slug: "a", displayName: "A & B" }] }],
        };
        const [rendered] = profileList(withProfiles([profile]));
        assert.equal(rendered.display_name, "R &#38; &#60;Python&#62;");
        assert.equal(rendered.description, "Tom&#39;s &#34;lab&#34;");
        assert.equal(rendered.profile_options.image.display_name, "&#60;b&#62;Image&#60;/b&#62;");
        assert.equal(rendered.profile_options.image.choices.a.display_name, "A &#38; B");
    });

    it("checks a typed image against the whole pattern, alike in Python's re.match (the hub) and in the browser's pattern attribute", () => {
        const pattern = "quay\\.io/cs101/[a-z0-9\\-]+:[0-9][0-9.\\-]*";
        const [rendered] = profileList(withProfiles([{
            slug: "own", displayName: "Own image",
            menus: [{ slug: "image", displayName: "Image", choices: [{ slug: "course", displayName: "Course" }], userImage: { pattern } }],
        }]));
        const regex: string = rendered.profile_options.image.unlisted_choice.validation_regex;
        const images = ["quay.io/cs101/week-1:2025.10", "quay.io/cs101/week-1:2025.10 ; evil", "quay.io/cs101/week-1:latest", "docker.io/quay.io/cs101/x:1",
            "quayXio/cs101/x:1"];
        // KubeSpawner: `re.match(validation_regex, unlisted_choice)` (_validate_user_options), a match at the start only.
        const matches = "import json, re, sys; print(json.dumps([bool(re.match(sys.argv[1], i)) for i in json.loads(sys.argv[2])]))";
        const python = execFileSync("python3", ["-c", matches, regex, JSON.stringify(images)], { encoding: "utf8" });
        // The HTML pattern attribute: the whole value must match, with the v flag (HTML Standard, "compiling a pattern attribute").
        const browser = images.map((image) => new RegExp(`^(?:${regex})$`, "v").test(image));
        const expected = [true, false, false, false, false];
        assert.deepEqual(JSON.parse(python), expected);
        assert.deepEqual(browser, expected);
    });

    it("names the default text of a typed image's entry, and describes the pattern when the spec does not", () => {
        const [rendered] = profileList(withProfiles([{
            slug: "own", displayName: "Own",
            menus: [{ slug: "image", displayName: "Image", choices: [{ slug: "c", displayName: "C" }], userImage: { pattern: "x/.+" } }],
        }]));
        assert.equal(rendered.profile_options.image.unlisted_choice.display_name_in_choices, "Other image...");
        assert.equal(rendered.profile_options.image.unlisted_choice.validation_message, "an image that matches x/.+");
    });

    it("pre-pulls each choice's image onto CPU nodes beside the GPU profiles, under names within a container name's 63 characters", () => {
        const gpu: ProfileSpec = { slug: "gpu", displayName: "GPU", gpus: 1 };
        const values = toZ2jhValues(forCluster(withProfiles([OPEN, gpu, MENU_PROFILE]), FULL_PLATFORM), FULL_PLATFORM);
        assert.deepEqual(values.prePuller.extraImages, {
            "profile-2-image-scipy": { name: "quay.io/jupyter/scipy-notebook", tag: "2025-10-20" },
            "profile-2-image-r": { name: "quay.io/jupyter/r-notebook", tag: "2025-10-20" },
        });
    });
});

describe("a profile's menus are checked", () => {
    const menuProfile = (menus: NonNullable<ProfileSpec["menus"]>): HubSpec => withProfiles([{ slug: "p", displayName: "P", menus }]);
    const choice = (slug: string, extra: object = {}) => ({ slug, displayName: slug, ...extra });

    it("refuses slugs used twice, KubeSpawner's own, and two default choices", () => {
        assert.deepEqual(problemsOf(menuProfile([
            { slug: "size", displayName: "Size", choices: [choice("a", { default: true }), choice("a", { default: true })] },
            { slug: "size", displayName: "Again", choices: [choice("unlisted-choice")] },
            { slug: "profile", displayName: "Profile", choices: [choice("b")] },
        ])), {
            "spec.server.profiles[0].menus[0].choices[1].slug": "\"a\" is used by another choice of this menu",
            "spec.server.profiles[0].menus[0].choices": "2 choices say default: true; mark one",
            "spec.server.profiles[0].menus[1].slug": "\"size\" is used by another menu of this profile",
            "spec.server.profiles[0].menus[1].choices[0].slug": "\"unlisted-choice\" is KubeSpawner's entry for a typed value: name the choice otherwise",
            "spec.server.profiles[0].menus[2].slug": "\"profile\" is KubeSpawner's own name for the profile chosen: name the menu otherwise, such as size",
        });
    });

    it("refuses a setting chosen by two menus, whose order KubeSpawner would decide", () => {
        const image = { name: "quay.io/jupyter/scipy-notebook", tag: "2025-10-20" };
        const problems = problemsOf(menuProfile([
            { slug: "image", displayName: "Image", choices: [choice("a", { image })] },
            { slug: "other", displayName: "Other", choices: [choice("b")], userImage: { pattern: "x/.+" } },
            { slug: "cpu", displayName: "CPU", choices: [choice("c", { resources: { cpuLimit: 2 } })] },
            { slug: "memory", displayName: "Memory", choices: [choice("d", { resources: { memoryLimit: "4G" }, environment: { A: "1" } })] },
        ]));
        assert.deepEqual(Object.keys(problems), ["spec.server.profiles[0].menus[1]"]);
        assert.match(problems["spec.server.profiles[0].menus[1]"], /^sets image, which menu "image" sets too/);
    });

    it("refuses a typed image's pattern that is no regular expression, that Python's re cannot read, or that breaks the page's HTML", () => {
        const patterns = {
            "quay.io/(": /is not a regular expression/,
            // A browser reads the pattern attribute with the v flag, where a class's bare "-" is an error (the input would go unchecked).
            "quay.io/[a-z-]+": /is not a regular expression: .*Invalid character class/,
            "(?<name>x)": /Python's re lacks/,
            "\\p{L}+": /Python's re lacks/,
            "x\"y": /" or &/,
        };
        for (const [pattern, reason] of Object.entries(patterns)) {
            const problems = problemsOf(menuProfile([{ slug: "image", displayName: "Image", choices: [choice("a")], userImage: { pattern } }]));
            assert.match(problems["spec.server.profiles[0].menus[0].userImage.pattern"] ?? "", reason, pattern);
        }
        // Python reads the named groups of its own syntax, but the browser does not: refused as JavaScript.
        const pythonOnly = problemsOf(menuProfile([{ slug: "image", displayName: "Image", choices: [choice("a")], userImage: { pattern: "(?P<n>x)" } }]));
        assert.match(pythonOnly["spec.server.profiles[0].menus[0].userImage.pattern"], /is not a regular expression/);
    });

    it("refuses a size whose guarantee is above its limit, with the choices that make it, at the choice's field", () => {
        const spec: HubSpec = {
            ...MINIMAL_SPEC, auth: GENERIC_OIDC,
            server: {
                resources: { memoryGuarantee: "1G", memoryLimit: "2G" },
                profiles: [{
                    slug: "p", displayName: "P",
                    menus: [
                        {
                            slug: "floor", displayName: "Floor",
                            choices: [choice("low", { resources: { memoryGuarantee: "1G" } }), choice("high", { resources: { memoryGuarantee: "3G" } })],
                        },
                        { slug: "cap", displayName: "Cap", choices: [choice("keep"), choice("more", { resources: { memoryLimit: "4G" } })] },
                    ],
                }],
            },
        };
        // high with the server's 2G limit: 3G above 2G; high with more: within 4G.
        assert.deepEqual(problemsOf(spec), {
            "spec.server.profiles[0].menus[0].choices[1].resources.memoryGuarantee":
                "with floor: high, cap: keep a server would have a memory guarantee (3G) above its limit (2G): raise the limit or lower the guarantee",
        });
    });
});

describe("/dev/shm and the sizes of a profile's menus", () => {
    it("refuses server.sharedMemory above the memory limit of a size a menu offers, naming the choice to raise", () => {
        const spec: HubSpec = { ...withProfiles([OPEN, MENU_PROFILE]), server: { sharedMemory: "2G", profiles: [OPEN, MENU_PROFILE] } };
        // The size menu's small choice limits memory to 1G; the server's limit is the default 2G, and the large choice's 4G.
        assert.deepEqual(problemsOf(spec), {
            "spec.server.sharedMemory": "is more than the memory limit of profile \"choose\" with size: small (1G), which what /dev/shm holds counts against: "
                + "lower it, or raise server.profiles[1].menus[1].choices[0].resources.memoryLimit",
        });
    });
});

describe("profiles limited to groups", () => {
    const limited: ProfileSpec = { slug: "gpu-lab", displayName: "GPU lab", groups: ["cs101-staff"] };

    it("has each login that can give groups manage them, as oauthenticator 17.4 reads them, and only with profiles limited to groups", () => {
        const settingsOf = (auth: AuthSpec, profiles = [OPEN, limited]) => {
            const config = authenticatorConfig(withProfiles(profiles, auth)).config;
            return Object.entries(config).find(([section]) => section.endsWith("OAuthenticator"))![1];
        };
        const canvas: AuthSpec = { ...GENERIC_OIDC, allowedGroups: undefined } as AuthSpec;
        assert.deepEqual({ ...settingsOf(canvas) }, { ...settingsOf(canvas, [OPEN]), manage_groups: true, auth_state_groups_key: "oauth_user.groups" });
        assert.equal(settingsOf(canvas, [OPEN]).manage_groups, undefined);
        // GitHub: the teams oauthenticator lists with populate_teams_in_auth_state (read:org), named by the hub's config (below).
        const github = settingsOf(AUTHS.github, [OPEN, { ...limited, groups: ["example-university:cs101-staff"] }]);
        assert.deepEqual([github.manage_groups, github.populate_teams_in_auth_state, github.scope], [true, true, ["read:org"]]);
        // Azure AD: the ID token's groups claim (azuread.py's default key); CILogon: isMemberOf.
        assert.equal(settingsOf(AUTHS.azuread).auth_state_groups_key, "user.groups");
        assert.equal(settingsOf(AUTHS.cilogon).auth_state_groups_key, "cilogon_user.isMemberOf");
    });

    it("is refused, at the profile's groups, with a login that gives JupyterHub no groups", () => {
        const refusals: Record<string, RegExp> = {
            google: /Google gives no groups at login.*Admin SDK/,
            ldap: /ldapauthenticator 2.0 gives JupyterHub no groups/,
            sharedPassword: /a shared password gives no groups/,
        };
        for (const [login, reason] of Object.entries(refusals)) {
            const problems = problemsOf({ ...withProfiles([OPEN, limited], AUTHS[login]), adminUsers: undefined, allowedUsers: ["someone@example.edu"] });
            assert.match(problems["spec.server.profiles[1].groups"] ?? "", reason, login);
        }
        const noClaim = problemsOf(withProfiles([OPEN, limited], { ...GENERIC_OIDC, allowedGroups: undefined, groupsClaim: undefined } as AuthSpec));
        assert.match(noClaim["spec.server.profiles[1].groups"], /need auth.groupsClaim/);
        const github = problemsOf(withProfiles([OPEN, { ...limited, groups: ["cs101-staff", "Example-University:staff"] }], AUTHS.github));
        assert.deepEqual(Object.keys(github), ["spec.server.profiles[1].groups[0]", "spec.server.profiles[1].groups[1]"]);
    });

    /*
     * The hub's Python, run with what the chart's jupyterhub_config.py has set before it (z2jh 4.4.0
     * sets c.KubeSpawner.profile_list from singleuser.profileList, then runs hub.extraConfig): a
     * stand-in for tornado's HTTPError, spawners whose user has JupyterHub's groups (objects with a
     * name, as User.groups gives them), and GitHub's /user/teams items as oauthenticator stores them.
     */
    const harness = `
import json, sys, types
class HTTPError(Exception):
    def __init__(self, status, message):
        self.status, self.message = status, message
web = types.ModuleType("tornado.web"); web.HTTPError = HTTPError
sys.modules["tornado"] = types.ModuleType("tornado"); sys.modules["tornado"].web = web; sys.modules["tornado.web"] = web
values, keys, users, auth_state = (json.loads(arg) for arg in sys.argv[1:5])
class Namespace: pass
c = Namespace(); c.KubeSpawner = Namespace(); c.GitHubOAuthenticator = Namespace()
c.KubeSpawner.profile_list = values["singleuser"]["profileList"]
for key in keys:
    exec(values["hub"]["extraConfig"][key], {"c": c})
result = {}
for name, admin, groups in users:
    user = types.SimpleNamespace(name=name, admin=admin, groups=[types.SimpleNamespace(name=g) for g in groups])
    try:
        result[name] = [p["slug"] for p in c.KubeSpawner.profile_list(types.SimpleNamespace(user=user))]
    except HTTPError as error:
        result[name] = {"status": error.status, "message": error.message}
if hasattr(c.GitHubOAuthenticator, "auth_state_groups_key"):
    result["groups from GitHub"] = c.GitHubOAuthenticator.auth_state_groups_key(auth_state)
print(json.dumps(result))
`;
    const runHub = (spec: HubSpec, users: [string, boolean, string[]][], authState: object = {}) => {
        const values = toZ2jhValues(forCluster(spec, FULL_PLATFORM), FULL_PLATFORM);
        const keys = [PROFILE_GROUPS_CONFIG, GITHUB_TEAMS_CONFIG].filter((key) => key in (values.hub.extraConfig ?? {}));
        const args = [values, keys, users, authState].map((arg) => JSON.stringify(arg));
        return JSON.parse(execFileSync("python3", ["-c", harness, ...args], { encoding: "utf8" }));
    };

    it("shows a profile to its groups' members and to admins only, and refuses a server to a user no profile is open to", () => {
        const spec = withProfiles([OPEN, limited, { slug: "tas", displayName: "TAs", groups: ["cs101-staff", "cs101-tas"] }]);
        assert.deepEqual(runHub(spec, [["student", false, ["cs101"]], ["staff", false, ["cs101-staff"]], ["ta", false, ["cs101-tas"]], ["admin", true, []]]), {
            student: ["standard"],
            staff: ["standard", "gpu-lab", "tas"],
            ta: ["standard", "tas"],
            admin: ["standard", "gpu-lab", "tas"],
        });
        const allLimited = withProfiles([{ ...limited, default: true }]);
        assert.deepEqual(runHub(allLimited, [["outsider", false, ["other"]]]).outsider, {
            status: 403, message: "No server profile of this hub is open to your groups: ask the course staff to add you to one, then log in again.",
        });
    });

    it("makes a GitHub user's groups their teams, org:team lowercase, as the spec names them", () => {
        const spec = withProfiles([OPEN, { ...limited, groups: ["example-university:cs101-staff"] }], AUTHS.github);
        // Items of GitHub's GET /user/teams: the team's slug and its organization's login.
        const teams = { teams: [{ slug: "cs101-staff", name: "CS101 Staff", organization: { login: "Example-University" } }] };
        const result = runHub(spec, [["member", false, ["example-university:cs101-staff"]]], teams);
        assert.deepEqual(result["groups from GitHub"], ["example-university:cs101-staff"]);
        assert.deepEqual(result.member, ["standard", "gpu-lab"]);
        assert.deepEqual(runHub(spec, [], {})["groups from GitHub"], [], "no teams in the login's state: no groups");
    });

    it("renders no filter and no group management without profiles limited to groups", () => {
        const open = withProfiles([OPEN, MENU_PROFILE].map((p) => ({ ...p, groups: undefined })), AUTHS.github);
        const values = toZ2jhValues(forCluster(open, FULL_PLATFORM), FULL_PLATFORM);
        assert.equal(values.hub.extraConfig?.[PROFILE_GROUPS_CONFIG], undefined);
        assert.equal(values.hub.config.GitHubOAuthenticator.manage_groups, undefined);
    });
});

describe("the policy pack reads what a choice sets", () => {
    it("reports static cloud keys in a choice's environment, and a privileged choice, as it does a profile's", () => {
        const keyed: ProfileSpec = {
            ...MENU_PROFILE,
            menus: [{ slug: "cloud", displayName: "Cloud", choices: [{ slug: "keys", displayName: "Keys", environment: { AWS_SECRET_ACCESS_KEY: "x" } }] }],
        };
        const values = (profile: ProfileSpec) => toZ2jhValues(forCluster(withProfiles([OPEN, profile]), FULL_PLATFORM), FULL_PLATFORM);
        const violations = (chartValues: Record<string, unknown>, policy: string) =>
            runPack([resource("kubernetes:helm.sh/v3:Release", { chart: "jupyterhub", values: chartValues })]).filter((v) => v.policy === policy);
        assert.deepEqual(violations(values(MENU_PROFILE), "no-static-cloud-credentials"), []);
        assert.equal(violations(values(keyed), "no-static-cloud-credentials").length, 1);
        // A privileged override can only come from raw chart values; the policy finds it in a choice too.
        const privileged = values(MENU_PROFILE);
        privileged.singleuser.profileList[1].profile_options.size.choices.large.kubespawner_override.privileged = true;
        assert.match(violations(privileged, "no-privileged-notebooks")[0]?.message ?? "", /the profile choose's choice size: large is privileged/);
    });
});

describe("EC2AutoscaleHub's profiles choose an image only", () => {
    it("refuses menus, environment, a page and groups, each at its key, with what to do instead", () => {
        const spec = { ...withProfiles([OPEN, MENU_PROFILE]), adminUsers: ["prof-smith"] };
        const problems = hubSpecProblems({ ...spec, https: { mode: "letsencrypt", contactEmail: "course-it@example.edu" } }, ec2Capabilities({}));
        assert.deepEqual(problems.map((p) => p.propertyPath).sort(),
            ["spec.server.profiles[1].defaultUrl", "spec.server.profiles[1].environment", "spec.server.profiles[1].groups", "spec.server.profiles[1].menus"]);
        assert.match(problems[0].reason, /on EC2 a profile chooses an image only.*need a Kubernetes hub/);
        assert.deepEqual(hubSpecProblems(spec, clusterCapabilities(FULL_PLATFORM)), []);
    });
});

describe("the sizes a profile's menus offer, on the user nodes", () => {
    const sized: HubSpec = {
        ...MINIMAL_SPEC,
        server: {
            image: { name: "quay.io/jupyter/scipy-notebook", tag: "2025-10-20" },
            profiles: [OPEN, {
                slug: "choose", displayName: "Choose",
                menus: [{
                    slug: "size", displayName: "Size",
                    choices: [
                        { slug: "small", displayName: "Small" },
                        { slug: "medium", displayName: "Medium", resources: { memoryGuarantee: "4G", memoryLimit: "4G" } },
                    ],
                }],
            }],
        },
    };

    it("lists the seats of every size a student can choose, each a group of the plan's capacity", () => {
        const groups = userCapacity("eks", sized, ["m6i.xlarge"], 3);
        // A m6i.xlarge gives servers 3.74 CPUs and 14.34 GiB (test/capacity.test.ts): 7 servers of 0.5 CPU and 1G (CPU binds),
        // 3 of 0.5 CPU and 4G (14.34 / 4, memory binds). The small choice is the server's size, counted as the server.
        assert.deepEqual(groups.map((g) => [g.group, g.seatsPerNode, g.binding]), [["server", 7, "cpu"], ["profile choose (size: medium)", 3, "memory"]]);
    });

    it("sizes the default server by the default profile's preselected choices, and ready seats of the largest profile by its largest size", () => {
        const preselected = structuredClone(sized);
        preselected.server!.profiles = [{ ...sized.server!.profiles![1], default: true }];
        preselected.server!.profiles[0].menus![0].choices[1].default = true;
        assert.deepEqual(defaultSeatRequest(preselected), { cpuMillis: 500, memoryMiB: 4096 });
        assert.deepEqual(warmSeatRequest({ ...sized, prewarm: { seats: 1, seatSize: "largestProfile" } }), { cpuMillis: 500, memoryMiB: 4096 });
    });

    it("refuses a size no user node holds, at the choice that sets it", () => {
        const huge = structuredClone(sized);
        huge.server!.profiles![1].menus![0].choices[1].resources = { memoryGuarantee: "20G", memoryLimit: "20G" };
        const problems = validateEksHubArgs({ spec: huge, apiAccessCidrs: ["203.0.113.0/24"], userNodes: { instanceTypes: ["m6i.xlarge"] } });
        assert.deepEqual(problems.map((p) => p.propertyPath), ["spec.server.profiles[1].menus[0].choices[1].resources"]);
        assert.match(problems[0].reason, /too little for one server of profile choose \(size: medium\) \(0.5 CPU and 20 GiB guaranteed\)/);
    });

    it("keeps user nodes x86 for a choice's amd64-only image, and for a typed image, whose architecture nothing tells", () => {
        assert.deepEqual(userNodeArchitectures("eks", sized), ["arm64", "x86_64"]);
        const rstudio = structuredClone(sized);
        rstudio.server!.profiles![1].menus![0].choices[0].image = { name: "rocker/rstudio", tag: "4.5" };
        assert.deepEqual(userNodeArchitectures("eks", rstudio), ["x86_64"]);
        const typed = structuredClone(sized);
        typed.server!.profiles![1].menus![0].userImage = { pattern: "quay\\.io/jupyter/.+" };
        assert.deepEqual(userNodeArchitectures("eks", typed), ["x86_64"]);
    });
});
