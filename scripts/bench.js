#!/usr/bin/env node
// npm run bench: how long the offline plan takes, and its peak memory, on every example stack and
// on a generated department of 1, 10 and 50 courses in one program (one GkeHub with a
// StaticIpIngress, then a JupyterHub per further course). Each case runs RUNS times in a fresh
// process; the median is reported. Targets: one course under 5 s; 50 courses under 10x one.
// Then the cost model's figures for each example stack: floor, ceiling, seats a user node holds and
// what a seat costs beside the cheapest type, and the term's cost where the stack gives its term.
// The whole test suite's time: npm run bench:suite (scripts/bench-suite.js).
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const BIN = path.join(ROOT, "bin", "course-hubs.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DEPARTMENT_SIZES = [1, 10, 50];

/** Preloaded into each plan: writes the process's peak resident memory (KiB) where asked. */
const PEAK_REPORTER = "process.on(\"exit\", () => require(\"node:fs\").writeFileSync(process.env.BENCH_PEAK_FILE, String(process.resourceUsage().maxRSS)));";

function departmentProgram(courses) {
    return `import * as pulumi from "@pulumi/pulumi";
import { GkeHub, JupyterHub } from ${JSON.stringify(path.join(ROOT, "components"))};

const clientSecret = new pulumi.Config().requireSecret("githubClientSecret");
const spec = (course: string) => ({
    course, term: "fall-2026", owner: "it@example.edu", hostname: \`\${course}.hubs.example.edu\`,
    https: { mode: "ingress" as const },
    auth: { type: "github" as const, clientId: "Iv1.0123456789abcdef", clientSecret, allowedOrganizations: [\`example:\${course}\`] },
});
const courses = Array.from({ length: ${courses} }, (_, i) => \`c\${i + 1}\`);
const department = new GkeHub(courses[0], {
    spec: spec(courses[0]),
    location: { zone: "us-central1-a" },
    apiAccessCidrs: ["203.0.113.0/24"],
    ingress: { letsEncryptEmail: "it@example.edu" },
});
export const urls = [department.url, ...courses.slice(1).map((course) =>
    new JupyterHub(course, { provider: department.provider, ingress: department.ingress, platform: department.platform, spec: spec(course) }).url)];
`;
}

/** A project directory holding a department of `courses` courses and its one stack, "bench". */
function departmentProject(work, courses) {
    const dir = path.join(work, `department-${courses}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: department\nruntime: nodejs\nmain: index.ts\n");
    fs.writeFileSync(path.join(dir, "index.ts"), departmentProgram(courses));
    fs.writeFileSync(
        path.join(dir, "Pulumi.bench.yaml"),
        "config:\n  gcp:project: example\n  department:githubClientSecret: { secure: v1:cGxhY2Vob2xkZXI= }\n",
    );
    return dir;
}

function median(values) {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

function measure(work, stack, cwd) {
    const peakFile = path.join(work, "peak");
    const preload = path.join(work, "peak-reporter.js");
    fs.writeFileSync(preload, PEAK_REPORTER);
    const seconds = [];
    const peaks = [];
    let resources = 0;
    let plan;
    for (let run = 0; run < RUNS; run++) {
        const start = process.hrtime.bigint();
        const child = spawnSync(process.execPath, ["--require", preload, BIN, "plan", stack, "--json", "--cwd", cwd], {
            encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, BENCH_PEAK_FILE: peakFile },
        });
        seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
        if (child.status !== 0) {
            throw new Error(`plan ${stack} in ${cwd} exited ${child.status}: ${child.stderr || child.stdout.slice(0, 2000)}`);
        }
        plan = JSON.parse(child.stdout);
        resources = plan.resources.length;
        peaks.push(Number(fs.readFileSync(peakFile, "utf8")) / 1024);
    }
    return { seconds: median(seconds), min: Math.min(...seconds), max: Math.max(...seconds), peakMiB: median(peaks), resources, plan };
}

function main() {
    // Inside the repository, so that the generated programs resolve its node_modules (and not
    // under node_modules, which ts-node does not compile).
    const work = fs.mkdtempSync(path.join(ROOT, ".bench-"));
    try {
        const rows = [];
        const stacks = fs.readdirSync(path.join(ROOT, "stacks")).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter(Boolean).sort();
        for (const stack of stacks) {
            rows.push({ case: `stack ${stack}`, ...measure(work, stack, ROOT) });
        }
        const department = {};
        for (const courses of DEPARTMENT_SIZES) {
            department[courses] = measure(work, "bench", departmentProject(work, courses));
            rows.push({ case: `department, ${courses} course${courses === 1 ? "" : "s"}`, ...department[courses] });
        }
        console.log(`offline plan, median of ${RUNS} runs each, ${os.cpus().length} cores, Node ${process.version}`);
        console.log(`${"case".padEnd(34)}${"resources".padStart(10)}${"seconds".padStart(9)}${"(min-max)".padStart(14)}${"peak MiB".padStart(10)}`);
        for (const row of rows) {
            console.log([
                row.case.padEnd(34),
                String(row.resources).padStart(10),
                row.seconds.toFixed(2).padStart(9),
                `${row.min.toFixed(2)}-${row.max.toFixed(2)}`.padStart(14),
                row.peakMiB.toFixed(0).padStart(10),
            ].join(""));
        }
        const single = Math.max(...rows.filter((r) => r.case.startsWith("stack ")).map((r) => r.seconds));
        const ratio = department[50].seconds / department[1].seconds;
        console.log(`slowest single course: ${single.toFixed(2)} s (target under 5 s); 50 courses / 1 course: ${ratio.toFixed(1)}x (target under 10x)`);
        console.log("");
        console.log("cost model, USD a month (floor: nobody online; ceiling: every group at its maximum)");
        console.log(`${"stack".padEnd(22)}${"floor".padStart(9)}${"ceiling".padStart(10)}  seats a node, $ a seat-hour (cheapest type's); term`);
        for (const row of rows.filter((r) => r.case.startsWith("stack "))) {
            const { cost, term, outputs } = row.plan;
            const server = Array.isArray(outputs.capacity) ? outputs.capacity[0] : undefined;
            const seats = server
                ? `${server.instanceType} ${server.seatsPerNode} (${server.binding}), ${server.usdPerSeatHour?.toFixed(4)} `
                    + `(${server.cheapest?.instanceType} ${server.cheapest?.usdPerSeatHour.toFixed(4)})`
                : "no user nodes of its own";
            console.log(`${row.case.slice(6).padEnd(22)}${cost.floor.toFixed(2).padStart(9)}${cost.ceiling.toFixed(2).padStart(10)}  ${seats}`
                + `${term ? `; term ${term.start} to ${term.end}: ${term.total.toFixed(2)}` : ""}`);
        }
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

main();
