import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { paperArch, totalMacsPerCycle } from '../../spec/arch.js';
import { channelsPerGroup, filtersPerGroup, makeLayer, macs, outH, outW, type Layer, type LayerData, type LayerType } from '../../golden/layers.js';
import { readNpy, writeNpy } from '../../golden/npy.js';
import { layerPerf } from '../../golden/perf.js';
import { generateLayerData, makeRng, sparseTensor } from '../../golden/random.js';
import { referenceLayer, requantizeAll } from '../../golden/reference.js';
import { namedArchs } from '../../spec/archs.js';
import { loadLayer } from '../../runtime/load-layer.js';
import { nonzeroMacs } from '../../golden/nonzero-macs.js';
import { rawOutput, runLayer, writeLayerRun, type LayerResult } from '../../runtime/run-layer.js';
import { randomSmallLayer } from '../../golden/random-layer.js';
import { withTmp, writeJson } from './helpers.js';
import { GoldenBackend } from '../../runtime/golden-backend.js';
import { openBackend } from '../../runtime/open-backend.js';
import { RtlSession } from '../../runtime/rtl/session.js';
import { buildProgram } from '../../runtime/rtl/program.js';
import { offchipWordBits } from '../../runtime/rtl/offchip.js';
import { mapLayer } from '../../golden/mapper.js';

const small = namedArchs['small']!;

/** Nonzero MACs straight from the definition: every (output, c, r, s) product, both factors non-zero. */
function bruteNonzeroMacs(l: Layer, d: LayerData): number {
  const E = outH(l),
    F = outW(l),
    Cg = channelsPerGroup(l),
    Mg = filtersPerGroup(l);
  let n = 0;
  for (let b = 0; b < l.N; b++)
    for (let m = 0; m < l.M; m++)
      for (let e = 0; e < E; e++)
        for (let f = 0; f < F; f++) {
          const g = Math.floor(m / Mg);
          for (let c = 0; c < Cg; c++)
            for (let r = 0; r < l.R; r++)
              for (let s = 0; s < l.S; s++) {
                const h = e * l.stride + r - l.padding,
                  x = f * l.stride + s - l.padding;
                if (h < 0 || h >= l.H || x < 0 || x >= l.W) continue;
                if (d.weights[((m * Cg + c) * l.R + r) * l.S + s] !== 0 && d.iacts[((b * l.C + g * Cg + c) * l.H + h) * l.W + x] !== 0) n++;
              }
        }
  return n;
}

const shapes: Record<LayerType, Record<string, number>> = {
  conv: { N: 2, C: 6, M: 10, H: 9, W: 11, R: 3, S: 5, stride: 2, padding: 1, groups: 2 },
  depthwise: { C: 12, M: 12, H: 10, W: 10, R: 3, S: 3, stride: 1, padding: 1, groups: 12 },
  pointwise: { C: 40, M: 36, H: 6, W: 7, R: 1, S: 1, stride: 1, padding: 0, groups: 1 },
  fc: { C: 20, M: 50, H: 2, W: 3, R: 2, S: 3, stride: 1, padding: 0, groups: 1 },
};

describe('run a layer on the golden backend', () => {
  for (const type of ['conv', 'depthwise', 'pointwise', 'fc'] as const) {
    it(`generated ${type} layer: output.npy equals the functional reference, result.json holds the figures`, async () => {
      await withTmp(async (dir) => {
        const file = await writeJson(path.join(dir, `${type}.json`), {
          type,
          shape: shapes[type],
          iactSigned: type === 'conv',
          generate: { iactDensity: 0.6, weightDensity: 0.4, seed: 11 },
        });
        const loaded = await loadLayer(file);
        const run = await runLayer(loaded.layer, loaded.data, small, new GoldenBackend());
        await writeLayerRun(path.join(dir, 'out'), run);
        const out = readNpy(path.join(dir, 'out', 'output.npy'));
        const l = loaded.layer;
        expect(out.dtype).toBe('int32');
        expect(out.shape).toEqual([l.N, l.M, outH(l), outW(l)]);
        expect(Array.from(out.data)).toEqual(Array.from(referenceLayer(l, loaded.data)));
        const r = JSON.parse(await readFile(path.join(dir, 'out', 'result.json'), 'utf8')) as LayerResult;
        const perf = layerPerf(l, loaded.data, 'v2', small);
        expect(r).toMatchObject({ backend: 'golden', arch: 'small', matched: true, macs: macs(l), cycles: perf.cycles, golden_predicted_cycles: perf.cycles });
        expect(r.nonzero_macs).toBe(bruteNonzeroMacs(l, loaded.data));
        expect(r.ideal_cycles).toBe(Math.ceil(r.nonzero_macs / totalMacsPerCycle(small)));
        expect(r.utilization).toBeCloseTo(r.ideal_cycles / r.cycles, 12);
        expect(r.utilization).toBeGreaterThan(0);
        expect(r.utilization).toBeLessThanOrEqual(1);
        expect(r.mapping).toEqual(perf.mapping);
        expect(r.mapping.arch).toBe('small');
      });
    });
  }

  it('a layer from .npy files round-trips: same tensors in, reference output and requantized output out', async () => {
    await withTmp(async (dir) => {
      const rng = makeRng(5);
      const N = 1,
        C = 6,
        H = 7,
        W = 8,
        M = 9;
      const iacts = sparseTensor(rng, N * C * H * W, 0.7, -128, 127);
      const weights = sparseTensor(rng, M * C * 3 * 3, 0.5, -128, 127);
      mkdirSync(path.join(dir, 't'));
      writeNpy(path.join(dir, 't', 'x.npy'), { dtype: 'int8', shape: [N, C, H, W], data: Int8Array.from(iacts) });
      writeNpy(path.join(dir, 't', 'w.npy'), { dtype: 'int8', shape: [M, C, 3, 3], data: Int8Array.from(weights) });
      const file = await writeJson(path.join(dir, 'conv.json'), {
        name: 'from-npy',
        type: 'conv',
        iactSigned: true,
        requant: { shift: 6 },
        shape: { C, M, H, W, R: 3, S: 3, stride: 1, padding: 1, groups: 1 },
        iacts: 't/x.npy',
        weights: 't/w.npy',
      });
      const loaded = await loadLayer(file);
      expect(Array.from(loaded.data.iacts)).toEqual(Array.from(iacts));
      expect(Array.from(loaded.data.weights)).toEqual(Array.from(weights));
      expect(loaded.requant).toEqual({ shift: 6, activation: 'relu' });
      const run = await runLayer(loaded.layer, loaded.data, paperArch, new GoldenBackend(), loaded.requant);
      await writeLayerRun(path.join(dir, 'out'), run, { data: loaded.source });
      const ref = referenceLayer(loaded.layer, { iacts, weights });
      expect(Array.from(readNpy(path.join(dir, 'out', 'output.npy')).data)).toEqual(Array.from(ref));
      const u8 = readNpy(path.join(dir, 'out', 'output-u8.npy'));
      expect(u8.dtype).toBe('uint8');
      expect(Array.from(u8.data)).toEqual(Array.from(requantizeAll(loaded.layer, ref, { shift: 6, activation: 'relu' })));
      const result = JSON.parse(await readFile(path.join(dir, 'out', 'result.json'), 'utf8')) as Record<string, unknown>;
      expect(result['data']).toEqual({ iacts: 't/x.npy', weights: 't/w.npy' });
      expect(result['requant'], 'the golden backend requantizes on the host').toEqual({ shift: 6, activation: 'relu', file: 'output-u8.npy', on_chip: false });
    });
  });

  it('nonzero MACs match the definition on random layers of every type', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const type = (['conv', 'depthwise', 'pointwise', 'fc'] as const)[seed % 4]!;
      const l = randomSmallLayer(seed, type);
      const rng = makeRng(seed * 7);
      const [lo, hi] = l.iactSigned ? [-128, 127] : [0, 255];
      const d = {
        iacts: sparseTensor(rng, l.N * l.C * l.H * l.W, 0.6, lo, hi),
        weights: sparseTensor(rng, l.M * channelsPerGroup(l) * l.R * l.S, 0.5, -128, 127),
      };
      expect(nonzeroMacs(l, d), l.name).toBe(bruteNonzeroMacs(l, d));
    }
  });

  it('the rtl backend simulates the chip: same output as the reference, RTL and golden cycles in result.json', async () => {
    await withTmp(async (dir) => {
      const file = await writeJson(path.join(dir, 'conv.json'), {
        type: 'conv',
        shape: shapes.conv,
        generate: { iactDensity: 0.5, weightDensity: 0.5, seed: 3 },
      });
      const loaded = await loadLayer(file);
      const backend = await openBackend('rtl', small);
      const run = await runLayer(loaded.layer, loaded.data, small, backend).finally(() => backend.close());
      expect(run.result.matched).toBe(true);
      expect(Array.from(rawOutput(run))).toEqual(Array.from(referenceLayer(loaded.layer, loaded.data)));
      expect(run.u8).toBe(null);
      expect(run.result.backend).toBe('rtl');
      expect(run.result.cycles).toBeGreaterThan(run.result.ideal_cycles);
      expect(run.result.golden_predicted_cycles).toBeGreaterThan(0);
      expect(run.result.rtl!.real_jobs).toBeGreaterThan(0);
      expect(run.result.rtl!.dense_iact_jobs).toBeLessThanOrEqual(run.result.rtl!.real_jobs + run.result.rtl!.dummy_jobs);
      const b = run.result.rtl_offchip_bytes!;
      expect(b.total).toBe(b.iact + b.weight + b.psum_in + b.output);
      expect(b.iact).toBeGreaterThan(0);
      expect(b.output).toBeGreaterThan(0);
    });
  }, 600_000);

  it('the rtl backend requantizes on chip for a layer with requant: 8-bit outputs leave the chip, no raw psums; --raw-psums keeps them', async () => {
    const l = makeLayer({ name: 'rq', type: 'conv', C: 6, M: 10, H: 7, W: 7, padding: 1 });
    const d = generateLayerData(l, { iact: 0.7, weight: 0.6 }, 8);
    const raw = referenceLayer(l, d);
    const requant = { activation: 'relu' as const, shift: 5 };
    const want = requantizeAll(l, raw, requant);
    expect(new Set(want).size, 'the outputs span zeros, rounded values and saturation').toBeGreaterThan(20);
    expect(want.includes(255) && want.includes(0)).toBe(true);
    for (const rawPsums of [false, true]) {
      const backend = await openBackend('rtl', small, { rawPsums });
      const run = await runLayer(l, d, small, backend, requant).finally(() => backend.close());
      expect(run.result.matched).toBe(true);
      expect(Array.from(run.u8!)).toEqual(Array.from(want));
      expect(run.result.requant).toEqual({ ...requant, file: 'output-u8.npy', on_chip: !rawPsums });
      const words = run.result.rtl!.offchip_words.output;
      if (rawPsums) {
        expect(Array.from(run.output!)).toEqual(Array.from(raw));
        expect(run.result.rtl_offchip_bytes!.output).toBe(Math.ceil((words * 40) / 8));
      } else {
        expect(run.output).toBe(null);
        expect(run.result.output).toEqual({ file: 'output-u8.npy', dtype: 'uint8', shape: [1, 10, 7, 7] });
        expect(run.result.rtl_offchip_bytes!.output, 'two bytes per out word').toBe(2 * words);
      }
    }
  }, 600_000);

  it('the off-chip words the harness counts are the program streams, under random backpressure; bytes follow the port widths', async () => {
    const session = await RtlSession.open(small);
    try {
      for (const seed of [1, 2]) {
        const l = randomSmallLayer(4200 + seed, seed === 1 ? 'conv' : 'pointwise');
        const d = generateLayerData(l, { iact: 0.5, weight: 0.6 }, seed);
        const mapping = mapLayer(l, { arch: small, weights: d.weights });
        const run = await session.runLayer(l, d, mapping, 10_000, { seed, validProbability: 0.6, readyProbability: 0.5 });
        const prog = buildProgram(l, d, small, mapping);
        const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
        expect(run.offchipWords).toEqual({
          cfg: prog.config.length,
          cmd: sum(prog.clusters.map((c) => c.cmds.length)),
          iact: sum(prog.clusters.flatMap((c) => c.iact.map((w) => w.length))),
          weight: sum(prog.clusters.flatMap((c) => c.weight.map((w) => w.length))),
          psum_in: 0, // the top has no psum input port: multi-pass reductions stay in the GLB psum banks
          output: sum(prog.clusters.flatMap((c) => c.outWords)),
          scale: 0, // the small chip has no output multiplier
        });
        const bits = offchipWordBits(prog.params, false);
        expect(run.offchipBytes.iact).toBe(Math.ceil((run.offchipWords.iact * bits.iact) / 8));
        expect(run.offchipBytes.output).toBe(Math.ceil((run.offchipWords.output * prog.params.noc.psumWidth) / 8));
      }
    } finally {
      await session.close();
    }
  }, 600_000);
});
