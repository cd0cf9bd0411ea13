#!/usr/bin/env bash
# Turns a tree staged by scripts/release/stage.sh into the services + gateway image's /app: the
# image that runs on every site stays within 250 MB (issue 10), Node-RED gets its own image.
#   usage: deploy/docker/services-only.sh DIR
# It removes what the services, the gateway and the CLI never load (dist/node imports none of
# it): Node-RED and its palette and settings (about 105 MB with its dependencies), tsx (the
# postinstall's TypeScript runner, with esbuild: 12 MB), the dashboard's libraries (lit, uplot:
# the built dashboard has them bundled), and the native addons' sources and other platforms'
# prebuilt binaries (better-sqlite3 ships its SQLite sources and eight platforms' binaries:
# 25 MB of which 2 MB is loaded). Run on the machine (or image) that will run DIR: the binaries
# kept are this one's architecture (both C libraries). test/bench/docker-image.ts measures it.
set -euo pipefail
dir=$(cd "${1:?usage: deploy/docker/services-only.sh DIR}" && pwd)
[ -f "$dir/dist/node/services/main.js" ] || { echo "services-only: $dir is not a staged tree (scripts/release/stage.sh)" >&2; exit 1; }
cd "$dir"
omit=(--omit=dev)
[ -d node_modules/node ] || omit+=(--omit=optional) # staged with SMARTSPACE_OMIT_OPTIONAL=1
# --no-save: package.json and the lock stay as shipped. --ignore-scripts: the postinstall needs
# tsx, which is going; the addons were checked when stage.sh ran npm ci.
npm uninstall --no-save --ignore-scripts "${omit[@]}" --no-audit --no-fund --loglevel=error node-red tsx lit uplot
rm -rf node-red config/node-red
arch=$(node -p process.arch)
sqlite=node_modules/better-sqlite3
rm -rf "$sqlite/deps" "$sqlite/src"
find "$sqlite/prebuilds" -name '*.node' ! -name "linux-$arch.node" ! -name "linuxmusl-$arch.node" -delete
find node_modules/@serialport/bindings-cpp/prebuilds -mindepth 1 -maxdepth 1 ! -name "linux-$arch" -exec rm -rf {} +
# What is left must still load: the same probe as scripts/native-addons.ts, without tsx.
node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get(); require('@serialport/bindings-cpp')"
echo "services-only: $(du -sh "$dir" | cut -f1) in $dir"
