import { paperArch, type ArchConfig } from '../arch.js';
import { COUNT_BITS, VALUE_BITS } from '../numerics.js';
import { PSUM_BITS } from '../numerics.js';
import { log2Ceil, widthOf } from '../bits.js';

/**
 * SPad geometry of one sparse PE. Every size is a generator parameter; `paperPeParams` holds
 * the JETCAS figures (spec section 4.2) taken from spec/arch.ts. The (count, value) pair and
 * the psum width are fixed by spec/csc.ts and spec/numerics.ts, so they are not parameters.
 */
/** 20-bit psums per psum port word: the PE reads out that many per cycle (2R psum SPad). */
export const psumLanes = (arch: ArchConfig): number => Math.max(1, Math.floor(arch.noc.psumPortBits / PSUM_BITS));

export interface PeParams {
  /** Iact address SPad entries (circular: one per resident segment). */
  iactAddrDepth: number;
  /** Iact data SPad entries (circular); a power of two, since end pointers are kept modulo it. */
  iactDataDepth: number;
  /** Weight address SPad entries: one cumulative end pointer (in words) per weight column. */
  weightAddrDepth: number;
  /** Bits per weight address entry; must hold the end pointer weightDataDepth. */
  weightAddrWidth: number;
  /** Weight data SRAM words, two (count, value) pairs each. */
  weightDataDepth: number;
  /** Psum SPad entries. */
  psumDepth: number;
  /**
   * Psums per psum_in / psum_out word: the drain reads and writes that many SPad entries per
   * cycle. The chip uses the psum NoC word (two 20-bit psums on the paper's 40-bit port).
   */
  psumLanes: number;
}

export function peParamsFromArch(a: ArchConfig): PeParams {
  return {
    iactAddrDepth: a.spads.iactAddr.depth,
    iactDataDepth: a.spads.iactData.depth,
    weightAddrDepth: a.spads.weightAddr.depth,
    weightAddrWidth: a.spads.weightAddr.width,
    weightDataDepth: a.spads.weightData.depth,
    psumDepth: a.spads.psum.depth,
    psumLanes: psumLanes(a),
  };
}

export const paperPeParams: PeParams = peParamsFromArch(paperArch);

export const DATA_BITS = VALUE_BITS;
export const PAIR_WIDTH = COUNT_BITS + VALUE_BITS;
export const WORD_WIDTH = 2 * PAIR_WIDTH;
export const PSUM_WIDTH = PSUM_BITS;
/** Width of the active and starved cycle counters reported on the done port. */
export const CYCLE_COUNTER_WIDTH = 24;

/** Widths that follow from the parameters; the RTL, the config encoder and the model share them. */
export interface PeWidths {
  /** Iact pointer modulo the data SPad depth (the iact address entry width). */
  iactPtr: number;
  iactAddrIndex: number;
  weightAddrIndex: number;
  weightDataIndex: number;
  psumIndex: number;
  /** Counts of 0..psumDepth (m0, windows, psums). */
  psumCount: number;
  /** Counts of 0..iactDataDepth (segment length, position in a segment). */
  iactCount: number;
  /** Counts of 0..iactAddrDepth (segments per window, stride). */
  segCount: number;
  /** Counts of 0..weightAddrDepth (columns). */
  colCount: number;
  /** Counts of 0..weightDataDepth (weight words). */
  wordCount: number;
  /** Absolute segment index in one job's iact stream. */
  segStream: number;
  /** Absolute data entry index in one job's iact stream. */
  iactStream: number;
}

/** Longest iact stream of one job: psumDepth windows at stride winSegs of full segments. */
export function maxStreamSegments(p: PeParams): number {
  return p.psumDepth * p.iactAddrDepth;
}

export function peWidths(p: PeParams): PeWidths {
  return {
    iactPtr: log2Ceil(p.iactDataDepth),
    iactAddrIndex: log2Ceil(p.iactAddrDepth),
    weightAddrIndex: log2Ceil(p.weightAddrDepth),
    weightDataIndex: log2Ceil(p.weightDataDepth),
    psumIndex: log2Ceil(p.psumDepth),
    psumCount: widthOf(p.psumDepth),
    iactCount: widthOf(p.iactDataDepth),
    segCount: widthOf(p.iactAddrDepth),
    colCount: widthOf(p.weightAddrDepth),
    wordCount: widthOf(p.weightDataDepth),
    segStream: widthOf(maxStreamSegments(p)),
    iactStream: widthOf(maxStreamSegments(p) * p.iactDataDepth),
  };
}

/** Rejects geometries the RTL cannot build, naming the parameter and the fix. */
export function checkPeParams(p: PeParams): void {
  for (const k of Object.keys(paperPeParams) as (keyof PeParams)[]) {
    if (!Number.isInteger(p[k]) || p[k] < 1) throw new Error(`PeParams.${k} must be a positive integer, got ${p[k]}`);
  }
  if (2 ** log2Ceil(p.iactDataDepth) !== p.iactDataDepth || p.iactDataDepth < 2) {
    throw new Error(`PeParams.iactDataDepth=${p.iactDataDepth} must be a power of two >= 2: iact end pointers are kept modulo the depth`);
  }
  if (p.psumLanes > p.psumDepth) {
    throw new Error(`PeParams.psumLanes=${p.psumLanes} exceeds psumDepth=${p.psumDepth}: a drain word cannot carry more psums than the SPad holds`);
  }
  if (p.weightAddrWidth < widthOf(p.weightDataDepth)) {
    throw new Error(
      `PeParams.weightAddrWidth=${p.weightAddrWidth} cannot hold the end pointer ${p.weightDataDepth} of a full weight data SPad; use >= ${widthOf(p.weightDataDepth)}`,
    );
  }
}
