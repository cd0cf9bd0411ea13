// Topic ACLs per role (ARCHITECTURE.md, Security model): a gateway publishes only its own doors,
// desks and devices (health of its readers, locks, contacts, buttons and desk sensors; readings of
// its desk sensors) and reads only its own commands and access list. The bridge process publishes
// only the desks and sensors bridged from zigbee2mqtt / ESPHome, and reads nothing. Home Assistant reads the
// discovery configs and the state its entities point at (never door events, commands or access
// lists), publishes its birth message and LOCK/UNLOCK for the doors it may open. Pure functions of
// the site config; scripts/lib/mosquitto-config.ts writes the same rules for an external Mosquitto.
import { AUTOMATION_SERVICE_ID, parseTopic, topicPath, topics, TOPICS, type TopicKind } from '../../contracts/topics.ts';
import { haTopics, parseDoorSet } from '../../contracts/home-assistant.ts';
import { isBridged, type SiteConfig } from '../../config/schema.ts';
import type { Identity } from './identity.ts';

export interface TopicAcl {
  canPublish(id: Identity, topic: string): boolean;
  canSubscribe(id: Identity, filter: string): boolean;
  /** Per delivered message: the last word, also for messages matched by a wildcard filter. */
  canRead(id: Identity, topic: string): boolean;
}

/** Which gateway owns each device, by the config: the devices of its doors and desks. */
export interface DeviceOwners {
  /** Every device id (reader, lock, contact, exit button, desk sensor) → its gateway: `device/<id>/health`. */
  devices: Map<string, string>;
  /** Desk sensor ids → gateway: `sensor/<id>/reading`. */
  sensors: Map<string, string>;
  /** Devices that take commands (OSDP readers, to enrol) → gateway: `device/<id>/command` and `…/result`. */
  commandable: Map<string, string>;
  /** The bridge process's own: desks whose sensors are zigbee2mqtt / ESPHome, and those sensors. */
  bridged: { desks: Set<string>; sensors: Set<string> };
}

export function deviceOwners(config: SiteConfig): DeviceOwners {
  const devices = new Map<string, string>();
  const sensors = new Map<string, string>();
  const commandable = new Map<string, string>();
  const bridged = { desks: new Set<string>(), sensors: new Set<string>() };
  for (const d of config.doors) {
    for (const b of [d.reader, d.lock, d.contact, d.exitButton]) if (b) devices.set(b.id, d.gateway);
    if (d.reader.driver === 'osdp') commandable.set(d.reader.id, d.gateway);
  }
  for (const d of config.desks) {
    const all = [d.sensor, ...(d.extraSensors ?? [])];
    if (isBridged(d.sensor)) {
      bridged.desks.add(d.id);
      for (const b of all) bridged.sensors.add(b.id);
      continue;
    }
    for (const b of all) {
      devices.set(b.id, d.gateway);
      sensors.set(b.id, d.gateway);
    }
  }
  return { devices, sensors, commandable, bridged };
}

export function createTopicAcl(config: SiteConfig): TopicAcl {
  const t = topics(config.site.id);
  const prefix = `${t.root}/`;
  const doorGateway = new Map(config.doors.map((d) => [d.id, d.gateway]));
  const deskGateway = new Map(config.desks.filter((d) => !isBridged(d.sensor)).map((d) => [d.id, d.gateway]));
  const owners = deviceOwners(config);
  const site = config.site.id;
  const aclGroup = TOPICS.acl.group;
  const gatewayFilters = new Set([topicPath('serviceStatus', '+'), topicPath('doorCommand', '+')]);
  const ha = config.homeAssistant?.enabled ? config.homeAssistant : undefined;
  /** Home Assistant's discovery prefix with its slash, or null when the site has no Home Assistant. */
  const discovery = ha ? `${ha.discoveryPrefix}/` : null;
  const birth = ha ? `${ha.discoveryPrefix}/status` : null;
  const haRoot = `${haTopics(site).root}/`;
  const haUnlock = new Set(ha?.unlockDoors ?? []);
  const automationStatus = t.serviceStatus(AUTOMATION_SERVICE_ID);
  const underDiscovery = (topic: string) => discovery !== null && topic.startsWith(discovery);

  const parse = (topic: string) => {
    const p = parseTopic(topic);
    return p && p.site === site ? p : null;
  };

  function canPublish(id: Identity, topic: string): boolean {
    if (id.role === 'services') return topic.startsWith(prefix) || underDiscovery(topic);
    // Node-RED publishes only its own retained status (services/alerts/automation-watch.ts).
    if (id.role === 'automation') return topic === automationStatus;
    if (id.role === 'homeassistant') {
      if (!ha) return false;
      if (topic === birth) return true;
      const door = parseDoorSet(site, topic);
      return door !== null && haUnlock.has(door);
    }
    const p = parse(topic);
    if (!p) return false;
    if (id.role === 'bridge') {
      // Only the desks and sensors the bridge reads (driver zigbee2mqtt / esphome), never a gateway's.
      if (p.kind === 'deskOccupancy') return owners.bridged.desks.has(p.id);
      return (p.kind === 'sensorReading' || p.kind === 'deviceHealth') && owners.bridged.sensors.has(p.id);
    }
    switch (p.kind) {
      case 'gatewayStatus':
        return p.id === id.gateway;
      case 'doorState':
      case 'doorEvent':
        return doorGateway.get(p.id) === id.gateway;
      case 'deskOccupancy':
        return deskGateway.get(p.id) === id.gateway;
      case 'sensorReading':
        return owners.sensors.get(p.id) === id.gateway;
      case 'deviceHealth':
        return owners.devices.get(p.id) === id.gateway;
      case 'deviceCommandResult':
        return owners.commandable.get(p.id) === id.gateway;
      default:
        return false;
    }
  }

  function canRead(id: Identity, topic: string): boolean {
    if (id.role === 'services') return topic.startsWith(prefix) || underDiscovery(topic);
    if (id.role === 'homeassistant') {
      if (!ha) return false;
      if (underDiscovery(topic)) return true;
      if (topic.startsWith(haRoot)) return parseDoorSet(site, topic) === null;
      const p = parse(topic);
      return p !== null && HA_READS.has(p.kind);
    }
    if (id.role === 'automation') return topic.startsWith(prefix) && !topic.startsWith(`${prefix}${aclGroup}/`);
    if (id.role === 'bridge') return false;
    const p = parse(topic);
    if (!p) return false;
    if (p.kind === 'doorCommand') return doorGateway.get(p.id) === id.gateway;
    if (p.kind === 'deviceCommand') return owners.commandable.get(p.id) === id.gateway;
    if (p.kind === 'acl') return p.id === id.gateway;
    return p.kind === 'serviceStatus';
  }

  function canSubscribe(id: Identity, filter: string): boolean {
    // Home Assistant subscribes with wildcards under its prefix and the site's; each message is checked by canRead.
    if (id.role === 'homeassistant') return ha !== undefined && (underDiscovery(filter) || filter.startsWith(prefix));
    if (id.role === 'services' && underDiscovery(filter)) return true;
    if (!filter.startsWith(prefix)) return false;
    const rest = filter.slice(prefix.length);
    const wild = /(^|\/)[+#]($|\/)/.test(rest);
    if (id.role === 'services') return true;
    // Automation may use wildcards; acl messages are filtered per message by canRead.
    if (id.role === 'automation') return !rest.startsWith(`${aclGroup}/`) && rest !== aclGroup;
    if (id.role === 'bridge') return false;
    if (!wild) return canRead(id, filter);
    // The two wildcard filters a gateway may use; delivery is still checked per message.
    return gatewayFilters.has(rest);
  }

  /** The contract topics Home Assistant's entities read: state, not events, commands or access lists. */
  const HA_READS: ReadonlySet<TopicKind> = new Set(['gatewayStatus', 'serviceStatus', 'doorState', 'deskOccupancy', 'deviceHealth']);

  // Publish checks run once per message (readings: thousands a second) over a handful of
  // topics per device: remember the answers (the config does not change while we run).
  const published = new Map<string, boolean>();
  const cachedCanPublish = (id: Identity, topic: string): boolean => {
    const key = `${id.role === 'gateway' ? `g:${id.gateway}` : id.role}\u0000${topic}`;
    let ok = published.get(key);
    if (ok === undefined) {
      if (published.size >= 10_000) published.clear();
      published.set(key, (ok = canPublish(id, topic)));
    }
    return ok;
  };

  return { canPublish: cachedCanPublish, canSubscribe, canRead };
}
