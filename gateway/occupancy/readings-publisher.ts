// Raw sensor readings on `sensor/<id>/reading` (QoS 0, not retained) every `everyMs`: the
// latest values of every sensor that has any (LD2410 distance and energies, PIR motion level).
// The wiring decides where each goes: straight to MQTT while connected, into the bounded outbox
// while not (where readings are the first to be thinned).
import type { SensorReading } from '../../contracts/payloads.ts';
import type { Topics } from '../../contracts/topics.ts';
import type { PresenceSensor } from '../drivers/types.ts';

export interface ReadingsPublisherOptions {
  sensors: readonly PresenceSensor[];
  topics: Topics;
  everyMs: number;
  send: (topic: string, reading: SensorReading) => void;
  now?: () => number;
}

export class ReadingsPublisher {
  readonly #o: ReadingsPublisherOptions;
  readonly #now: () => number;
  readonly #topic = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: ReadingsPublisherOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
    for (const s of opts.sensors) this.#topic.set(s.id, opts.topics.sensorReading(s.id));
  }

  start(): void {
    if (this.#timer || this.#o.everyMs <= 0 || this.#o.sensors.length === 0) return;
    this.#timer = setInterval(() => this.publishNow(), this.#o.everyMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  publishNow(): void {
    const ts = this.#now();
    for (const s of this.#o.sensors) {
      const samples = s.readings?.() ?? [];
      for (const r of samples) {
        const reading: SensorReading = { v: 1, ts, sensor: s.id, kind: r.kind, value: r.value };
        if (r.unit !== undefined) reading.unit = r.unit;
        this.#o.send(this.#topic.get(s.id)!, reading);
      }
    }
  }
}
