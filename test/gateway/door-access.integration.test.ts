// The tap and exit paths of a door: a card in lockdown is refused with reason `lockdown`; the
// exit button opens in every mode and leaves a granted `exit-button` event naming nobody.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topics } from '../../contracts/topics.ts';
import { AccessList } from '../../gateway/access/access-list.ts';
import { DoorAccess } from '../../gateway/door/door-access.ts';
import { DoorController } from '../../gateway/door/door-controller.ts';
import { DoorEventWriter } from '../../gateway/door/door-events.ts';
import { SimCardReader } from '../../gateway/drivers/sim/sim-card-reader.ts';
import { SimExitButton } from '../../gateway/drivers/sim/sim-exit-button.ts';
import { SimLock } from '../../gateway/drivers/sim/sim-lock.ts';
import { GatewayDb } from '../../gateway/outbox/gateway-db.ts';
import { Outbox } from '../../gateway/outbox/outbox.ts';
import { demoEntries, signedList } from './helpers/acl.ts';
import { captureLog } from './helpers/log.ts';

const SITE_KEY = 'site-key-for-tests-0123456789';
const KEY = 'gateway-key-for-tests-0123456789';

describe('door access', () => {
  let dir: string;
  let db: GatewayDb;
  let outbox: Outbox;
  let lock: SimLock;
  let reader: SimCardReader;
  let button: SimExitButton;
  let door: DoorController;
  let access: DoorAccess;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ss-door-'));
    db = new GatewayDb(join(dir, 'gateway.db'));
    db.start();
    outbox = new Outbox(() => db.handle);
    outbox.start();
    lock = new SimLock('front-lock');
    reader = new SimCardReader('front-reader');
    button = new SimExitButton('front-exit');
    for (const d of [lock, reader, button]) d.start();
    door = new DoorController({ id: 'front', unlockMs: 5000, lock });
    door.start();
    const acl = new AccessList({ gatewayId: 'gw-main', key: KEY, offlineOnly: () => false });
    acl.offer(signedList({ gateway: 'gw-main', key: KEY, version: 1, entries: demoEntries(SITE_KEY) }));
    const events = new DoorEventWriter({ gatewayId: 'gw-main', doorIds: ['front'], topics: topics('klitmoller'), outbox, isOffline: () => false });
    access = new DoorAccess({ door, reader, exitButton: button, acl, siteKey: SITE_KEY, events, log: captureLog().log });
    access.start();
  });
  afterEach(() => {
    access.stop();
    door.stop();
    outbox.stop();
    db.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const events = () => (db.handle.prepare('SELECT payload FROM outbox ORDER BY seq').all() as Array<{ payload: string }>).map((r) => JSON.parse(r.payload));

  it('the exit button unlocks and leaves a trace that names nobody', () => {
    button.press();
    expect(lock.state).toBe('unlocked');
    expect(events()).toEqual([expect.objectContaining({ type: 'access', door: 'front', decision: 'granted', reason: 'ok', via: 'exit-button' })]);
    expect(events()[0]).not.toHaveProperty('member');
    expect(events()[0]).not.toHaveProperty('fingerprint');
  });

  it('a keypad PIN is an access `via: pin`, a card `via: card`', () => {
    reader.tap('PIN:4711');
    reader.tap('DEADBEEF01');
    expect(events()).toEqual([
      expect.objectContaining({ decision: 'denied', reason: 'unknown-credential', via: 'pin' }),
      expect.objectContaining({ decision: 'denied', reason: 'unknown-credential', via: 'card' }),
    ]);
  });

  it('in lockdown a member card is refused with reason lockdown; the exit button still opens', () => {
    door.lockdown();
    reader.tap('0400D4E5F6');
    expect(lock.state).toBe('locked');
    expect(events()).toEqual([expect.objectContaining({ decision: 'denied', reason: 'lockdown', member: 'jonas', via: 'card' })]);
    reader.tap('DEADBEEF01');
    expect(events().at(-1)).toMatchObject({ decision: 'denied', reason: 'unknown-credential' });
    button.press();
    expect(lock.state).toBe('unlocked');
    expect(events().at(-1)).toMatchObject({ decision: 'granted', via: 'exit-button' });
  });

  it("in lockdown a host's own card opens (reason lockdown-host); the door stays in lockdown", () => {
    door.lockdown();
    reader.tap('0400A1B2C3'); // mette, a host: her entry has `host: true`
    expect(lock.state).toBe('unlocked');
    expect(events().at(-1)).toMatchObject({ decision: 'granted', reason: 'lockdown-host', member: 'mette', via: 'card' });
    expect(door.mode).toBe('lockdown');
    reader.tap('0400D4E5F6'); // jonas, a member
    expect(events().at(-1)).toMatchObject({ decision: 'denied', reason: 'lockdown', member: 'jonas' });
  });
});
