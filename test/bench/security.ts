// Benchmark (prints, asserts nothing): issue 12's number "login and API p99 unchanged within
// noise", measured before and after in the same run. The baseline is a commit before the
// hardening (BENCH_BASELINE, default the 0.2.0 release eca80bf), checked out into a temporary
// worktree, compiled, and measured by the same script (security-measure.ts) as this tree.
// Run: npm run bench:security   (BENCH_BASELINE=<ref>, BENCH_ROUNDS=2, BENCH_API_S=10, BENCH_WARM_S=6, BENCH_LOGINS=60)
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/proc.ts';

type Numbers = Record<string, { p50: number; p99: number; n: number; non2xx?: number }>;
const BASELINE = process.env.BENCH_BASELINE ?? 'eca80bf';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

function measure(tree: string): Numbers {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/bench/security-measure.ts'], { cwd: tree, encoding: 'utf8', env: process.env });
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH '));
  if (r.status !== 0 || !line) throw new Error(`measure in ${tree} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(line.slice(6)) as Numbers;
}

const dir = mkdtempSync(join(tmpdir(), 'smartspace-baseline-'));
const tree = join(dir, 'tree');
try {
  execFileSync('git', ['worktree', 'add', '--detach', tree, BASELINE], { cwd: ROOT, stdio: 'ignore' });
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
  copyFileSync(join(ROOT, 'test/bench/security-measure.ts'), join(tree, 'test/bench/security-measure.ts'));
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: tree, stdio: 'inherit' });
  console.log(`\nLogin and API latency, baseline ${BASELINE} beside this tree (load average ${loadavg()[0]!.toFixed(2)})`);
  // Baseline and this tree take turns, so a noisy minute on a shared machine hits both alike.
  for (let round = 1; round <= ROUNDS; round++) {
    const before = measure(tree);
    const after = measure(ROOT);
    console.log(` round ${round} of ${ROUNDS}`);
    for (const label of Object.keys(after)) {
      const a = after[label]!;
      const b = before[label];
      const f = (x: number | undefined) => (x === undefined ? '   -' : x.toFixed(1).padStart(6));
      console.log(
        `  ${label.padEnd(42)} baseline p50=${f(b?.p50)} p99=${f(b?.p99)} ms   now p50=${f(a.p50)} p99=${f(a.p99)} ms  (n=${a.n}${a.non2xx ? `, non-2xx ${a.non2xx}` : ''})`,
      );
    }
  }
} finally {
  spawnSync('git', ['worktree', 'remove', '--force', tree], { cwd: ROOT });
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
