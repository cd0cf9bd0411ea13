// The one validation step at every MQTT ingress: topic → kind → schema → typed payload.
// An invalid payload is dropped, counted per topic kind, and logged with the reason at most
// once per kind per `logEveryMs` (a flood of garbage must not flood the log too).
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import type { ValueError } from '@sinclair/typebox/value';
import { parseTopic, TOPICS, TOPIC_KINDS, type PayloadOf, type TopicKind } from './topics.ts';

export interface WarnLogger {
  warn(obj: object, msg: string): void;
}

export type Accepted = { [K in TopicKind]: { kind: K; id: string; topic: string; payload: PayloadOf[K] } }[TopicKind];

export type RejectReason = 'unknown-topic' | 'other-site' | 'not-json' | 'schema' | 'id-mismatch';

/** Each row's schema, compiled once. */
const COMPILED = Object.fromEntries(TOPIC_KINDS.map((k) => [k, TypeCompiler.Compile(TOPICS[k].schema as TSchema)])) as Record<TopicKind, TypeCheck<TSchema>>;

/** `path: message`; for a union, the error of the variant that came closest (fewest errors). */
function describeError(e: ValueError | undefined): string {
  if (!e) return 'invalid';
  if (e.errors.length > 0) {
    const variants = e.errors.map((it) => [...it]).filter((errs) => errs.length > 0);
    variants.sort((a, b) => a.length - b.length);
    if (variants[0]) return describeError(variants[0][0]);
  }
  return `${e.path || '/'}: ${e.message}`;
}

export interface IngressOptions {
  site: string;
  log?: WarnLogger;
  logEveryMs?: number;
  now?: () => number;
}

export class Ingress {
  readonly #site: string;
  readonly #log: WarnLogger | undefined;
  readonly #logEveryMs: number;
  readonly #now: () => number;
  readonly #rejected = new Map<string, number>();
  readonly #lastLog = new Map<string, { at: number; suppressed: number }>();

  constructor(opts: IngressOptions) {
    this.#site = opts.site;
    this.#log = opts.log;
    this.#logEveryMs = opts.logEveryMs ?? 10_000;
    this.#now = opts.now ?? Date.now;
  }

  /** Returns the typed payload, or null when rejected (counted and maybe logged). */
  accept(topic: string, raw: Buffer | string): Accepted | null {
    const parsed = parseTopic(topic);
    if (!parsed) return this.#reject('unknown', topic, 'unknown-topic');
    if (parsed.site !== this.#site) return this.#reject(parsed.kind, topic, 'other-site');
    let value: unknown;
    try {
      value = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
    } catch {
      return this.#reject(parsed.kind, topic, 'not-json');
    }
    const check = COMPILED[parsed.kind];
    if (!check.Check(value)) {
      return this.#reject(parsed.kind, topic, 'schema', describeError(check.Errors(value).First()));
    }
    if ((value as Record<string, unknown>)[TOPICS[parsed.kind].idField] !== parsed.id) {
      return this.#reject(parsed.kind, topic, 'id-mismatch');
    }
    return { kind: parsed.kind, id: parsed.id, topic, payload: value } as Accepted;
  }

  /** Rejected payloads per topic kind ('unknown' for topics outside the contract). */
  rejectedCounts(): Record<string, number> {
    return Object.fromEntries(this.#rejected);
  }

  #reject(kind: string, topic: string, reason: RejectReason, detail?: string): null {
    this.#rejected.set(kind, (this.#rejected.get(kind) ?? 0) + 1);
    if (!this.#log) return null;
    const now = this.#now();
    const last = this.#lastLog.get(kind);
    if (last && now - last.at < this.#logEveryMs) {
      last.suppressed++;
      return null;
    }
    this.#log.warn({ topic, kind, reason, detail, suppressed: last?.suppressed ?? 0 }, 'payload rejected');
    this.#lastLog.set(kind, { at: now, suppressed: 0 });
    return null;
  }
}
