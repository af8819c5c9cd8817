// Fabric input streams: each input interleaves its classes' words round-robin (class k = word
// index mod ways, burst 1), every class padded with PAD_WORD to the same length at the end of
// every job step, so every word of step t precedes every word of step t+1 and no class's next
// message can block a PE of another class that still waits for its tail (a deadlock).
import { PAD_WORD } from '../../../spec/chip/format.js';

/**
 * Appends one job step's class sequences to the fabric input streams: `streams[cluster][i]`,
 * input i's classes numbered from (cluster * inputs + i) * stride, `ways` classes per input.
 * Returns the pad words added and the most words one input took (its router hands over one a cycle).
 */
export function interleave(
  seqs: ReadonlyMap<number, readonly number[]>,
  ways: Int32Array,
  streams: number[][][],
  inputs: number,
  stride: number,
): { pads: number; busiest: number } {
  let pads = 0;
  let busiest = 0;
  streams.forEach((cluster, c) => {
    for (let i = 0; i < inputs; i++) {
      const input = c * inputs + i;
      const list = Array.from({ length: ways[input]! }, (_, id) => seqs.get(input * stride + id) ?? []);
      const len = Math.max(0, ...list.map((q) => q.length));
      const out = cluster[i]!;
      busiest = Math.max(busiest, len * list.length);
      for (let t = 0; t < len; t++) {
        for (const q of list) {
          if (t < q.length) out.push(q[t]!);
          else {
            out.push(PAD_WORD);
            pads++;
          }
        }
      }
    }
  });
  return { pads, busiest };
}
