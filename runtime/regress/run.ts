// Runs the long regression's cases on the chip RTL: per chip variant a core-top and a system-top
// simulator, every case of that variant through its top, each output compared bit for bit with
// the functional reference.
import type { ArchConfig } from '../../spec/arch.js';
import { runChipModel } from '../../golden/chip-model.js';
import { generateLayerData } from '../../golden/random.js';
import { randomRequant, randomSmallLayer } from '../../golden/random-layer.js';
import { referenceLayer, requantizeAll } from '../../golden/reference.js';
import type { Layer } from '../../golden/layers.js';
import type { Requant } from '../../spec/numerics.js';
import { RtlRunError } from '../rtl/run.js';
import { RtlSession } from '../rtl/session.js';
import { AxiProtocolError } from '../../tb/sim.js';
import { UnmappableLayerError, mapForRun } from '../run-layer.js';
import { streamChance, type RegressCase } from './plan.js';

/** `protocol`: the system top broke an AXI rule (the harness's DRAM assertions). */
export type CaseVerdict = 'matched' | 'mismatch' | 'hang' | 'flagged' | 'protocol' | 'unmappable';

export interface CaseResult {
  case: RegressCase;
  arch: string;
  verdict: CaseVerdict;
  rtlCycles: number | null;
  goldenCycles: number | null;
  /** What went wrong (the first wrong output, the stuck streams, the limit that did not map). */
  detail?: string;
  /** Iact words the GLB iact banks replayed (GLB staging), when the layer ran to the end. */
  replayedWords?: number;
  /** PE jobs that took uncompressed iacts, when the layer ran to the end. */
  denseIactJobs?: number;
  /** What left the chip: raw psums, 8-bit outputs, or 8-bit outputs with per-channel multipliers (once mapped). */
  output?: 'raw' | 'plain' | 'scaled';
}

/** The case's output stage on `arch`: none, or randomRequant's, scaled where the case is `scaled` and the variant has an output multiplier. */
function caseRequant(c: RegressCase, arch: ArchConfig, layer: Layer, raw: Int32Array): Requant | null {
  if (c.requant === 'raw') return null;
  return randomRequant(c.requantSeed, layer, raw, c.requant === 'scaled' ? (arch.outputMultiplierBits ?? 0) : 0);
}

async function runCase(session: RtlSession, arch: ArchConfig, c: RegressCase): Promise<CaseResult> {
  const layer = randomSmallLayer(c.layerSeed, c.type);
  const data = generateLayerData(layer, c.density, c.layerSeed);
  const unmapped = { case: c, arch: arch.name };
  let mapping;
  try {
    mapping = mapForRun(layer, data.weights, arch);
  } catch (e) {
    if (e instanceof UnmappableLayerError) return { ...unmapped, verdict: 'unmappable', rtlCycles: null, goldenCycles: null, detail: e.message };
    throw e;
  }
  const goldenCycles = runChipModel(layer, data, { arch, mapping, mode: 'timing' }).counts.cycles;
  const chance = streamChance(c.trafficSeed);
  const raw = referenceLayer(layer, data);
  const requant = caseRequant(c, arch, layer, raw);
  const base = { ...unmapped, output: requant === null ? ('raw' as const) : requant.multipliers ? ('scaled' as const) : ('plain' as const) };
  try {
    const traffic =
      c.top === 'system' ? { seed: c.trafficSeed ?? 1, dram: c.dram ?? {} } : { seed: c.trafficSeed ?? 1, validProbability: chance, readyProbability: chance };
    const run = await session.runLayer(layer, data, mapping, goldenCycles, traffic, requant, { iactFormat: c.iactFormat });
    const ref = requant === null ? raw : requantizeAll(layer, raw, requant);
    const bad = run.output.findIndex((v, k) => v !== ref[k]);
    const ran = { rtlCycles: run.cycles, goldenCycles, replayedWords: run.staging.replayedWords, denseIactJobs: run.stats.denseIactJobs };
    if (bad < 0 && run.output.length === ref.length) return { ...base, verdict: 'matched', ...ran };
    const detail = bad < 0 ? `${run.output.length} outputs, want ${ref.length}` : `output ${bad} is ${run.output[bad]}, want ${ref[bad]}`;
    return { ...base, verdict: 'mismatch', ...ran, detail };
  } catch (e) {
    if (e instanceof RtlRunError) return { ...base, verdict: e.kind, rtlCycles: null, goldenCycles, detail: e.message };
    if (e instanceof AxiProtocolError) return { ...base, verdict: 'protocol', rtlCycles: null, goldenCycles, detail: e.message };
    throw e;
  }
}

export interface RegressionHooks {
  onBuild?: (message: string) => void;
  onCase?: (r: CaseResult) => void;
}

/**
 * Runs `cases` on their variants, a variant at a time (one simulator open at once), in index order
 * within a variant. A case that cannot map, hangs or mismatches is recorded and the run goes on.
 */
export async function runRegression(pool: readonly ArchConfig[], cases: readonly RegressCase[], hooks: RegressionHooks = {}): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const [v, arch] of pool.entries()) {
    for (const top of ['core', 'system'] as const) {
      const mine = cases.filter((c) => c.variant === v && c.top === top);
      if (mine.length === 0) continue;
      const session = await RtlSession.open(arch, { onBuild: hooks.onBuild, ...(top === 'system' ? { system: {} } : {}) });
      try {
        for (const c of mine) {
          const r = await runCase(session, arch, c);
          results.push(r);
          hooks.onCase?.(r);
        }
      } finally {
        await session.close();
      }
    }
  }
  return results.sort((a, b) => a.case.index - b.case.index);
}

/**
 * Counts by verdict, and the RTL/golden cycle ratios of the core-top cases that ran to the end without
 * backpressure (the golden model times a chip whose off-chip streams never stall).
 */
export function summarizeRegression(results: readonly CaseResult[]): {
  counts: Record<CaseVerdict, number>;
  ratio: { min: number; median: number; max: number } | null;
  staged: { layers: number; replayedWords: number };
} {
  const counts: Record<CaseVerdict, number> = { matched: 0, mismatch: 0, hang: 0, flagged: 0, protocol: 0, unmappable: 0 };
  for (const r of results) counts[r.verdict]++;
  const q = results
    .filter((r) => r.case.top === 'core' && r.case.trafficSeed === null && r.rtlCycles !== null && r.goldenCycles !== null && r.goldenCycles > 0)
    .map((r) => r.rtlCycles! / r.goldenCycles!)
    .sort((a, b) => a - b);
  const ratio = q.length === 0 ? null : { min: q[0]!, median: q[Math.floor(q.length / 2)]!, max: q[q.length - 1]! };
  const staged = results.filter((r) => (r.replayedWords ?? 0) > 0);
  return { counts, ratio, staged: { layers: staged.length, replayedWords: staged.reduce((a, r) => a + r.replayedWords!, 0) } };
}
