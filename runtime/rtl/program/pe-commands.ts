// One job step's PE commands and the words its classes take. Every PE that runs in the step
// (a real job, or a dummy job because a class mate takes a message) gets one job command; each
// iact class's message and each weight class's tile (at its load step) is queued once for the
// whole class, since the fabric hands a class's words to all its members.
import { checkPeJobHeader, type PeJobHeader } from '../../../spec/pe/job.js';
import type { IactClasses } from './iact-classes.js';
import type { JobStep, RealJob } from './jobs.js';
import type { IactMsg, Messages } from './messages.js';
import type { WeightClasses } from './pe-roles.js';
import type { IterationRuns } from './runs.js';
import type { ProgramTarget } from './target.js';

export interface PeCommand {
  cluster: number;
  pe: number;
  header: PeJobHeader;
  /** Undefined for a dummy job: its results are kept in the PE, never emitted. */
  real: RealJob | undefined;
  /** The dummy job runs on an all-zero window (no class mate took a message). */
  zeroIact: boolean;
}

export interface StepCommands {
  /** In cluster, then PE order: the order each cluster's command stream takes them. */
  commands: PeCommand[];
  /** Per iact class: the words it takes in this step. */
  iactSeqs: Map<number, number[]>;
  /** Per weight class loading in this step: its tile's words. */
  weightSeqs: Map<number, number[]>;
}

/** What every step of one iteration reads. */
export interface StepContext {
  t: ProgramTarget;
  weights: WeightClasses;
  ic: IactClasses;
  msgs: Messages;
  runs: IterationRuns;
}

export function stepCommands(ctx: StepContext, jobs: JobStep, v: number): StepCommands {
  const { t, weights, ic, msgs, runs } = ctx;
  const classMsg = classMessages(ctx, jobs);
  const out: StepCommands = { commands: [], iactSeqs: new Map(), weightSeqs: new Map() };
  for (let gid = 0; gid < t.nClusters * t.pesPer; gid++) {
    if (!runs.runs[v]!.has(gid)) continue;
    const real = jobs.get(gid);
    const iclass = ic.iactClass[gid]!;
    const im = classMsg.get(iclass) ?? msgs.zeroIact;
    if (!out.iactSeqs.has(iclass)) out.iactSeqs.set(iclass, im.words);
    const wc = weights.weightClass[gid]!;
    const tile = runs.classTile.get(wc);
    const load = runs.loadStep.get(wc);
    const loads = tile !== undefined && load === v;
    let weightWords = 0;
    if (loads) {
      const wm = msgs.weight(tile);
      weightWords = wm.weightWords;
      if (!out.weightSeqs.has(wc)) out.weightSeqs.set(wc, wm.words);
    } else if (real !== undefined && !(load !== undefined && load < v)) {
      throw new Error(`internal: PE ${gid} runs a real job before its weights load`);
    }
    const header = jobHeader(t, im, loads ? weightWords : undefined, real);
    checkPeJobHeader(header, t.p.pe);
    out.commands.push({ cluster: Math.floor(gid / t.pesPer), pe: gid % t.pesPer, header, real, zeroIact: real === undefined && im === msgs.zeroIact });
  }
  return out;
}

/** The message each iact class takes in the step: the one of its members' real jobs, which must agree. */
function classMessages({ ic, msgs }: StepContext, jobs: JobStep): Map<number, IactMsg> {
  const classMsg = new Map<number, IactMsg>();
  for (const [gid, j] of jobs) {
    const m = msgs.iact(j);
    const iclass = ic.iactClass[gid]!;
    const prev = classMsg.get(iclass);
    if (prev === undefined) classMsg.set(iclass, m);
    else if (prev.key !== m.key) throw new Error(`internal: iact class ${iclass} members need different streams`);
  }
  return classMsg;
}

/**
 * `loadedWords`: the weight words the job loads, undefined when it keeps the ones its class
 * loaded at an earlier step of the iteration. A real job above slice 0 adds the psums from the
 * PE below, and only real jobs emit.
 */
function jobHeader({ layer, map }: ProgramTarget, im: IactMsg, loadedWords: number | undefined, real: RealJob | undefined): PeJobHeader {
  return {
    m0: map.pe.M0,
    segLen: map.pe.segmentLength,
    winSegs: map.pe.segmentsPerWindow,
    strideSegs: 1,
    nWin: im.nWin,
    iactLen: im.iactLen,
    weightWords: loadedWords ?? 0,
    iactDense: im.dense,
    weightDense: false,
    iactSigned: layer.iactSigned,
    keepWeights: loadedWords === undefined,
    keepPsums: false,
    addPsumIn: real !== undefined && real.index > 0,
    psumOut: real !== undefined,
  };
}
