// The compressed-sparse-column (CSC) formats the sparse PE stores in its SPads (spec 4.3-4.5).
// Everything returned here is a list of SPad words as plain numbers, bit for bit what the RTL
// holds, so the RTL PE can be driven and checked with these arrays directly.
//
// Pair (12 bits, both formats):  bits [11:8] = count (zeros skipped before this value),
//                                bits [7:0]  = value (two's complement for int8, plain for uint8).
// Weight word (24 bits): pair 0 = bits [11:0], pair 1 = bits [23:12].
import { paperArch, type ArchConfig } from './arch.js';
import { COUNT_BITS, PAIR_BITS, VALUE_BITS } from './numerics.js';

export const MAX_COUNT = (1 << COUNT_BITS) - 1;
/**
 * Longest compressed iact segment. Counts restart every segment, so its zero counts stay below
 * MAX_COUNT, the count the chip's iact stream words reserve for address and pad slots
 * (spec/chip/format.ts).
 */
export const MAX_IACT_SEGMENT = MAX_COUNT;
/** SIMD pad in the second half of a weight word: count 0, value 0 (the PE gates the 2nd MAC on it). */
export const PAD_PAIR = 0;
/** Stands for 16 zero weights in a column whose zero run exceeds MAX_COUNT: count 15, value 0. */
export const FILLER_PAIR = MAX_COUNT << VALUE_BITS;

/** A tile does not fit a SPad or a format field; `limit` names the architecture parameter. */
export class CscCapacityError extends Error {
  constructor(
    readonly limit: string,
    readonly needed: number,
    readonly available: number,
    detail: string,
  ) {
    super(`${detail}: needs ${needed} but ${limit} is ${available}`);
    this.name = 'CscCapacityError';
  }
}

export function packPair(count: number, value: number): number {
  if (!Number.isInteger(count) || count < 0 || count > MAX_COUNT) {
    throw new RangeError(`pair count ${count} is outside 0..${MAX_COUNT}`);
  }
  if (!Number.isInteger(value) || value < -128 || value > 255) {
    throw new RangeError(`pair value ${value} is not an 8-bit integer (int8 or uint8)`);
  }
  return (count << VALUE_BITS) | (value & 0xff);
}

export function unpackPair(pair: number, signed: boolean): { count: number; value: number } {
  const raw = pair & 0xff;
  return { count: (pair >>> VALUE_BITS) & MAX_COUNT, value: signed && raw >= 128 ? raw - 256 : raw };
}

/** Two pairs per 24-bit word, first pair in the low half; an odd tail gets a PAD_PAIR. */
export function packPairsToWords(pairs: readonly number[]): number[] {
  const words: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const hi = i + 1 < pairs.length ? pairs[i + 1]! : PAD_PAIR;
    words.push(pairs[i]! | (hi << PAIR_BITS));
  }
  return words;
}

export function unpackWordToPairs(word: number): [number, number] {
  return [word & 0xfff, (word >>> PAIR_BITS) & 0xfff];
}

// ---------------------------------------------------------------------------------------------
// Weights

/**
 * A PE's weight matrix, column-major: `data[col * rows + row]`, int8 values.
 * rows = M0 output channels (psum addresses), cols = C0*S (column index = s*C0 + c0, the iact's
 * position in the window).
 */
export interface WeightMatrix {
  rows: number;
  cols: number;
  data: ArrayLike<number>;
}

/** Contents of the weight address and weight data SPads. */
export interface WeightCsc {
  /** 24-bit words for the weight data SPad; each column starts on a word boundary. */
  words: number[];
  /** One entry per column: cumulative END pointer in words (start of column 0 is implicitly 0). */
  addr: number[];
}

/** Pairs of one column in row order, with fillers for zero runs longer than MAX_COUNT. */
function columnPairs(w: WeightMatrix, col: number): number[] {
  const pairs: number[] = [];
  let zeros = 0;
  for (let row = 0; row < w.rows; row++) {
    const v = w.data[col * w.rows + row]!;
    if (v === 0) {
      zeros++;
      continue;
    }
    while (zeros > MAX_COUNT) {
      pairs.push(FILLER_PAIR);
      zeros -= MAX_COUNT + 1;
    }
    pairs.push(packPair(zeros, v));
    zeros = 0;
  }
  return pairs;
}

function checkWeightShape(rows: number, cols: number, arch: ArchConfig): void {
  if (rows > arch.spads.psum.depth) {
    throw new CscCapacityError(
      'spads.psum.depth',
      rows,
      arch.spads.psum.depth,
      `weight tile has M0=${rows} rows (output channels); each needs a psum SPad entry`,
    );
  }
  if (cols > arch.spads.weightAddr.depth) {
    throw new CscCapacityError(
      'spads.weightAddr.depth',
      cols,
      arch.spads.weightAddr.depth,
      `weight tile has C0*S=${cols} columns; each needs a weight address SPad entry`,
    );
  }
}

export function encodeWeightCsc(w: WeightMatrix, arch: ArchConfig = paperArch): WeightCsc {
  if (w.data.length !== w.rows * w.cols) {
    throw new RangeError(`weight matrix data has ${w.data.length} entries, expected rows*cols = ${w.rows * w.cols}`);
  }
  checkWeightShape(w.rows, w.cols, arch);
  const words: number[] = [];
  const addr: number[] = [];
  for (let col = 0; col < w.cols; col++) {
    const v = w.data;
    for (let row = 0; row < w.rows; row++) {
      const x = v[col * w.rows + row]!;
      if (!Number.isInteger(x) || x < -128 || x > 127) {
        throw new RangeError(`weight (row ${row}, col ${col}) = ${x} is not int8`);
      }
    }
    words.push(...packPairsToWords(columnPairs(w, col)));
    addr.push(words.length);
  }
  if (words.length > arch.spads.weightData.depth) {
    const nnz = countNonZero(w.data);
    throw new CscCapacityError(
      'spads.weightData.depth',
      words.length,
      arch.spads.weightData.depth,
      `weight tile ${w.rows}x${w.cols} with ${nnz} non-zeros packs into ${words.length} words (2 pairs/word, columns word-aligned, fillers for zero runs > ${MAX_COUNT})`,
    );
  }
  return { words, addr };
}

/** One decoded weight pair as the PE walks it: psum row, value, and whether it is a filler. */
export interface WeightEntry {
  row: number;
  value: number;
  filler: boolean;
}

/** Entries of one column as the PE reads them (pads dropped, fillers kept: they cost a MAC slot). */
export function weightColumnEntries(csc: WeightCsc, col: number): WeightEntry[] {
  const start = col === 0 ? 0 : csc.addr[col - 1]!;
  const end = csc.addr[col]!;
  const out: WeightEntry[] = [];
  let row = -1;
  for (let a = start; a < end; a++) {
    for (const p of unpackWordToPairs(csc.words[a]!)) {
      if (p === PAD_PAIR) continue;
      const { count, value } = unpackPair(p, true);
      row += count + 1;
      out.push({ row, value, filler: p === FILLER_PAIR });
    }
  }
  return out;
}

export function decodeWeightCsc(csc: WeightCsc, rows: number): WeightMatrix {
  const cols = csc.addr.length;
  const data = new Array<number>(rows * cols).fill(0);
  let prevEnd = 0;
  for (let col = 0; col < cols; col++) {
    const end = csc.addr[col]!;
    if (end < prevEnd || end > csc.words.length) {
      throw new RangeError(`weight address[${col}] = ${end} is not a valid end pointer (previous ${prevEnd}, ${csc.words.length} words)`);
    }
    prevEnd = end;
    for (const e of weightColumnEntries(csc, col)) {
      if (e.row >= rows) throw new RangeError(`column ${col} addresses row ${e.row} of a ${rows}-row matrix`);
      if (!e.filler) data[col * rows + e.row] = e.value;
    }
  }
  return { rows, cols, data };
}

// ---------------------------------------------------------------------------------------------
// Iacts

/**
 * A stream of iact segments as the PE receives them. Segment k holds C0*U values (window
 * position order: c0 fastest, then u). `data` is every pair of the stream in order; the pair with
 * stream index i lives at iact data SPad entry i mod depth (circular buffer). `addr[k]` is the
 * cumulative END pointer of segment k modulo the data SPad depth, stored in iact address SPad
 * entry k mod addrDepth. Counts restart at each segment; an all-zero segment repeats the pointer.
 */
export interface IactCsc {
  data: number[];
  addr: number[];
  segmentLength: number;
  signed: boolean;
}

/** A segment must stay shorter than the data SPad: an end pointer modulo the depth cannot tell 0 from depth pairs. */
export function checkIactSegmentLength(segmentLength: number, arch: ArchConfig = paperArch): void {
  const max = arch.spads.iactData.depth - 1;
  if (segmentLength > max) {
    throw new CscCapacityError(
      'spads.iactData.depth - 1',
      segmentLength,
      max,
      `iact segment of C0*U=${segmentLength} values (a full segment would wrap the ${arch.spads.iactAddr.width}-bit modulo end pointer)`,
    );
  }
  if (segmentLength > MAX_IACT_SEGMENT) {
    throw new CscCapacityError(
      'MAX_IACT_SEGMENT',
      segmentLength,
      MAX_IACT_SEGMENT,
      `iact segment of C0*U=${segmentLength} values (its zero counts could reach ${MAX_COUNT}, the count iact stream words reserve for address and pad slots)`,
    );
  }
}

/** The window (all its segments, dense worst case since iacts are only known at run time) must be resident at once. */
export function checkIactWindow(segmentLength: number, segmentsPerWindow: number, arch: ArchConfig = paperArch): void {
  checkIactSegmentLength(segmentLength, arch);
  if (segmentsPerWindow > arch.spads.iactAddr.depth) {
    throw new CscCapacityError(
      'spads.iactAddr.depth',
      segmentsPerWindow,
      arch.spads.iactAddr.depth,
      `iact window spans ${segmentsPerWindow} segments; each needs an iact address SPad entry`,
    );
  }
  const values = segmentLength * segmentsPerWindow;
  if (values > arch.spads.iactData.depth) {
    throw new CscCapacityError(
      'spads.iactData.depth',
      values,
      arch.spads.iactData.depth,
      `iact window of ${segmentsPerWindow} segments x ${segmentLength} values must fit even when fully dense`,
    );
  }
}

export function encodeIactSegments(segments: readonly (readonly number[])[], signed: boolean, arch: ArchConfig = paperArch): IactCsc {
  const segmentLength = segments.length > 0 ? segments[0]!.length : 0;
  segments.forEach((seg, k) => {
    if (seg.length !== segmentLength) {
      throw new RangeError(`iact segment ${k} has ${seg.length} values; all segments must have C0*U=${segmentLength}`);
    }
  });
  return encodeIactFlat(segments.flat(), segmentLength, signed, arch);
}

/** Same as encodeIactSegments, from the segments laid end to end (values.length = segments * segmentLength). */
export function encodeIactFlat(values: ArrayLike<number>, segmentLength: number, signed: boolean, arch: ArchConfig = paperArch): IactCsc {
  checkIactSegmentLength(segmentLength, arch);
  const depth = arch.spads.iactData.depth;
  const [lo, hi] = signed ? [-128, 127] : [0, 255];
  const data: number[] = [];
  const addr: number[] = [];
  if (segmentLength === 0 ? values.length !== 0 : values.length % segmentLength !== 0) {
    throw new RangeError(`${values.length} iact values do not split into segments of ${segmentLength}; pad the stream to a whole number of segments`);
  }
  const nSeg = segmentLength === 0 ? 0 : values.length / segmentLength;
  for (let k = 0; k < nSeg; k++) {
    let zeros = 0;
    for (let i = k * segmentLength; i < (k + 1) * segmentLength; i++) {
      const v = values[i]!;
      if (v === 0) {
        zeros++;
        continue;
      }
      if (!Number.isInteger(v) || v < lo || v > hi) {
        throw new RangeError(`iact ${v} in segment ${k} is outside the ${signed ? 'int8' : 'uint8'} range ${lo}..${hi}`);
      }
      data.push((zeros << VALUE_BITS) | (v & 0xff));
      zeros = 0;
    }
    addr.push(data.length % depth);
  }
  return { data, addr, segmentLength, signed };
}

/** Pairs of each segment, recovered from the modulo end pointers exactly as the PE does. */
export function iactSegmentPairs(csc: IactCsc, depth: number = paperArch.spads.iactData.depth): number[][] {
  const out: number[][] = [];
  let start = 0;
  let prevPtr = 0;
  for (const end of csc.addr) {
    const len = (end - prevPtr + depth) % depth;
    out.push(csc.data.slice(start, start + len));
    start += len;
    prevPtr = end;
  }
  if (start !== csc.data.length) {
    throw new RangeError(`iact address vector covers ${start} pairs but the data vector has ${csc.data.length}`);
  }
  return out;
}

export function decodeIactSegments(csc: IactCsc, depth: number = paperArch.spads.iactData.depth): number[][] {
  return iactSegmentPairs(csc, depth).map((pairs, k) => {
    const seg = new Array<number>(csc.segmentLength).fill(0);
    let pos = -1;
    for (const p of pairs) {
      const { count, value } = unpackPair(p, csc.signed);
      pos += count + 1;
      if (pos >= csc.segmentLength) throw new RangeError(`iact segment ${k} addresses position ${pos} of ${csc.segmentLength}`);
      seg[pos] = value;
    }
    return seg;
  });
}

export function countNonZero(a: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) n++;
  return n;
}
