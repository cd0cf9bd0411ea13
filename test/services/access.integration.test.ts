import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { makeTestSite, DEMO_DIR } from '../helpers/site.ts';
import { verify, fingerprint } from '../../contracts/signing.ts';
import { AccessList } from '../../contracts/payloads.ts';
import { Value } from '@sinclair/typebox/value';
import { compileEntries } from '../../services/access/compile.ts';
import { startApp, waitFor, type Running } from './helpers.ts';

const demo = parse(readFileSync(join(DEMO_DIR, 'members.yaml'), 'utf8')) as { members: { id: string; cards: string[] }[] };

let r: Running | undefined;
afterEach(async () => {
  await r?.stop();
  r = undefined;
});

async function retainedAcl(run: Running, gw = 'gw-main'): Promise<AccessList> {
  const c = await run.gateway(gw);
  const got: AccessList[] = [];
  c.on('message', (_t, p) => got.push(JSON.parse(p.toString()) as AccessList));
  await c.subscribeAsync(run.t.acl(gw), { qos: 1 });
  return waitFor(() => got.at(-1));
}

describe('access lists', () => {
  it("publishes a retained list per gateway that verifies with that gateway's key", async () => {
    r = await startApp();
    const list = await retainedAcl(r);
    expect(Value.Check(AccessList, list)).toBe(true);
    expect(list).toMatchObject({ v: 1, gateway: 'gw-main', version: 1, timeZone: 'Europe/Copenhagen' });
    expect(verify(list, r.site.secrets.gateways['gw-main']!.key)).toBe(true);
    expect(verify(list, r.site.secrets.siteKey)).toBe(false);
    expect(verify({ ...list, version: 99 }, r.site.secrets.gateways['gw-main']!.key)).toBe(false);

    const key = r.site.secrets.siteKey;
    const byMember = new Map(list.entries.map((e) => [e.member, e]));
    for (const m of demo.members) expect(byMember.get(m.id)?.fp).toBe(fingerprint(key, m.cards[0]!));
    expect(byMember.get('sofie')).toMatchObject({ doors: ['front'], offline: false, windows: [{ days: [1, 2, 3, 4, 5], from: '07:00', to: '19:00' }] });
    expect(byMember.get('jonas')).toEqual({ fp: fingerprint(key, '0400D4E5F6'), member: 'jonas', doors: ['front', 'meeting'], offline: true });
  });

  it('raises the version on every recompile, and across restarts', async () => {
    const site = await makeTestSite();
    try {
      r = await startApp({ site });
      const [first] = await r.app.recompile();
      expect(first!.version).toBe(2);
      await waitFor(async () => (await retainedAcl(r!)).version === 2);
      await r.stop();
      r = await startApp({ site });
      expect((await retainedAcl(r)).version).toBe(3);
      expect(r.app.accessLists.latest('gw-main')!.version).toBe(3);
    } finally {
      await r?.stop();
      r = undefined;
      site.cleanup();
    }
  });

  it('gives each gateway only its own doors, leaves out revoked cards, and lists a suspended member as refused', async () => {
    r = await startApp({
      edit: (raw) => {
        raw.gateways.push({ id: 'gw-annex', name: 'Annex', dataDir: 'gw-annex', offlineAfterH: 36 });
        raw.doors[1].gateway = 'gw-annex'; // meeting room moves to the annex gateway
      },
    });
    const main = await retainedAcl(r, 'gw-main');
    const annex = await retainedAcl(r, 'gw-annex');
    expect(verify(annex, r.site.secrets.gateways['gw-annex']!.key)).toBe(true);
    expect(new Set(main.entries.flatMap((e) => e.doors))).toEqual(new Set(['front']));
    expect(new Set(annex.entries.flatMap((e) => e.doors))).toEqual(new Set(['meeting']));
    expect(annex.entries.map((e) => e.member).sort()).toEqual(['ida', 'jonas', 'lars', 'mette']); // flex has no meeting room

    r.app.db.prepare("UPDATE members SET active = 0 WHERE id = 'lars'").run();
    r.app.db.prepare("UPDATE credentials SET revoked_at = 1 WHERE member = 'jonas'").run();
    const [next] = await r.app.recompile();
    expect(next!.version).toBe(main.version + 1);
    expect(
      next!.entries
        .filter((e) => !e.refused)
        .map((e) => e.member)
        .sort(),
    ).toEqual(['ida', 'mette', 'sofie']);
    // Lars is suspended: his card opens nothing, and the door can still say whose it is.
    expect(next!.entries.filter((e) => e.refused)).toEqual([
      { doors: [], fp: fingerprint(r.site.secrets.siteKey, '0400445566'), member: 'lars', offline: false, refused: 'suspended' },
    ]);
  });

  it("marks a host's and an operator's own cards to open in a lockdown; a member's card or a host's pass not", async () => {
    r = await startApp();
    const key = r.site.secrets.siteKey;
    // A day pass (PIN) in Mette's name: it is a guest's, not hers to get in with.
    r.app.store.credentials.insert(
      { member: 'mette', kind: 'pin', fingerprint: fingerprint(key, 'PIN:424242'), label: 'day pass', plan: 'flex', validFrom: null, validTo: null },
      Date.now(),
    );
    const [list] = await r.app.recompile();
    const host = (fp: string) => list!.entries.find((e) => e.fp === fp)?.host;
    expect(host(fingerprint(key, '0400A1B2C3'))).toBe(true); // mette, host
    expect(host(fingerprint(key, '0400778899'))).toBe(true); // ida, operator
    expect(host(fingerprint(key, '0400D4E5F6'))).toBeUndefined(); // jonas, member
    expect(host(fingerprint(key, 'PIN:424242'))).toBeUndefined();
    expect(Value.Check(AccessList, list)).toBe(true);
    expect(verify(list!, r.site.secrets.gateways['gw-main']!.key)).toBe(true);
  });

  it('compiles deterministically', () => {
    const plans = new Map([['p', { id: 'p', name: 'P', doors: ['b', 'a', 'x'], windows: [], offline: true, validFrom: null, validTo: null }]]);
    const open = { active: true, validFrom: null, validTo: null, host: false };
    const grants = [
      { member: 'm2', fingerprint: 'f'.repeat(64), plan: 'p', ...open },
      { member: 'm1', fingerprint: 'a'.repeat(64), plan: 'p', ...open },
      { member: 'm3', fingerprint: 'b'.repeat(64), plan: 'gone', ...open },
    ];
    const { entries, nextChangeAt } = compileEntries(grants, plans, new Set(['a', 'b']), { now: Date.now(), timeZone: 'Europe/Copenhagen', closures: [] });
    expect(entries).toEqual([
      { fp: 'a'.repeat(64), member: 'm1', doors: ['a', 'b'], offline: true },
      { fp: 'f'.repeat(64), member: 'm2', doors: ['a', 'b'], offline: true },
    ]);
    expect(nextChangeAt).toBeNull();
  });
});
