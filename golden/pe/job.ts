// A PE job as plain data: the configuration plus every word each input port receives, built
// from dense tiles with the CSC encoders of spec/csc.ts (dense modes pack count-0 pairs).
import { encodeIactSegments, encodeWeightCsc, packPair, packPairsToWords, type WeightMatrix } from '../../spec/csc.js';
import { paperArch, type ArchConfig } from '../../spec/arch.js';
import { PSUM_BITS } from '../../spec/numerics.js';
import { checkPeJobHeader, streamSegments, weightColumns, type PeJobHeader } from '../../spec/pe/job.js';
import { peParamsFromArch } from '../../spec/pe/params.js';

/** The words each PE input port takes for one job, in order. */
export interface PeStreams {
  iactAddr: number[];
  iactData: number[];
  weightAddr: number[];
  weightData: number[];
  /** 20-bit psum patterns (unsigned), one per result when addPsumIn. */
  psumIn: number[];
}

export interface PeJob {
  header: PeJobHeader;
  streams: PeStreams;
}

/** What a job computes, in tensor form; `makePeJob` turns it into port words. */
export interface PeTile {
  m0: number;
  segLen: number;
  winSegs: number;
  strideSegs: number;
  nWin: number;
  /** Iact stream: streamSegments() segments of segLen values (uint8, or int8 with iactSigned). */
  segments: number[][];
  /** m0 x (segLen*winSegs), column-major, int8; ignored with keepWeights. */
  weights: WeightMatrix;
  iactDense: boolean;
  weightDense: boolean;
  iactSigned: boolean;
  keepWeights: boolean;
  keepPsums: boolean;
  /** Signed psums to add to the results while draining (addPsumIn), nWin*m0 of them. */
  psumIn?: number[];
  psumOut: boolean;
}

const PSUM_MASK = (1 << PSUM_BITS) - 1;

/** Dense columns: every row's value as a count-0 pair, each column padded to whole words. */
export function encodeDenseWeights(w: WeightMatrix): number[] {
  const words: number[] = [];
  for (let col = 0; col < w.cols; col++) {
    const pairs: number[] = [];
    for (let row = 0; row < w.rows; row++) pairs.push(packPair(0, w.data[col * w.rows + row]!));
    words.push(...packPairsToWords(pairs));
  }
  return words;
}

export function makePeJob(t: PeTile, arch: ArchConfig = paperArch): PeJob {
  const p = peParamsFromArch(arch);
  const segs = streamSegments(t);
  if (t.segments.length !== segs) {
    throw new RangeError(`tile has ${t.segments.length} iact segments; ${t.nWin} windows of ${t.winSegs} at stride ${t.strideSegs} need ${segs}`);
  }
  const cols = weightColumns(t);
  if (!t.keepWeights && (t.weights.rows !== t.m0 || t.weights.cols !== cols)) {
    throw new RangeError(`weight matrix is ${t.weights.rows}x${t.weights.cols}, the job needs m0 x segLen*winSegs = ${t.m0}x${cols}`);
  }
  let iactAddr: number[] = [];
  let iactData: number[];
  if (t.iactDense) {
    iactData = t.segments.flat().map((v) => packPair(0, v));
  } else {
    const csc = encodeIactSegments(t.segments, t.iactSigned, arch);
    iactAddr = csc.addr;
    iactData = csc.data;
  }
  let weightAddr: number[] = [];
  let weightData: number[] = [];
  if (!t.keepWeights) {
    if (t.weightDense) weightData = encodeDenseWeights(t.weights);
    else ({ addr: weightAddr, words: weightData } = encodeWeightCsc(t.weights, arch));
  }
  const psumIn = (t.psumIn ?? []).map((v) => v & PSUM_MASK);
  if (t.psumIn && psumIn.length !== t.nWin * t.m0) {
    throw new RangeError(`psumIn must hold one psum per result, nWin*m0 = ${t.nWin * t.m0}; got ${psumIn.length}`);
  }
  const header: PeJobHeader = {
    m0: t.m0,
    segLen: t.segLen,
    winSegs: t.winSegs,
    strideSegs: t.strideSegs,
    nWin: t.nWin,
    iactLen: iactData.length,
    weightWords: weightData.length,
    iactDense: t.iactDense,
    weightDense: t.weightDense,
    iactSigned: t.iactSigned,
    keepWeights: t.keepWeights,
    keepPsums: t.keepPsums,
    addPsumIn: t.psumIn !== undefined,
    psumOut: t.psumOut,
  };
  checkPeJobHeader(header, p);
  return { header, streams: { iactAddr, iactData, weightAddr, weightData, psumIn } };
}
