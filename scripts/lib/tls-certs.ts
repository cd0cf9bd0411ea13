// A private CA and a server certificate it signs for given addresses and names (subjectAltName),
// made with openssl the way the README tells a host to. Used by the network demo (its network
// broker's TLS, `npm run demo:network`) and the TLS tests (test/helpers/tls-certs.ts).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** `<name>.pem` and `<name>-key.pem` in `dir`: a self-signed CA (P-256). */
export function makeCa(dir: string, name: string, days = 30): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    String(days),
    '-subj',
    `/CN=${name}`,
    '-keyout',
    `${name}-key.pem`,
    '-out',
    `${name}.pem`,
  ]);
}

/** `server.pem` and `server-key.pem` in `dir`, signed by the CA `ca.pem` there, for `ips` and `dns`. */
export function makeServerCert(
  dir: string,
  { ips, dns, days = 30, cn = 'smartspace test' }: { ips: string[]; dns: string[]; days?: number; cn?: string },
): void {
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
    `/CN=${cn}`,
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
    String(days),
    '-extfile',
    'server.ext',
    '-out',
    'server.pem',
  ]);
}
