// Shared set-up for the palette's tests: node-red-node-test-helper (the real Node-RED runtime
// around the nodes), the palette and core node modules, the real aedes broker of the services
// with its credentials and ACLs, and MQTT clients that play a gateway.
import { createRequire } from 'node:module';
import { connectAsync, type MqttClient } from 'mqtt';
import { Broker } from '../../services/broker/broker.ts';
import { createLogger } from '../../runtime/log.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';

const require = createRequire(import.meta.url);

/** A running flow node as the tests see it (the helper's API is untyped). */
export interface FlowNode {
  id: string;
  status: { (s: unknown): void };
  receive(msg: Record<string, unknown>): void;
  on(event: string, fn: (arg: any) => void): void; // eslint-disable-line @typescript-eslint/no-explicit-any
  [k: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

interface TestHelper {
  init(nodeRedPath: string, settings?: Record<string, unknown>): void;
  settings(s: Record<string, unknown>): Record<string, unknown>;
  load(nodes: unknown[], flow: unknown[], credentials?: Record<string, unknown>): Promise<void>;
  unload(): Promise<void>;
  getNode(id: string): FlowNode;
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
}

export const helper = require('node-red-node-test-helper') as TestHelper;
helper.init(require.resolve('node-red'));
// The helper registers its own Catch module once per catch node in a flow, which fails for a
// flow with two (the shipped rules have several); tests pass `coreNodes.catch` instead.
delete (helper as unknown as { _nodeModules: Record<string, unknown> })._nodeModules.catch;

export const palette = {
  site: require('../../node-red/nodes/site.js') as unknown,
  events: require('../../node-red/nodes/events.js') as unknown,
  occupancy: require('../../node-red/nodes/occupancy.js') as unknown,
  door: require('../../node-red/nodes/door.js') as unknown,
  hours: require('../../node-red/nodes/hours.js') as unknown,
  alert: require('../../node-red/nodes/alert.js') as unknown,
};
export const allPalette = Object.values(palette);

const core = (p: string) => require(`@node-red/nodes/core/${p}`) as unknown;
export const coreNodes = {
  catch: core('common/25-catch.js'),
  debug: core('common/21-debug.js'),
  comment: core('common/90-comment.js'),
  link: core('common/60-link.js'),
  function: core('function/10-function.js'),
  switch: core('function/10-switch.js'),
  change: core('function/15-change.js'),
  trigger: core('function/89-trigger.js'),
  rbe: core('function/rbe.js'),
};

/**
 * A flow tab holding `nodes`: Node-RED treats a node without x/y as a config node, so each
 * gets a position. Config nodes (no `wires`) stay global.
 */
export function onTab(...nodes: Record<string, unknown>[]): Record<string, unknown>[] {
  return [
    { id: 'f1', type: 'tab', label: 'test' },
    ...nodes.map((n, i) => ('wires' in n || n.type === 'helper' ? { z: 'f1', x: 100, y: 40 * (i + 1), ...n } : n)),
  ];
}

/** Demo layout (zones and desks of the demo site), as settings.cjs gives it. */
export function layoutOf(site: TestSite) {
  return {
    zones: site.config.zones.map((z) => ({ id: z.id, name: z.name, ...(z.capacity ? { capacity: z.capacity } : {}) })),
    desks: Object.fromEntries(site.config.desks.map((d) => [d.id, d.zone])),
  };
}

/** The site's door, zone and gateway names by id, as settings.cjs gives them (what alerts say). */
export function namesOf(site: TestSite) {
  const byId = (items: Array<{ id: string; name: string }>) => Object.fromEntries(items.map((i) => [i.id, i.name]));
  return { door: byId(site.config.doors), zone: byId(site.config.zones), gateway: byId(site.config.gateways) };
}

export interface BrokerFixture {
  site: TestSite;
  url: string;
  broker: Broker;
  /** An MQTT client with a gateway's credentials (publishes what a gateway may). */
  gateway(id?: string): Promise<MqttClient>;
  stop(): Promise<void>;
}

/** The services' real broker (credentials, ACLs) on a free port, for a throw-away site. */
export async function startBroker(): Promise<BrokerFixture> {
  const site = await makeTestSite();
  const broker = new Broker({ config: site.config, secrets: site.secrets, log: createLogger('test-broker', 'silent') });
  await broker.start();
  const port = await broker.listen('127.0.0.1', 0);
  const url = `mqtt://127.0.0.1:${port}`;
  const clients: MqttClient[] = [];
  return {
    site,
    url,
    broker,
    async gateway(id = 'gw-main') {
      const c = await connectAsync(url, {
        username: `gateway:${id}`,
        password: site.secrets.gateways[id]!.mqttPassword,
        protocolVersion: 4,
        reconnectPeriod: 0,
      });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.end(true);
      await broker.close();
      site.cleanup();
    },
  };
}

/** Settings the site node reads (`smartspace`), as settings.cjs fills them. */
export function siteSettings(fx: BrokerFixture, extra: Record<string, unknown> = {}) {
  return {
    smartspace: {
      siteId: fx.site.config.site.id,
      timeZone: fx.site.config.site.timeZone,
      brokerUrl: fx.url,
      servicesUrl: 'http://127.0.0.1:9',
      mqttUsername: 'automation',
      mqttPassword: fx.site.secrets.mqtt.automation,
      automationToken: 'not-used-here',
      layout: layoutOf(fx.site),
      language: fx.site.config.alerts.language,
      names: namesOf(fx.site),
      ...extra,
    },
  };
}

/** Resolves with the next message a helper node receives (or rejects after `ms`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function nextInput(node: FlowNode, ms = 5000): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no message at ${node.id} within ${ms} ms`)), ms);
    node.on('input', (msg) => {
      clearTimeout(t);
      resolve(msg);
    });
  });
}

/** Collects every message a helper node receives. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function collect(node: FlowNode): Record<string, any>[] {
  const got: Record<string, any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  node.on('input', (msg) => got.push(msg));
  return got;
}

type Spied = { getCalls(): Array<{ thisValue: unknown; args: unknown[] }> };

/** Every status this node has shown, oldest first (the helper spies on Node.prototype.status). */
export function statuses(node: FlowNode): Array<{ fill?: string; shape?: string; text?: string }> {
  return (node.status as unknown as Spied)
    .getCalls()
    .filter((c) => c.thisValue === node)
    .map((c) => c.args[0] as { fill?: string; text?: string });
}

/** Waits until the node's last status call matches. */
export async function statusOf(node: FlowNode, match: (s: { fill?: string; text?: string }) => boolean, ms = 5000): Promise<{ fill?: string; text?: string }> {
  const until = Date.now() + ms;
  for (;;) {
    const last = statuses(node).at(-1);
    if (last && match(last)) return last;
    if (Date.now() > until) throw new Error(`status of ${node.id} never matched; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function until(fn: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
