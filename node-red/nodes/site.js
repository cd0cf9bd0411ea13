'use strict';
// smartspace-site (config node): one site. Owns the shared MQTT connection (user `automation`,
// which may read everything under smartspace/<site>/ except access lists and publish nothing),
// turns contract messages into palette events for the events and occupancy nodes, keeps the
// zone counts, and holds the services client (automation token) for the door node.
// Any field left empty comes from the Node-RED settings (`smartspace: {…}`), which `npm start`
// fills from the site config and the secrets file; credentials entered in the editor are
// stored as Node-RED credentials (flows_cred.json, encrypted), never in flows.json. The site's
// alert language and the names of its doors, zones and gateways come only from the settings.
const { Ingress, MqttLink, parseTopic, siteFilter, toEvent, isId, ALERT_LANGUAGES, automationStatus } = require('../lib/contract.js');
const { ZoneTracker } = require('../lib/zones.js');
const { createServicesClient } = require('../lib/services-client.js');
const { isTimeZone } = require('../lib/hours.js');

/** Reconnect delays: from 1 s, doubling up to 30 s (the shared link's backoff). */
const BACKOFF = { minMs: 1000, maxMs: 30_000 };
/** The site's doors change with its config, not by the minute: "every door" reuses the list. */
const DOORS_TTL_MS = 5 * 60_000;

module.exports = function (RED) {
  function SiteNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const defaults = RED.settings.smartspace ?? {};
    const creds = node.credentials ?? {};
    const pick = (own, fallback) => (typeof own === 'string' && own.trim() !== '' ? own.trim() : fallback);

    node.siteId = pick(config.siteId, defaults.siteId);
    node.brokerUrl = pick(config.brokerUrl, defaults.brokerUrl);
    node.servicesUrl = pick(config.servicesUrl, defaults.servicesUrl);
    node.timeZone = pick(config.timeZone, defaults.timeZone) ?? 'Europe/Copenhagen';
    const mqttUser = pick(config.mqttUser, defaults.mqttUsername ?? 'automation');
    const mqttPassword = pick(creds.mqttPassword, defaults.mqttPassword);
    const token = pick(creds.token, defaults.automationToken);
    const clockOffsetMs = Number.isFinite(defaults.clockOffsetMs) ? defaults.clockOffsetMs : 0;

    /** The language of alert texts (config `alerts.language`); English without smartspace settings. */
    node.language = ALERT_LANGUAGES.includes(defaults.language) ? defaults.language : 'en';
    const names = defaults.names ?? {};
    /** The site's name of a door, zone or gateway (`what`), else its id: as the services name it in an alert. */
    node.nameOf = (what, id) => {
      const name = names[what] && Object.hasOwn(names[what], id) ? names[what][id] : null;
      return typeof name === 'string' && name !== '' ? name : id;
    };
    /** The site's clock: wall time, shifted when the settings set a test clock. */
    node.now = () => Date.now() + clockOffsetMs;
    node.zones = new ZoneTracker(defaults.layout);
    node.services = createServicesClient({ baseUrl: node.servicesUrl, token });
    node.hasToken = Boolean(token);
    let doors = null;
    /** Ids of the site's doors (GET /api/doors, kept for a few minutes). */
    node.doorIds = async () => {
      if (doors && Date.now() - doors.at < DOORS_TTL_MS) return doors.ids;
      const ids = (await node.services.doors()).map((d) => d.id);
      doors = { at: Date.now(), ids };
      return ids;
    };

    const problem = !isId(node.siteId)
      ? 'no site id'
      : !node.brokerUrl
        ? 'no broker URL'
        : !isTimeZone(node.timeZone)
          ? `unknown time zone ${node.timeZone}`
          : null;
    /** {state: connecting | connected | disconnected | misconfigured, reason} */
    node.connection = problem ? { state: 'misconfigured', reason: problem } : { state: 'disconnected', reason: 'not connected' };
    if (problem) node.warn(problem);

    const users = new Set();
    const lastState = new Map();
    let link = null;
    // The contract's own validation step: malformed payloads are dropped and counted per kind,
    // and warned about at most once per kind per 10 s (with how many were suppressed).
    const ingress = new Ingress({
      site: node.siteId ?? '',
      log: {
        warn: (o) =>
          node.warn(
            `ignored a malformed message on ${o.topic}: ${o.detail ?? (o.reason === 'not-json' ? 'not JSON' : o.reason)}${o.suppressed ? ` (and ${o.suppressed} more since the last warning)` : ''}`,
          ),
      },
    });
    node.rejectedCounts = () => ingress.rejectedCounts();

    let closing = false;
    const setConnection = (state, reason) => {
      if (closing || (node.connection.state === state && node.connection.reason === reason)) return;
      node.connection = { state, reason };
      if (state === 'connected') node.log(`connected to ${node.brokerUrl} as ${mqttUser}`);
      else if (state === 'disconnected') node.warn(reason);
      for (const u of users) u.onStatus?.(node.connection);
    };

    const dispatch = (event) => {
      for (const u of users) {
        try {
          u.onEvent?.(event);
        } catch (err) {
          node.error(`event handler failed: ${err.message}`);
        }
      }
    };

    const onMessage = (topic, buf, packet) => {
      const parsed = parseTopic(topic);
      if (!parsed || parsed.site !== node.siteId) return;
      const msg = ingress.accept(topic, buf);
      if (!msg) return;
      const payload = msg.payload;
      const event = toEvent(msg);
      if (!event) return;
      event.retained = Boolean(packet?.retain);
      if (event.type === 'desk') {
        event.zone = node.zones.zoneOf(event.desk);
        event.change = node.zones.update(event.desk, payload.occupied);
      }
      if (event.type === 'door-state' || event.type === 'desk' || event.type === 'gateway' || event.type === 'device') {
        lastState.set(`${event.type}/${event.id}`, event);
      }
      dispatch(event);
      if (event.type === 'desk' && event.change && event.zone !== null) {
        dispatch({
          type: 'occupancy',
          id: event.zone,
          zone: event.zone,
          retained: event.retained,
          payload: { ...node.zones.view(event.zone), ts: payload.ts },
        });
      }
    };

    // The shared MQTT link (contracts bundle → runtime/mqtt-link.ts): no-delay, backoff,
    // subscribes on every connection and reports a refusal.
    const connect = () => {
      if (link || problem) return;
      setConnection('connecting', `connecting to ${node.brokerUrl}`);
      link = new MqttLink({
        url: node.brokerUrl,
        // The site's private CA (broker.ca), when the broker is reached over TLS.
        ...(typeof defaults.brokerCa === 'string' ? { tls: { ca: defaults.brokerCa } } : {}),
        username: mqttUser,
        password: mqttPassword,
        clientId: `node-red-${node.siteId}-${Math.random().toString(36).slice(2, 8)}`,
        subscriptions: [siteFilter(node.siteId)],
        backoff: BACKOFF,
        connectTimeoutMs: 5000,
        // The services alert hosts when this stays offline (nobody else raises door alarms then).
        will: () => automationStatus(node.siteId, 'offline', node.now()),
      });
      link.on('subscribed', ({ refused }) => {
        if (refused.length > 0) setConnection('disconnected', 'subscription refused by the broker');
        else setConnection('connected', 'connected');
        link?.publish(automationStatus(node.siteId, 'online', node.now()), () => undefined);
      });
      link.on('message', onMessage);
      link.on('error', ({ err, during }) => {
        if (during !== 'connect') return;
        const refused = err.code === 4 || err.code === 5 || /not authori[sz]ed|bad user/i.test(err.message);
        setConnection(
          'disconnected',
          refused ? 'MQTT: bad username or password' : err.code === 'ECONNREFUSED' ? 'MQTT: broker unreachable' : `MQTT: ${err.code ?? err.message}`,
        );
      });
      link.on('down', () => setConnection('disconnected', 'MQTT: connection lost'));
      link.on('retry', () => {
        if (node.connection.state === 'connecting') setConnection('disconnected', 'MQTT: broker unreachable');
      });
      link.start();
    };

    /**
     * A node using the site's events: `onEvent(event)` for each event, `onStatus(connection)`
     * on each change of the connection. Returns the function that unregisters it.
     */
    node.register = (user) => {
      users.add(user);
      user.onStatus?.(node.connection);
      connect();
      return () => users.delete(user);
    };

    /** The last known state of every door, desk, gateway and device (for snapshots). */
    node.snapshot = () => [...lastState.values()];

    node.on('close', (done) => {
      closing = true;
      users.clear();
      node.services.close();
      const l = link;
      link = null;
      if (!l) return done();
      l.stop(automationStatus(node.siteId, 'offline', node.now())).then(
        () => done(),
        () => done(),
      );
    });
  }

  RED.nodes.registerType('smartspace-site', SiteNode, {
    credentials: {
      mqttPassword: { type: 'password' },
      token: { type: 'password' },
    },
  });
};
