import { describe, expect, it } from 'vitest';
import { encodeIactSegments, encodeWeightCsc } from '../../spec/csc.js';
import { psumJobWindows, runPe } from '../../golden/pe.js';
import { psumLanes } from '../../spec/pe/params.js';
import { paperArch } from '../../spec/arch.js';
import { PeModel } from '../../golden/pe/model.js';
import { makePeJob } from '../../golden/pe/job.js';
import { jobLatency } from '../../golden/pe/bounds.js';
import { makeRng, seedFromEnv } from '../../tb/seed.js';

describe('golden PE', () => {
  // 4 x 2 weight tile, column-major: col 0 rows 0..2 = 1, 2, 3; col 1 row 3 = -4.
  const w = encodeWeightCsc({ rows: 4, cols: 2, data: [1, 2, 3, 0, 0, 0, 0, -4] });
  const task = { M0: 4, cols: 2, segmentLength: 2, segmentsPerWindow: 1, windows: 2 };

  it('computes every non-zero iact x non-zero weight into the right psum row', () => {
    const iacts = encodeIactSegments(
      [
        [5, 7],
        [0, 9],
      ],
      false,
    );
    const r = runPe(task, w, iacts, null);
    expect(Array.from(r.psums)).toEqual([5, 10, 15, -28, 0, 0, 0, -36]);
    expect(r.macs).toBe(5);
    expect(r.iactReads).toBe(3);
    expect(r.weightWordReads).toBe(2 + 1 + 1);
  });

  it('adds psums arriving from below', () => {
    const iacts = encodeIactSegments(
      [
        [1, 0],
        [0, 0],
      ],
      false,
    );
    const r = runPe(task, w, iacts, Int32Array.from([10, 20, 30, 40, 50, 60, 70, 80]));
    expect(Array.from(r.psums)).toEqual([11, 22, 33, 40, 50, 60, 70, 80]);
  });

  it('takes the documented cycles', () => {
    // One job (32 / M0 = 8 windows fit the psum SPad): accept 1, load max(3 words, 2 address
    // entries) = 3, enter 1, active = the 4 weight words the three iacts read (col 0: 2, col 1: 1
    // twice) back to back + the pipeline fill 4, drain 8 psums 2 per cycle = 4, done 1.
    expect(
      runPe(
        task,
        w,
        encodeIactSegments(
          [
            [5, 7],
            [0, 9],
          ],
          false,
        ),
        null,
      ).cycles,
    ).toBe(1 + 3 + 1 + (4 + 4) + 4 + 1);
    // All-zero windows: stage A steps once per window, then the finish check.
    expect(
      runPe(
        task,
        w,
        encodeIactSegments(
          [
            [0, 0],
            [0, 0],
          ],
          false,
        ),
        null,
      ).cycles,
    ).toBe(1 + 3 + 1 + (2 + 1) + 4 + 1);
    // M0 = 20: one window per job; only the first job loads the 10-word tile, each drains 10 cycles.
    const big = encodeWeightCsc({ rows: 20, cols: 1, data: new Array(20).fill(1) });
    const t = { M0: 20, cols: 1, segmentLength: 1, segmentsPerWindow: 1, windows: 2 };
    expect(runPe(t, big, encodeIactSegments([[3], [4]], false), null).cycles).toBe(1 + 10 + 1 + (10 + 4) + 10 + 1 + (1 + 0 + 1 + (10 + 4) + 10 + 1));
  });

  it('times every task exactly as the RTL-exact PE model does at full port speed', () => {
    // The task split into the RTL's jobs (the first loads the tile, the rest keep it), each run on
    // the cycle-exact model of golden/pe/ and timed with its full-speed job latency.
    const seed = seedFromEnv();
    const r = makeRng(seed);
    const arch = paperArch;
    let n = 0;
    while (n < 300) {
      const M0 = r.int(1, 32),
        segLen = r.int(1, 8),
        nSeg = r.int(1, Math.floor(16 / segLen)),
        windows = r.int(1, 40);
      const cols = segLen * nSeg;
      if (nSeg > arch.spads.iactAddr.depth) continue; // the mapper's checkIactWindow rejects it
      const wd = r.float(),
        id = r.float();
      const weights = { rows: M0, cols, data: Array.from({ length: M0 * cols }, () => (r.chance(wd) ? r.int(1, 127) * (r.chance(0.5) ? -1 : 1) : 0)) };
      const values = Array.from({ length: (windows + nSeg - 1) * segLen }, () => (r.chance(id) ? r.int(1, 255) : 0));
      const segments = Array.from({ length: windows + nSeg - 1 }, (_, k) => values.slice(k * segLen, (k + 1) * segLen));
      let csc;
      try {
        csc = encodeWeightCsc(weights, arch);
      } catch {
        continue; // more non-zeros than the weight SPad holds: the mapper never builds such a tile
      }
      const perf = runPe({ M0, cols, segmentLength: segLen, segmentsPerWindow: nSeg, windows }, csc, encodeIactSegments(segments, false, arch), null, arch);
      const pe = new PeModel(arch);
      const wMax = psumJobWindows(arch, M0);
      let rtl = 0;
      for (let first = 0; first < windows; first += wMax) {
        const nWin = Math.min(wMax, windows - first);
        const job = makePeJob(
          {
            m0: M0,
            segLen,
            winSegs: nSeg,
            strideSegs: 1,
            nWin,
            segments: segments.slice(first, first + nWin + nSeg - 1),
            weights,
            iactDense: false,
            weightDense: false,
            iactSigned: false,
            keepWeights: first > 0,
            keepPsums: false,
            psumOut: true,
          },
          arch,
        );
        const res = pe.run(job);
        expect(res.psumOut, `seed ${seed}`).toEqual(Array.from(perf.psums.subarray(first * M0, (first + nWin) * M0), (v) => v & 0xfffff));
        rtl += jobLatency(job, res.activeCycles, psumLanes(arch));
      }
      expect(perf.cycles, `seed ${seed}: M0=${M0} segLen=${segLen} nSeg=${nSeg} windows=${windows}`).toBe(rtl);
      n++;
    }
  });

  it('slides a multi-segment window through the circular SPads (S = 3, stride 1)', () => {
    // One channel, S = 3: weights 1, 10, 100 on columns 0..2, 4 windows over 6 input values.
    const w3 = encodeWeightCsc({ rows: 1, cols: 3, data: [1, 10, 100] });
    const xs = [1, 2, 0, 4, 5, 6];
    const r = runPe(
      { M0: 1, cols: 3, segmentLength: 1, segmentsPerWindow: 3, windows: 4 },
      w3,
      encodeIactSegments(
        xs.map((x) => [x]),
        false,
      ),
      null,
    );
    expect(Array.from(r.psums)).toEqual([1 + 20 + 0, 2 + 0 + 400, 0 + 40 + 500, 4 + 50 + 600]);
  });

  it('rejects streams that do not match the task', () => {
    expect(() => runPe(task, w, encodeIactSegments([[1, 2]], false), null, paperArch)).toThrow(/needs 2 iact segments, stream has 1/);
  });
});
