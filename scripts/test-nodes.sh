#!/usr/bin/env bash
# The unit tests (`npm run test:unit`) on other supported Node majors than the one we ship:
#   bash scripts/test-nodes.sh 22 26
# Each Node comes from the npm registry's `node` package (the newest release of that major)
# into .tmp/node/<major>/, kept between runs. Native addons are rebuilt for each Node before its
# run (only epoll needs it) and for the shipped Node again at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$PWD/node_modules/.bin:$PATH"
shipped=$(command -v node)
restore() { node --import tsx scripts/native-addons.ts >/dev/null || echo "native addons: could not rebuild for $(node -v)" >&2; }
trap restore EXIT
# The same projects as `npm run test:unit`, with this Node instead of the one in node_modules/.bin.
unit_args=$(node -p 'require("./package.json").scripts["test:unit"].replace(/^vitest /, "")')
status=0
for major in "$@"; do
  dir=.tmp/node/$major
  if [ ! -x "$dir/node_modules/.bin/node" ]; then
    echo "getting Node $major from the npm registry…"
    mkdir -p "$dir"
    npm install --prefix "$PWD/$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node@$major" >/dev/null
  fi
  bin=$(cd "$dir/node_modules/.bin" && pwd)
  echo "unit tests on Node $("$bin/node" -v) (shipped: $("$shipped" -v))"
  # First on PATH, so that a test spawning `tsx` or `node` gets this Node too.
  # shellcheck disable=SC2086 # unit_args is a list of flags
  if ! PATH="$bin:$PATH" node --import tsx scripts/native-addons.ts ||
    ! PATH="$bin:$PATH" node node_modules/vitest/vitest.mjs $unit_args; then
    echo "unit tests on Node $major: FAILED"
    status=1
  fi
done
exit $status
