// Debian's gpiod tools (gpiodetect, gpioget, gpiomon, gpioset), in both command-line dialects:
// v1 (libgpiod 1.6, Debian 12 bookworm) and v2 (libgpiod 2.x, Debian 13 trixie). Only building
// argument lists and reading their output lives here, no processes (chardev-backend.ts runs
// them), so that all of it is unit-tested. Facts checked against the tools' --help and man pages
// (protocols.md §7.5):
//   v1: `gpioget <chip> <offset>` prints `1`; `gpiomon -b -F FMT <chip> <offset>` (`-b` line
//       buffers stdout, without it events sit in a pipe buffer), `%e` is 1 rising / 0 falling;
//       `gpioset --mode=wait <chip> <offset>=<v>` holds until ENTER, end of stdin or a signal.
//   v2: `-c <chip>` before the line; gpioget prints `"17"=active`; gpiomon flushes every event,
//       `%e` is 1 rising / 2 falling, `--banner` prints `Monitoring line '17'...` once the line
//       is requested; gpioset holds until killed (no --mode; `-i` only if built with libedit,
//       which Debian's package is not), `--banner` prints `Setting line '17'...`.
//   Both: `--version` prints `… (libgpiod) v1.6.3` or `gpioset v2.3.2 (libgpiod v2.2.1)`;
//   gpiodetect prints `gpiochip0 [pinctrl-bcm2711] (58 lines)` per chip.
import type { Level } from './gpio-port.ts';

export type GpiodMajor = 1 | 2;

/** Consumer name shown by `gpioinfo` for the lines we hold (v2 tools only; v1 has no -C). */
export const GPIO_CONSUMER = 'smartspace';

/** The libgpiod major version from a tool's `--version` output, or null if it is not one. */
export function parseGpiodVersion(text: string): GpiodMajor | null {
  const m = /libgpiod\)?\s+v(\d+)\./.exec(text) ?? /^\S+\s+v(\d+)\./m.exec(text);
  if (!m) return null;
  const major = Number(m[1]);
  return major === 1 || major === 2 ? major : null;
}

export interface GpiodChip {
  /** `gpiochip0`; the tools also accept it as `-c`/first argument. */
  name: string;
  label: string;
  lines: number;
}

/** `gpiodetect` output (same in v1 and v2). */
export function parseGpiodetect(text: string): GpiodChip[] {
  const chips: GpiodChip[] = [];
  for (const line of text.split('\n')) {
    const m = /^(gpiochip\d+)\s+\[([^\]]*)\]\s+\((\d+) lines?\)/.exec(line.trim());
    if (m) chips.push({ name: m[1]!, label: m[2]!, lines: Number(m[3]) });
  }
  return chips;
}

/** Arguments to read one line once. */
export function gpiogetArgs(v: GpiodMajor, chip: string, offset: number): string[] {
  return v === 1 ? [chip, String(offset)] : ['-c', chip, String(offset)];
}

/** `gpioget` output for one line: `1` (v1, v2 --numeric) or `"17"=active` (v2). */
export function parseGpiogetOutput(text: string): Level {
  const t = text.trim();
  const value = t.includes('=') ? t.slice(t.lastIndexOf('=') + 1) : t;
  if (value === '1' || value === 'active') return 1;
  if (value === '0' || value === 'inactive') return 0;
  throw new Error(`unexpected gpioget output: ${JSON.stringify(t)}`);
}

/** The event format we ask gpiomon for: offset and numeric edge. */
export const GPIOMON_FORMAT = '%o %e';

/** Arguments to watch both edges of one line. */
export function gpiomonArgs(v: GpiodMajor, chip: string, offset: number): string[] {
  return v === 1 ? ['-b', '-F', GPIOMON_FORMAT, chip, String(offset)] : ['--banner', '-C', GPIO_CONSUMER, '-F', GPIOMON_FORMAT, '-c', chip, String(offset)];
}

export type GpiomonLine = { kind: 'edge'; offset: number; level: Level } | { kind: 'banner' } | { kind: 'other'; text: string };

/** One line of gpiomon's stdout (in GPIOMON_FORMAT). A rising edge leaves the line at 1. */
export function parseGpiomonLine(v: GpiodMajor, line: string): GpiomonLine {
  const t = line.trim();
  if (/^Monitoring lines? /.test(t)) return { kind: 'banner' };
  const m = /^(\d+) (\d)$/.exec(t);
  if (m) {
    const e = Number(m[2]);
    const rising = e === 1;
    const falling = v === 1 ? e === 0 : e === 2;
    if (rising || falling) return { kind: 'edge', offset: Number(m[1]), level: rising ? 1 : 0 };
  }
  return { kind: 'other', text: t };
}

/** Arguments to drive one output at `level` and hold it while the process lives. */
export function gpiosetArgs(v: GpiodMajor, chip: string, offset: number, level: Level): string[] {
  return v === 1 ? ['--mode=wait', chip, `${offset}=${level}`] : ['--banner', '-C', GPIO_CONSUMER, '-c', chip, `${offset}=${level}`];
}

/** True for gpioset's v2 `--banner` line: the line is requested and driven. */
export function isGpiosetBanner(line: string): boolean {
  return /^Setting lines? /.test(line.trim());
}

export type GpiodFailure = 'permission' | 'no-chip' | 'busy' | 'other';

/** What a tool's stderr says went wrong (the kernel's errno text, in both versions). */
export function classifyGpiodError(stderr: string): GpiodFailure {
  if (/permission denied|operation not permitted/i.test(stderr)) return 'permission';
  if (/device or resource busy/i.test(stderr)) return 'busy';
  if (/no such file or directory|no such device|cannot find gpio chip|unable to open chip/i.test(stderr)) return 'no-chip';
  return 'other';
}
