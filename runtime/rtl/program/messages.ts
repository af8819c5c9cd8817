// The messages PEs take, built once per distinct key: an iact message is the iacts of one job's
// windows, CSC-encoded or uncompressed (spec 4.6), a weight message the CSC tile of one
// (g, mb, cb, r). Jobs with equal keys take the same words, which is what the iact and weight
// classes rely on.
import { encodeIactFlat, encodeWeightCsc } from '../../../spec/csc.js';
import { denseIactMessage, iactMessage, weightMessage } from '../../../spec/chip/format.js';
import { peWeightMatrix, taskIactSegments } from '../../../golden/tiles.js';
import type { RealJob } from './jobs.js';
import { positionCodes, type GatherSymbols } from './gather-words.js';
import type { ProgramTarget } from './target.js';
import type { IactFormat } from './types.js';

export interface IactMsg {
  key: string;
  words: number[];
  /** Data entries the PE takes: CSC pairs, or every value when dense. */
  iactLen: number;
  nWin: number;
  /** Uncompressed (PeJobHeader.iactDense). */
  dense: boolean;
}

export interface WeightMsg {
  key: string;
  words: number[];
  weightWords: number;
}

export class Messages {
  /** One window of zeros: what a dummy job without a class mate's message runs on. */
  readonly zeroIact: IactMsg;
  private readonly iacts = new Map<string, IactMsg>();
  private readonly weights = new Map<string, WeightMsg>();

  /** With gather symbols, the iacts taken are position codes (gather-words.ts), not values. */
  private readonly iactSource: Pick<ProgramTarget['data'], 'iacts'>;

  constructor(
    private readonly t: ProgramTarget,
    private readonly format: IactFormat = 'auto',
    private readonly symbols: GatherSymbols | null = null,
  ) {
    this.iactSource = symbols === null ? t.data : { iacts: positionCodes(t.data.iacts.length) };
    const { segmentLength: segLen, segmentsPerWindow: winSegs } = t.map.pe;
    this.zeroIact = this.encodeIact('zero', new Int32Array(winSegs * segLen), 1);
  }

  static iactKey(j: RealJob): string {
    return `${j.st.n},${j.st.g},${j.pe.cb},${j.pe.h},${j.fStart},${j.windows}`;
  }

  iact(j: RealJob): IactMsg {
    const key = Messages.iactKey(j);
    let m = this.iacts.get(key);
    if (m === undefined) {
      const { layer: l, map } = this.t;
      const segs = taskIactSegments(l, this.iactSource, map, j.st.n, j.st.g, j.pe.cb, j.pe.h, j.fStart, j.windows);
      m = this.encodeIact(key, segs, j.windows);
      this.iacts.set(key, m);
    }
    return m;
  }

  private encodeIact(key: string, values: Int32Array, nWin: number): IactMsg {
    const { layer: l, map, arch, p } = this.t;
    const words = this.symbols === null ? denseIactMessage(values) : this.symbols.message(values);
    const dense: IactMsg = { key, words, iactLen: values.length, nWin, dense: true };
    if (this.format === 'dense' || this.symbols !== null) return dense;
    const csc = encodeIactFlat(values, map.pe.segmentLength, l.iactSigned, arch);
    const compressed: IactMsg = { key, words: iactMessage(csc, p.pe.iactDataDepth), iactLen: csc.data.length, nWin, dense: false };
    return this.format === 'auto' && dense.words.length < compressed.words.length ? dense : compressed;
  }

  weight(j: RealJob): WeightMsg {
    const key = `${j.st.g},${j.st.mb},${j.pe.cb},${j.pe.r}`;
    let m = this.weights.get(key);
    if (m === undefined) {
      const { layer: l, data: d, map, arch } = this.t;
      const csc = encodeWeightCsc(peWeightMatrix(l, d.weights, map, j.st.g, j.st.mb, j.pe.cb, j.pe.r), arch);
      m = { key, words: weightMessage(this.t.p, csc.addr, csc.words), weightWords: csc.words.length };
      this.weights.set(key, m);
    }
    return m;
  }
}
