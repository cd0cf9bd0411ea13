// Home Assistant on the site's broker (contracts/home-assistant.ts has the topics and configs).
// The services announce every entity (retained) when they start, after every reconnect and when
// Home Assistant says it is back (`<prefix>/status` = online), and clear the ones of a door,
// desk or zone that left the config (an empty retained config, which Home Assistant takes as
// "remove"): the announced topics are remembered in the data folder. They republish access
// decisions without card or member id (names only when the site allows), keep each zone's free
// desks current, and turn Home Assistant's LOCK/UNLOCK into the signed, audited door command
// every other unlock uses — for the doors the site lists in `homeAssistant.unlockDoors` only.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { SiteConfig, HomeAssistantConfig } from '../../config/schema.ts';
import type { Outgoing } from '../../contracts/topics.ts';
import {
  HA_BIRTH,
  HA_PAYLOAD_LOCK,
  HA_PAYLOAD_UNLOCK,
  discoveryMessages,
  haTopics,
  parseDoorSet,
  type HaDoorEvent,
  type HaZoneState,
} from '../../contracts/home-assistant.ts';
import type { EventRow } from '../db/events-repo.ts';
import type { LiveDelta, LiveHub } from '../live/hub.ts';
import type { Logger } from '../../runtime/log.ts';
import type { SendDoorCommand } from '../http/door-commands.ts';
import { freeDesks, zoneOccupancy, type DeskStates } from '../views.ts';

export const HA_ACTOR = 'homeassistant';
const ANNOUNCED_FILE = 'home-assistant-announced.json';

/** The discovery topics announced last, and those cleared since (sent empty at every announce). */
interface Announced {
  announced: string[];
  removed: string[];
}

export interface HomeAssistantOptions {
  config: SiteConfig;
  ha: HomeAssistantConfig;
  version: string;
  dataDir: string;
  publish: (m: Outgoing) => Promise<void>;
  deskStates: () => DeskStates;
  sendDoorCommand: SendDoorCommand;
  hub: LiveHub;
  log: Logger;
}

/**
 * What the services' link subscribes to for Home Assistant, at QoS 0: a LOCK/UNLOCK sent while
 * the services were away must not be queued by the broker and carried out hours later.
 */
export function haSubscriptions(site: string, ha: HomeAssistantConfig | undefined): string[] {
  return ha?.enabled ? [haTopics(site).doorSetWildcard, `${ha.discoveryPrefix}/status`] : [];
}

export class HomeAssistant {
  readonly #o: HomeAssistantOptions;
  readonly #t: ReturnType<typeof haTopics>;
  readonly #birthTopic: string;
  readonly #zoneLast = new Map<string, string>();
  #detach: (() => void) | null = null;

  constructor(opts: HomeAssistantOptions) {
    this.#o = opts;
    this.#t = haTopics(opts.config.site.id);
    this.#birthTopic = `${opts.ha.discoveryPrefix}/status`;
  }

  /** After the link is up: announce, publish zone states, follow the live hub. */
  async start(): Promise<void> {
    await this.announce();
    const listener = (d: LiveDelta) => this.#onDelta(d);
    this.#detach = this.#o.hub.attach(listener, { end: () => this.#detach?.() });
  }

  stop(): void {
    this.#detach?.();
    this.#detach = null;
  }

  /**
   * Every config (retained), an empty one for each entity announced once and gone now, and the
   * zone states. The removed ones are sent again at every announce: Home Assistant may have been
   * away when they were first cleared (the embedded broker keeps no retained message over a restart).
   */
  async announce(): Promise<void> {
    const messages = discoveryMessages(this.#o.config, this.#o.ha, this.#o.version);
    const now = new Set(messages.map((m) => m.topic));
    const before = this.#readAnnounced();
    const removed = [...new Set([...before.announced, ...before.removed])].filter((topic) => !now.has(topic)).sort();
    this.#writeAnnounced({ announced: [...now], removed });
    for (const topic of removed) await this.#o.publish({ topic, payload: '', qos: 1, retain: true });
    for (const m of messages) await this.#o.publish({ topic: m.topic, payload: JSON.stringify(m.payload), qos: 1, retain: true });
    this.#zoneLast.clear();
    await this.#publishZones();
    this.#o.log.info({ entities: messages.length, removed: removed.length }, 'home assistant discovery published');
  }

  /** A message on one of `subscriptions`; false when it is not Home Assistant's. */
  handle(topic: string, payload: Buffer): boolean {
    if (topic === this.#birthTopic) {
      if (payload.toString('utf8') === HA_BIRTH) void this.announce().catch((err: unknown) => this.#o.log.warn({ err }, 'home assistant discovery failed'));
      return true;
    }
    const door = parseDoorSet(this.#o.config.site.id, topic);
    if (door === null) return false;
    void this.#command(door, payload.toString('utf8').trim());
    return true;
  }

  async #command(door: string, word: string): Promise<void> {
    const action = word === HA_PAYLOAD_UNLOCK ? 'unlock' : word === HA_PAYLOAD_LOCK ? 'lock' : null;
    const log = this.#o.log;
    if (!action) return log.warn({ door, payload: word.slice(0, 32) }, 'home assistant command ignored: not LOCK or UNLOCK');
    if (!this.#o.ha.unlockDoors.includes(door)) return log.warn({ door, action }, 'home assistant command refused: door not in homeAssistant.unlockDoors');
    try {
      await this.#o.sendDoorCommand({ door, action, actor: HA_ACTOR, source: 'mqtt:homeassistant' });
    } catch (err) {
      // Refusals (door offline) are audited by sendDoorCommand; Home Assistant sees the state stay.
      log.warn({ door, action, error: (err as Error).message }, 'home assistant command not sent');
    }
  }

  #onDelta(d: LiveDelta): void {
    if (d.type === 'event') this.#publishEvent(d.row);
    else if (d.type === 'desk') void this.#publishZones();
  }

  #publishEvent(row: EventRow): void {
    const e = row.event;
    if (e.type !== 'access' || !this.#o.ha.expose.doors) return;
    const out: HaDoorEvent = { event_type: e.decision, reason: e.reason, via: e.via, offline: e.offline };
    if (this.#o.ha.names && row.memberName) out.member = row.memberName;
    void this.#o.publish({ topic: this.#t.doorEvent(e.door), payload: JSON.stringify(out), qos: 1, retain: false }).catch(() => undefined);
  }

  async #publishZones(): Promise<void> {
    if (!this.#o.ha.expose.zones) return;
    for (const z of zoneOccupancy(this.#o.config, this.#o.deskStates())) {
      // A desk whose sensor cannot say is neither free nor taken.
      const free = freeDesks(z);
      const state: HaZoneState = {
        free,
        occupied: z.occupied,
        unknown: z.unknown,
        desks: z.desks,
        utilisation: z.desks === 0 ? 0 : Math.round((100 * z.occupied) / z.desks),
      };
      const payload = JSON.stringify(state);
      if (this.#zoneLast.get(z.zone) === payload) continue;
      this.#zoneLast.set(z.zone, payload);
      await this.#o.publish({ topic: this.#t.zoneState(z.zone), payload, qos: 1, retain: true }).catch(() => this.#zoneLast.delete(z.zone));
    }
  }

  #readAnnounced(): Announced {
    try {
      const v = JSON.parse(readFileSync(join(this.#o.dataDir, ANNOUNCED_FILE), 'utf8')) as Partial<Record<keyof Announced, unknown>>;
      const list = (x: unknown) => (Array.isArray(x) ? x.filter((t): t is string => typeof t === 'string') : []);
      return { announced: list(v.announced), removed: list(v.removed) };
    } catch {
      return { announced: [], removed: [] };
    }
  }

  #writeAnnounced(a: Announced): void {
    const file = join(this.#o.dataDir, ANNOUNCED_FILE);
    writeFileSync(`${file}.tmp`, JSON.stringify(a), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }
}
