'use strict';
// The MQTT contract as the palette sees it. Node-RED loads nodes as plain CommonJS, without a
// TypeScript loader, so this mirrors the part of contracts/topics.ts and contracts/payloads.ts
// the palette reads; test/node-red/contract.test.ts checks that both agree.

const TOPIC_ROOT = 'smartspace';
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const PAYLOAD_VERSION = 1;

/** [group, leaf, kind] as in contracts/topics.ts. */
const SHAPES = [
  ['gateway', 'status', 'gatewayStatus'],
  ['service', 'status', 'serviceStatus'],
  ['door', 'state', 'doorState'],
  ['door', 'event', 'doorEvent'],
  ['door', 'command', 'doorCommand'],
  ['desk', 'occupancy', 'deskOccupancy'],
  ['sensor', 'reading', 'sensorReading'],
  ['device', 'health', 'deviceHealth'],
  ['acl', undefined, 'acl'],
];

/** Event types the palette emits (msg.eventType). `occupancy` is derived from desk changes. */
const EVENT_TYPES = ['access', 'door', 'door-state', 'alarm', 'desk', 'occupancy', 'gateway', 'device'];
/** Door events that are alarms rather than plain activity. */
const ALARM_KINDS = ['held-open', 'forced-open'];
const COMMAND_ACTIONS = ['unlock', 'hold', 'release', 'lock', 'lockdown'];

const isId = (v) => typeof v === 'string' && ID_RE.test(v);

function parseTopic(topic) {
  const parts = String(topic).split('/');
  if (parts[0] !== TOPIC_ROOT || parts.length < 4 || parts.length > 5) return null;
  const [, site, group, id, leaf] = parts;
  if (!ID_RE.test(site) || !ID_RE.test(id)) return null;
  for (const [g, l, kind] of SHAPES) {
    if (g === group && l === leaf) return { site, kind, id };
  }
  return null;
}

const siteFilter = (site) => `${TOPIC_ROOT}/${site}/#`;

const oneOf = (v, list) => list.includes(v);
const isTs = (v) => Number.isInteger(v) && v >= 0;

/**
 * One contract message → one palette event `{type, id, door?, desk?, gateway?, device?, payload}`.
 * Returns null for topics the palette does not emit (commands, readings, access lists) and
 * throws a TypeError naming the field for a payload that breaks the contract.
 */
function toEvent(parsed, payload) {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new TypeError('payload is not a JSON object');
  if (payload.v !== PAYLOAD_VERSION) throw new TypeError(`v: expected ${PAYLOAD_VERSION}`);
  if (!isTs(payload.ts)) throw new TypeError('ts: expected epoch ms');
  const id = parsed.id;
  const same = (field) => {
    if (payload[field] !== id) throw new TypeError(`${field}: does not match the topic`);
  };
  switch (parsed.kind) {
    case 'doorState':
      same('door');
      if (!oneOf(payload.lock, ['locked', 'unlocked'])) throw new TypeError('lock: expected locked or unlocked');
      if (!oneOf(payload.contact, ['open', 'closed', 'unknown'])) throw new TypeError('contact: expected open, closed or unknown');
      if (!oneOf(payload.mode, ['normal', 'held', 'lockdown'])) throw new TypeError('mode: expected normal, held or lockdown');
      if (!Array.isArray(payload.alarms)) throw new TypeError('alarms: expected an array');
      return { type: 'door-state', id, door: id, payload };
    case 'doorEvent':
      same('door');
      if (payload.type === 'access') {
        if (!oneOf(payload.decision, ['granted', 'denied'])) throw new TypeError('decision: expected granted or denied');
        return { type: 'access', id, door: id, gateway: payload.gateway, payload };
      }
      if (payload.type === 'door') {
        if (typeof payload.kind !== 'string') throw new TypeError('kind: expected a string');
        return { type: ALARM_KINDS.includes(payload.kind) ? 'alarm' : 'door', id, door: id, gateway: payload.gateway, payload };
      }
      throw new TypeError('type: expected access or door');
    case 'deskOccupancy':
      same('desk');
      if (typeof payload.occupied !== 'boolean') throw new TypeError('occupied: expected a boolean');
      return { type: 'desk', id, desk: id, payload };
    case 'gatewayStatus':
      same('gateway');
      if (!oneOf(payload.state, ['online', 'offline'])) throw new TypeError('state: expected online or offline');
      return { type: 'gateway', id, gateway: id, payload };
    case 'deviceHealth':
      same('device');
      if (!oneOf(payload.state, ['ok', 'fault'])) throw new TypeError('state: expected ok or fault');
      return { type: 'device', id, device: id, gateway: payload.gateway, payload };
    default:
      return null;
  }
}

module.exports = { TOPIC_ROOT, PAYLOAD_VERSION, EVENT_TYPES, ALARM_KINDS, COMMAND_ACTIONS, isId, parseTopic, siteFilter, toEvent };
