// The reports screen's charts (uPlot, from data/charts.ts, imported only when the screen first
// draws, so no other chunk carries it): drawn in their boxes once the numbers are in, kept as wide
// as their boxes, destroyed when the numbers change or the screen goes.
import type { ReactiveController, ReactiveElement } from 'lit';
import type { PeakOccupancy, UniqueMembersPerWeek, UtilisationByHour, UtilisationTrend, VisitsPerDay } from '../../../../contracts/api/index.ts';
import type { Chart } from '../../data/charts.ts';
import { trendPercent, visitsPerWeek } from '../../data/report-data.ts';
import { t } from '../../words/locale.ts';

type Charts = typeof import('../../data/charts.ts');
let charts: Promise<Charts> | null = null;
/** uPlot's styles, made once and shared by every reports screen of the page. */
let chartSheet: CSSStyleSheet | null = null;
/** The chart module, fetched once; a failed fetch is tried again next time. */
function loadCharts(): Promise<Charts> {
  charts ??= import('../../data/charts.ts').catch((err: unknown) => {
    charts = null;
    throw err;
  });
  return charts;
}

/** The parts that follow the scope filter. */
export interface Occupancy {
  month: string;
  scope: string;
  utilisation: UtilisationByHour;
  peak: PeakOccupancy;
  trend: UtilisationTrend;
}

/** The parts counted for the whole site. */
export interface SiteWide {
  month: string;
  visits: VisitsPerDay;
  members: UniqueMembersPerWeek;
}

/** The numbers on show now (a newer answer replaces them while charts load). */
export interface Numbers {
  occupancy: () => Occupancy | null;
  siteWide: () => SiteWide | null;
}

export class ReportCharts implements ReactiveController {
  readonly #host: ReactiveElement;
  readonly #problem: (failed: boolean) => void;
  /** The charts drawn, by their box's name. */
  readonly #charts = new Map<string, Chart>();
  /** Keeps each chart as wide as its box (phone turned, window resized). */
  #resize: ResizeObserver | null = null;

  /** `problem` hears whether the chart module could be fetched. */
  constructor(host: ReactiveElement, problem: (failed: boolean) => void) {
    this.#host = host;
    this.#problem = problem;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.destroy();
  }

  destroy(names: readonly string[] = [...this.#charts.keys()]): void {
    for (const name of names) {
      this.#charts.get(name)?.destroy();
      this.#charts.delete(name);
    }
    if (this.#charts.size === 0) {
      this.#resize?.disconnect();
      this.#resize = null;
    }
  }

  /** Draws the chart `name` in its box (if the box is there) and keeps it as wide as the box. */
  #place(name: string, draw: (box: HTMLElement, width: number) => Chart): void {
    const box = this.#host.renderRoot.querySelector<HTMLElement & { chart?: Chart }>(`[data-chart=${name}]`);
    if (!box) return;
    box.replaceChildren();
    const chart = draw(box, box.clientWidth);
    this.#charts.set(name, chart);
    if (typeof ResizeObserver === 'undefined') return;
    this.#resize ??= new ResizeObserver((entries) => {
      for (const e of entries) (e.target as HTMLElement & { chart?: Chart }).chart?.resize(Math.floor(e.contentRect.width));
    });
    box.chart = chart;
    this.#resize.observe(box);
  }

  /** (Re)draws the charts of one part once its numbers are in (a box is there only when it has data). */
  async draw(part: 'occupancy' | 'siteWide', numbers: Numbers): Promise<void> {
    const names = part === 'occupancy' ? ['peak', 'trend'] : ['weeks', 'members'];
    const data = numbers[part]();
    this.destroy(names);
    if (!data) return;
    await this.#host.updateComplete;
    let mod: Charts;
    try {
      mod = await loadCharts();
    } catch {
      this.#problem(true);
      return;
    }
    if (data !== numbers[part]()) return; // newer numbers came meanwhile: they draw themselves
    this.#problem(false);
    this.destroy(names);
    // uPlot's stylesheet joins the shadow root as a constructed sheet, as Lit adds ours: a
    // <style> element would be inline style, which the Content-Security-Policy refuses.
    const root = this.#host.renderRoot as ShadowRoot;
    if (!chartSheet) {
      chartSheet = new CSSStyleSheet();
      chartSheet.replaceSync(mod.chartCss);
    }
    if (!root.adoptedStyleSheets.includes(chartSheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, chartSheet];
    const m = t().reports;
    const dayOfMonth = (date: string) => String(Number(date.slice(8)));
    const o = numbers.occupancy();
    const w = numbers.siteWide();
    if (part === 'siteWide' && w) {
      const weeks = visitsPerWeek(w.visits);
      const members = w.members.weeks;
      this.#place('weeks', (box, width) =>
        mod.barChart(box, { labels: weeks.map((x) => x.week.slice(5)), values: weeks.map((x) => x.visits), name: m.visits, width }),
      );
      this.#place('members', (box, width) =>
        mod.barChart(box, { labels: members.map((x) => x.week.slice(5)), values: members.map((x) => x.members), name: m.members, width, colour: '#5b3f8c' }),
      );
    }
    if (part === 'occupancy' && o) {
      const days = o.peak.days;
      const trend = trendPercent(o.trend);
      this.#place('peak', (box, width) =>
        mod.barChart(box, { labels: days.map((d) => dayOfMonth(d.date)), values: days.map((d) => d.peak), name: m.desks, width, colour: '#8a4b00' }),
      );
      this.#place('trend', (box, width) =>
        mod.lineChart(box, { labels: trend.map((d) => dayOfMonth(d.date)), values: trend.map((d) => d.pct), name: m.utilisation, width }),
      );
    }
  }
}
