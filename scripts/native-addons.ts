// Native addons must be built for the Node that loads them. better-sqlite3 13 (prebuilt in its
// package) and @serialport/bindings-cpp (prebuilt) use Node-API: one binary for every Node >= 22.
// epoll (onoff's, for GPIO) uses NAN: its binary fits one Node ABI only. `npm ci` compiles it
// with whatever headers npm is configured with (on these machines `nodedir=/usr`: Node 20's,
// even when the install scripts run on Node 24), so this checks, under the Node running it,
// that each addon loads, and rebuilds one that does not against this very Node's headers (the
// `node` package ships them; no download). Runs after `npm ci` (postinstall) and before the
// unit tests run on another Node (scripts/test-nodes.sh).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unsupportedReason } from './lib/node-runtime.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Addon {
  pkg: string;
  /** CommonJS that throws when the addon cannot be loaded and used. */
  probe: string;
  /** Only where the package loads its binary at all. */
  platforms?: NodeJS.Platform[];
}

const ADDONS: Addon[] = [
  { pkg: 'better-sqlite3', probe: `new (require('better-sqlite3'))(':memory:').prepare('select 1').get()` },
  { pkg: '@serialport/bindings-cpp', probe: `require('@serialport/bindings-cpp')` },
  { pkg: 'epoll', probe: `require('epoll')`, platforms: ['linux'] },
];

/** The first line of the load error, or null when the addon loads. */
function loadError(addon: Addon): string | null {
  const r = spawnSync(process.execPath, ['-e', addon.probe], { cwd: ROOT, encoding: 'utf8' });
  if (r.status === 0) return null;
  return (r.stderr.split('\n').find((l) => /Error/.test(l)) ?? r.stderr.trim().split('\n')[0] ?? `exit ${r.status}`).trim();
}

function headersVersion(dir: string): string | null {
  const h = join(dir, 'include', 'node', 'node_version.h');
  if (!existsSync(h)) return null;
  const text = readFileSync(h, 'utf8');
  const part = (name: string) => new RegExp(`#define NODE_${name}_VERSION (\\d+)`).exec(text)?.[1];
  return `v${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}`;
}

/** A folder with include/node for exactly this Node: beside the binary, or the `node` package's. */
function nodeDir(): string | undefined {
  const bin = dirname(process.execPath);
  const candidates = [resolve(bin, '..'), resolve(bin, '..', 'node_modules', `node-${process.platform}-${process.arch}`)];
  return candidates.find((d) => headersVersion(d) === process.version);
}

function rebuild(addon: Addon): void {
  const dir = nodeDir();
  console.log(`native-addons: rebuilding ${addon.pkg} for Node ${process.version} (${dir ? `headers in ${dir}` : 'headers from nodejs.org'})`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // npm, and the node-gyp it runs, on this Node; an empty nodedir lets node-gyp fetch headers.
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: dir ?? '',
  };
  const r = spawnSync('npm', ['rebuild', addon.pkg], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`npm rebuild ${addon.pkg} failed (exit ${r.status})`);
}

/** Makes every addon load on this Node; returns the packages that still do not. */
export function ensureNativeAddons(): string[] {
  const broken: string[] = [];
  for (const addon of ADDONS) {
    if (addon.platforms && !addon.platforms.includes(process.platform)) continue;
    if (!existsSync(join(ROOT, 'node_modules', addon.pkg))) continue; // e.g. onoff omitted
    const err = loadError(addon);
    if (!err) continue;
    console.log(`native-addons: ${addon.pkg} does not load on Node ${process.version}: ${err}`);
    try {
      rebuild(addon);
    } catch (e) {
      console.error(`native-addons: ${(e as Error).message}`);
    }
    const after = loadError(addon);
    if (after) {
      console.error(`native-addons: ${addon.pkg} still does not load on Node ${process.version}: ${after}`);
      broken.push(addon.pkg);
    }
  }
  return broken;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // On Node 20 (the optional `node` did not install) there is nothing to build for: say why
  // once, and leave the refusal to npm start / npm test instead of failing npm ci.
  const unsupported = unsupportedReason();
  if (unsupported) {
    console.warn(`native-addons: skipped. ${unsupported}`);
    process.exit(0);
  }
  const broken = ensureNativeAddons();
  if (broken.length > 0) process.exit(1);
}
