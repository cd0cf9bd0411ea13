// Keeps the access list current: the stored copy at boot (checked like any other), then
// every signed list from MQTT that is newer. Accepted lists are persisted atomically. Owns the
// contact clock that decides when only offline-capable credentials open doors.
import type { Logger } from 'pino';
import type { AccessList as AccessListPayload } from '../../contracts/payloads.ts';
import { AccessList, type OfferOutcome } from './access-list.ts';
import { AclFile } from './acl-file.ts';
import { ContactClock, type ContactStore } from './contact-clock.ts';

export interface AccessControlOptions {
  gatewayId: string;
  key: string;
  offlineAfterMs: number;
  dataDir: string;
  /** Where the last contact time is kept (the gateway db). */
  contactStore: ContactStore;
  log: Logger;
  now?: () => number;
}

export class AccessControl {
  readonly list: AccessList;
  readonly file: AclFile;
  readonly contact: ContactClock;
  readonly #log: Logger;

  constructor(opts: AccessControlOptions) {
    this.contact = new ContactClock({
      offlineAfterMs: opts.offlineAfterMs,
      store: opts.contactStore,
      fallback: () => this.list.list?.ts,
      now: opts.now,
    });
    this.list = new AccessList({ gatewayId: opts.gatewayId, key: opts.key, offlineOnly: (now) => this.contact.offlineOnly(now) });
    this.file = new AclFile(opts.dataDir);
    this.#log = opts.log;
  }

  /** Loads the stored list; a missing, malformed or badly signed file is ignored (and logged). */
  start(): void {
    this.contact.start();
    const read = this.file.read();
    if (!read.ok) {
      if (read.reason === 'missing') this.#log.info('no stored access list');
      else this.#log.warn({ reason: read.reason, path: this.file.path }, 'stored access list ignored');
      return;
    }
    const r = this.list.offer(read.list);
    if (r.outcome === 'refused') this.#log.warn({ reason: r.reason, version: r.version, path: this.file.path }, 'stored access list ignored');
    else this.#log.info({ version: r.version, entries: read.list.entries.length }, 'stored access list loaded');
  }

  async stop(): Promise<void> {
    this.contact.stop();
    await this.file.flush();
  }

  /** A list from MQTT (already through Ingress): verify, swap if newer, persist. */
  offer(list: AccessListPayload): OfferOutcome {
    const r = this.list.offer(list);
    if (r.outcome === 'refused') {
      // Our own retained list comes back on every reconnect: not worth a warning.
      if (r.reason === 'old-version' && r.version === this.list.version) this.#log.debug({ version: r.version }, 'access list unchanged');
      else this.#log.warn({ reason: r.reason, version: r.version, current: this.list.version }, 'access list refused');
      return r;
    }
    this.#log.info({ version: r.version, entries: list.entries.length, outcome: r.outcome }, 'access list accepted');
    this.contact.touch();
    this.file.write(list).catch((err: unknown) => this.#log.error({ err, path: this.file.path }, 'access list not persisted'));
    return r;
  }
}
