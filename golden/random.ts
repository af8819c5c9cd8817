// Seeded data generation: the same seed gives the same tensors on every machine.
import type { Layer, LayerData } from './layers.js';
import { iactCount, weightCount } from './layers.js';

/** mulberry32: small, fast, and good enough for stimulus and test tensors; uniform 32-bit unsigned integers. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform floats in [0, 1) from mulberry32. */
export function makeRng(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 4294967296;
}

/** Fills `n` values: zero with probability 1 - density, otherwise uniform over the non-zeros of [lo, hi]. */
export function sparseTensor(rng: () => number, n: number, density: number, lo: number, hi: number): Int32Array {
  if (!(density >= 0 && density <= 1)) throw new RangeError(`density ${density} must be in [0, 1]`);
  const out = new Int32Array(n);
  const span = hi - lo; // number of non-zero values in [lo, hi]
  if (density === 0) return out;
  for (let i = 0; i < n; i++) {
    // One draw per value: below `density` it is non-zero, and u/density is again uniform in [0, 1).
    const u = rng();
    if (u >= density) continue;
    const v = lo + Math.floor((u / density) * span);
    out[i] = v >= 0 ? v + 1 : v;
  }
  return out;
}

export interface Densities {
  iact: number;
  weight: number;
}

/** Layer data from a seed: iacts uint8 (or int8 when the layer says so), weights int8. */
export function generateLayerData(l: Layer, d: Densities, seed: number): LayerData {
  const rng = makeRng(seed);
  const [lo, hi] = l.iactSigned ? [-128, 127] : [0, 255];
  return {
    iacts: sparseTensor(rng, iactCount(l), d.iact, lo, hi),
    weights: sparseTensor(rng, weightCount(l), d.weight, -128, 127),
  };
}

/**
 * Weights alone from a seed, for a layer whose iacts come from elsewhere (the previous layer of
 * a chained network). Not the weights generateLayerData draws for the same seed: those follow
 * the iacts in the stream.
 */
export function generateWeights(l: Layer, density: number, seed: number): Int32Array {
  return sparseTensor(makeRng(seed), weightCount(l), density, -128, 127);
}
