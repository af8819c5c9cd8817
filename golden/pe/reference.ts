// What a PE job computes, straight from the tile's dense tensors: no CSC, no pipeline. The PE
// model (model.ts) and through it the RTL are checked against this.
import { wrapPsum } from '../../spec/numerics.js';
import type { PeTile } from './job.js';

/**
 * Signed 20-bit psums of a tile: psum[w*m0 + m] = initial + sum over the window's iacts of
 * weight(m, column) * iact, where column = position in the window (segment offset * segLen +
 * position in the segment), exactly the weight matrix's column order.
 */
export function referencePeTile(t: PeTile, initial: readonly number[]): number[] {
  const out: number[] = [];
  for (let win = 0; win < t.nWin; win++) {
    const iacts = t.segments.slice(win * t.strideSegs, win * t.strideSegs + t.winSegs).flat();
    for (let m = 0; m < t.m0; m++) {
      let acc = initial[win * t.m0 + m]!;
      iacts.forEach((x, col) => {
        acc += x * t.weights.data[col * t.m0 + m]!;
      });
      out.push(wrapPsum(acc));
    }
  }
  return out;
}
