// The bridge process as a host runs it (compiled, dist/node/bridge/main.js): a config error names
// the key and exits 2; SIGTERM stops it cleanly (exit 0), also while a broker is not there.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startProcess } from '../../scripts/lib/proc.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { bridgeDesks } from './helpers.ts';
import { startSourceBroker, type SourceBroker } from './source-broker.ts';

const sites: TestSite[] = [];
let source: SourceBroker | undefined;
afterAll(async () => {
  for (const s of sites) s.cleanup();
  await source?.stop();
});

const stderrOf = (lines: { stream: string; text: string }[]) =>
  lines
    .filter((l) => l.stream === 'stderr')
    .map((l) => l.text)
    .join('\n');

describe('bridge process', () => {
  it('a site without bridge: exits 2 with one line naming the key', async () => {
    const site = await makeTestSite();
    sites.push(site);
    const p = startProcess('bridge', 'bridge/main.ts', ['--config', site.configPath], { compiled: true });
    expect((await p.exited).code).toBe(2);
    expect(stderrOf(p.lines)).toBe('config error: bridge: missing, expected bridge.source.url (the broker zigbee2mqtt / ESPHome publish to)');
  });

  it('a bad binding: exits 2 naming the key', async () => {
    const site = await makeTestSite((raw) => bridgeDesks(raw));
    sites.push(site);
    const yaml = readFileSync(site.configPath, 'utf8');
    expect(yaml).toContain('node: desk-node-3');
    writeFileSync(site.configPath, yaml.replace('node: desk-node-3', 'node: bad/+'));
    const p = startProcess('bridge', 'bridge/main.ts', ['--config', site.configPath], { compiled: true });
    expect((await p.exited).code).toBe(2);
    expect(stderrOf(p.lines)).toMatch(/^config error: desks\[2\]\.sensor\.node: /);
  });

  it('starts, and stops on SIGTERM with exit 0', async () => {
    source = await startSourceBroker();
    const src = source;
    const site = await makeTestSite((raw) => {
      bridgeDesks(raw, src.url);
      raw.bridge.source.username = src.username;
    });
    sites.push(site);
    appendFileSync(site.secretsPath, `bridgeSource:\n  password: ${src.password}\n`);
    const p = startProcess('bridge', 'bridge/main.ts', ['--config', site.configPath], { compiled: true });
    await p.waitForLog((l) => l.json?.msg === 'bridge ready', 15_000);
    await p.waitForLog((l) => l.json?.msg === 'connected' && l.json.broker === 'source', 15_000);
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
    expect(p.lines.some((l) => l.json?.msg === 'bridge stopped')).toBe(true);
  });
});
