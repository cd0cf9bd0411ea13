// Bar and line charts with uPlot, for the reports. Loaded on demand (reports-panel.ts imports this with
// a dynamic import), so uPlot stays out of the main bundle. uPlot's stylesheet is handed back as
// text: the charts live in a shadow root, where a page stylesheet would not reach.
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css?inline';

export const chartCss: string = uPlotCss;

export interface Chart {
  /** New width in CSS pixels (the height stays). */
  resize(width: number): void;
  destroy(): void;
}

export interface BarOptions {
  /** One label per bar, shown under it. */
  labels: readonly string[];
  values: readonly number[];
  /** The series' name (legend and tooltip). */
  name: string;
  width: number;
  height?: number;
  colour?: string;
}

/** Bars, one per label, in `target`. */
export function barChart(target: HTMLElement, o: BarOptions): Chart {
  const xs = o.labels.map((_, i) => i);
  const colour = o.colour ?? '#0b5e7e';
  const bars = uPlot.paths.bars!({ size: [0.7, 48] });
  const plot = new uPlot(
    {
      width: Math.max(240, o.width),
      height: o.height ?? 220,
      legend: { show: false },
      cursor: { y: false },
      scales: { x: { time: false, range: [-0.5, Math.max(0.5, xs.length - 0.5)] }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        { values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? (o.labels[i] ?? '') : '')), stroke: '#4a525c', grid: { show: false } },
        // Counts: whole-number steps only.
        { stroke: '#4a525c', grid: { stroke: '#dedbd2' }, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] },
      ],
      series: [{}, { label: o.name, stroke: colour, fill: `${colour}cc`, width: 0, paths: bars, points: { show: false } }],
    },
    [xs, [...o.values]],
    target,
  );
  const height = o.height ?? 220;
  return { resize: (width) => plot.setSize({ width: Math.max(240, width), height }), destroy: () => plot.destroy() };
}

export interface LineOptions {
  /** One label per point (e.g. the day of the month), under the x axis. */
  labels: readonly string[];
  /** Percentages, 0..100. */
  values: readonly number[];
  name: string;
  width: number;
  height?: number;
  colour?: string;
}

/** A line over `labels`, on a 0–100 % scale: the utilisation trend. */
export function lineChart(target: HTMLElement, o: LineOptions): Chart {
  const xs = o.labels.map((_, i) => i);
  const colour = o.colour ?? '#0b5e7e';
  const height = o.height ?? 220;
  const plot = new uPlot(
    {
      width: Math.max(240, o.width),
      height,
      legend: { show: false },
      cursor: { y: false },
      scales: { x: { time: false, range: [-0.5, Math.max(0.5, xs.length - 0.5)] }, y: { range: [0, 100] } },
      axes: [
        { values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? (o.labels[i] ?? '') : '')), stroke: '#4a525c', grid: { show: false } },
        { values: (_u, splits) => splits.map((v) => `${v}%`), stroke: '#4a525c', grid: { stroke: '#dedbd2' } },
      ],
      series: [{}, { label: o.name, stroke: colour, fill: `${colour}22`, width: 2, points: { show: xs.length <= 31, size: 5, fill: colour } }],
    },
    [xs, [...o.values]],
    target,
  );
  return { resize: (width) => plot.setSize({ width: Math.max(240, width), height }), destroy: () => plot.destroy() };
}
