'use strict';
// The MQTT contract as the palette sees it: topics, schemas, the one ingress validation step and
// the door actions come from contracts/ itself, bundled into contract.gen.cjs (see
// contracts/palette.ts); this file only adds how contract messages become palette events.
const gen = require('./contract.gen.cjs');

/** Event types the palette emits (msg.eventType). `occupancy` is derived from desk changes. */
const EVENT_TYPES = ['access', 'door', 'door-state', 'alarm', 'desk', 'occupancy', 'gateway', 'device'];

const isId = (v) => typeof v === 'string' && gen.isValidId(v);

const siteFilter = (site) => `${gen.TOPIC_ROOT}/${site}/#`;

/**
 * One message the ingress accepted (`{kind, id, payload}`) → one palette event
 * `{type, id, door?, desk?, gateway?, device?, payload}`, or null for kinds the palette does not
 * emit (commands, readings, service status, access lists).
 */
function toEvent({ kind, id, payload }) {
  switch (kind) {
    case 'doorState':
      return { type: 'door-state', id, door: id, payload };
    case 'doorEvent':
      if (payload.type === 'access') return { type: 'access', id, door: id, gateway: payload.gateway, payload };
      return { type: gen.ALARM_KINDS.includes(payload.kind) ? 'alarm' : 'door', id, door: id, gateway: payload.gateway, payload };
    case 'deskOccupancy':
      return { type: 'desk', id, desk: id, payload };
    case 'gatewayStatus':
      return { type: 'gateway', id, gateway: id, payload };
    case 'deviceHealth':
      return { type: 'device', id, device: id, gateway: payload.gateway, payload };
    default:
      return null;
  }
}

/**
 * Node-RED's retained status (`service/automation/status`) as a message for the link: `online` on
 * connect, `offline` as the last will and on a clean stop. The services alert on a lasting offline.
 */
const automationStatus = (site, state, ts) =>
  gen.topics(site).message('serviceStatus', gen.AUTOMATION_SERVICE_ID, { v: gen.PAYLOAD_VERSION, ts, service: gen.AUTOMATION_SERVICE_ID, state });

module.exports = {
  TOPIC_ROOT: gen.TOPIC_ROOT,
  PAYLOAD_VERSION: gen.PAYLOAD_VERSION,
  ALARM_KINDS: gen.ALARM_KINDS,
  COMMAND_ACTIONS: gen.COMMAND_ACTIONS,
  isDeniedAttempt: gen.isDeniedAttempt,
  alertText: gen.alertText,
  ALERT_LANGUAGES: Object.keys(gen.ALERT_WORDS),
  Ingress: gen.Ingress,
  MqttLink: gen.MqttLink,
  parseTopic: gen.parseTopic,
  localWeekMinute: gen.localWeekMinute,
  withinWindows: gen.withinWindows,
  EVENT_TYPES,
  isId,
  siteFilter,
  toEvent,
  automationStatus,
};
