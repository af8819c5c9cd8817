// The AXI DMAs (generator/eyeriss/axi/): what the read DMA hands out per stream (the low
// `wordBits` of `words` consecutive 32-bit slots from its base address, its load's tag above
// them; a stream's loads one after another), and the memory the write DMA leaves.
import { DMA_SLOT_BITS, dmaOutBits, type AxiReadDmaParams } from '../../spec/axi.js';

export interface DmaLoad {
  stream: number;
  /** Byte address of the stream's first slot. */
  addr: number;
  words: number;
  /** The read DMA's tag bit, carried with each word (0 when absent). */
  tag?: number;
}

/**
 * The words (tag included) each stream of a read DMA delivers for `loads`, in order, over a
 * memory of 32-bit words starting at byte `base`; a pair stream's load counts slots (even) and
 * delivers them two at a time, low slot first.
 */
export function dmaStreamWords(memory: Uint32Array, base: number, loads: readonly DmaLoad[], p: AxiReadDmaParams): bigint[][] {
  const out: bigint[][] = Array.from({ length: p.streams }, () => []);
  const mask = p.wordBits === DMA_SLOT_BITS ? 0xffffffff : 2 ** p.wordBits - 1;
  const slot = (i: number): bigint => BigInt((memory[i]! & mask) >>> 0);
  for (const l of loads) {
    const first = (l.addr - base) / 4;
    if (!Number.isInteger(first) || first < 0 || first + l.words > memory.length)
      throw new RangeError(`DMA load of ${l.words} words at ${l.addr} is outside the memory`);
    const bits = BigInt(dmaOutBits(p, l.stream));
    const pair = bits > BigInt(p.wordBits);
    if (pair && l.words % 2 !== 0) throw new RangeError(`pair stream ${l.stream}: a load of ${l.words} slots, not an even number`);
    const tag = BigInt(l.tag ?? 0) << bits;
    for (let i = 0; i < l.words; i += pair ? 2 : 1)
      out[l.stream]!.push(tag | (pair ? (slot(first + i + 1) << BigInt(p.wordBits)) | slot(first + i) : slot(first + i)));
  }
  return out;
}

/** Bursts the DMA issues for a load: whole beats of slotsPerBeat slots, at most burstBeats a burst. */
export const dmaBursts = (words: number, slotsPerBeat: number, burstBeats: number): number => Math.ceil(Math.ceil(words / slotsPerBeat) / burstBeats);

/** The memory after the write DMA wrote stream s's words `data[s]` over its loads in order: every other word unchanged. */
export function dmaWrittenMemory(memory: Uint32Array, base: number, loads: readonly DmaLoad[], data: readonly (readonly number[])[]): Uint32Array {
  const out = Uint32Array.from(memory);
  const used = data.map(() => 0);
  for (const l of loads) {
    const first = (l.addr - base) / 4;
    const words = (data[l.stream] ?? []).slice(used[l.stream], (used[l.stream] ?? 0) + l.words);
    used[l.stream] = (used[l.stream] ?? 0) + l.words;
    if (words.length !== l.words) throw new RangeError(`stream ${l.stream}: ${words.length} words for a load of ${l.words}`);
    if (!Number.isInteger(first) || first < 0 || first + l.words > memory.length)
      throw new RangeError(`DMA load of ${l.words} words at ${l.addr} is outside the memory`);
    out.set(words, first);
  }
  return out;
}
