// Enrolment names a card so a host can match it to the card on the desk: the gateway sends the
// end of the card's number with the tap (never the whole number), the host names the card when
// confirming, and both are stored with the credential and shown in the member's card list. A real
// gateway (simulated hardware, in process) against the real services; everything on MQTT is read.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CredentialView, EnrolmentView } from '../../contracts/api/index.ts';
import { buildGateway, type Gateway } from '../../gateway/gateway.ts';
import { DB_FILE } from '../../services/db/store.ts';
import { SimClient } from '../../gateway/sim/sim-client.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startApp, loginAs, api, waitFor, type Running } from './helpers.ts';

const UID = '04CAFE0A01';

describe('enrolment: the card’s label and the end of its number', () => {
  let site: TestSite;
  let r: Running;
  let gw: Gateway | undefined;
  let host: string;
  const wire: string[] = [];

  beforeAll(async () => {
    site = await makeTestSite();
    r = await startApp({ site });
    host = await loginAs(r, 'mette');
    const spy = await r.connect('services', site.secrets.mqtt.services);
    spy.on('message', (topic, payload) => wire.push(`${topic} ${payload.toString()}`));
    await spy.subscribeAsync(`${r.t.root}/#`, { qos: 1 });
    gw = buildGateway(site.config, site.secrets, 'gw-main', { simControl: { host: '127.0.0.1', port: 0 }, backoff: { minMs: 100, maxMs: 400 } });
    await gw.start();
    await waitFor(() => gw!.link.connected && (gw!.status().aclVersion ?? 0) > 0, 8000);
  }, 30_000); // the services and a gateway, on 2 shared cores
  afterAll(async () => {
    await gw?.stop();
    await r.stop();
    site.cleanup();
  });

  it('stores the host’s label and the masked number; the full UID is on no topic and in no database file', async () => {
    const started = await api<EnrolmentView>(r, 'POST', '/api/enrolments', { cookie: host, body: { member: 'sofie', door: 'front' } });
    expect(started.status).toBe(201);
    const sim = new SimClient(`http://${gw!.simControlAddress()}`);
    await sim.tap('front-reader', UID);
    const tapped = await waitFor(async () => {
      const e = (await api<EnrolmentView>(r, 'GET', `/api/enrolments/${started.body.id}`, { cookie: host })).body;
      return e.status === 'tapped' ? e : undefined;
    }, 5000);
    expect(tapped.candidates).toEqual([{ id: expect.any(String), tail: expect.stringMatching(/^[0-9a-f]{6}$/), numberTail: '0A01', at: expect.any(Number) }]);

    const confirmed = await api<EnrolmentView>(r, 'POST', `/api/enrolments/${started.body.id}/confirm`, {
      cookie: host,
      body: { candidate: tapped.candidates[0]!.id, label: ' Blå  nøglebrik ' },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.credential).toMatchObject({ kind: 'card', label: 'Blå nøglebrik', numberTail: '0A01', status: 'live' });
    const cards = await api<CredentialView[]>(r, 'GET', '/api/members/sofie/credentials', { cookie: host });
    expect(cards.body.find((c) => c.id === confirmed.body.credential!.id)).toMatchObject({ label: 'Blå nøglebrik', numberTail: '0A01' });
    expect(r.app.db.prepare('SELECT label, number_tail FROM credentials WHERE id = ?').get(confirmed.body.credential!.id)).toEqual({
      label: 'Blå nøglebrik',
      number_tail: '0A01',
    });

    // Once bound, the card opens; the services' list has it, the tap's event carried only the tail.
    await waitFor(async () => {
      await sim.tap('front-reader', UID);
      return wire.some((w) => w.includes('"decision":"granted"') && w.includes('"member":"sofie"'));
    }, 8000);
    const tap = wire.find((w) => w.includes('"cardTail":"0A01"'));
    expect(tap).toContain('"reason":"unknown-credential"');
    expect(wire.length).toBeGreaterThan(5);
    for (const w of wire) expect(w.toUpperCase()).not.toContain(UID);
    r.app.db.pragma('wal_checkpoint(TRUNCATE)');
    const dir = site.config.services.dataDir;
    const files = readdirSync(dir).filter((f) => f === DB_FILE || f === `${DB_FILE}-wal`);
    expect(files).toContain(DB_FILE);
    for (const f of files) {
      const bytes = readFileSync(join(dir, f)).toString('latin1').toUpperCase();
      if (f === DB_FILE) expect(bytes).toContain('0A01'); // the tail is there: the search reads the right bytes
      expect(bytes, f).not.toContain(UID);
    }
  });
});
