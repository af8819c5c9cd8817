// The messages PEs take, built once per distinct key: an iact message is the CSC-encoded iacts
// of one job's windows, a weight message the CSC tile of one (g, mb, cb, r). Jobs with equal keys
// take the same words, which is what the iact and weight classes rely on.
import { encodeIactFlat, encodeWeightCsc } from '../../../spec/csc.js';
import { iactMessage, weightMessage } from '../../../spec/chip/format.js';
import { peWeightMatrix, taskIactSegments } from '../../../golden/tiles.js';
import type { RealJob } from './jobs.js';
import type { ProgramTarget } from './target.js';

export interface IactMsg {
  key: string;
  words: number[];
  iactLen: number;
  nWin: number;
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

  constructor(private readonly t: ProgramTarget) {
    const { segmentLength: segLen, segmentsPerWindow: winSegs } = t.map.pe;
    const csc = encodeIactFlat(new Int32Array(winSegs * segLen), segLen, t.layer.iactSigned, t.arch);
    this.zeroIact = { key: 'zero', words: iactMessage(csc, t.p.pe.iactDataDepth), iactLen: csc.data.length, nWin: 1 };
  }

  static iactKey(j: RealJob): string {
    return `${j.st.n},${j.st.g},${j.pe.cb},${j.pe.h},${j.fStart},${j.windows}`;
  }

  iact(j: RealJob): IactMsg {
    const key = Messages.iactKey(j);
    let m = this.iacts.get(key);
    if (m === undefined) {
      const { layer: l, data: d, map, arch } = this.t;
      const segs = taskIactSegments(l, d, map, j.st.n, j.st.g, j.pe.cb, j.pe.h, j.fStart, j.windows);
      const csc = encodeIactFlat(segs, map.pe.segmentLength, l.iactSigned, arch);
      m = { key, words: iactMessage(csc, this.t.p.pe.iactDataDepth), iactLen: csc.data.length, nWin: j.windows };
      this.iacts.set(key, m);
    }
    return m;
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
