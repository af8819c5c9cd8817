import { relative } from 'node:path';
import type { TestContext } from 'vitest';
import { reproduceCommand, seedFromEnv } from './seed.js';

/**
 * The seed for one vitest test: SEED from the environment or a random one. If the test
 * fails, the command that replays it with that seed and a waveform is printed.
 */
export function testSeed(ctx: TestContext): number {
  const seed = seedFromEnv();
  ctx.onTestFailed(() => {
    console.error(reproduceCommand(seed, relative(process.cwd(), ctx.task.file.filepath), ctx.task.name));
  });
  return seed;
}
