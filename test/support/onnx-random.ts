// Seeded float32-exact random tensors: onnxruntime reads its feeds as float32, so the host
// operators must see the very same values.
import { tensor, type Tensor } from '../../golden/host/tensor.js';
import { makeRng } from '../../golden/random.js';

export type Rng = () => number;
export const seededRng = (seed: number): Rng => makeRng(seed);

/** Uniform in [lo, hi), rounded to float32. */
export function randomTensor(rng: Rng, shape: number[], lo = -1, hi = 1): Tensor {
  const t = tensor(shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = Math.fround(lo + (hi - lo) * rng());
  return t;
}

/** Largest |a - b| over two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
