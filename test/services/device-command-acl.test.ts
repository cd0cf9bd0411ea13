// The broker's rules for OSDP enrolment (services/broker/acl.ts): a gateway reads the commands of
// its own OSDP readers and publishes their results; nothing of another gateway's, nothing for a
// device that takes no commands; Mosquitto's generated ACL says the same.
import { afterEach, describe, expect, it } from 'vitest';
import { createTopicAcl } from '../../services/broker/acl.ts';
import { aclFile } from '../../scripts/lib/mosquitto-config.ts';
import { topics } from '../../contracts/topics.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';

let site: TestSite | undefined;
afterEach(() => {
  site?.cleanup();
  site = undefined;
});

describe('device command topics', () => {
  it('a gateway reads its OSDP readers’ commands and writes their results, and nothing else’s', async () => {
    site = await makeTestSite(
      (raw) => {
        const front = (raw.doors as Array<Record<string, any>>).find((d) => d.id === 'front')!; // eslint-disable-line @typescript-eslint/no-explicit-any
        front.reader = { driver: 'osdp', id: 'front-reader', path: '/dev/ttyUSB0', address: 1 };
      },
      { ports: false, externalBroker: true },
    );
    const acl = createTopicAcl(site.config);
    const t = topics(site.config.site.id);
    const main = { role: 'gateway', gateway: 'gw-main' } as const;
    const other = { role: 'gateway', gateway: 'gw-annex' } as const;
    expect(acl.canRead(main, t.deviceCommand('front-reader'))).toBe(true);
    expect(acl.canPublish(main, t.deviceCommandResult('front-reader'))).toBe(true);
    expect(acl.canSubscribe(main, t.deviceCommand('front-reader'))).toBe(true);
    expect(acl.canRead(other, t.deviceCommand('front-reader'))).toBe(false);
    expect(acl.canPublish(other, t.deviceCommandResult('front-reader'))).toBe(false);
    // A lock takes no device command: no topic for it.
    expect(acl.canRead(main, t.deviceCommand('front-lock'))).toBe(false);
    expect(acl.canPublish(main, t.deviceCommandResult('front-lock'))).toBe(false);
    // Only the services send commands.
    expect(acl.canPublish(main, t.deviceCommand('front-reader'))).toBe(false);
    expect(acl.canPublish({ role: 'automation' }, t.deviceCommand('front-reader'))).toBe(false);
    expect(acl.canPublish({ role: 'services' }, t.deviceCommand('front-reader'))).toBe(true);

    const lines = aclFile(site.config, site.secrets).split('\n');
    expect(lines).toContain(`topic read ${t.deviceCommand('front-reader')}`);
    expect(lines).toContain(`topic write ${t.deviceCommandResult('front-reader')}`);
    expect(lines).not.toContain(`topic read ${t.deviceCommand('front-lock')}`);
  });
});
