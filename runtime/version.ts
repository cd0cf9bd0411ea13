// The software version the gateway reports in its status and the services announce to Home
// Assistant: the project's package.json version,
// found by walking up from this file (runtime/ when run with tsx, dist/node/runtime/ compiled).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function softwareVersion(from: string = fileURLToPath(import.meta.url)): string | undefined {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'smartspace' && typeof pkg.version === 'string') return pkg.version.slice(0, 64);
    } catch {
      // no package.json here (or not ours): keep walking up
    }
    if (dirname(dir) === dir) return undefined;
  }
}
