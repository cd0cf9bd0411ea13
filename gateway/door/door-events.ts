// Builds access and door events and writes them to the outbox, on the door's event topic.
import { randomUUID } from 'node:crypto';
import type { AccessEvent, DoorActivityEvent } from '../../contracts/payloads.ts';
import type { Topics } from '../../contracts/topics.ts';
import type { Outbox } from '../outbox/outbox.ts';
import type { Decision } from '../access/access-list.ts';

export interface DoorEventWriterOptions {
  gatewayId: string;
  doorIds: readonly string[];
  topics: Topics;
  outbox: Outbox;
  /** True when decisions are made without contact to the services. */
  isOffline: () => boolean;
  now?: () => number;
}

export class DoorEventWriter {
  readonly #o: DoorEventWriterOptions;
  readonly #now: () => number;
  /** Topic per door, built once (topic builders validate ids: not on the hot path). */
  readonly #topic: Map<string, string>;
  /** Events written, by `access:<decision>` or `door:<kind>` (the gateway's /metrics). */
  readonly #counts = new Map<string, number>();

  constructor(opts: DoorEventWriterOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
    this.#topic = new Map(opts.doorIds.map((d) => [d, opts.topics.doorEvent(d)]));
  }

  /** Events only go to this gateway's own doors: the broker refuses (and drops us for) others. */
  owns(door: string): boolean {
    return this.#topic.has(door);
  }

  access(
    door: string,
    d: Decision,
    via: AccessEvent['via'],
    extra: { fingerprint?: string; cardTail?: string; netFingerprint?: string; commandId?: string } = {},
  ): AccessEvent {
    const ev: AccessEvent = {
      v: 1,
      ts: this.#now(),
      id: randomUUID(),
      type: 'access',
      door,
      gateway: this.#o.gatewayId,
      decision: d.decision,
      reason: d.reason,
      via,
      offline: this.#o.isOffline(),
    };
    if (d.member !== undefined) ev.member = d.member;
    if (extra.fingerprint !== undefined) ev.fingerprint = extra.fingerprint;
    if (extra.cardTail !== undefined) ev.cardTail = extra.cardTail;
    if (extra.netFingerprint !== undefined) ev.netFingerprint = extra.netFingerprint;
    if (extra.commandId !== undefined) ev.commandId = extra.commandId;
    this.#write(door, ev);
    return ev;
  }

  activity(door: string, kind: DoorActivityEvent['kind'], extra: { detail?: string; commandId?: string } = {}): DoorActivityEvent {
    const ev: DoorActivityEvent = { v: 1, ts: this.#now(), id: randomUUID(), type: 'door', door, gateway: this.#o.gatewayId, kind };
    if (extra.detail !== undefined) ev.detail = extra.detail;
    if (extra.commandId !== undefined) ev.commandId = extra.commandId;
    this.#write(door, ev);
    return ev;
  }

  counts(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  #write(door: string, ev: AccessEvent | DoorActivityEvent): void {
    const topic = this.#topic.get(door);
    if (!topic) throw new Error(`door ${door} does not belong to gateway ${this.#o.gatewayId}`);
    this.#o.outbox.enqueue(topic, ev);
    const key = ev.type === 'access' ? `access:${ev.decision}` : `door:${ev.kind}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }
}
