// Performance model: cycles, time and energy of a layer and of a whole network, from the
// chip model's timing run (so sparsity, mapping, load imbalance and NoC bounds are the
// ones the chip would see on this data), plus the off-chip bandwidth bound when the architecture
// sets one.
import { paperArch, type ArchConfig } from '../spec/arch.js';
import { runChipModel, type ChipVariant, type LayerCounts } from './chip-model.js';
import { layerEnergy, type EnergyBreakdown } from './energy.js';
import { macs, type Layer, type LayerData } from './layers.js';
import { mapLayer, RS_SPATIAL_DIMS, type Mapping } from './mapper.js';
import { networkLayerData, type Network, type Sparsity } from './networks.js';

export interface LayerPerf {
  layer: Layer;
  mapping: Mapping;
  /** Nominal MACs (zeros included), as the paper counts operations. */
  macs: number;
  counts: LayerCounts;
  /** counts.cycles, raised to the DRAM bound when arch.dramBytesPerCycle is set. */
  cycles: number;
  dramBytes: number;
  energy: EnergyBreakdown;
  /** Nominal GOPS (2 ops per MAC) per W. */
  gopsPerWatt: number;
}

export function layerPerf(l: Layer, d: LayerData, chip: ChipVariant = 'v2', arch: ArchConfig = paperArch): LayerPerf {
  // The dense PE has no SIMD and sees no compression: map it as such; v1's dataflow is RS.
  const mapArch = chip === 'v2' ? arch : { ...arch, simd: 1 as const };
  const mapping =
    chip === 'v2' ? mapLayer(l, { arch, weights: d.weights }) : mapLayer(l, { arch: mapArch, spatialDims: chip === 'v1' ? RS_SPATIAL_DIMS : undefined });
  const { counts } = runChipModel(l, d, { arch: mapArch, mapping, mode: 'timing', variant: chip });
  return perfFromCounts(l, mapping, counts, arch);
}

/**
 * Cycles, DRAM bound and energy from a run's counts: for callers that already ran the
 * chip model (a values run counts exactly what a timing run does).
 */
export function perfFromCounts(l: Layer, mapping: Mapping, counts: LayerCounts, arch: ArchConfig = paperArch): LayerPerf {
  const dramBytes = counts.dramWeightBytes + counts.dramIactBytes + counts.dramOutputBytes;
  const cycles = arch.dramBytesPerCycle === null ? counts.cycles : Math.max(counts.cycles, Math.ceil(dramBytes / arch.dramBytesPerCycle));
  const energy = layerEnergy({ ...counts, cycles }, arch);
  const n = macs(l);
  return { layer: l, mapping, macs: n, counts, cycles, dramBytes, energy, gopsPerWatt: ((2 * n) / energy.totalPJ) * 1e3 };
}

export interface NetworkPerf {
  network: string;
  variant: Sparsity;
  chip: ChipVariant;
  layers: LayerPerf[];
  cycles: number;
  macs: number;
  energyPJ: number;
  inferencesPerSecond: number;
  inferencesPerJoule: number;
}

export function networkPerf(net: Network, variant: Sparsity, chip: ChipVariant = 'v2', seed = 1, arch: ArchConfig = paperArch): NetworkPerf {
  const layers = net.layers.map((nl, i) => layerPerf(nl.layer, networkLayerData(net, i, variant, seed), chip, arch));
  const cycles = layers.reduce((s, l) => s + l.cycles, 0);
  const energyPJ = layers.reduce((s, l) => s + l.energy.totalPJ, 0);
  return {
    network: net.name,
    variant,
    chip,
    layers,
    cycles,
    macs: layers.reduce((s, l) => s + l.macs, 0),
    energyPJ,
    inferencesPerSecond: (arch.clockMHz * 1e6) / cycles,
    inferencesPerJoule: 1e12 / energyPJ,
  };
}
