// Golden model of the sparse PE (generator/eyeriss/pe): given a job's configuration and port
// streams it returns the psum_out stream and the number of active compute cycles the RTL
// reports. See README.md beside this file for what is cycle-exact and what is a bound.
import { iactSegmentPairs, unpackPair, unpackWordToPairs } from '../../spec/csc.js';
import { PSUM_BITS, wrapPsum } from '../../spec/numerics.js';
import { paperArch, type ArchConfig } from '../../spec/arch.js';
import { checkPeJobHeader, denseWordsPerColumn, streamSegments, weightColumns } from '../../spec/pe/job.js';
import { peParamsFromArch, type PeParams } from '../../spec/pe/params.js';
import type { PeJob } from './job.js';

export interface PeJobResult {
  /** psum_out payloads (20-bit patterns, unsigned), empty when the job keeps its psums. */
  psumOut: number[];
  /** Active compute cycles: the `done.active` field of the RTL. */
  activeCycles: number;
  /** Products of a non-zero iact and a non-zero weight (fillers and pads excluded). */
  nonzeroMacs: number;
  /** Weight words read (= cycles with at least one MAC lane busy). */
  weightWordsRead: number;
}

/** One iact as stage A sees it: its position in the segment and its value (0 only in dense mode). */
interface IactEntry {
  pos: number;
  value: number;
}

/** Every stream of a job holds as many words as its configuration says. */
function checkStreamLengths(job: PeJob): void {
  const c = job.header;
  const s = job.streams;
  const expect = (what: string, got: number, want: number) => {
    if (got !== want) throw new RangeError(`PE job: ${what} has ${got} words, the configuration needs ${want}`);
  };
  expect('iactAddr', s.iactAddr.length, c.iactDense ? 0 : streamSegments(c));
  expect('iactData', s.iactData.length, c.iactLen);
  expect('weightAddr', s.weightAddr.length, c.keepWeights || c.weightDense ? 0 : weightColumns(c));
  expect('weightData', s.weightData.length, c.weightWords);
  expect('psumIn', s.psumIn.length, c.addPsumIn ? c.nWin * c.m0 : 0);
}

/** Stage A's walk over the iact segments: window, segment within it, entry within that. */
interface StageA {
  win: number;
  segOff: number;
  entry: number;
  done: boolean;
}

interface Token {
  value: number;
  col: number;
  row: number;
}

/**
 * One cycle of stage A: the next iact entry (empty segments ahead are passed together with the
 * entry after them), or one step past a window's trailing empty segments. A non-zero entry
 * becomes the token it returns; while `held` (the token register still full) such an entry waits
 * and the walk does not move.
 */
function stageA(a: StageA, segments: IactEntry[][], c: PeJob['header'], held: Token | undefined): Token | undefined {
  const base = a.win * c.strideSegs;
  let skip = 0;
  while (a.segOff + skip < c.winSegs && segments[base + a.segOff + skip]!.length === 0) skip++;
  const allEmpty = a.segOff + skip >= c.winSegs;
  const segOff = a.segOff + skip;
  const seg = allEmpty ? [] : segments[base + segOff]!;
  const index = skip > 0 ? 0 : a.entry;
  const has = index < seg.length;
  const entry = has ? seg[index]! : undefined;
  const emits = entry !== undefined && entry.value !== 0;
  if (emits && held) return undefined;
  const token = emits ? { value: entry.value, col: segOff * c.segLen + entry.pos, row: a.win * c.m0 } : undefined;
  a.segOff = segOff;
  a.entry = has ? index + 1 : index;
  if (!has || a.entry === seg.length) {
    a.entry = 0;
    if (allEmpty || a.segOff + 1 === c.winSegs) {
      a.segOff = 0;
      a.win++;
      a.done = a.win === c.nWin;
    } else {
      a.segOff++;
    }
  }
  return token;
}

/**
 * The PE's state that outlives a job: the weight SPads (keepWeights) and the psum SPad
 * (keepPsums). Loading overwrites a prefix and leaves the rest, as the RTL does.
 */
export class PeModel {
  readonly params: PeParams;
  private readonly weightAddr: number[];
  private readonly weightData: number[];
  /** Signed 20-bit psums. */
  private readonly psum: number[];

  constructor(readonly arch: ArchConfig = paperArch) {
    this.params = peParamsFromArch(arch);
    this.weightAddr = new Array<number>(this.params.weightAddrDepth).fill(0);
    this.weightData = new Array<number>(this.params.weightDataDepth).fill(0);
    this.psum = new Array<number>(this.params.psumDepth).fill(0);
  }

  run(job: PeJob): PeJobResult {
    const c = job.header;
    const s = job.streams;
    const p = this.params;
    checkPeJobHeader(c, p);
    const nPsum = c.nWin * c.m0;
    checkStreamLengths(job);

    s.weightAddr.forEach((v, i) => (this.weightAddr[i] = v));
    s.weightData.forEach((v, i) => (this.weightData[i] = v));
    if (!c.keepPsums) this.psum.fill(0);

    const segments = this.iactSegments(job);
    const wpc = denseWordsPerColumn(c.m0);
    const column = (col: number): [number, number] =>
      c.weightDense ? [col * wpc, (col + 1) * wpc] : [col === 0 ? 0 : this.weightAddr[col - 1]!, this.weightAddr[col]!];
    const rowMask = (1 << Math.ceil(Math.log2(p.psumDepth))) - 1;

    // Register state of stages A..E, updated once per loop iteration like the RTL's clock edge.
    const walk: StageA = { win: 0, segOff: 0, entry: 0, done: false };
    let t: { value: number; col: number; row: number } | undefined;
    let cJob: { ptr: number; end: number; value: number; row: number; first: boolean } | undefined;
    let d: { value: number; row: number; first: boolean; word: number } | undefined;
    let e: { index: number; product: number }[] = [];
    let rowPrev = 0;
    let cycles = 0;
    let nonzeroMacs = 0;
    let wordsRead = 0;
    const iactValue = (v: number) => (c.iactSigned && v >= 128 ? v - 256 : v);

    // Every entry and every word takes at most a few cycles; anything longer is a model bug.
    const limit = 8 * (s.iactData.length + streamSegments(c) + this.params.weightDataDepth * s.iactData.length) + 64;
    for (;;) {
      if (++cycles > limit) throw new Error(`PE model did not finish within ${limit} cycles; this is a bug in golden/pe/model.ts`);
      // E's writes land in this cycle, so the last one can share the finishing cycle.
      const finished = walk.done && !t && !cJob && !d;
      // E: both read-modify-writes.
      for (const x of e) this.psum[x.index] = wrapPsum(this.psum[x.index]! + x.product);
      if (finished) break;

      // D -> E
      const eNext: { index: number; product: number }[] = [];
      if (d) {
        const dense = c.weightDense;
        const [p0, p1] = unpackWordToPairs(d.word);
        const l0 = unpackPair(p0, true);
        const l1 = unpackPair(p1, true);
        const row0 = ((d.first ? 0 : rowPrev + 1) + (dense ? 0 : l0.count)) & rowMask;
        const row1 = (row0 + 1 + (dense ? 0 : l1.count)) & rowMask;
        rowPrev = row1;
        for (const [lane, row] of [
          [l0, row0],
          [l1, row1],
        ] as const) {
          if (lane.value === 0) continue;
          const index = (d.row + row) & rowMask;
          if (index >= nPsum)
            throw new RangeError(`PE job: weight column addresses psum ${index} beyond the job's ${nPsum}; the weight tile has more rows than m0`);
          eNext.push({ index, product: iactValue(d.value) * lane.value });
          nonzeroMacs++;
        }
      }

      // C -> D, and B: the token's column lookup
      let dNext: typeof d;
      if (cJob) {
        dNext = { value: cJob.value, row: cJob.row, first: cJob.first, word: this.weightData[cJob.ptr]! };
        wordsRead++;
      }
      const cLast = cJob !== undefined && cJob.ptr + 1 >= cJob.end;
      const cFree = !cJob || cLast;
      let taken = false;
      let cNext = cJob && !cLast ? { ...cJob, ptr: cJob.ptr + 1, first: false } : undefined;
      if (t) {
        const [start, end] = column(t.col);
        const empty = end <= start;
        if (empty || cFree) {
          taken = true;
          if (!empty) cNext = { ptr: start, end, value: t.value, row: t.row, first: true };
        }
      }

      // A: one iact entry per cycle, or one step past a window's trailing empty segments, unless
      // the token register is still full.
      let tNext = taken ? undefined : t;
      if (!walk.done) tNext = stageA(walk, segments, c, tNext) ?? tNext;
      t = tNext;
      cJob = cNext;
      d = dNext;
      e = eNext;
    }

    // Drain: each result plus its incoming psum goes out and back into the SPad.
    s.psumIn.forEach((v, i) => (this.psum[i] = wrapPsum(this.psum[i]! + v)));
    const psumOut = c.psumOut ? this.psum.slice(0, nPsum).map((v) => v & ((1 << PSUM_BITS) - 1)) : [];
    return { psumOut, activeCycles: cycles, nonzeroMacs, weightWordsRead: wordsRead };
  }

  /** Each segment's entries in SPad order, as stage A walks them. */
  private iactSegments(job: PeJob): IactEntry[][] {
    const c = job.header;
    const s = job.streams;
    const segs = streamSegments(c);
    if (c.iactDense) {
      return Array.from({ length: segs }, (_, k) => s.iactData.slice(k * c.segLen, (k + 1) * c.segLen).map((pair, pos) => ({ pos, value: pair & 0xff })));
    }
    const pairs = iactSegmentPairs({ data: s.iactData, addr: s.iactAddr, segmentLength: c.segLen, signed: c.iactSigned }, this.params.iactDataDepth);
    return pairs.map((seg) => {
      let pos = -1;
      return seg.map((pair) => {
        pos += (pair >>> 8) + 1;
        return { pos, value: pair & 0xff };
      });
    });
  }
}
