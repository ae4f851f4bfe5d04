import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

/*
 * No import cycles between the project's modules. A cycle makes the order in which Node
 * initialises modules decide whether a constant is still undefined when it is read, and it ties
 * modules together so that neither can be read, tested or moved alone. Type-only imports count
 * too: they vanish at run time, but they couple the modules all the same, and an edit turns one
 * into a value import without anybody noticing.
 */
const ROOT = path.resolve(__dirname, "..");
const FOLDERS = ["components", "stacks", "plan", "policy"];

function typeScriptFiles(folder: string): string[] {
    return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(folder, entry.name);
        return entry.isDirectory() ? typeScriptFiles(full) : entry.name.endsWith(".ts") ? [full] : [];
    });
}

/** The module a relative specifier names, as Node and TypeScript find it; undefined for data files (`./prices.json`). */
function resolveModule(from: string, specifier: string): string | undefined {
    const base = path.resolve(path.dirname(from), specifier);
    const found = [`${base}.ts`, path.join(base, "index.ts"), base].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
    if (found === undefined) {
        throw new Error(`${path.relative(ROOT, from)} imports "${specifier}", which names no file`);
    }
    return found.endsWith(".ts") ? found : undefined;
}

/** Each file's project modules that it imports, re-exports or requires, by path relative to the repository. */
function importGraph(files: string[]): Map<string, string[]> {
    return new Map(files.map((file) => {
        const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
        const imported = importedFiles.map((i) => i.fileName).filter((specifier) => specifier.startsWith("."))
            .map((specifier) => resolveModule(file, specifier)).filter((module): module is string => module !== undefined);
        return [path.relative(ROOT, file), [...new Set(imported.map((module) => path.relative(ROOT, module)))]];
    }));
}

/**
 * One cycle for each group of modules that import one another (a strongly connected component,
 * by Tarjan's algorithm), as the path from its first module back to that module: the shortest,
 * which is the one to read when breaking it.
 */
function importCycles(graph: Map<string, string[]>): string[][] {
    const index = new Map<string, number>();
    const lowLink = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const components: string[][] = [];
    const connect = (module: string): void => {
        index.set(module, index.size);
        lowLink.set(module, index.get(module)!);
        stack.push(module);
        onStack.add(module);
        for (const next of graph.get(module) ?? []) {
            if (!index.has(next)) {
                connect(next);
                lowLink.set(module, Math.min(lowLink.get(module)!, lowLink.get(next)!));
            } else if (onStack.has(next)) {
                lowLink.set(module, Math.min(lowLink.get(module)!, index.get(next)!));
            }
        }
        if (lowLink.get(module) === index.get(module)) {
            const component: string[] = [];
            let member: string;
            do {
                member = stack.pop()!;
                onStack.delete(member);
                component.push(member);
            } while (member !== module);
            components.push(component);
        }
    };
    [...graph.keys()].sort().forEach((module) => index.has(module) || connect(module));
    return components
        .filter((component) => component.length > 1 || (graph.get(component[0]) ?? []).includes(component[0]))
        .map((component) => shortestCycle(graph, new Set(component)));
}

/** The shortest path from the component's first module (alphabetically) back to it, through the component only. */
function shortestCycle(graph: Map<string, string[]>, component: Set<string>): string[] {
    const start = [...component].sort()[0];
    const cameFrom = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
        const module = queue.shift()!;
        for (const next of (graph.get(module) ?? []).filter((m) => component.has(m))) {
            if (next === start) {
                const cycle = [module];
                while (cycle[0] !== start) {
                    cycle.unshift(cameFrom.get(cycle[0])!);
                }
                return [...cycle, start];
            }
            if (!cameFrom.has(next)) {
                cameFrom.set(next, module);
                queue.push(next);
            }
        }
    }
    throw new Error(`no cycle through ${start}`);
}

describe("imports between modules", () => {
    it(`form no cycle in ${FOLDERS.join("/, ")}/ (type-only imports included)`, () => {
        const graph = importGraph(FOLDERS.flatMap((folder) => typeScriptFiles(path.join(ROOT, folder))));
        assert.ok(graph.has("components/index.ts") && graph.get("stacks/course.ts")!.length > 0, "the project's modules and their imports were found");
        const cycles = importCycles(graph).map((cycle) => cycle.join(" → "));
        assert.deepEqual(cycles, [], `import cycles: break each by moving what both sides need into a module of its own:\n${cycles.join("\n")}`);
    });

    it("the cycle finder names each cycle once, shortest, and nothing that merely leads into one", () => {
        const graph = new Map(Object.entries({
            "a.ts": ["b.ts"],
            "b.ts": ["c.ts", "e.ts"],
            "c.ts": ["a.ts", "d.ts"],
            "d.ts": [],
            "e.ts": ["a.ts"],
            "f.ts": ["a.ts", "f.ts"],
            "g.ts": ["h.ts"],
            "h.ts": ["d.ts"],
        }));
        assert.deepEqual(importCycles(graph), [["a.ts", "b.ts", "c.ts", "a.ts"], ["f.ts", "f.ts"]]);
        graph.set("h.ts", ["d.ts", "g.ts"]);
        assert.deepEqual(importCycles(graph).map((cycle) => cycle[0]).sort(), ["a.ts", "f.ts", "g.ts"]);
    });
});
