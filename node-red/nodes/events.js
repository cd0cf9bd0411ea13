'use strict';
// smartspace-events: door, access, alarm, desk, occupancy, gateway and device events of one
// site, filtered by type, door and zone. An input message asks for a snapshot: the last known
// state of every door, desk, gateway, device and zone that passes the filter.
const { connectionStatus, clock, parseTypes, parseIdFilter, matches, eventMessage } = require('../lib/node-util.js');

module.exports = function (RED) {
  function EventsNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const site = RED.nodes.getNode(config.site);
    let filter;
    try {
      filter = { types: parseTypes(config.types), door: parseIdFilter(config.door, 'door'), zone: parseIdFilter(config.zone, 'zone') };
    } catch (err) {
      node.status({ fill: 'red', shape: 'ring', text: err.message });
      node.error(err.message);
    }
    if (!site) node.status({ fill: 'red', shape: 'ring', text: 'no site' });

    let unregister = () => {};
    if (site && filter) {
      unregister = site.register({
        onStatus: (c) => node.status(connectionStatus(c)),
        onEvent: (event) => {
          if (!matches(event, filter)) return;
          node.status({ fill: 'green', shape: 'dot', text: `${event.type} ${event.id} ${clock(site.now())}` });
          node.send(eventMessage(event));
        },
      });
    }

    node.on('input', (msg, send, done) => {
      if (!site || !filter) return done(new Error('the events node is not configured (site or filter)'));
      let f = filter;
      if (msg.filter !== undefined) {
        if (!msg.filter || typeof msg.filter !== 'object' || Array.isArray(msg.filter))
          return done(new TypeError('msg.filter: expected an object {types, door, zone}'));
        try {
          f = {
            types: msg.filter.types === undefined ? filter.types : parseTypes(msg.filter.types),
            door: msg.filter.door === undefined ? filter.door : parseIdFilter(msg.filter.door, 'msg.filter.door'),
            zone: msg.filter.zone === undefined ? filter.zone : parseIdFilter(msg.filter.zone, 'msg.filter.zone'),
          };
        } catch (err) {
          return done(err);
        }
      }
      const events = site.snapshot();
      for (const zone of site.zones.zones.keys()) {
        events.push({ type: 'occupancy', id: zone, zone, retained: true, payload: { ...site.zones.view(zone), ts: site.now() } });
      }
      const out = events.filter((e) => matches(e, f)).map((e) => ({ ...eventMessage(e), snapshot: true }));
      for (const m of out) send(m);
      done();
    });

    node.on('close', (done) => {
      unregister();
      done();
    });
  }

  RED.nodes.registerType('smartspace-events', EventsNode);
};
