// Pulumi mocks patch only the copy of @pulumi/pulumi that calls setMocks: a second copy under a
// provider package makes every mock silently not apply. Fail the test command before that happens.
"use strict";
const { execFileSync } = require("node:child_process");

let listing;
try {
    listing = execFileSync("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], { encoding: "utf8" });
} catch (err) {
    listing = err.stdout || "";
    console.error(`npm ls @pulumi/pulumi reported a problem:\n${err.stderr || err.message}`);
    process.exit(1);
}
const copies = listing.split("\n").filter((line) => /node_modules[\\/]@pulumi[\\/]pulumi$/.test(line.trim()));
if (copies.length !== 1) {
    console.error(`Expected exactly one copy of @pulumi/pulumi, found ${copies.length}:\n  ${copies.join("\n  ")}`);
    console.error("Dedupe it (the \"overrides\" entry in package.json pins it) and run npm install again.");
    process.exit(1);
}
console.log(`one copy of @pulumi/pulumi: ${copies[0]}`);
