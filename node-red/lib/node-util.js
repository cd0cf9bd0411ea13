'use strict';
// Small helpers shared by the palette's nodes: status from the site connection, filters.
const { EVENT_TYPES, isId } = require('./contract.js');

/** The node status for a site connection ({state, reason}). */
function connectionStatus(connection) {
  switch (connection.state) {
    case 'connected':
      return { fill: 'green', shape: 'dot', text: 'connected' };
    case 'connecting':
      return { fill: 'yellow', shape: 'ring', text: 'connecting' };
    default:
      return { fill: 'red', shape: 'ring', text: connection.reason };
  }
}

/** `HH:MM:SS` of the site clock, for status texts. */
const clock = (epochMs) => new Date(epochMs).toTimeString().slice(0, 8);

/** Event types from the editor's comma list; empty means all. Throws on an unknown type. */
function parseTypes(value) {
  const list = Array.isArray(value) ? value : String(value ?? '').split(',');
  const types = list.map((t) => String(t).trim()).filter(Boolean);
  for (const t of types) if (!EVENT_TYPES.includes(t)) throw new TypeError(`unknown event type "${t}" (one of ${EVENT_TYPES.join(', ')})`);
  return new Set(types);
}

/** An optional id filter: '' or undefined means any; else a valid contract id. */
function parseIdFilter(value, what) {
  const v = String(value ?? '').trim();
  if (v === '') return null;
  if (!isId(v)) throw new TypeError(`${what}: "${v}" is not a valid id`);
  return v;
}

/** Does a palette event pass {types, door, zone}? Door/zone filters drop events without one. */
function matches(event, filter) {
  if (filter.types.size > 0 && !filter.types.has(event.type)) return false;
  if (filter.door && event.door !== filter.door) return false;
  if (filter.zone && event.zone !== filter.zone) return false;
  return true;
}

/** The msg an events or occupancy node sends for one palette event. */
function eventMessage(event) {
  const msg = { topic: `${event.type}/${event.id}`, payload: event.payload, eventType: event.type, ts: event.payload?.ts, retained: Boolean(event.retained) };
  for (const k of ['door', 'desk', 'zone', 'gateway', 'device']) if (event[k] !== undefined && event[k] !== null) msg[k] = event[k];
  return msg;
}

module.exports = { connectionStatus, clock, parseTypes, parseIdFilter, matches, eventMessage };
