// A layer program run on the chip RTL with random off-chip stalls, as the chip tests check it:
// bit-exact against the functional reference, and the harness handing over exactly the
// program's iact words.
import { expect } from 'vitest';
import type { ArchConfig } from '../../spec/arch.js';
import type { Layer, LayerData } from '../../golden/layers.js';
import { runChipModel } from '../../golden/chip-model.js';
import { referenceLayer } from '../../golden/reference.js';
import type { EyerissTop } from '../../generator/eyeriss/chip/index.js';
import type { IoOf } from '../../tb/io.js';
import type { Simulator } from '../../tb/sim.js';
import type { Rng } from '../../tb/seed.js';
import type { RtlProgram } from '../../runtime/rtl/program.js';
import { runProgramOnRtl, type RtlRunResult } from '../../runtime/rtl/run.js';

/** Words of the program's off-chip iact streams: pads and segment headers cross the port like any word. */
export const iactPortWords = (prog: RtlProgram): number => prog.clusters.reduce((a, cl) => a + cl.iact.reduce((b, w) => b + w.length, 0), 0);

export async function runStalledOnChip(
  sim: Simulator<IoOf<typeof EyerissTop>>,
  prog: RtlProgram,
  l: Layer,
  d: LayerData,
  arch: ArchConfig,
  r: Rng,
  seed: number,
): Promise<RtlRunResult> {
  const predicted = runChipModel(l, d, { arch, mapping: prog.mapping, mode: 'timing' }).counts.cycles;
  const run = await runProgramOnRtl(sim, prog, { seed: r.u32(), maxCycles: 20 * predicted + 200_000, validProbability: 0.8, readyProbability: 0.7 });
  const ref = referenceLayer(l, d);
  const bad = run.output.findIndex((v, k) => v !== ref[k]);
  expect(bad, `SEED=${seed}: first wrong output ${bad} (got ${run.output[bad]}, want ${ref[bad]})`).toBe(-1);
  expect(run.offchipWords.iact, 'iact words the harness handed over').toBe(iactPortWords(prog));
  return run;
}
