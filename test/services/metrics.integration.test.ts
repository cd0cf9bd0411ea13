import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startApp, bringOnline, publishJson, waitFor, accessEvent, gatewayStatus, loginAs, type Running } from './helpers.ts';

/** Every line of the text exposition format: comments name a declared metric, samples are `name{labels} number`. */
function parseExposition(text: string): Map<string, number> {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        expect(meta[3], line).toMatch(/^(counter|gauge|histogram|summary|untyped)$/);
        types.set(meta[2]!, meta[3]!);
      }
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|[Nn]a[Nn]|[+-]Inf)$/.exec(line);
    expect(m, `not a sample line: ${line}`).not.toBeNull();
    const name = m![1]!;
    const family = [name, name.replace(/_(bucket|sum|count)$/, '')].find((n) => types.has(n));
    expect(family, `sample without a TYPE: ${line}`).toBeDefined();
    samples.set(`${name}${m![2] ?? ''}`, Number(m![3]));
  }
  return samples;
}

describe('GET /metrics (Prometheus)', () => {
  let r: Running;
  const scrape = async (headers: Record<string, string> = { authorization: `Bearer ${r.site.secrets.automationToken}` }) =>
    fetch(`${r.base}/metrics`, { headers });

  beforeAll(async () => {
    r = await startApp();
  });
  afterAll(() => r.stop());

  it('is for hosts, operators and the automation token, never anonymous or a member', async () => {
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ authorization: 'Bearer not-the-token-at-all-xxxxxxxx' })).status).toBe(401);
    expect((await scrape({ cookie: await loginAs(r, 'jonas') })).status).toBe(403);
    expect((await scrape({ cookie: await loginAs(r, 'mette') })).status).toBe(200);
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('counts decisions by result, events, rejected payloads, gateways and devices up, and the process', async () => {
    const gw = await bringOnline(r);
    await publishJson(gw, r.t.doorEvent('front'), accessEvent());
    await publishJson(gw, r.t.doorEvent('front'), accessEvent({ decision: 'denied', reason: 'unknown-credential', member: undefined }));
    const again = accessEvent();
    await publishJson(gw, r.t.doorEvent('front'), again);
    await publishJson(gw, r.t.doorEvent('front'), again);
    await publishJson(gw, r.t.doorEvent('front'), 'not json');
    const health = { v: 1, ts: Date.now(), device: 'front-reader', gateway: 'gw-main', kind: 'card-reader', state: 'fault', error: 'port gone', dropped: 7 };
    await publishJson(gw, r.t.deviceHealth('front-reader'), health, true);

    const m = await waitFor(async () => {
      const s = parseExposition(await (await scrape()).text());
      return s.get('smartspace_events_duplicate_total') === 1 && s.get('smartspace_device_up{device="front-reader",kind="card-reader",gateway="gw-main"}') === 0
        ? s
        : null;
    });
    expect(m.get('smartspace_access_decisions_total{result="granted"}')).toBe(2);
    expect(m.get('smartspace_access_decisions_total{result="denied"}')).toBe(1);
    expect(m.get('smartspace_events_stored_total')).toBe(3);
    expect(m.get('smartspace_rejected_payloads_total{kind="doorEvent"}')).toBe(1);
    expect(m.get('smartspace_gateway_up{gateway="gw-main"}')).toBe(1);
    expect(m.get('smartspace_device_frames_dropped_total{device="front-reader",kind="card-reader",gateway="gw-main"}')).toBe(7);
    expect(m.get('smartspace_broker_clients')).toBeGreaterThanOrEqual(1);
    expect(m.get('smartspace_history_up{store="sqlite"}')).toBe(1);
    expect(m.get('process_resident_memory_bytes')).toBeGreaterThan(0);

    // The gateway's will says offline: its devices drop out (unknown) rather than read as up or down.
    await publishJson(gw, r.t.gatewayStatus('gw-main'), gatewayStatus('gw-main', 'offline'), true);
    const after = await waitFor(async () => {
      const s = parseExposition(await (await scrape()).text());
      return s.get('smartspace_gateway_up{gateway="gw-main"}') === 0 ? s : null;
    }, 10_000);
    expect([...after.keys()].filter((k) => k.startsWith('smartspace_device_up{'))).toEqual([]);
  });
});
