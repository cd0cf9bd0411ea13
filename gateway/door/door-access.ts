// The card-tap path of one door (ARCHITECTURE.md, flow 1): reader → fingerprint → decision →
// lock driven → event to the outbox. Nothing before `door.grant()` waits for disk or network.
// In lockdown a card that would open is refused with reason `lockdown` (others keep theirs).
// Also the exit button: a request to exit always opens (egress is never refused) and writes no
// access event: nobody is identified. The door state (unlocked, relocked) still goes out.
import type { Logger } from 'pino';
import { fingerprint } from '../../contracts/signing.ts';
import type { CardRead, CardReader, ExitButton } from '../drivers/types.ts';
import type { AccessList, Decision } from '../access/access-list.ts';
import type { DoorController } from './door-controller.ts';
import type { DoorEventWriter } from './door-events.ts';

export interface DoorAccessOptions {
  door: DoorController;
  reader: CardReader;
  exitButton?: ExitButton;
  acl: AccessList;
  siteKey: string;
  events: DoorEventWriter;
  log: Logger;
  now?: () => number;
}

export class DoorAccess {
  readonly #o: DoorAccessOptions;
  readonly #now: () => number;
  #started = false;

  constructor(opts: DoorAccessOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#o.reader.on('card', this.#onCard);
    this.#o.exitButton?.on('press', this.#onExit);
  }

  stop(): void {
    if (!this.#started) return;
    this.#started = false;
    this.#o.reader.off('card', this.#onCard);
    this.#o.exitButton?.off('press', this.#onExit);
  }

  #onCard = (read: CardRead): void => {
    const { door, acl, siteKey, events, log } = this.#o;
    const fp = fingerprint(siteKey, read.uid);
    let d = acl.decide(door.id, fp, this.#now());
    if (d.decision === 'granted' && !door.grant()) d = lockedDown(d);
    // The lock is already driven; now what the reader shows, then the bookkeeping.
    this.#o.reader.feedback?.(d.decision);
    try {
      events.access(door.id, d, 'card', { fingerprint: fp });
    } catch (err) {
      log.error({ err, door: door.id }, 'access event not stored');
    }
    log.info({ door: door.id, decision: d.decision, reason: d.reason, member: d.member, via: 'card' }, 'access decision');
  };

  #onExit = (): void => {
    const { door, log } = this.#o;
    door.exitRequest();
    log.info({ door: door.id, mode: door.mode }, 'exit request');
  };
}

function lockedDown(d: Decision): Decision {
  return d.member === undefined ? { decision: 'denied', reason: 'lockdown' } : { decision: 'denied', reason: 'lockdown', member: d.member };
}
