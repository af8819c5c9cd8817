// Closed-form bounds on the PE's active cycles (README.md, "Cycle model"), computed from the
// job's streams without the cycle-level simulation of model.ts, so each checks the other.
import { iactSegmentPairs } from '../../spec/csc.js';
import { denseWordsPerColumn, streamSegments } from '../../spec/pe/job.js';
import { paperArch } from '../../spec/arch.js';
import { PE_PIPELINE_FILL, peJobCycles, tileLoadCycles } from '../pe.js';
import type { PeJob } from './job.js';

export interface WorkCount {
  /** Stage A's cycles: one per iact entry walked, plus one per window that ends in an empty segment. */
  aSteps: number;
  /** Weight words read: for every window, the words of each non-zero iact's column. */
  words: number;
}

/** `weightAddr` is the weight address SPad the job runs with: the resident one for keepWeights jobs. */
export function countWork(
  job: PeJob,
  weightAddr: readonly number[] = job.streams.weightAddr,
  iactDataDepth: number = paperArch.spads.iactData.depth,
): WorkCount {
  const c = job.header;
  const s = job.streams;
  // Each segment as the (position, value) of its entries.
  const segments: { pos: number; value: number }[][] = c.iactDense
    ? Array.from({ length: streamSegments(c) }, (_, k) => s.iactData.slice(k * c.segLen, (k + 1) * c.segLen).map((pair, pos) => ({ pos, value: pair & 0xff })))
    : iactSegmentPairs({ data: s.iactData, addr: s.iactAddr, segmentLength: c.segLen, signed: c.iactSigned }, iactDataDepth).map((pairs) => {
        let pos = -1;
        return pairs.map((pair) => ({ pos: (pos += (pair >>> 8) + 1), value: pair & 0xff }));
      });
  const columnWords = (col: number): number => (c.weightDense ? denseWordsPerColumn(c.m0) : weightAddr[col]! - (col === 0 ? 0 : weightAddr[col - 1]!));
  let aSteps = 0;
  let words = 0;
  for (let w = 0; w < c.nWin; w++) {
    for (let k = 0; k < c.winSegs; k++) {
      const seg = segments[w * c.strideSegs + k]!;
      for (const e of seg) if (e.value !== 0) words += columnWords(k * c.segLen + e.pos);
    }
    // Stage A passes empty segments with the entry after them; trailing ones (or an empty
    // window) take one step of their own.
    const lengths = Array.from({ length: c.winSegs }, (_, k) => segments[w * c.strideSegs + k]!.length);
    const entries = lengths.reduce((a, b) => a + b, 0);
    aSteps += entries + (lengths[c.winSegs - 1] === 0 ? 1 : 0);
  }
  return { aSteps, words };
}

/**
 * Stage A needs aSteps cycles and the finish check one more. Stage C cannot issue before the
 * third cycle (A, then B), issues at most one word per cycle, and the last word needs two more
 * (D, then E, which finishes). A cycle in which stage A does not step is one in which stage C
 * issues a word, so their sum plus the head and tail bounds the total from above.
 */
export function activeCycleBounds(w: WorkCount): { lower: number; upper: number } {
  return { lower: Math.max(w.aSteps + 1, w.words > 0 ? w.words + PE_PIPELINE_FILL : 0), upper: w.aSteps + w.words + 3 };
}

/**
 * `peJobCycles` of a concrete job, not counting the cycles the PE waits for iacts (done.starved).
 * Slower ports only add cycles, so it is a lower bound for any timing.
 */
export function jobLatency(job: PeJob, activeCycles: number, lanes: number): number {
  const c = job.header;
  const drained = c.psumOut || c.addPsumIn ? Math.ceil((c.nWin * c.m0) / lanes) : 0;
  return peJobCycles(tileLoadCycles(job.streams.weightData.length, job.streams.weightAddr.length), activeCycles, drained);
}
