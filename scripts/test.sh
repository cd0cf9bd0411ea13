#!/usr/bin/env bash
# `npm test`: the whole suite. Installs what it needs (Debian packages), then lint, typecheck,
# dashboard build, and every test tier, cheapest first (vitest.config.ts): unit and dashboard,
# integration, process, e2e. Every tier runs even when an earlier one fails. Ends with one plain
# line over all tiers: "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
# Node 24 from node_modules/.bin (the npm registry's `node` package) runs everything below, also
# when this script is started without npm; one line says which Node it is.
PATH="$PWD/node_modules/.bin:$PATH"
node --import tsx scripts/lib/node-runtime.ts
bash scripts/setup-system.sh
npm run lint
npm run typecheck
npm run build --silent
# The unit tests on Node 22 and 26 as well (the whole suite runs on Node 24 below).
other_nodes=0
npm run --silent test:nodes || other_nodes=1
mkdir -p .tmp
rm -f .tmp/vitest-*.json
status=0
for tier in "unit dashboard" integration process e2e; do
  projects=()
  for p in $tier; do projects+=(--project "$p"); done
  name=${tier%% *}
  npx vitest run "${projects[@]}" --reporter=default --reporter=json --outputFile.json=".tmp/vitest-$name.json" || status=1
done
node -e '
  const fs = require("fs");
  const files = fs.readdirSync(".tmp").filter((f) => /^vitest-.*\.json$/.test(f));
  const sum = { total: 0, passed: 0, failed: 0, skipped: 0 };
  const failedFiles = [];
  for (const f of files) {
    const r = JSON.parse(fs.readFileSync(`.tmp/${f}`, "utf8"));
    sum.total += r.numTotalTests;
    sum.passed += r.numPassedTests;
    sum.failed += r.numFailedTests;
    sum.skipped += r.numPendingTests + r.numTodoTests;
    // A file whose set-up (beforeAll) failed has no failed test, only skipped ones: name it too.
    for (const t of r.testResults ?? []) {
      if (t.status !== "failed") continue;
      const failed = (t.assertionResults ?? []).filter((a) => a.status === "failed").length;
      failedFiles.push(`${require("path").relative(process.cwd(), t.name)}: ${failed ? `${failed} failed` : "set-up failed"}`);
    }
  }
  console.log(`tests: ${sum.passed} passed, ${sum.failed} failed` + (sum.skipped ? `, ${sum.skipped} skipped` : ""));
  for (const f of failedFiles) console.log(`  failed file ${f}`);
  if (files.length < 4) { console.error(`a tier wrote no report (${files.length} of 4)`); process.exit(1); }
  if (sum.total === 0) { console.error("no tests ran"); process.exit(1); }
' || status=1
[ "$other_nodes" -eq 0 ] || { echo "unit tests on Node 22 or 26 failed (see above)"; status=1; }
exit $status
