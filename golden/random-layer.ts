// Small random layers of every type, within what the small chip maps, and random output stages
// for them: the tests' and the long regression's stimulus (the same seed gives the same layer).
import type { Requant } from '../spec/numerics.js';
import { makeRng } from './random.js';
import { makeLayer, type Layer, type LayerType } from './layers.js';
import { benchmarkRequant } from './reference.js';

export function randomSmallLayer(seed: number, type: LayerType): Layer {
  const rng = makeRng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
  const N = int(1, 2);
  if (type === 'fc') {
    const H = int(1, 3),
      W = int(1, 3);
    return makeLayer({ name: `fc${seed}`, type, N, C: int(1, 24), M: int(1, 40), H, W, iactSigned: rng() < 0.3 });
  }
  const stride = int(1, 3);
  if (type === 'pointwise') {
    return makeLayer({ name: `pw${seed}`, type, N, C: int(1, 40), M: int(1, 48), H: int(1, 9), W: int(1, 9), stride, iactSigned: rng() < 0.3 });
  }
  const R = int(1, 5),
    S = int(1, 5);
  const padding = int(0, Math.min(R, S) - 1);
  const H = int(Math.max(1, R - 2 * padding), 11),
    W = int(Math.max(1, S - 2 * padding), 11);
  if (type === 'depthwise') {
    const C = int(1, 20);
    return makeLayer({ name: `dw${seed}`, type, N, C, M: C, H, W, R, S, stride, padding, iactSigned: rng() < 0.3 });
  }
  const groups = rng() < 0.25 ? int(2, 3) : 1;
  return makeLayer({
    name: `conv${seed}`,
    type,
    N,
    C: groups * int(1, 8),
    M: groups * int(1, 12),
    H,
    W,
    R,
    S,
    stride,
    padding,
    groups,
    iactSigned: rng() < 0.3,
  });
}

/**
 * A random output stage for `layer`, whose psums are `raw`: ReLU and the smallest shift at which no
 * output saturates (one less for half the seeds, so some do), over psums scaled by random
 * multipliers of `multiplierBits` bits (the extremes 0, 1 and the largest likely) unless that is 0.
 */
export function randomRequant(seed: number, layer: Layer, raw: Int32Array, multiplierBits: number): Requant {
  const rng = makeRng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
  const top = 2 ** multiplierBits - 1;
  const multipliers = multiplierBits === 0 ? undefined : Array.from({ length: layer.M }, () => [int(0, top), top, 1, 0][int(0, 3)]!);
  const q = benchmarkRequant(raw, multipliers && { layer, multipliers });
  return { ...q, shift: Math.max(0, q.shift - int(0, 1)) };
}
