// Runs PE jobs on the RTL and the golden model and reports the first disagreement per job.
import type { Simulator } from '../../tb/sim.js';
import type { ArchConfig } from '../../spec/arch.js';
import { jobLatency } from '../../golden/pe/bounds.js';
import { psumLanes } from '../../spec/pe/params.js';
import { makePeJob, type PeTile } from '../../golden/pe/job.js';
import { PeModel, type PeJobResult } from '../../golden/pe/model.js';
import { runPeJobs, type PortTiming, type RtlJobResult } from './pe-rtl.js';

export interface Comparison {
  mismatches: string[];
  rtl: RtlJobResult[];
  model: PeJobResult[];
  cycles: number;
}

export async function compareWithModel(
  sim: Simulator,
  tiles: PeTile[],
  arch: ArchConfig,
  timing: PortTiming,
  seed: number,
  names: string[] = [],
): Promise<Comparison> {
  const jobs = tiles.map((t) => makePeJob(t, arch));
  const model = new PeModel(arch);
  const expected = jobs.map((j) => model.run(j));
  const { results, cycles } = await runPeJobs(sim, jobs, timing, seed, psumLanes(arch));
  const mismatches: string[] = [];
  results.forEach((got, i) => {
    const want = expected[i]!;
    const label = `job ${i}${names[i] ? ` (${names[i]})` : ''} ${JSON.stringify(jobs[i]!.header)}`;
    const at = got.psumOut.findIndex((v, k) => v !== want.psumOut[k]);
    if (got.psumOut.length !== want.psumOut.length || at >= 0) {
      mismatches.push(`${label}: psum ${at} is ${got.psumOut[at]}, the model says ${want.psumOut[at]} (${got.psumOut.length} vs ${want.psumOut.length} psums)`);
    }
    const pad = got.padding.findIndex((v) => v !== 0);
    if (pad >= 0) mismatches.push(`${label}: psum_out lane ${got.psumOut.length + pad}, past the job's last psum, carries ${got.padding[pad]} instead of 0`);
    if (got.active !== want.activeCycles) {
      mismatches.push(`${label}: RTL took ${got.active} active cycles, the model says ${want.activeCycles}`);
    }
    // Latency from the previous job's done handshake: exact at full speed, a lower bound otherwise.
    if (i > 0) {
      const latency = got.doneCycle - results[i - 1]!.doneCycle;
      const model = jobLatency(jobs[i]!, want.activeCycles, psumLanes(arch)) + got.starved;
      const exact = Object.values(timing).every((p) => p === 1);
      if (exact ? latency !== model : latency < model) {
        mismatches.push(`${label}: done ${latency} cycles after the previous job's, the model says ${exact ? '' : 'at least '}${model}`);
      }
    }
  });
  return { mismatches, rtl: results, model: expected, cycles };
}

/** Per-port chances of a transfer per cycle, drawn once per run: from near-stuck to full speed. */
export function randomTiming(rand: () => number): PortTiming {
  const p = () => (rand() < 0.2 ? 1 : 0.05 + 0.95 * rand());
  return { cfg: p(), iactAddr: p(), iactData: p(), weightAddr: p(), weightData: p(), psumIn: p(), psumOut: p(), done: p() };
}
