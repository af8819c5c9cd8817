// The RTL's cycles held against the golden model's, per layer, with the RTL's own lower bounds
// that the model does not have (result.json rtl.bounds): the busiest iact and weight fabric
// inputs of every job step (a router hands over one word a cycle, and a port interleaves its
// classes word by word, padded to equal length), and the configuration writes before the layer.
// A bound above the golden figure names that much of the gap; the rest (a PE's slower message
// delivery on a shared port, the hand-over between jobs and steps) is not measured apart.
import type { LayerResult } from '../run-layer.js';

function named(r: LayerResult): string {
  const b = r.rtl!.bounds;
  const gap = r.cycles - r.golden_predicted_cycles;
  if (Math.abs(gap) <= 0.05 * r.golden_predicted_cycles) return 'within 5 %';
  if (gap < 0) return 'RTL faster: shells queue the next job while a slower PE of the step ends';
  const port = Math.max(b.iact_port_cycles, b.weight_port_cycles);
  const which = b.iact_port_cycles >= b.weight_port_cycles ? 'iact' : 'weight';
  const byPort = Math.max(0, Math.min(gap, port - r.golden_predicted_cycles));
  const byConfig = Math.min(gap - byPort, b.config_writes);
  const parts = [
    ...(byPort > 0 ? [`${which} ports ${Math.round((100 * byPort) / gap)} %`] : []),
    ...(byConfig > 0 ? [`configuration ${Math.round((100 * byConfig) / gap)} %`] : []),
    `rest ${Math.round((100 * (gap - byPort - byConfig)) / gap)} %`,
  ];
  return parts.join(', ');
}

export function cycleGapMarkdown(results: readonly LayerResult[]): string[] {
  const rows = results.filter((r) => r.rtl !== undefined);
  if (rows.length === 0) return [];
  const n = (x: number): string => String(x);
  return [
    '## Cycles against the golden model',
    '',
    "RTL cycles beside the golden model's for the same mapping, and the RTL's lower bounds the model does not have (result.json `rtl.bounds`): per job step, the words of the busiest iact and weight fabric input (a router hands over one a cycle; a port interleaves its classes word by word, each padded to the longest), summed over the steps; the configuration writes before the layer (one a cycle). Gap named: the share of rtl - golden that the port bound above the golden figure and the configuration writes account for. The rest is not measured apart: a PE of a port with k classes takes one word every k cycles, so its job waits for its message longer than the model's one slot a cycle, and the hand-over between a PE's jobs and steps (commands, psum drain, GLB psum banks) has cycles the model does not count (docs/rtl.md, \"Where the RTL still differs from the golden model\").",
    '',
    '| layer | rtl cycles | golden cycles | rtl/golden | iact port bound | weight port bound | config writes | gap named |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map((r) => {
      const b = r.rtl!.bounds;
      return `| ${r.layer.name} | ${n(r.cycles)} | ${n(r.golden_predicted_cycles)} | ${(r.cycles / r.golden_predicted_cycles).toFixed(2)} | ${n(b.iact_port_cycles)} | ${n(b.weight_port_cycles)} | ${n(b.config_writes)} | ${named(r)} |`;
    }),
    '',
  ];
}
