/** A CSC pair: a 4-bit count of zeros before an 8-bit value (the paper's format, not a parameter). */
export const COUNT_BITS = 4;
export const VALUE_BITS = 8;
export const PAIR_BITS = COUNT_BITS + VALUE_BITS;

// Integer rules of the chip (golden/README.md, "Numerics"). The RTL implements exactly these.

export const PSUM_BITS = 20;
const PSUM_SHIFT = 32 - PSUM_BITS;
const PSUM_MASK = 2 ** PSUM_BITS - 1;

/**
 * Two's-complement wrap to 20 bits, as a 20-bit adder drops its carry. Wrapping is modular, so
 * wrapping once at the end equals wrapping after every add, in any order: that is what lets the
 * PE array accumulate in any tiling and still match the reference bit for bit.
 */
export function wrapPsum(x: number): number {
  // `<<` first reduces x modulo 2^32 (ToInt32); 2^20 divides 2^32 so the result is x mod 2^20.
  return (x << PSUM_SHIFT) >> PSUM_SHIFT;
}

/**
 * Psum words of the PE drain and the psum NoC: `lanes` 20-bit patterns per word, lane 0 lowest;
 * a job's last word may be partly filled (unused lanes 0).
 */
export function packPsumWords(lanes: number, psums: readonly number[]): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < psums.length; i += lanes) {
    let w = 0n;
    for (let l = 0; l < lanes && i + l < psums.length; l++) w |= BigInt(psums[i + l]! & PSUM_MASK) << BigInt(l * PSUM_BITS);
    out.push(w);
  }
  return out;
}

/** The first n 20-bit patterns (unsigned) of a run of psum words; the word count must be exact. */
export function psumWordPatterns(lanes: number, words: readonly bigint[], n: number): number[] {
  if (words.length !== Math.ceil(n / lanes)) throw new Error(`${words.length} psum words cannot hold exactly ${n} psums at ${lanes} per word`);
  return Array.from({ length: n }, (_, i) => Number((words[Math.floor(i / lanes)]! >> BigInt((i % lanes) * PSUM_BITS)) & BigInt(PSUM_MASK)));
}

/**
 * Only ReLU: outputs are uint8 (the next layer's unsigned iacts), so any other activation would
 * end in the same clamp of negatives to 0.
 */
export type Activation = 'relu';

export interface Requant {
  activation: Activation;
  /** Arithmetic right shift, 0..19, rounding half up. */
  shift: number;
}

export function checkRequant(q: Requant): void {
  if (!Number.isInteger(q.shift) || q.shift < 0 || q.shift >= PSUM_BITS) {
    throw new RangeError(`shift ${q.shift} must be an integer in 0..${PSUM_BITS - 1}`);
  }
}

/** 20-bit psum -> uint8 output activation: ReLU, shift with round-half-up, saturate to 0..255. */
export function requantize(psum: number, q: Requant): number {
  checkRequant(q);
  const v = q.activation === 'relu' && psum < 0 ? 0 : psum;
  const rounded = q.shift > 0 ? (v + (1 << (q.shift - 1))) >> q.shift : v;
  return rounded < 0 ? 0 : rounded > 255 ? 255 : rounded;
}

/**
 * Per-output-channel requantization as int8 networks are deployed (gemmlowp, TFLite, ONNX
 * QLinearConv): the real factor s_in * s_w / s_out is an integer multiplier in [2^30, 2^31) and a
 * right shift, so the rule is integer-only and the RTL can implement it with one 52-bit product.
 */
export interface ScaledRequant {
  multiplier: number;
  /** Right shift of (acc + bias) * multiplier, 1..62, rounding half up. */
  shift: number;
  /** Output range after the shift: 0..255, -128..127, or tighter for a fused ReLU6. */
  lo: number;
  hi: number;
}

/** multiplier * 2^-shift = `real` to 31 significant bits; throws when `real` is outside what 1..62 shifts can hold. */
export function quantizeMultiplier(real: number): { multiplier: number; shift: number } {
  if (!(real > 0) || !Number.isFinite(real)) throw new RangeError(`requantization factor ${real} must be a positive finite number`);
  // real = m * 2^e with m in [0.5, 1): the multiplier is m as a Q31 fraction.
  let e = Math.ceil(Math.log2(real));
  if (real / 2 ** e >= 1) e++;
  if (real / 2 ** e < 0.5) e--;
  let multiplier = Math.round((real / 2 ** e) * 2 ** 31);
  if (multiplier === 2 ** 31) {
    multiplier = 2 ** 30;
    e++;
  }
  const shift = 31 - e;
  if (shift < 1 || shift > 62) throw new RangeError(`requantization factor ${real} needs a shift of ${shift}, outside 1..62`);
  return { multiplier, shift };
}

/** (acc + bias) * multiplier >> shift, rounding half up, clamped to lo..hi. BigInt: the product can exceed 2^53. */
export function requantizeScaled(acc: number, bias: number, q: ScaledRequant): number {
  const p = BigInt(acc + bias) * BigInt(q.multiplier) + (1n << BigInt(q.shift - 1));
  const v = Number(p >> BigInt(q.shift));
  return v < q.lo ? q.lo : v > q.hi ? q.hi : v;
}
