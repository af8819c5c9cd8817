// A chain of layer programs as the system top reads it from memory (docs/system.md): per layer
// a descriptor, its configuration writes, every cluster's command, iact and weight streams, and
// room for its outputs, each region aligned to one burst.
import { clusterCount, multiplierBits } from '../../../spec/chip/format.js';
import { CFG_SLOTS, DESC_FLAG_REQUANT, DESC_MAGIC, outSlots, type SystemParams } from '../../../spec/system.js';
import type { RtlProgram } from '../program.js';

/** Where a layer's outputs land: per cluster, per out port, the byte address and the out words. */
export interface OutputRegion {
  addr: number;
  words: number;
  /** Memory slots per out word: 2 raw, 1 requantized. */
  slots: number;
}

export interface LayerImage {
  descAddr: number;
  outputs: OutputRegion[][];
}

export interface MemoryImage {
  base: number;
  memory: Uint32Array;
  /** The first descriptor (the DESC register). */
  first: number;
  layers: LayerImage[];
}

/** Memory starts here in the harness's model; any burst-aligned base works. */
export const IMAGE_BASE = 0x1000_0000;

class Allocator {
  private words: number[] = [];
  constructor(
    private readonly base: number,
    private readonly align: number,
  ) {}
  /** Places `data` (32-bit words) at the next aligned address, or reserves `data` zero words. */
  put(data: readonly number[] | number): number {
    const alignWords = this.align / 4;
    while (this.words.length % alignWords !== 0) this.words.push(0);
    const addr = this.base + 4 * this.words.length;
    if (typeof data === 'number') for (let i = 0; i < data; i++) this.words.push(0);
    else for (const w of data) this.words.push(w >>> 0);
    if (this.base + 4 * this.words.length > 2 ** 32) throw new Error(`the memory image passes the 4 GB the 32-bit AXI address reaches`);
    return addr;
  }
  /** Overwrites words at `addr` (a descriptor patched once the next one's address is known). */
  patch(addr: number, at: number, value: number): void {
    this.words[(addr - this.base) / 4 + at] = value >>> 0;
  }
  /** The words so far, padded to a whole burst: the DMAs read whole beats past a region's last word. */
  image(): Uint32Array {
    const alignWords = this.align / 4;
    while (this.words.length % alignWords !== 0) this.words.push(0);
    return Uint32Array.from(this.words);
  }
}

const split64 = (v: bigint): number[] => [Number(v & 0xffffffffn), Number((v >> 32n) & 0xffffffffn)];

/** The memory image of `programs` run as one chain, in order. */
export function buildImage(s: SystemParams, programs: readonly RtlProgram[]): MemoryImage {
  const align = s.burstBeats * (s.dataBits / 8);
  const mem = new Allocator(IMAGE_BASE, align);
  const layers: LayerImage[] = [];
  const maxCount = 2 ** s.countBits - 1;
  for (const prog of programs) {
    if (prog.params !== s.chip && clusterCount(prog.params) !== clusterCount(s.chip)) throw new Error('internal: a program for another chip in the image');
    const requant = prog.requant !== null;
    const cfg = mem.put(prog.config.flatMap((w) => [w.data, w.addr]));
    if (prog.config.length * CFG_SLOTS > maxCount)
      throw new Error(`layer '${prog.layer.name}': ${prog.config.length} configuration writes pass the DMA's ${maxCount}-slot count`);
    const inAddrs: number[] = [];
    const inCounts: number[] = [];
    const stream = (words: readonly number[], items: number): void => {
      if (words.length > maxCount) throw new Error(`layer '${prog.layer.name}': a stream of ${words.length} slots passes the DMA's ${maxCount}-slot count`);
      inAddrs.push(words.length === 0 ? 0 : mem.put(words));
      inCounts.push(items);
    };
    for (const cl of prog.clusters) {
      stream(
        cl.cmds.flatMap((c) => split64(c)),
        cl.cmds.length,
      );
      for (const w of cl.iact) stream(w, w.length);
      for (const w of cl.weight) stream(w, w.length);
      if (multiplierBits(s.chip) > 0) for (const w of cl.scale) stream(w, w.length);
    }
    const outputs = prog.clusters.map((cl) =>
      cl.outWords.map((words) => {
        const slots = outSlots(s.chip, requant);
        return { addr: words === 0 ? 0 : mem.put(words * slots), words, slots };
      }),
    );
    const outRegions = outputs.flat();
    const tables = [inAddrs, inCounts, outRegions.map((r) => r.addr), outRegions.map((r) => r.words)].map((t) => mem.put(t));
    const descAddr = mem.put([DESC_MAGIC, 0, prog.config.length, cfg, requant ? DESC_FLAG_REQUANT : 0, ...tables]);
    const prev = layers.at(-1);
    if (prev) mem.patch(prev.descAddr, 1, descAddr);
    layers.push({ descAddr, outputs });
  }
  if (layers.length === 0) throw new Error('a chain needs at least one layer');
  return { base: IMAGE_BASE, memory: mem.image(), first: layers[0]!.descAddr, layers };
}

/** A layer's out words from the memory the chain left (readback of its regions), as decodeOutputs takes them. */
export function outputWords(regions: readonly OutputRegion[][], read: (r: OutputRegion) => Uint32Array): bigint[][][] {
  return regions.map((ports) =>
    ports.map((r) => {
      if (r.words === 0) return [];
      const slots = read(r);
      return Array.from({ length: r.words }, (_, i) => (r.slots === 1 ? BigInt(slots[i]!) : BigInt(slots[2 * i]!) | (BigInt(slots[2 * i + 1]!) << 32n)));
    }),
  );
}
