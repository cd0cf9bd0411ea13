import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PeakOccupancy, UniqueMembersPerWeek, UtilisationByHour, UtilisationTrend, VisitsPerDay } from '../../contracts/api/index.ts';
import '../../dashboard/src/components/reports-panel.ts';
import type { ReportsPanel } from '../../dashboard/src/components/reports-panel.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { heatGrid, isoWeek, monthRange, scopeQuery, trendPercent, untilDay, visitsPerWeek } from '../../dashboard/src/data/report-data.ts';
import { desk, fakeFetch, SITE, T0, text } from './fixtures.ts';

// uPlot draws on a canvas, which happy-dom has not: the chart module is stood in for, and
// what it is asked to draw is checked. (It loads through the panel's dynamic import.)
type Drawn = { type: 'bar' | 'line'; labels: readonly string[]; values: readonly number[]; name: string };
const drawn = vi.hoisted(() => [] as Drawn[]);
const destroyed = vi.hoisted(() => ({ n: 0 }));
vi.mock('../../dashboard/src/data/charts.ts', () => {
  const chart = (type: Drawn['type']) => (_el: HTMLElement, o: Omit<Drawn, 'type'>) => {
    drawn.push({ type, labels: o.labels, values: o.values, name: o.name });
    return { resize: () => {}, destroy: () => void destroyed.n++ };
  };
  return { chartCss: '.uplot{}', barChart: chart('bar'), lineChart: chart('line') };
});

const UTIL: UtilisationByHour = {
  zone: null,
  desks: 16,
  cells: [
    { day: 1, hour: 9, utilisation: 0.5, deskHours: 1, knownHours: 2 },
    { day: 1, hour: 10, utilisation: 0, deskHours: 0, knownHours: 2 },
    { day: 7, hour: 23, utilisation: 1.2, deskHours: 1.2, knownHours: 1 },
    { day: 3, hour: 12, utilisation: null, deskHours: 0, knownHours: 0 },
  ],
};
const VISITS: VisitsPerDay = {
  days: [
    { date: '2025-06-02', visits: 3, entries: 5 },
    { date: '2025-06-01', visits: 1, entries: 1 },
    { date: '2025-06-03', visits: 4, entries: 4 },
  ],
};
const PEAK: PeakOccupancy = {
  zone: null,
  peak: 7,
  at: T0,
  days: [
    { date: '2025-06-01', peak: 2, at: T0 - 86_400_000 },
    { date: '2025-06-02', peak: 7, at: T0 },
  ],
};
const TREND: UtilisationTrend = {
  zone: null,
  desk: null,
  desks: 16,
  days: [
    { date: '2025-06-02', utilisation: 0.254, deskHours: 97.5, knownHours: 384 },
    { date: '2025-06-01', utilisation: 0.1, deskHours: 38.4, knownHours: 384 },
    { date: '2025-06-03', utilisation: null, deskHours: 0, knownHours: 0 }, // tomorrow: nothing yet, not shown
  ],
};
const MEMBERS: UniqueMembersPerWeek = {
  weeks: [
    { week: '2025-W22', members: 1 },
    { week: '2025-W23', members: 5 },
  ],
};
const DESKS = [desk('d11', 'quiet-room', 0, 0, null), desk('d02', 'open-space', 0, 0, false)];

afterEach(() => {
  locale.reset();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
  drawn.length = 0;
  destroyed.n = 0;
});

describe('report data', () => {
  it('knows a month’s days and ISO weeks', () => {
    expect(monthRange('2025-02')).toEqual({ from: '2025-02-01', to: '2025-02-28' });
    expect(monthRange('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(isoWeek('2025-06-01')).toBe('2025-W22'); // a Sunday
    expect(isoWeek('2025-06-02')).toBe('2025-W23');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
  });

  it('turns the scope into the analytics query, and the trend into whole percent in date order', () => {
    expect(scopeQuery('')).toBe('');
    expect(scopeQuery('zone:quiet-room')).toBe('&zone=quiet-room');
    expect(scopeQuery('desk:d05')).toBe('&desk=d05');
    expect(scopeQuery('room:x')).toBe('');
    expect(trendPercent(TREND)).toEqual([
      { date: '2025-06-01', pct: 10 },
      { date: '2025-06-02', pct: 25 },
      { date: '2025-06-03', pct: null },
    ]);
    expect(untilDay(TREND.days, '2025-06-02').map((d) => d.date)).toEqual(['2025-06-02', '2025-06-01']);
  });

  it('sums visits per week and lays utilisation out weekday × hour', () => {
    expect(visitsPerWeek(VISITS)).toEqual([
      { week: '2025-W22', visits: 1 },
      { week: '2025-W23', visits: 7 },
    ]);
    const grid = heatGrid(UTIL);
    expect(grid).toHaveLength(7);
    expect(grid[0]![9]).toBe(0.5);
    expect(grid[6]![23]).toBe(1); // clamped
    expect(grid[0]![10]).toBe(0);
    expect(grid[3]![12]).toBeNull(); // no data is not 0 %
    expect(grid[4]![12]).toBeNull(); // nor is an hour the services did not send
  });
});

describe('reports panel', () => {
  async function settle(el: ReportsPanel) {
    // Until the report is in and the chart module (a dynamic import) has drawn.
    for (let i = 0; i < 8 || (el.loading && i < 200); i++) {
      await new Promise((r) => setTimeout(r, 0));
      await el.updateComplete;
    }
  }

  async function mount(answers: Parameters<typeof fakeFetch>[0]) {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const api = fakeFetch(answers);
    vi.stubGlobal('fetch', api.fn);
    const el = document.createElement('ss-reports');
    el.site = SITE;
    el.desks = DESKS;
    document.body.append(el);
    await settle(el);
    return { el, api, root: el.shadowRoot! };
  }

  /** Occupancy (heatmap, peak, trend), then the site-wide parts (visits, members), as asked. */
  const occupancy = () => [
    { status: 200, body: UTIL },
    { status: 200, body: PEAK },
    { status: 200, body: TREND },
  ];
  const siteWide = () => [
    { status: 200, body: VISITS },
    { status: 200, body: MEMBERS },
  ];
  const ok = () => [...occupancy(), ...siteWide()];

  it('loads this month in the site’s zone, and draws the heatmap, the trend, the peak, visits and members per week', async () => {
    const { root, api } = await mount(ok());
    expect(api.calls.map((c) => c.url)).toEqual([
      '/api/analytics/utilisation?from=2025-06-01&to=2025-06-30',
      '/api/analytics/peak?from=2025-06-01&to=2025-06-30',
      '/api/analytics/utilisation-trend?from=2025-06-01&to=2025-06-30',
      '/api/analytics/visits?from=2025-06-01&to=2025-06-30',
      '/api/analytics/members?from=2025-06-01&to=2025-06-30',
    ]);
    expect(root.querySelector('[data-cell="1-9"]')!.getAttribute('title')).toBe('Mon 09:00: 50%');
    expect(root.querySelector<HTMLElement>('[data-cell="1-9"]')!.style.getPropertyValue('--u')).toBe('0.50');
    expect(root.querySelectorAll('[data-testid=heatmap] td[data-cell]')).toHaveLength(7 * 24);
    // 0 % is a cell with its share; no data is striped and says so, not a pale 0 %.
    const zero = root.querySelector<HTMLElement>('[data-cell="1-10"]')!;
    expect([zero.getAttribute('title'), zero.classList.contains('nodata'), zero.style.getPropertyValue('--u')]).toEqual(['Mon 10:00: 0%', false, '0.00']);
    const none = root.querySelector<HTMLElement>('[data-cell="3-12"]')!;
    expect([none.getAttribute('title'), none.classList.contains('nodata'), none.style.getPropertyValue('--u'), text(none)]).toEqual([
      'Wed 12:00: no data',
      true,
      '',
      'no data',
    ]);
    expect(root.querySelectorAll('[data-testid=heatmap] td.nodata')).toHaveLength(7 * 24 - 3);
    expect(drawn).toEqual([
      { type: 'bar', labels: ['1', '2'], values: [2, 7], name: 'Desks' },
      { type: 'line', labels: ['1', '2'], values: [10, 25], name: 'Utilisation' },
      { type: 'bar', labels: ['W22', 'W23'], values: [1, 7], name: 'Visits' },
      { type: 'bar', labels: ['W22', 'W23'], values: [1, 5], name: 'Members' },
    ]);
    // uPlot's styles are an adopted sheet (the CSP refuses a <style> element), once.
    expect(root.querySelector('style')).toBeNull();
    const sheets = root.adoptedStyleSheets.filter((s) => [...s.cssRules].some((r) => r.cssText.startsWith('.uplot')));
    expect(sheets).toHaveLength(1);
    expect(text(root.querySelector('[data-testid=peak-headline]'))).toBe('At most 7 desks in use at once, Mon 2 Jun, 10:30.');
    expect([...root.querySelectorAll('[data-testid=weeks-table] td')].map((td) => text(td))).toEqual(['2025-W22', '1', '2025-W23', '7']);
    expect([...root.querySelectorAll('[data-testid=members-table] td')].map((td) => text(td))).toEqual(['2025-W22', '1', '2025-W23', '5']);
    expect([...root.querySelectorAll('[data-testid=trend-table] td')].map((td) => text(td))).toEqual(['2025-06-01', '10%', '2025-06-02', '25%']);
    expect(text(root.querySelector('[aria-labelledby=trend-title] p'))).toBe(
      'Share of desk time in use each day (of the time the sensors reported), over 16 desks.',
    );
    expect(text(root.querySelector('[aria-labelledby=members-title] p'))).toBe('Each member who came in counted once per week. Whole site.');
    const csv = root.querySelector<HTMLAnchorElement>('[data-testid=report-csv]')!;
    expect(csv.getAttribute('href')).toBe('/api/reports/monthly.csv?month=2025-06&lang=en');
    expect(csv.hasAttribute('download')).toBe(true);
    const print = root.querySelector<HTMLAnchorElement>('[data-testid=report-print]')!;
    expect(print.getAttribute('href')).toBe('/api/reports/monthly.html?month=2025-06&lang=en');
    expect(text(print)).toBe('The report for 2025-06 to print or save as PDF');
  });

  it('offers the whole site, the site’s zones and its desks, and says the visits and members stay site-wide', async () => {
    const { root } = await mount(ok());
    const select = root.querySelector<HTMLSelectElement>('select[name=scope]')!;
    expect([...select.querySelectorAll('option')].map((o) => [o.value, text(o)])).toEqual([
      ['', 'Whole site'],
      ['zone:open-space', 'Open space'],
      ['zone:quiet-room', 'Quiet room'],
      ['desk:d02', 'Desk 2'],
      ['desk:d11', 'Desk 11'],
    ]);
    expect([...select.querySelectorAll('optgroup')].map((g) => g.getAttribute('label'))).toEqual(['Zones', 'Desks']);
    expect(text(root.querySelector('[data-testid=scope-note]'))).toBe(
      'Desk occupancy (heatmap, peak and trend) is for the whole site. Visits and members are always counted for the whole site.',
    );
  });

  it('a zone or a desk reloads only the occupancy parts, with that scope, and says so', async () => {
    const zoneTrend = { ...TREND, zone: 'quiet-room', desks: 6, days: [{ date: '2025-06-02', utilisation: 0.5, deskHours: 72 }] };
    const { el, root, api } = await mount([
      ...ok(),
      { status: 200, body: { ...UTIL, zone: 'quiet-room', desks: 6 } },
      { status: 200, body: { ...PEAK, zone: 'quiet-room', peak: 3 } },
      { status: 200, body: zoneTrend },
      { status: 200, body: { ...UTIL, zone: null, desks: 1 } },
      { status: 200, body: { ...PEAK, peak: 1 } },
      { status: 200, body: { ...TREND, desk: 'd11', desks: 1 } },
    ]);
    const select = root.querySelector<HTMLSelectElement>('select[name=scope]')!;
    drawn.length = 0;
    select.value = 'zone:quiet-room';
    select.dispatchEvent(new Event('change'));
    await settle(el);
    expect(api.calls.slice(5).map((c) => c.url)).toEqual([
      '/api/analytics/utilisation?from=2025-06-01&to=2025-06-30&zone=quiet-room',
      '/api/analytics/peak?from=2025-06-01&to=2025-06-30&zone=quiet-room',
      '/api/analytics/utilisation-trend?from=2025-06-01&to=2025-06-30&zone=quiet-room',
    ]);
    expect(text(root.querySelector('#trend-title'))).toBe('Desk utilisation per day · Quiet room');
    expect(text(root.querySelector('#heat-title'))).toBe('Desk occupancy by weekday and hour · Quiet room');
    expect(text(root.querySelector('#weeks-title'))).toBe('Visits per week');
    expect(text(root.querySelector('[data-testid=scope-note]'))).toMatch(/^Desk occupancy \(heatmap, peak and trend\) is for Quiet room\. Visits and members/);
    expect([...root.querySelectorAll('[data-testid=trend-table] td')].map((td) => text(td))).toEqual(['2025-06-02', '50%']);
    expect(drawn.find((d) => d.type === 'line')).toEqual({ type: 'line', labels: ['2'], values: [50], name: 'Utilisation' });
    expect(drawn.map((d) => d.name)).toEqual(['Desks', 'Utilisation']); // the site-wide charts stay as they were
    expect(destroyed.n).toBe(2);

    select.value = 'desk:d11';
    select.dispatchEvent(new Event('change'));
    await settle(el);
    expect(api.calls.slice(8).map((c) => c.url)).toEqual([
      '/api/analytics/utilisation?from=2025-06-01&to=2025-06-30&desk=d11',
      '/api/analytics/peak?from=2025-06-01&to=2025-06-30&desk=d11',
      '/api/analytics/utilisation-trend?from=2025-06-01&to=2025-06-30&desk=d11',
    ]);
    expect(text(root.querySelector('#peak-title'))).toBe('Peak occupancy · Desk 11');
    expect(text(root.querySelector('[aria-labelledby=heat-title] p'))).toBe(
      'Share of desk time in use, over 1 desk. Darker is busier. Striped: no data (time still to come, or no sensor reporting).',
    );
    expect(api.calls).toHaveLength(11);
  });

  it('loads another month when picked, replacing the charts, and keeps the scope', async () => {
    const { el, root, api } = await mount([
      ...ok(),
      { status: 200, body: { ...UTIL, cells: [] } },
      { status: 200, body: { zone: null, peak: 0, at: null, days: [] } },
      { status: 200, body: { ...TREND, days: [] } },
      { status: 200, body: { days: [] } },
      { status: 200, body: { weeks: [] } },
    ]);
    expect(drawn).toHaveLength(4);
    const input = root.querySelector<HTMLInputElement>('input[name=month]')!;
    input.value = '2025-05';
    input.dispatchEvent(new Event('change'));
    await settle(el);
    expect(api.calls[5]!.url).toBe('/api/analytics/utilisation?from=2025-05-01&to=2025-05-31');
    expect(api.calls[9]!.url).toBe('/api/analytics/members?from=2025-05-01&to=2025-05-31');
    expect(destroyed.n).toBe(4);
    expect(drawn).toHaveLength(4); // nothing new to draw for an empty month
    expect(text(root.querySelector('[data-testid=peak-headline]'))).toBe('No desk was in use this month.');
    expect(text(root.querySelector('[aria-labelledby=weeks-title]'))).toContain('No data for this month.');
    expect(text(root.querySelector('[aria-labelledby=trend-title]'))).toContain('No data for this month.');
    expect(text(root.querySelector('[aria-labelledby=members-title]'))).toContain('No data for this month.');
    expect(root.querySelector('[data-testid=report-csv]')!.getAttribute('href')).toBe('/api/reports/monthly.csv?month=2025-05&lang=en');
  });

  it('in Danish: no data in the heatmap reads "ingen data", apart from 0 %', async () => {
    locale.set('da', false);
    const { root } = await mount(ok());
    expect(root.querySelector('[data-cell="1-10"]')!.getAttribute('title')).toBe('man. 10:00: 0 %');
    const none = root.querySelector<HTMLElement>('[data-cell="3-12"]')!;
    expect([none.getAttribute('title'), none.classList.contains('nodata'), text(none)]).toEqual(['ons. 12:00: ingen data', true, 'ingen data']);
    expect(text(root.querySelector('[aria-labelledby=heat-title] p'))).toContain('Stribet: ingen data');
  });

  it('says which part failed and why, in Danish too, and shows the rest', async () => {
    locale.set('da', false);
    const { root } = await mount([
      { status: 403, body: { error: 'forbidden', message: 'no' } },
      { status: 200, body: PEAK },
      { status: 200, body: TREND },
      ...siteWide(),
    ]);
    expect(text(root.querySelector('[data-testid=occupancy-failed] p'))).toBe(
      'Kunne ikke hente belægningen af pladser: din rolle må ikke gøre dette. Spørg en operatør.',
    );
    expect(text(root.querySelector('[data-testid=occupancy-failed] button'))).toBe('Prøv igen');
    expect(root.querySelector('[data-testid=heatmap]')).toBeNull();
    expect(root.querySelector('[data-testid=trend-table]')).toBeNull();
    expect(root.querySelector('[data-testid=site-wide-failed]')).toBeNull();
    expect(drawn.map((d) => d.name)).toEqual(['Besøg', 'Medlemmer']);
    expect(text(root.querySelector('#members-title'))).toBe('Forskellige medlemmer pr. uge');
  });

  it('says when the visits and members could not be loaded, and tries them again', async () => {
    const { el, root, api } = await mount([...occupancy(), new TypeError('offline'), { status: 200, body: MEMBERS }, ...siteWide()]);
    expect(text(root.querySelector('[data-testid=site-wide-failed] p'))).toBe(
      'Could not load the visits and members: no connection to the server. Use your card, check your connection or call the host.',
    );
    expect(root.querySelector('[data-testid=trend-table]')).not.toBeNull();
    expect(root.querySelector('[data-testid=weeks-table]')).toBeNull();
    root.querySelector<HTMLButtonElement>('[data-testid=site-wide-failed] button')!.click();
    await settle(el);
    expect(api.calls.slice(5).map((c) => c.url)).toEqual([
      '/api/analytics/visits?from=2025-06-01&to=2025-06-30',
      '/api/analytics/members?from=2025-06-01&to=2025-06-30',
    ]);
    expect(root.querySelector('[data-testid=site-wide-failed]')).toBeNull();
    expect(root.querySelector('[data-testid=weeks-table]')).not.toBeNull();
  });
});
