import { MAX_IACT_SEGMENT } from '../csc.js';
import { peWidths, type PeParams, type PeWidths } from './params.js';

/**
 * One PE job, as written to the `cfg` port (README.md, "Configuration"). The iact stream is
 * (nWin-1)*strideSegs + winSegs segments of segLen values; window w covers segments
 * w*strideSegs .. w*strideSegs+winSegs-1, so the weight matrix has m0 rows and
 * segLen*winSegs columns (column = position in the window) and psum w*m0 + m is output
 * channel m of window w.
 */
export interface PeJobHeader {
  /** Output channels = weight matrix rows (M0). */
  m0: number;
  /** Iact values per segment (C0*U in spec/csc.ts terms). */
  segLen: number;
  /** Segments per window. */
  winSegs: number;
  /** Segments from one window's start to the next (1 with C0*U segments). */
  strideSegs: number;
  /** Windows = psums per output channel in this job. */
  nWin: number;
  /** Iact data entries in the job's stream (pairs; all values when iactDense). */
  iactLen: number;
  /** Weight data words to load; 0 with keepWeights. */
  weightWords: number;
  /** Iacts arrive uncompressed: every value of every segment, counts ignored, no address entries. */
  iactDense: boolean;
  /** Weights arrive uncompressed: column c is words c*ceil(m0/2).., counts ignored, no address entries. */
  weightDense: boolean;
  /** Iact values are int8; otherwise uint8. Weights are always int8. */
  iactSigned: boolean;
  /** Reuse the resident weight SPads; no weight words are loaded. */
  keepWeights: boolean;
  /** Accumulate onto the psums already in the SPad instead of clearing them first. */
  keepPsums: boolean;
  /**
   * After computing, take nWin*m0 psums from psum_in (the PE below, or the psum network) and
   * add one to each result as it drains, so a PE column computes concurrently and reduces on
   * the way out.
   */
  addPsumIn: boolean;
  /** Emit the nWin*m0 results on psum_out; otherwise they stay in the SPad (with psum_in added). */
  psumOut: boolean;
}

/**
 * The cfg port's fields in port order: the PeWidths entry that sizes each, or 'flag' for a
 * one-bit boolean. The RTL port, the command layout and the encoder all follow this one table.
 */
export const PE_JOB_FIELDS = {
  m0: 'psumCount',
  segLen: 'iactCount',
  winSegs: 'segCount',
  strideSegs: 'segCount',
  nWin: 'psumCount',
  iactLen: 'iactStream',
  weightWords: 'wordCount',
  iactDense: 'flag',
  weightDense: 'flag',
  iactSigned: 'flag',
  keepWeights: 'flag',
  keepPsums: 'flag',
  addPsumIn: 'flag',
  psumOut: 'flag',
} as const satisfies Record<keyof PeJobHeader, keyof PeWidths | 'flag'>;

/** [field, bits] of the cfg port, in port order. */
export function peJobFieldWidths(p: PeParams): [keyof PeJobHeader, number][] {
  const w = peWidths(p);
  return Object.entries(PE_JOB_FIELDS).map(([k, f]) => [k as keyof PeJobHeader, f === 'flag' ? 1 : w[f]]);
}

/** The cfg payload as the harness sends it: one value per field, in port order. */
export function encodePeJobHeader(c: PeJobHeader): number[] {
  return (Object.keys(PE_JOB_FIELDS) as (keyof PeJobHeader)[]).map((k) => Number(c[k]));
}

export const streamSegments = (c: Pick<PeJobHeader, 'nWin' | 'strideSegs' | 'winSegs'>): number => (c.nWin - 1) * c.strideSegs + c.winSegs;
export const weightColumns = (c: Pick<PeJobHeader, 'segLen' | 'winSegs'>): number => c.segLen * c.winSegs;
export const denseWordsPerColumn = (m0: number): number => Math.ceil(m0 / 2);

/**
 * Rejects a job the PE cannot run, naming the limit and the fix. The RTL trusts its
 * configuration, so every job must pass this first.
 */
export function checkPeJobHeader(c: PeJobHeader, p: PeParams): void {
  const fail = (msg: string): never => {
    throw new Error(`PE job header: ${msg}`);
  };
  const int = (k: keyof PeJobHeader, lo: number, hi: number) => {
    const v = c[k] as number;
    if (!Number.isInteger(v) || v < lo || v > hi) fail(`${k}=${v} must be an integer in ${lo}..${hi}`);
  };
  int('m0', 1, p.psumDepth);
  // A compressed segment of iactDataDepth pairs would wrap its modulo end pointer to its start,
  // and a longer one than MAX_IACT_SEGMENT could carry the count the stream tags use.
  int('segLen', 1, c.iactDense ? p.iactDataDepth : Math.min(p.iactDataDepth - 1, MAX_IACT_SEGMENT));
  int('winSegs', 1, p.iactAddrDepth);
  int('strideSegs', 1, c.winSegs);
  int('nWin', 1, p.psumDepth);
  int('weightWords', 0, p.weightDataDepth);
  const cols = weightColumns(c);
  if (cols > p.weightAddrDepth) {
    fail(
      `a window of segLen*winSegs=${cols} iacts needs ${cols} weight columns, the weight address SPad has ${p.weightAddrDepth}; use fewer or shorter segments`,
    );
  }
  if (cols > p.iactDataDepth) {
    fail(`a window of segLen*winSegs=${cols} iacts must fit the ${p.iactDataDepth}-entry iact data SPad even when dense; use fewer or shorter segments`);
  }
  if (c.nWin * c.m0 > p.psumDepth) {
    fail(`nWin*m0=${c.nWin * c.m0} psums exceed the ${p.psumDepth}-entry psum SPad; split the windows over several jobs`);
  }
  const maxLen = streamSegments(c) * c.segLen;
  if (c.iactDense ? c.iactLen !== maxLen : !Number.isInteger(c.iactLen) || c.iactLen < 0 || c.iactLen > maxLen) {
    fail(
      `iactLen=${c.iactLen} does not match a stream of ${streamSegments(c)} segments of ${c.segLen} values (${c.iactDense ? 'exactly' : 'at most'} ${maxLen})`,
    );
  }
  if (c.keepWeights && c.weightWords !== 0) fail(`keepWeights loads no weights, so weightWords must be 0 (got ${c.weightWords})`);
  if (c.weightDense && !c.keepWeights && c.weightWords !== cols * denseWordsPerColumn(c.m0)) {
    fail(`dense weights need weightWords = columns*ceil(m0/2) = ${cols * denseWordsPerColumn(c.m0)}, got ${c.weightWords}`);
  }
}
