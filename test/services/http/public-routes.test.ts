// The public availability page, its JSON and its widget (issue 16 part 2) through inject(): off by
// default and then as unknown as any path; on: CORS, the HTTP cache, no personal data, closures,
// the "not enough data yet" state, and a forecast made once an hour, never per request.
import { describe, it, expect, vi } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { httpApp, expectReply, T0 } from '../../helpers/http-app.ts';
import { topics } from '../../../contracts/topics.ts';
import { localDate } from '../../../contracts/local-time.ts';
import { occupancyPoint } from '../../../services/history/point.ts';
import type { PublicAvailability } from '../../../contracts/api/index.ts';

const on = { edit: (raw: Record<string, any>) => void (raw.public = { enabled: true }) }; // eslint-disable-line @typescript-eslint/no-explicit-any
const PATHS = ['/api/public/availability', '/public', '/public/widget.js'];

type H = Awaited<ReturnType<typeof httpApp>>;
const availability = async (h: H): Promise<PublicAvailability> => expectReply<PublicAvailability>('publicAvailability', await h.call('publicAvailability'));

/** An hour on: the next request starts a new forecast (answered with the old one); wait until it is out. */
async function nextForecast(h: H): Promise<PublicAvailability> {
  const before = (await availability(h)).forecast!.madeAt;
  h.clock.now += 3600_000;
  await vi.waitFor(async () => expect((await availability(h)).forecast!.madeAt).toBeGreaterThan(before), { timeout: 20_000, interval: 20 });
  return availability(h);
}

/** The gateway is online and its first desk reports free (the answer is remade after 6 s). */
function reportFreeDesk(h: H): void {
  h.presence.update({ v: 1, ts: h.clock.now, gateway: 'gw-main', state: 'online' }, h.clock.now);
  const d = h.config.desks[0]!;
  h.ingest.handle(topics(h.config.site.id).deskOccupancy(d.id), JSON.stringify({ v: 1, ts: h.clock.now, desk: d.id, occupied: false, since: h.clock.now }));
  h.clock.now += 6_000;
}

/** Every key of a JSON value, at any depth. */
const keysOf = (v: unknown): string[] =>
  Array.isArray(v) ? v.flatMap(keysOf) : v !== null && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...keysOf(x)]) : [];

describe('public availability, switched off (the default)', () => {
  it('answers every public path exactly as an unknown path', async () => {
    const h = await httpApp();
    for (const accept of ['*/*', 'text/html', 'application/json']) {
      for (const url of PATHS) {
        const unknown = await h.app.inject({ url: url.replace('public', 'no-such-thing'), headers: { accept } });
        const res = await h.app.inject({ url, headers: { accept } });
        expect([res.statusCode, res.body], `${url} ${accept}`).toEqual([unknown.statusCode, unknown.body]);
      }
    }
    expect((await h.app.inject({ url: '/api/public/availability' })).statusCode).toBe(404);
    expect((await h.app.inject({ url: '/public/widget.js' })).statusCode).toBe(404);
    expect((await h.app.inject({ url: '/public' })).statusCode).toBe(404);
  });
});

describe('public availability, switched on', () => {
  it('answers JSON to any origin without credentials, cached 30 s with an ETag and a 304', async () => {
    const h = await httpApp(on);
    const res = await h.app.inject({ url: '/api/public/availability', headers: { origin: 'https://kystkontor.example' } });
    const a = expectReply<PublicAvailability>('publicAvailability', res);
    expect(a.site.name).toBe(h.config.site.name);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['cache-control']).toBe('public, max-age=30');
    expect(res.headers['set-cookie']).toBeUndefined();
    const etag = String(res.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await h.app.inject({ url: '/api/public/availability', headers: { 'if-none-match': etag } });
    expect([again.statusCode, again.body, again.headers.etag]).toEqual([304, '', etag]);
    // A new render later keeps the ETag while nothing changed.
    h.clock.now += 10_000;
    expect((await h.app.inject({ url: '/api/public/availability', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    const head = await h.app.inject({ method: 'HEAD', url: '/api/public/availability' });
    expect([head.statusCode, head.headers.etag, head.body]).toEqual([200, etag, '']);
    const pre = await h.app.inject({ method: 'OPTIONS', url: '/api/public/availability', headers: { origin: 'https://x.example' } });
    expect([pre.statusCode, pre.headers['access-control-allow-methods'], pre.headers['access-control-allow-origin']]).toEqual([204, 'GET, OPTIONS', '*']);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
      expect((await h.app.inject({ method, url: '/api/public/availability' })).statusCode, method).toBe(404);
    }
  });

  it('ignores a session cookie: a host logged in gets the same answer as anyone', async () => {
    const h = await httpApp(on);
    const anon = await h.app.inject({ url: '/api/public/availability' });
    const cookie = await h.login('mette');
    const host = await h.app.inject({ url: '/api/public/availability', headers: { cookie } });
    expect(host.body).toBe(anon.body);
  });

  it('counts free desks per zone, and says a host is in only for an opted-in host, never who', async () => {
    const h = await httpApp(on);
    for (const id of ['mette', 'ida']) h.store.members.update(id, { presenceOptIn: false });
    h.presence.update({ v: 1, ts: h.clock.now, gateway: 'gw-main', state: 'online' }, h.clock.now);
    const t = topics(h.config.site.id);
    const [d1, d2] = h.config.desks;
    for (const d of [d1!, d2!])
      h.ingest.handle(t.deskOccupancy(d.id), JSON.stringify({ v: 1, ts: h.clock.now, desk: d.id, occupied: true, since: h.clock.now }));
    let a = expectReply<PublicAvailability>('publicAvailability', await h.call('publicAvailability'));
    const zone = a.zones.find((z) => z.id === d1!.zone)!;
    const inZone = h.config.desks.filter((d) => d.zone === d1!.zone).length;
    expect(zone).toMatchObject({ desks: inZone, unknown: inZone - 2, free: 0 });
    // Nobody opted in: the page says nothing about hosts.
    expect(a.hostIn).toBeNull();
    // Mette (host) opts in, then lets herself in.
    h.store.members.update('mette', { presenceOptIn: true });
    h.clock.now += 6_000;
    a = expectReply('publicAvailability', await h.call('publicAvailability'));
    expect(a.hostIn).toBe(false);
    h.doorEvent({ id: '0196a5e0-0000-7000-8000-0000000000a1', member: 'mette', ts: h.clock.now - 60_000 });
    // A member who opted in is no host.
    h.store.members.update('sofie', { presenceOptIn: true });
    h.clock.now += 6_000;
    a = expectReply('publicAvailability', await h.call('publicAvailability'));
    expect(a.hostIn).toBe(true);
    // After public.hostInHours (4 h), she is no longer counted as in.
    h.clock.now += 4 * 3600_000;
    expect(expectReply<PublicAvailability>('publicAvailability', await h.call('publicAvailability')).hostIn).toBe(false);
  });

  it('says the sensors are silent, not "0 free", when no desk has reported', async () => {
    const h = await httpApp(on);
    // No gateway has spoken: every desk is unknown, so none is offered as free, and the page must
    // not read as "full".
    const a = await availability(h);
    expect(a).toMatchObject({ free: 0, unknown: a.desks });
    expect(a.desks).toBeGreaterThan(0);
    for (const lang of ['da', 'en'] as const) {
      const page = await h.app.inject({ method: 'GET', url: `/public?lang=${lang}` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(lang === 'da' ? 'Pladsernes sensorer svarer ikke lige nu' : 'The desks’ sensors are not answering right now');
      expect(page.body).not.toContain('id="free"');
    }
    // One desk reports free: the others stay unknown, said beside the count.
    reportFreeDesk(h);
    const b = await availability(h);
    expect(b).toMatchObject({ free: 1, unknown: b.desks - 1 });
    const page = await h.app.inject({ method: 'GET', url: '/public?lang=da' });
    expect(page.body).toContain(`<strong id="free">1</strong> ledige pladser nu (af ${b.desks}; ${b.desks - 1} ukendt)`);
  });

  it('has no personal data in the JSON, the page or the widget', async () => {
    const h = await httpApp(on);
    h.store.members.update('mette', { presenceOptIn: true });
    h.store.members.update('sofie', { presenceOptIn: true });
    h.doorEvent({ id: '0196a5e0-0000-7000-8000-0000000000b1', member: 'mette', ts: h.clock.now - 60_000 });
    h.doorEvent({ id: '0196a5e0-0000-7000-8000-0000000000b2', member: 'sofie', ts: h.clock.now - 30_000 });
    const bodies = await Promise.all(
      ['/api/public/availability', '/public?lang=da', '/public?lang=en', '/public/widget.js'].map(async (url) => (await h.app.inject({ url })).body),
    );
    const { items } = h.store.members.list({ limit: 500, offset: 0 });
    expect(items.length).toBeGreaterThan(3);
    for (const m of items) {
      for (const body of bodies) {
        expect(body).not.toContain(m.email);
        expect(body).not.toContain(m.name);
        expect(body).not.toMatch(new RegExp(`\\b${m.id}\\b`));
      }
    }
    // Only these fields, ever: counts, hours, a yes/no, the forecast.
    const keys = new Set(keysOf(JSON.parse(bodies[0]!)));
    const allowed = [
      'site',
      'name',
      'timeZone',
      'at',
      'zones',
      'id',
      'desks',
      'free',
      'unknown',
      'today',
      'date',
      'day',
      'open',
      'from',
      'to',
      'openNow',
    ].concat(['closure', 'hostIn', 'forecast', 'madeAt', 'minSamples', 'cells', 'hour', 'samples', 'median', 'p25', 'p75']);
    expect([...keys].filter((k) => !allowed.includes(k))).toEqual([]);
  });

  it('respects a closure today: no open hours, closed now, the closure named', async () => {
    const h = await httpApp(on);
    const today = localDate(h.clock.now, h.config.site.timeZone);
    h.store.plans.insertClosure({ id: 'c1', name: 'Kristi himmelfart', from: today, to: today, plans: [] }, h.clock.now);
    const a = expectReply<PublicAvailability>('publicAvailability', await h.call('publicAvailability'));
    expect(a.today).toMatchObject({ date: today, open: [], openNow: false, closure: 'Kristi himmelfart' });
    const page = await h.app.inject({ url: '/public?lang=da' });
    expect(page.body).toContain('Lukket i dag');
    // A closure of one plan only does not close the space.
    const h2 = await httpApp(on);
    h2.store.plans.insertClosure({ id: 'c2', name: 'Team', from: today, to: today, plans: ['flex'] }, h2.clock.now);
    const b = expectReply<PublicAvailability>('publicAvailability', await h2.call('publicAvailability'));
    expect([b.today.openNow, b.today.closure, b.today.open.length > 0]).toEqual([true, null, true]);
  });

  it('says "not enough data yet" without history, and forecasts from three weeks of it', async () => {
    const h = await httpApp(on);
    const a = expectReply<PublicAvailability>('publicAvailability', await h.call('publicAvailability'));
    expect(a.forecast!.cells.length).toBeGreaterThan(0);
    expect(a.forecast!.cells.every((c) => c.median === null && c.samples === 0)).toBe(true);
    const page = await h.app.inject({ url: '/public', headers: { 'accept-language': 'da-DK,da;q=0.9,en;q=0.5' } });
    expect(page.body).toContain('Ikke nok data endnu');
    expect(page.headers['content-language']).toBe('da');

    // Three Wednesdays before T0 (a Wednesday) with one desk taken 10:00–11:00 local.
    const h2 = await httpApp(on);
    const desk = h2.config.desks[0]!;
    for (const w of [1, 2, 3]) {
      const start = T0 - w * 7 * 86_400_000 - 2 * 3600_000; // T0 is 12:00 Copenhagen: 10:00
      const pts = [
        occupancyPoint({ v: 1, desk: desk.id, occupied: false, since: start - 3600_000, ts: start - 3600_000 }, desk.zone),
        occupancyPoint({ v: 1, desk: desk.id, occupied: true, since: start, ts: start }, desk.zone),
        occupancyPoint({ v: 1, desk: desk.id, occupied: false, since: start + 3600_000, ts: start + 3600_000 }, desk.zone),
      ];
      await h2.history.write(pts);
    }
    const f = (await nextForecast(h2)).forecast!;
    const ten = f.cells.find((c) => c.day === 3 && c.hour === 10)!;
    // One desk of those with data: the only desk that reported, occupied the whole hour.
    expect(ten).toMatchObject({ samples: 3, median: 1, p25: 1, p75: 1 });
    // Free (known) for the rest of each week: Thursdays count as quiet, not as unknown.
    expect(f.cells.find((c) => c.day === 4 && c.hour === 10)).toMatchObject({ samples: 3, median: 0 });
  });

  it('makes the forecast once an hour, not per request', async () => {
    const h = await httpApp(on);
    const first = (await availability(h)).forecast!;
    for (let i = 0; i < 20; i++) {
      h.clock.now += 170_000;
      expect((await availability(h)).forecast!.madeAt).toBe(first.madeAt);
    }
    const next = (await nextForecast(h)).forecast!;
    expect(next.madeAt).toBeGreaterThanOrEqual(first.madeAt + 3600_000);
  });

  it('serves the page in Danish or English, gzipped, with a CSP that allows no script', async () => {
    const h = await httpApp(on);
    reportFreeDesk(h);
    const da = await h.app.inject({ url: '/public?lang=da', headers: { 'accept-encoding': 'gzip, br' } });
    expect(da.headers['content-encoding']).toBe('gzip');
    const html = gunzipSync(da.rawPayload).toString('utf8');
    expect(html).toContain('<html lang="da">');
    expect(html).toContain('ledige pladser nu');
    expect(html).not.toContain('<script');
    expect(String(da.headers['content-security-policy'])).toMatch(/^default-src 'none'; style-src 'sha256-/);
    const en = await h.app.inject({ url: '/public', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(en.body).toContain('free desks now');
    expect(String(en.headers.vary)).toContain('Accept-Language');
    const widget = await h.app.inject({ url: '/public/widget.js' });
    expect(widget.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(widget.headers['access-control-allow-origin']).toBe('*');
    expect(widget.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(widget.body).toContain("customElements.define('smartspace-availability'");
  });
});
