// A whole network, layer by layer, on one backend: a benchmark of golden/networks.ts or a user's
// NETWORK.json. Writes the per-layer table (layers.md) and the totals (summary.json): cycles,
// inferences/s, the golden energy model's energy and DRAM traffic per inference.
import { mkdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { totalMacsPerCycle, type ArchConfig } from '../spec/arch.js';
import { getNetwork, networkLayerData, type NetworkName, type Sparsity } from '../golden/networks.js';
import type { Layer, LayerData } from '../golden/layers.js';
import type { Requant } from '../spec/numerics.js';
import { writeNpy } from '../golden/npy.js';
import { benchmarkRequant, referenceLayer } from '../golden/reference.js';
import type { BackendName } from './backend.js';
import type { LoadedNetwork } from './network-file.js';
import { checkRequantOnArch, mapForRun, runLayer, UnmappableLayerError, type LayerResult } from './run-layer.js';
import { LayerFileError } from './layer-file.js';
import type { ProgramOptions } from './rtl/program.js';
import type { RtlBuildOptions, RtlSessionOptions } from './rtl/session.js';
import { addOffchipBytes, type OffchipBytes } from './rtl/offchip.js';
import { openBackend } from './open-backend.js';
import { shapeText } from './shape-text.js';
import { generatedOf, writeGeneratedTensors, type GeneratedTensors } from './input-tensors.js';
import { writeReports } from './report/write.js';
import { iactTrafficMarkdown } from './report/iact-traffic.js';
import { cycleGapMarkdown } from './report/cycle-gap.js';
import { eyerissVersion, type EyerissVersion } from './version.js';

export interface NetworkSummary {
  /** The benchmark's name, or the "name" of the network file. */
  network: string;
  /** The NETWORK.json run (null for a benchmark). */
  network_file: string | null;
  /** Benchmark data: dense or sparse version and seed (null for a network file, whose layers set their own). */
  variant: Sparsity | null;
  seed: number | null;
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
  /** The golden energy model's energy per inference (for the rtl backend: of the same mappings at the golden cycles). */
  energy_pj: number;
  inferences_per_joule: number;
  /** Off-chip bytes per inference (golden model: weights, iacts, outputs). */
  dram_bytes: number;
  /** RTL backend only: the bytes that crossed the simulated chip's boundary per inference, by stream type. */
  rtl_offchip_bytes?: OffchipBytes;
  /** Every layer's backend output equalled the functional reference. */
  all_matched: boolean;
  mismatched_layers: string[];
  layer_results: LayerResult[];
  /** Wall-clock seconds of the whole run, and of the RTL simulator build (0 when cached or golden). */
  wall_seconds: number;
  rtl_build_seconds: number;
  /** With WAVES=1 on the rtl backend: the FST waveform of the run's one simulator, in the run's folder. */
  waves?: string;
  /** The eyeriss-ts that made the summary. */
  eyeriss: EyerissVersion;
}

export interface LayerOutputs {
  /** NMEF raw psums, 20-bit sign-extended; null when the chip requantized the layer (only u8 left it). */
  raw: Int32Array | null;
  u8: Uint8Array | null;
  /** The tensors the run generated for the layer (benchmark data, "generate"), saved beside the outputs. */
  generated: GeneratedTensors;
}

/** What runs: a benchmark network's dense or sparse version from a seed, or a loaded NETWORK.json. */
export type NetworkSource = { kind: 'benchmark'; network: NetworkName; variant: Sparsity; seed: number } | { kind: 'file'; loaded: LoadedNetwork };

export interface NetworkOptions {
  source: NetworkSource;
  arch: ArchConfig;
  backend: BackendName;
  /** Only the layers this accepts, e.g. the convolutions of a big network; default all. */
  layers?: (layer: Layer) => boolean;
  /**
   * Called after each layer (progress display, saving outputs) with the summary of the layers so
   * far and the layer's outputs: raw psums and, when the layer has requant, its 8-bit outputs.
   */
  onLayer?: (done: number, total: number, result: LayerResult, sofar: NetworkSummary, output: LayerOutputs) => void;
  /** Called before a long RTL simulator build. */
  onBuild?: (message: string) => void;
  /** The rtl backend's program switches (runtime/rtl/program.ts). */
  program?: ProgramOptions;
  /** The rtl backend sends raw psums off chip also for layers with a requant (RtlSessionOptions.rawPsums). */
  rawPsums?: boolean;
  /** The rtl backend runs the layers through the system top (RtlSessionOptions.system). */
  system?: RtlSessionOptions['system'];
  /** How the rtl backend builds its simulator (hierarchical blocks, model threads). */
  build?: RtlBuildOptions;
}

interface NetworkLayerSource {
  layer: Layer;
  /** The layer's 8-bit output stage, given its tensors: the next layer may take those outputs as its iacts (network files). */
  requant: (data: LayerData) => Requant | null;
  /**
   * The layer's tensors, given the 8-bit outputs of the layer before (null when there is none).
   * Benchmark data is generated only when the layer runs, so one layer's tensors live at a time.
   */
  data: (previousU8: Uint8Array | null) => LayerData;
  /** Which of those tensors were generated rather than read or chained. */
  generated: (data: LayerData) => GeneratedTensors;
}

function layerSources(src: NetworkSource): NetworkLayerSource[] {
  if (src.kind === 'file') {
    return src.loaded.layers.map((l) => ({
      layer: l.layer,
      requant: () => l.requant,
      data: (previousU8) => {
        if (!l.chained) return l.data;
        // loadNetworkFile checked that the layer before exists, has requant and the right shape.
        if (previousU8 === null) throw new Error(`layer '${l.layer.name}': its iacts are "previous" but no 8-bit outputs came before it`);
        return { iacts: Int32Array.from(previousU8), weights: l.data.weights };
      },
      generated: (data) => generatedOf(l.source, data),
    }));
  }
  const net = getNetwork(src.network);
  return net.layers.map((nl, i) => ({
    layer: nl.layer,
    requant: (data) => benchmarkRequant(referenceLayer(nl.layer, data)),
    data: () => networkLayerData(net, i, src.variant, src.seed),
    generated: (data) => data,
  }));
}

/**
 * Maps every layer of the network on `arch` before any runs, so an unmappable layer late in it
 * is reported at once with all the others (a network file's by their place in it).
 */
export function checkNetworkMappable(src: NetworkSource, arch: ArchConfig): void {
  const problems: string[] = [];
  if (src.kind === 'file') {
    src.loaded.layers.forEach((l, i) => {
      const p = unmappable(l.layer, l.data.weights, arch);
      if (p !== null) problems.push(`layers.${i}: ${p}`);
      try {
        checkRequantOnArch(l.layer, l.requant, arch);
      } catch (e) {
        problems.push(`layers.${i}.requant: ${(e as Error).message}`);
      }
    });
    if (problems.length > 0) throw new LayerFileError(src.loaded.file, problems);
    return;
  }
  const net = getNetwork(src.network);
  net.layers.forEach((nl, i) => {
    const p = unmappable(nl.layer, networkLayerData(net, i, src.variant, src.seed).weights, arch);
    if (p !== null) problems.push(`  ${nl.layer.name}: ${p}`);
  });
  if (problems.length > 0)
    throw new Error(`--network ${src.network}: ${problems.length} layer${problems.length === 1 ? '' : 's'} cannot be mapped\n${problems.join('\n')}`);
}

function unmappable(layer: Layer, weights: Int32Array, arch: ArchConfig): string | null {
  try {
    mapForRun(layer, weights, arch);
    return null;
  } catch (e) {
    if (e instanceof UnmappableLayerError) return e.message;
    throw e;
  }
}

export async function runNetwork(o: NetworkOptions): Promise<NetworkSummary> {
  if (o.source.kind === 'file' && o.layers !== undefined)
    throw new Error('runNetwork: a network file runs whole (its layers may take the outputs of the layer before)');
  const picked = layerSources(o.source).filter(({ layer }) => o.layers?.(layer) ?? true);
  const results: LayerResult[] = [];
  const started = performance.now();
  // One simulator for every layer: the chip is reset and reconfigured between layers.
  const backend = await openBackend(o.backend, o.arch, { onBuild: o.onBuild, program: o.program, rawPsums: o.rawPsums, system: o.system, build: o.build });
  const rtlBuildSeconds = Number(backend.buildSeconds.toFixed(1));
  const summary = (): NetworkSummary => summarize(identity(o.source), o.arch, o.backend, results, (performance.now() - started) / 1000, rtlBuildSeconds);
  try {
    let previousU8: Uint8Array | null = null;
    for (const { layer, requant, data, generated } of picked) {
      const tensors = data(previousU8);
      const run = await runLayer(layer, tensors, o.arch, backend, requant(tensors));
      // The backend's own 8-bit outputs (the chip's output stage, or the host's) feed the next layer.
      previousU8 = run.u8;
      results.push(run.result);
      o.onLayer?.(results.length, picked.length, run.result, summary(), { raw: run.output, u8: previousU8, generated: generated(tensors) });
    }
  } finally {
    await backend.close();
  }
  return summary();
}

/** The layers' measured off-chip bytes summed, when every layer has them (the rtl backend). */
function offchipTotal(results: LayerResult[]): Pick<NetworkSummary, 'rtl_offchip_bytes'> {
  const each = results.map((r) => r.rtl_offchip_bytes);
  if (each.length === 0 || each.some((b) => b === undefined)) return {};
  return { rtl_offchip_bytes: (each as OffchipBytes[]).reduce(addOffchipBytes) };
}

/** What ran: the fields of a summary that name it. */
export type RunIdentity = Pick<NetworkSummary, 'network' | 'network_file' | 'variant' | 'seed'>;

function identity(src: NetworkSource): RunIdentity {
  return src.kind === 'file'
    ? { network: src.loaded.name, network_file: src.loaded.file, variant: null, seed: null }
    : { network: src.network, network_file: null, variant: src.variant, seed: src.seed };
}

/** A run's totals over its layers' results (network runs and ONNX runs). */
export function summarize(
  id: RunIdentity,
  arch: ArchConfig,
  backend: BackendName,
  results: LayerResult[],
  wallSeconds: number,
  rtlBuildSeconds: number,
): NetworkSummary {
  const sum = (k: 'cycles' | 'golden_predicted_cycles' | 'ideal_cycles' | 'macs' | 'nonzero_macs' | 'energy_pj' | 'dram_bytes'): number =>
    results.reduce((s, r) => s + r[k], 0);
  const cycles = sum('cycles');
  const energy = sum('energy_pj');
  const mismatched = results.filter((r) => !r.matched).map((r) => r.layer.name);
  return {
    ...id,
    arch: arch.name,
    backend,
    clock_mhz: arch.clockMHz,
    macs_per_cycle: totalMacsPerCycle(arch),
    layers: results.length,
    cycles,
    golden_predicted_cycles: sum('golden_predicted_cycles'),
    ideal_cycles: sum('ideal_cycles'),
    macs: sum('macs'),
    nonzero_macs: sum('nonzero_macs'),
    inferences_per_second: (arch.clockMHz * 1e6) / cycles,
    energy_pj: energy,
    inferences_per_joule: energy === 0 ? 0 : 1e12 / energy,
    dram_bytes: sum('dram_bytes'),
    ...offchipTotal(results),
    all_matched: mismatched.length === 0,
    mismatched_layers: mismatched,
    layer_results: results,
    wall_seconds: Number(wallSeconds.toFixed(1)),
    rtl_build_seconds: rtlBuildSeconds,
    eyeriss: eyerissVersion(),
  };
}

const ratio = (cycles: number, ideal: number): string => (ideal === 0 ? '-' : (cycles / ideal).toFixed(2));

/** e.g. "mobilenet-0.5-128 (sparse) on 'paper', rtl backend": the heading of layers.md and report.html. */
const networkTitle = (s: NetworkSummary): string =>
  `${s.network_file === null ? `${s.network} (${s.variant})` : s.network} on '${s.arch}', ${s.backend} backend`;

export function layersMarkdown(s: NetworkSummary, command: string): string {
  const rtl = s.backend === 'rtl';
  const data = s.network_file === null ? `data seed ${s.seed}` : `data as ${path.basename(s.network_file)} gives it`;
  const lines = [
    `# ${networkTitle(s)}`,
    '',
    `Made by \`${command}\` (${data}). Ideal cycles = nonzero MACs / ${s.macs_per_cycle} (MACs per cycle of the array); ratio = ${s.backend} cycles / ideal cycles.` +
      (rtl
        ? ' Golden = the golden cycle model for the same mapping; matched = RTL output equals the functional reference bit for bit.' +
          ' Off-chip kB = iact, weight, psum-in and output bytes that crossed the simulated chip boundary (runtime/rtl/offchip.ts); golden DRAM kB = what the golden traffic model counts for the paper chip (golden/README.md).'
        : ' Energy and DRAM bytes: the golden energy and traffic model (golden/README.md).'),
    '',
    rtl
      ? '| layer | type | shape | MACs | nonzero MACs | rtl cycles | golden cycles | ideal cycles | rtl/golden | rtl/ideal | off-chip kB | golden DRAM kB | sim s | matched |'
      : `| layer | type | shape | MACs | nonzero MACs | ${s.backend} cycles | ideal cycles | ratio | energy µJ | DRAM kB | matched |`,
    rtl ? '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|' : '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  const cells = (list: (string | number)[]): string => `|${list.map((c) => (c === '' ? ' ' : ` ${c} `)).join('|')}|`;
  type Row = Pick<
    LayerResult,
    'macs' | 'nonzero_macs' | 'cycles' | 'golden_predicted_cycles' | 'ideal_cycles' | 'energy_pj' | 'dram_bytes' | 'rtl_offchip_bytes'
  >;
  const kB = (bytes: number): string => (bytes / 1e3).toFixed(1);
  const row = (name: string, type: string, shape: string, r: Row, simS: string, ok: boolean) =>
    cells(
      rtl
        ? [
            name,
            type,
            shape,
            r.macs,
            r.nonzero_macs,
            r.cycles,
            r.golden_predicted_cycles,
            r.ideal_cycles,
            ratio(r.cycles, r.golden_predicted_cycles),
            ratio(r.cycles, r.ideal_cycles),
            r.rtl_offchip_bytes ? kB(r.rtl_offchip_bytes.total) : '-',
            kB(r.dram_bytes),
            simS,
            ok ? 'yes' : '**no**',
          ]
        : [
            name,
            type,
            shape,
            r.macs,
            r.nonzero_macs,
            r.cycles,
            r.ideal_cycles,
            ratio(r.cycles, r.ideal_cycles),
            (r.energy_pj / 1e6).toFixed(2),
            kB(r.dram_bytes),
            ok ? 'yes' : '**no**',
          ],
    );
  for (const r of s.layer_results) lines.push(row(r.layer.name, r.layer.type, shapeText(r.layer), r, (r.rtl?.sim_seconds ?? 0).toFixed(1), r.matched));
  const simTotal = s.layer_results.reduce((a, r) => a + (r.rtl?.sim_seconds ?? 0), 0);
  lines.push(row('**total**', '', '', s, simTotal.toFixed(1), s.all_matched));
  lines.push('', `${s.cycles} cycles per inference = ${s.inferences_per_second.toFixed(1)} inferences/s at ${s.clock_mhz} MHz.`);
  if (rtl) {
    const b = s.rtl_offchip_bytes;
    const MB = (bytes: number): string => (bytes / 1e6).toFixed(3);
    if (b !== undefined) {
      lines.push(
        `Off chip per inference, measured on the RTL: ${MB(b.total)} MB (iact ${MB(b.iact)}, weight ${MB(b.weight)}, psum in ${MB(b.psum_in)}, output ${MB(b.output)}; ` +
          `control ${MB(b.control)} MB besides); the golden model counts ${MB(s.dram_bytes)} MB of DRAM traffic (ratio ${ratio(b.total, s.dram_bytes)}).`,
      );
    }
    lines.push(
      `Wall time ${s.wall_seconds} s (simulation ${simTotal.toFixed(1)} s${s.rtl_build_seconds > 0 ? `, simulator build ${s.rtl_build_seconds} s` : ', simulator taken from the build cache'}).`,
    );
  } else {
    lines.push(
      `${(s.energy_pj / 1e6).toFixed(2)} µJ per inference = ${s.inferences_per_joule.toFixed(1)} inferences/J; ${(s.dram_bytes / 1e6).toFixed(3)} MB of DRAM traffic per inference.`,
    );
  }
  lines.push('', ...offchipMarkdown(s), ...iactTrafficMarkdown(s.layer_results), ...cycleGapMarkdown(s.layer_results));
  return lines.join('\n');
}

/** The rtl backend's measured off-chip bytes by stream type, per layer, beside the golden model's DRAM bytes. */
function offchipMarkdown(s: NetworkSummary): string[] {
  if (s.rtl_offchip_bytes === undefined) return [];
  const kB = (bytes: number): string => (bytes / 1e3).toFixed(1);
  const row = (name: string, b: OffchipBytes, dram: number): string =>
    `| ${name} | ${kB(b.iact)} | ${kB(b.weight)} | ${kB(b.psum_in)} | ${kB(b.output)} | ${kB(b.total)} | ${kB(b.control)} | ${kB(dram)} | ${ratio(b.total, dram)} |`;
  return [
    '## Off-chip bytes, measured on the RTL',
    '',
    'Bytes that crossed the simulated chip boundary, by stream type (words x port width, packed); total = iact + weight + psum in + output; control = configuration and command words, outside the total. Golden DRAM = the golden traffic model, for the same mapping.',
    '',
    '| layer | iact kB | weight kB | psum in kB | output kB | total kB | control kB | golden DRAM kB | total/golden |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...s.layer_results.map((r) => row(r.layer.name, r.rtl_offchip_bytes!, r.dram_bytes)),
    row('**total**', s.rtl_offchip_bytes, s.dram_bytes),
    '',
  ];
}

/** Where a network file run writes the i-th (1-based) layer's outputs: DIR/outputs/NN-name (position first, so names never collide). */
export const networkOutputStem = (dir: string, i: number, name: string): string =>
  path.join(dir, 'outputs', `${String(i).padStart(2, '0')}-${name.replace(/[^A-Za-z0-9._-]/g, '_')}`);

/** A network file's layer outputs: NN-name.npy (raw int32 psums, unless the chip requantized them) and, with requant, NN-name-u8.npy. */
export function writeNetworkOutputs(dir: string, i: number, r: LayerResult, output: LayerOutputs): void {
  const stem = networkOutputStem(dir, i, r.layer.name);
  mkdirSync(path.dirname(stem), { recursive: true });
  if (output.raw !== null) writeNpy(`${stem}.npy`, { dtype: 'int32', shape: r.output.shape, data: output.raw });
  if (output.u8 !== null) writeNpy(`${stem}-u8.npy`, { dtype: 'uint8', shape: r.output.shape, data: output.u8 });
}

/** The tensors generated for the i-th layer: NN-name-iacts.npy and NN-name-weights.npy, as a LAYER.json reads them. */
export function writeNetworkInputs(dir: string, i: number, r: LayerResult, output: LayerOutputs): void {
  const stem = networkOutputStem(dir, i, r.layer.name);
  mkdirSync(path.dirname(stem), { recursive: true });
  writeGeneratedTensors(r.layer, output.generated, (which) => `${stem}-${which}.npy`);
}

/** layers.md (with `more` sections after the table), summary.json and the reports. */
export async function writeNetworkRun(dir: string, s: NetworkSummary, command: string, more: readonly string[] = []): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'layers.md'), [layersMarkdown(s, command), ...more].join('\n'));
  await writeFile(path.join(dir, 'summary.json'), `${JSON.stringify(s, null, 2)}\n`);
  await writeReports(dir, { title: networkTitle(s), command, clock_mhz: s.clock_mhz, eyeriss: s.eyeriss, results: s.layer_results });
}
