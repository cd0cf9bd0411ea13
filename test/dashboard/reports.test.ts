import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PeakOccupancy, UtilisationByHour, VisitsPerDay } from '../../contracts/api.ts';
import '../../dashboard/src/components/reports-panel.ts';
import type { ReportsPanel } from '../../dashboard/src/components/reports-panel.ts';
import { locale } from '../../dashboard/src/i18n/locale.ts';
import { heatGrid, isoWeek, monthRange, visitsPerWeek } from '../../dashboard/src/report-data.ts';
import { fakeFetch, T0, text } from './fixtures.ts';

// uPlot draws on a canvas, which happy-dom has not: the chart module is stood in for, and
// what it is asked to draw is checked. (It loads through the panel's dynamic import.)
const drawn = vi.hoisted(() => [] as Array<{ labels: readonly string[]; values: readonly number[]; name: string }>);
const destroyed = vi.hoisted(() => ({ n: 0 }));
vi.mock('../../dashboard/src/charts.ts', () => ({
  chartCss: '.uplot{}',
  barChart: (_el: HTMLElement, o: { labels: readonly string[]; values: readonly number[]; name: string }) => {
    drawn.push({ labels: o.labels, values: o.values, name: o.name });
    return { resize: () => {}, destroy: () => void destroyed.n++ };
  },
}));

const UTIL: UtilisationByHour = { zone: null, desks: 16, cells: [{ day: 1, hour: 9, utilisation: 0.5 }, { day: 7, hour: 23, utilisation: 1.2 }] };
const VISITS: VisitsPerDay = {
  days: [
    { date: '2025-06-02', visits: 3, entries: 5 },
    { date: '2025-06-01', visits: 1, entries: 1 },
    { date: '2025-06-03', visits: 4, entries: 4 },
  ],
};
const PEAK: PeakOccupancy = { zone: null, peak: 7, at: T0, days: [{ date: '2025-06-01', peak: 2, at: T0 - 86_400_000 }, { date: '2025-06-02', peak: 7, at: T0 }] };

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

  it('sums visits per week and lays utilisation out weekday × hour', () => {
    expect(visitsPerWeek(VISITS)).toEqual([
      { week: '2025-W22', visits: 1 },
      { week: '2025-W23', visits: 7 },
    ]);
    const grid = heatGrid(UTIL);
    expect(grid).toHaveLength(7);
    expect(grid[0]![9]).toBe(0.5);
    expect(grid[6]![23]).toBe(1); // clamped
    expect(grid[3]![12]).toBe(0);
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
    document.body.append(el);
    await settle(el);
    return { el, api, root: el.shadowRoot! };
  }

  const ok = () => [
    { status: 200, body: UTIL },
    { status: 200, body: VISITS },
    { status: 200, body: PEAK },
  ];

  it('loads this month in the site’s zone, and draws the heatmap, visits per week and the peak', async () => {
    const { root, api } = await mount(ok());
    expect(api.calls.map((c) => c.url)).toEqual([
      '/api/analytics/utilisation?from=2025-06-01&to=2025-06-30',
      '/api/analytics/visits?from=2025-06-01&to=2025-06-30',
      '/api/analytics/peak?from=2025-06-01&to=2025-06-30',
    ]);
    expect(root.querySelector('[data-cell="1-9"]')!.getAttribute('title')).toBe('Mon 09:00: 50%');
    expect(root.querySelector<HTMLElement>('[data-cell="1-9"]')!.style.getPropertyValue('--u')).toBe('0.50');
    expect(root.querySelectorAll('[data-testid=heatmap] td[data-cell]')).toHaveLength(7 * 24);
    expect(drawn).toEqual([
      { labels: ['W22', 'W23'], values: [1, 7], name: 'Visits' },
      { labels: ['1', '2'], values: [2, 7], name: 'Desks' },
    ]);
    expect(root.querySelector('style[data-uplot]')?.textContent).toBe('.uplot{}');
    expect(text(root.querySelector('[data-testid=peak-headline]'))).toBe('At most 7 desks in use at once, Mon 2 Jun, 10:30.');
    expect([...root.querySelectorAll('[data-testid=weeks-table] td')].map((td) => text(td))).toEqual(['2025-W22', '1', '2025-W23', '7']);
    const csv = root.querySelector<HTMLAnchorElement>('[data-testid=report-csv]')!;
    expect(csv.getAttribute('href')).toBe('/api/reports/monthly.csv?month=2025-06');
    expect(csv.hasAttribute('download')).toBe(true);
  });

  it('loads another month when picked, replacing the charts', async () => {
    const { el, root, api } = await mount([...ok(), { status: 200, body: { ...UTIL, cells: [] } }, { status: 200, body: { days: [] } }, { status: 200, body: { zone: null, peak: 0, at: null, days: [] } }]);
    expect(drawn).toHaveLength(2);
    const input = root.querySelector<HTMLInputElement>('input[name=month]')!;
    input.value = '2025-05';
    input.dispatchEvent(new Event('change'));
    await settle(el);
    expect(api.calls[3]!.url).toBe('/api/analytics/utilisation?from=2025-05-01&to=2025-05-31');
    expect(destroyed.n).toBe(2);
    expect(drawn).toHaveLength(2); // nothing new to draw for an empty month
    expect(text(root.querySelector('[data-testid=peak-headline]'))).toBe('No desk was in use this month.');
    expect(text(root.querySelector('[aria-labelledby=weeks-title]'))).toContain('No data for this month.');
    expect(root.querySelector('[data-testid=report-csv]')!.getAttribute('href')).toBe('/api/reports/monthly.csv?month=2025-05');
  });

  it('says what failed, in Danish too', async () => {
    locale.set('da', false);
    const { root } = await mount([{ status: 403, body: { error: 'forbidden', message: 'no' } }, { status: 200, body: VISITS }, { status: 200, body: PEAK }]);
    expect(text(root.querySelector('[data-testid=reports-failed]'))).toBe('Kunne ikke hente rapporten: din rolle må ikke gøre dette. Spørg en operatør.');
    expect(root.querySelector('[data-testid=heatmap]')).toBeNull();
    expect(drawn).toEqual([]);
  });
});
