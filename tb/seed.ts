/** Seeded randomness for tests: the same seed replays the same stimulus, so a failure can be reproduced. */
import { mulberry32 } from '../golden/random.js';

export interface Rng {
  readonly seed: number;
  /** Uniform 32-bit unsigned integer. */
  u32(): number;
  /** Uniform float in [0, 1). */
  float(): number;
  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Uniform unsigned value of the given bit width, for ports of any width. */
  bits(width: number): bigint;
  pick<T>(items: readonly T[]): T;
}

const MAX_SEED = 2 ** 32 - 1;

/** The golden model's mulberry32 stream, with the helpers tests need. */
export function makeRng(seed: number): Rng {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new Error(`seed must be an integer in 0..${MAX_SEED}, got ${seed}`);
  }
  const u32 = mulberry32(seed);
  const float = (): number => u32() / 2 ** 32;
  return {
    seed,
    u32,
    float,
    int(lo, hi) {
      if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) throw new Error(`int(${lo}, ${hi}) needs integers with lo <= hi`);
      return lo + Math.floor(float() * (hi - lo + 1));
    },
    chance: (p) => float() < p,
    bits(width) {
      if (!Number.isInteger(width) || width < 1) throw new Error(`bits(${width}) needs an integer width >= 1`);
      let v = 0n;
      for (let got = 0; got < width; got += 32) v = (v << 32n) | BigInt(u32());
      return v & ((1n << BigInt(width)) - 1n);
    },
    pick(items) {
      if (items.length === 0) throw new Error('pick() needs a non-empty array');
      return items[Math.floor(float() * items.length)] as (typeof items)[number];
    },
  };
}

/** The SEED environment variable when set (to replay a failure), otherwise a fresh random seed. */
export function seedFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SEED;
  if (raw === undefined || raw === '') return Math.floor(Math.random() * (MAX_SEED + 1));
  const seed = Number(raw);
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new Error(`SEED=${raw} is not an integer in 0..${MAX_SEED}; unset it for a random seed`);
  }
  return seed;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command that replays one test with the same seed and writes its waveform. */
export function reproduceCommand(seed: number, file: string, testName: string): string {
  const pattern = testName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `reproduce: SEED=${seed} WAVES=1 npx vitest run ${shellQuote(file)} -t ${shellQuote(pattern)}`;
}
