#!/usr/bin/env node
// The course-hubs command (`course-hubs plan <stack>`). In the course-hubs repository it runs the
// TypeScript sources, so a plan never uses a stale build; an installed package runs dist/.
const fs = require("node:fs");
const path = require("node:path");

const sources = path.join(__dirname, "..", "plan", "cli.ts");
let cli;
if (fs.existsSync(sources)) {
    require("ts-node").register({ transpileOnly: true, projectSearchDir: path.join(__dirname, "..") });
    cli = require(sources);
} else {
    cli = require("../dist/plan/cli.js");
}
cli.main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
        console.error(err);
        process.exit(70);
    },
);
