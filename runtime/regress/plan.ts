// What the long regression runs (npm run regress): a pool of chip variants and, for every layer
// index, a random layer, its data, the variant it runs on, the top it runs through (the core top,
// the backpressure of every off-chip stream; or the system top, the DRAM behind its memory port). Everything follows from (seed, index), so any one layer can be replayed alone.
import { paperArch, parseArch, archProblems, type ArchConfig } from '../../spec/arch.js';
import { namedArchs } from '../../spec/archs.js';
import type { LayerType } from '../../golden/layers.js';
import type { Densities } from '../../golden/random.js';
import { makeRng, type Rng } from '../../tb/seed.js';
import type { IactFormat } from '../rtl/program.js';
import type { DramModel } from '../rtl/system/driver.js';
import { MAX_OUTPUT_MULTIPLIER_BITS } from '../../spec/numerics.js';

export const LAYER_TYPES: readonly LayerType[] = ['conv', 'depthwise', 'pointwise', 'fc'];

/** One layer of the regression. */
export interface RegressCase {
  index: number;
  /** Index into the variant pool. */
  variant: number;
  type: LayerType;
  /** Seed of randomSmallLayer and of the layer's data. */
  layerSeed: number;
  density: Densities;
  /** Seed of the driver's draws and of each stream's chance; null: no backpressure. */
  trafficSeed: number | null;
  /** `system`: through the system top, from memory, behind `dram` (a third of the layers). */
  top: 'core' | 'system';
  /** The DRAM of a system-top layer: latency, random delays and backpressure, bandwidth; the defaults (1 cycle, none) without backpressure. */
  dram: DramModel | null;
  /**
   * The output stage: raw psums, 8-bit outputs (`plain`: ReLU and a shift), or 8-bit outputs with
   * per-channel multipliers (`scaled`; on a variant without an output multiplier, `plain`).
   * `requantSeed` draws the shift and the multipliers from the layer's own outputs.
   */
  requant: 'raw' | 'plain' | 'scaled';
  requantSeed: number;
  /** How the program encodes iact messages (IactFormat): the default `auto`, or CSC or uncompressed throughout. */
  iactFormat: IactFormat;
}

function drawDram(r: Rng): DramModel {
  return {
    latency: r.pick([1, 4, 20, 60, 150]),
    jitterCycles: r.pick([0, 4, 30]),
    jitterProbability: r.pick([0.1, 0.5]),
    arreadyProbability: r.pick([1, 0.7, 0.2]),
    rvalidProbability: r.pick([1, 0.7, 0.2]),
    bytesPerCycle: r.pick([0, 0, 8, 32, 128]),
  };
}

/** A seed for (seed, index) pairs that differ in either, spread over 32 bits. */
const mix = (a: number, b: number): number => {
  let h = Math.imul(a ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) >>> 0;
};

export function planCase(seed: number, index: number, variants: number): RegressCase {
  const r = makeRng(mix(seed, index));
  const variant = r.int(0, variants - 1);
  const type = LAYER_TYPES[index % LAYER_TYPES.length]!;
  const layerSeed = r.u32();
  const density = { iact: r.pick([1, 0.8, 0.5, 0.3, 0.1, 0]), weight: r.pick([1, 0.6, 0.3, 0.1]) };
  const trafficSeed = r.chance(0.2) ? null : r.u32();
  // Drawn after the rest, so a seed's layers, data and streams stay what they were before system-top layers.
  const top = r.chance(1 / 3) ? ('system' as const) : ('core' as const);
  const dram = drawDram(r);
  // Its own stream, so the fields above stay what they were before the output stage was drawn.
  const q = makeRng(mix(mix(seed, index), 0x7e9a));
  const requant = q.pick(['raw', 'plain', 'scaled'] as const);
  const iactFormat = makeRng(mix(mix(seed, index), 0x1a7f)).pick(['auto', 'auto', 'csc', 'dense'] as const);
  return {
    index,
    variant,
    type,
    layerSeed,
    density,
    trafficSeed,
    top,
    dram: top === 'core' ? null : trafficSeed === null ? {} : dram,
    requant,
    requantSeed: q.u32(),
    iactFormat,
  };
}

/**
 * The chance per cycle that a stream offers (or takes) a word: each stream its own, drawn from the
 * case's traffic seed and the port name, from almost idle to always ready.
 */
export function streamChance(trafficSeed: number | null): (port: string) => number {
  if (trafficSeed === null) return () => 1;
  return (port) => {
    let h = trafficSeed;
    for (let i = 0; i < port.length; i++) h = mix(h, port.charCodeAt(i));
    const u = h / 2 ** 32;
    return u < 0.15 ? 1 : 0.1 + 0.9 * u;
  };
}

const SPAD_CHOICES: Partial<ArchConfig['spads']>[] = [
  {},
  { weightData: { depth: 192, width: 24 }, weightAddr: { depth: 16, width: 8 } },
  { weightData: { depth: 48, width: 24 }, weightAddr: { depth: 16, width: 6 } },
  { psum: { depth: 16, width: 20 } },
  { psum: { depth: 64, width: 20 } },
  { iactAddr: { depth: 5, width: 4 } },
  { iactAddr: { depth: 16, width: 5 }, iactData: { depth: 32, width: 12 }, weightAddr: { depth: 32, width: 7 } },
];
const CLUSTER_ARRAYS: readonly [number, number][] = [
  [1, 1],
  [1, 2],
  [2, 1],
  [2, 2],
  [1, 3],
];

function drawVariant(r: Rng, name: string, multiplier: Rng): ArchConfig {
  const [clusterRows, clusterCols] = r.pick(CLUSTER_ARRAYS);
  const peCols = r.int(1, 4);
  const halfGlb = r.chance(0.3);
  // In the order the variants were always drawn, so a seed's pool stays what it was.
  const peRows = r.int(1, 4);
  const spads = { ...paperArch.spads, ...r.pick(SPAD_CHOICES) };
  const psumPortBits = r.pick([20, 40, 60]);
  // Half the variants have an output multiplier, as wide as a 32-bit memory slot allows for their lanes.
  const outputMultiplierBits = multiplier.pick([0, 0, 4, Math.min(MAX_OUTPUT_MULTIPLIER_BITS, Math.floor(32 / (psumPortBits / 20)))]);
  return parseArch(
    {
      ...paperArch,
      name,
      clusterRows,
      clusterCols,
      peRows,
      peCols,
      spads,
      glb: halfGlb ? { iactBanks: 2, iactBankBytes: 768, psumBanks: peCols, psumBankBytes: 960 } : { ...paperArch.glb, psumBanks: peCols },
      noc: { ...paperArch.noc, psumPortBits },
      ...(outputMultiplierBits > 0 && { outputMultiplierBits }),
    },
    `regression variant '${name}'`,
  );
}

/**
 * `count` chip variants: the shipped small chip first, then random ones (cluster arrays up to
 * 2x2 and 1x3, PE arrays up to 4x4, other SPad, GLB and psum port sizes, half with an output
 * multiplier), each one that the chip rules accept.
 */
export function variantPool(seed: number, count: number): ArchConfig[] {
  const pool = [namedArchs['small']!];
  const r = makeRng(mix(seed, 0xa5c4));
  const multiplier = makeRng(mix(seed, 0x3d17));
  for (let k = 1; k < count; k++) {
    for (let tries = 0; ; tries++) {
      const a = drawVariant(r, `regress-${seed}-${k}`, multiplier);
      if (archProblems(a).length === 0) {
        pool.push(a);
        break;
      }
      if (tries > 1000) throw new Error(`no valid chip variant after 1000 draws (seed ${seed}); the chip rules changed, update runtime/regress/plan.ts`);
    }
  }
  return pool;
}

/** The indices `0..layers-1` that shard `i` of `n` runs (1-based, as vitest's --shard). */
export function shardIndices(layers: number, shard: { i: number; n: number }): number[] {
  return Array.from({ length: layers }, (_, k) => k).filter((k) => k % shard.n === shard.i - 1);
}

/** Parses `i/n` (1 <= i <= n). */
export function parseShard(text: string): { i: number; n: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!(i >= 1 && n >= 1 && i <= n)) throw new Error(`--shard must be i/n with 1 <= i <= n (e.g. 2/4), got '${text}'`);
  return { i, n };
}
