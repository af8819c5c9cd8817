import { describe, expect, it } from 'vitest';
import { layerPerf, networkPerf } from '../../golden/perf.js';
import { getNetwork } from '../../golden/networks.js';
import { layerEnergy } from '../../golden/energy.js';
import { makeLayer, macs } from '../../golden/layers.js';
import { generateLayerData } from '../../golden/random.js';
import { paperArch, totalMacsPerCycle } from '../../spec/arch.js';
import { runChipModel, V1_BUS_VALUES } from '../../golden/chip-model.js';

describe('performance and energy model', () => {
  const l = makeLayer({ name: 'pw', type: 'pointwise', C: 128, M: 128, H: 16, W: 16 });
  const dense = generateLayerData(l, { iact: 1, weight: 1 }, 1);
  const sparse = generateLayerData(l, { iact: 0.5, weight: 0.4 }, 1);

  it('never beats the peak and gets faster with sparsity', () => {
    const pd = layerPerf(l, dense);
    expect(pd.cycles).toBeGreaterThanOrEqual(Math.ceil(macs(l) / totalMacsPerCycle(paperArch)));
    expect(pd.counts.macs).toBe(macs(l));
    const ps = layerPerf(l, sparse);
    expect(ps.cycles).toBeLessThan(pd.cycles);
    expect(ps.counts.macs).toBeLessThan(pd.counts.macs);
    expect(ps.energy.totalPJ).toBeLessThan(pd.energy.totalPJ);
  });

  it('orders the chip variants v2 < v1.5 < v1 in cycles on a dense layer', () => {
    const v2 = layerPerf(l, dense, 'v2').cycles,
      v15 = layerPerf(l, dense, 'v1.5').cycles,
      v1 = layerPerf(l, dense, 'v1').cycles;
    expect(v2).toBeLessThan(v15);
    expect(v15).toBeLessThanOrEqual(v1);
  });

  it('runs v1 on the original Eyeriss buses: an FC layer, which reuses no weight, streams 8 weights a cycle', () => {
    expect(V1_BUS_VALUES).toEqual({ iacts: 2, weights: 8, psums: 3 });
    const fc = makeLayer({ name: 'fc', type: 'fc', C: 1024, M: 256, H: 1, W: 1 });
    const d = generateLayerData(fc, { iact: 1, weight: 1 }, 3);
    const v1 = layerPerf(fc, d, 'v1').cycles;
    expect(v1).toBeGreaterThanOrEqual((fc.C * fc.M) / V1_BUS_VALUES.weights);
    expect(v1).toBeLessThan((1.02 * (fc.C * fc.M)) / V1_BUS_VALUES.weights);
    expect(layerPerf(fc, d, 'v1.5').cycles).toBeLessThan(v1 / 5);
  });

  it('maps v1 with row stationary (spec 5.2): groups and batch elements run in time, not over the PEs', () => {
    const dw = makeLayer({ name: 'dw', type: 'depthwise', C: 64, M: 64, H: 16, W: 16, R: 3, S: 3, padding: 1 });
    const d = generateLayerData(dw, { iact: 1, weight: 1 }, 4);
    const v1 = layerPerf(dw, d, 'v1'),
      v15 = layerPerf(dw, d, 'v1.5');
    expect([v1.mapping.spatial.g, v1.mapping.spatial.n]).toEqual([1, 1]);
    expect(v15.mapping.spatial.g).toBeGreaterThan(1);
    expect(v1.mapping.temporal.g).toBe(64);
    expect(v15.mapping.temporal.g).toBeLessThan(64);
    // v1 is timed on the RS mapping it reports.
    expect(runChipModel(dw, d, { arch: { ...paperArch, simd: 1 }, mapping: v1.mapping, mode: 'timing', variant: 'v1' }).counts).toEqual(v1.counts);
  });

  it('the HM-NoC keeps near-linear scaling from 4x4 to 8x8 clusters where the flat NoC does not', () => {
    // Fig. 14's setting: 4x4 PEs per cluster at 1 MAC per cycle.
    const big = makeLayer({ name: 'pw', type: 'pointwise', C: 256, M: 256, H: 28, W: 28 });
    const d = generateLayerData(big, { iact: 1, weight: 1 }, 3);
    const at = (k: number) => ({ ...paperArch, clusterRows: k, clusterCols: k, peRows: 4, peCols: 4, simd: 1 as const });
    const speedup = (chip: 'v1.5' | 'v1') => layerPerf(big, d, chip, at(4)).cycles / layerPerf(big, d, chip, at(8)).cycles;
    expect(speedup('v1.5')).toBeGreaterThan(3.4);
    expect(speedup('v1')).toBeLessThan(speedup('v1.5'));
  });

  it('a DRAM limit only adds cycles, and more so when tighter', () => {
    const free = layerPerf(l, sparse).cycles;
    const mid = layerPerf(l, sparse, 'v2', { ...paperArch, dramBytesPerCycle: 16 }).cycles;
    const tight = layerPerf(l, sparse, 'v2', { ...paperArch, dramBytesPerCycle: 1 }).cycles;
    expect(mid).toBeGreaterThanOrEqual(free);
    expect(tight).toBeGreaterThan(mid);
  });

  it('energy is the sum of its parts and grows with every event', () => {
    const p = layerPerf(l, sparse);
    const e = p.energy;
    expect(e.totalPJ).toBeCloseTo(e.macPJ + e.spadPJ + e.nocPJ + e.glbPJ + e.clockPJ + e.leakagePJ, 6);
    const more = layerEnergy({ ...p.counts, macs: p.counts.macs + 1000 }, paperArch);
    expect(more.totalPJ).toBeGreaterThan(e.totalPJ);
  });

  it('sums a network over its layers', () => {
    const p = networkPerf(getNetwork('mobilenet-0.5-128'), 'sparse');
    expect(p.layers).toHaveLength(28);
    expect(p.cycles).toBe(p.layers.reduce((s, x) => s + x.cycles, 0));
    expect(p.inferencesPerSecond).toBeCloseTo((paperArch.clockMHz * 1e6) / p.cycles, 6);
    expect(p.inferencesPerJoule).toBeCloseTo(1e12 / p.layers.reduce((s, x) => s + x.energy.totalPJ, 0), 6);
    expect(p.macs).toBe(49_160_192);
  });
});
