import { describe, expect, it } from 'vitest';
import { runArchitectural } from '../../golden/archpath.js';
import { referenceLayer } from '../../golden/reference.js';
import { generateLayerData } from '../../golden/random.js';
import { parseArch, paperArch } from '../../golden/arch.js';
import { makeLayer, type LayerType } from '../../golden/layers.js';
import { randomSmallLayer } from './rng.js';

const small = parseArch({ ...paperArch, name: 'small', clusterRows: 1, clusterCols: 2 });

describe('architectural path == functional reference', () => {
  const types: LayerType[] = ['conv', 'depthwise', 'pointwise', 'fc'];
  for (const arch of [paperArch, small]) {
    for (const type of types) {
      it(`bit-identical on 60 random ${type} layers (${arch.name} arch), timing mode counts the same`, () => {
        for (let i = 0; i < 60; i++) {
          const seed = 50_000 + 1000 * types.indexOf(type) + i;
          const l = randomSmallLayer(seed, type);
          const d = generateLayerData(l, { iact: (i % 6) / 5, weight: ((i * 7) % 6) / 5 }, seed);
          const run = runArchitectural(l, d, { arch });
          expect(run.output, `${type} seed ${seed} mapping ${JSON.stringify(run.mapping)}`).toEqual(referenceLayer(l, d));
          expect(runArchitectural(l, d, { arch, mode: 'timing', mapping: run.mapping }).counts).toEqual(run.counts);
        }
      });
    }
  }

  it('covers reduction passes with psum chunks in the GLB, cluster chains and long zero runs', () => {
    // 200 channels need 14 slices of C0 <= 15 -> passes; F = 60 windows of M0 = 32 psums overflow
    // one GLB psum set -> chunks; weight density 0.1 over M0 = 32 rows -> (15,0) fillers.
    const l = makeLayer({ name: 'wide', type: 'pointwise', C: 200, M: 64, H: 6, W: 200 });
    const d = generateLayerData(l, { iact: 0.7, weight: 0.1 }, 7);
    const ref = referenceLayer(l, d);
    expect(runArchitectural(l, d).output).toEqual(ref);
    const run = runArchitectural(l, d, { arch: small });
    expect(run.output).toEqual(ref);
    expect(run.mapping.reduction.passes).toBeGreaterThan(1);
    expect(run.mapping.psumChunkSteps).toBeLessThan(run.mapping.temporal.n * run.mapping.temporal.e * run.mapping.temporal.f);
    expect(run.mapping.pe.M0).toBeGreaterThan(16);
    const chained = makeLayer({ name: 'deep', type: 'conv', C: 40, M: 8, H: 4, W: 4, R: 3, S: 3, padding: 1 });
    const dc = generateLayerData(chained, { iact: 0.8, weight: 0.9 }, 8);
    const deep = runArchitectural(chained, dc);
    expect(deep.mapping.stack.clusterRows).toBeGreaterThan(1);
    expect(deep.mapping.reduction.passes).toBeGreaterThan(1);
    expect(deep.output).toEqual(referenceLayer(chained, dc));
  });

  it('sampled runs produce a subset of the reference outputs', () => {
    const l = makeLayer({ name: 'sampled', type: 'conv', C: 16, M: 64, H: 20, W: 20, R: 3, S: 3, padding: 1, N: 2 });
    const d = generateLayerData(l, { iact: 0.6, weight: 0.5 }, 9);
    const ref = referenceLayer(l, d);
    const run = runArchitectural(l, d, { sample: 3 });
    let produced = 0;
    run.computed.forEach((c, i) => {
      if (c === 1) {
        produced++;
        expect(run.output[i]).toBe(ref[i]);
      }
    });
    expect(produced).toBeGreaterThan(ref.length / 6);
    expect(produced).toBeLessThan(ref.length);
  });
});
