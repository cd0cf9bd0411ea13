// Certificate files named by the site config, read by the process that uses them: the services
// read their server certificates (HTTPS, the MQTT TLS listener), gateways and Node-RED the CA
// they trust (`broker.ca`). Every failure is a ConfigError naming the key: a missing file, one
// that is not PEM, a key that does not belong to its certificate.
import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { ConfigError } from './load.ts';

/** What node:tls takes as `cert` and `key`. */
export interface ServerTls {
  cert: Buffer;
  key: Buffer;
  /** The leaf certificate, for log lines (subject, expiry). */
  leaf: X509Certificate;
}

function readPem(path: string, key: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new ConfigError(`${key}: cannot read ${path}: ${why}`, key, { cause: err });
  }
  if (!pem.toString('latin1').includes('-----BEGIN ')) throw new ConfigError(`${key}: ${path} is not a PEM file`, key);
  return pem;
}

function parseCert(pem: Buffer, path: string, key: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw new ConfigError(`${key}: ${path} holds no PEM certificate (${(err as Error).message})`, key, { cause: err });
  }
}

/** A certificate and its key (`prefix.cert`, `prefix.key` name them in errors). */
export function readServerTls(files: { cert: string; key: string }, prefix: string): ServerTls {
  const cert = readPem(files.cert, `${prefix}.cert`);
  const key = readPem(files.key, `${prefix}.key`);
  const leaf = parseCert(cert, files.cert, `${prefix}.cert`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    throw new ConfigError(`${prefix}.key: ${files.key} holds no usable private key (${(err as Error).message})`, `${prefix}.key`, { cause: err });
  }
  if (!leaf.checkPrivateKey(privateKey)) {
    throw new ConfigError(
      `${prefix}.key: ${files.key} is not the key of the certificate ${files.cert} (${leaf.subject.replace(/\n/g, ', ')})`,
      `${prefix}.key`,
    );
  }
  return { cert, key, leaf };
}

/** The CA certificate(s) a client trusts, from `broker.ca`. */
export function readCa(path: string, key = 'broker.ca'): Buffer {
  const pem = readPem(path, key);
  parseCert(pem, path, key);
  return pem;
}

/** One line about a certificate for the log: who it is for and until when. */
export function describeCert(leaf: X509Certificate): { subject: string; altNames: string | undefined; validTo: string } {
  return { subject: leaf.subject.replace(/\n/g, ', '), altNames: leaf.subjectAltName, validTo: new Date(leaf.validTo).toISOString() };
}
