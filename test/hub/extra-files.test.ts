import { strict as assert } from "node:assert";
import {
    ExtraFileSpec, HubSpec, Problem, clusterCapabilities, eksCapabilities, gkeCapabilities, hubSpecProblems, toZ2jhValues, validateEc2HubArgs,
    validateHubSpec,
} from "../../components";
import { FULL_PLATFORM, MINIMAL_SPEC, forCluster } from "../support/specs";
import { z2jhSchemaErrors } from "../support/z2jh-schema";

/*
 * `server.extraFiles`: files placed in every server, as z2jh's `singleuser.extraFiles` beside
 * course-hubs's own, refused by their paths where they would not work, and refused on EC2.
 */

const SETTINGS: ExtraFileSpec = { path: "/etc/course/settings.json", content: "{\"dataset\": \"week-1\"}\n" };
const NOTES: ExtraFileSpec = { path: "/opt/course/README.txt", content: "Ask in office hours.\n" };

function withFiles(extraFiles: unknown[], spec: HubSpec = MINIMAL_SPEC): HubSpec {
    return { ...spec, server: { ...spec.server, extraFiles: extraFiles as ExtraFileSpec[] } };
}

function renderValid(spec: HubSpec): Record<string, any> {
    const values = toZ2jhValues(forCluster(spec, FULL_PLATFORM), FULL_PLATFORM);
    assert.deepEqual(z2jhSchemaErrors(values), [], "values fail the z2jh 4.4.0 schema");
    return values;
}

function reasonsAt(problems: Problem[], propertyPath: string): string[] {
    return problems.filter((p) => p.propertyPath === propertyPath).map((p) => p.reason);
}

describe("server.extraFiles: files placed in every server", () => {
    it("are the chart's singleuser.extraFiles, as plain text under course-file-1, course-file-2, beside course-hubs's kernel culling file", () => {
        const files = renderValid(withFiles([SETTINGS, NOTES])).singleuser.extraFiles;
        assert.deepEqual(Object.keys(files), ["course-hubs-kernel-culling", "course-file-1", "course-file-2"]);
        assert.deepEqual(files["course-file-1"], { mountPath: SETTINGS.path, stringData: SETTINGS.content });
        assert.deepEqual(files["course-file-2"], { mountPath: NOTES.path, stringData: NOTES.content });
        assert.ok(files["course-hubs-kernel-culling"].data.MappingKernelManager, "course-hubs's own file stays");
    });

    it("are the only files without kernel culling, and none are rendered without extraFiles", () => {
        const files = renderValid(withFiles([SETTINGS], { ...MINIMAL_SPEC, culling: { kernelIdleTimeoutMinutes: 0 } })).singleuser.extraFiles;
        assert.deepEqual(files, { "course-file-1": { mountPath: SETTINGS.path, stringData: SETTINGS.content } });
        assert.equal(renderValid({ ...MINIMAL_SPEC, culling: { enabled: false } }).singleuser.extraFiles, undefined);
        assert.equal(renderValid(withFiles([], { ...MINIMAL_SPEC, culling: { enabled: false } })).singleuser.extraFiles, undefined);
    });

    it("refuses a path that is not absolute, or names a folder, at its path", () => {
        for (const path of ["etc/course/settings.json", "/etc/course/", "/etc/../root/.bashrc", "/etc//course"]) {
            const problems = validateHubSpec(withFiles([SETTINGS, { path, content: "x" }]));
            assert.deepEqual(reasonsAt(problems, "spec.server.extraFiles[1].path"),
                [`"${path}" is not valid: use an absolute path to a file, such as /etc/course/settings.json (no trailing /, no . or .. parts)`], path);
        }
    });

    it("refuses a path used twice, at the second file", () => {
        const problems = validateHubSpec(withFiles([SETTINGS, NOTES, { ...SETTINGS, content: "{}" }]));
        assert.deepEqual(problems, [{
            propertyPath: "spec.server.extraFiles[2].path",
            reason: "\"/etc/course/settings.json\" is the path of another file: give each file its own",
        }]);
    });

    it("refuses a path in the home directory, students' own volume", () => {
        for (const path of ["/home/jovyan", "/home/jovyan/.jupyter/lab/user-settings/overrides.json"]) {
            const [problem, ...others] = validateHubSpec(withFiles([NOTES, { path, content: "{}" }]));
            assert.deepEqual(others, [], path);
            assert.equal(problem.propertyPath, "spec.server.extraFiles[1].path");
            assert.match(problem.reason, /is in the home directory \(\/home\/jovyan\), which is each student's own volume: .*Put it outside, for example under \/etc\/course/);
        }
        assert.deepEqual(validateHubSpec(withFiles([{ path: "/home/jovyanic.txt", content: "x" }, { path: "/home/other/a.txt", content: "x" }])), []);
    });

    it("refuses course-hubs's own kernel culling file", () => {
        const path = toZ2jhValues(forCluster(MINIMAL_SPEC)).singleuser.extraFiles["course-hubs-kernel-culling"].mountPath;
        assert.deepEqual(validateHubSpec(withFiles([{ path, content: "{}" }])), [{
            propertyPath: "spec.server.extraFiles[0].path",
            reason: `"${path}" is course-hubs's own file (kernel culling, set by spec.culling): give the file another name`,
        }]);
    });

    it("refuses contents beyond what the chart's Secret holds: a file at its content, files together at the list", () => {
        const kib = (size: number) => "é".repeat(size * 512); // two bytes in UTF-8 each
        const limit = "the files together may hold at most 768 KiB (the chart keeps them in a Kubernetes Secret): "
            + "put large files in the image, or bring them into homes with server.content";
        assert.deepEqual(validateHubSpec(withFiles([NOTES, { ...SETTINGS, content: kib(769) }])),
            [{ propertyPath: "spec.server.extraFiles[1].content", reason: `holds 769 KiB; ${limit}` }]);
        assert.deepEqual(validateHubSpec(withFiles([{ ...NOTES, content: kib(400) }, { ...SETTINGS, content: kib(400) }])),
            [{ propertyPath: "spec.server.extraFiles", reason: `hold 800 KiB together; ${limit}` }]);
        assert.deepEqual(validateHubSpec(withFiles([{ ...NOTES, content: kib(368) }, { ...SETTINGS, content: kib(400) }])), []);
    });

    it("reports every problem at once, each at its file", () => {
        const problems = validateHubSpec(withFiles([SETTINGS, { path: "relative.txt", content: "x" }, { path: "/home/jovyan/a", content: "x" }, SETTINGS]));
        assert.deepEqual(problems.map((p) => p.propertyPath).sort(),
            ["spec.server.extraFiles[1].path", "spec.server.extraFiles[2].path", "spec.server.extraFiles[3].path"]);
    });

    it("are served on Kubernetes and refused on EC2 with its own message", () => {
        const spec = withFiles([SETTINGS]);
        for (const capabilities of [clusterCapabilities({}), eksCapabilities({}), gkeCapabilities({})]) {
            assert.deepEqual(hubSpecProblems(spec, capabilities), []);
        }
        for (const workers of [undefined, false as const]) {
            const problems = validateEc2HubArgs({ spec, ...(workers === false ? { workers, hub: { instanceType: "t4g.xlarge" } } : {}) });
            assert.deepEqual(reasonsAt(problems, "spec.server.extraFiles"), [
                "files placed in the servers need a Kubernetes hub (the chart mounts them from a Secret); on EC2 put them in the image, "
                + "or bring them into homes with server.content",
            ]);
            assert.equal(problems.length, 1);
        }
        assert.deepEqual(validateEc2HubArgs({ spec: withFiles([]) }), []);
    });
});
