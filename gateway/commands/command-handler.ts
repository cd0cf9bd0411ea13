// Remote commands (ARCHITECTURE.md, flow 2). A command is obeyed only when it is signed with
// this gateway's key, not expired (nor implausibly far ahead), for one of this gateway's doors,
// and never seen before. Everything else is refused, logged and reported as an event.
import type { Logger } from 'pino';
import type { DoorCommand } from '../../contracts/payloads.ts';
import { verify } from '../../contracts/signing.ts';
import type { DoorController } from '../door/door-controller.ts';
import type { DoorEventWriter } from '../door/door-events.ts';
import type { ReplayGuard } from './replay-guard.ts';
import type { Decision } from '../access/access-list.ts';

export type RefusalReason = 'bad-signature' | 'unknown-door' | 'expired' | 'expiry-too-far' | 'replay' | 'lockdown';
export type CommandResult = { ok: true } | { ok: false; reason: RefusalReason };

/** Services give commands a TTL of seconds; anything valid for longer is not theirs. */
export const MAX_AHEAD_MS = 5 * 60_000;
const REMOTE_OK: Decision = Object.freeze({ decision: 'granted', reason: 'ok' });

export interface CommandHandlerOptions {
  key: string;
  doors: ReadonlyMap<string, DoorController>;
  replay: ReplayGuard;
  events: DoorEventWriter;
  log: Logger;
  now?: () => number;
  pruneEveryMs?: number;
}

export class CommandHandler {
  readonly #o: CommandHandlerOptions;
  readonly #now: () => number;
  #pruneTimer: NodeJS.Timeout | undefined;

  constructor(opts: CommandHandlerOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
  }

  start(): void {
    if (this.#pruneTimer) return;
    this.#o.replay.start(this.#now());
    this.#pruneTimer = setInterval(() => this.#o.replay.prune(this.#now()), this.#o.pruneEveryMs ?? 60_000);
  }

  stop(): void {
    if (!this.#pruneTimer) return;
    clearInterval(this.#pruneTimer);
    this.#pruneTimer = undefined;
    this.#o.replay.stop();
  }

  handle(cmd: DoorCommand): CommandResult {
    const now = this.#now();
    const reason = this.#check(cmd, now);
    const door = this.#o.doors.get(cmd.door);
    if (reason || !door) return this.#refuse(cmd, reason ?? 'unknown-door');
    const { events, log } = this.#o;
    switch (cmd.action) {
      case 'unlock':
        // In lockdown nothing opens the door from outside until `release`.
        if (!door.grant()) return this.#refuse(cmd, 'lockdown');
        events.access(door.id, { ...REMOTE_OK, ...(cmd.member !== undefined && { member: cmd.member }) }, 'remote', { commandId: cmd.id });
        break;
      case 'lock':
        door.lockNow();
        break;
      case 'hold':
        if (!door.hold()) return this.#refuse(cmd, 'lockdown');
        break;
      case 'lockdown':
        door.lockdown();
        break;
      case 'release':
        door.release();
        break;
    }
    log.info({ door: cmd.door, action: cmd.action, commandId: cmd.id, member: cmd.member }, 'command accepted');
    return { ok: true };
  }

  #check(cmd: DoorCommand, now: number): RefusalReason | undefined {
    // Signature first: nothing unauthenticated reaches the replay table.
    if (!verify(cmd, this.#o.key)) return 'bad-signature';
    if (!this.#o.doors.has(cmd.door)) return 'unknown-door';
    if (cmd.exp <= now) return 'expired';
    if (cmd.exp > now + MAX_AHEAD_MS) return 'expiry-too-far';
    if (!this.#o.replay.firstSighting(cmd.id, cmd.exp)) return 'replay';
    return undefined;
  }

  #refuse(cmd: DoorCommand, reason: RefusalReason): CommandResult {
    const { events, log } = this.#o;
    log.warn({ door: cmd.door, action: cmd.action, commandId: cmd.id, reason }, 'command refused');
    // A door of another gateway has no topic of ours to report on: the log is the record.
    if (events.owns(cmd.door)) {
      try {
        events.activity(cmd.door, 'command-refused', { detail: reason, commandId: cmd.id });
      } catch (err) {
        log.error({ err, door: cmd.door }, 'door event not stored');
      }
    }
    return { ok: false, reason };
  }
}
