import { describe, expect, it } from 'vitest';
import { makeRng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { paperArch, type ArchConfig } from '../../spec/arch.js';
import { checkPeJobHeader, type PeJobHeader } from '../../spec/pe/job.js';
import { paperPeParams, peParamsFromArch } from '../../spec/pe/params.js';
import { makePeJob } from '../../golden/pe/job.js';
import { PeModel } from '../../golden/pe/model.js';
import { referencePeTile } from '../../golden/pe/reference.js';
import { wrapPsum } from '../../spec/numerics.js';
import { activeCycleBounds, countWork } from '../../golden/pe/bounds.js';
import { directedTiles } from './directed-tiles.js';
import { randomJobs } from './random-tiles.js';
import { smallPeArch } from './small-arch.js';

// The golden PE model against the dense reference (values) and the closed-form bounds (cycles).
describe('golden PE model', () => {
  for (const arch of [paperArch, smallPeArch] as ArchConfig[]) {
    it(`computes what the dense reference computes and stays within the cycle bounds (${arch.name} SPads)`, (ctx) => {
      const seed = testSeed(ctx);
      const params = peParamsFromArch(arch);
      const tiles = randomJobs(makeRng(seed), 3000, params, arch);
      const model = new PeModel(arch);
      // An independent psum SPad: the reference's view of what the PE holds between jobs.
      const spad = new Array<number>(params.psumDepth).fill(0);
      let weightAddr: number[] = [];
      tiles.forEach((t, i) => {
        const job = makePeJob(t, arch);
        if (!t.keepWeights && !t.weightDense) weightAddr = job.streams.weightAddr;
        const n = t.nWin * t.m0;
        if (!t.keepPsums) spad.fill(0);
        const want = referencePeTile(t, spad.slice(0, n)).map((v, k) => wrapPsum(v + (t.psumIn?.[k] ?? 0)));
        want.forEach((v, k) => (spad[k] = v));
        const got = model.run(job);
        expect(got.psumOut, `job ${i}`).toEqual(t.psumOut ? want.map((v) => v & 0xfffff) : []);

        let macs = 0;
        for (let w = 0; w < t.nWin; w++) {
          const iacts = t.segments.slice(w * t.strideSegs, w * t.strideSegs + t.winSegs).flat();
          iacts.forEach((x, col) => {
            if (x !== 0) for (let m = 0; m < t.m0; m++) if (t.weights.data[col * t.m0 + m] !== 0) macs++;
          });
        }
        expect(got.nonzeroMacs, `job ${i}`).toBe(macs);
        const work = countWork(job, weightAddr, params.iactDataDepth);
        expect(got.weightWordsRead, `job ${i}`).toBe(work.words);
        const { lower, upper } = activeCycleBounds(work);
        expect(got.activeCycles, `job ${i}`).toBeGreaterThanOrEqual(lower);
        expect(got.activeCycles, `job ${i}`).toBeLessThanOrEqual(upper);
      });
    });
  }

  it('computes the directed corner cases like the dense reference', () => {
    const model = new PeModel();
    for (const { name, tile } of directedTiles()) {
      const want = referencePeTile(tile, new Array<number>(tile.nWin * tile.m0).fill(0)).map((v, k) => wrapPsum(v + (tile.psumIn?.[k] ?? 0)));
      expect(model.run(makePeJob(tile)).psumOut, name).toEqual(want.map((v) => v & 0xfffff));
    }
  });

  it('needs one cycle per weight word plus the pipeline tail on a dense tile (SIMD-2 at full rate)', () => {
    // 16 output channels, 12 columns: every iact's column is 8 words, so 2 windows x 12 iacts x 8 words.
    const tile = directedTiles().find((d) => d.name === 'fully dense in CSC (full weight SRAM)')!.tile;
    const r = new PeModel().run(makePeJob(tile));
    expect(r.weightWordsRead).toBe(2 * 12 * 8);
    expect(r.nonzeroMacs).toBe(2 * 12 * 16);
    // Two cycles before the first word is read (A, B), two after the last (D, E).
    expect(r.activeCycles).toBe(r.weightWordsRead + 4);
  });

  it('rejects configurations the PE cannot run, naming the limit', () => {
    const ok: PeJobHeader = {
      m0: 16,
      segLen: 4,
      winSegs: 3,
      strideSegs: 1,
      nWin: 2,
      iactLen: 16,
      weightWords: 96,
      iactDense: false,
      weightDense: false,
      iactSigned: false,
      keepWeights: false,
      keepPsums: false,
      addPsumIn: false,
      psumOut: true,
    };
    expect(() => checkPeJobHeader(ok, paperPeParams)).not.toThrow();
    const bad: [Partial<PeJobHeader>, RegExp][] = [
      [{ nWin: 3 }, /nWin\*m0=48 psums exceed the 32-entry psum SPad/],
      [{ segLen: 16 }, /segLen=16 must be an integer in 1\.\.15/],
      [{ segLen: 8, winSegs: 3 }, /24 weight columns/],
      [{ strideSegs: 4 }, /strideSegs=4 must be an integer in 1\.\.3/],
      [{ iactDense: true, iactLen: 20 }, /iactLen=20 does not match a stream of 4 segments of 4 values \(exactly 16\)/],
      [{ weightDense: true, weightWords: 90 }, /dense weights need weightWords = columns\*ceil\(m0\/2\) = 96, got 90/],
      [{ keepWeights: true }, /keepWeights loads no weights/],
      [{ weightWords: 97 }, /weightWords=97 must be an integer in 0\.\.96/],
    ];
    for (const [change, message] of bad) {
      expect(() => checkPeJobHeader({ ...ok, ...change }, paperPeParams), JSON.stringify(change)).toThrow(message);
    }
  });
});
