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
  /** Arithmetic right shift rounding half up: 0..19, or 0..31 (MAX_SCALED_SHIFT) with multipliers. */
  shift: number;
  /**
   * Per output channel m: the ReLU'd psum times multipliers[m] is what is shifted (the chip's
   * optional output multiplier, ArchConfig.outputMultiplierBits). Absent: no multiplication.
   */
  multipliers?: readonly number[];
}

/** The widest output multiplier any chip may have: a 20-bit psum times it stays exact in a double. */
export const MAX_OUTPUT_MULTIPLIER_BITS = 16;
/** With multipliers the product is up to 19 + 16 bits wide, so the shift may pass the psum's width. */
export const MAX_SCALED_SHIFT = 31;

const maxShift = (q: Requant): number => (q.multipliers === undefined ? PSUM_BITS - 1 : MAX_SCALED_SHIFT);

function checkShift(q: Requant): void {
  if (!Number.isInteger(q.shift) || q.shift < 0 || q.shift > maxShift(q)) throw new RangeError(`shift ${q.shift} must be an integer in 0..${maxShift(q)}`);
}

export function checkRequant(q: Requant): void {
  checkShift(q);
  const bad = q.multipliers?.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= 2 ** MAX_OUTPUT_MULTIPLIER_BITS) ?? -1;
  if (bad >= 0) throw new RangeError(`multipliers[${bad}] = ${q.multipliers![bad]} must be an integer in 0..${2 ** MAX_OUTPUT_MULTIPLIER_BITS - 1}`);
}

/**
 * Throws when a chip whose output multiplier is `bits` wide (0: none) cannot apply `q`: `what`
 * names the layer, `chip` the chip (`architecture 'small'`), in the message.
 */
export function checkRequantOnChip(q: Requant, bits: number, what: string, chip: string): void {
  if (q.multipliers === undefined) return;
  if (bits === 0)
    throw new RangeError(
      `${what}: its requant has per-channel multipliers, but ${chip} has no output multiplier; fix: set "outputMultiplierBits" (1..${MAX_OUTPUT_MULTIPLIER_BITS}) in the architecture, or drop "multipliers"`,
    );
  const top = q.multipliers.reduce((a, b) => Math.max(a, b), 0);
  if (top >= 2 ** bits)
    throw new RangeError(
      `${what}: multiplier ${top} needs more than the ${bits} bits of ${chip}'s output multiplier (at most ${2 ** bits - 1}); fix: scale the multipliers and the shift down, or widen "outputMultiplierBits"`,
    );
}

/**
 * 20-bit psum of output channel `channel` -> uint8 output activation: ReLU, the channel's
 * multiplier (when the requant has them), shift with round-half-up, saturate to 0..255.
 */
export function requantize(psum: number, q: Requant, channel = 0): number {
  checkShift(q);
  const mult = q.multipliers === undefined ? 1 : q.multipliers[channel];
  if (mult === undefined) throw new RangeError(`output channel ${channel} has no multiplier (the requant has ${q.multipliers!.length})`);
  const v = (q.activation === 'relu' && psum < 0 ? 0 : psum) * mult;
  // Division, not >>: with a multiplier v can pass 32 bits (it stays below 2^35, exact in a double).
  const rounded = q.shift > 0 ? Math.floor((v + 2 ** (q.shift - 1)) / 2 ** q.shift) : v;
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
