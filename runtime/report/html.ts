// report.html: one self-contained page per run (inline CSS and SVG, no scripts, no fonts or
// anything else fetched), so it opens offline and can be mailed: a summary table, the charts of
// runtime/report/svg-charts.ts and the per-layer table.
import type { LayerResult } from '../run-layer.js';
import { shapeText } from '../shape-text.js';
import type { EyerissVersion } from '../version.js';
import { esc } from './escape.js';
import { barChart, categoryGrid, compactNumber, type Series } from './svg-charts.js';

export interface ReportInput {
  /** e.g. "mobile-block on 'paper', golden backend". */
  title: string;
  /** The command line that made the run. */
  command: string;
  clock_mhz: number;
  eyeriss: EyerissVersion;
  results: readonly LayerResult[];
}

const CSS = `body{font-family:sans-serif;margin:24px;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:8px 0 20px}th,td{border:1px solid #ccc;padding:3px 8px;font-size:13px}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f2f2f2}
figure.chart{margin:16px 0;overflow-x:auto}code{background:#f4f4f4;padding:1px 4px}.bad{color:#b00;font-weight:bold}`;

const ENERGY_PARTS = [
  ['mac', 'MAC', '#4e79a7'],
  ['spad', 'SPads', '#f28e2b'],
  ['noc', 'NoC', '#e15759'],
  ['glb', 'GLB', '#76b7b2'],
  ['clock', 'clock', '#59a14f'],
  ['leakage', 'leakage', '#edc948'],
] as const;

const NOC_COLORS = {
  unicast: '#e15759',
  multicast: '#f28e2b',
  broadcast: '#59a14f',
  grouped: '#edc948',
  interleaved: '#76b7b2',
  column: '#4e79a7',
  'column+cluster-chain': '#b07aa1',
  staged: '#9c755f',
  bypass: '#bab0ac',
};

const sum = (rs: readonly LayerResult[], f: (r: LayerResult) => number): number => rs.reduce((s, r) => s + f(r), 0);
const hasRtl = (rs: readonly LayerResult[]): boolean => rs.length > 0 && rs.every((r) => r.rtl_offchip_bytes !== undefined);

function table(head: readonly string[], rows: readonly (readonly (string | number)[])[], numeric: (col: number) => boolean): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const tr = rows.map((row) => `<tr>${row.map((c, i) => `<td${numeric(i) ? ' class="n"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

function summaryTable(r: ReportInput): string {
  const rs = r.results;
  // Every layer of a batched run (an ONNX input of N items) computes all N: per inference is per item.
  const batch = rs[0]?.layer.N ?? 1;
  const cycles = sum(rs, (x) => x.cycles);
  const energy = sum(rs, (x) => x.energy_pj);
  const per = batch === 1 ? 'per inference' : `per batch of ${batch}`;
  const rows: [string, string | number][] = [
    ['layers', rs.length],
    [`cycles ${per} (${rs[0]?.backend ?? '-'})`, cycles],
    ['golden model cycles', sum(rs, (x) => x.golden_predicted_cycles)],
    ['ideal cycles', sum(rs, (x) => x.ideal_cycles)],
    [`inferences/s at ${r.clock_mhz} MHz`, cycles === 0 ? '-' : ((batch * r.clock_mhz * 1e6) / cycles).toFixed(1)],
    [`energy ${per}, µJ (golden energy model)`, (energy / 1e6).toFixed(3)],
    ['inferences/J', energy === 0 ? '-' : ((batch * 1e12) / energy).toFixed(1)],
    [`DRAM MB ${per} (golden model)`, (sum(rs, (x) => x.dram_bytes) / 1e6).toFixed(3)],
  ];
  if (hasRtl(rs)) rows.push([`off-chip MB ${per} (measured on the RTL)`, (sum(rs, (x) => x.rtl_offchip_bytes!.total) / 1e6).toFixed(3)]);
  rows.push(['all layers matched the reference', rs.every((x) => x.matched) ? 'yes' : 'no']);
  return table(['figure', 'value'], rows, (c) => c === 1);
}

function layerTable(rs: readonly LayerResult[]): string {
  const rtl = hasRtl(rs);
  const head = [
    'layer',
    'type',
    'shape',
    'cycles',
    'golden cycles',
    'ideal cycles',
    'utilization %',
    'MACs',
    'nonzero MACs',
    'energy µJ',
    'DRAM kB',
    ...(rtl ? ['RTL off-chip kB'] : []),
    'NoC iact',
    'NoC weight',
    'mesh iact',
    'mesh weight',
    'NoC psum',
    'matched',
  ];
  const rows = rs.map((r) => [
    r.layer.name,
    r.layer.type,
    shapeText(r.layer),
    r.cycles,
    r.golden_predicted_cycles,
    r.ideal_cycles,
    (r.utilization * 100).toFixed(1),
    r.macs,
    r.nonzero_macs,
    (r.energy_pj / 1e6).toFixed(3),
    (r.dram_bytes / 1e3).toFixed(1),
    ...(rtl ? [(r.rtl_offchip_bytes!.total / 1e3).toFixed(1)] : []),
    r.mapping.noc.iact,
    r.mapping.noc.weight,
    r.mapping.noc.mesh.iact.mode,
    r.mapping.noc.mesh.weight.mode,
    r.mapping.noc.psum,
    r.matched ? 'yes' : 'no',
  ]);
  const numeric = (c: number): boolean => c >= 3 && c < head.length - 6;
  return table(head, rows, numeric);
}

function charts(rs: readonly LayerResult[]): string {
  const names = rs.map((r) => r.layer.name);
  const rtl = rs[0]?.backend === 'rtl';
  const cycles: Series[] = [
    ...(rtl ? [{ name: 'rtl', values: rs.map((r) => r.cycles), color: '#4e79a7' }] : []),
    { name: 'golden model', values: rs.map((r) => r.golden_predicted_cycles), color: '#f28e2b' },
    { name: 'ideal', values: rs.map((r) => r.ideal_cycles), color: '#59a14f' },
  ];
  const bytes: Series[] = [
    { name: 'golden DRAM', values: rs.map((r) => r.dram_bytes), color: '#76b7b2' },
    ...(hasRtl(rs) ? [{ name: 'RTL off-chip', values: rs.map((r) => r.rtl_offchip_bytes!.total), color: '#e15759' }] : []),
  ];
  return [
    barChart({ id: 'chart-cycles', title: 'Cycles per layer', categories: names, series: cycles, yLabel: 'cycles' }),
    barChart({
      id: 'chart-utilization',
      title: 'Utilization: ideal cycles / cycles',
      categories: names,
      series: [{ name: 'utilization', values: rs.map((r) => r.utilization * 100), color: '#4e79a7' }],
      yLabel: 'utilization, %',
      format: (v) => `${v.toFixed(1)}%`,
    }),
    barChart({
      id: 'chart-energy',
      title: 'Energy per layer by component (golden energy model)',
      categories: names,
      series: ENERGY_PARTS.map(([k, name, color]) => ({ name, color, values: rs.map((r) => r.energy_breakdown_pj[k] / 1e6) })),
      yLabel: 'energy, µJ',
      stacked: true,
      format: (v) => compactNumber(v),
    }),
    barChart({ id: 'chart-offchip', title: 'Off-chip bytes per layer', categories: names, series: bytes, yLabel: 'bytes' }),
    categoryGrid({
      id: 'chart-noc',
      title: 'NoC delivery mode and GLB iact staging per layer (mapping.noc, mapping.staging)',
      categories: names,
      rows: [
        { name: 'iact', values: rs.map((r) => r.mapping.noc.iact) },
        { name: 'weight', values: rs.map((r) => r.mapping.noc.weight) },
        { name: 'iact mesh', values: rs.map((r) => r.mapping.noc.mesh.iact.mode) },
        { name: 'weight mesh', values: rs.map((r) => r.mapping.noc.mesh.weight.mode) },
        { name: 'psum', values: rs.map((r) => r.mapping.noc.psum) },
        { name: 'iact GLB', values: rs.map((r) => r.mapping.staging.mode) },
      ],
      colors: NOC_COLORS,
    }),
  ].join('\n');
}

export function reportHtml(r: ReportInput): string {
  const mismatched = r.results.filter((x) => !x.matched).map((x) => x.layer.name);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(r.title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(r.title)}</h1>
<p>Made by <code>${esc(r.command)}</code> with eyeriss-ts ${esc(r.eyeriss.version)} (commit ${esc(r.eyeriss.commit)}).</p>
${mismatched.length > 0 ? `<p class="bad">Output differs from the functional reference in: ${esc(mismatched.join(', '))}</p>` : ''}
<h2>Summary</h2>
${summaryTable(r)}
<h2>Charts</h2>
<p>Ideal cycles = nonzero MACs / MACs per cycle of the array. Energy is the golden energy model's, for the same mapping at the golden cycles (chip only, DRAM excluded).
The NoC modes are what the mapper chose (<code>mapping.noc</code> in result.json): iact and weight delivery over the PE array (unicast, multicast, broadcast),
which clusters share one off-chip stream over the mesh (unicast, grouped or interleaved multicast, broadcast; <code>rtl.mesh</code> says what the RTL run did) and the psum path;
iact GLB is the staging plan (<code>mapping.staging</code>: staged where later m tiles replay iacts from the GLB iact banks, else bypass; <code>rtl.staging</code> says what the RTL run did);
with <code>--no-weight-multicast</code> / <code>--no-iact-multicast</code> / <code>--no-iact-mesh-multicast</code> / <code>--no-iact-staging</code> the rtl backend's program does not share or replay words even where the plan says so.</p>
${charts(r.results)}
<h2>Layers</h2>
${layerTable(r.results)}
</body></html>
`;
}
