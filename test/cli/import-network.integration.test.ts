// `smartspace import` at a site in a network of spaces (issue 18): each imported card gets its
// network fingerprint, HMAC(network key, uid), as the seed and enrolment by tap already record
// it, so a member the host later makes a network member gets a visa without re-enrolling.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../cli/main.ts';
import type { CliIO } from '../../cli/command.ts';
import { openSiteStore } from '../../cli/site.ts';
import { networkFingerprint, newSigningKeyPair } from '../../contracts/signing.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';

const NET_KEY = 'network-key-shared-by-every-site';

function captureIO(cwd: string): CliIO & { text: () => string } {
  const lines: string[] = [];
  return { out: (l) => lines.push(l), err: (l) => lines.push(l), env: {}, cwd, text: () => lines.join('\n') };
}

let site: TestSite | undefined;
afterEach(() => {
  site?.cleanup();
  site = undefined;
});

describe('smartspace import at a networked site', () => {
  it('records each card’s network fingerprint, so the member’s cards can carry visas', async () => {
    const keys = newSigningKeyPair();
    site = await makeTestSite(
      (raw) => {
        raw.network = {
          id: 'vest',
          site: 'a',
          broker: { url: 'mqtts://net.example:8883', ca: 'ca.pem' },
          sites: [{ id: 'a', name: 'Site a', publicKey: keys.publicKey }],
          share: { visiting: true },
          visiting: { doors: ['front'] },
        };
      },
      { ports: false, externalBroker: true, secrets: { network: { key: NET_KEY, mqttPassword: 'site-a-network-password', signingKey: keys.privateKey } } },
    );
    writeFileSync(join(site.dir, 'members.csv'), 'navn;e-mail;kort\nAnna Berg;anna@example.org;04AABBCC01 04AABBCC02\n');
    const io = captureIO(site.dir);
    expect(await runCli(['import', 'members.csv', '--apply', '--config', site.configPath], io)).toBe(0);
    expect(io.text()).toContain('Added 1 members and 2 cards');
    const store = openSiteStore(site.config);
    try {
      const anna = store.members.withHashByEmail('anna@example.org')!.member;
      store.members.update(anna.id, { networkMember: true });
      expect(store.network.candidates().map((c) => c.fp)).toEqual([networkFingerprint(NET_KEY, '04AABBCC01'), networkFingerprint(NET_KEY, '04AABBCC02')]);
    } finally {
      store.close();
    }
  });
});
