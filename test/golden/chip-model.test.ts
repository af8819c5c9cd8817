import { describe, expect, it } from 'vitest';
import { runChipModel } from '../../golden/chip-model.js';
import { referenceLayer } from '../../golden/reference.js';
import { generateLayerData } from '../../golden/random.js';
import { parseArch, paperArch } from '../../spec/arch.js';
import { makeLayer, type LayerType } from '../../golden/layers.js';
import { encodeWeightCsc, FILLER_PAIR, unpackWordToPairs } from '../../spec/csc.js';
import { weightTile } from '../../golden/mapper.js';
import { randomSmallLayer } from '../../golden/random-layer.js';

const small = parseArch({ ...paperArch, name: 'small', clusterRows: 1, clusterCols: 2 });

describe('chip model == functional reference', () => {
  const types: LayerType[] = ['conv', 'depthwise', 'pointwise', 'fc'];
  for (const arch of [paperArch, small]) {
    for (const type of types) {
      it(`bit-identical on 60 random ${type} layers (${arch.name} arch), timing mode counts the same`, () => {
        for (let i = 0; i < 60; i++) {
          const seed = 50_000 + 1000 * types.indexOf(type) + i;
          const l = randomSmallLayer(seed, type);
          const d = generateLayerData(l, { iact: (i % 6) / 5, weight: ((i * 7) % 6) / 5 }, seed);
          const run = runChipModel(l, d, { arch });
          expect(run.output, `${type} seed ${seed} mapping ${JSON.stringify(run.mapping)}`).toEqual(referenceLayer(l, d));
          expect(runChipModel(l, d, { arch, mode: 'timing', mapping: run.mapping }).counts).toEqual(run.counts);
        }
      });
    }
  }

  it('covers reduction passes with psum chunks in the GLB, cluster chains and long zero runs', () => {
    // 200 channels need 15 slices of C0 <= 15 on 3-PE stacks -> passes; F = 200 windows overflow
    // one cluster's GLB psum banks -> chunks.
    const l = makeLayer({ name: 'wide', type: 'pointwise', C: 200, M: 64, H: 6, W: 200 });
    const d = generateLayerData(l, { iact: 0.7, weight: 0.1 }, 7);
    const ref = referenceLayer(l, d);
    expect(runChipModel(l, d).output).toEqual(ref);
    const run = runChipModel(l, d, { arch: small });
    expect(run.output).toEqual(ref);
    expect(run.mapping.reduction.passes).toBeGreaterThan(1);
    const nef = run.mapping.temporal.n * run.mapping.temporal.e * run.mapping.temporal.f;
    expect(run.mapping.psumChunkSteps).toBeLessThan(nef);
    // Each psum chunk runs every pass again, so every weight tile crosses from DRAM once per chunk.
    const chunks = Math.ceil(nef / run.mapping.psumChunkSteps);
    expect(run.counts.dramWeightBytesOnce).toBeGreaterThan(0);
    expect(run.counts.dramWeightBytes).toBe(chunks * run.counts.dramWeightBytesOnce);
    expect(run.counts.dramIactBytesOnce).toBeLessThanOrEqual(run.counts.dramIactBytes);
    // 40 channels x 3 filter rows need more PEs than one cluster column: a cluster chain.
    const chained = makeLayer({ name: 'deep', type: 'conv', C: 40, M: 8, H: 4, W: 4, R: 3, S: 3, padding: 1 });
    const dc = generateLayerData(chained, { iact: 0.8, weight: 0.9 }, 8);
    const deep = runChipModel(chained, dc);
    expect(deep.mapping.stack.clusterRows).toBeGreaterThan(1);
    expect(deep.output).toEqual(referenceLayer(chained, dc));
    // A single PE with a 64-entry psum SPad takes all 32 output channels in one tile; at weight
    // density 0.04 its columns have zero runs > 15 -> (15,0) fillers.
    const onePe = parseArch({
      ...paperArch,
      name: 'one-pe',
      clusterRows: 1,
      clusterCols: 1,
      peRows: 1,
      peCols: 1,
      spads: { ...paperArch.spads, psum: { depth: 64, width: 20 } },
    });
    const tall = makeLayer({ name: 'tall', type: 'pointwise', C: 8, M: 32, H: 3, W: 8 });
    const dt = generateLayerData(tall, { iact: 0.9, weight: 0.04 }, 11);
    const t = runChipModel(tall, dt, { arch: onePe });
    expect(t.mapping.pe.M0).toBe(32);
    const tile = encodeWeightCsc({ rows: 32, cols: t.mapping.pe.cols, data: weightTile(tall, dt.weights, 0, 0, 32, 0, t.mapping.pe.C0, 0) });
    expect(tile.words.flatMap(unpackWordToPairs)).toContain(FILLER_PAIR);
    expect(t.output).toEqual(referenceLayer(tall, dt));
  });

  it('sampled runs produce a subset of the reference outputs', () => {
    const l = makeLayer({ name: 'sampled', type: 'conv', C: 16, M: 64, H: 20, W: 20, R: 3, S: 3, padding: 1, N: 2 });
    const d = generateLayerData(l, { iact: 0.6, weight: 0.5 }, 9);
    const ref = referenceLayer(l, d);
    const run = runChipModel(l, d, { sample: 3 });
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

describe('chip model counts', () => {
  it('iact DRAM bytes count every input row once even when padding exceeds the filter', () => {
    const base = { type: 'conv' as const, N: 1, C: 4, M: 8, H: 6, W: 6, R: 1, S: 1 };
    const data = (p: number) => generateLayerData(makeLayer({ ...base, name: `p${p}`, padding: p }), { iact: 1, weight: 1 }, 3);
    const bytes = (p: number) => runChipModel(makeLayer({ ...base, name: `p${p}`, padding: p }), data(p), { mode: 'timing' }).counts.dramIactBytes;
    // Padding adds only zero rows: the real input is the same, so at least as many bytes are fetched.
    expect(bytes(3)).toBeGreaterThanOrEqual(bytes(0));
  });
});
