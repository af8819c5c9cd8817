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
import type { Requant } from '../spec/numerics.js';
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
  output: { file: string; dtype: 'int32'; shape: number[] };
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
  /** NMEF raw psums, 20-bit sign-extended. */
  output: Int32Array;
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

/**
 * Runs one layer on a backend (opened by the caller, who closes it). The golden model maps and
 * counts the layer for every backend, so its cycles are reported beside the backend's; it computes
 * the values too only when the backend takes them as its own.
 */
export async function runLayer(layer: Layer, data: LayerData, arch: ArchConfig, backend: Backend): Promise<LayerRun> {
  const mapping = mapForRun(layer, data.weights, arch);
  const golden = runChipModel(layer, data, { arch, mapping, mode: backend.needsGoldenValues ? 'values' : 'timing' });
  const perf = perfFromCounts(layer, mapping, golden.counts, arch);
  const { output, cycles, rtl, offchipBytes } = await backend.runLayer(layer, data, mapping, {
    output: backend.needsGoldenValues ? golden.output : undefined,
    cycles: perf.cycles,
  });
  const ref = referenceLayer(layer, data);
  let matched = output.length === ref.length;
  for (let i = 0; matched && i < ref.length; i++) matched = output[i] === ref[i];
  const nz = nonzeroMacs(layer, data);
  const ideal = Math.ceil(nz / totalMacsPerCycle(arch));
  return {
    output,
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
      output: { file: 'output.npy', dtype: 'int32', shape: [layer.N, layer.M, outH(layer), outW(layer)] },
      ...(offchipBytes ? { rtl_offchip_bytes: offchipBytes } : {}),
      ...(rtl ? { rtl } : {}),
      eyeriss: eyerissVersion(),
    },
  };
}

/** Writes output.npy, result.json and, when the layer asks for it, output-u8.npy (requantized); returns result.json's content. */
export async function writeLayerRun(
  dir: string,
  run: LayerRun,
  requant: Requant | null,
  extra: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  await mkdir(dir, { recursive: true });
  writeNpy(path.join(dir, run.result.output.file), { dtype: 'int32', shape: run.result.output.shape, data: run.output });
  const result: Record<string, unknown> = { ...run.result, ...extra };
  if (requant !== null) {
    writeNpy(path.join(dir, 'output-u8.npy'), { dtype: 'uint8', shape: run.result.output.shape, data: requantizeAll(run.output, requant) });
    result['requant'] = { ...requant, file: 'output-u8.npy' };
  }
  await writeFile(path.join(dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
