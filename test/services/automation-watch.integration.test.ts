// Who watches the watcher (services/alerts/automation-watch.ts): Node-RED raises the door and
// gateway alerts, so when it is gone the services must say so themselves. On the real embedded
// broker: an automation client with Node-RED's last will (the contract's message, as the palette
// builds it) connects and says online; its TCP connection is then cut without DISCONNECT, the
// broker publishes the will, and after the grace the services raise `automation-offline`; when
// it is back online the alert is cleared. A short blip within the grace raises nothing, and a
// site whose Node-RED never spoke is never alerted.
import { afterEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { AlertView } from '../../contracts/api/index.ts';
import { AUTOMATION_SERVICE_ID } from '../../contracts/topics.ts';
import { PAYLOAD_VERSION } from '../../contracts/payloads.ts';
import { api, loginAs, startApp, waitFor, type Running } from './helpers.ts';

const status = (state: 'online' | 'offline') => JSON.stringify({ v: PAYLOAD_VERSION, ts: Date.now(), service: AUTOMATION_SERVICE_ID, state });

describe('the services alert when Node-RED (the automation) stays offline', () => {
  let r: Running | undefined;
  afterEach(async () => {
    await r?.stop();
    r = undefined;
  });

  const start = async (graceS: number) => {
    r = await startApp({ edit: (raw) => (raw.alerts = { ...(raw.alerts ?? {}), automationGraceS: graceS }) });
    return r;
  };
  /** Connects as Node-RED does: its last will is the offline status, then it says online. */
  const nodeRed = async (run: Running): Promise<MqttClient> => {
    const topic = run.t.serviceStatus(AUTOMATION_SERVICE_ID);
    const c = await run.connect('automation', run.site.secrets.mqtt.automation, {
      will: { topic, payload: Buffer.from(status('offline')), qos: 1, retain: true },
    });
    await c.publishAsync(topic, status('online'), { qos: 1, retain: true });
    return c;
  };
  /** Cuts the TCP connection with no DISCONNECT: the broker sends the will. */
  const cut = (c: MqttClient) => (c as unknown as { stream: { destroy(): void } }).stream.destroy();
  const automationAlerts = async (run: Running, host: string) =>
    (await api<AlertView[]>(run, 'GET', '/api/alerts?active=true', { cookie: host })).body.filter((a) => a.kind === 'automation-offline');

  it('raises automation-offline after the grace when its connection dies, and clears it when it is back', async () => {
    const run = await start(1);
    const host = await loginAs(run, 'mette');
    const c = await nodeRed(run);
    await new Promise((res) => setTimeout(res, 1500));
    expect(await automationAlerts(run, host)).toEqual([]);

    cut(c);
    const [alert] = await waitFor(async () => {
      const a = await automationAlerts(run, host);
      return a.length > 0 ? a : null;
    }, 10_000);
    expect(alert).toMatchObject({ kind: 'automation-offline', severity: 'critical', subject: 'site', clearedAt: null });

    await nodeRed(run);
    await waitFor(async () => (await automationAlerts(run, host)).length === 0, 10_000);
  });

  it('lets a restart within the grace pass without an alert, and says nothing for a site without Node-RED', async () => {
    const run = await start(3);
    const host = await loginAs(run, 'mette');
    const c = await nodeRed(run);
    cut(c);
    await new Promise((res) => setTimeout(res, 300));
    await nodeRed(run);
    await new Promise((res) => setTimeout(res, 4000));
    expect(await automationAlerts(run, host)).toEqual([]);
    const all = (await api<AlertView[]>(run, 'GET', '/api/alerts', { cookie: host })).body;
    expect(all.filter((a) => a.kind === 'automation-offline')).toEqual([]);
  });
});
