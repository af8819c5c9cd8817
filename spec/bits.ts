// Bit-width arithmetic shared by the spec's formats and the DSL.

/** Number of bits needed to hold values 0..n-1 (at least 1, so a 1-entry index is still a wire). */
export function log2Ceil(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`log2Ceil needs a positive integer, got ${n}`);
  return Math.max(1, Math.ceil(Math.log2(n)));
}

/** Width of an unsigned value range 0..max. */
export function widthOf(max: number | bigint): number {
  const v = BigInt(max);
  if (v < 0n) throw new Error(`widthOf needs a non-negative value, got ${v}`);
  return Math.max(1, v.toString(2).length);
}
