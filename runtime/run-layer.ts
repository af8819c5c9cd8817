// One layer on a backend: map it with the RS+ mapper, compute it the way the chip does
// (architectural path), check that bit for bit against the functional reference, and gather the
// figures of result.json.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { totalMacsPerCycle, type ArchConfig } from '../golden/arch.js';
import { runArchitectural } from '../golden/archpath.js';
import { outH, outW, type Layer, type LayerData } from '../golden/layers.js';
import { MappingError, mapLayer, type Mapping } from '../golden/mapper.js';
import { writeNpy } from '../golden/npy.js';
import type { Requant } from '../golden/numerics.js';
import { perfFromCounts } from '../golden/perf.js';
import { referenceLayer, requantizeAll } from '../golden/reference.js';
import { requireBackend, type BackendName } from './backend.js';
import { nonzeroMacs } from './nonzero-macs.js';

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
  /** Backend output == functional reference (golden backend: architectural path vs reference). */
  matched: boolean;
  /** Off-chip-bandwidth-free time at the architecture's clock. */
  time_us: number;
  energy_pj: number;
  mapping: Mapping;
  output: { file: string; dtype: 'int32'; shape: number[] };
}

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

export function runLayer(layer: Layer, data: LayerData, arch: ArchConfig, backend: BackendName): LayerRun {
  requireBackend(backend);
  let mapping: Mapping;
  try {
    mapping = mapLayer(layer, { arch, weights: data.weights });
  } catch (e) {
    if (e instanceof MappingError) throw new UnmappableLayerError(e, arch);
    throw e;
  }
  // One values run gives both the output and the counts the performance model needs.
  const run = runArchitectural(layer, data, { arch, mapping });
  const perf = perfFromCounts(layer, mapping, run.counts, arch);
  const ref = referenceLayer(layer, data);
  let matched = run.output.length === ref.length;
  for (let i = 0; matched && i < ref.length; i++) matched = run.output[i] === ref[i];
  const nz = nonzeroMacs(layer, data);
  const ideal = Math.ceil(nz / totalMacsPerCycle(arch));
  return {
    output: run.output,
    result: {
      layer,
      arch: arch.name,
      backend,
      cycles: perf.cycles,
      golden_predicted_cycles: perf.cycles,
      ideal_cycles: ideal,
      macs: perf.macs,
      nonzero_macs: nz,
      utilization: perf.cycles === 0 ? 0 : ideal / perf.cycles,
      matched,
      time_us: perf.cycles / arch.clockMHz,
      energy_pj: perf.energy.totalPJ,
      mapping: perf.mapping,
      output: { file: 'output.npy', dtype: 'int32', shape: [layer.N, layer.M, outH(layer), outW(layer)] },
    },
  };
}

/** Writes output.npy, result.json and, when the layer asks for it, output-u8.npy (requantized). */
export async function writeLayerRun(dir: string, run: LayerRun, requant: Requant | null, extra: Record<string, unknown> = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  writeNpy(path.join(dir, run.result.output.file), { dtype: 'int32', shape: run.result.output.shape, data: run.output });
  const result: Record<string, unknown> = { ...run.result, ...extra };
  if (requant !== null) {
    writeNpy(path.join(dir, 'output-u8.npy'), { dtype: 'uint8', shape: run.result.output.shape, data: requantizeAll(run.output, requant) });
    result['requant'] = { ...requant, file: 'output-u8.npy' };
  } else {
    // An earlier run into the same folder must not leave outputs that result.json does not describe.
    await rm(path.join(dir, 'output-u8.npy'), { force: true });
  }
  await writeFile(path.join(dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
}
