// Every discovery config checked against Home Assistant's MQTT discovery rules (protocols.md §6,
// HA's docs for each platform): topic shape, required keys per component, device classes HA
// knows, unique ids, device and origin blocks, and that every topic an entity reads or writes is
// one the site actually has.
import { describe, it, expect, afterEach } from 'vitest';
import { discoveryMessages, haTopics, parseDoorSet, type DiscoveryMessage } from '../../contracts/home-assistant.ts';
import { parseTopic } from '../../contracts/topics.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';

// From HA's binary_sensor and sensor docs (the classes this code may use, and then some).
const BINARY_SENSOR_CLASSES = new Set(['battery', 'connectivity', 'door', 'lock', 'motion', 'occupancy', 'opening', 'presence', 'problem', 'safety', 'tamper']);
const SENSOR_CLASSES = new Set(['battery', 'enum', 'duration', 'signal_strength', 'timestamp', 'illuminance']);
const REQUIRED: Record<string, string[]> = {
  binary_sensor: ['state_topic'],
  sensor: ['state_topic'],
  lock: ['command_topic'],
  event: ['state_topic', 'event_types'],
};
const TOPIC_KEYS = ['state_topic', 'command_topic', 'json_attributes_topic'];

let site: TestSite | undefined;
afterEach(() => {
  site?.cleanup();
  site = undefined;
});

async function build(edit: (ha: Record<string, unknown>) => void = () => {}): Promise<{ msgs: DiscoveryMessage[]; site: TestSite }> {
  site = await makeTestSite((raw) => {
    const ha: Record<string, unknown> = { unlockDoors: ['front'] };
    edit(ha);
    raw.homeAssistant = ha;
  });
  return { msgs: discoveryMessages(site.config, site.config.homeAssistant!, '1.2.3'), site };
}

describe('Home Assistant discovery configs', () => {
  it('follow the discovery rules for every entity of the demo site', async () => {
    const { msgs, site } = await build();
    const siteId = site.config.site.id;
    const ha = haTopics(siteId);
    const known = (topic: string) => parseTopic(topic) !== null || topic.startsWith(`${ha.root}/`);
    const uniqueIds = new Set<string>();
    expect(msgs.length).toBeGreaterThan(10);
    for (const { topic, payload } of msgs) {
      const m = /^homeassistant\/(binary_sensor|sensor|lock|event)\/([A-Za-z0-9_-]+)\/([A-Za-z0-9_-]+)\/config$/.exec(topic);
      expect(m, topic).not.toBeNull();
      const component = m![1]!;
      expect(m![2]).toBe(siteId);
      for (const k of REQUIRED[component]!) expect(payload[k], `${topic}: ${k}`).toBeDefined();
      expect(typeof payload.name, topic).toBe('string');
      expect(typeof payload.unique_id, topic).toBe('string');
      expect(uniqueIds.has(payload.unique_id as string), `duplicate unique_id ${String(payload.unique_id)}`).toBe(false);
      uniqueIds.add(payload.unique_id as string);
      const device = payload.device as { identifiers?: string[] };
      expect(Array.isArray(device?.identifiers) && device.identifiers.length > 0, topic).toBe(true);
      expect((payload.origin as { name?: string }).name).toBe('smartspace');
      if (payload.device_class !== undefined) {
        const classes = component === 'binary_sensor' ? BINARY_SENSOR_CLASSES : SENSOR_CLASSES;
        expect(classes.has(payload.device_class as string), `${topic}: device_class ${JSON.stringify(payload.device_class)}`).toBe(true);
      }
      if (payload.entity_category !== undefined) expect(['diagnostic', 'config']).toContain(payload.entity_category);
      for (const k of TOPIC_KEYS) if (payload[k] !== undefined) expect(known(payload[k] as string), `${topic}: ${k} ${JSON.stringify(payload[k])}`).toBe(true);
      const avail = (payload.availability as Array<{ topic: string }> | undefined) ?? [];
      expect(avail.length, `${topic}: availability`).toBeGreaterThan(0);
      for (const a of avail) expect(parseTopic(a.topic)?.kind, a.topic).toMatch(/^(serviceStatus|gatewayStatus)$/);
      if (component === 'event') expect(payload.event_types).toEqual(['granted', 'denied']);
    }
    // Per door a lock (an entity HA may command only for the door it may open), an alarm and access events.
    const doors = site.config.doors.map((d) => d.id);
    for (const d of doors) {
      const kind = d === 'front' ? 'lock' : 'binary_sensor';
      expect(
        msgs.some((x) => x.topic === `homeassistant/${kind}/${siteId}/door_${d}_lock/config`),
        d,
      ).toBe(true);
      expect(
        msgs.some((x) => x.topic === `homeassistant/event/${siteId}/door_${d}_access/config`),
        d,
      ).toBe(true);
    }
    const lock = msgs.find((x) => x.topic.includes('/lock/'))!;
    expect(parseDoorSet(siteId, lock.payload.command_topic as string)).toBe('front');
    expect(msgs.filter((x) => x.topic.includes('/lock/'))).toHaveLength(1);
    // A desk per occupancy sensor, a zone's free desks and utilisation, a gateway's connectivity.
    for (const d of site.config.desks)
      expect(
        msgs.some((x) => x.payload.unique_id === `smartspace_${siteId}_desk_${d.id}_occupancy`),
        d.id,
      ).toBe(true);
    for (const z of site.config.zones) expect(msgs.filter((x) => x.payload.state_topic === ha.zoneState(z.id))).toHaveLength(2);
    expect(msgs.some((x) => x.payload.device_class === 'connectivity')).toBe(true);
    // No card, fingerprint or member topic anywhere: door events reach HA only through ha/door/<id>/event.
    expect(JSON.stringify(msgs)).not.toMatch(/"smartspace\/[^/]+\/door\/[^/]+\/(event|command)"|\/acl\/|fingerprint/);
  });

  it('announce only what the site chose, under its own prefix and node id', async () => {
    const { msgs } = await build((ha) => {
      ha.discoveryPrefix = 'hass';
      ha.nodeId = 'surf_space';
      ha.expose = { desks: false, devices: false, gateways: false };
    });
    expect(msgs.every((m) => m.topic.startsWith('hass/') && m.topic.split('/')[2] === 'surf_space')).toBe(true);
    expect(msgs.some((m) => m.topic.includes('_occupancy/'))).toBe(false);
    expect(msgs.some((m) => m.topic.includes('/device_'))).toBe(false);
    expect(msgs.some((m) => m.payload.device_class === 'connectivity')).toBe(false);
    expect(msgs.some((m) => m.topic.includes('_free/'))).toBe(true);
  });

  it('refuses an unlockDoors entry that is not a door, naming the key', async () => {
    await expect(makeTestSite((raw) => (raw.homeAssistant = { unlockDoors: ['front', 'garage'] }))).rejects.toThrow(
      /homeAssistant\.unlockDoors\[1\]: unknown door "garage"/,
    );
  });
});
