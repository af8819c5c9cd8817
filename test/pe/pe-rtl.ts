// Drives the PE RTL through the harness: many jobs per stream run, every port backpressured.
import { emitForSim } from '../../tb/dsl.js';
import { Simulator, type SimulatorOptions } from '../../tb/sim.js';
import { SparsePe } from '../../generator/eyeriss/pe/pe.js';
import { encodePeJobHeader } from '../../spec/pe/job.js';
import type { PeParams } from '../../spec/pe/params.js';
import type { PeJob } from '../../golden/pe/job.js';
import { packPsumWords, psumWordPatterns } from '../../spec/numerics.js';

export async function startPe(params: PeParams, opts: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await Simulator.start(await emitForSim(SparsePe, params), { name: 'SparsePe', ...opts });
  await sim.reset(2);
  return sim;
}

export interface RtlJobResult {
  psumOut: number[];
  /** The lanes of the job's last psum_out word past its last psum, which the PE must send as 0. */
  padding: number[];
  active: number;
  starved: number;
  /** Simulator cycle in which the job's done record was taken. */
  doneCycle: number;
}

/** Chance per cycle that a source offers / a sink accepts, per port; 1 everywhere is full speed. */
export interface PortTiming {
  cfg: number;
  iactAddr: number;
  iactData: number;
  weightAddr: number;
  weightData: number;
  psumIn: number;
  psumOut: number;
  done: number;
}

export const FULL_SPEED: PortTiming = {
  cfg: 1,
  iactAddr: 1,
  iactData: 1,
  weightAddr: 1,
  weightData: 1,
  psumIn: 1,
  psumOut: 1,
  done: 1,
};

/**
 * Runs the jobs back to back in one stream run and splits psum_out by job (words of `lanes`
 * psums; a job's last word may be partly filled). The cycle budget
 * scales with the work so that a hung PE fails fast with the harness's deadlock report.
 */
export async function runPeJobs(
  sim: Simulator,
  jobs: PeJob[],
  timing: PortTiming,
  seed: number,
  /** PeParams.psumLanes: psums per psum_in / psum_out word. */
  lanes: number,
): Promise<{ results: RtlJobResult[]; cycles: number }> {
  const all = (pick: (j: PeJob) => number[]) => jobs.flatMap(pick);
  const outPsums = jobs.map((j) => (j.header.psumOut ? j.header.nWin * j.header.m0 : 0));
  const outCounts = outPsums.map((n) => Math.ceil(n / lanes));
  const psumInWords = jobs.flatMap((j) => packPsumWords(lanes, j.streams.psumIn));
  // Four times the handshakes each port needs at its rate, plus a generous compute allowance per
  // job: a hung PE then fails in seconds with the deadlock report, well inside the harness watchdog.
  const sum = (pick: (j: PeJob) => number) => jobs.reduce((n, j) => n + pick(j), 0);
  const handshakes =
    jobs.length / timing.cfg +
    jobs.length / timing.done +
    sum((j) => j.streams.iactAddr.length) / timing.iactAddr +
    sum((j) => j.streams.iactData.length) / timing.iactData +
    sum((j) => j.streams.weightAddr.length) / timing.weightAddr +
    sum((j) => j.streams.weightData.length) / timing.weightData +
    psumInWords.length / timing.psumIn +
    outCounts.reduce((a, b) => a + b, 0) / timing.psumOut;
  const res = await sim.runStreams({
    seed,
    maxCycles: Math.ceil(4 * (handshakes + jobs.length * 2000)),
    sources: [
      { port: 'cfg', data: jobs.map((j) => encodePeJobHeader(j.header)), validProbability: timing.cfg },
      { port: 'iact_addr', data: all((j) => j.streams.iactAddr), validProbability: timing.iactAddr },
      { port: 'iact_data', data: all((j) => j.streams.iactData), validProbability: timing.iactData },
      { port: 'weight_addr', data: all((j) => j.streams.weightAddr), validProbability: timing.weightAddr },
      { port: 'weight_data', data: all((j) => j.streams.weightData), validProbability: timing.weightData },
      { port: 'psum_in', data: psumInWords, validProbability: timing.psumIn },
    ],
    sinks: [
      { port: 'psum_out', count: outCounts.reduce((a, b) => a + b, 0), readyProbability: timing.psumOut },
      { port: 'done', count: jobs.length, readyProbability: timing.done },
    ],
  });
  const words = res.received.psum_out!.values.map((v) => BigInt(v));
  const done = res.received.done!;
  const activeField = done.fields.indexOf('done_bits_active');
  const starvedField = done.fields.indexOf('done_bits_starved');
  let at = 0;
  const results = jobs.map((_, i) => {
    const all = psumWordPatterns(lanes, words.slice(at, at + outCounts[i]!), outCounts[i]! * lanes);
    at += outCounts[i]!;
    return {
      psumOut: all.slice(0, outPsums[i]),
      padding: all.slice(outPsums[i]),
      active: Number(done.rows[i]![activeField]!),
      starved: Number(done.rows[i]![starvedField]!),
      doneCycle: done.cycles[i]!,
    };
  });
  return { results, cycles: res.cycles };
}
