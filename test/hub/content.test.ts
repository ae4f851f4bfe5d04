import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CONTENT_SYNC_SCRIPT, contentSyncCommand } from "../../components/hub/content";
import { ContentSpec } from "../../components/hub/spec";

/*
 * The course-content script that every platform runs (the Kubernetes init container, the EC2 hub's
 * throwaway container), run here by a real POSIX sh with real git against a local bare repository
 * (file:// URL), exactly as contentSyncCommand passes it its arguments. A missing git fails the
 * test.
 */

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "course-hubs-content-"));
/** No user or system git configuration leaks in; commits get a fixed identity. */
const GIT_ENV = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: path.join(scratch, "git-home"),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "Course Staff", GIT_AUTHOR_EMAIL: "staff@example.edu",
    GIT_COMMITTER_NAME: "Course Staff", GIT_COMMITTER_EMAIL: "staff@example.edu",
};
fs.mkdirSync(GIT_ENV.HOME);

function git(cwd: string, ...args: string[]): string {
    try {
        return execFileSync("git", args, { cwd, env: GIT_ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (err: any) {
        if (err.code === "ENOENT") {
            throw new Error("git is not installed: apt-get install -y git (the content tests run the real script with real git)", { cause: err });
        }
        throw err;
    }
}

/** A bare upstream repository with branch main, and a working clone the course staff commit from. */
function upstream(name: string): { url: string; commit: (file: string, content: string, message: string) => void } {
    const bare = path.join(scratch, `${name}.git`);
    const staff = path.join(scratch, `${name}-staff`);
    git(scratch, "init", "--quiet", "--bare", "--initial-branch=main", bare);
    git(scratch, "clone", "--quiet", bare, staff);
    git(staff, "checkout", "--quiet", "-B", "main");
    return {
        url: `file://${bare}`,
        commit: (file, content, message) => {
            fs.writeFileSync(path.join(staff, file), content);
            git(staff, "add", file);
            git(staff, "commit", "--quiet", "-m", message);
            git(staff, "push", "--quiet", "origin", "main");
        },
    };
}

let homes = 0;
function newHome(): string {
    const home = path.join(scratch, `home-${homes++}`);
    fs.mkdirSync(home);
    return home;
}

/** Runs the script the way the init container and the EC2 hook do: `sh -c <script> content-sync …` in the home. */
function sync(content: ContentSpec, home: string): { status: number | null; output: string } {
    const [shell, ...args] = contentSyncCommand(content);
    assert.equal(shell, "sh");
    const result = spawnSync(shell, args, { cwd: home, env: { ...GIT_ENV, HOME: "/tmp" }, encoding: "utf8" });
    if (result.error) {
        throw result.error;
    }
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("course content: the shared sync script with real git", () => {
    before(() => {
        git(scratch, "--version");
    });

    it("is the script contentSyncCommand runs", () => {
        assert.equal(contentSyncCommand({ repository: "https://example.edu/x.git" })[2], CONTENT_SYNC_SCRIPT);
    });

    it("clones on the first start, then fast-forwards to a new upstream commit", () => {
        const repo = upstream("lectures");
        repo.commit("week1.md", "# Week 1\n", "week 1");
        const home = newHome();
        const content = { repository: repo.url };

        const first = sync(content, home);
        assert.equal(first.status, 0, first.output);
        assert.match(first.output, /cloned main of .* into lectures/);
        assert.equal(fs.readFileSync(path.join(home, "lectures", "week1.md"), "utf8"), "# Week 1\n");

        repo.commit("week2.md", "# Week 2\n", "week 2");
        const second = sync(content, home);
        assert.equal(second.status, 0, second.output);
        assert.match(second.output, /lectures is up to date with main/);
        assert.equal(fs.readFileSync(path.join(home, "lectures", "week2.md"), "utf8"), "# Week 2\n");
    });

    it("honours the branch and the target folder", () => {
        const repo = upstream("branches");
        repo.commit("README.md", "main\n", "main");
        const home = newHome();
        const result = sync({ repository: repo.url, branch: "main", targetPath: "course/material" }, home);
        assert.equal(result.status, 0, result.output);
        assert.ok(fs.existsSync(path.join(home, "course", "material", "README.md")));
    });

    it("keeps a student's uncommitted edit to a file the course also changed, and says so", () => {
        const repo = upstream("homework");
        repo.commit("hw1.py", "answer = None\n", "homework 1");
        const home = newHome();
        const content = { repository: repo.url };
        assert.equal(sync(content, home).status, 0);

        fs.writeFileSync(path.join(home, "homework", "hw1.py"), "answer = 42  # mine\n");
        repo.commit("hw1.py", "answer = None  # hint: think of 6 * 7\n", "a hint");
        const result = sync(content, home);
        assert.equal(result.status, 0, "the server still starts");
        assert.match(result.output, /kept the student's changes in homework/);
        assert.equal(fs.readFileSync(path.join(home, "homework", "hw1.py"), "utf8"), "answer = 42  # mine\n");
    });

    it("brings the update and keeps a student's edit to a file the course did not change", () => {
        const repo = upstream("labs");
        repo.commit("lab1.md", "lab 1\n", "lab 1");
        const home = newHome();
        const content = { repository: repo.url };
        assert.equal(sync(content, home).status, 0);

        fs.writeFileSync(path.join(home, "labs", "lab1.md"), "lab 1, with my notes\n");
        repo.commit("lab2.md", "lab 2\n", "lab 2");
        const result = sync(content, home);
        assert.equal(result.status, 0, result.output);
        assert.equal(fs.readFileSync(path.join(home, "labs", "lab1.md"), "utf8"), "lab 1, with my notes\n");
        assert.equal(fs.readFileSync(path.join(home, "labs", "lab2.md"), "utf8"), "lab 2\n");
    });

    it("leaves a folder of that name that is not a clone alone", () => {
        const repo = upstream("notes");
        repo.commit("a.md", "a\n", "a");
        const home = newHome();
        fs.mkdirSync(path.join(home, "notes"));
        fs.writeFileSync(path.join(home, "notes", "mine.txt"), "my own notes\n");
        const result = sync({ repository: repo.url }, home);
        assert.equal(result.status, 0, result.output);
        assert.match(result.output, /notes exists and is not a clone/);
        assert.deepEqual(fs.readdirSync(path.join(home, "notes")), ["mine.txt"]);
    });

    it("exits 0 and leaves no half-made folder when the repository cannot be reached", () => {
        const home = newHome();
        const result = sync({ repository: `file://${path.join(scratch, "missing.git")}` }, home);
        assert.equal(result.status, 0, "the server still starts");
        assert.match(result.output, /could not clone/);
        assert.deepEqual(fs.readdirSync(home), []);
        // And a later start, once the repository exists, clones it.
        const repo = upstream("missing");
        repo.commit("late.md", "late\n", "late");
        assert.equal(sync({ repository: repo.url }, home).status, 0);
        assert.ok(fs.existsSync(path.join(home, "missing", "late.md")));
    });

    it("exits 0 without merging when the branch is gone upstream", () => {
        const repo = upstream("renamed");
        repo.commit("x.md", "x\n", "x");
        const home = newHome();
        assert.equal(sync({ repository: repo.url }, home).status, 0);
        const result = sync({ repository: repo.url, branch: "no-such-branch", targetPath: "renamed" }, home);
        assert.equal(result.status, 0);
        assert.ok(fs.existsSync(path.join(home, "renamed", "x.md")), "last time's material stays");
    });
});
