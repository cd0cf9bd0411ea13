import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { LiveMessage } from '../../contracts/api/index.ts';
import { startApp, loginAs, publishJson, accessEvent, bringOnline, waitFor, type Running } from './helpers.ts';

/** An SSE client over node:http: collects `data:` messages and comment lines. */
function openStream(base: string, cookie: string) {
  const messages: LiveMessage[] = [];
  const comments: string[] = [];
  let response: IncomingMessage | undefined;
  let ended = false;
  const req = httpRequest(`${base}/api/live`, { headers: { cookie, accept: 'text/event-stream' } });
  const ready = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', (res) => {
      response = res;
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (block.startsWith('data: ')) messages.push(JSON.parse(block.slice(6)) as LiveMessage);
          else if (block.startsWith(':')) comments.push(block);
        }
      });
      res.on('end', () => (ended = true));
      res.on('close', () => (ended = true));
      resolve(res);
    });
    req.on('error', reject);
  });
  req.end();
  return {
    messages,
    comments,
    ready,
    get ended() {
      return ended;
    },
    get response() {
      return response;
    },
    close: () => req.destroy(),
  };
}

describe('live stream', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startApp();
  });
  afterAll(() => r.stop());

  it('refuses without a session', async () => {
    const res = await fetch(`${r.base}/api/live`);
    expect(res.status).toBe(401);
  });

  it('tells the browser to reconnect after 1 s when the stream drops, before anything else', async () => {
    const res = await fetch(`${r.base}/api/live`, { headers: { cookie: await loginAs(r, 'mette') } });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(first.startsWith('retry: 1000\n\n')).toBe(true);
  });

  it('sends a snapshot, then a delta for each new event, state and gateway change', async () => {
    const s = openStream(r.base, await loginAs(r, 'jonas'));
    const res = await s.ready;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const snap = await waitFor(() => s.messages[0]);
    expect(snap.type).toBe('snapshot');
    if (snap.type !== 'snapshot') return;
    expect(snap.doors.map((d) => d.id)).toEqual(['front', 'meeting']);
    expect(snap.desks).toHaveLength(16);
    expect(snap.gateways).toEqual([expect.objectContaining({ id: 'gw-main', online: false })]);

    const gw = await bringOnline(r);
    await waitFor(() => s.messages.find((m) => m.type === 'gateway' && m.gateway.online));
    await waitFor(() => s.messages.find((m) => m.type === 'door' && m.door.id === 'front' && m.door.gatewayOnline));

    const e = accessEvent({ member: 'sofie' }); // sofie has not opted in to named presence
    await publishJson(gw, r.t.doorEvent('front'), e);
    await publishJson(gw, r.t.doorEvent('front'), e); // a resend: no second delta
    const own = accessEvent({ member: 'jonas' });
    await publishJson(gw, r.t.doorEvent('front'), own);
    await publishJson(gw, r.t.deskOccupancy('d07'), { v: 1, ts: Date.now(), desk: 'd07', occupied: true, since: 5 });
    await waitFor(() => s.messages.find((m) => m.type === 'desk'));
    const events = s.messages.filter((m) => m.type === 'event').map((m) => (m.type === 'event' ? m.event : null));
    expect(events.map((x) => x!.id)).toEqual([e.id, own.id]);
    expect(events[0]!.memberName).toBeUndefined();
    expect(events[1]!.memberName).toBe('Jonas Brandt');
    expect(s.messages.find((m) => m.type === 'desk')).toEqual({
      type: 'desk',
      desk: { id: 'd07', name: 'Skrivebord 7', zone: 'open-space', x: 270, y: 300, occupied: true, since: 5 },
    });
    s.close();
  });

  it('renders member names per viewer: a host sees every name', async () => {
    const s = openStream(r.base, await loginAs(r, 'mette'));
    await waitFor(() => s.messages[0]);
    const gw = await r.gateway();
    const e = accessEvent({ member: 'sofie' });
    await publishJson(gw, r.t.doorEvent('front'), e);
    const got = await waitFor(() => s.messages.find((m) => m.type === 'event' && m.event.id === e.id));
    expect(got.type === 'event' && got.event.memberName).toBe('Sofie Lund');
    s.close();
  });

  it('ends open streams when the app closes, without hanging', async () => {
    const own = await startApp();
    const s = openStream(own.base, await loginAs(own, 'jonas'));
    await waitFor(() => s.messages[0]);
    await own.stop();
    await waitFor(() => s.ended);
  });
});
