// The demo script against a real gateway (sim control over HTTP), sped up. No broker: the
// gateway decides from the access list it stored on disk, as it would offline.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGateway, type Gateway } from '../../gateway/gateway.ts';
import { DemoDay } from '../../gateway/sim/demo-script.ts';
import { SimClient } from '../../gateway/sim/sim-client.ts';
import { loadDemoCast } from '../../gateway/sim/demo-members.ts';
import { DEMO_DIR, makeTestSite, type TestSite } from '../helpers/site.ts';
import { demoEntries, signedList } from './helpers/acl.ts';
import { waitFor } from './helpers/broker.ts';

describe('demo day', () => {
  let site: TestSite;
  let gw: Gateway;
  afterEach(async () => {
    await gw.stop();
    site.cleanup();
  });

  it('plays members through the doors and onto desks, naming members and never a card', async () => {
    site = await makeTestSite();
    const gwConf = site.config.gateways[0]!;
    mkdirSync(gwConf.dataDir, { recursive: true });
    const list = signedList({ gateway: 'gw-main', key: site.secrets.gateways['gw-main']!.key, version: 1, entries: demoEntries(site.secrets.siteKey) });
    writeFileSync(join(gwConf.dataDir, 'acl.json'), JSON.stringify(list));
    gw = buildGateway(site.config, site.secrets, 'gw-main', { simControl: { host: '127.0.0.1', port: 0 } });
    await gw.start();
    expect(gw.access.list.version).toBe(1);

    const lines: string[] = [];
    const ac = new AbortController();
    const cast = loadDemoCast(join(DEMO_DIR, 'members.yaml'));
    const day = new DemoDay({
      sim: new SimClient(`http://${gw.simControlAddress()}`),
      doors: site.config.doors.map((d) => ({ id: d.id, reader: d.reader.id, lock: d.lock.id, contact: d.contact?.id, exitButton: d.exitButton?.id })),
      desks: site.config.desks.map((d) => ({ id: d.id, sensor: d.sensor.id })),
      cast,
      log: (l) => lines.push(l),
      signal: ac.signal,
      speed: 100,
      random: seeded(7),
    });
    const running = day.runForever().catch((err: unknown) => {
      if (!ac.signal.aborted) throw err;
    });
    await waitFor(() => lines.some((l) => l.includes('sits at')) && lines.filter((l) => l.includes('taps at front: granted')).length >= 3, 10_000, 'arrivals');
    ac.abort();
    await running;

    expect(gw.sim.locks.get('front-lock')!.operations).toBeGreaterThan(3);
    expect([...gw.desks.values()].some((d) => d.current()?.occupied)).toBe(true);
    const text = lines.join('\n');
    for (const m of cast.members) for (const uid of m.cards) expect(text).not.toContain(uid);
    for (const uid of cast.unknownCards) expect(text).not.toContain(uid);
    expect(lines.every((l) => /^\[\d\d:\d\d\] .{1,80}$/.test(l))).toBe(true);
  });
});

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
