// `npm run regress`: the long regression. Random layers of every type on random variants of the
// small chip, two thirds through the core top with every off-chip stream under its own random
// backpressure, a third through the system top from memory behind a random DRAM (latency, delays,
// backpressure, bandwidth; AXI rules asserted), raw psums or 8-bit outputs (with per-channel
// multipliers on variants that have them), each layer bit-exact against
// the functional reference, RTL and golden cycles recorded. Runs outside CI (CI runs a 50-layer
// slice, test/runtime/regress-slice.test.ts).
//
//   npm run regress -- --layers 10000 --seed 1 [--shard 2/4] [--variants 8] [--pool-seed 1] [--out out/regress]
//   npm run regress -- --seed 1 --only 4711          replay one layer (WAVES=1 for its waveform)
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { parseShard, planCase, shardIndices, variantPool } from '../runtime/regress/plan.js';
import { runRegression, summarizeRegression, type CaseResult } from '../runtime/regress/run.js';

const program = new Command('regress')
  .description('random layers on random chip variants with random backpressure, on the RTL, against the reference')
  .option('--layers <n>', 'how many layers (indices 0..n-1)')
  .option('--seed <n>', 'seed of the whole regression', '1')
  .option('--shard <i/n>', 'run only every n-th layer, starting at the i-th (1-based)', '1/1')
  .option('--variants <k>', 'chip variants in the pool (the small chip and k-1 random ones)', '8')
  .option('--pool-seed <n>', 'seed of the random chip variants (kept apart so that their builds stay cached across seeds)', '1')
  .option('--only <index>', 'run this one layer index (replays a failure)')
  .option('--out <dir>', 'where results.jsonl and summary.json go', 'out/regress');
program.parse();
const fail = (message: string): never => program.error(`error: ${message}`);
const positiveInt = (name: string, text: string): number => {
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 ? n : fail(`${name} must be a positive integer, got '${text}'`);
};
const o = program.opts<{ layers?: string; seed: string; poolSeed: string; shard: string; variants: string; only?: string; out: string }>();

const seed = Number(o.seed);
if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) fail(`--seed must be an integer in 0..2^32-1, got '${o.seed}'`);
const variants = positiveInt('--variants', o.variants);
const poolSeed = Number(o.poolSeed);
if (!Number.isInteger(poolSeed) || poolSeed < 0 || poolSeed >= 2 ** 32) fail(`--pool-seed must be an integer in 0..2^32-1, got '${o.poolSeed}'`);
if (o.only === undefined && o.layers === undefined) fail('give --layers N (or --only INDEX to replay one layer)');
const shard = (() => {
  try {
    return parseShard(o.shard);
  } catch (e) {
    return fail((e as Error).message);
  }
})();
const indices = o.only !== undefined ? [Number(o.only)] : shardIndices(positiveInt('--layers', o.layers!), shard);
if (!indices.every((k) => Number.isInteger(k) && k >= 0)) fail(`--only must be a layer index >= 0, got '${o.only}'`);
const out = path.resolve(o.out);
await mkdir(out, { recursive: true });

const pool = variantPool(poolSeed, variants);
const cases = indices.map((k) => planCase(seed, k, variants));
const started = Date.now();
let done = 0;
const replay = (r: CaseResult): string => `npm run regress -- --seed ${seed} --pool-seed ${poolSeed} --variants ${variants} --only ${r.case.index}`;
const results = await runRegression(pool, cases, {
  onBuild: (m) => console.log(m),
  onCase: (r) => {
    done++;
    if (r.verdict !== 'matched' && r.verdict !== 'unmappable')
      console.log(`FAIL ${r.verdict} layer ${r.case.index} on ${r.arch}: ${r.detail}\n  replay: ${replay(r)}`);
    if (done % 100 === 0 || done === cases.length) console.log(`[${done}/${cases.length}] ${((Date.now() - started) / 1000).toFixed(0)} s`);
  },
});

const { counts, ratio, staged } = summarizeRegression(results);
const seconds = (Date.now() - started) / 1000;
const summary = {
  seed,
  pool_seed: poolSeed,
  variants,
  shard: o.only !== undefined ? null : o.shard,
  layers: results.length,
  system_top_layers: results.filter((r) => r.case.top === 'system').length,
  requantized_layers: results.filter((r) => r.output === 'plain' || r.output === 'scaled').length,
  scaled_layers: results.filter((r) => r.output === 'scaled').length,
  dense_iact_layers: results.filter((r) => (r.denseIactJobs ?? 0) > 0).length,
  ...counts,
  rtl_over_golden_cycles_without_backpressure: ratio,
  staged_layers: staged.layers,
  replayed_iact_words: staged.replayedWords,
  seconds: Number(seconds.toFixed(1)),
  archs: pool.map((a) => ({
    name: a.name,
    clusters: `${a.clusterRows}x${a.clusterCols}`,
    pes: `${a.peRows}x${a.peCols}`,
    spads: a.spads,
    glb: a.glb,
    noc: a.noc,
    output_multiplier_bits: a.outputMultiplierBits ?? 0,
  })),
};
await writeFile(path.join(out, 'results.jsonl'), results.map((r) => JSON.stringify(r)).join('\n') + '\n');
await writeFile(path.join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(
  `${results.length} layers (${summary.system_top_layers} through the system top, ${summary.requantized_layers} requantized on chip, ${summary.scaled_layers} of them with per-channel multipliers, ${summary.dense_iact_layers} with uncompressed iacts) on ${pool.length} chip variants in ${seconds.toFixed(0)} s: ` +
    `${counts.matched} bit-exact, ${counts.mismatch} mismatches, ${counts.hang} hangs, ${counts.flagged} chip errors, ${counts.protocol} AXI rule breaks, ${counts.unmappable} unmappable; ${staged.layers} layers replayed ${staged.replayedWords} iact words from the GLB` +
    (ratio
      ? `; RTL/golden cycles without backpressure ${ratio.min.toFixed(2)} / ${ratio.median.toFixed(2)} / ${ratio.max.toFixed(2)} (min / median / max)`
      : ''),
);
console.log(`wrote ${path.join(out, 'results.jsonl')} and summary.json`);
if (counts.mismatch + counts.hang + counts.flagged + counts.protocol > 0) process.exitCode = 1;
