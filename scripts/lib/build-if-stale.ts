// Builds what `npm start` and `npm run demo:network` run (the dashboard, the compiled processes)
// when it is missing or older than its sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from './proc.ts';

function newestMtime(path: string): number {
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Runs `npm run <script>` when `output` is missing or older than any file under `sources`. */
export function buildIfStale(what: string, output: string, sources: string[], script: string): void {
  const out = join(ROOT, output);
  if (existsSync(out) && statSync(out).mtimeMs >= Math.max(...sources.map((s) => newestMtime(join(ROOT, s))))) return;
  console.log(`building ${what}…`);
  const r = spawnSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${what} build failed`);
}

/** The dashboard and the compiled gateway and services (the processes run as JavaScript, as on a Pi). */
export function buildDemo(): void {
  buildIfStale('the dashboard', 'dist/dashboard/index.html', ['dashboard', 'contracts'], 'build:dashboard');
  buildIfStale(
    'the gateway and services',
    'dist/node/services/main.js',
    ['contracts', 'runtime', 'config', 'gateway', 'services', 'firmware-bridge'],
    'build:node',
  );
}
