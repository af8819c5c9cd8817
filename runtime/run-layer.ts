// One layer on a backend: map it with the RS+ mapper, compute it the way the chip does
// (chip model), check that bit for bit against the functional reference, and gather the
// figures of result.json.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { totalMacsPerCycle, type ArchConfig } from '../spec/arch.js';
import { runChipModel } from '../golden/chip-model.js';
import { outH, outW, type Layer, type LayerData } from '../golden/layers.js';
import { MappingError, mapLayer, type Mapping } from '../golden/mapper.js';
import { writeNpy } from '../golden/npy.js';
import { checkRequantOnChip, type Requant } from '../spec/numerics.js';
import { perfFromCounts } from '../golden/perf.js';
import { referenceLayer, requantizeAll } from '../golden/reference.js';
import type { Backend, BackendName, RtlFigures } from './backend.js';
import type { OffchipBytes } from './rtl/offchip.js';
import { nonzeroMacs } from '../golden/nonzero-macs.js';
import type { EnergyBreakdown } from '../golden/energy.js';
import { eyerissVersion, type EyerissVersion } from './version.js';

/** The content of result.json (snake_case: read by scripts in any language). */
export interface LayerResult {
  layer: Layer;
  arch: string;
  backend: BackendName;
  /** The backend's cycles; for the golden backend, the golden cycle model's. */
  cycles: number;
  golden_predicted_cycles: number;
  /** nonzero_macs / MACs per cycle of the whole array (every PE busy on useful work). */
  ideal_cycles: number;
  macs: number;
  nonzero_macs: number;
  /** ideal_cycles / cycles: the fraction of the array's MAC slots doing non-zero work. */
  utilization: number;
  /** Backend output == functional reference (golden backend: chip model vs reference). */
  matched: boolean;
  /** Off-chip-bandwidth-free time at the architecture's clock. */
  time_us: number;
  /** The golden energy model's estimate (for the rtl backend: the same mapping at the golden cycles). */
  energy_pj: number;
  /** energy_pj by component (golden/energy.ts): MACs, SPads, NoC, GLB, clock, leakage; they add up to energy_pj. */
  energy_breakdown_pj: EnergyBreakdownPJ;
  /** Off-chip bytes the golden model counts for the layer: weight tiles as fetched, iacts, 8-bit outputs. */
  dram_bytes: number;
  /** dram_bytes by stream: iacts (as the mapping's staging plan fetches them), weight tiles, 8-bit outputs. */
  dram_bytes_by_stream: { iact: number; weight: number; output: number };
  /** RTL backend only: the bytes that crossed the simulated chip's boundary (runtime/rtl/offchip.ts). */
  rtl_offchip_bytes?: OffchipBytes;
  mapping: Mapping;
  /** The layer's output file: raw psums (output.npy), or output-u8.npy when the chip requantized and no raw psums exist. */
  output: { file: string; dtype: 'int32' | 'uint8'; shape: number[] };
  /** Layers with an 8-bit output stage: its settings, the file, and whether the chip applied it (else the host, from the raw psums). */
  requant?: Requant & { file: 'output-u8.npy'; on_chip: boolean };
  /** RTL backend only: simulation wall time and the program's job and pad counts. */
  rtl?: RtlFigures;
  /** The eyeriss-ts that made the result. */
  eyeriss: EyerissVersion;
}

export interface EnergyBreakdownPJ {
  mac: number;
  spad: number;
  noc: number;
  glb: number;
  clock: number;
  leakage: number;
}

/** golden/energy.ts's breakdown under result.json's snake_case keys, without its total (that is energy_pj). */
const energyBreakdownPJ = (e: EnergyBreakdown): EnergyBreakdownPJ => ({
  mac: e.macPJ,
  spad: e.spadPJ,
  noc: e.nocPJ,
  glb: e.glbPJ,
  clock: e.clockPJ,
  leakage: e.leakagePJ,
});

export interface LayerRun {
  result: LayerResult;
  /** NMEF raw psums, 20-bit sign-extended; null when the chip requantized them (only `u8` left the chip). */
  output: Int32Array | null;
  /** NMEF 8-bit outputs of a layer with `requant`: the chip's own, or the host's requantization of `output`. */
  u8: Uint8Array | null;
}

/** The raw psums of a run whose layer had no requant (so nothing was requantized on chip). */
export function rawOutput(run: LayerRun): Int32Array {
  if (run.output === null) throw new Error(`internal: layer '${run.result.layer.name}' was requantized on chip, so it has no raw psums`);
  return run.output;
}

/** No mapping fits; keeps the limit the mapper named and says what to change. */
export class UnmappableLayerError extends Error {
  readonly limit: string;
  constructor(e: MappingError, arch: ArchConfig) {
    super(`architecture '${arch.name}': ${e.message}; fix: change the layer, or use an --arch ARCH.json with a larger ${e.limit}`);
    this.name = 'UnmappableLayerError';
    this.limit = e.limit;
  }
}

/** The mapping a run of the layer uses; throws UnmappableLayerError when none fits the arch. */
export function mapForRun(layer: Layer, weights: Int32Array, arch: ArchConfig): Mapping {
  try {
    return mapLayer(layer, { arch, weights });
  } catch (e) {
    if (e instanceof MappingError) throw new UnmappableLayerError(e, arch);
    throw e;
  }
}

/** Throws when the chip of `arch` cannot apply `requant` (multipliers without an output multiplier, or wider than it): one rule for every backend. */
export function checkRequantOnArch(layer: Layer, requant: Requant | null, arch: ArchConfig): void {
  if (requant !== null) checkRequantOnChip(requant, arch.outputMultiplierBits ?? 0, `layer '${layer.name}'`, `architecture '${arch.name}'`);
}

/**
 * Runs one layer on a backend (opened by the caller, who closes it). The golden model maps and
 * counts the layer for every backend, so its cycles are reported beside the backend's; it computes
 * the values too only when the backend takes them as its own. `requant`: the layer's 8-bit output
 * stage, applied on chip where the backend has one (its 8-bit outputs are then what is checked).
 */
export async function runLayer(layer: Layer, data: LayerData, arch: ArchConfig, backend: Backend, requant: Requant | null = null): Promise<LayerRun> {
  checkRequantOnArch(layer, requant, arch);
  const mapping = mapForRun(layer, data.weights, arch);
  const golden = runChipModel(layer, data, { arch, mapping, mode: backend.needsGoldenValues ? 'values' : 'timing' });
  const perf = perfFromCounts(layer, mapping, golden.counts, arch);
  const { output, requantized, cycles, rtl, offchipBytes } = await backend.runLayer(
    layer,
    data,
    mapping,
    { output: backend.needsGoldenValues ? golden.output : undefined, cycles: perf.cycles },
    requant,
  );
  if (requantized && requant === null) throw new Error(`internal: backend '${backend.name}' requantized a layer that has no requant`);
  const raw = referenceLayer(layer, data);
  const ref = requantized && requant !== null ? requantizeAll(layer, raw, requant) : raw;
  let matched = output.length === ref.length;
  for (let i = 0; matched && i < ref.length; i++) matched = output[i] === ref[i];
  const u8 = requant === null ? null : requantized ? Uint8Array.from(output) : requantizeAll(layer, output, requant);
  const shape = [layer.N, layer.M, outH(layer), outW(layer)];
  const nz = nonzeroMacs(layer, data);
  const ideal = Math.ceil(nz / totalMacsPerCycle(arch));
  return {
    output: requantized ? null : output,
    u8,
    result: {
      layer,
      arch: arch.name,
      backend: backend.name,
      cycles,
      golden_predicted_cycles: perf.cycles,
      ideal_cycles: ideal,
      macs: perf.macs,
      nonzero_macs: nz,
      utilization: cycles === 0 ? 0 : ideal / cycles,
      matched,
      time_us: cycles / arch.clockMHz,
      energy_pj: perf.energy.totalPJ,
      energy_breakdown_pj: energyBreakdownPJ(perf.energy),
      dram_bytes: perf.dramBytes,
      dram_bytes_by_stream: { iact: perf.counts.dramIactBytes, weight: perf.counts.dramWeightBytes, output: perf.counts.dramOutputBytes },
      mapping: perf.mapping,
      output: requantized ? { file: 'output-u8.npy', dtype: 'uint8', shape } : { file: 'output.npy', dtype: 'int32', shape },
      ...(requant ? { requant: { ...requant, file: 'output-u8.npy' as const, on_chip: requantized } } : {}),
      ...(offchipBytes ? { rtl_offchip_bytes: offchipBytes } : {}),
      ...(rtl ? { rtl } : {}),
      eyeriss: eyerissVersion(),
    },
  };
}

/** Writes result.json, output.npy when raw psums exist and output-u8.npy when the layer has requant; returns result.json's content. */
export async function writeLayerRun(dir: string, run: LayerRun, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  await mkdir(dir, { recursive: true });
  const shape = run.result.output.shape;
  if (run.output !== null) writeNpy(path.join(dir, 'output.npy'), { dtype: 'int32', shape, data: run.output });
  if (run.u8 !== null) writeNpy(path.join(dir, 'output-u8.npy'), { dtype: 'uint8', shape, data: run.u8 });
  const result: Record<string, unknown> = { ...run.result, ...extra };
  await writeFile(path.join(dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
