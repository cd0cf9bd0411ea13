// The devices screen's desk sensors to check (issue 16 part 3): a suspect sensor in Danish with
// what it means, what to check, its numbers and since when; "Sensoren er i orden" with back-fill
// posts the confirmation and the list empties.
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../dashboard/src/components/gateways-panel.ts';
import type { SensorSuspectView } from '../../contracts/api/index.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { fakeFetch, gateway, settle, text, T0 } from './fixtures.ts';

afterEach(() => {
  locale.reset();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

const STUCK: SensorSuspectView = {
  desk: 'd02',
  name: 'Skrivebord 2',
  zone: 'open-space',
  reason: 'stuck-occupied',
  since: T0 - 10.5 * 3600_000,
  detectedAt: T0,
  evidence: { occupiedHours: 20, quietHours: 10.5 },
};

describe('desk sensors to check on the devices screen', () => {
  it('shows a stuck sensor in Danish, and "the sensor is fine" with back-fill makes it count again', async () => {
    locale.set('da');
    const api = fakeFetch([
      { status: 200, body: [STUCK] },
      { status: 200, body: STUCK },
      { status: 200, body: [] },
    ]);
    vi.stubGlobal('fetch', api.fn);
    const el = document.createElement('ss-gateways');
    el.gateways = [gateway()];
    el.sensorCheck = true;
    document.body.append(el);
    await el.updateComplete;
    const panel = el.shadowRoot!.querySelector('ss-sensor-checks')!;
    await settle(panel);
    const item = panel.shadowRoot!.querySelector('li[data-desk="d02"]')!;
    expect(item.getAttribute('data-reason')).toBe('stuck-occupied');
    expect(text(item.querySelector('h3'))).toBe('Skrivebord 2 d02');
    expect(text(item.querySelector('[data-field="reason"]'))).toBe('Siger, at nogen sidder her, men ingen er inde');
    expect(text(item.querySelector('[data-field="evidence"]'))).toBe(
      'Optaget i 20 t uden pause; de sidste 10,5 t gik ingen gennem en dør, og intet andet skrivebord var optaget.',
    );
    expect(text(item.querySelector('[data-field="check"]'))).toMatch(/^Se på skrivebordet: sidder der nogen\?/);
    expect(text(item.querySelector('[data-field="since"]'))).toMatch(/^Ikke talt med siden /);
    item.querySelector<HTMLInputElement>('[data-action="backfill"]')!.click();
    const fine = item.querySelector<HTMLButtonElement>('[data-action="fine"]')!;
    expect(text(fine)).toBe('Sensoren er i orden');
    fine.click();
    await settle(panel);
    expect(api.calls.map((c) => [c.init?.method ?? 'GET', new URL(c.url, 'http://x').pathname])).toEqual([
      ['GET', '/api/sensors/suspects'],
      ['POST', '/api/sensors/d02/confirm'],
      ['GET', '/api/sensors/suspects'],
    ]);
    expect(JSON.parse(api.calls[1]!.init!.body as string)).toEqual({ backfill: true });
    expect(text(panel.shadowRoot!.querySelector('[role="status"]'))).toBe('Skrivebord 2 tælles med igen.');
    expect(text(panel.shadowRoot!.querySelector('[data-testid="sensor-checks-none"]'))).toBe('Ingen skrivebordssensor ser forkert ud.');
  });

  it('quiet (on the floor plan): says nothing while nothing is suspect', async () => {
    vi.stubGlobal('fetch', fakeFetch([{ status: 200, body: [] }]).fn);
    const el = document.createElement('ss-sensor-checks');
    el.quiet = true;
    document.body.append(el);
    await settle(el);
    expect(el.shadowRoot!.querySelector('section')).toBeNull();
  });

  it('is not on the screen unless asked for (members never load it)', async () => {
    const el = document.createElement('ss-gateways');
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('ss-sensor-checks')).toBeNull();
  });
});
