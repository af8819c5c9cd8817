import { describe, expect, it } from 'vitest';
import { encodeIactSegments, encodeWeightCsc } from '../../golden/csc.js';
import { runPe } from '../../golden/pe.js';
import { paperArch } from '../../golden/arch.js';

describe('golden PE', () => {
  // 4 x 2 weight tile, column-major: col 0 rows 0..2 = 1, 2, 3; col 1 row 3 = -4.
  const w = encodeWeightCsc({ rows: 4, cols: 2, data: [1, 2, 3, 0, 0, 0, 0, -4] });
  const task = { M0: 4, cols: 2, segmentLength: 2, segmentsPerWindow: 1, windows: 2 };

  it('computes every non-zero iact x non-zero weight into the right psum row', () => {
    const iacts = encodeIactSegments([[5, 7], [0, 9]], false);
    const r = runPe(task, w, iacts, null);
    expect(Array.from(r.psums)).toEqual([5, 10, 15, -28, 0, 0, 0, -36]);
    expect(r.macs).toBe(5);
    expect(r.iactReads).toBe(3);
    expect(r.weightWordReads).toBe(2 + 1 + 1);
  });

  it('adds psums arriving from below', () => {
    const iacts = encodeIactSegments([[1, 0], [0, 0]], false);
    const r = runPe(task, w, iacts, Int32Array.from([10, 20, 30, 40, 50, 60, 70, 80]));
    expect(Array.from(r.psums)).toEqual([11, 22, 33, 40, 50, 60, 70, 80]);
  });

  it('takes the documented cycles', () => {
    // 7 fill + 3 weight words; window 0: load 2 pairs (1) + col 0 (ceil(3/2) = 2) + col 1 (1);
    // window 1: its 1-pair segment loads during window 0, col 1 (1). Both windows are one job
    // (32 / M0 = 8 fit the psum SPad): the pipeline empties (7), then 8 psums drain 2 per cycle (4).
    expect(runPe(task, w, encodeIactSegments([[5, 7], [0, 9]], false), null).cycles).toBe(7 + 3 + 1 + 3 + 1 + 7 + 4);
    // An all-zero window still takes a cycle.
    expect(runPe(task, w, encodeIactSegments([[0, 0], [0, 0]], false), null).cycles).toBe(7 + 3 + 0 + 1 + 1 + 7 + 4);
    // M0 = 20: one window per job. Each job loads its own iacts, waits for the 7-stage pipeline,
    // then drains 10 cycles on the 2-psum port.
    const big = encodeWeightCsc({ rows: 20, cols: 1, data: new Array(20).fill(1) });
    const t = { M0: 20, cols: 1, segmentLength: 1, segmentsPerWindow: 1, windows: 2 };
    expect(runPe(t, big, encodeIactSegments([[3], [4]], false), null).cycles).toBe(7 + 10 + (1 + 10 + 7 + 10) + (1 + 10 + 7 + 10));
  });

  it('slides a multi-segment window through the circular SPads (S = 3, stride 1)', () => {
    // One channel, S = 3: weights 1, 10, 100 on columns 0..2, 4 windows over 6 input values.
    const w3 = encodeWeightCsc({ rows: 1, cols: 3, data: [1, 10, 100] });
    const xs = [1, 2, 0, 4, 5, 6];
    const r = runPe({ M0: 1, cols: 3, segmentLength: 1, segmentsPerWindow: 3, windows: 4 }, w3, encodeIactSegments(xs.map((x) => [x]), false), null);
    expect(Array.from(r.psums)).toEqual([1 + 20 + 0, 2 + 0 + 400, 0 + 40 + 500, 4 + 50 + 600]);
  });

  it('rejects streams that do not match the task', () => {
    expect(() => runPe(task, w, encodeIactSegments([[1, 2]], false), null, paperArch)).toThrow(/needs 2 iact segments, stream has 1/);
  });
});
