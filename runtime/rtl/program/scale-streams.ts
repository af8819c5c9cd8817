// The scale streams of a layer with per-channel multipliers (chips with an output multiplier):
// per out port, one word per out word, lane l holding the multiplier of the output channel of the
// word's lane-l psum. The host knows every out word's channels from the job order; the output
// stage then needs no channel bookkeeping of its own (chip/README.md, "Output stage").
import { filtersPerGroup } from '../../../golden/layers.js';
import { multiplierBits, psumWordsOf } from '../../../spec/chip/format.js';
import type { Requant } from '../../../spec/numerics.js';
import type { ProgramTarget } from './target.js';
import type { OutputJob } from './types.js';

/** The scale words of one out port delivering `jobs`; none when the layer has no multipliers. */
export function scaleStream(t: ProgramTarget, jobs: readonly OutputJob[], q: Requant | null): number[] {
  const multipliers = q?.multipliers;
  if (multipliers === undefined) return [];
  const { M0 } = t.map.pe;
  const lanes = t.p.pe.psumLanes;
  const B = multiplierBits(t.p);
  const Mg = filtersPerGroup(t.layer);
  const words: number[] = [];
  for (const j of jobs) {
    const psums = j.windows * M0;
    for (let w = 0; w < psumWordsOf(t.p, psums); w++) {
      let word = 0;
      for (let l = 0; l < lanes; l++) {
        const i = w * lanes + l;
        const mg = j.mb * M0 + (i % M0);
        // A lane past the job's psums or past the group's filters carries no output: any multiplier.
        if (i < psums && mg < Mg) word += multipliers[j.g * Mg + mg]! * 2 ** (l * B);
      }
      words.push(word);
    }
  }
  return words;
}
