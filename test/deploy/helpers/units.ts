// Reads systemd unit files as installed, and turns a service unit into the command systemd would
// run: ExecStart split into words, Environment= and WorkingDirectory=, with the unit's specifiers
// (%i) filled in and the install's absolute paths moved under a temporary root. Only the subset
// of the unit syntax our units use: no quoting, no line continuations (a test fails on them).
import { readFileSync } from 'node:fs';

export type Unit = Record<string, Record<string, string[]>>;

export function parseUnit(path: string): Unit {
  const unit: Unit = {};
  let section: Record<string, string[]> | undefined;
  for (const [i, raw] of readFileSync(path, 'utf8').split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.endsWith('\\') || line.includes('"')) throw new Error(`${path}:${i + 1}: continuation or quotes: extend parseUnit`);
    const head = /^\[(.+)\]$/.exec(line);
    if (head) {
      section = unit[head[1]!] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq < 1) throw new Error(`${path}:${i + 1}: not a key=value line in a section: ${line}`);
    (section[line.slice(0, eq)] ??= []).push(line.slice(eq + 1));
  }
  return unit;
}

/** The one value of `key` in `[section]` (throws when absent or repeated). */
export function one(unit: Unit, section: string, key: string): string {
  const v = unit[section]?.[key];
  if (v?.length !== 1) throw new Error(`[${section}] ${key}: expected one value, found ${v?.length ?? 0}`);
  return v[0]!;
}

export interface UnitCommand {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

/**
 * What systemd would exec for this service unit, with `instance` for %i and every word that
 * starts with one of `dirs` (the install's own absolute directories) moved under `root`.
 */
export function unitCommand(unit: Unit, opts: { root: string; dirs: string[]; instance?: string }): UnitCommand {
  const fill = (s: string) => {
    const filled = s.replaceAll('%i', opts.instance ?? '%i');
    if (filled.includes('%')) throw new Error(`unhandled specifier in ${s}`);
    return opts.dirs.some((d) => filled === d || filled.startsWith(`${d}/`)) ? `${opts.root}${filled}` : filled;
  };
  const argv = one(unit, 'Service', 'ExecStart').split(/\s+/).map(fill);
  const env: Record<string, string> = {};
  for (const e of unit.Service?.Environment ?? []) {
    const eq = e.indexOf('=');
    env[e.slice(0, eq)] = fill(e.slice(eq + 1));
  }
  return { argv, env, cwd: fill(one(unit, 'Service', 'WorkingDirectory')) };
}
