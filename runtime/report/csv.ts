// layers.csv: one row per layer of a run, for spreadsheets and scripts. RFC 4180: comma
// separated, CRLF line ends, a field quoted (quotes doubled) when it holds a comma, quote or line
// break. Numbers are written as JavaScript prints them, so they read back equal to result.json.
import { shapeText } from '../shape-text.js';
import type { LayerResult } from '../run-layer.js';
import type { OffchipBytes } from '../rtl/offchip.js';

type Cell = string | number | boolean;

interface Column {
  name: string;
  value: (r: LayerResult) => Cell;
}

const OFFCHIP_KEYS = ['iact', 'weight', 'psum_in', 'output', 'total', 'control'] as const satisfies readonly (keyof OffchipBytes)[];

const BASE_COLUMNS: Column[] = [
  { name: 'layer', value: (r) => r.layer.name },
  { name: 'type', value: (r) => r.layer.type },
  { name: 'shape', value: (r) => shapeText(r.layer) },
  { name: 'backend', value: (r) => r.backend },
  { name: 'cycles', value: (r) => r.cycles },
  { name: 'golden_cycles', value: (r) => r.golden_predicted_cycles },
  { name: 'ideal_cycles', value: (r) => r.ideal_cycles },
  { name: 'utilization', value: (r) => r.utilization },
  { name: 'time_us', value: (r) => r.time_us },
  { name: 'macs', value: (r) => r.macs },
  { name: 'nonzero_macs', value: (r) => r.nonzero_macs },
  { name: 'dram_bytes', value: (r) => r.dram_bytes },
  { name: 'energy_mac_pj', value: (r) => r.energy_breakdown_pj.mac },
  { name: 'energy_spad_pj', value: (r) => r.energy_breakdown_pj.spad },
  { name: 'energy_noc_pj', value: (r) => r.energy_breakdown_pj.noc },
  { name: 'energy_glb_pj', value: (r) => r.energy_breakdown_pj.glb },
  { name: 'energy_clock_pj', value: (r) => r.energy_breakdown_pj.clock },
  { name: 'energy_leakage_pj', value: (r) => r.energy_breakdown_pj.leakage },
  { name: 'energy_total_pj', value: (r) => r.energy_pj },
  { name: 'noc_iact', value: (r) => r.mapping.noc.iact },
  { name: 'noc_weight', value: (r) => r.mapping.noc.weight },
  { name: 'mesh_iact', value: (r) => r.mapping.noc.mesh.iact.mode },
  { name: 'mesh_weight', value: (r) => r.mapping.noc.mesh.weight.mode },
  { name: 'noc_psum', value: (r) => r.mapping.noc.psum },
  { name: 'matched', value: (r) => r.matched },
];

// The rtl backend's measured bytes, only when every row has them (a golden run has none).
const RTL_COLUMNS: Column[] = [
  ...OFFCHIP_KEYS.map((k) => ({ name: `rtl_offchip_${k}_bytes`, value: (r: LayerResult) => r.rtl_offchip_bytes![k] })),
  { name: 'iact_staged_ports', value: (r) => r.rtl!.staging.staged_ports },
  { name: 'iact_replayed_words', value: (r) => r.rtl!.staging.replayed_words },
  { name: 'sim_seconds', value: (r) => r.rtl!.sim_seconds },
];

/** One field, quoted when RFC 4180 needs it. */
export function csvField(c: Cell): string {
  const s = String(c);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function layersCsv(results: readonly LayerResult[]): string {
  const rtl = results.length > 0 && results.every((r) => r.rtl_offchip_bytes !== undefined && r.rtl !== undefined);
  const columns = rtl ? [...BASE_COLUMNS, ...RTL_COLUMNS] : BASE_COLUMNS;
  const line = (cells: Cell[]): string => `${cells.map(csvField).join(',')}\r\n`;
  return line(columns.map((c) => c.name)) + results.map((r) => line(columns.map((c) => c.value(r)))).join('');
}
