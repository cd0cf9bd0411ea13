#!/usr/bin/env bash
# `npm test`: the whole suite. Installs what it needs (Debian packages), then lint, typecheck,
# dashboard build, and every test tier, cheapest first (vitest.config.ts): unit and dashboard,
# integration, process, e2e. Every tier runs even when an earlier one fails. Ends with one plain
# line over all tiers: "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
npm run lint
npm run typecheck
npm run build --silent
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
  for (const f of files) {
    const r = JSON.parse(fs.readFileSync(`.tmp/${f}`, "utf8"));
    sum.total += r.numTotalTests;
    sum.passed += r.numPassedTests;
    sum.failed += r.numFailedTests;
    sum.skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`tests: ${sum.passed} passed, ${sum.failed} failed` + (sum.skipped ? `, ${sum.skipped} skipped` : ""));
  if (files.length < 4) { console.error(`a tier wrote no report (${files.length} of 4)`); process.exit(1); }
  if (sum.total === 0) { console.error("no tests ran"); process.exit(1); }
' || status=1
exit $status
