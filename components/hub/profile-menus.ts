import { ProblemCollector } from "../validation";
import { GITHUB_TEAMS_AS_GROUPS, limitsProfilesToGroups, loginGroupsRefusal } from "./auth";
import { ProfileSize, defaultChoice, imageReference, parseByteSize, profileSizes } from "./defaults";
import { escapeHtml } from "./jupyterhub-config";
import { AuthSpec, HubSpec, ImageSpec, ProfileChoiceSpec, ProfileMenuSpec, ProfileSpec, ServerSpec } from "./spec";

/*
 * A profile's menus (KubeSpawner 7's `profile_options`): what a student can end up with in a
 * profile, and the rules a spec's menus keep. KubeSpawner applies the profile's overrides, then
 * each menu's chosen choice in the menus' order, each replacing what came before
 * (kubespawner/spawner.py 7.0.0, `_load_profile`); course-hubs lets each setting be chosen by one
 * menu only, so that order never decides anything.
 */

/** KubeSpawner's form keeps a profile's own choice under `profile` beside the menus' (`_options_from_form`). */
const RESERVED_MENU_SLUG = "profile";
/** The value KubeSpawner's form sends for a typed entry (templates/form.html). */
const RESERVED_CHOICE_SLUG = "unlisted-choice";

/** Every image a profile names: its own and its choices' (not a typed one). */
export function profileImages(profile: ProfileSpec): ImageSpec[] {
    return [profile.image, ...(profile.menus ?? []).flatMap((menu) => menu.choices.map((choice) => choice.image))]
        .filter((image): image is ImageSpec => image !== undefined);
}

/** Whether a student may type an image in one of the profile's menus. */
export function takesTypedImage(profile: ProfileSpec): boolean {
    return (profile.menus ?? []).some((menu) => menu.userImage !== undefined);
}

/** The typed image's pattern as the hub and the browser apply it: to the whole image. */
export function anchoredPattern(pattern: string): string {
    return `^(?:${pattern})$`;
}

/**
 * Why `pattern` cannot serve as a typed image's pattern, or undefined. KubeSpawner checks the
 * typed image with Python's `re.match` (`_validate_user_options`) and its form puts the pattern
 * in the input's `pattern` attribute, as written (templates/form.html, no escaping), which the
 * browser compiles as JavaScript with the v flag: the pattern must be valid in both, and hold no `"`
 * or `&`. A pattern the browser cannot compile would only lose the check as the student types.
 */
export function imagePatternProblem(pattern: string): string | undefined {
    if (/["&]/.test(pattern)) {
        return "has a \" or &, which the options page would carry into its HTML as written: no image name has either, so leave them out";
    }
    try {
        // Browsers compile a pattern attribute with the v flag, stricter than u inside classes (HTML Standard).
        new RegExp(anchoredPattern(pattern), "v");
    } catch (error) {
        return `is not a regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, "")}`;
    }
    if (/\(\?<[^=!]|\\[pPk][{<]|\\u\{/.test(pattern)) {
        return "uses syntax Python's re lacks (named groups, \\p{...} classes, \\k<...> or \\u{...}), and the hub checks the image with Python: "
            + "write it with plain groups and classes";
    }
    return undefined;
}

/** What a choice sets, by name: `image`, `defaultUrl`, each resource field, each environment variable. */
function settingsOf(choice: ProfileChoiceSpec): string[] {
    return [
        ...(choice.image ? ["image"] : []),
        ...(choice.defaultUrl !== undefined ? ["defaultUrl"] : []),
        ...Object.keys(choice.resources ?? {}).map((field) => `resources.${field}`),
        ...Object.keys(choice.environment ?? {}).map((name) => `environment.${name}`),
    ];
}

/** What a menu sets: what any of its choices sets, and the image with a typed one. */
function menuSettings(menu: ProfileMenuSpec): Set<string> {
    return new Set([...menu.choices.flatMap(settingsOf), ...(menu.userImage ? ["image"] : [])]);
}

/**
 * The rules of each profile's menus and groups that the schema cannot state, for the profiles that
 * have their shape (`validProfile`): slugs unique and not KubeSpawner's own, one default choice a
 * menu, each setting chosen by one menu at most, a typed image's pattern usable, every size's
 * guarantees within its limits, and groups only with a login that gives JupyterHub groups
 * (`auth`, when it has its shape).
 */
export function profileMenuProblems(
    check: ProblemCollector, path: string, server: ServerSpec, auth: AuthSpec | undefined, validProfile: (i: number) => boolean,
): void {
    const profiles = Array.isArray(server.profiles) ? server.profiles : [];
    profiles.forEach((profile, i) => {
        if (!validProfile(i)) {
            return;
        }
        const at = `${path}.server.profiles[${i}]`;
        checkMenus(check, at, profile.menus ?? []);
        for (const size of profileSizes(server, profile, at).filter((s) => s.choices.length > 0)) {
            checkSize(check, size);
        }
        if ((profile.groups ?? []).length > 0 && auth !== undefined) {
            checkGroups(check, `${at}.groups`, profile.groups!, auth);
        }
    });
}

/** One profile's menus: slugs, defaults, one menu a setting, the typed image's pattern. */
function checkMenus(check: ProblemCollector, at: string, menus: ProfileMenuSpec[]): void {
    checkSlugs(check, menus.map((menu) => menu.slug), (m) => `${at}.menus[${m}].slug`, "menu of this profile",
        [RESERVED_MENU_SLUG, "KubeSpawner's own name for the profile chosen: name the menu otherwise, such as size"]);
    const chosenBy = new Map<string, string>();
    menus.forEach((menu, m) => {
        const menuAt = `${at}.menus[${m}]`;
        checkSlugs(check, menu.choices.map((choice) => choice.slug), (c) => `${menuAt}.choices[${c}].slug`, "choice of this menu",
            [RESERVED_CHOICE_SLUG, "KubeSpawner's entry for a typed value: name the choice otherwise"]);
        const defaults = menu.choices.filter((choice) => choice.default).length;
        if (defaults > 1) {
            check.add(`${menuAt}.choices`, `${defaults} choices say default: true; mark one`);
        }
        for (const setting of menuSettings(menu)) {
            const other = chosenBy.get(setting);
            if (other !== undefined) {
                check.add(menuAt, `sets ${setting}, which menu "${other}" sets too: let one menu choose each setting `
                    + "(KubeSpawner would apply the later menu's over the earlier's)");
            }
            chosenBy.set(setting, menu.slug);
        }
        const patternFault = menu.userImage && imagePatternProblem(menu.userImage.pattern);
        if (patternFault) {
            check.add(`${menuAt}.userImage.pattern`, patternFault);
        }
    });
}

/** Each slug used once in its list (`among`), and not the one KubeSpawner reserves there (and why). */
function checkSlugs(check: ProblemCollector, slugs: string[], pathOf: (i: number) => string, among: string, [reserved, why]: [string, string]): void {
    slugs.forEach((slug, i) => {
        if (slug === reserved) {
            check.add(pathOf(i), `"${reserved}" is ${why}`);
        } else if (slugs.indexOf(slug) < i) {
            check.add(pathOf(i), `"${slug}" is used by another ${among}`);
        }
    });
}

/** A profile's groups: only with a login that gives groups; with GitHub, teams as the hub names them. */
function checkGroups(check: ProblemCollector, at: string, groups: string[], auth: AuthSpec): void {
    const refusal = loginGroupsRefusal(auth);
    if (refusal) {
        check.add(at, refusal);
        return;
    }
    if (auth.type === "github") {
        groups.forEach((group, g) => {
            if (!/^[a-z0-9-]+:[a-z0-9_.-]+$/.test(group)) {
                check.add(`${at}[${g}]`, `"${group}" is not a GitHub team as the hub names it: write the organization and the team's slug, `
                    + "lowercase, as my-org:my-team");
            }
        });
    }
}

/**
 * A size's guarantees within its limits, a fault reported at the field of the last choice that
 * sets the guarantee or the limit (the choice that makes the combination fail).
 */
function checkSize(check: ProblemCollector, size: ProfileSize): void {
    const { resources } = size;
    const pairs = [
        ["cpuGuarantee", "cpuLimit", "CPU", resources.cpuGuarantee > resources.cpuLimit],
        ["memoryGuarantee", "memoryLimit", "memory", parseByteSize(resources.memoryGuarantee) > parseByteSize(resources.memoryLimit)],
    ] as const;
    for (const [guarantee, limit, what, exceeds] of pairs) {
        const source = size.sources.find((s) => s.resources[guarantee] !== undefined || s.resources[limit] !== undefined);
        if (exceeds && source) {
            const field = source.resources[guarantee] !== undefined ? guarantee : limit;
            check.add(`${source.path}.${field}`, `with ${size.choices.join(", ")} a server would have a ${what} guarantee (${resources[guarantee]}) `
                + `above its limit (${resources[limit]}): raise the limit or lower the guarantee`);
        }
    }
}

/** Text of a typed image's menu entry when the spec gives none. */
export const DEFAULT_USER_IMAGE_LABEL = "Other image...";

/**
 * A profile's menus as KubeSpawner 7's `profile_options`, and what the profile itself sets beside
 * its image, resources and placement (its environment and page), as `kubespawner_override` keys.
 * Every text is HTML-escaped: KubeSpawner's form template writes them into the page as HTML
 * (its Jinja environment does not escape, and JupyterHub inserts the form as it is).
 */
export function profileOptionValues(profile: ProfileSpec): { override: Record<string, unknown>; options?: Record<string, unknown> } {
    const override = choiceOverride({ environment: profile.environment, defaultUrl: profile.defaultUrl });
    const menus = profile.menus ?? [];
    return {
        override,
        ...(menus.length > 0 ? { options: Object.fromEntries(menus.map((menu) => [menu.slug, menuValues(menu)])) } : {}),
    };
}

function menuValues(menu: ProfileMenuSpec): Record<string, unknown> {
    const preselected = defaultChoice(menu);
    const typed = menu.userImage;
    const typedLabel = escapeHtml(typed?.displayName ?? DEFAULT_USER_IMAGE_LABEL);
    return {
        display_name: escapeHtml(menu.displayName),
        choices: Object.fromEntries(menu.choices.map((choice) => {
            const override = choiceOverride(choice);
            return [choice.slug, {
                display_name: escapeHtml(choice.displayName),
                ...(choice === preselected ? { default: true } : {}),
                ...(Object.keys(override).length > 0 ? { kubespawner_override: override } : {}),
            }];
        })),
        ...(typed
            ? {
                unlisted_choice: {
                    enabled: true,
                    display_name: typedLabel,
                    display_name_in_choices: typedLabel,
                    validation_regex: anchoredPattern(typed.pattern),
                    validation_message: escapeHtml(typed.patternDescription ?? `an image that matches ${typed.pattern}`),
                    // KubeSpawner puts the typed value in place of {value} (_load_profile).
                    kubespawner_override: { image: "{value}" },
                },
            }
            : {}),
    };
}

/** What a choice (or a profile's environment and page) sets, as KubeSpawner overrides: only what it gives. */
function choiceOverride(choice: Pick<ProfileChoiceSpec, "image" | "resources" | "environment" | "defaultUrl">): Record<string, unknown> {
    const resources = choice.resources ?? {};
    const traits: [trait: string, value: unknown][] = [
        ["image", choice.image && imageReference(choice.image)],
        ["cpu_guarantee", resources.cpuGuarantee],
        ["cpu_limit", resources.cpuLimit],
        ["mem_guarantee", resources.memoryGuarantee],
        ["mem_limit", resources.memoryLimit],
        // A dict: KubeSpawner merges it into the server's environment (_apply_overrides).
        ["environment", choice.environment && { ...choice.environment }],
        ["default_url", choice.defaultUrl],
    ];
    return Object.fromEntries(traits.filter(([, value]) => value !== undefined));
}

/** `hub.extraConfig` keys of the profile group filter and of GitHub's teams as groups. */
export const PROFILE_GROUPS_CONFIG = "course-hubs-profile-groups";
export const GITHUB_TEAMS_CONFIG = "course-hubs-github-teams";

/** What a user whose groups open no profile reads (no `%`: tornado formats the message with its arguments). */
export const NO_PROFILE_MESSAGE = "No server profile of this hub is open to your groups: ask the course staff to add you to one, then log in again.";

/**
 * The hub's Python for profiles limited to groups, by `hub.extraConfig` key: KubeSpawner 7.0 has
 * no group filter of its own, but takes a callable `profile_list` (called with the spawner, for the
 * options page and again at start: `_render_options_form_dynamically`, `load_user_options`), so
 * the chart's list is wrapped in one that keeps the profiles open to the user. Admins see every
 * profile. A user with none is refused a server with a message, rather than started with the
 * server's defaults (KubeSpawner starts an empty list's server so). With GitHub, teams become groups.
 */
export function profileGroupsConfig(spec: HubSpec): Record<string, string> {
    if (!limitsProfilesToGroups(spec)) {
        return {};
    }
    const limits = Object.fromEntries((spec.server?.profiles ?? []).filter((p) => (p.groups ?? []).length > 0).map((p) => [p.slug, p.groups]));
    const filter = [
        "from tornado import web",
        "",
        `_course_hubs_profile_groups = ${JSON.stringify(limits)}`,
        "_course_hubs_all_profiles = c.KubeSpawner.profile_list",
        "",
        "",
        "def _course_hubs_profiles_for(spawner):",
        "    user = spawner.user",
        "    if user.admin:",
        "        return _course_hubs_all_profiles",
        "    groups = {group.name for group in user.groups}",
        "    profiles = [",
        "        p for p in _course_hubs_all_profiles",
        "        if p[\"slug\"] not in _course_hubs_profile_groups or groups.intersection(_course_hubs_profile_groups[p[\"slug\"]])",
        "    ]",
        "    if not profiles:",
        `        raise web.HTTPError(403, ${JSON.stringify(NO_PROFILE_MESSAGE)})`,
        "    return profiles",
        "",
        "",
        "c.KubeSpawner.profile_list = _course_hubs_profiles_for",
        "",
    ].join("\n");
    return {
        [PROFILE_GROUPS_CONFIG]: filter,
        ...(spec.auth.type === "github" ? { [GITHUB_TEAMS_CONFIG]: GITHUB_TEAMS_AS_GROUPS } : {}),
    };
}
