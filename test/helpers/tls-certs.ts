// Certificates for the TLS tests, made with openssl the way the README tells a host to: a private
// CA, and a server certificate it signs for the given addresses and names (subjectAltName).
// Spawns openssl: integration tier and up.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';

export interface TestCerts {
  dir: string;
  /** The CA's certificate: what clients trust (`broker.ca`). */
  ca: string;
  cert: string;
  key: string;
  /** A second, unrelated CA: a client that trusts only this refuses `cert`. */
  otherCa: string;
  /** A private key that is not `cert`'s. */
  otherKey: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): void {
  openssl(
    dir,
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '30'].concat([
      '-subj',
      `/CN=${name}`,
      '-keyout',
      `${name}-key.pem`,
      '-out',
      `${name}.pem`,
    ]),
  );
}

/** A CA and a server certificate for `ips` and `dns` names, in `dir`. */
export function makeTestCerts(dir: string, { ips = ['127.0.0.1'], dns = ['localhost'] }: { ips?: string[]; dns?: string[] } = {}): TestCerts {
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  const san = [...ips.map((ip) => `IP:${ip}`), ...dns.map((d) => `DNS:${d}`)].join(',');
  writeFileSync(join(dir, 'server.ext'), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
  openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    '/CN=smartspace test',
    '-keyout',
    'server-key.pem',
    '-out',
    'server.csr',
  ]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca-key.pem',
    '-CAcreateserial',
    '-days',
    '30',
    '-extfile',
    'server.ext',
    '-out',
    'server.pem',
  ]);
  return {
    dir,
    ca: join(dir, 'ca.pem'),
    cert: join(dir, 'server.pem'),
    key: join(dir, 'server-key.pem'),
    otherCa: join(dir, 'other-ca.pem'),
    otherKey: join(dir, 'other-ca-key.pem'),
  };
}
