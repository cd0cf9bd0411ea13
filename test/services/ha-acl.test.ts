// The broker's rules for Home Assistant's login (services/broker/acl.ts), as pure functions.
import { describe, it, expect, afterEach } from 'vitest';
import { createTopicAcl } from '../../services/broker/acl.ts';
import { haTopics } from '../../contracts/home-assistant.ts';
import { topics } from '../../contracts/topics.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';

const HA = { role: 'homeassistant' } as const;
let site: TestSite | undefined;
afterEach(() => {
  site?.cleanup();
  site = undefined;
});

describe('Home Assistant topic rules', () => {
  it('reads discovery and state, commands only its doors, never events, commands or access lists', async () => {
    site = await makeTestSite((raw) => (raw.homeAssistant = { unlockDoors: ['front'] }), { ports: false });
    const acl = createTopicAcl(site.config);
    const t = topics(site.config.site.id);
    const h = haTopics(site.config.site.id);
    expect(acl.canPublish(HA, h.doorSet('front'))).toBe(true);
    expect(acl.canPublish(HA, h.doorSet('meeting'))).toBe(false);
    expect(acl.canPublish(HA, 'homeassistant/status')).toBe(true);
    expect(acl.canPublish(HA, 'homeassistant/lock/x/y/config')).toBe(false);
    expect(acl.canPublish(HA, t.doorCommand('front'))).toBe(false);
    expect(acl.canPublish(HA, t.doorState('front'))).toBe(false);
    for (const ok of [
      'homeassistant/lock/klitmoller/door_front_lock/config',
      t.doorState('front'),
      t.deskOccupancy('d01'),
      t.gatewayStatus('gw-main'),
      h.zoneState('open-space'),
      h.doorEvent('front'),
    ])
      expect([ok, acl.canRead(HA, ok)]).toEqual([ok, true]);
    for (const no of [t.doorEvent('front'), t.doorCommand('front'), t.acl('gw-main'), t.sensorReading('d01-pir'), h.doorSet('front'), 'other/topic'])
      expect([no, acl.canRead(HA, no)]).toEqual([no, false]);
    // The services announce under the prefix and hear the birth; a gateway does neither.
    expect(acl.canPublish({ role: 'services' }, 'homeassistant/lock/klitmoller/door_front_lock/config')).toBe(true);
    expect(acl.canRead({ role: 'services' }, 'homeassistant/status')).toBe(true);
    expect(acl.canPublish({ role: 'gateway', gateway: 'gw-main' }, 'homeassistant/lock/klitmoller/door_front_lock/config')).toBe(false);
  });

  it('gives the login nothing when the site has no Home Assistant', async () => {
    site = await makeTestSite(undefined, { ports: false });
    const acl = createTopicAcl(site.config);
    const t = topics(site.config.site.id);
    expect(acl.canRead(HA, t.doorState('front'))).toBe(false);
    expect(acl.canSubscribe(HA, `${t.root}/#`)).toBe(false);
    expect(acl.canPublish(HA, 'homeassistant/status')).toBe(false);
    expect(acl.canPublish({ role: 'services' }, 'homeassistant/lock/a/b/config')).toBe(false);
  });
});
