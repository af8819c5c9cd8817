import { afterAll, beforeAll, describe, it } from 'vitest';
import { Counter } from '../../generator/examples/index.js';
import { emitForSim } from '../../tb/dsl.js';
import { makeRng } from '../../tb/seed.js';
import { Simulator } from '../../tb/sim.js';
import { testSeed } from '../../tb/testing.js';
import { expectSameTrace, runCycles } from '../support/cycles.js';

const P = { width: 7, max: 100 };

describe('Counter against its TypeScript model', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await Simulator.start(await emitForSim(Counter, P), { name: 'counter' });
  });
  afterAll(async () => sim?.close());

  it('5000 random cycles of en/clear', async (ctx) => {
    const rng = makeRng(testSeed(ctx));
    await sim.reset();
    const inputs = Array.from({ length: 5000 }, () => ({ en: rng.chance(0.8) ? 1 : 0, clear: rng.chance(0.01) ? 1 : 0 }));
    let value = 0;
    const model = inputs.map(({ en, clear }) => {
      const out = { count: BigInt(value), wrap: BigInt(en && !clear && value === P.max ? 1 : 0) };
      if (clear) value = 0;
      else if (en) value = value === P.max ? 0 : value + 1;
      return out;
    });
    expectSameTrace(await runCycles(sim, inputs, ['count', 'wrap']), model, `seed ${rng.seed}`);
  });
});
