// Home Assistant as it connects to the site's broker: the `homeassistant` login, discovery
// configs on subscribe, a lock it may open driven end to end through the signed command path,
// one it may not, access events without card or member ids, zone states, the birth message, and
// the removal of a door's entities after it leaves the config.
import { describe, it, expect, afterEach } from 'vitest';
import type { MqttClient } from 'mqtt';
import { discoveryMessages, haTopics } from '../../contracts/home-assistant.ts';
import { verify } from '../../contracts/signing.ts';
import type { DoorCommand } from '../../contracts/payloads.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startApp, bringOnline, publishJson, waitFor, accessEvent, type Running } from './helpers.ts';

interface Seen {
  topic: string;
  payload: string;
  retain: boolean;
}

let r: Running | undefined;
let site: TestSite | undefined;
afterEach(async () => {
  await r?.stop();
  r = undefined;
  site?.cleanup();
  site = undefined;
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function haSite(edit: (raw: Record<string, any>) => void = () => {}): Promise<TestSite> {
  return makeTestSite((raw) => {
    raw.services.http.port = 0;
    raw.services.mqtt.port = 0;
    raw.homeAssistant = { unlockDoors: ['front'] };
    edit(raw);
  });
}

async function homeAssistant(r: Running, filters: string[]): Promise<{ client: MqttClient; seen: Seen[] }> {
  const client = await r.connect('homeassistant', r.site.secrets.mqtt.homeassistant!);
  const seen: Seen[] = [];
  client.on('message', (topic, payload, packet) => seen.push({ topic, payload: payload.toString('utf8'), retain: packet.retain }));
  await client.subscribeAsync(filters, { qos: 1 });
  return { client, seen };
}

const configs = (seen: Seen[]) => seen.filter((m) => m.topic.startsWith('homeassistant/') && m.topic.endsWith('/config'));

describe('Home Assistant over MQTT', () => {
  it('announces every entity, unlocks only the door it may, and never sees a card or member id', async () => {
    site = await haSite();
    r = await startApp({ site });
    const expected = discoveryMessages(site.config, site.config.homeAssistant!, '0.0.0');
    const h = haTopics(site.config.site.id);
    const ha = await homeAssistant(r, ['homeassistant/#', `${r.t.root}/#`]);
    await waitFor(() => configs(ha.seen).length === expected.length, 5000);
    expect(new Set(configs(ha.seen).map((m) => m.topic))).toEqual(new Set(expected.map((m) => m.topic)));
    expect(configs(ha.seen).every((m) => m.retain)).toBe(true);

    // The gateway listens for its door commands.
    const gw = await bringOnline(r);
    const commands: DoorCommand[] = [];
    gw.on('message', (topic, payload) => {
      if (topic.endsWith('/command')) commands.push(JSON.parse(payload.toString('utf8')) as DoorCommand);
    });
    await gw.subscribeAsync([r.t.doorCommand('front'), r.t.doorCommand('meeting')], { qos: 1 });

    // Not Home Assistant's door: the broker refuses the publish (and drops that connection).
    const rogue = await r.connect('homeassistant', site.secrets.mqtt.homeassistant!);
    rogue.publish(h.doorSet('meeting'), 'UNLOCK', { qos: 0 });
    // Its own door: one signed unlock, audited as Home Assistant's.
    await ha.client.publishAsync(h.doorSet('front'), 'UNLOCK', { qos: 1 });
    const cmd = await waitFor(() => commands[0], 5000);
    expect(cmd).toMatchObject({ door: 'front', action: 'unlock' });
    expect(verify(cmd, site.secrets.gateways['gw-main']!.key)).toBe(true);
    await ha.client.publishAsync(h.doorSet('front'), 'LOCK', { qos: 1 });
    await waitFor(() => commands.length === 2, 5000);
    expect(commands.map((c) => [c.door, c.action])).toEqual([
      ['front', 'unlock'],
      ['front', 'lock'],
    ]);
    const audit = r.app.store.db.prepare("SELECT actor, action, target FROM audit WHERE actor = 'homeassistant' ORDER BY id").all();
    expect(audit).toEqual([
      { actor: 'homeassistant', action: 'door.unlock', target: 'front' },
      { actor: 'homeassistant', action: 'door.command', target: 'front' },
    ]);

    // An access decision: Home Assistant gets granted/denied and why, not the card or member.
    await publishJson(gw, r.t.doorEvent('front'), accessEvent({ member: 'jonas', fingerprint: 'f'.repeat(64) }));
    const ev = await waitFor(() => ha.seen.find((m) => m.topic === h.doorEvent('front')), 5000);
    expect(JSON.parse(ev.payload)).toEqual({ event_type: 'granted', reason: 'ok', via: 'card', offline: false });
    // A desk taken: the zone's free desks move.
    await publishJson(gw, r.t.deskOccupancy('d01'), { v: 1, ts: Date.now(), desk: 'd01', occupied: true, since: Date.now() }, true);
    const zone = site.config.desks.find((d) => d.id === 'd01')!.zone;
    await waitFor(() => ha.seen.some((m) => m.topic === h.zoneState(zone) && JSON.parse(m.payload).occupied === 1), 5000);
    // What it never reads: raw door events, commands, access lists, readings.
    const raw = ha.seen.filter((m) => /\/(event|command)$/.test(m.topic) && !m.topic.startsWith(`${h.root}/`));
    expect(raw).toEqual([]);
    expect(ha.seen.some((m) => m.topic.includes('/acl/'))).toBe(false);
    expect(JSON.stringify(ha.seen)).not.toContain('jonas');
  });

  it('announces again on Home Assistant birth, and clears the entities of a door that left the config', async () => {
    site = await haSite();
    r = await startApp({ site });
    const before = discoveryMessages(site.config, site.config.homeAssistant!, '0.0.0');
    const first = await homeAssistant(r, ['homeassistant/#']);
    await waitFor(() => configs(first.seen).length === before.length, 5000);
    await r.stop();

    // The meeting room door is taken out of the site.
    const config = {
      ...site.config,
      doors: site.config.doors.filter((d) => d.id !== 'meeting'),
      homeAssistant: { ...site.config.homeAssistant!, unlockDoors: ['front'] },
    };
    r = await startApp({ site: { ...site, config } });
    const ha = await homeAssistant(r, ['homeassistant/#']);
    ha.seen.length = 0;
    await ha.client.publishAsync('homeassistant/status', 'online');
    const gone = before.filter((m) => m.topic.includes('door_meeting_')).map((m) => m.topic);
    expect(gone.length).toBeGreaterThan(1);
    await waitFor(() => gone.every((t) => ha.seen.some((m) => m.topic === t && m.payload === '')), 5000);
    const now = discoveryMessages(config, config.homeAssistant, '0.0.0');
    await waitFor(() => now.every((x) => ha.seen.some((m) => m.topic === x.topic && m.payload !== '')), 5000);
  });

  it('has no homeassistant login unless the site enables it', async () => {
    r = await startApp();
    expect(r.site.secrets.mqtt.homeassistant).toBeUndefined();
    await expect(r.connect('homeassistant', 'x'.repeat(32))).rejects.toThrow();
  });
});
