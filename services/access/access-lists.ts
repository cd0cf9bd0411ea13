// Signed, versioned access lists, one per gateway, published retained (QoS 1) to acl/<gw>.
// recompile() runs at start and after any change to members, plans or credentials.
import { PAYLOAD_VERSION, type AccessList } from '../../contracts/payloads.ts';
import { topics, type Topics } from '../../contracts/topics.ts';
import { sign } from '../../contracts/signing.ts';
import type { Logger } from '../../contracts/log.ts';
import type { SiteConfig, Secrets } from '../../config/schema.ts';
import type { Store } from '../db/store.ts';
import { compileEntries } from './compile.ts';

export type Publish = (topic: string, payload: object, opts: { qos: 0 | 1; retain: boolean }) => Promise<void>;

export interface AccessListsOptions {
  config: SiteConfig;
  secrets: Secrets;
  store: Store;
  log: Logger;
  now: () => number;
}

export class AccessLists {
  readonly #o: AccessListsOptions;
  readonly #t: Topics;
  readonly #latest = new Map<string, AccessList>();
  #publish: Publish | null = null;

  constructor(opts: AccessListsOptions) {
    this.#o = opts;
    this.#t = topics(opts.config.site.id);
  }

  /** Where lists go; until set, recompile() only compiles and records versions. */
  setPublisher(publish: Publish | null): void {
    this.#publish = publish;
  }

  latest(gateway: string): AccessList | undefined {
    return this.#latest.get(gateway);
  }

  /** Compiles, signs and publishes every gateway's list with a new version. */
  async recompile(): Promise<AccessList[]> {
    const { config, secrets, store, now } = this.#o;
    const plans = new Map(store.members.allPlans().map((p) => [p.id, p]));
    const grants = store.members.grants();
    const lists: AccessList[] = [];
    for (const gw of config.gateways) {
      const key = secrets.gateways[gw.id]?.key;
      if (!key) {
        this.#o.log.error({ gateway: gw.id }, 'no signing key for gateway: access list not published');
        continue;
      }
      const doors = new Set(config.doors.filter((d) => d.gateway === gw.id).map((d) => d.id));
      const entries = compileEntries(grants, plans, doors);
      const ts = now();
      const version = store.acl.next(gw.id, ts, entries.length);
      const unsigned: Omit<AccessList, 'sig'> = {
        v: PAYLOAD_VERSION,
        ts,
        gateway: gw.id,
        version,
        timeZone: config.site.timeZone,
        entries,
      };
      const list = sign(unsigned, key);
      this.#latest.set(gw.id, list);
      lists.push(list);
      this.#o.log.info({ gateway: gw.id, version, entries: entries.length }, 'access list compiled');
    }
    await this.republish();
    return lists;
  }

  /** Publishes the latest lists again (after a broker reconnect). Logs, never throws. */
  async republish(): Promise<void> {
    const publish = this.#publish;
    if (!publish) return;
    await Promise.all(
      [...this.#latest.values()].map((list) =>
        publish(this.#t.acl(list.gateway), list, { qos: 1, retain: true }).catch((err: unknown) =>
          this.#o.log.warn({ err, gateway: list.gateway, version: list.version }, 'access list not published'),
        ),
      ),
    );
  }
}
