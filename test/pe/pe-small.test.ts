import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../tb/sim.js';
import { makeRng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { peParamsFromArch } from '../../spec/pe/params.js';
import { compareWithModel, randomTiming } from './check.js';
import { startPe } from './pe-rtl.js';
import { randomJobs } from './random-tiles.js';
import { largePeArch, smallPeArch } from './small-arch.js';

for (const [what, arch] of [
  ['shrunken', smallPeArch],
  ['enlarged', largePeArch],
] as const) {
  describe(`sparse PE RTL vs golden model, ${what} SPads (${arch.name})`, () => {
    const params = peParamsFromArch(arch);
    let sim: Simulator;
    beforeAll(async () => {
      sim = await startPe(params);
    });
    afterAll(async () => {
      await sim?.close();
    });

    it('matches on 3 x 1000 random jobs under random backpressure', async (ctx) => {
      const seed = testSeed(ctx);
      const rng = makeRng(seed);
      for (let run = 0; run < 3; run++) {
        const timing = randomTiming(() => rng.float());
        const tiles = randomJobs(rng, 1000, params, arch);
        const r = await compareWithModel(sim, tiles, arch, timing, rng.u32());
        expect(r.mismatches.slice(0, 5), `port timing ${JSON.stringify(timing)}`).toEqual([]);
      }
    });
  });
}
