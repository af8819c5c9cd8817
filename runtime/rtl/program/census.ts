// What the off-chip iact words of a program carry, so that the RTL's iact bytes can be held
// against the golden model's (which counts each stream's CSC pairs and addresses once): the
// (count, value) pairs, the 12-bit address slots (one per segment), the pads that align a
// fabric input's classes, and the segment headers of staged ports.
import { decodeIactSegmentHeader, PAD_SLOT, PAD_WORD, SEG_REPLAY, SLOT_BITS, SLOT_TAG, type ChipParams } from '../../../spec/chip/format.js';
import { COUNT_BITS } from '../../../spec/numerics.js';
import type { ClusterProgram } from './types.js';

export interface IactCensus {
  /** 12-bit slots holding a (count, value) pair: a CSC pair, or a value of an uncompressed message (count 0). */
  pairSlots: number;
  /** 12-bit slots holding a segment's end address. */
  addressSlots: number;
  /** 12-bit pad slots (the odd slot at a message's end) and whole pad words (class alignment). */
  padSlots: number;
  padWords: number;
  /** Segment headers of staged ports. */
  headerWords: number;
}

export function iactCensus(p: ChipParams, clusters: readonly ClusterProgram[]): IactCensus {
  const c: IactCensus = { pairSlots: 0, addressSlots: 0, padSlots: 0, padWords: 0, headerWords: 0 };
  const valueBits = SLOT_BITS - COUNT_BITS;
  const slot = (s: number): void => {
    if (s >> valueBits < SLOT_TAG) c.pairSlots++;
    else if (s === PAD_SLOT) c.padSlots++;
    else c.addressSlots++;
  };
  const data = (w: number): void => {
    if (w === PAD_WORD) c.padWords++;
    else {
      slot(w & ((1 << SLOT_BITS) - 1));
      slot(w >> SLOT_BITS);
    }
  };
  for (const cl of clusters) {
    cl.iact.forEach((words, k) => {
      if (!cl.iactStaged[k]) return words.forEach(data);
      for (let at = 0; at < words.length;) {
        const h = decodeIactSegmentHeader(words[at++]!, p.noc.iactWidth, p.glb.iactDepth);
        c.headerWords++;
        if (h.kind === SEG_REPLAY) continue;
        const end = at + h.count;
        for (; at < end; at++) data(words[at]!);
      }
    });
  }
  return c;
}
