// Psums at the top of each stack in one iteration: the words each top cluster's psum bank takes
// per reduction pass (multi-pass layers accumulate there) and the jobs whose psums leave the
// chip through the top cluster's out port.
import { psumWordsOf } from '../../../spec/chip/format.js';
import type { AddrPattern } from '../../../spec/glb.js';
import type { JobIteration } from './jobs.js';
import type { ProgramTarget } from './target.js';
import type { OutputJob } from './types.js';

export interface PassBank {
  cluster: number;
  /** The psum bank, which is the PE column it serves. */
  bank: number;
  words: number;
}

export interface TopOutput {
  cluster: number;
  col: number;
  job: OutputJob;
  words: number;
}

export interface IterationPsums {
  /** In cluster, then bank order. */
  banks: PassBank[];
  /** In job order. */
  outputs: TopOutput[];
}

export function iterationPsums(t: ProgramTarget, { cnt, steps }: JobIteration): IterationPsums {
  const { peCols } = t.p.noc;
  const topWords = new Map<number, number>(); // top cluster * peCols + column -> words per pass
  const outputs: TopOutput[] = [];
  for (const jobs of steps) {
    for (const j of jobs.values()) {
      if (j.index !== cnt - 1) continue;
      const top = t.placeOf(j.st.stack, j.index, cnt);
      const key = t.clusterOf(top) * peCols + top.peCol;
      const words = psumWordsOf(t.p, j.windows * t.map.pe.M0);
      topWords.set(key, (topWords.get(key) ?? 0) + words);
      outputs.push({
        cluster: t.clusterOf(top),
        col: top.peCol,
        job: { n: j.st.n, g: j.st.g, mb: j.st.mb, e: j.st.e, fStart: j.fStart, windows: j.windows },
        words,
      });
    }
  }
  const banks = [...topWords.entries()].sort((a, b) => a[0] - b[0]).map(([key, words]) => ({ cluster: Math.floor(key / peCols), bank: key % peCols, words }));
  return { banks, outputs };
}

/** The bank addresses of one pass's psums; throws when they do not fit the bank or its counter. */
export function bankAddr(t: ProgramTarget, words: number): AddrPattern {
  const { glb } = t.p;
  if (words > glb.psumDepth || words >= 2 ** glb.countWidth) {
    throw new Error(
      `layer '${t.layer.name}': a stack's psums of one reduction pass (${words} words of a psum chunk) do not fit its top cluster's psum bank ` +
        `(glb psumDepth ${glb.psumDepth} words = glb.psumBankBytes ${t.arch.glb.psumBankBytes} B, count width ${glb.countWidth} b); ` +
        `use a mapping with smaller psum chunks or larger psum banks`,
    );
  }
  return { base: 0, stride0: 1, count0: words, stride1: 0, count1: 1 };
}
