// TLS in the services: HTTPS with the site's certificate (HSTS, a Secure session cookie, MQTT over
// wss on the same port), the embedded broker's MQTT-over-TLS listener (a client that trusts the
// CA gets in, one that does not is refused and logged), and the certificate checks that name the
// config key.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { makeTestCerts, type TestCerts } from '../helpers/tls-certs.ts';
import { startApp, waitFor, DEMO, type Running } from './helpers.ts';
import { ConfigError } from '../../config/load.ts';
import { readCa, readServerTls } from '../../config/tls.ts';

let dir: string;
let certs: TestCerts;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'smartspace-tls-'));
  certs = makeTestCerts(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const running: Running[] = [];
const clients: MqttClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.end(true);
  for (const r of running.splice(0)) await r.stop();
});

/** A services app with TLS on HTTP and MQTT, logging into `lines`. */
async function tlsApp(lines: Record<string, unknown>[] = []): Promise<Running & { mqttsPort: number }> {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const r = await startApp({
    edit: (raw) => {
      raw.services.http.tls = { cert: certs.cert, key: certs.key };
      raw.services.mqtt.tls = { host: '127.0.0.1', port: 0, cert: certs.cert, key: certs.key };
    },
    app: { logger: pino({ level: 'info' }, sink) },
  });
  running.push(r);
  // listen() has run: asking again gives the same ports.
  const { mqttsPort } = await r.app.listen();
  return { ...r, mqttsPort };
}

function httpsPost(port: number, path: string, body: unknown, ca: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        ca: readCa(ca),
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

describe('HTTPS', () => {
  it('serves the API over TLS with HSTS and a Secure session cookie', async () => {
    const r = await tlsApp();
    const res = await httpsPost(r.httpPort, '/api/login', { email: DEMO.jonas.email, password: DEMO.jonas.password }, certs.ca);
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=15552000');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^ss_session=/);
    expect(cookie).toMatch(/; Secure/);
  });

  it('refuses plain HTTP on the TLS port', async () => {
    const r = await tlsApp();
    await expect(fetch(`http://127.0.0.1:${r.httpPort}/api/health`)).rejects.toThrow();
  });

  it('carries MQTT over wss on the HTTPS port', async () => {
    const r = await tlsApp();
    const c = await connectAsync(`wss://127.0.0.1:${r.httpPort}/mqtt`, {
      username: 'automation',
      password: r.site.secrets.mqtt.automation,
      protocolVersion: 4,
      reconnectPeriod: 0,
      ca: readCa(certs.ca),
    });
    clients.push(c);
    expect(c.connected).toBe(true);
  });
});

describe('MQTT over TLS', () => {
  it('lets a gateway that trusts the CA in', async () => {
    const r = await tlsApp();
    const c = await connectAsync(`mqtts://127.0.0.1:${r.mqttsPort}`, {
      username: 'gateway:gw-main',
      password: r.site.secrets.gateways['gw-main']!.mqttPassword,
      protocolVersion: 4,
      reconnectPeriod: 0,
      ca: readCa(certs.ca),
    });
    clients.push(c);
    await c.subscribeAsync(r.t.acl('gw-main'), { qos: 1 });
    expect(c.connected).toBe(true);
  });

  it('refuses a client that does not trust the certificate, logs it, and keeps serving', async () => {
    const lines: Record<string, unknown>[] = [];
    const r = await tlsApp(lines);
    const opts = { username: 'gateway:gw-main', password: r.site.secrets.gateways['gw-main']!.mqttPassword, protocolVersion: 4 as const, reconnectPeriod: 0 };
    const err = await connectAsync(`mqtts://127.0.0.1:${r.mqttsPort}`, { ...opts, ca: readCa(certs.otherCa) }).then(
      (c) => (clients.push(c), undefined),
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const refused = await waitFor(() => lines.find((l) => l.msg === 'mqtt tls handshake failed'));
    expect(refused.remote).toMatch(/127\.0\.0\.1/);
    const c = await connectAsync(`mqtts://127.0.0.1:${r.mqttsPort}`, { ...opts, ca: readCa(certs.ca) });
    clients.push(c);
    expect(c.connected).toBe(true);
  });

  it('keeps the plain listener for the services and loopback tools', async () => {
    const r = await tlsApp();
    expect(r.mqttsPort).toBeGreaterThan(0);
    expect(r.mqttsPort).not.toBe(r.mqttPort);
    const c = await r.gateway();
    expect(c.connected).toBe(true);
  });
});

describe('certificate files', () => {
  const files = () => ({ cert: certs.cert, key: certs.key });
  const problem = (f: () => unknown): ConfigError => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return err as ConfigError;
    }
    throw new Error('expected a ConfigError');
  };

  it('reads a matching certificate and key', () => {
    expect(readServerTls(files(), 'services.http.tls').leaf.subjectAltName).toContain('IP Address:127.0.0.1');
  });

  it('names the key of a missing file', () => {
    const e = problem(() => readServerTls({ ...files(), cert: join(dir, 'nope.pem') }, 'services.http.tls'));
    expect(e.key).toBe('services.http.tls.cert');
    expect(e.message).toContain('no such file');
  });

  it('names the key of a file that is not PEM', () => {
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate\n');
    expect(problem(() => readServerTls({ ...files(), key: junk }, 'services.mqtt.tls')).key).toBe('services.mqtt.tls.key');
    expect(problem(() => readCa(junk)).key).toBe('broker.ca');
  });

  it('names the key that does not belong to the certificate', () => {
    const e = problem(() => readServerTls({ ...files(), key: certs.otherKey }, 'services.http.tls'));
    expect(e.key).toBe('services.http.tls.key');
    expect(e.message).toContain('is not the key of the certificate');
  });

  it('stops the start with the ConfigError, and a bad reload keeps the certificate in use', async () => {
    const bad = startApp({ edit: (raw) => (raw.services.http.tls = { cert: certs.cert, key: certs.otherKey }) });
    await expect(bad).rejects.toMatchObject({ key: 'services.http.tls.key' });
    const r = await tlsApp();
    const copy = join(dir, 'reload-key.pem');
    expect(() => r.app.reloadTls()).not.toThrow();
    writeFileSync(copy, 'x');
    expect(problem(() => readServerTls({ cert: certs.cert, key: copy }, 'services.http.tls')).key).toBe('services.http.tls.key');
    const res = await httpsPost(r.httpPort, '/api/login', { email: DEMO.jonas.email, password: 'wrong' }, certs.ca);
    expect(res.status).toBe(401);
  });
});
