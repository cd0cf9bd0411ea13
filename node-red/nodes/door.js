'use strict';
// smartspace-door: unlock, hold unlocked, release, lock or lockdown a door through the services
// API with the site's automation token. The services decide (role, door) and audit every call;
// the signed command reaches the gateway from them, never from Node-RED. A refusal turns the
// status red with the reason and ends the message with an error, so Catch nodes see it.
const { COMMAND_ACTIONS, isId } = require('../lib/contract.js');
const { clock } = require('../lib/node-util.js');

const ALL = '*';

module.exports = function (RED) {
  function DoorNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const site = RED.nodes.getNode(config.site);
    const fixedDoor = String(config.door ?? '').trim();
    const fixedAction = String(config.action ?? 'msg');
    let problem = null;
    if (!site) problem = 'no site';
    else if (fixedDoor && fixedDoor !== ALL && !isId(fixedDoor)) problem = `bad door id ${fixedDoor}`;
    else if (fixedAction !== 'msg' && !COMMAND_ACTIONS.includes(fixedAction)) problem = `unknown action ${fixedAction}`;
    else if (!site.hasToken) problem = 'no automation token';
    if (problem) node.status({ fill: 'red', shape: 'ring', text: problem });

    /** door and action for one message, or an Error saying what is wrong with it. */
    const resolve = (msg) => {
      const action = fixedAction === 'msg' ? (msg.action ?? msg.payload) : fixedAction;
      if (typeof action !== 'string' || !COMMAND_ACTIONS.includes(action)) {
        return new TypeError(
          `${fixedAction === 'msg' ? 'msg.payload' : 'action'}: expected one of ${COMMAND_ACTIONS.join(', ')}, got ${JSON.stringify(action)}`,
        );
      }
      const door = fixedDoor || msg.door;
      if (typeof door !== 'string' || (door !== ALL && !isId(door))) return new TypeError(`msg.door: expected a door id or "*", got ${JSON.stringify(door)}`);
      if (msg.reason !== undefined && (typeof msg.reason !== 'string' || msg.reason.length > 200))
        return new TypeError('msg.reason: expected a string of at most 200 characters');
      const reason = msg.reason || config.reason || `node-red: ${node.name || node.type}`;
      return { door, action, reason: reason.slice(0, 200) };
    };

    const one = async (door, action, reason) => {
      try {
        const r = await site.services.doorCommand(door, action, reason);
        return { door, action, commandId: r?.commandId, exp: r?.exp };
      } catch (err) {
        return { door, action, error: err.code ?? 'error', reason: err.reason ?? err.message, err };
      }
    };

    node.on('input', async (msg, send, done) => {
      if (problem && problem !== 'no automation token') return done(new Error(`the door node is not configured: ${problem}`));
      const r = resolve(msg);
      if (r instanceof Error) return done(r);
      const { door, action, reason } = r;
      node.status({ fill: 'yellow', shape: 'dot', text: `${action} ${door}…` });
      let results;
      if (door === ALL) {
        let doors;
        try {
          doors = await site.doorIds();
        } catch (err) {
          node.status({ fill: 'red', shape: 'ring', text: err.reason ?? err.message });
          return done(err);
        }
        results = await Promise.all(doors.map((d) => one(d, action, reason)));
      } else {
        results = [await one(door, action, reason)];
      }
      const failed = results.filter((x) => x.error);
      msg.payload = door === ALL ? results.map(({ err: _err, ...x }) => x) : (({ err: _err, ...x }) => x)(results[0]);
      if (failed.length === 0) {
        node.status({ fill: 'green', shape: 'dot', text: `${action} ${door === ALL ? `${results.length} doors` : door} ${clock(site.now())}` });
        send(msg);
        return done();
      }
      const first = failed[0];
      node.status({ fill: 'red', shape: 'ring', text: failed.length > 1 ? `${first.reason} (+${failed.length - 1})` : first.reason });
      // The doors that did take the command still go on; the error reaches Catch nodes.
      if (failed.length < results.length) send(msg);
      const err = new Error(`${action} ${first.door}: ${first.err?.message ?? first.reason}`);
      err.code = first.error;
      done(err);
    });

    node.on('close', (done) => done());
  }

  RED.nodes.registerType('smartspace-door', DoorNode);
};
