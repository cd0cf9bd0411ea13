import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessList } from '../../gateway/access/access-list.ts';
import { AccessControl } from '../../gateway/access/access-control.ts';
import { AclFile } from '../../gateway/access/acl-file.ts';
import { fingerprint } from '../../contracts/signing.ts';
import { demoEntries, signedList } from './helpers/acl.ts';
import { captureLog } from './helpers/log.ts';

const SITE_KEY = 'site-key-for-tests-0123456789';
const KEY = 'gateway-key-for-tests-0123456789';
const HOUR = 3_600_000;
const fp = (uid: string) => fingerprint(SITE_KEY, uid);
// Wednesday 10 January 2024, 10:00 in Copenhagen (09:00 UTC); Saturday 13 January, 10:00.
const WED_10 = Date.UTC(2024, 0, 10, 9, 0);
const SAT_10 = Date.UTC(2024, 0, 13, 9, 0);
const WED_20 = Date.UTC(2024, 0, 10, 19, 0);

const list = (version: number, ts = WED_10 - HOUR) => signedList({ gateway: 'gw-main', key: KEY, version, entries: demoEntries(SITE_KEY), ts });
const acl = (offlineOnly = false) => new AccessList({ gatewayId: 'gw-main', key: KEY, offlineOnly: () => offlineOnly });

describe('access list', () => {
  it('denies everything with no list', () => {
    expect(acl().decide('front', fp('0400A1B2C3'), WED_10)).toMatchObject({ decision: 'denied', reason: 'no-access-list' });
  });

  it('accepts a signed list and decides by fingerprint', () => {
    const a = acl();
    expect(a.offer(list(1))).toEqual({ outcome: 'accepted', version: 1 });
    expect(a.version).toBe(1);
    expect(a.decide('front', fp('0400A1B2C3'), WED_10)).toEqual({ decision: 'granted', reason: 'ok', member: 'mette', host: true });
    expect(a.decide('front', fp('0400D4E5F6'), WED_10)).toEqual({ decision: 'granted', reason: 'ok', member: 'jonas' });
    // Fingerprints normalise the uid (case, spaces).
    expect(a.decide('front', fp(' 0400a1b2c3 '), WED_10)).toMatchObject({ decision: 'granted', member: 'mette' });
    expect(a.decide('front', fp('DEADBEEF01'), WED_10)).toMatchObject({ decision: 'denied', reason: 'unknown-credential' });
    expect(a.decide('meeting', fp('0400112233'), WED_10)).toMatchObject({ decision: 'denied', reason: 'door-not-in-plan', member: 'sofie' });
  });

  it('refuses a bad signature, another gateway and an older or equal version', () => {
    const a = acl();
    const forged = { ...list(5), version: 6 };
    expect(a.offer(forged)).toMatchObject({ outcome: 'refused', reason: 'bad-signature' });
    expect(a.offer(signedList({ gateway: 'gw-main', key: 'another-key-0123456789abcdef', version: 1, entries: [] }))).toMatchObject({
      reason: 'bad-signature',
    });
    expect(a.offer(signedList({ gateway: 'gw-other', key: KEY, version: 1, entries: [] }))).toMatchObject({ reason: 'wrong-gateway' });
    expect(a.offer(list(3)).outcome).toBe('accepted');
    expect(a.offer(list(2))).toMatchObject({ outcome: 'refused', reason: 'old-version' });
    expect(a.offer(list(3))).toMatchObject({ outcome: 'refused', reason: 'old-version' });
    expect(a.version).toBe(3);
  });

  it('a same-version list with a newer ts refreshes it', () => {
    const a = acl();
    a.offer(list(3, WED_10 - 40 * HOUR));
    expect(a.offer(list(3, WED_10 - HOUR))).toEqual({ outcome: 'refreshed', version: 3 });
    expect(a.list?.ts).toBe(WED_10 - HOUR);
  });

  it('applies schedule windows in the site time zone', () => {
    const a = acl();
    a.offer(list(1, SAT_10 - HOUR));
    expect(a.decide('front', fp('0400112233'), WED_10)).toMatchObject({ decision: 'granted', member: 'sofie' });
    expect(a.decide('front', fp('0400112233'), SAT_10)).toMatchObject({ decision: 'denied', reason: 'outside-schedule' });
    expect(a.decide('front', fp('0400112233'), WED_20)).toMatchObject({ decision: 'denied', reason: 'outside-schedule' });
    // Residents have no windows: any time.
    expect(a.decide('front', fp('0400D4E5F6'), SAT_10)).toMatchObject({ decision: 'granted', member: 'jonas' });
  });

  it('offline too long: only offline-capable credentials open', () => {
    const a = acl(true);
    a.offer(list(1, WED_10 - 37 * HOUR));
    expect(a.decide('front', fp('0400112233'), WED_10)).toMatchObject({ decision: 'denied', reason: 'offline-not-allowed', member: 'sofie' });
    expect(a.decide('front', fp('0400D4E5F6'), WED_10)).toMatchObject({ decision: 'granted', member: 'jonas' });
  });

  it('an entry past its `until` does not open, and says expired', () => {
    const a = acl();
    const entries = demoEntries(SITE_KEY).map((e) => (e.member === 'jonas' ? { ...e, until: WED_10 } : e));
    a.offer(signedList({ gateway: 'gw-main', key: KEY, version: 1, entries, ts: WED_10 - HOUR }));
    expect(a.decide('front', fp('0400D4E5F6'), WED_10 - 1)).toMatchObject({ decision: 'granted', member: 'jonas' });
    expect(a.decide('front', fp('0400D4E5F6'), WED_10)).toMatchObject({ decision: 'denied', reason: 'expired', member: 'jonas' });
  });

  it('a refused entry (suspended member, ended pass) opens nothing and names the member and reason', () => {
    const a = acl(true);
    const entries = demoEntries(SITE_KEY).map((e) =>
      e.member === 'jonas' ? { doors: [], fp: e.fp, member: 'jonas', offline: false, refused: 'suspended' as const } : e,
    );
    entries.push({ doors: [], fp: fp('PIN:4711'), member: 'sofie', offline: false, refused: 'expired' });
    a.offer(signedList({ gateway: 'gw-main', key: KEY, version: 1, entries, ts: WED_10 - HOUR }));
    expect(a.decide('front', fp('0400D4E5F6'), WED_10)).toEqual({ decision: 'denied', reason: 'suspended', member: 'jonas' });
    expect(a.decide('front', fp('PIN:4711'), WED_10)).toEqual({ decision: 'denied', reason: 'expired', member: 'sofie' });
    expect(a.decide('front', fp('DEADBEEF01'), WED_10)).toEqual({ decision: 'denied', reason: 'unknown-credential' });
  });

  it('a fingerprint with a plan entry and booking entries: any grants, each in its own window (issue 16)', () => {
    const a = acl();
    const sofie = fp('0400112233');
    // Sofie's plan (flex) opens the front door on weekdays 07–19; a booking opens the meeting room 10–11 on Wednesday.
    const booking = { doors: ['meeting'], fp: sofie, from: WED_10, member: 'sofie', offline: true, until: WED_10 + HOUR };
    const later = { ...booking, from: WED_10 + 3 * HOUR, until: WED_10 + 4 * HOUR };
    a.offer(signedList({ gateway: 'gw-main', key: KEY, version: 1, entries: [...demoEntries(SITE_KEY), booking, later], ts: WED_10 - HOUR }));
    expect(a.decide('meeting', sofie, WED_10 - 1)).toEqual({ decision: 'denied', reason: 'outside-schedule', member: 'sofie' });
    expect(a.decide('meeting', sofie, WED_10)).toEqual({ decision: 'granted', reason: 'ok', member: 'sofie' });
    expect(a.decide('meeting', sofie, WED_10 + HOUR - 1)).toMatchObject({ decision: 'granted' });
    expect(a.decide('meeting', sofie, WED_10 + HOUR)).toMatchObject({ decision: 'denied', member: 'sofie' });
    expect(a.decide('meeting', sofie, WED_10 + 3.5 * HOUR)).toMatchObject({ decision: 'granted' });
    // The plan entry still opens the front door, and the booking opens nothing else.
    expect(a.decide('front', sofie, WED_10 + 2 * HOUR)).toMatchObject({ decision: 'granted' });
    expect(a.decide('front', sofie, SAT_10)).toMatchObject({ decision: 'denied', reason: 'outside-schedule' });
    // A suspended member's refused entry outweighs a booking.
    const suspended = { doors: [], fp: sofie, member: 'sofie', offline: false, refused: 'suspended' as const };
    const others = demoEntries(SITE_KEY).filter((e) => e.member !== 'sofie');
    a.offer(signedList({ gateway: 'gw-main', key: KEY, version: 2, entries: [...others, booking, suspended], ts: WED_10 - HOUR }));
    expect(a.decide('meeting', sofie, WED_10 + 1)).toEqual({ decision: 'denied', reason: 'suspended', member: 'sofie' });
  });
});

describe('access control (persisted list)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ss-acl-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  let stored: number | undefined;
  const contactStore = { read: () => stored, write: (at: number) => void (stored = at) };
  const control = (log = captureLog().log) => new AccessControl({ gatewayId: 'gw-main', key: KEY, offlineAfterMs: 36 * HOUR, dataDir: dir, contactStore, log });

  it('persists an accepted list atomically and a new instance loads it', async () => {
    const a = control();
    a.start();
    expect(a.offer(list(4, Date.now())).outcome).toBe('accepted');
    await a.stop();
    expect(JSON.parse(readFileSync(join(dir, 'acl.json'), 'utf8')).version).toBe(4);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const { log, lines } = captureLog();
    const b = control(log);
    b.start();
    expect(b.list.version).toBe(4);
    expect(b.list.decide('front', fp('0400445566'), Date.now())).toMatchObject({ decision: 'granted', member: 'lars' });
    expect(lines.some((l) => l.msg === 'stored access list loaded' && l.version === 4)).toBe(true);
  });

  it('ignores a tampered file (and says so)', async () => {
    const a = control();
    a.start();
    a.offer(list(4, Date.now()));
    await a.stop();
    const stored = JSON.parse(readFileSync(join(dir, 'acl.json'), 'utf8'));
    stored.entries[2].doors = ['front', 'meeting']; // sofie gives herself the meeting room
    writeFileSync(join(dir, 'acl.json'), JSON.stringify(stored));

    const { log, lines } = captureLog();
    const b = control(log);
    b.start();
    expect(b.list.version).toBe(0);
    expect(b.list.decide('meeting', fp('0400112233'), Date.now())).toMatchObject({ decision: 'denied', reason: 'no-access-list' });
    expect(lines.find((l) => l.msg === 'stored access list ignored')).toMatchObject({ reason: 'bad-signature', level: 40 });
  });

  it('ignores a file that is not JSON or not a list', () => {
    writeFileSync(join(dir, 'acl.json'), '{"v":1,');
    const { log, lines } = captureLog();
    control(log).start();
    expect(lines.find((l) => l.msg === 'stored access list ignored')).toMatchObject({ reason: 'not-json' });
    writeFileSync(join(dir, 'acl.json'), '{"v":1}');
    const c = captureLog();
    control(c.log).start();
    expect(c.lines.find((l) => l.msg === 'stored access list ignored')).toMatchObject({ reason: 'schema' });
  });

  it('a lower version from MQTT is not persisted', async () => {
    const a = control();
    a.start();
    a.offer(list(5, Date.now()));
    await a.file.flush();
    expect(a.offer(list(4, Date.now())).outcome).toBe('refused');
    await a.stop();
    expect(JSON.parse(readFileSync(join(dir, 'acl.json'), 'utf8')).version).toBe(5);
    expect(existsSync(join(dir, 'acl.json'))).toBe(true);
  });

  it('a write that fails rejects with the disk error; the next one succeeds', async () => {
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, ''); // a file where the data directory should be
    const file = new AclFile(blocked);
    await expect(file.write(list(4))).rejects.toMatchObject({ code: 'EEXIST' });
    rmSync(blocked);
    await file.write(list(5));
    expect(JSON.parse(readFileSync(join(blocked, 'acl.json'), 'utf8')).version).toBe(5);
  });
});
