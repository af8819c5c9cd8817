/**
 * Golden model of a staged GLB iact port (spec/chip/format.ts, "Iact port segments"): the words
 * its router receives from its off-chip words, and the bank contents that leaves. The header
 * layout comes from the spec, so the model and the RTL decode the same fields.
 */
import { decodeIactSegmentHeader, SEG_REPLAY, SEG_STORE } from '../../spec/chip/format.js';

export interface IactPortRun {
  /** The words the router receives, in order. */
  routed: number[];
  /** Headers taken, words written to the bank and words read back from it. */
  headers: number;
  stored: number;
  replayed: number;
  /** Headers the runtime never sends, which the port still takes: kind 3, a count of 0 or past the generators' width. */
  unusual: number;
}

/**
 * Runs `offchip` through a port with `bank` (undefined = never written; updated in place) whose
 * address generators count with `countWidth` bits: a store or replay takes its count modulo
 * 2^countWidth. Throws on a replay of a word never stored, or a stream that ends inside a segment.
 */
export function runIactSegments(offchip: readonly number[], width: number, bank: (number | undefined)[], countWidth: number): IactPortRun {
  const run: IactPortRun = { routed: [], headers: 0, stored: 0, replayed: 0, unusual: 0 };
  for (let at = 0; at < offchip.length;) {
    const h = offchip[at++]!;
    run.headers++;
    const header = decodeIactSegmentHeader(h, width, bank.length);
    const { kind, base } = header;
    const count = kind === SEG_STORE || kind === SEG_REPLAY ? header.count % 2 ** countWidth : header.count;
    if (kind > SEG_REPLAY || count === 0 || count !== header.count) run.unusual++;
    if (kind === SEG_REPLAY) {
      for (let i = 0; i < count; i++) {
        const w = bank[(base + i) % bank.length];
        if (w === undefined) throw new Error(`iact port: replay of bank word ${(base + i) % bank.length}, never stored (header at word ${at - 1})`);
        run.routed.push(w);
      }
      run.replayed += count;
      continue;
    }
    if (at + count > offchip.length)
      throw new Error(`iact port: a segment of ${count} words at word ${at - 1}, but the stream has ${offchip.length - at} left`);
    for (let i = 0; i < count; i++) {
      const w = offchip[at++]!;
      if (kind === SEG_STORE) bank[(base + i) % bank.length] = w;
      run.routed.push(w);
    }
    if (kind === SEG_STORE) run.stored += count;
  }
  return run;
}
