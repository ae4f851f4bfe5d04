import * as path from "node:path";
import { EXIT, exitCodeOf, planStack } from "./plan";
import { renderPlan } from "./render";
import { PlanUsageError, readProject } from "./stack-config";

const USAGE = `Usage: course-hubs plan <stack> [--json] [--policy-config <file>] [--cwd <project dir>]

Runs the stack's program offline, under a recording mock engine, with the stack's config
(secrets replaced by placeholders), and prints the resources it would create, the policy pack's
verdicts and the estimated monthly cost. No cloud account or Pulumi CLI is needed.

  --json                  print the plan as JSON
  --policy-config <file>  policy pack config (as for pulumi up --policy-pack-config);
                          default: <stackConfigDir>/policy-config.<stack>.json if it exists,
                          else the pack's defaults
  --cwd <dir>             the Pulumi project's directory (default: the current directory)

Exit codes: 0 planned, 1 the stack's config is invalid, 2 a mandatory policy is violated,
3 the program failed otherwise, 64 bad usage (unknown stack, unreadable file).`;

/** A bad command line: reported with the usage. */
class CommandLineError extends PlanUsageError {}

interface Arguments {
    stack: string;
    json: boolean;
    policyConfig?: string;
    cwd: string;
}

function parse(argv: string[]): Arguments {
    const [command, ...rest] = argv;
    if (command !== "plan") {
        throw new CommandLineError(command === undefined ? "no command given" : `unknown command "${command}"`);
    }
    const parsed: Partial<Arguments> = { json: false, cwd: process.cwd() };
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
        } else if (parsed.stack === undefined) {
            parsed.stack = arg;
        } else {
            throw new CommandLineError(`one stack at a time: got "${parsed.stack}" and "${arg}"`);
        }
    }
    if (parsed.stack === undefined) {
        throw new CommandLineError("name the stack to plan, e.g. course-hubs plan fall-cs101");
    }
    return parsed as Arguments;
}

/** Runs `course-hubs <argv>`; resolves to the process's exit code. */
export async function main(argv: string[]): Promise<number> {
    if (argv.includes("--help") || argv.includes("-h")) {
        process.stdout.write(`${USAGE}\n`);
        return EXIT.ok;
    }
    try {
        const args = parse(argv);
        const result = await planStack(readProject(args.cwd), args.stack, { policyConfigFile: args.policyConfig });
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
