// smartspace check reads the site's certificate files the way the services and gateways will:
// a good pair is named with its subject and expiry, a key of another certificate or a broken CA
// file is a FAIL naming the config key. Spawns openssl (tls-certs helper): integration tier.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCertificates } from '../../cli/commands/check.ts';
import type { SiteConfig } from '../../config/schema.ts';
import { makeTestCerts } from '../helpers/tls-certs.ts';

function siteWith(http: Partial<SiteConfig['services']['http']>, ca?: string): SiteConfig {
  return {
    broker: { url: 'mqtts://10.0.0.1:8883', external: false, ...(ca ? { ca } : {}) },
    services: { http: { host: '0.0.0.0', port: 8443, ...http }, mqtt: { host: '127.0.0.1', port: 1883, wsPath: '/mqtt' } },
  } as unknown as SiteConfig;
}

describe('smartspace check: certificates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'check-tls-'));
  const certs = makeTestCerts(dir);

  it('a matching certificate and key: ok, with who it is for and until when', () => {
    const lines = checkCertificates(siteWith({ tls: { cert: certs.cert, key: certs.key } }, certs.ca));
    expect(lines.map((l) => l.level)).toEqual(['ok', 'ok']);
    expect(lines[0]!.what).toBe('tls: services.http.tls');
    expect(lines[0]!.detail).toMatch(/valid until \d{4}-/);
  });

  it('the key of another certificate, a CA file that is not PEM: FAIL naming the key', () => {
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate\n');
    const lines = checkCertificates(siteWith({ tls: { cert: certs.cert, key: certs.otherKey } }, junk));
    expect(lines.map((l) => [l.level, l.what])).toEqual([
      ['FAIL', 'tls: services.http.tls'],
      ['FAIL', 'tls: broker.ca'],
    ]);
    expect(lines[0]!.detail).toContain('services.http.tls.key');
  });

  it('a certificate about to expire is a warning, an expired one a FAIL', () => {
    const site = siteWith({ tls: { cert: certs.cert, key: certs.key } });
    const in25days = Date.now() + 25 * 86_400_000; // the test CA signs for 30 days
    expect(checkCertificates(site, in25days)[0]!.level).toBe('warn');
    expect(checkCertificates(site, Date.now() + 400 * 86_400_000)[0]!.level).toBe('FAIL');
  });
});
