// MQTT topic contract: the one place topic strings are built and parsed.
// Root: smartspace/<site>/ (ARCHITECTURE.md, "MQTT contract").

import { PATTERNS } from './patterns.ts';

export const TOPIC_ROOT = 'smartspace';

/** Kinds of topic in the contract table, keyed by a stable name used in counters and ACLs. */
export type TopicKind =
  | 'gatewayStatus'
  | 'serviceStatus'
  | 'doorState'
  | 'doorEvent'
  | 'doorCommand'
  | 'deskOccupancy'
  | 'sensorReading'
  | 'deviceHealth'
  | 'acl';

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

/** Builders for one site. Every process makes one of these from its config. */
export function topics(site: string) {
  const root = `${TOPIC_ROOT}/${seg(site)}`;
  return {
    root,
    all: `${root}/#`,
    gatewayStatus: (gw: string) => `${root}/gateway/${seg(gw)}/status`,
    serviceStatus: (svc: string) => `${root}/service/${seg(svc)}/status`,
    doorState: (door: string) => `${root}/door/${seg(door)}/state`,
    doorEvent: (door: string) => `${root}/door/${seg(door)}/event`,
    doorCommand: (door: string) => `${root}/door/${seg(door)}/command`,
    deskOccupancy: (desk: string) => `${root}/desk/${seg(desk)}/occupancy`,
    sensorReading: (sensor: string) => `${root}/sensor/${seg(sensor)}/reading`,
    deviceHealth: (device: string) => `${root}/device/${seg(device)}/health`,
    acl: (gw: string) => `${root}/acl/${seg(gw)}`,
    /** Wildcard subscriptions, for the services and automation. */
    wildcard: {
      gatewayStatus: `${root}/gateway/+/status`,
      serviceStatus: `${root}/service/+/status`,
      doorState: `${root}/door/+/state`,
      doorEvent: `${root}/door/+/event`,
      deskOccupancy: `${root}/desk/+/occupancy`,
      sensorReading: `${root}/sensor/+/reading`,
      deviceHealth: `${root}/device/+/health`,
    },
  } as const;
}

export type Topics = ReturnType<typeof topics>;

const SHAPES: ReadonlyArray<[string, string | null, TopicKind]> = [
  ['gateway', 'status', 'gatewayStatus'],
  ['service', 'status', 'serviceStatus'],
  ['door', 'state', 'doorState'],
  ['door', 'event', 'doorEvent'],
  ['door', 'command', 'doorCommand'],
  ['desk', 'occupancy', 'deskOccupancy'],
  ['sensor', 'reading', 'sensorReading'],
  ['device', 'health', 'deviceHealth'],
  ['acl', null, 'acl'],
];

/** Parses a contract topic; returns null for anything outside the contract. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts[0] !== TOPIC_ROOT || parts.length < 4 || parts.length > 5) return null;
  const [, site, group, id, leaf] = parts as [string, string, string, string, string | undefined];
  if (!ID_RE.test(site) || !ID_RE.test(id)) return null;
  for (const [g, l, kind] of SHAPES) {
    if (g === group && (l ?? undefined) === leaf) return { site, kind, id };
  }
  return null;
}
