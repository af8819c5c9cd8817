// A chain of layer programs as the system top reads it from memory (docs/system.md): per layer
// a descriptor, its configuration writes, every cluster's command, iact and weight streams, and
// room for its outputs, each region aligned to one burst.
import { clusterCount, multiplierBits } from '../../../spec/chip/format.js';
import { outH, outW } from '../../../golden/layers.js';
import { gatherByte, gatherConst } from '../../../spec/axi.js';
import { CFG_SLOTS, DESC_FLAG_REQUANT, DESC_MAGIC, outSlots, type SystemParams } from '../../../spec/system.js';
import { forEachOutputPlace, type RtlProgram } from '../program.js';
import type { GatherSymbols } from '../program/gather-words.js';

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
  /** A gathered layer's: its entries, and the region of iact streams they build (zeros in the image until the chip writes them). */
  gather?: { entries: number; dst: number; words: number };
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
  /** The address the next word would take, before alignment. */
  end(): number {
    return this.base + 4 * this.words.length;
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
  const mem = new Allocator(IMAGE_BASE, s.burstBeats * (s.dataBits / 8));
  const layers: LayerImage[] = [];
  programs.forEach((prog, i) => {
    if (prog.params !== s.chip && clusterCount(prog.params) !== clusterCount(s.chip)) throw new Error('internal: a program for another chip in the image');
    const layer = placeLayer(s, mem, prog, i === 0 ? null : { prog: programs[i - 1]!, image: layers[i - 1]! });
    const prev = layers.at(-1);
    if (prev) mem.patch(prev.descAddr, 1, layer.descAddr);
    layers.push(layer);
  });
  if (layers.length === 0) throw new Error('a chain needs at least one layer');
  return { base: IMAGE_BASE, memory: mem.image(), first: layers[0]!.descAddr, layers };
}

/** One layer's regions and descriptor; a gathered layer's iact streams come first, as one region the gather fills. */
function placeLayer(s: SystemParams, mem: Allocator, prog: RtlProgram, prev: { prog: RtlProgram; image: LayerImage } | null): LayerImage {
  const maxCount = 2 ** s.countBits - 1;
  const requant = prog.requant !== null;
  const cfg = mem.put(prog.config.flatMap((w) => [w.data, w.addr]));
  if (prog.config.length * CFG_SLOTS > maxCount)
    throw new Error(`layer '${prog.layer.name}': ${prog.config.length} configuration writes pass the DMA's ${maxCount}-slot count`);
  const checkCount = (slots: number, what: string): void => {
    if (slots > maxCount) throw new Error(`layer '${prog.layer.name}': ${what} of ${slots} slots passes the DMA's ${maxCount}-slot count`);
  };
  // A stream's words, or (`reserve`) room for them that the gather fills.
  const place = (words: readonly number[], reserve = false): number => {
    checkCount(words.length, 'a stream');
    return words.length === 0 ? 0 : mem.put(reserve ? words.length : words);
  };
  const gatherStart = mem.end();
  const iactAddrs = prog.clusters.map((cl) => cl.iact.map((w) => place(w, prog.gather !== null)));
  const gatherEnd = mem.end();
  const inAddrs: number[] = [];
  const inCounts: number[] = [];
  prog.clusters.forEach((cl, c) => {
    const stream = (words: readonly number[], items: number, addr?: number): void => {
      inAddrs.push(addr ?? place(words));
      inCounts.push(items);
    };
    stream(
      cl.cmds.flatMap((x) => split64(x)),
      cl.cmds.length,
    );
    cl.iact.forEach((w, k) => stream(w, w.length, iactAddrs[c]![k]));
    for (const w of cl.weight) stream(w, w.length);
    if (multiplierBits(s.chip) > 0) for (const w of cl.scale) stream(w, w.length);
  });
  const outputs = prog.clusters.map((cl) =>
    cl.outWords.map((words) => {
      const slots = outSlots(s.chip, requant);
      return { addr: words === 0 ? 0 : mem.put(words * slots), words, slots };
    }),
  );
  const outRegions = outputs.flat();
  const tables = [inAddrs, inCounts, outRegions.map((r) => r.addr), outRegions.map((r) => r.words)].map((t) => mem.put(t));
  let gather: LayerImage['gather'];
  if (prog.gather !== null) {
    const first = iactAddrs.flat().find((a) => a !== 0) ?? gatherStart;
    const entries = gatherEntries(prog, prog.gather, iactAddrs, first, gatherEnd, prev);
    checkCount(entries.length, "the gather's entry list");
    gather = { entries: entries.length / 2, dst: first, words: (gatherEnd - first) / 4 };
    const list = mem.put(entries);
    const descAddr = mem.put([DESC_MAGIC, 0, prog.config.length, cfg, requant ? DESC_FLAG_REQUANT : 0, ...tables, list, gather.entries, gather.dst]);
    return { descAddr, outputs, gather };
  }
  const descAddr = mem.put([DESC_MAGIC, 0, prog.config.length, cfg, requant ? DESC_FLAG_REQUANT : 0, ...tables, 0, 0, 0]);
  return { descAddr, outputs };
}

/**
 * The gather entries (two slots each: slot 0's source, slot 1's) of every 32-bit memory slot from
 * `first` to `end`: the layer's iact stream words, and zeros between them. A value's source is the
 * byte of the previous layer's 8-bit output at the same NCHW index (out word slots hold their
 * lanes' bytes from the lowest up).
 */
function gatherEntries(
  prog: RtlProgram,
  symbols: GatherSymbols,
  iactAddrs: number[][],
  first: number,
  end: number,
  prev: { prog: RtlProgram; image: LayerImage } | null,
): number[] {
  const l = prog.layer;
  if (prev === null) throw new Error(`layer '${l.name}': the first layer of a chain has no previous outputs to gather its iacts from`);
  const p = prev.prog;
  const shape = `${p.layer.N}x${p.layer.M}x${outH(p.layer)}x${outW(p.layer)}`;
  if (shape !== `${l.N}x${l.C}x${l.H}x${l.W}`)
    throw new Error(`layer '${l.name}' takes ${l.N}x${l.C}x${l.H}x${l.W} iacts (NCHW), but '${p.layer.name}' before it gives ${shape} outputs`);
  if (p.requant === null) throw new Error(`layer '${l.name}' gathers 8-bit iacts, but '${p.layer.name}' before it sends raw psums: give it a requant`);
  if (l.iactSigned) throw new Error(`layer '${l.name}' takes int8 iacts, but the 8-bit outputs before it are uint8 (ReLU): make it iactSigned false`);
  const byteAt = new Float64Array(l.N * l.C * l.H * l.W);
  forEachOutputPlace(p, (o, c, k, word, lane) => (byteAt[o] = prev.image.outputs[c]![k]!.addr + 4 * word + lane));
  const slotOf = (src: number): number => (src < 0 ? gatherConst(-1 - src) : gatherByte(byteAt[src]!));
  const entries = new Array<number>(((end - first) / 4) * 2).fill(gatherConst(0));
  prog.clusters.forEach((cl, c) =>
    cl.iact.forEach((words, k) =>
      words.forEach((w, i) => {
        const at = ((iactAddrs[c]![k]! - first) / 4 + i) * 2;
        const [s0, s1] = symbols.sources(w);
        entries[at] = slotOf(s0);
        entries[at + 1] = slotOf(s1);
      }),
    ),
  );
  return entries;
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
