// int8 quantization of a float network for the chip (golden/README.md, "Quantization"):
// symmetric scales with zero point 0 (a zero stays a zero, so CSC compression and zero padding
// work unchanged), int8 weights per output channel, uint8 or int8 activations per tensor, and
// per-channel requantization by an integer multiplier and shift (spec/numerics.ts).
import { quantizeMultiplier, type ScaledRequant } from '../spec/numerics.js';

/** real = q * scale; q in 0..255 (unsigned) or -128..127 (signed). */
export interface QParams {
  scale: number;
  signed: boolean;
}

export const qRange = (p: QParams): [number, number] => (p.signed ? [-128, 127] : [0, 255]);

/** Round half away from zero: symmetric, so -x quantizes to -q(x). */
export const roundHalfAway = (v: number): number => Math.sign(v) * Math.round(Math.abs(v));

/**
 * Params of a tensor whose real values span min..max: unsigned when it never goes negative
 * (after a ReLU, a sigmoid), signed otherwise; scale maps the largest magnitude to the top code.
 */
export function paramsFor(min: number, max: number): QParams {
  const signed = min < 0;
  const top = Math.max(Math.abs(min), Math.abs(max));
  return { signed, scale: top > 0 ? top / (signed ? 127 : 255) : 1 };
}

export function quantizeValues(real: ArrayLike<number>, p: QParams): Float64Array {
  const [lo, hi] = qRange(p);
  const out = new Float64Array(real.length);
  for (let i = 0; i < real.length; i++) {
    const v = roundHalfAway(real[i]! / p.scale);
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return out;
}

export function dequantizeValues(q: ArrayLike<number>, p: QParams): Float64Array {
  const out = new Float64Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = q[i]! * p.scale;
  return out;
}

/** A layer's quantized weights and what turns its psums into the next tensor. */
export interface LayerQuant {
  /** int8 MCRS, -127..127 (symmetric: -128 is never used). */
  weights: Int32Array;
  /** Per output channel: real weight = q * weightScale[m]. */
  weightScale: Float64Array;
  /** Per output channel, in psum units (s_in * weightScale[m]), added before requantization. */
  bias: Float64Array;
  /** Per output channel, or null when the output stays real (no later chip layer reads it): real = (acc + bias) * s_in * weightScale[m]. */
  requant: ScaledRequant[] | null;
}

/** The per-channel weight scales that map each filter's largest magnitude to 127. */
export function weightScales(weights: Float64Array, M: number): Float64Array {
  const per = weights.length / M;
  const s = new Float64Array(M);
  for (let m = 0; m < M; m++) {
    let top = 0;
    for (let k = 0; k < per; k++) top = Math.max(top, Math.abs(weights[m * per + k]!));
    s[m] = top > 0 ? top / 127 : 1;
  }
  return s;
}

const MAX_BIAS = 2 ** 31 - 1;

/**
 * Quantizes a layer given its input params, its output params (null: a real output), the real
 * clamp of a fused activation (lo..hi) and the weight scales (weightScales, or larger ones that
 * leave psum headroom).
 */
export function quantizeLayer(
  weights: Float64Array,
  bias: Float64Array,
  weightScale: Float64Array,
  input: QParams,
  output: QParams | null,
  clamp: { lo: number; hi: number },
): LayerQuant {
  const M = bias.length;
  const per = weights.length / M;
  const q = new Int32Array(weights.length);
  const b = new Float64Array(M);
  for (let m = 0; m < M; m++) {
    for (let k = 0; k < per; k++) q[m * per + k] = Math.max(-127, Math.min(127, roundHalfAway(weights[m * per + k]! / weightScale[m]!)));
    const accScale = input.scale * weightScale[m]!;
    b[m] = roundHalfAway(bias[m]! / accScale);
    if (Math.abs(b[m]!) > MAX_BIAS)
      throw new RangeError(`bias of output channel ${m} is ${b[m]} psum units, beyond int32: the input scale is too small for it`);
  }
  if (output === null) return { weights: q, weightScale, bias: b, requant: null };
  const [lo, hi] = qRange(output);
  const clampLo = Math.max(lo, clamp.lo === -Infinity ? lo : Math.ceil(clamp.lo / output.scale - 0.5));
  const clampHi = Math.min(hi, clamp.hi === Infinity ? hi : Math.floor(clamp.hi / output.scale + 0.5));
  const requant = Array.from(weightScale, (ws) => ({ ...quantizeMultiplier((input.scale * ws) / output.scale), lo: clampLo, hi: clampHi }));
  return { weights: q, weightScale, bias: b, requant };
}
