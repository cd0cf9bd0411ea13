// Home Assistant MQTT discovery (protocols.md §6): what the services announce under Home
// Assistant's discovery prefix, and the few topics that exist only for Home Assistant. Entities
// read the site's own retained state topics (door state, desk occupancy, gateway status, device
// health) through value templates, so nothing is published twice; what Home Assistant must not
// read raw (door events carry fingerprints and member ids) is republished without them, and
// commands come in on a topic of their own that the services check before they sign anything.
// Pure: the services publish these, the tests read them as Home Assistant would.
import { isBridged, type SiteConfig, type HomeAssistantConfig } from '../config/schema.ts';
import { topics, TOPIC_ROOT } from './topics.ts';
import { DEVICE_HEALTH_STATES } from './payloads.ts';

export const HA_PAYLOAD_LOCK = 'LOCK';
export const HA_PAYLOAD_UNLOCK = 'UNLOCK';
/** What Home Assistant publishes on `<prefix>/status` when its MQTT integration (re)connects. */
export const HA_BIRTH = 'online';
export const HA_EVENT_TYPES = ['granted', 'denied'] as const;

/** Topics under `smartspace/<site>/ha/` (six levels: outside the contract table on purpose). */
export function haTopics(site: string) {
  const root = `${topics(site).root}/ha`;
  return {
    root,
    /** Home Assistant → services: `LOCK` / `UNLOCK` for one door. */
    doorSet: (door: string) => `${root}/door/${door}/set`,
    doorSetWildcard: `${root}/door/+/set`,
    /** Services → Home Assistant: an access decision at a door, without card or member id. */
    doorEvent: (door: string) => `${root}/door/${door}/event`,
    /** Services → Home Assistant, retained: free desks and utilisation of a zone now. */
    zoneState: (zone: string) => `${root}/zone/${zone}/state`,
  } as const;
}

/** Parses `smartspace/<site>/ha/door/<id>/set`; null for any other topic. */
export function parseDoorSet(site: string, topic: string): string | null {
  const p = topic.split('/');
  return p.length === 6 && p[0] === TOPIC_ROOT && p[1] === site && p[2] === 'ha' && p[3] === 'door' && p[5] === 'set' ? p[4]! : null;
}

/** `ha/door/<id>/event`: Home Assistant's `event` entity payload. */
export interface HaDoorEvent {
  event_type: (typeof HA_EVENT_TYPES)[number];
  reason: string;
  via: string;
  offline: boolean;
  /** Only when the site enables names in Home Assistant. */
  member?: string;
}

/** `ha/zone/<id>/state` (retained). */
export interface HaZoneState {
  /** Desks known to be free (not those whose sensor cannot say). */
  free: number;
  occupied: number;
  /** Desks whose sensors are in fault or whose gateway is offline. */
  unknown: number;
  desks: number;
  /** Share of the zone's desks occupied now, percent. */
  utilisation: number;
}

export interface DiscoveryMessage {
  topic: string;
  payload: Record<string, unknown>;
}

/** Home Assistant's object and node ids allow letters, digits, `_` and `-` only (our ids also allow `.`). */
const haId = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, '_');

const BINARY = (expr: string) => `{% if ${expr} %}ON{% else %}OFF{% endif %}`;

/**
 * Every discovery config for the site, in a stable order. `version` goes into `origin`.
 * `ha` is the config with its defaults applied (loadSiteConfig does that).
 */
export function discoveryMessages(config: SiteConfig, ha: HomeAssistantConfig, version: string): DiscoveryMessage[] {
  const site = config.site.id;
  const t = topics(site);
  const h = haTopics(site);
  const node = haId(ha.nodeId ?? site);
  const uid = (...parts: string[]) => ['smartspace', site, ...parts].map(haId).join('_');
  const origin = { name: 'smartspace', sw_version: version, support_url: 'https://github.com/smartspace' };
  const services = { topic: t.serviceStatus('services'), value_template: '{{ value_json.state }}' };
  const gatewayAvail = (gw: string) => ({ topic: t.gatewayStatus(gw), value_template: '{{ value_json.state }}' });
  /** Both the services and the entity's gateway must be up for its state to mean anything. */
  const through = (gw: string) => ({ availability: [services, gatewayAvail(gw)], availability_mode: 'all' });
  const gatewayDevice = (gw: string) => ['smartspace', site, 'gateway', gw].map(haId).join('_');
  const out: DiscoveryMessage[] = [];
  const add = (component: string, objectId: string, payload: Record<string, unknown>) =>
    out.push({ topic: `${ha.discoveryPrefix}/${component}/${node}/${haId(objectId)}/config`, payload: { ...payload, origin } });

  if (ha.expose.gateways) {
    for (const g of config.gateways) {
      const device = { identifiers: [gatewayDevice(g.id)], name: g.name, manufacturer: 'smartspace', model: 'Gateway', sw_version: version };
      add('binary_sensor', `gateway_${g.id}_online`, {
        name: 'Online',
        unique_id: uid('gateway', g.id, 'online'),
        device_class: 'connectivity',
        entity_category: 'diagnostic',
        state_topic: t.gatewayStatus(g.id),
        value_template: BINARY("value_json.state == 'online'"),
        availability: [services],
        device,
      });
      add('sensor', `gateway_${g.id}_outbox`, {
        name: 'Outbox',
        unique_id: uid('gateway', g.id, 'outbox'),
        entity_category: 'diagnostic',
        state_class: 'measurement',
        unit_of_measurement: 'messages',
        icon: 'mdi:tray-full',
        state_topic: t.gatewayStatus(g.id),
        value_template: '{{ value_json.outboxDepth | default(0) }}',
        ...through(g.id),
        device,
      });
    }
  }

  if (ha.expose.doors) {
    for (const d of config.doors) {
      const device = {
        identifiers: [uid('door', d.id)],
        name: d.name,
        manufacturer: 'smartspace',
        model: 'Door',
        suggested_area: d.name,
        via_device: gatewayDevice(d.gateway),
      };
      const state = t.doorState(d.id);
      if (ha.unlockDoors.includes(d.id)) {
        add('lock', `door_${d.id}_lock`, {
          name: 'Lock',
          unique_id: uid('door', d.id, 'lock'),
          command_topic: h.doorSet(d.id),
          payload_lock: HA_PAYLOAD_LOCK,
          payload_unlock: HA_PAYLOAD_UNLOCK,
          state_topic: state,
          value_template: "{% if value_json.lock == 'unlocked' %}UNLOCKED{% else %}LOCKED{% endif %}",
          state_locked: 'LOCKED',
          state_unlocked: 'UNLOCKED',
          qos: 1,
          ...through(d.gateway),
          device,
        });
      } else {
        // Not Home Assistant's to open: the lock's state only (on = unlocked, as HA's lock class means).
        add('binary_sensor', `door_${d.id}_lock`, {
          name: 'Lock',
          unique_id: uid('door', d.id, 'lock'),
          device_class: 'lock',
          state_topic: state,
          value_template: BINARY("value_json.lock == 'unlocked'"),
          ...through(d.gateway),
          device,
        });
      }
      if (d.contact) {
        add('binary_sensor', `door_${d.id}_contact`, {
          name: 'Door',
          unique_id: uid('door', d.id, 'contact'),
          device_class: 'door',
          state_topic: state,
          value_template: "{% if value_json.contact == 'open' %}ON{% elif value_json.contact == 'closed' %}OFF{% else %}None{% endif %}",
          ...through(d.gateway),
          device,
        });
      }
      add('binary_sensor', `door_${d.id}_alarm`, {
        name: 'Alarm',
        unique_id: uid('door', d.id, 'alarm'),
        device_class: 'problem',
        state_topic: state,
        value_template: BINARY('value_json.alarms | length > 0'),
        json_attributes_topic: state,
        json_attributes_template: '{{ {"alarms": value_json.alarms} | tojson }}',
        ...through(d.gateway),
        device,
      });
      add('event', `door_${d.id}_access`, {
        name: 'Access',
        unique_id: uid('door', d.id, 'access'),
        state_topic: h.doorEvent(d.id),
        event_types: [...HA_EVENT_TYPES],
        availability: [services],
        device,
      });
    }
  }

  const zoneDevice = (zone: string) => {
    const z = config.zones.find((x) => x.id === zone);
    return { identifiers: [uid('zone', zone)], name: z?.name ?? zone, manufacturer: 'smartspace', model: 'Zone', suggested_area: z?.name ?? zone };
  };
  if (ha.expose.zones) {
    for (const z of config.zones) {
      const device = zoneDevice(z.id);
      add('sensor', `zone_${z.id}_free`, {
        name: 'Free desks',
        unique_id: uid('zone', z.id, 'free'),
        state_class: 'measurement',
        unit_of_measurement: 'desks',
        icon: 'mdi:desk',
        state_topic: h.zoneState(z.id),
        value_template: '{{ value_json.free }}',
        availability: [services],
        device,
      });
      add('sensor', `zone_${z.id}_utilisation`, {
        name: 'Utilisation',
        unique_id: uid('zone', z.id, 'utilisation'),
        state_class: 'measurement',
        unit_of_measurement: '%',
        icon: 'mdi:chart-donut',
        state_topic: h.zoneState(z.id),
        value_template: '{{ value_json.utilisation }}',
        availability: [services],
        device,
      });
    }
  }

  if (ha.expose.desks) {
    for (const d of config.desks) {
      add('binary_sensor', `desk_${d.id}_occupancy`, {
        name: d.name,
        unique_id: uid('desk', d.id, 'occupancy'),
        device_class: 'occupancy',
        state_topic: t.deskOccupancy(d.id),
        // A desk whose sensor cannot say is unknown to Home Assistant too, not free.
        value_template: '{% if value_json.occupied is sameas true %}ON{% elif value_json.occupied is sameas false %}OFF{% else %}None{% endif %}',
        // A bridged desk (zigbee2mqtt, ESPHome) does not depend on its nominal gateway.
        ...(isBridged(d.sensor) ? { availability: [services] } : through(d.gateway)),
        device: zoneDevice(d.zone),
      });
    }
  }

  if (ha.expose.devices) {
    const devices: Array<{ id: string; gateway: string | null; what: string }> = [];
    for (const d of config.doors) {
      for (const [b, what] of [
        [d.reader, 'reader'],
        [d.lock, 'lock'],
        [d.contact, 'contact'],
        [d.exitButton, 'exit button'],
      ] as const)
        if (b) devices.push({ id: b.id, gateway: d.gateway, what: `${d.name} ${what}` });
    }
    for (const d of config.desks)
      for (const b of [d.sensor, ...(d.extraSensors ?? [])]) devices.push({ id: b.id, gateway: d.gateway, what: `${d.name} sensor` });
    for (const dev of devices) {
      add('sensor', `device_${dev.id}_health`, {
        name: `${dev.what} health`,
        unique_id: uid('device', dev.id, 'health'),
        entity_category: 'diagnostic',
        device_class: 'enum',
        options: [...DEVICE_HEALTH_STATES],
        state_topic: t.deviceHealth(dev.id),
        value_template: '{{ value_json.state }}',
        json_attributes_topic: t.deviceHealth(dev.id),
        json_attributes_template: '{{ {"error": value_json.error | default(none), "dropped": value_json.dropped | default(0)} | tojson }}',
        ...(dev.gateway === null ? { availability: [services] } : through(dev.gateway)),
        device: { identifiers: [dev.gateway === null ? uid('bridge') : gatewayDevice(dev.gateway)], ...(dev.gateway === null && { name: 'Bridged sensors' }) },
      });
    }
  }
  return out;
}
