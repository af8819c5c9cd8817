import { describe, it } from 'vitest';
import { Counter } from '../../generator/demos/index.js';
import { makeRng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { expectSameTrace, runCycles } from '../support/cycles.js';
import { useSimulator } from '../support/sim.js';

const P = { width: 7, max: 100 };

describe('Counter against its TypeScript model', () => {
  const sim = useSimulator(Counter, P, 'counter');

  it('5000 random cycles of en/clear', async (ctx) => {
    const rng = makeRng(testSeed(ctx));
    await sim().reset();
    const inputs = Array.from({ length: 5000 }, () => ({ en: rng.chance(0.8) ? 1 : 0, clear: rng.chance(0.01) ? 1 : 0 }));
    let value = 0;
    const model = inputs.map(({ en, clear }) => {
      const out = { count: BigInt(value), wrap: BigInt(en && !clear && value === P.max ? 1 : 0) };
      if (clear) value = 0;
      else if (en) value = value === P.max ? 0 : value + 1;
      return out;
    });
    expectSameTrace(await runCycles(sim(), inputs, ['count', 'wrap']), model, `seed ${rng.seed}`);
  });
});
