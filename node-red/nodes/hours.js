'use strict';
// smartspace-hours: opening hours in the site's time zone. Output 1 is "open", output 2
// "closed". On its own it sends `open` / `closed` when the hours begin or end, and once at
// start-up, so a restart at 10:00 still holds the doors; a message sent into it comes out on
// the output for the time it judges, msg.now (epoch ms) when set, else the site's clock.
const { parseHours, isOpen, localLabel } = require('../lib/hours.js');

const STARTUP_DELAY_MS = 100;

module.exports = function (RED) {
  function HoursNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const site = RED.nodes.getNode(config.site);
    let windows = null;
    let problem = site ? null : 'no site';
    if (!problem) {
      try {
        windows = parseHours(config.hours);
      } catch (err) {
        problem = err.message;
      }
    }
    if (problem) {
      node.status({ fill: 'red', shape: 'ring', text: problem });
      node.error(problem);
    }

    const judge = (t) => {
      const open = isOpen(windows, site.timeZone, t);
      return { open, at: t, local: localLabel(t, site.timeZone), timeZone: site.timeZone };
    };
    const show = (h) =>
      node.status(h.open ? { fill: 'green', shape: 'dot', text: `open (${h.local})` } : { fill: 'blue', shape: 'ring', text: `closed (${h.local})` });

    let current = null;
    let timer = null;
    const tick = (force) => {
      const h = judge(site.now());
      show(h);
      if (!force && current === h.open) return;
      current = h.open;
      const msg = { topic: 'hours', payload: h.open ? 'open' : 'closed', hours: h };
      node.send(h.open ? [msg, null] : [null, msg]);
    };
    const schedule = () => {
      // Just after each minute of the site clock: windows have minute resolution.
      const delay = 60_000 - (site.now() % 60_000) + 50;
      timer = setTimeout(() => {
        tick(false);
        schedule();
      }, delay);
    };
    if (!problem) {
      timer = setTimeout(() => {
        if (config.startup !== false) tick(true);
        else {
          current = judge(site.now()).open;
          show(judge(site.now()));
        }
        schedule();
      }, STARTUP_DELAY_MS);
    }

    node.on('input', (msg, send, done) => {
      if (problem) return done(new Error(`the hours node is not configured: ${problem}`));
      if (msg.now !== undefined && !(typeof msg.now === 'number' && Number.isFinite(msg.now) && msg.now >= 0)) {
        return done(new TypeError(`msg.now: expected epoch milliseconds, got ${JSON.stringify(msg.now)}`));
      }
      msg.hours = judge(msg.now ?? site.now());
      send(msg.hours.open ? [msg, null] : [null, msg]);
      done();
    });

    node.on('close', (done) => {
      clearTimeout(timer);
      done();
    });
  }

  RED.nodes.registerType('smartspace-hours', HoursNode);
};
