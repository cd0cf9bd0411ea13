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

/** One series over labelled positions 0, 1, 2, …: a bar chart or a line. */
export interface SeriesOptions {
  /** One label per bar or point, under the x axis. */
  labels: readonly string[];
  /** null: no value there (a gap in a line). */
  values: readonly (number | null)[];
  /** The series' name (legend and tooltip). */
  name: string;
  width: number;
  height?: number;
  colour?: string;
}

const MIN_WIDTH = 240;
const AXIS = '#4a525c';

/** What bars and lines share: size, one label per x position, no legend, and resizing. */
function seriesChart(target: HTMLElement, o: SeriesOptions, y: uPlot.Scales, yAxis: uPlot.Axis, series: uPlot.Series): Chart {
  const xs = o.labels.map((_, i) => i);
  const height = o.height ?? 220;
  const plot = new uPlot(
    {
      width: Math.max(MIN_WIDTH, o.width),
      height,
      legend: { show: false },
      cursor: { y: false },
      scales: { x: { time: false, range: [-0.5, Math.max(0.5, xs.length - 0.5)] }, ...y },
      axes: [{ values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? (o.labels[i] ?? '') : '')), stroke: AXIS, grid: { show: false } }, yAxis],
      series: [{}, series],
    },
    [xs, [...o.values]],
    target,
  );
  return { resize: (width) => plot.setSize({ width: Math.max(MIN_WIDTH, width), height }), destroy: () => plot.destroy() };
}

/** Bars, one per label, in `target`: counts. */
export function barChart(target: HTMLElement, o: SeriesOptions): Chart {
  const colour = o.colour ?? '#0b5e7e';
  return seriesChart(
    target,
    o,
    { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    // Counts: whole-number steps only.
    { stroke: AXIS, grid: { stroke: '#dedbd2' }, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] },
    { label: o.name, stroke: colour, fill: `${colour}cc`, width: 0, paths: uPlot.paths.bars!({ size: [0.7, 48] }), points: { show: false } },
  );
}

/** A line over `labels`, on a 0–100 % scale (values are percentages): the utilisation trend. */
export function lineChart(target: HTMLElement, o: SeriesOptions): Chart {
  const colour = o.colour ?? '#0b5e7e';
  return seriesChart(
    target,
    o,
    { y: { range: [0, 100] } },
    { values: (_u, splits) => splits.map((v) => `${v}%`), stroke: AXIS, grid: { stroke: '#dedbd2' } },
    { label: o.name, stroke: colour, fill: `${colour}22`, width: 2, points: { show: o.labels.length <= 31, size: 5, fill: colour } },
  );
}
