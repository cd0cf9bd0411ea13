#!/usr/bin/env bash
# `npm test`: the whole suite. Installs what it needs (Debian packages), then lint, typecheck,
# dashboard build, and every test project (unit, dashboard components, end-to-end with real
# processes and real Chromium). Ends with one plain line: "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
npm run lint
npm run typecheck
npm run build --silent
mkdir -p .tmp
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(".tmp/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  if (r.numTotalTests === 0) { console.error("no tests ran"); process.exit(1); }
' || status=1
exit $status
