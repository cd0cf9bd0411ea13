'use strict';
// smartspace-occupancy: how many desks are occupied in one zone (or the whole space), with
// "first in" (0 → 1) and "last out" (→ 0) as their own outputs. States read at start-up
// (retained messages) set the count but never fire first in or last out: they are not news.
// An input message asks for the current count (output 1).
const { connectionStatus, parseIdFilter } = require('../lib/node-util.js');

module.exports = function (RED) {
  function OccupancyNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const site = RED.nodes.getNode(config.site);
    let zone = null;
    let problem = site ? null : 'no site';
    try {
      zone = parseIdFilter(config.zone, 'zone');
    } catch (err) {
      problem = err.message;
    }
    if (!problem && zone && !site.zones.hasZone(zone)) problem = `unknown zone ${zone}`;

    const scope = zone ?? 'space';
    const message = (ts, retained, event) => {
      const payload = { ...site.zones.view(zone), ts };
      if (event) payload.event = event;
      return { topic: `occupancy/${scope}`, payload, ts, retained, ...(zone ? { zone } : {}) };
    };
    const countStatus = () => {
      const v = site.zones.view(zone);
      return { fill: 'green', shape: 'dot', text: `${v.occupied}${v.capacity == null ? '' : ` / ${v.capacity}`} in ${v.name}` };
    };

    let unregister = () => {};
    if (problem) {
      node.status({ fill: 'red', shape: 'ring', text: problem });
      node.error(problem);
    } else {
      unregister = site.register({
        onStatus: (c) => node.status(c.state === 'connected' ? countStatus() : connectionStatus(c)),
        onEvent: (event) => {
          const ch = event.type === 'desk' ? event.change : null;
          if (!ch || (zone && ch.zone !== zone)) return;
          const before = zone ? ch.zoneBefore : ch.totalBefore;
          const after = zone ? ch.zoneAfter : ch.totalAfter;
          if (before === after && !ch.unknownChanged) return;
          node.status(countStatus());
          const ts = event.payload.ts;
          const out = [message(ts, event.retained), null, null];
          if (!event.retained && before === 0 && after > 0) out[1] = message(ts, false, 'first-in');
          // A sensor going into fault is not someone leaving: no last out for an unknown desk.
          if (!event.retained && before > 0 && after === 0 && ch.occupied !== null) out[2] = message(ts, false, 'last-out');
          node.send(out);
        },
      });
    }

    node.on('input', (msg, send, done) => {
      if (problem) return done(new Error(`the occupancy node is not configured: ${problem}`));
      let z = zone;
      if (msg.zone !== undefined && msg.zone !== null && msg.zone !== '') {
        if (typeof msg.zone !== 'string' || !site.zones.hasZone(msg.zone)) return done(new TypeError(`msg.zone: unknown zone ${JSON.stringify(msg.zone)}`));
        z = msg.zone;
      }
      msg.topic = `occupancy/${z ?? 'space'}`;
      msg.payload = { ...site.zones.view(z), ts: site.now() };
      send([msg, null, null]);
      done();
    });

    node.on('close', (done) => {
      unregister();
      done();
    });
  }

  RED.nodes.registerType('smartspace-occupancy', OccupancyNode);
};
