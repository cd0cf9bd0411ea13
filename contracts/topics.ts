// MQTT topic contract: one table, one row per kind of topic (ARCHITECTURE.md, "MQTT contract").
// Root: smartspace/<site>/. Builders, wildcards, the parser, the per-kind payload schema and id
// field read by Ingress, and the retain flag and QoS of every publish all come from TOPICS:
// adding a topic is adding a row (and its payload schema in payloads.ts).
import type { Static, TSchema } from '@sinclair/typebox';
import { PATTERNS } from './patterns.ts';
import {
  AccessList,
  DeskOccupancy,
  DeviceCommand,
  DeviceCommandResult,
  DeviceHealth,
  DoorCommand,
  DoorEvent,
  DoorState,
  GatewayStatus,
  SensorReading,
  ServiceStatus,
} from './payloads.ts';

export const TOPIC_ROOT = 'smartspace';

/**
 * The id under `service/<id>/status` of Node-RED's site node: online on connect, offline as its
 * last will and on a clean stop. The services alert when it stays offline (services/alerts/automation-watch.ts).
 */
export const AUTOMATION_SERVICE_ID = 'automation';

export interface TopicRow {
  /** First level under the site: `<root>/<site>/<group>/<id>[/<leaf>]`. */
  readonly group: string;
  /** Last level, or null for `<group>/<id>`. */
  readonly leaf: string | null;
  /** Field of the payload that must equal the id in the topic. */
  readonly idField: string;
  readonly schema: TSchema;
  /** Retained: the latest message is state that a new subscriber needs. */
  readonly retain: boolean;
  /** 1: must arrive (events, commands, state); 0: the firehose, the next one replaces it. */
  readonly qos: 0 | 1;
}

/** The topic table. Keys are the kind names used in counters, ACLs and the palette. */
export const TOPICS = {
  gatewayStatus: { group: 'gateway', leaf: 'status', idField: 'gateway', schema: GatewayStatus, retain: true, qos: 1 },
  serviceStatus: { group: 'service', leaf: 'status', idField: 'service', schema: ServiceStatus, retain: true, qos: 1 },
  doorState: { group: 'door', leaf: 'state', idField: 'door', schema: DoorState, retain: true, qos: 1 },
  doorEvent: { group: 'door', leaf: 'event', idField: 'door', schema: DoorEvent, retain: false, qos: 1 },
  doorCommand: { group: 'door', leaf: 'command', idField: 'door', schema: DoorCommand, retain: false, qos: 1 },
  deskOccupancy: { group: 'desk', leaf: 'occupancy', idField: 'desk', schema: DeskOccupancy, retain: true, qos: 1 },
  sensorReading: { group: 'sensor', leaf: 'reading', idField: 'sensor', schema: SensorReading, retain: false, qos: 0 },
  deviceHealth: { group: 'device', leaf: 'health', idField: 'device', schema: DeviceHealth, retain: true, qos: 1 },
  deviceCommand: { group: 'device', leaf: 'command', idField: 'device', schema: DeviceCommand, retain: false, qos: 1 },
  deviceCommandResult: { group: 'device', leaf: 'result', idField: 'device', schema: DeviceCommandResult, retain: false, qos: 1 },
  acl: { group: 'acl', leaf: null, idField: 'gateway', schema: AccessList, retain: true, qos: 1 },
} as const satisfies Record<string, TopicRow>;

/** Kinds of topic in the contract table. */
export type TopicKind = keyof typeof TOPICS;
export const TOPIC_KINDS = Object.keys(TOPICS) as TopicKind[];

/** The payload type of each kind, from its row's schema. */
export type PayloadOf = { [K in TopicKind]: Static<(typeof TOPICS)[K]['schema']> };

/** Schema for each topic kind (the table's `schema` column). */
export const PAYLOAD_SCHEMAS = Object.fromEntries(TOPIC_KINDS.map((k) => [k, TOPICS[k].schema])) as {
  [K in TopicKind]: (typeof TOPICS)[K]['schema'];
};

export interface ParsedTopic {
  site: string;
  kind: TopicKind;
  /** The id in the topic: gateway, door, desk, sensor, device or service id. */
  id: string;
}

/** Topic ids are restricted so that they never contain MQTT wildcards or separators. */
export const ID_PATTERN = PATTERNS.id;
const ID_RE = new RegExp(ID_PATTERN);

export function isValidId(id: string): boolean {
  return ID_RE.test(id);
}

function seg(id: string): string {
  if (!ID_RE.test(id)) throw new Error(`invalid topic id: ${JSON.stringify(id)}`);
  return id;
}

/** The part of a topic under `<root>/<site>/` for one row, with `id` (or a wildcard) as its id. */
export function topicPath(kind: TopicKind, id: string): string {
  const { group, leaf } = TOPICS[kind];
  return leaf === null ? `${group}/${id}` : `${group}/${id}/${leaf}`;
}

/** One message ready for the wire: what every publish site hands to its MQTT link. */
export interface Outgoing {
  topic: string;
  payload: string;
  qos: 0 | 1;
  retain: boolean;
}

/** The typed publish helper: the payload type comes from the kind's row. */
export type ContractPublish<R> = <K extends TopicKind>(kind: K, id: string, payload: PayloadOf[K]) => R;

const mapKinds = <V>(f: (k: TopicKind) => V) => Object.fromEntries(TOPIC_KINDS.map((k) => [k, f(k)])) as Record<TopicKind, V>;

/** Builders for one site. Every process makes one of these from its config. */
export function topics(site: string) {
  const root = `${TOPIC_ROOT}/${seg(site)}`;
  const build = mapKinds((k) => (id: string) => `${root}/${topicPath(k, seg(id))}`);
  /** The row's topic, payload as JSON, and the row's QoS and retain flag. */
  const message = <K extends TopicKind>(kind: K, id: string, payload: PayloadOf[K]): Outgoing => ({
    topic: build[kind](id),
    payload: JSON.stringify(payload),
    qos: TOPICS[kind].qos,
    retain: TOPICS[kind].retain,
  });
  return {
    root,
    all: `${root}/#`,
    ...build,
    /** Wildcard subscriptions (`+` for the id), for the services, gateways and automation. */
    wildcard: mapKinds((k) => `${root}/${topicPath(k, '+')}`),
    message,
  } as const;
}

export type Topics = ReturnType<typeof topics>;

/** A typed `publish(kind, id, payload)` for one site over a link's `send(message)`. */
export function contractPublisher<R>(site: string, send: (m: Outgoing) => R): ContractPublish<R> {
  const t = topics(site);
  return (kind, id, payload) => send(t.message(kind, id, payload));
}

const shape = (group: string, leaf: string | null | undefined) => (leaf == null ? group : `${group}/${leaf}`);
const BY_SHAPE = new Map(TOPIC_KINDS.map((k) => [shape(TOPICS[k].group, TOPICS[k].leaf), k]));

/** Parses a contract topic; returns null for anything outside the contract. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts[0] !== TOPIC_ROOT || parts.length < 4 || parts.length > 5) return null;
  const [, site, group, id, leaf] = parts as [string, string, string, string, string | undefined];
  if (!ID_RE.test(site) || !ID_RE.test(id)) return null;
  const kind = BY_SHAPE.get(shape(group, leaf));
  return kind ? { site, kind, id } : null;
}

/**
 * A payload for a topic already built (the outbox and the health and readings reporters hold
 * topics, not kinds) as a message with its row's QoS and retain flag; throws outside the contract.
 */
export function wireMessage(topic: string, payload: object): Outgoing {
  const p = parseTopic(topic);
  if (!p) throw new Error(`not a contract topic: ${topic}`);
  return { topic, payload: JSON.stringify(payload), qos: TOPICS[p.kind].qos, retain: TOPICS[p.kind].retain };
}

/** QoS and retain flag of a contract topic (the outbox stores topics, not kinds); null outside it. */
export function deliveryOf(topic: string): { qos: 0 | 1; retain: boolean } | null {
  const p = parseTopic(topic);
  return p ? { qos: TOPICS[p.kind].qos, retain: TOPICS[p.kind].retain } : null;
}
