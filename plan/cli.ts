import { spawn } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { BILLING_ACCOUNT_KEY } from "../stacks/config-keys";
import { DepartmentStack, departmentPlan, renderDepartment } from "./department";
import { EXIT, exitCodeOf, planStack } from "./plan";
import { renderPlan } from "./render";
import { PlanUsageError, PulumiProject, readProject, readStackConfig } from "./stack-config";

const USAGE = `Usage: course-hubs plan <stack> [<stack> ...] [--json] [--policy-config <file>] [--cwd <project dir>]

Runs the stack's program offline, under a recording mock engine, with the stack's config
(secrets replaced by placeholders), and prints the resources it would create, the policy pack's
verdicts and the estimated monthly cost. No cloud account or Pulumi CLI is needed.

With several stacks (a department), plans each on its own and prints a table of their monthly
costs and the department's total, with the GKE free tier once per billing account: stacks that
name no course-hubs:billingAccount in their stack files are taken to share one.

  --json                  print the plan as JSON (with several stacks: each stack's plan and the totals)
  --policy-config <file>  policy pack config (as for pulumi up --policy-pack-config), for every stack;
                          default: <stackConfigDir>/policy-config.<stack>.json if it exists,
                          else the pack's defaults
  --cwd <dir>             the Pulumi project's directory (default: the current directory)

Exit codes: 0 planned, 1 the stack's config is invalid, 2 a mandatory policy is violated,
3 the program failed otherwise, 64 bad usage (unknown stack, unreadable file).
With several stacks: 64 if any cannot be read (none is planned then), else the highest of the stacks' codes.`;

/** A bad command line: reported with the usage. */
class CommandLineError extends PlanUsageError {}

interface Arguments {
    stacks: string[];
    json: boolean;
    policyConfig?: string;
    cwd: string;
}

function parse(argv: string[]): Arguments {
    const [command, ...rest] = argv;
    if (command !== "plan") {
        throw new CommandLineError(command === undefined ? "no command given" : `unknown command "${command}"`);
    }
    const parsed: Arguments = { stacks: [], json: false, cwd: process.cwd() };
    for (let i = 0; i < rest.length; i++) {
        const arg = rest[i];
        const value = () => {
            const next = rest[++i];
            if (next === undefined || next.startsWith("--")) {
                throw new CommandLineError(`${arg} needs a value`);
            }
            return next;
        };
        if (arg === "--json") {
            parsed.json = true;
        } else if (arg === "--policy-config") {
            parsed.policyConfig = value();
        } else if (arg === "--cwd") {
            parsed.cwd = path.resolve(value());
        } else if (arg.startsWith("--")) {
            throw new CommandLineError(`unknown option ${arg}`);
        } else if (parsed.stacks.includes(arg)) {
            throw new CommandLineError(`stack "${arg}" is named twice: its cost would count twice in the total`);
        } else {
            parsed.stacks.push(arg);
        }
    }
    if (parsed.stacks.length === 0) {
        throw new CommandLineError("name the stack to plan, e.g. course-hubs plan fall-cs101");
    }
    return parsed;
}

/** The stacks' platforms and billing accounts from their stack files; every stack that cannot be read, at once. */
function readDepartment(project: PulumiProject, stacks: string[]): Omit<DepartmentStack, "exitCode">[] {
    const unreadable: string[] = [];
    const department = stacks.map((stack) => {
        try {
            const { config } = readStackConfig(project, stack);
            return { stack, platform: config[`${project.name}:platform`], billingAccount: config[`${project.name}:${BILLING_ACCOUNT_KEY}`] };
        } catch (err) {
            if (!(err instanceof PlanUsageError)) {
                throw err;
            }
            unreadable.push(err.message);
            return { stack };
        }
    });
    if (unreadable.length > 0) {
        throw new PlanUsageError(unreadable.join("\n"));
    }
    return department;
}

/** `course-hubs plan <stack> --json` in a process of its own (Pulumi's mocks are process-global): its exit code and plan. */
function planInOwnProcess(stack: string, args: Arguments): Promise<Pick<DepartmentStack, "exitCode" | "plan" | "error">> {
    const options = ["--json", "--cwd", args.cwd, ...(args.policyConfig !== undefined ? ["--policy-config", args.policyConfig] : [])];
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], "plan", stack, ...options], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    return new Promise((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (code) => {
            const exitCode = code ?? EXIT.programFailed;
            try {
                resolve({ exitCode, plan: JSON.parse(stdout) });
            } catch {
                resolve({ exitCode, error: stderr.trim() || `exited with ${exitCode} and printed no plan` });
            }
        });
    });
}

/** `task` over `items`, at most `limit` at a time, results in the items' order. */
async function inParallel<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = [];
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await task(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

/** Plans several stacks, each in its own process, and prints them with the department's total; resolves to the exit code. */
async function planDepartment(args: Arguments): Promise<number> {
    const project = readProject(args.cwd);
    const read = readDepartment(project, args.stacks);
    const planned = await inParallel(read, os.availableParallelism(), async (stack) => ({ ...stack, ...(await planInOwnProcess(stack.stack, args)) }));
    const department = departmentPlan(project.name, planned);
    process.stdout.write(args.json ? `${JSON.stringify(department, null, 2)}\n` : renderDepartment(department));
    return department.exitCode;
}

/** Runs `course-hubs <argv>`; resolves to the process's exit code. */
export async function main(argv: string[]): Promise<number> {
    if (argv.includes("--help") || argv.includes("-h")) {
        process.stdout.write(`${USAGE}\n`);
        return EXIT.ok;
    }
    try {
        const args = parse(argv);
        if (args.stacks.length > 1) {
            return await planDepartment(args);
        }
        const result = await planStack(readProject(args.cwd), args.stacks[0], { policyConfigFile: args.policyConfig });
        const code = exitCodeOf(result);
        process.stdout.write(args.json ? `${JSON.stringify({ ...result, exitCode: code }, null, 2)}\n` : renderPlan(result));
        return code;
    } catch (err) {
        if (err instanceof PlanUsageError) {
            process.stderr.write(`course-hubs: ${err.message}\n${err instanceof CommandLineError ? `\n${USAGE}` : "(course-hubs --help for usage)"}\n`);
            return EXIT.usage;
        }
        throw err;
    }
}
