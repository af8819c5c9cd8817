// The AXI DMAs (generator/eyeriss/axi/): what the read DMA hands out per stream (the low
// `wordBits` of `words` consecutive 32-bit slots from its base address), and the memory the write DMA leaves.
import { DMA_SLOT_BITS } from '../../spec/axi.js';

export interface DmaLoad {
  stream: number;
  /** Byte address of the stream's first slot. */
  addr: number;
  words: number;
}

/** The words each stream delivers for `loads` over a memory of 32-bit words starting at byte `base`. */
export function dmaStreamWords(memory: Uint32Array, base: number, loads: readonly DmaLoad[], streams: number, wordBits: number): number[][] {
  const out: number[][] = Array.from({ length: streams }, () => []);
  const mask = wordBits === DMA_SLOT_BITS ? 0xffffffff : 2 ** wordBits - 1;
  for (const l of loads) {
    const first = (l.addr - base) / 4;
    if (!Number.isInteger(first) || first < 0 || first + l.words > memory.length)
      throw new RangeError(`DMA load of ${l.words} words at ${l.addr} is outside the memory`);
    for (let i = 0; i < l.words; i++) out[l.stream]!.push((memory[first + i]! & mask) >>> 0);
  }
  return out;
}

/** Bursts the DMA issues for a load: whole beats of slotsPerBeat slots, at most burstBeats a burst. */
export const dmaBursts = (words: number, slotsPerBeat: number, burstBeats: number): number => Math.ceil(Math.ceil(words / slotsPerBeat) / burstBeats);

/** The memory after the write DMA wrote `data[s]` for each load: every other word unchanged. */
export function dmaWrittenMemory(memory: Uint32Array, base: number, loads: readonly DmaLoad[], data: readonly (readonly number[])[]): Uint32Array {
  const out = Uint32Array.from(memory);
  for (const l of loads) {
    const first = (l.addr - base) / 4;
    const words = data[l.stream] ?? [];
    if (words.length !== l.words) throw new RangeError(`stream ${l.stream}: ${words.length} words for a load of ${l.words}`);
    if (!Number.isInteger(first) || first < 0 || first + l.words > memory.length)
      throw new RangeError(`DMA load of ${l.words} words at ${l.addr} is outside the memory`);
    out.set(words, first);
  }
  return out;
}
