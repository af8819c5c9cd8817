// A second simulator (issue 23, item 4): Icarus Verilog runs the small chip from the same
// programs and stream data as Verilator, and Verilator with unique X values and random register
// start values, seeded per run, gives the same bits: no result depends on X or on initial values.
import { beforeAll, describe, expect, it } from 'vitest';
import type { LayerType } from '../../golden/layers.js';
import { mapLayer } from '../../golden/mapper.js';
import { generateLayerData } from '../../golden/random.js';
import { randomSmallLayer } from '../../golden/random-layer.js';
import { referenceLayer } from '../../golden/reference.js';
import { namedArchs } from '../../spec/archs.js';
import { RtlSession, type RtlBuildOptions } from '../../runtime/rtl/session.js';
import { testSeed } from '../../tb/testing.js';
import { EyerissTop, chipParamsFromArch } from '../../generator/eyeriss/chip/index.js';
import { prebuild } from '../support/sim.js';

const small = namedArchs['small']!;
const TYPES: LayerType[] = ['conv', 'depthwise', 'pointwise', 'fc'];

describe('the small chip under Icarus and under Verilator with random X and start values', () => {
  // The plain Verilator session takes the small chip from the build cache, built under the lock the chip suites take.
  beforeAll(() => prebuild(EyerissTop, chipParamsFromArch(small)), 900_000);

  it('runs a layer of each type bit-exact with plain Verilator, cycle for cycle', async (ctx) => {
    const seed = testSeed(ctx);
    const layers = TYPES.map((type, i) => {
      const l = randomSmallLayer(seed + i, type);
      const d = generateLayerData(l, { iact: 0.6, weight: 0.5 }, seed + i);
      return { type, l, d, mapping: mapLayer(l, { arch: small, weights: d.weights }) };
    });
    // Verilator takes seeds from 1 to 2^31 - 1.
    const xSeed = (seed % (2 ** 31 - 1)) + 1;
    const simulators: [string, RtlBuildOptions][] = [
      ['verilator', {}],
      [`verilator --x-assign unique --x-initial unique, +verilator+seed+${xSeed}`, { randomInit: xSeed }],
      ['icarus', { simulator: 'icarus' }],
    ];
    const runs: Record<string, { output: number[]; cycles: number }[]> = {};
    for (const [name, build] of simulators) {
      const session = await RtlSession.open(small, { seed, build });
      try {
        runs[name] = [];
        for (const { l, d, mapping } of layers) {
          // Backpressure on every off-chip stream, drawn from the seed, so handshakes land on many cycle phases.
          const r = await session.runLayer(l, d, mapping, 10_000, { seed, validProbability: 0.7, readyProbability: 0.6 });
          runs[name].push({ output: Array.from(r.output), cycles: r.cycles });
        }
      } finally {
        await session.close();
      }
    }
    layers.forEach(({ type, l, d }, i) => {
      const ref = Array.from(referenceLayer(l, d));
      for (const [name] of simulators) expect(runs[name]![i]!.output, `${type} on ${name}`).toEqual(ref);
      for (const [name] of simulators) expect(runs[name]![i]!.cycles, `${type} cycles on ${name}`).toBe(runs['verilator']![i]!.cycles);
    });
  }, 1_800_000);
});
