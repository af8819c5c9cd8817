import { describe, expect, it, vi } from 'vitest';
import { makeLayer } from '../../golden/layers.js';
import { generateLayerData } from '../../golden/random.js';
import { namedArchs } from '../../spec/archs.js';
import { runLayer } from '../../runtime/run-layer.js';
import { GoldenBackend } from '../../runtime/golden-backend.js';

// A corrupted chip model: `matched` must come from comparing outputs, not be assumed.
vi.mock('../../golden/chip-model.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../golden/chip-model.js')>();
  return {
    ...real,
    runChipModel: (...args: Parameters<typeof real.runChipModel>) => {
      const run = real.runChipModel(...args);
      if (args[2]?.mode !== 'timing') run.output[run.output.length - 1] = run.output[run.output.length - 1]! ^ 1;
      return run;
    },
  };
});

describe('matched', () => {
  it('is false when the backend output differs from the reference in a single bit', async () => {
    const l = makeLayer({ name: 'pw', type: 'pointwise', C: 8, M: 8, H: 4, W: 4 });
    const run = await runLayer(l, generateLayerData(l, { iact: 1, weight: 1 }, 2), namedArchs['small']!, new GoldenBackend());
    expect(run.result.matched).toBe(false);
  });
});
