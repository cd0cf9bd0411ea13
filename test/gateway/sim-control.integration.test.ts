import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DriverFactory } from '../../gateway/drivers/factory.ts';
import { SimControlServer } from '../../gateway/sim/control-server.ts';
import type { SimCardReader } from '../../gateway/drivers/sim/sim-card-reader.ts';

describe('sim control API', () => {
  let factory: DriverFactory;
  let server: SimControlServer;
  let reads: string[];

  const call = async (method: string, path: string, body?: string) => {
    const res = await fetch(`http://${server.address}${path}`, {
      method,
      ...(body !== undefined && { body, headers: { 'content-type': 'application/json' } }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  beforeEach(async () => {
    factory = new DriverFactory();
    const reader = factory.reader({ driver: 'sim', id: 'front-reader' });
    factory.lock({ driver: 'sim', id: 'front-lock', failMode: 'secure' });
    factory.contact({ driver: 'sim', id: 'front-contact' });
    factory.exitButton({ driver: 'sim', id: 'front-exit' });
    factory.presence({ driver: 'sim', id: 'd01-pir' });
    const { readers, locks, contacts, buttons, sensors } = factory.sim;
    for (const m of [readers, locks, contacts, buttons, sensors]) for (const d of (m as Map<string, { start(): void }>).values()) d.start();
    reads = [];
    reader.on('card', (r) => reads.push(r.readerId));
    server = new SimControlServer(factory.sim, { host: '127.0.0.1', port: 0 });
    await server.start();
  });

  afterEach(async () => {
    await server.stop();
    await server.stop();
  });

  it('listens on loopback only', () => {
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('drives the simulated devices and reports their state', async () => {
    expect(await call('POST', '/sim/tap', JSON.stringify({ reader: 'front-reader', uid: '0400A1B2C3' }))).toEqual({ status: 200, body: { ok: true } });
    expect(reads).toEqual(['front-reader']);
    await call('POST', '/sim/contact', JSON.stringify({ contact: 'front-contact', open: true }));
    await call('POST', '/sim/exit', JSON.stringify({ button: 'front-exit' }));
    await call('POST', '/sim/presence', JSON.stringify({ sensor: 'd01-pir', present: true }));
    factory.sim.locks.get('front-lock')!.unlock();
    const { status, body } = await call('GET', '/sim/state');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      locks: { 'front-lock': { unlocked: true, operations: 1 } },
      contacts: { 'front-contact': { open: true } },
      sensors: { 'd01-pir': { present: true } },
      buttons: { 'front-exit': { presses: 1 } },
    });
  });

  it('answers bad input with 4xx {error, message}', async () => {
    const cases: Array<[string, string, string | undefined, number, string]> = [
      ['POST', '/sim/tap', '{"reader":', 400, 'bad-json'],
      ['POST', '/sim/tap', JSON.stringify({ reader: 'front-reader' }), 400, 'invalid-body'],
      ['POST', '/sim/tap', JSON.stringify({ reader: 'front-reader', uid: 'x y' }), 400, 'invalid-body'],
      ['POST', '/sim/tap', JSON.stringify({ reader: 'front-reader', uid: '01', extra: 1 }), 400, 'invalid-body'],
      ['POST', '/sim/contact', JSON.stringify({ contact: 'front-contact', open: 'yes' }), 400, 'invalid-body'],
      ['POST', '/sim/tap', JSON.stringify({ reader: 'back-reader', uid: '01' }), 404, 'unknown-device'],
      ['POST', '/sim/presence', JSON.stringify({ sensor: 'front-reader', present: true }), 404, 'unknown-device'],
      ['GET', '/sim/tap', undefined, 405, 'method-not-allowed'],
      ['POST', '/sim/state', '{}', 405, 'method-not-allowed'],
      ['GET', '/nope', undefined, 404, 'not-found'],
      ['POST', '/sim/tap', 'x'.repeat(5000), 413, 'body-too-large'],
    ];
    for (const [method, path, body, status, error] of cases) {
      const r = await call(method, path, body);
      expect({ path, body: body?.slice(0, 40), status: r.status, error: r.body.error }).toEqual({ path, body: body?.slice(0, 40), status, error });
      expect(typeof r.body.message).toBe('string');
    }
    expect(reads).toEqual([]);
  });

  it('POST /sim/fault puts any sim device into fault and out again; bad input is a 4xx', async () => {
    const reader = factory.sim.readers.get('front-reader')!;
    const health: string[] = [];
    reader.on('health', (h) => health.push(`${h.state}:${h.error ?? ''}`));
    expect(await call('POST', '/sim/fault', JSON.stringify({ device: 'front-reader', error: 'antenna unplugged' }))).toEqual({
      status: 200,
      body: { ok: true },
    });
    expect(reader.health()).toMatchObject({ state: 'fault', error: 'antenna unplugged', firmware: 'sim 1.0' });
    await call('POST', '/sim/fault', JSON.stringify({ device: 'd01-pir', error: 'radar silent' }));
    expect((await call('GET', '/sim/state')).body.faults).toEqual({ 'front-reader': 'antenna unplugged', 'd01-pir': 'radar silent' });
    // A faulty reader is only reported faulty: the simulated card still reads.
    await call('POST', '/sim/tap', JSON.stringify({ reader: 'front-reader', uid: '01' }));
    expect(reads).toEqual(['front-reader']);

    const cases: Array<[string, number, string]> = [
      ['{"device":', 400, 'bad-json'],
      [JSON.stringify({ device: 'front-reader' }), 400, 'invalid-body'],
      [JSON.stringify({ device: 'front-reader', error: 42 }), 400, 'invalid-body'],
      [JSON.stringify({ device: 'front-reader', error: '' }), 400, 'invalid-body'],
      [JSON.stringify({ device: 'front-reader', error: 'x'.repeat(201) }), 400, 'invalid-body'],
      [JSON.stringify({ device: 'front-reader', error: null, extra: true }), 400, 'invalid-body'],
      [JSON.stringify([]), 400, 'invalid-body'],
      [JSON.stringify({ device: 'back-reader', error: 'x' }), 404, 'unknown-device'],
    ];
    for (const [body, status, error] of cases) {
      const r = await call('POST', '/sim/fault', body);
      expect({ body, status: r.status, error: r.body.error }).toEqual({ body, status, error });
      expect(typeof r.body.message).toBe('string');
    }
    expect((await call('GET', '/sim/fault')).status).toBe(405);
    expect(reader.health().state).toBe('fault'); // nothing above changed it

    expect(await call('POST', '/sim/fault', JSON.stringify({ device: 'front-reader', error: null }))).toEqual({ status: 200, body: { ok: true } });
    expect(reader.health().state).toBe('ok');
    expect(health).toEqual(['fault:antenna unplugged', 'ok:']);
    expect((await call('GET', '/sim/state')).body.faults).toEqual({ 'd01-pir': 'radar silent' });
  });

  it('a stopped device answers 409', async () => {
    (factory.sim.readers.get('front-reader') as SimCardReader).stop();
    expect(await call('POST', '/sim/tap', JSON.stringify({ reader: 'front-reader', uid: '01' }))).toMatchObject({
      status: 409,
      body: { error: 'device-stopped' },
    });
  });
});
