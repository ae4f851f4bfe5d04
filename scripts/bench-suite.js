#!/usr/bin/env node
// npm run bench:suite [-- --fresh] [-- --runs N]: how long the whole test command (`npm test`) takes,
// wall clock, as the median of N runs (default 3, or BENCH_RUNS), each run in a fresh process tree.
// With --fresh, the runs happen in a fresh clone of this repository's HEAD in a temporary folder
// with nothing beside it, after `npm ci` (not timed): the case the target is set for (under 90 s
// on a 2-core machine). Without it, in this checkout, uncommitted changes included.
// Prints each run's wall and CPU (user + sys of the test command and everything it waited for) seconds.
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const TARGET_SECONDS = 90;

function parseArgs(argv) {
    const args = { fresh: false, runs: Number(process.env.BENCH_RUNS ?? 3) };
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--fresh") {
            args.fresh = true;
        } else if (argv[i] === "--runs") {
            args.runs = Number(argv[++i]);
        } else {
            throw new Error(`unknown argument ${argv[i]} (usage: bench-suite.js [--fresh] [--runs N])`);
        }
    }
    if (!Number.isInteger(args.runs) || args.runs < 1) {
        throw new Error("--runs needs a whole number of runs, 1 or more");
    }
    return args;
}

/** CPU seconds (user + sys) of this process's reaped children so far; undefined off Linux. */
function childrenCpuSeconds() {
    try {
        // /proc/self/stat: fields after the command name; cutime and cstime are fields 16 and 17.
        const stat = fs.readFileSync("/proc/self/stat", "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const ticks = Number(fields[13]) + Number(fields[14]);
        const hertz = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
        return ticks / hertz;
    } catch {
        return undefined;
    }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main() {
    const args = parseArgs(process.argv.slice(2));
    let dir = ROOT;
    let scratch;
    if (args.fresh) {
        if (execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: ROOT, encoding: "utf8" }).trim()) {
            console.warn("note: uncommitted changes are not in the fresh clone (it is of HEAD)");
        }
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "course-hubs-bench-suite-"));
        dir = path.join(scratch, "course-hubs");
        execFileSync("git", ["clone", "-q", ROOT, dir], { stdio: "inherit" });
        const start = process.hrtime.bigint();
        execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: dir, stdio: "ignore" });
        console.log(`fresh clone of HEAD in ${dir}; npm ci took ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s (not counted)`);
    }
    try {
        const walls = [];
        const cpus = [];
        for (let run = 1; run <= args.runs; run++) {
            const cpuBefore = childrenCpuSeconds();
            const start = process.hrtime.bigint();
            const child = spawnSync("npm", ["test"], { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
            const wall = Number(process.hrtime.bigint() - start) / 1e9;
            const cpuAfter = childrenCpuSeconds();
            const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
            const summary = (child.stdout.match(/^\s*\d+ (passing|failing|pending).*$/gm) ?? []).map((l) => l.trim()).join(", ");
            const cpuText = cpu === undefined ? "" : `, ${cpu.toFixed(1)} s CPU`;
            console.log(`run ${run}: ${wall.toFixed(1)} s wall${cpuText}, exit ${child.status}; ${summary || "no mocha summary"}`);
            if (child.status !== 0) {
                process.stderr.write(child.stdout.slice(-4000) + child.stderr.slice(-4000));
                throw new Error(`npm test failed on run ${run}: not a time to report`);
            }
            walls.push(wall);
            if (cpu !== undefined) {
                cpus.push(cpu);
            }
        }
        const wall = median(walls);
        console.log(`npm test${args.fresh ? " in a fresh clone" : ""}, median of ${walls.length} run${walls.length === 1 ? "" : "s"}, `
            + `${os.cpus().length} cores, Node ${process.version}: `
            + `${wall.toFixed(1)} s wall (${Math.min(...walls).toFixed(1)}-${Math.max(...walls).toFixed(1)})`
            + `${cpus.length ? `, ${median(cpus).toFixed(1)} s CPU` : ""}; target under ${TARGET_SECONDS} s wall`);
    } finally {
        if (scratch) {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    }
}

try {
    main();
} catch (err) {
    console.error(`bench-suite: ${err.message}`);
    process.exit(1);
}
