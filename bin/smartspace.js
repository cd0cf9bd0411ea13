#!/usr/bin/env node
// `smartspace …`, the admin CLI (cli/main.ts). In a checkout it runs the TypeScript sources
// through tsx; in an installed site (scripts/release/stage.sh: no sources) the compiled
// dist/node/cli/main.js. On a Node older than 22.12 it runs itself again on the Node 24 binary
// that `npm ci` put in node_modules (the npm registry's `node` package), when there is one.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  const bundled = fileURLToPath(new URL('node_modules/node/bin/node', root));
  if (!existsSync(bundled)) {
    process.stderr.write(`smartspace needs Node.js 22.12 or newer (24 LTS recommended); this is ${process.version}\n`);
    process.exit(1);
  }
  const r = spawnSync(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const sources = new URL('cli/main.ts', root);
let cli;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(sources.href);
} else {
  cli = await import(new URL('dist/node/cli/main.js', root).href);
}
await cli.main();
