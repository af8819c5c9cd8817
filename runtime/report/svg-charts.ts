// Inline SVG charts for report.html: bars per layer (grouped or stacked, with axes, ticks, a
// legend and a tooltip per bar) and a grid of categories per layer (the NoC modes). Plain
// strings, no scripts: the report opens offline in any browser.
import { esc } from './escape.js';

export interface Series {
  name: string;
  values: readonly number[];
  color: string;
}

export interface BarChartSpec {
  /** The id of the chart's <figure>, e.g. "chart-cycles". */
  id: string;
  title: string;
  /** One label per group of bars: the layer names. */
  categories: readonly string[];
  series: readonly Series[];
  yLabel: string;
  /** Stack the series in one bar per category instead of one bar per series. */
  stacked?: boolean;
  /** How a value is printed on the axis and in a bar's tooltip. */
  format?: (v: number) => string;
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 2 });
export const compactNumber = (v: number): string => compact.format(v);

const FONT = 'font-family="sans-serif" font-size="11"';
const TOP = 44;
const LEFT = 72;
const RIGHT = 16;
const PLOT_H = 220;

/** A step of 1, 2 or 5 times a power of ten giving about five ticks up to `max`. */
function tickStep(max: number): number {
  if (max <= 0) return 1;
  const raw = max / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
}

/** The category axis: its labels turn 45 degrees when they would not fit side by side. */
function xAxis(categories: readonly string[], slot: number, plotW: number): { svg: string; height: number } {
  const longest = Math.max(1, ...categories.map((c) => c.length));
  const rotate = longest * 6.5 > slot;
  const y = TOP + PLOT_H;
  const labels = categories.map((c, i) => {
    const x = LEFT + (i + 0.5) * slot;
    return rotate
      ? `<text x="${x}" y="${y + 12}" text-anchor="end" transform="rotate(-45 ${x} ${y + 12})">${esc(c)}</text>`
      : `<text x="${x}" y="${y + 14}" text-anchor="middle">${esc(c)}</text>`;
  });
  const height = rotate ? Math.min(180, 24 + longest * 4.8) : 24;
  const title = `<text x="${LEFT + plotW / 2}" y="${y + height + 14}" text-anchor="middle">layer</text>`;
  return { svg: `<g ${FONT}>${labels.join('')}${title}</g>`, height: height + 22 };
}

function yAxis(max: number, plotW: number, label: string, format: (v: number) => string): string {
  const step = tickStep(max);
  const ticks: string[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) {
    const y = TOP + PLOT_H - (v / max) * PLOT_H;
    ticks.push(
      `<line x1="${LEFT}" x2="${LEFT + plotW}" y1="${y}" y2="${y}" stroke="#ddd"/>` +
        `<text x="${LEFT - 6}" y="${y + 4}" text-anchor="end">${esc(format(v))}</text>`,
    );
  }
  const yMid = TOP + PLOT_H / 2;
  return (
    `<g ${FONT}>${ticks.join('')}` +
    `<line x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${TOP + PLOT_H}" stroke="#333"/>` +
    `<line x1="${LEFT}" x2="${LEFT + plotW}" y1="${TOP + PLOT_H}" y2="${TOP + PLOT_H}" stroke="#333"/>` +
    `<text x="14" y="${yMid}" text-anchor="middle" transform="rotate(-90 14 ${yMid})">${esc(label)}</text></g>`
  );
}

/** The legend in one line above the plot; `right` is where it ends, so the SVG can be made wide enough. */
function legend(entries: readonly { name: string; color: string }[]): { svg: string; right: number } {
  let x = LEFT;
  const items = entries.map((e) => {
    const item = `<rect x="${x}" y="22" width="10" height="10" fill="${esc(e.color)}"/><text x="${x + 14}" y="31">${esc(e.name)}</text>`;
    x += 24 + e.name.length * 6.5;
    return item;
  });
  return { svg: `<g ${FONT}>${items.join('')}</g>`, right: x };
}

/** Wide enough for the plot, the legend and the bold title (about 7.5 px a character at 13 px). */
const chartWidth = (plotW: number, legendRight: number, title: string): number =>
  Math.ceil(Math.max(LEFT + plotW, legendRight, LEFT + title.length * 7.5) + RIGHT);

const svgOpen = (width: number, height: number, title: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}">` +
  `<text x="${LEFT}" y="14" font-family="sans-serif" font-size="13" font-weight="bold">${esc(title)}</text>`;

const figure = (id: string, svg: string): string => `<figure class="chart" id="${esc(id)}">${svg}</figure>`;

export function barChart(c: BarChartSpec): string {
  const format = c.format ?? compactNumber;
  const n = c.categories.length;
  const slot = c.stacked === true ? 34 : Math.max(34, 12 * c.series.length + 12);
  const plotW = Math.max(240, n * slot);
  const totals = c.categories.map((_, i) =>
    c.stacked === true ? c.series.reduce((s, se) => s + se.values[i]!, 0) : Math.max(...c.series.map((se) => se.values[i]!)),
  );
  const rawMax = Math.max(0, ...totals);
  const step = tickStep(rawMax);
  const max = rawMax > 0 ? Math.ceil(rawMax / step) * step : 1;
  const h = (v: number): number => (v / max) * PLOT_H;
  const bars: string[] = [];
  c.categories.forEach((cat, i) => {
    let base = TOP + PLOT_H;
    c.series.forEach((se, k) => {
      const v = se.values[i]!;
      const width = c.stacked === true ? slot - 10 : (slot - 10) / c.series.length;
      const x = LEFT + i * slot + 5 + (c.stacked === true ? 0 : k * width);
      const y = c.stacked === true ? base - h(v) : TOP + PLOT_H - h(v);
      if (c.stacked === true) base -= h(v);
      bars.push(
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${width.toFixed(1)}" height="${h(v).toFixed(1)}" fill="${esc(se.color)}">` +
          `<title>${esc(`${cat}, ${se.name}: ${format(v)}`)}</title></rect>`,
      );
    });
  });
  const x = xAxis(c.categories, slot, plotW);
  const key = legend(c.series);
  const width = chartWidth(plotW, key.right, c.title);
  const height = TOP + PLOT_H + x.height;
  return figure(c.id, `${svgOpen(width, height, c.title)}${key.svg}${yAxis(max, plotW, c.yLabel, format)}<g>${bars.join('')}</g>${x.svg}</svg>`);
}

export interface GridSpec {
  id: string;
  title: string;
  categories: readonly string[];
  /** One row of cells per entry: its label and one category value per column. */
  rows: readonly { name: string; values: readonly string[] }[];
  /** The colour of each value that may appear. */
  colors: Readonly<Record<string, string>>;
}

/** A row of coloured cells per entry, a column per layer, a legend of the values. */
export function categoryGrid(g: GridSpec): string {
  const slot = 34;
  const cellH = 26;
  const plotW = Math.max(240, g.categories.length * slot);
  const cells: string[] = [];
  g.rows.forEach((row, r) => {
    const y = TOP + r * cellH;
    cells.push(`<text x="${LEFT - 6}" y="${y + cellH / 2 + 4}" text-anchor="end" ${FONT}>${esc(row.name)}</text>`);
    row.values.forEach((v, i) => {
      cells.push(
        `<rect x="${LEFT + i * slot + 2}" y="${y + 2}" width="${slot - 4}" height="${cellH - 4}" fill="${esc(g.colors[v] ?? '#999')}">` +
          `<title>${esc(`${g.categories[i]!}, ${row.name}: ${v}`)}</title></rect>`,
      );
    });
  });
  const plotH = g.rows.length * cellH;
  // The category axis sits under the grid, not under a bar plot's full height.
  const x = xAxis(g.categories, slot, plotW);
  const shift = plotH - PLOT_H;
  const used = Object.entries(g.colors).filter(([v]) => g.rows.some((row) => row.values.includes(v)));
  const key = legend(used.map(([name, color]) => ({ name, color })));
  const width = chartWidth(plotW, key.right, g.title);
  const height = TOP + plotH + x.height;
  return figure(g.id, `${svgOpen(width, height, g.title)}${key.svg}<g>${cells.join('')}</g>` + `<g transform="translate(0 ${shift})">${x.svg}</g></svg>`);
}
