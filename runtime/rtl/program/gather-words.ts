// Iact words whose values are not known when the program is built. In a dependent chain a
// layer's iacts are the previous layer's 8-bit outputs, which the chip gathers from memory itself
// (docs/system.md, "Dependent layers"), so the program only knows where each value comes from.
// Every message is then uncompressed (its length does not depend on the data), and each of an
// iact word's two slots has a source: a constant (a pad slot, a zero of the padding) or an input
// position. Such a word stands in the streams as a symbol, a number above every 24-bit word, one
// per pair of sources, so the passes after the messages (classes, interleaving, GLB staging, mesh
// multicast) compare words by what they will carry.
import { PAD_SLOT, SLOT_BITS } from '../../../spec/chip/format.js';

/** >= 0: the NCHW index of an input value; < 0: the constant slot -1 - source. */
export type SlotSource = number;
export const constSlot = (slot: number): SlotSource => -1 - slot;

const SYMBOL_BASE = 2 ** 24;
const SLOT_MASK = (1 << SLOT_BITS) - 1;

export class GatherSymbols {
  private readonly ids = new Map<string, number>();
  private readonly pairs: [SlotSource, SlotSource][] = [];

  /** The word of two slot sources: a plain 24-bit word when both are constants, else a symbol. */
  word(slot0: SlotSource, slot1: SlotSource): number {
    if (slot0 < 0 && slot1 < 0) return (-1 - slot0) | ((-1 - slot1) << SLOT_BITS);
    const key = `${slot0},${slot1}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.pairs.length;
      this.pairs.push([slot0, slot1]);
      this.ids.set(key, id);
    }
    return SYMBOL_BASE + id;
  }

  /** The slot sources of a stream word: a symbol's, or a plain word's two constants. */
  sources(word: number): [SlotSource, SlotSource] {
    if (word < SYMBOL_BASE) return [constSlot(word & SLOT_MASK), constSlot((word >>> SLOT_BITS) & SLOT_MASK)];
    const pair = this.pairs[word - SYMBOL_BASE];
    if (pair === undefined) throw new Error(`internal: iact word ${word} is no gather symbol`);
    return pair;
  }

  /**
   * An uncompressed message's words from its values' position codes (0: a zero of the padding,
   * c > 0: input position c - 1), two slots a word, a pad slot after an odd last one.
   */
  message(codes: ArrayLike<number>): number[] {
    const slots = Array.from(codes, (c) => (c === 0 ? constSlot(0) : c - 1));
    if (slots.length % 2 === 1) slots.push(constSlot(PAD_SLOT));
    const words: number[] = [];
    for (let i = 0; i < slots.length; i += 2) words.push(this.word(slots[i]!, slots[i + 1]!));
    return words;
  }
}

/** Position codes of a layer's inputs: value i + 1 at NCHW index i, so padding (0) stays apart. */
export function positionCodes(n: number): Int32Array {
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = i + 1;
  return codes;
}
