// The alert centre, end to end on loopback: raised by the automation token, seen live by hosts,
// acknowledged (audited); delivered by e-mail to a real SMTP server (smtp-server), by webhook to
// an HTTP server that first fails, and by web push to a push endpoint that checks the VAPID JWT
// and decrypts the payload (RFC 8291); held back in a host's quiet hours.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createECDH, createPublicKey, hkdfSync, createDecipheriv, randomBytes, verify } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { AlertView, LiveMessage } from '../../contracts/api/index.ts';
import { freePort, makeTestSite, type TestSite } from '../helpers/site.ts';
import { api, loginAs, startApp, waitFor, type Running } from './helpers.ts';
import { openLive } from './sse.ts';

const SMTP_PASSWORD = 'smtp-secret-0123456789';

interface Mail {
  from: string;
  to: string[];
  raw: string;
  user: string | null;
  pass: string | null;
}

/** A real SMTP server on loopback (no TLS: nodemailer then sends AUTH only because we allow it). */
function startSmtp(port: number): Promise<{ server: SMTPServer; mails: Mail[] }> {
  const mails: Mail[] = [];
  const auths = new Map<string, { user: string; pass: string }>();
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, session, cb) {
      auths.set(session.id, { user: auth.username ?? '', pass: auth.password ?? '' });
      cb(null, { user: auth.username });
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const a = auths.get(session.id);
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: a?.user ?? null,
          pass: a?.pass ?? null,
        });
        cb();
      });
    },
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, mails })));
}

/** Decodes the RFC 2047 words of a header and a quoted-printable body, enough to read the mail. */
function decodeMail(raw: string): { headers: Record<string, string>; body: string } {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of head!.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line
      .slice(i + 1)
      .trim()
      .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64').toString('utf8')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            ).toString('utf8'),
      );
  }
  let body = rest.join('\r\n\r\n');
  if (/quoted-printable/i.test(headers['content-transfer-encoding'] ?? '')) {
    body = Buffer.from(
      body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  }
  return { headers, body };
}

interface Hit {
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** An HTTP server that records requests and answers with the next status of `statuses` (then 200/201). */
function startHttp(statuses: number[] = []): Promise<{ server: Server; hits: Hit[]; url: string }> {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.statusCode = statuses.shift() ?? 201;
      res.end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, hits, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

/** A browser's push subscription keys: a P-256 key pair and a 16-byte auth secret. */
function browserKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { ecdh, p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16) };
}

/** RFC 8291 + RFC 8188 (aes128gcm, one record): what the browser does with a push message. */
function decryptPush(body: Buffer, ua: ReturnType<typeof browserKeys>): string {
  const salt = body.subarray(0, 16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const shared = ua.ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ua.ecdh.getPublicKey(), asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, ua.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const plain = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02 and zero padding.
  return plain.subarray(0, plain.lastIndexOf(2)).toString('utf8');
}

/** The VAPID JWT (RFC 8292) is ES256 over the public key the services publish. */
function verifyVapid(authorization: string, publicKeyB64: string): Record<string, unknown> {
  const m = /^vapid t=([^,]+), k=(.+)$/.exec(authorization);
  if (!m) throw new Error(`not a vapid header: ${authorization}`);
  const [, jwt, k] = m;
  expect(k).toBe(publicKeyB64);
  const [h, p, sig] = jwt!.split('.');
  const raw = Buffer.from(publicKeyB64, 'base64url');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig!, 'base64url'));
  expect(ok).toBe(true);
  expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toMatchObject({ alg: 'ES256', typ: 'JWT' });
  return JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
}

const token = (r: Running) => r.site.secrets.automationToken!;
const raise = (r: Running, body: object) => api<AlertView | null>(r, 'POST', '/api/alerts', { token: token(r), body });
const alertsOf = async (r: Running, cookie: string) => (await api<AlertView[]>(r, 'GET', '/api/alerts', { cookie })).body;

let smtpPort: number;
let smtp: { server: SMTPServer; mails: Mail[] } | null = null;
let hook: Awaited<ReturnType<typeof startHttp>>;
let push: Awaited<ReturnType<typeof startHttp>>;
let site: TestSite;
let r: Running;
/** The services' clock: real time plus a jump (quiet hours). */
let jump = 0;

beforeAll(async () => {
  smtpPort = await freePort();
  // The webhook answers 500 first: the delivery must be retried.
  hook = await startHttp([500]);
  push = await startHttp();
  const made = await makeTestSite(
    (raw) => {
      raw.services.http.port = 0;
      raw.services.mqtt.port = 0;
      raw.alerts = {
        language: 'da',
        dashboardUrl: 'https://hus7.example/',
        email: { host: '127.0.0.1', port: smtpPort, user: 'alarm', from: 'Kystkontor <alarm@kystkontor.dk>' },
        webhooks: [{ id: 'chat', format: 'slack', kinds: ['forced-open'] }],
        retry: { firstMs: 50, maxMs: 200, attempts: 100 },
      };
      // The webhook's URL is a secret (it carries the token): the secrets file has it.
    },
    { secrets: (s) => (s.alerts.webhooks = { chat: { url: `${hook.url}/hooks/T0/B0` } }) },
  );
  site = { ...made, secrets: { ...made.secrets, alerts: { ...made.secrets.alerts, smtpPassword: SMTP_PASSWORD } } };
  r = await startApp({ site, app: { now: () => Date.now() + jump } });
  // Seeding hashes the demo's passwords (scrypt): slow on a busy machine.
}, 60_000);

afterAll(async () => {
  await r.stop();
  site.cleanup();
  await new Promise<void>((done) => (smtp ? smtp.server.close(done) : done()));
  hook.server.close();
  push.server.close();
});

afterEach(() => {
  jump = 0;
});

describe('alert centre', () => {
  it('raises from Node-RED’s token, shows live to hosts only, counts a repeat, acknowledges with an audit row, clears', async () => {
    const mette = await loginAs(r, 'mette');
    const jonas = await loginAs(r, 'jonas');
    const host = openLive(r.base, mette);
    const member = openLive(r.base, jonas);
    await Promise.all([host.ready, member.ready]);
    await waitFor(() => host.messages.length > 0 && member.messages.length > 0);

    const first = await raise(r, { kind: 'capacity', zone: 'open-space', detail: { occupied: 9, capacity: 10 } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      kind: 'capacity',
      severity: 'warning',
      subject: 'zone:open-space',
      name: 'Åbent kontor',
      count: 1,
      clearedAt: null,
      ackedAt: null,
    });
    const id = first.body!.id;
    const live = await waitFor(() => host.messages.find((m): m is Extract<LiveMessage, { type: 'alert' }> => m.type === 'alert' && m.alert.id === id));
    expect(live.alert.detail).toEqual({ occupied: 9, capacity: 10 });

    // Raised again while active: the same alert, counted; no second delivery.
    const again = await raise(r, { kind: 'capacity', zone: 'open-space', detail: { occupied: 10, capacity: 10 } });
    expect(again.body).toMatchObject({ id, count: 2, detail: { occupied: 10, capacity: 10 } });

    expect((await api(r, 'GET', '/api/alerts', { cookie: jonas })).status).toBe(403);
    expect((await api(r, 'POST', '/api/alerts', { cookie: mette, body: { kind: 'capacity' } })).status).toBe(403);
    expect((await raise(r, { kind: 'held-open', door: 'nowhere' })).body).toMatchObject({ error: 'unknown-door' });

    const acked = await api<AlertView>(r, 'POST', `/api/alerts/${id}/ack`, { cookie: mette });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ id, ackedByName: 'Mette Kjær' });
    expect(acked.body.ackedAt).toEqual(expect.any(Number));
    const metteId = acked.body.ackedBy!;
    await waitFor(() => host.messages.some((m) => m.type === 'alert' && m.alert.id === id && m.alert.ackedByName === 'Mette Kjær'));
    const audit = await api<{ items: { action: string; actor: string; target: string }[] }>(r, 'GET', '/api/audit?action=alert.', { cookie: mette });
    expect(audit.body.items.map((a) => [a.action, a.actor, a.target])).toEqual(
      expect.arrayContaining([
        ['alert.ack', metteId, String(id)],
        ['alert.raise', 'automation', String(id)],
      ]),
    );
    expect((await api(r, 'POST', '/api/alerts/999999/ack', { cookie: mette })).body).toMatchObject({ error: 'not-found' });

    const cleared = await raise(r, { kind: 'capacity', zone: 'open-space', clear: true });
    expect(cleared.body!.clearedAt).toEqual(expect.any(Number));
    expect((await alertsOf(r, mette)).find((a) => a.id === id)?.clearedAt).toEqual(expect.any(Number));
    expect((await api<AlertView[]>(r, 'GET', '/api/alerts?active=true', { cookie: mette })).body.some((a) => a.id === id)).toBe(false);
    // After a clear, the same condition is a new alert.
    const next = await raise(r, { kind: 'capacity', zone: 'open-space', detail: { occupied: 9, capacity: 10 } });
    expect(next.body!.id).not.toBe(id);
    await raise(r, { kind: 'capacity', zone: 'open-space', clear: true });

    // A host's snapshot carries the active alerts; a member's does not.
    const open = await raise(r, { kind: 'device-fault', gateway: 'gw-main' });
    const host2 = openLive(r.base, mette);
    const member2 = openLive(r.base, jonas);
    const snap = await waitFor(() => host2.messages.find((m) => m.type === 'snapshot'));
    const snapMember = await waitFor(() => member2.messages.find((m) => m.type === 'snapshot'));
    expect(snap.type === 'snapshot' && snap.alerts?.map((a) => a.id)).toContain(open.body!.id);
    expect(snapMember.type === 'snapshot' && snapMember.alerts).toBeUndefined();
    expect(member.messages.some((m) => m.type === 'alert')).toBe(false);
    await raise(r, { kind: 'device-fault', gateway: 'gw-main', clear: true });
    for (const s of [host, member, host2, member2]) s.close();
  });

  it('keeps an e-mail while SMTP is down and delivers it to the real server when it is back; webhook retried after a 500', async () => {
    const mette = await loginAs(r, 'mette');
    const res = await raise(r, { kind: 'gateway-offline', gateway: 'gw-main' });
    const id = res.body!.id;
    // SMTP is down: the e-mails fail and wait (visible), they are not dropped.
    const failing = await waitFor(async () => {
      const a = (await alertsOf(r, mette)).find((x) => x.id === id);
      const mails = a?.deliveries.filter((d) => d.channel === 'email') ?? [];
      return mails.length === 2 && mails.every((d) => d.state === 'pending' && d.attempts >= 2 && d.error) ? a : null;
    });
    expect(
      failing.deliveries
        .filter((d) => d.channel === 'email')
        .map((d) => d.target)
        .sort(),
    ).toEqual(['Ida Thomsen', 'Mette Kjær']);
    expect(JSON.stringify(failing.deliveries)).not.toContain(SMTP_PASSWORD);
    // The webhook takes only forced-open: none for a gateway.
    expect(failing.deliveries.some((d) => d.channel === 'webhook')).toBe(false);

    smtp = await startSmtp(smtpPort);
    const isOffline = (m: Mail) => decodeMail(m.raw).headers.subject === 'Gateway Pi i skabet svarer ikke';
    await waitFor(() => smtp!.mails.filter(isOffline).length === 2, 5000);
    const toMette = smtp.mails.find((m) => isOffline(m) && m.to.includes('mette@kystkontor.dk'))!;
    expect(toMette.from).toBe('alarm@kystkontor.dk');
    expect([toMette.user, toMette.pass]).toEqual(['alarm', SMTP_PASSWORD]);
    const mail = decodeMail(toMette.raw);
    expect(mail.headers.subject).toBe('Gateway Pi i skabet svarer ikke');
    expect(mail.body).toContain('Har den stadig strøm, afgør dørene selv ud fra deres sidste adgangsliste.');
    expect(mail.body).toContain('fail-secure-låse låst');
    expect(mail.body).not.toMatch(/virker stadig/);
    expect(mail.body).toContain('https://hus7.example/');
    const sent = await waitFor(async () => {
      const a = (await alertsOf(r, mette)).find((x) => x.id === id);
      return a?.deliveries.every((d) => d.state === 'sent') ? a : null;
    });
    expect(sent.deliveries.every((d) => d.error === null)).toBe(true);
    await raise(r, { kind: 'gateway-offline', gateway: 'gw-main', clear: true });

    // Webhook, Slack format: the first POST answered 500, the retry went through.
    const forced = await raise(r, { kind: 'forced-open', door: 'front' });
    await waitFor(() => hook.hits.length >= 2);
    expect(hook.hits.map((h) => h.url)).toEqual(['/hooks/T0/B0', '/hooks/T0/B0']);
    expect(hook.hits[1]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(hook.hits[1]!.body.toString())).toEqual({
      text: '*Hoveddør blev brudt op*\nDen blev åbnet, mens den var låst. Tjek døren, og hvem der kom ind.\nhttps://hus7.example/',
    });
    const delivered = await waitFor(async () => {
      const d = (await alertsOf(r, mette)).find((x) => x.id === forced.body!.id)?.deliveries.find((x) => x.channel === 'webhook');
      return d?.state === 'sent' ? d : null;
    });
    expect(delivered).toMatchObject({ target: 'chat', attempts: 2, error: null });
    await raise(r, { kind: 'forced-open', door: 'front', clear: true });
  });

  it('sends web push to a subscribed phone: VAPID JWT signed with the published key, payload encrypted for that phone', async () => {
    const ida = await loginAs(r, 'ida');
    const key = await api<{ publicKey: string }>(r, 'GET', '/api/alerts/push-key', { cookie: ida });
    expect(key.body.publicKey).toBe(r.site.secrets.alerts!.vapidPublicKey);
    const phone = browserKeys();
    const sub = await api(r, 'PUT', '/api/me/push', {
      cookie: ida,
      body: { endpoint: `${push.url}/push/ida-phone`, keys: { p256dh: phone.p256dh, auth: phone.auth.toString('base64url') } },
    });
    expect(sub.status).toBe(204);
    // Only push for Ida: no e-mail.
    expect((await api(r, 'PUT', '/api/me/alert-prefs', { cookie: ida, body: { kinds: ['held-open'], channels: ['push'], quiet: null } })).status).toBe(200);

    const held = await raise(r, { kind: 'held-open', door: 'meeting', detail: { openS: 180 } });
    const hit = await waitFor(() => push.hits.find((h) => h.url === '/push/ida-phone'));
    expect(hit.headers['content-encoding']).toBe('aes128gcm');
    expect(Number(hit.headers.ttl)).toBeGreaterThan(0);
    expect(hit.headers.urgency).toBe('normal');
    const claims = verifyVapid(String(hit.headers.authorization), key.body.publicKey);
    expect(claims.aud).toBe(push.url);
    expect(claims.sub).toBe('mailto:alarm@kystkontor.dk');
    expect(JSON.parse(decryptPush(hit.body, phone))).toEqual({
      title: 'Mødelokale holdes åben for længe',
      body: 'Åben i 3 min. Luk døren, eller tjek hvorfor den står åben.',
      id: held.body!.id,
      kind: 'held-open',
      severity: 'warning',
      url: 'https://hus7.example/',
    });
    await raise(r, { kind: 'held-open', door: 'meeting', clear: true });
  });

  it('holds warnings back in a host’s quiet hours and sends them when the quiet ends; critical ones go at once', async () => {
    const mette = await loginAs(r, 'mette');
    // Quiet from an hour ago to an hour from now, site time.
    const hhmm = (ms: number) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
    const quiet = { start: hhmm(Date.now() - 3600_000), end: hhmm(Date.now() + 3600_000) };
    await api(r, 'PUT', '/api/me/alert-prefs', { cookie: mette, body: { kinds: ['denied', 'forced-open'], channels: ['email'], quiet } });
    expect((await api(r, 'GET', '/api/me/alert-prefs', { cookie: mette })).body).toEqual({ kinds: ['denied', 'forced-open'], channels: ['email'], quiet });
    // The earlier tests' deliveries (sent under the old choices) are done before we count.
    await r.app.alerts.idle();
    const before = smtp!.mails.length;

    const denied = await raise(r, { kind: 'denied', door: 'front', detail: { attempts: 3, windowS: 60 } });
    const forced = await raise(r, { kind: 'forced-open', door: 'meeting' });
    await waitFor(() => smtp!.mails.length > before);
    await r.app.alerts.idle();
    const list = await alertsOf(r, mette);
    const mailOf = (id: number) => list.find((a) => a.id === id)!.deliveries.find((d) => d.channel === 'email' && d.target === 'Mette Kjær');
    expect(mailOf(denied.body!.id)).toMatchObject({ state: 'held', attempts: 0 });
    expect(mailOf(forced.body!.id)).toMatchObject({ state: 'sent' });
    // Mette's mail only: the operator's own choices (every kind) may still be delivering the earlier tests' alerts.
    const toMette = (m: Mail) => (decodeMail(m.raw).headers.to ?? '').includes('mette@kystkontor.dk');
    const subjects = smtp!.mails
      .slice(before)
      .filter(toMette)
      .map((m) => decodeMail(m.raw).headers.subject);
    expect(subjects).toEqual(['Mødelokale blev brudt op']);

    // Two hours on: the quiet hours are over, the held e-mail goes out.
    jump = 2 * 3600_000;
    r.app.alerts.wake();
    await waitFor(() => smtp!.mails.slice(before).filter(toMette).length > 1);
    expect(decodeMail(smtp!.mails.slice(before).filter(toMette).at(-1)!.raw).headers.subject).toBe('3 afviste forsøg ved Hoveddør');
    await api(r, 'PUT', '/api/me/alert-prefs', { cookie: mette, body: { kinds: ['denied'], channels: ['email'], quiet: null } });
  });
});
