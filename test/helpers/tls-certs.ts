// Certificates for the TLS tests (scripts/lib/tls-certs.ts): a private CA, a server certificate
// it signs for the given addresses and names, and an unrelated second CA.
// Spawns openssl: integration tier and up.
import { join } from 'node:path';
import { makeCa, makeServerCert } from '../../scripts/lib/tls-certs.ts';

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

/** A CA and a server certificate for `ips` and `dns` names, in `dir`. */
export function makeTestCerts(dir: string, { ips = ['127.0.0.1'], dns = ['localhost'] }: { ips?: string[]; dns?: string[] } = {}): TestCerts {
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  makeServerCert(dir, { ips, dns });
  return {
    dir,
    ca: join(dir, 'ca.pem'),
    cert: join(dir, 'server.pem'),
    key: join(dir, 'server-key.pem'),
    otherCa: join(dir, 'other-ca.pem'),
    otherKey: join(dir, 'other-ca-key.pem'),
  };
}
