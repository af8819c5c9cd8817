// The gather DMA (generator/eyeriss/axi/gather-dma.ts): the word each entry becomes, and the
// one-beat reads it issues for them, so a test holds both the data and the read count exact.
import { GATHER_ADDR_BITS, GATHER_CONST_BIT, GATHER_SLOT_BITS } from '../../spec/axi.js';

/** An entry's two 32-bit slot sources (spec/axi.ts, gatherConst and gatherByte), slot 0 first. */
export type GatherEntry = readonly [slot0: number, slot1: number];

const isConst = (src: number): boolean => (src >>> GATHER_CONST_BIT) % 2 === 1;
const addrOf = (src: number): number => (src >>> 0) % 2 ** GATHER_ADDR_BITS;

/** The slot a source gives: its constant, or the byte at its address (`memory` returns a byte). */
function slot(src: number, memory: (byteAddr: number) => number): number {
  if (isConst(src)) return src % 2 ** GATHER_SLOT_BITS;
  const byte = memory(addrOf(src));
  if (!Number.isInteger(byte) || byte < 0 || byte > 0xff) throw new RangeError(`memory(${addrOf(src)}) = ${byte} is not a byte`);
  return byte;
}

/** The word each entry becomes, in entry order: slot 1 above slot 0. */
export const gatherWords = (entries: readonly GatherEntry[], memory: (byteAddr: number) => number): number[] =>
  entries.map(([s0, s1]) => slot(s1, memory) * 2 ** GATHER_SLOT_BITS + slot(s0, memory));

/**
 * The reads the DMA issues for `entries` with beats of `beatBytes`: one per byte source, slot 0
 * before slot 1, except a source in the same beat as the read issued last (constants read nothing).
 */
export function gatherReads(entries: readonly GatherEntry[], beatBytes: number): number {
  let last = -1;
  let reads = 0;
  for (const src of entries.flat()) {
    if (isConst(src)) continue;
    const beat = Math.floor(addrOf(src) / beatBytes);
    if (beat !== last) reads++;
    last = beat;
  }
  return reads;
}
