// Percentiles and a one-line report for the benchmarks.
import { readFileSync } from 'node:fs';
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarise(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}

export function line(label: string, s: Summary, unit = 'ms', target?: { p99: number }): string {
  const f = (x: number) => x.toFixed(x < 1 ? 3 : 2);
  const verdict = target ? (s.p99 <= target.p99 ? `  target p99 <= ${target.p99} ${unit}: met` : `  target p99 <= ${target.p99} ${unit}: MISSED`) : '';
  return `${label.padEnd(46)} n=${String(s.n).padEnd(6)} p50=${f(s.p50)} ${unit}  p99=${f(s.p99)} ${unit}  max=${f(s.max)} ${unit}${verdict}`;
}

/** Resident set size of a process in MB, from /proc. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return kb / 1024;
  } catch {
    return NaN;
  }
}
