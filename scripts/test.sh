#!/usr/bin/env bash
# `npm test`: the whole suite. Installs what it needs (Debian packages), then lint, typecheck,
# dashboard build, and every test project (unit, dashboard components, end-to-end with real
# processes and real Chromium). Ends with one plain line: "tests: N passed, N failed".
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
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(".tmp/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  if (r.numTotalTests === 0) { console.error("no tests ran"); process.exit(1); }
' || status=1
[ "$other_nodes" -eq 0 ] || { echo "unit tests on Node 22 or 26 failed (see above)"; status=1; }
exit $status
