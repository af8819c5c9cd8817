// Who runs when in one iteration. Class members receive the same words, so whenever one member
// takes a message every member runs a job on it (a PE without a real job runs a dummy job), and
// a weight class loads its tile at the first job step any member runs. The sets grow to a fixed
// point of both rules.
import type { IactClasses } from './iact-classes.js';
import type { JobIteration, RealJob } from './jobs.js';
import type { Messages } from './messages.js';
import type { WeightClasses } from './pe-roles.js';

export interface IterationRuns {
  /** Per weight class with a job in the iteration: a job whose tile all members hold. */
  classTile: Map<number, RealJob>;
  /** Per job step: the chip-wide PEs that run a job (real or dummy). */
  runs: Set<number>[];
  /** Per weight class in classTile: the job step that loads its tile. */
  loadStep: Map<number, number>;
}

export function iterationRuns({ steps }: JobIteration, w: WeightClasses, ic: IactClasses, msgs: Messages): IterationRuns {
  const classTile = new Map<number, RealJob>();
  for (const jobs of steps) {
    for (const [gid, j] of jobs) {
      const wc = w.weightClass[gid]!;
      if (wc < 0) throw new Error(`internal: PE ${gid} has a job but no class`);
      const prev = classTile.get(wc);
      if (prev === undefined) classTile.set(wc, j);
      else if (msgs.weight(prev).key !== msgs.weight(j).key) throw new Error(`internal: weight class ${wc} members need different tiles`);
    }
  }
  const runs = steps.map((jobs) => new Set(jobs.keys()));
  const loadStep = new Map<number, number>();
  const addAll = (set: Set<number>, members: readonly number[]): boolean => {
    let added = false;
    for (const m of members) {
      if (!set.has(m)) {
        set.add(m);
        added = true;
      }
    }
    return added;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const set of runs) for (const gid of [...set]) changed = addAll(set, ic.iactMembers.get(ic.iactClass[gid]!)!) || changed;
    for (const wc of classTile.keys()) {
      const members = w.weightMembers.get(wc)!;
      const v = runs.findIndex((set) => members.some((m) => set.has(m)));
      loadStep.set(wc, v);
      changed = addAll(runs[v]!, members) || changed;
    }
  }
  return { classTile, runs, loadStep };
}
