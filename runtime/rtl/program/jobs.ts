// Job steps: every schedule step of an iteration split into PE jobs of at most wMax windows
// (a job's psums must fit the psum SPad). A stack whose task has fewer splits idles in the
// extra job steps.
import { schedule, type ScheduledIteration, type ScheduledPe, type ScheduledStack } from '../../../golden/schedule.js';
import type { ProgramTarget } from './target.js';

export interface RealJob {
  st: ScheduledStack;
  pe: ScheduledPe;
  /** Index of the slice in the iteration's stack (0 = bottom, starts from zero). */
  index: number;
  fStart: number;
  windows: number;
}

/** The real jobs of one job step, by chip-wide PE index. */
export type JobStep = Map<number, RealJob>;

export interface JobIteration {
  it: ScheduledIteration;
  /** Active reduction slices of the iteration. */
  cnt: number;
  steps: JobStep[];
}

export function jobIterations(t: ProgramTarget): JobIteration[] {
  const { height } = t.map.stack;
  const { slices } = t.map.reduction;
  return [...schedule(t.layer, t.map, t.arch)].map((it) => {
    const cnt = Math.min(height, slices - it.pass * height);
    const steps: JobStep[] = [];
    for (const step of it.steps) {
      const base = steps.length;
      const splits = Math.max(1, ...step.stacks.map((st) => Math.ceil(st.windows / t.wMax)));
      for (let j = 0; j < splits; j++) steps.push(new Map());
      for (const st of step.stacks) {
        if (st.pes.length !== cnt) throw new Error(`internal: stack task with ${st.pes.length} slices in an iteration of ${cnt}`);
        for (let j = 0; j * t.wMax < st.windows; j++) {
          const fStart = st.fStart + j * t.wMax,
            windows = Math.min(t.wMax, st.windows - j * t.wMax);
          st.pes.forEach((pe, index) => steps[base + j]!.set(t.gidOf(t.placeOf(st.stack, index, cnt)), { st, pe, index, fStart, windows }));
        }
      }
    }
    return { it, cnt, steps };
  });
}
