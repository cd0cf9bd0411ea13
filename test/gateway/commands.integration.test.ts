import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sign } from '../../contracts/signing.ts';
import { topics } from '../../contracts/topics.ts';
import type { DoorCommand } from '../../contracts/payloads.ts';
import { CommandHandler } from '../../gateway/commands/command-handler.ts';
import { ReplayGuard } from '../../gateway/commands/replay-guard.ts';
import { DoorController } from '../../gateway/door/door-controller.ts';
import { DoorEventWriter } from '../../gateway/door/door-events.ts';
import { GatewayDb } from '../../gateway/outbox/gateway-db.ts';
import { Outbox } from '../../gateway/outbox/outbox.ts';
import { SimLock } from '../../gateway/drivers/sim/sim-lock.ts';
import { captureLog } from './helpers/log.ts';

const KEY = 'gateway-key-for-tests-0123456789';

function command(over: Partial<DoorCommand> = {}, key = KEY): DoorCommand {
  const now = Date.now();
  return sign({ v: 1 as const, ts: now, id: randomUUID(), door: 'front', action: 'unlock' as const, exp: now + 15_000, member: 'jonas', ...over }, key);
}

describe('commands', () => {
  let dir: string;
  let db: GatewayDb;
  let outbox: Outbox;
  let lock: SimLock;
  let door: DoorController;
  let handler: CommandHandler;
  let logged: ReturnType<typeof captureLog>;

  const boot = () => {
    db = new GatewayDb(join(dir, 'gateway.db'));
    db.start();
    outbox = new Outbox(() => db.handle);
    outbox.start();
    lock = new SimLock('front-lock');
    door = new DoorController({ id: 'front', unlockMs: 5000, lock });
    door.start();
    logged = captureLog();
    const events = new DoorEventWriter({ gatewayId: 'gw-main', doorIds: ['front'], topics: topics('klitmoller'), outbox, isOffline: () => false });
    handler = new CommandHandler({ key: KEY, doors: new Map([['front', door]]), replay: new ReplayGuard(() => db.handle), events, log: logged.log });
    handler.start();
  };
  const shutdown = () => {
    handler.stop();
    door.stop();
    outbox.stop();
    db.stop();
  };
  /** Events written to the outbox, oldest first. */
  const events = () =>
    (db.handle.prepare('SELECT topic, payload FROM outbox ORDER BY seq').all() as Array<{ topic: string; payload: string }>).map((r) => ({
      topic: r.topic,
      ...JSON.parse(r.payload),
    }));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ss-cmd-'));
    boot();
  });
  afterEach(() => {
    shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a valid unlock opens the door and records a remote access event', () => {
    const cmd = command();
    expect(handler.handle(cmd)).toEqual({ ok: true });
    expect(lock.state).toBe('unlocked');
    expect(events()).toEqual([
      expect.objectContaining({
        topic: 'smartspace/klitmoller/door/front/event',
        type: 'access',
        door: 'front',
        gateway: 'gw-main',
        decision: 'granted',
        reason: 'ok',
        via: 'remote',
        commandId: cmd.id,
        member: 'jonas',
        offline: false,
      }),
    ]);
  });

  it('lock relocks at once', () => {
    handler.handle(command());
    expect(handler.handle(command({ action: 'lock' }))).toEqual({ ok: true });
    expect(lock.state).toBe('locked');
  });

  const refused = (reason: string, cmd: DoorCommand) => {
    const ops = lock.operations;
    expect(handler.handle(cmd)).toEqual({ ok: false, reason });
    expect(lock.operations).toBe(ops);
    expect(events().at(-1)).toMatchObject({ type: 'door', kind: 'command-refused', detail: reason, commandId: cmd.id, door: 'front' });
    const line = logged.lines.find((l) => l.msg === 'command refused' && l.commandId === cmd.id);
    expect(line).toMatchObject({ reason, door: 'front' });
    expect(logged.text()).not.toContain(cmd.sig);
  };

  it('refuses a bad signature', () => {
    refused('bad-signature', command({}, 'not-the-gateway-key-0123456789'));
    refused('bad-signature', { ...command(), action: 'hold' });
  });

  it('refuses an expired command and one valid for implausibly long', () => {
    refused('expired', command({ exp: Date.now() - 1 }));
    refused('expiry-too-far', command({ exp: Date.now() + 10 * 60_000 }));
  });

  it('refuses a replay', () => {
    const cmd = command();
    expect(handler.handle(cmd).ok).toBe(true);
    refused('replay', cmd);
  });

  it('refuses a replay after a restart', () => {
    const cmd = command();
    expect(handler.handle(cmd).ok).toBe(true);
    shutdown();
    boot();
    refused('replay', cmd);
  });

  it('refuses a door of another gateway (logged; no event on a topic that is not ours)', () => {
    const cmd = command({ door: 'back' });
    expect(handler.handle(cmd)).toEqual({ ok: false, reason: 'unknown-door' });
    expect(lock.operations).toBe(0);
    expect(events()).toEqual([]);
    expect(logged.lines.find((l) => l.msg === 'command refused')).toMatchObject({ reason: 'unknown-door', door: 'back' });
  });

  it('lockdown relocks and refuses remote unlocks and holds until release', () => {
    handler.handle(command());
    expect(handler.handle(command({ action: 'lockdown' }))).toEqual({ ok: true });
    expect(door.state()).toMatchObject({ mode: 'lockdown', lock: 'locked' });
    refused('lockdown', command());
    refused('lockdown', command({ action: 'hold' }));
    expect(handler.handle(command({ action: 'release' }))).toEqual({ ok: true });
    expect(handler.handle(command())).toEqual({ ok: true });
    expect(lock.state).toBe('unlocked');
  });

  it('forgets expired ids', () => {
    const cmd = command({ exp: Date.now() + 50 });
    handler.handle(cmd);
    const guard = new ReplayGuard(() => db.handle);
    guard.start(Date.now() + 100);
    expect(guard.firstSighting(cmd.id, cmd.exp)).toBe(true);
  });
});
