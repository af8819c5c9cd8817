// A whole benchmark network, layer by layer, on one backend: the per-layer table (layers.md) and
// the totals (summary.json) that the paper's figures are compared with.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { totalMacsPerCycle, type ArchConfig } from '../golden/arch.js';
import { getNetwork, networkLayerData, type NetworkName, type Variant } from '../golden/networks.js';
import type { Layer } from '../golden/layers.js';
import type { BackendName } from './backend.js';
import { runLayer, type LayerResult } from './run-layer.js';

export interface NetworkSummary {
  network: NetworkName;
  variant: Variant;
  seed: number;
  arch: string;
  backend: BackendName;
  clock_mhz: number;
  macs_per_cycle: number;
  layers: number;
  /** Cycles per inference: the layers run one after the other. */
  cycles: number;
  golden_predicted_cycles: number;
  ideal_cycles: number;
  macs: number;
  nonzero_macs: number;
  inferences_per_second: number;
  /** Every layer's backend output equalled the functional reference. */
  all_matched: boolean;
  mismatched_layers: string[];
  layer_results: LayerResult[];
}

export interface NetworkOptions {
  network: NetworkName;
  variant: Variant;
  seed: number;
  arch: ArchConfig;
  backend: BackendName;
  /** Called after each layer (progress display). */
  onLayer?: (done: number, total: number, result: LayerResult) => void;
}

export function runNetwork(o: NetworkOptions): NetworkSummary {
  const net = getNetwork(o.network);
  const results: LayerResult[] = [];
  net.layers.forEach((nl, i) => {
    const { result } = runLayer(nl.layer, networkLayerData(net, i, o.variant, o.seed), o.arch, o.backend);
    results.push(result);
    o.onLayer?.(i + 1, net.layers.length, result);
  });
  const sum = (k: 'cycles' | 'golden_predicted_cycles' | 'ideal_cycles' | 'macs' | 'nonzero_macs'): number => results.reduce((s, r) => s + r[k], 0);
  const cycles = sum('cycles');
  const mismatched = results.filter((r) => !r.matched).map((r) => r.layer.name);
  return {
    network: o.network,
    variant: o.variant,
    seed: o.seed,
    arch: o.arch.name,
    backend: o.backend,
    clock_mhz: o.arch.clockMHz,
    macs_per_cycle: totalMacsPerCycle(o.arch),
    layers: results.length,
    cycles,
    golden_predicted_cycles: sum('golden_predicted_cycles'),
    ideal_cycles: sum('ideal_cycles'),
    macs: sum('macs'),
    nonzero_macs: sum('nonzero_macs'),
    inferences_per_second: (o.arch.clockMHz * 1e6) / cycles,
    all_matched: mismatched.length === 0,
    mismatched_layers: mismatched,
    layer_results: results,
  };
}

/** e.g. "C16 M32 8x8 k3x3 s2 p1 g16"; N, stride, padding and groups only when not 1/0. */
export function shapeText(l: Layer): string {
  const parts = [`C${l.C}`, `M${l.M}`, `${l.H}x${l.W}`, `k${l.R}x${l.S}`];
  if (l.N !== 1) parts.unshift(`N${l.N}`);
  if (l.stride !== 1) parts.push(`s${l.stride}`);
  if (l.padding !== 0) parts.push(`p${l.padding}`);
  if (l.groups !== 1) parts.push(`g${l.groups}`);
  return parts.join(' ');
}

const ratio = (cycles: number, ideal: number): string => (ideal === 0 ? '-' : (cycles / ideal).toFixed(2));

export function layersMarkdown(s: NetworkSummary, command: string): string {
  const lines = [
    `# ${s.network} (${s.variant}) on '${s.arch}', ${s.backend} backend`,
    '',
    `Made by \`${command}\` (data seed ${s.seed}). Ideal cycles = nonzero MACs / ${s.macs_per_cycle} (MACs per cycle of the array); ratio = ${s.backend} cycles / ideal cycles.`,
    '',
    `| layer | type | shape | MACs | nonzero MACs | ${s.backend} cycles | ideal cycles | ratio | matched |`,
    '|---|---|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of s.layer_results) {
    lines.push(`| ${r.layer.name} | ${r.layer.type} | ${shapeText(r.layer)} | ${r.macs} | ${r.nonzero_macs} | ${r.cycles} | ${r.ideal_cycles} | ${ratio(r.cycles, r.ideal_cycles)} | ${r.matched ? 'yes' : '**no**'} |`);
  }
  lines.push(`| **total** | | | ${s.macs} | ${s.nonzero_macs} | ${s.cycles} | ${s.ideal_cycles} | ${ratio(s.cycles, s.ideal_cycles)} | ${s.all_matched ? 'yes' : '**no**'} |`);
  lines.push('', `${s.cycles} cycles per inference = ${s.inferences_per_second.toFixed(1)} inferences/s at ${s.clock_mhz} MHz.`, '');
  return lines.join('\n');
}

export async function writeNetworkRun(dir: string, s: NetworkSummary, command: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'layers.md'), layersMarkdown(s, command));
  await writeFile(path.join(dir, 'summary.json'), `${JSON.stringify(s, null, 2)}\n`);
}
