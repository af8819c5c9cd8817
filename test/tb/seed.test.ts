import { describe, expect, it } from 'vitest';
import { makeRng, reproduceCommand, seedFromEnv } from '../../tb/seed.js';

describe('seeded randomness', () => {
  it('replays the same sequence for the same seed and differs for another', () => {
    const draw = (seed: number) => {
      const r = makeRng(seed);
      return [r.u32(), r.int(0, 9), r.float(), r.bits(130)];
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('keeps values inside the requested ranges', () => {
    const r = makeRng(7);
    const ints = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(-3, 3);
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThanOrEqual(3);
      ints.add(v);
      const b = r.bits(70);
      expect(b >= 0n && b < 1n << 70n).toBe(true);
    }
    expect(ints.size).toBe(7);
    // A 130-bit draw must reach its top bits, not just the low 32.
    expect(Array.from({ length: 50 }).some(() => r.bits(130) >> 100n !== 0n)).toBe(true);
  });

  it('takes SEED from the environment and rejects a malformed one', () => {
    expect(seedFromEnv({ SEED: '1234' })).toBe(1234);
    expect(() => seedFromEnv({ SEED: 'abc' })).toThrow(/SEED=abc is not an integer/);
    const s = seedFromEnv({});
    expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });

  it('prints a command that replays the test with its seed and a waveform', () => {
    expect(reproduceCommand(99, 'test/tb/x.test.ts', 'fifo (random) keeps order')).toBe(
      `reproduce: SEED=99 WAVES=1 npx vitest run test/tb/x.test.ts -t 'fifo \\(random\\) keeps order'`,
    );
  });
});
