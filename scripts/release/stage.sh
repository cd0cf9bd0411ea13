#!/usr/bin/env bash
# Stages what a site runs, and nothing else, into DEST: the compiled processes (dist/node), the
# built dashboard (dist/dashboard), Node-RED's settings, shipped flows and the smartspace palette,
# and the production dependencies (`npm ci --omit=dev`). The Docker image (Dockerfile) and the
# Pi installer (deploy/install.sh) both install exactly this; the installer test runs it.
#   usage: scripts/release/stage.sh DEST      (from a checkout where `npm run build` has run)
#   SMARTSPACE_OMIT_OPTIONAL=1  also --omit=optional: the machine's own Node (>= 22.12) runs it
#                               instead of the Node 24 binary from the npm registry (images).
set -euo pipefail
dest=${1:?usage: scripts/release/stage.sh DEST}
src=$(cd "$(dirname "$0")/../.." && pwd)
for built in dist/node/services/main.js dist/node/gateway/main.js dist/dashboard/index.html; do
  [ -f "$src/$built" ] || { echo "stage: $built is missing: run npm run build first" >&2; exit 1; }
done
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
# Only what runs: compiled JavaScript without the tests' files, Node-RED's side, the postinstall
# check of native addons (scripts/native-addons.ts and what it imports).
files=(package.json package-lock.json dist/node dist/dashboard config/node-red/settings.cjs config/node-red/login-guard.cjs config/node-red/site-settings.gen.cjs
  config/node-red/flows.json bin node-red/package.json node-red/lib node-red/nodes scripts/native-addons.ts scripts/lib/node-runtime.ts)
(cd "$src" && tar --exclude='*.map' -cf - "${files[@]}") | (cd "$dest" && tar -xf -)
omit=(--omit=dev)
[ "${SMARTSPACE_OMIT_OPTIONAL:-0}" = 1 ] && omit+=(--omit=optional)
(cd "$dest" && npm ci "${omit[@]}" --no-audit --no-fund --loglevel=error)
echo "stage: $(du -sh "$dest" | cut -f1) in $dest"
