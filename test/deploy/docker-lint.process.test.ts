// docker-compose.yml against the Compose specification (dclint, its schema plus the rules of
// .dclintrc.yaml) and the Dockerfile through dockerfile-utils' linter (the one behind VS Code's
// Docker support: instruction syntax, flags, durations, ports). Both spawn a process, hence
// this tier. Each linter is also shown a broken file, so a linter that checks nothing fails here.
// DOCKER_LINTERS_BIN: where dclint and dockerfile-utils are (default node_modules/.bin).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = process.env.DOCKER_LINTERS_BIN ?? join(ROOT, 'node_modules', '.bin');
const tmp = mkdtempSync(join(tmpdir(), 'docker-lint-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(tool: string, args: string[]) {
  const r = spawnSync(join(BIN, tool), args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('docker linters', () => {
  it('docker-compose.yml validates against the Compose specification', () => {
    const r = run('dclint', ['--color', 'false', 'docker-compose.yml']);
    expect(r.out.trim()).toBe('');
    expect(r.status).toBe(0);
  });

  it('dclint refuses a compose file that breaks the specification', () => {
    const bad = join(tmp, 'docker-compose.yml');
    writeFileSync(bad, 'services:\n  services:\n    image: smartspace:1\n    ports: 8080\n');
    const r = run('dclint', ['--color', 'false', '-c', '.dclintrc.yaml', bad]);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/\/services\/services\/ports.*must be array/);
  });

  it('the Dockerfile passes dockerfile-utils lint', () => {
    const r = run('dockerfile-utils', ['lint', 'Dockerfile']);
    expect(r.out.trim()).toBe('');
    expect(r.status).toBe(0);
  });

  it('dockerfile-utils refuses a broken Dockerfile', () => {
    const bad = join(tmp, 'Dockerfile');
    writeFileSync(bad, 'FROM alpine:3.22\nHEALTHCHECK --interval=30 CMD true\n');
    const r = run('dockerfile-utils', ['lint', bad]);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/missing unit in duration 30/);
  });
});
