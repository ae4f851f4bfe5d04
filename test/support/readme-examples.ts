import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

/** The names of the README's examples, marked `<!-- readme-example: NAME -->`. */
export function readmeExampleNames(): string[] {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    return [...readme.matchAll(/<!-- readme-example: ([\w-]+) -->/g)].map((m) => m[1]);
}

/** The TypeScript block that follows `<!-- readme-example: NAME -->` in the README. */
export function readmeExample(name: string): string {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const match = new RegExp(`<!-- readme-example: ${name} -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme);
    assert.ok(match, `README.md has no example marked ${name}`);
    return match[1];
}
