// The per-cluster streams, built iteration by iteration in schedule order: the command stream,
// the iact and weight port streams (each fabric input's classes interleaved step by step) and
// what each out port delivers. Multi-pass layers bracket an iteration with psum bank commands:
// psumIn before its PE jobs (accumulating from pass 1 on), psumOut after the last pass.
import type { ClusterCmd } from '../../../spec/chip/format.js';
import type { IactClasses } from './iact-classes.js';
import { interleave } from './interleave.js';
import type { JobIteration } from './jobs.js';
import type { Messages } from './messages.js';
import { stepCommands, type StepCommands } from './pe-commands.js';
import type { WeightClasses } from './pe-roles.js';
import { bankAddr, iterationPsums } from './psum-banks.js';
import { iterationRuns } from './runs.js';
import type { ProgramTarget } from './target.js';
import type { OutputJob, ProgramStats } from './types.js';

export interface ProgramStreams {
  /** Per cluster. */
  commands: ClusterCmd[][];
  /** [cluster][iact port] words. */
  iact: number[][][];
  /** [cluster][PE row] words. */
  weight: number[][][];
  /** [cluster][out port]: the jobs whose psums it delivers, and their words in all. */
  outJobs: OutputJob[][][];
  outWords: number[][];
  /**
   * Where each iact reuse window starts: [cluster][iact port] offsets into `iact`, one per
   * (tg, chunk, tm) of the schedule. Iterations of one tg and chunk but another tm read the same iacts
   * (iact-staging.ts replays them from the GLB).
   */
  iactWindows: number[][][];
  stats: ProgramStats;
  /** The (tg, chunk, tm) of the last iteration appended: a new one starts a window. */
  lastWindow?: string;
}

export function emptyStreams(t: ProgramTarget, ic: IactClasses): ProgramStreams {
  const { peRows, peCols, iactRouters } = t.p.noc;
  const perCluster = <T>(f: () => T): T[] => Array.from({ length: t.nClusters }, f);
  return {
    commands: perCluster(() => []),
    iact: perCluster(() => Array.from({ length: iactRouters }, () => [])),
    weight: perCluster(() => Array.from({ length: peRows }, () => [])),
    outJobs: perCluster(() => Array.from({ length: peCols }, () => [])),
    outWords: perCluster(() => new Array<number>(peCols).fill(0)),
    iactWindows: perCluster(() => Array.from({ length: iactRouters }, () => [])),
    stats: {
      iterations: 0,
      realJobs: 0,
      dummyJobs: 0,
      zeroDummyJobs: 0,
      denseIactJobs: 0,
      iactPadWords: 0,
      weightPadWords: 0,
      multicastWeightWords: 0,
      multicastIactWords: ic.sharedWords,
      iactPortBoundCycles: 0,
      weightPortBoundCycles: 0,
    },
  };
}

export function appendIteration(s: ProgramStreams, t: ProgramTarget, iter: JobIteration, weights: WeightClasses, ic: IactClasses, msgs: Messages): void {
  const { passes } = t.map.reduction;
  const lastPass = iter.it.pass === passes - 1;
  s.stats.iterations++;
  const window = `${iter.it.tg}/${iter.it.chunk}/${iter.it.tm}`;
  if (window !== s.lastWindow) {
    s.lastWindow = window;
    s.iact.forEach((ports, c) => ports.forEach((words, k) => s.iactWindows[c]![k]!.push(words.length)));
  }
  const { banks, outputs } = iterationPsums(t, iter);
  if (lastPass) {
    for (const o of outputs) {
      s.outJobs[o.cluster]![o.col]!.push(o.job);
      s.outWords[o.cluster]![o.col]! += o.words;
    }
  }
  if (passes > 1)
    for (const b of banks) s.commands[b.cluster]!.push({ kind: 'psumIn', bank: b.bank, accumulate: iter.it.pass > 0, addr: bankAddr(t, b.words) });
  const ctx = { t, weights, ic, msgs, runs: iterationRuns(iter, weights, ic, msgs) };
  iter.steps.forEach((jobs, v) => appendStep(s, t, stepCommands(ctx, jobs, v), weights, ic));
  if (passes > 1 && lastPass) {
    for (const b of banks) s.commands[b.cluster]!.push({ kind: 'psumOut', bank: b.bank, addr: bankAddr(t, b.words) });
  }
}

function appendStep(s: ProgramStreams, t: ProgramTarget, step: StepCommands, weights: WeightClasses, ic: IactClasses): void {
  const { peRows, peCols, iactRouters } = t.p.noc;
  for (const cmd of step.commands) {
    s.commands[cmd.cluster]!.push({ kind: 'pe', pe: cmd.pe, header: cmd.header });
    if (cmd.real !== undefined) s.stats.realJobs++;
    else {
      s.stats.dummyJobs++;
      if (cmd.zeroIact) s.stats.zeroDummyJobs++;
    }
    if (cmd.header.iactDense) s.stats.denseIactJobs++;
  }
  const iact = interleave(step.iactSeqs, ic.iactWays, s.iact, iactRouters, t.pesPer);
  const weight = interleave(step.weightSeqs, weights.weightWays, s.weight, peRows, peCols);
  s.stats.iactPadWords += iact.pads;
  s.stats.weightPadWords += weight.pads;
  s.stats.iactPortBoundCycles += iact.busiest;
  s.stats.weightPortBoundCycles += weight.busiest;
}
