// CI's slice of the long regression (npm run regress): 50 random layers of every type on the small
// chip and one random variant of it, on the core top with each stream under its own random
// backpressure, or (a third) on the system top behind a random DRAM; iacts in CSC, uncompressed, or
// the shorter of the two per message.
import { expect, it } from 'vitest';
import { planCase, variantPool } from '../../runtime/regress/plan.js';
import { runRegression, summarizeRegression } from '../../runtime/regress/run.js';
import { testSeed } from '../../tb/testing.js';

it('50 layers of the long regression: every one bit-exact, none hangs', async (ctx) => {
  const seed = testSeed(ctx);
  const pool = variantPool(1, 2);
  const cases = Array.from({ length: 50 }, (_, k) => planCase(seed, k, pool.length));
  const results = await runRegression(pool, cases);
  const failed = results.filter((r) => r.verdict !== 'matched' && r.verdict !== 'unmappable');
  const replay = (i: number): string => `npm run regress -- --seed ${seed} --pool-seed 1 --variants 2 --only ${i}`;
  expect(failed.map((r) => `${r.verdict} layer ${r.case.index} on ${r.arch}: ${r.detail} (${replay(r.case.index)})`)).toEqual([]);
  const { counts } = summarizeRegression(results);
  // The small chip maps every layer randomSmallLayer draws; the variant may refuse a few.
  expect(counts.matched).toBeGreaterThan(40);
  expect(results.filter((r) => r.case.top === 'system' && r.verdict === 'matched').length).toBeGreaterThan(5);
  // A quarter of the cases force uncompressed iacts, a quarter CSC, the rest auto.
  expect(results.filter((r) => r.case.iactFormat === 'dense' && r.verdict === 'matched' && (r.denseIactJobs ?? 0) > 0).length).toBeGreaterThan(0);
}, 900_000);
