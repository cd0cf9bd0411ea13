// Fake gpiod tools for the chardev backend's process tests: one POSIX sh script linked as
// gpiodetect, gpioget, gpiomon and gpioset in a temporary directory that goes first on PATH.
// `version` picks the dialect (1: Debian 12's 1.6.3, 2: Debian 13's 2.x). Each call appends
// `<tool> <args…>` to calls.log. The test drives the world through files in the same directory:
//   chips             gpiodetect's output (one `gpiochipN [label] (N lines)` a line)
//   deny              every tool fails with EACCES, as for a user outside the `gpio` group
//   busy-<offset>     requesting that line fails with EBUSY
//   level-<offset>    what gpioget reads (0 or 1; default 0)
//   edges-<offset>    lines `rising` / `falling` appended by the test; gpiomon prints them in the
//                     `-F '%o %e'` format of its version (v1: 1/0, v2: 1/2)
//   out-<offset>      the level the last gpioset drove
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// String.raw keeps the shell's backslashes; `\${` (needed to write `${` in a template) loses its `\`.
const SCRIPT = String.raw`#!/bin/sh
d=$(dirname "$0")
tool=$(basename "$0")
v=$(cat "$d/version")
echo "$tool $*" >> "$d/calls.log"
if [ "$1" = "--version" ]; then
  if [ "$v" = 1 ]; then echo "$tool (libgpiod) v1.6.3"; else echo "$tool v2.3.2 (libgpiod v2.2.1)"; fi
  echo "Copyright (C) 2017-2023 Bartosz Golaszewski"
  exit 0
fi
if [ -e "$d/deny" ]; then
  echo "$tool: unable to open chip '/dev/gpiochip0': Permission denied" >&2; exit 1
fi
if [ "$tool" = gpiodetect ]; then cat "$d/chips"; exit 0; fi
# the last argument is <offset> or <offset>=<value>
for a in "$@"; do last=$a; done
offset=\${last%%=*}
if [ -e "$d/busy-$offset" ]; then
  echo "$tool: unable to request lines on chip '/dev/gpiochip0': Device or resource busy" >&2; exit 1
fi
banner=0
for a in "$@"; do [ "$a" = --banner ] && banner=1; done
case $tool in
gpioget)
  l=$(cat "$d/level-$offset" 2>/dev/null || echo 0)
  if [ "$v" = 1 ]; then echo "$l"; elif [ "$l" = 1 ]; then echo "\"$offset\"=active"; else echo "\"$offset\"=inactive"; fi
  ;;
gpioset)
  echo "\${last#*=}" > "$d/out-$offset"
  [ $banner = 1 ] && echo "Setting line '$offset'..."
  if [ "$v" = 1 ]; then read _; else exec sleep 100000; fi
  ;;
gpiomon)
  [ $banner = 1 ] && echo "Monitoring line '$offset'..."
  seen=0
  touch "$d/edges-$offset"
  while :; do
    n=0
    while read -r e; do
      n=$((n+1))
      [ $n -le $seen ] && continue
      seen=$n
      if [ "$e" = rising ]; then c=1; elif [ "$v" = 1 ]; then c=0; else c=2; fi
      echo "$offset $c"
    done < "$d/edges-$offset"
    [ -e "$d/die-$offset" ] && { echo "$tool: error waiting for events: No such device" >&2; exit 1; }
    sleep 0.02
  done
  ;;
esac
`.replaceAll('\\$', '$');

export interface FakeGpiodTools {
  dir: string;
  env: NodeJS.ProcessEnv;
  calls(): string[];
  write(name: string, text: string): void;
  /** Appends an edge for gpiomon to report. */
  edge(offset: number, kind: 'rising' | 'falling'): void;
  read(name: string): string | undefined;
  cleanup(): void;
}

export function fakeGpiodTools(version: 1 | 2, chips = 'gpiochip0 [pinctrl-bcm2711] (58 lines)\ngpiochip1 [raspberrypi-exp-gpio] (8 lines)\n'): FakeGpiodTools {
  const dir = mkdtempSync(join(tmpdir(), 'ss-gpiod-'));
  const script = join(dir, 'fake-gpiod.sh');
  writeFileSync(script, SCRIPT);
  chmodSync(script, 0o755);
  for (const t of ['gpiodetect', 'gpioget', 'gpiomon', 'gpioset']) symlinkSync(script, join(dir, t));
  writeFileSync(join(dir, 'version'), String(version));
  writeFileSync(join(dir, 'chips'), chips);
  writeFileSync(join(dir, 'calls.log'), '');
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      return undefined;
    }
  };
  return {
    dir,
    env: { ...process.env, PATH: `${dir}:/usr/bin:/bin` },
    calls: () => (read('calls.log') ?? '').split('\n').filter(Boolean),
    write: (name, text) => writeFileSync(join(dir, name), text),
    edge: (offset, kind) => appendFileSync(join(dir, `edges-${offset}`), `${kind}\n`),
    read,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
