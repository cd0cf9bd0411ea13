'use strict';
// smartspace-alert: a rule's last step. Takes events from a smartspace-events node, decides by
// its own thresholds (node properties, set in the node's form) and raises or clears the alert
// in the services' alert centre (POST /api/alerts with the automation token). The services
// store it, show it live to hosts and deliver it by e-mail, push and webhooks; Node-RED only
// decides. The output carries the alert as raised, in the site's alert language with the site's
// names (the settings' `language` and `names`): msg.title and msg.text are what the services'
// e-mail and push say (the same words, contracts/alert-words.ts), msg.payload both in one line.
const { clock } = require('../lib/node-util.js');
const { isDeniedAttempt, alertText } = require('../lib/contract.js');

/** What the node is set to watch; `door-alarm` raises the gateway's own alarm (forced-open, held-open). */
const RULES = ['capacity', 'held-open', 'door-alarm', 'denied', 'gateway-offline', 'rule-failed'];

const num = (v, fallback, min, max) => {
  const n = Number(v === '' || v === undefined || v === null ? fallback : v);
  return Number.isFinite(n) && n >= min && n <= max ? n : null;
};

module.exports = function (RED) {
  function AlertNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const site = RED.nodes.getNode(config.site);
    const rule = String(config.rule ?? '');
    const t = {
      percent: num(config.percent, 90, 1, 100),
      attempts: num(config.attempts, 3, 1, 1000),
      windowS: num(config.windowS, 60, 1, 86_400),
      afterS: num(config.afterS, rule === 'gateway-offline' ? 30 : 120, 0, 86_400),
    };
    let problem = null;
    if (!site) problem = 'no site';
    else if (!RULES.includes(rule)) problem = `unknown rule ${rule}`;
    else {
      const bad = Object.entries(t).find(([, v]) => v === null);
      if (bad) problem = `bad ${bad[0]}`;
      else if (!site.hasToken) problem = 'no automation token';
    }
    if (problem) node.status({ fill: 'red', shape: 'ring', text: problem });
    else node.status({});

    const timers = new Map();
    const raised = new Set();
    const denied = new Map();

    /** What the alert says (title and text) in the site's language, naming its door, zone or gateway as the site does. */
    const say = (body) => {
      const [what, id] = body.door ? ['door', body.door] : body.zone ? ['zone', body.zone] : body.gateway ? ['gateway', body.gateway] : ['site', 'site'];
      const view = { kind: body.kind, name: site.nameOf(what, id), detail: body.detail ?? {}, text: body.text ?? null, door: body.door ?? null };
      return alertText(view, site.language);
    };

    /** Posts to the alert centre, in order; the output carries the raise. A refusal turns the status red and goes to Catch nodes. */
    let queue = Promise.resolve();
    const post = (body, msg, send) => {
      const key = `${body.kind}|${body.door ?? body.zone ?? body.gateway ?? ''}`;
      // What this node raised is known at once (not when the services answer): a clear sent right after a raise is not lost.
      if (body.clear) {
        if (!raised.delete(key)) return;
      } else raised.add(key);
      const out = { ...msg, topic: `alert/${body.kind}`, alert: body };
      if (!body.clear) {
        const { title, body: text } = say(body);
        send(Object.assign(out, { payload: `${title}. ${text}`, title, text }));
      }
      queue = queue.then(async () => {
        try {
          const view = await site.services.raiseAlert(body);
          if (view?.id) out.alertId = view.id;
          node.status({ fill: body.clear ? 'grey' : 'yellow', shape: 'dot', text: `${body.clear ? 'cleared' : 'raised'} ${body.kind} ${clock(site.now())}` });
        } catch (err) {
          node.status({ fill: 'red', shape: 'ring', text: err.reason ?? err.message });
          node.error(`alert ${body.kind}: ${err.message}`, out);
        }
      });
    };

    const later = (key, afterS, fn) => {
      clearTimeout(timers.get(key));
      if (afterS === 0) return fn();
      timers.set(
        key,
        setTimeout(() => {
          timers.delete(key);
          fn();
        }, afterS * 1000),
      );
    };
    const cancel = (key) => {
      clearTimeout(timers.get(key));
      timers.delete(key);
    };

    node.on('input', (msg, send, done) => {
      if (problem && problem !== 'no automation token') return done(new Error(`the alert node is not configured: ${problem}`));
      const p = msg.payload ?? {};
      switch (rule) {
        case 'capacity': {
          const zone = msg.zone ?? p.zone;
          if (typeof p.occupied !== 'number' || typeof p.capacity !== 'number' || !p.capacity || !zone) break;
          const near = p.occupied >= Math.ceil((p.capacity * t.percent) / 100);
          const body = { kind: 'capacity', zone, detail: { occupied: p.occupied, capacity: p.capacity } };
          if (near) {
            if (!raised.has(`capacity|${zone}`)) post(body, msg, send);
          } else post({ kind: 'capacity', zone, clear: true }, msg, send);
          break;
        }
        case 'held-open': {
          const door = msg.door ?? p.door;
          if (!door) break;
          if (p.contact === 'open') {
            if (!timers.has(door) && !raised.has(`held-open|${door}`))
              later(door, t.afterS, () => post({ kind: 'held-open', door, detail: { openS: Math.round(t.afterS) } }, msg, send));
          } else if (p.contact === 'closed') {
            cancel(door);
            post({ kind: 'held-open', door, clear: true }, msg, send);
          }
          break;
        }
        case 'door-alarm': {
          const door = msg.door ?? p.door;
          if (door && (p.kind === 'forced-open' || p.kind === 'held-open')) post({ kind: p.kind, door }, msg, send);
          break;
        }
        case 'denied': {
          // Per door within the window of event time (msg.ts), so a burst a gateway delivers late still counts.
          const door = msg.door ?? p.door;
          const ts = typeof msg.ts === 'number' ? msg.ts : site.now();
          // Unknown cards and PINs only: a suspended member retrying their own card is named in the feed, not an attack.
          if (!door || !isDeniedAttempt(p)) break;
          const d = denied.get(door) ?? { times: [], alertedAt: null };
          const windowMs = t.windowS * 1000;
          d.times = d.times.filter((x) => ts - x < windowMs).concat(ts);
          const quiet = d.alertedAt !== null && ts - d.alertedAt < windowMs;
          denied.set(door, d);
          if (d.times.length < t.attempts || quiet) break;
          d.alertedAt = ts;
          // A new burst is a new alert: the last one is cleared first (a host may have acknowledged it).
          post({ kind: 'denied', door, clear: true }, msg, send);
          post({ kind: 'denied', door, detail: { attempts: d.times.length, windowS: Math.round(t.windowS) } }, msg, send);
          break;
        }
        case 'gateway-offline': {
          const gateway = msg.gateway ?? p.gateway;
          if (!gateway) break;
          if (p.state === 'offline') {
            if (!timers.has(gateway) && !raised.has(`gateway-offline|${gateway}`))
              later(gateway, t.afterS, () => post({ kind: 'gateway-offline', gateway }, msg, send));
          } else if (p.state === 'online') {
            cancel(gateway);
            post({ kind: 'gateway-offline', gateway, clear: true }, msg, send);
          }
          break;
        }
        case 'rule-failed': {
          const text = String(typeof msg.payload === 'string' ? msg.payload : (msg.error?.message ?? 'a rule failed')).slice(0, 300);
          // Each failure is shown once: the previous one is cleared (its row stays in the list).
          post({ kind: 'rule-failed', clear: true }, msg, send);
          post(
            { kind: 'rule-failed', text: [...text].map((c) => (c.charCodeAt(0) < 32 || (c.charCodeAt(0) >= 127 && c.charCodeAt(0) < 160) ? ' ' : c)).join('') },
            msg,
            send,
          );
          break;
        }
      }
      done();
    });

    node.on('close', (done) => {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      done();
    });
  }

  RED.nodes.registerType('smartspace-alert', AlertNode);
};
