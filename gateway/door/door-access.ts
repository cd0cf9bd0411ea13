// The card-tap path of one door (ARCHITECTURE.md, flow 1): reader → fingerprint → decision →
// lock driven → event to the outbox. Nothing before `door.grant()` waits for disk or network.
// In lockdown a card that would open is refused with reason `lockdown` (others keep theirs),
// except a host's own card (AclEntry.host): it opens, with reason `lockdown-host`, so that a host
// can get in to handle the situation, offline too (the flag is in the signed list).
// Also the exit button: a request to exit always opens (egress is never refused) and leaves a
// granted access event `via: exit-button` with nobody named (a trace for the host; never a visit).
// A keypad PIN is read as the uid `PIN:<digits>`: its event says `via: pin`.
import type { Logger } from 'pino';
import { fingerprint, networkFingerprint } from '../../contracts/signing.ts';
import { PIN_UID_PREFIX, cardTail } from '../../contracts/readers.ts';
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
  /**
   * Set on a site in a network of spaces: a credential unknown by its site fingerprint is looked
   * up again by its network fingerprint (a visiting network member of another site).
   */
  networkKey?: string;
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
    let fp = fingerprint(siteKey, read.uid);
    const now = this.#now();
    let d = acl.decide(door.id, fp, now);
    const netKey = this.#o.networkKey;
    let netFp: string | undefined;
    if (netKey !== undefined && d.reason === 'unknown-credential') {
      netFp = networkFingerprint(netKey, read.uid);
      const v = acl.decide(door.id, netFp, now);
      if (v.reason !== 'unknown-credential') [d, fp, netFp] = [v, netFp, undefined];
    }
    if (d.decision === 'granted') {
      if (d.host && door.mode === 'lockdown') {
        door.grant({ host: true });
        d = { decision: 'granted', reason: 'lockdown-host', member: d.member! };
      } else if (!door.grant()) d = lockedDown(d);
    }
    // The lock is already driven; now what the reader shows, then the bookkeeping.
    this.#o.reader.feedback?.(d.decision);
    const via = read.uid.startsWith(PIN_UID_PREFIX) ? 'pin' : 'card';
    // A card nobody has may be about to be enrolled: its number's tail tells the host which card
    // it is. Made here, so the full number never leaves the gateway.
    const tail = via === 'card' && d.reason === 'unknown-credential' ? cardTail(read.uid) : undefined;
    try {
      events.access(door.id, d, via, {
        fingerprint: fp,
        ...(tail !== undefined && { cardTail: tail }),
        // A card nobody has may be enrolled here: then it needs its network fingerprint too.
        ...(via === 'card' && netFp !== undefined && { netFingerprint: netFp }),
      });
    } catch (err) {
      log.error({ err, door: door.id }, 'access event not stored');
    }
    log.info({ door: door.id, decision: d.decision, reason: d.reason, member: d.member, via }, 'access decision');
  };

  #onExit = (): void => {
    const { door, events, log } = this.#o;
    door.exitRequest();
    try {
      events.access(door.id, EXIT, 'exit-button');
    } catch (err) {
      log.error({ err, door: door.id }, 'exit event not stored');
    }
    log.info({ door: door.id, mode: door.mode }, 'exit request');
  };
}

const EXIT: Decision = Object.freeze({ decision: 'granted', reason: 'ok' });

function lockedDown(d: Decision): Decision {
  return d.member === undefined ? { decision: 'denied', reason: 'lockdown' } : { decision: 'denied', reason: 'lockdown', member: d.member };
}
