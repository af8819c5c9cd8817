// The chip's external formats: the configuration address map, the cluster command word and the
// words of the off-chip streams. The RTL (cluster.ts, pe-shell.ts, top.ts) slices its inputs with
// these layouts and the runtime (runtime/rtl/) encodes with them, so the two cannot disagree.
// README.md in this folder has the tables.
import { checkArch, type ArchConfig } from '../arch.js';
import { COUNT_BITS } from '../numerics.js';
import { iactSegmentPairs, MAX_COUNT, type IactCsc } from '../csc.js';
import { checkRequant, checkRequantOnChip, packPsumWords, PSUM_BITS, psumWordPatterns, wrapPsum, type Requant } from '../numerics.js';
import { checkMeshShape, nocParamsFromArch, type NocParams } from '../noc/params.js';
import { log2Ceil, widthOf } from '../bits.js';
import { glbParamsFromArch, type AddrPattern, type GlbParams } from '../glb.js';
import { clusterCfgWidth, type CfgField } from '../noc/cfg-layout.js';
import { encodePeJobHeader, peJobFieldWidths, type PeJobHeader } from '../pe/job.js';
import { checkPeParams, peParamsFromArch, PAIR_WIDTH, type PeParams } from '../pe/params.js';

export type { AddrPattern };

/** Everything the chip generator needs; `chipParamsFromArch` derives it from an ArchConfig. */
export interface ChipParams {
  rows: number;
  cols: number;
  noc: NocParams;
  pe: PeParams;
  glb: GlbParams;
  /**
   * Bits of the output stage's per-output-channel multiplier (ArchConfig.outputMultiplierBits);
   * absent on chips without one, so their parameters (and Verilog) are what they were before it.
   */
  outputMultiplierBits?: number;
}

export function chipParamsFromArch(a: ArchConfig): ChipParams {
  // simd 1 is for the golden model's dense-PE comparisons (v1, v1.5, Fig. 14); the generated PE
  // multiplies the two pairs of a weight word at once.
  if (a.simd !== 2)
    throw new Error(
      `chip: architecture '${a.name}' has simd ${a.simd}, but the generated PE is SIMD-2 (two MACs per cycle, the paper's); set simd to 2 to generate it`,
    );
  // The rules the golden backend applies too, with the same messages.
  checkArch(a);
  const pe = peParamsFromArch(a);
  checkPeParams(pe);
  const p: ChipParams = { rows: a.clusterRows, cols: a.clusterCols, noc: nocParamsFromArch(a), pe, glb: glbParamsFromArch(a) };
  if ((a.outputMultiplierBits ?? 0) > 0) p.outputMultiplierBits = a.outputMultiplierBits;
  checkChipParams(p);
  return p;
}

export function checkChipParams(p: ChipParams): void {
  checkMeshShape(p.noc, p.rows, p.cols);
  if (p.glb.psumBanks !== p.noc.peCols) throw new Error(`chip: ${p.glb.psumBanks} psum banks for ${p.noc.peCols} PE columns; they must be equal`);
  if (p.glb.iactBanks !== p.noc.iactRouters) throw new Error(`chip: ${p.glb.iactBanks} iact banks for ${p.noc.iactRouters} iact routers; they must be equal`);
  if (iactSegmentMaxCount(p) < p.glb.iactDepth)
    throw new Error(
      `chip: an iact segment header (${p.noc.iactWidth} b: kind, a ${log2Ceil(p.glb.iactDepth)}-bit bank address, a count) cannot count the ${p.glb.iactDepth} words of a GLB iact bank; use smaller iact banks`,
    );
  const ptrBits = PAIR_WIDTH - COUNT_BITS - 1; // an iact address slot's value bits, less the pad flag
  if (log2Ceil(p.pe.iactDataDepth) > ptrBits) {
    throw new Error(
      `chip: an iact address slot holds a ${ptrBits}-bit end pointer (its top value bit marks pads), so the iact data SPad depth ${p.pe.iactDataDepth} must be <= ${2 ** ptrBits}`,
    );
  }
  if (p.noc.iactWidth !== 2 * PAIR_WIDTH)
    throw new Error(`chip: the iact port must carry two ${PAIR_WIDTH}-bit slots (${2 * PAIR_WIDTH} bits), got ${p.noc.iactWidth}`);
  if (p.noc.weightWidth !== 2 * PAIR_WIDTH) throw new Error(`chip: the weight port must carry one ${2 * PAIR_WIDTH}-bit weight word, got ${p.noc.weightWidth}`);
  if (p.noc.psumWidth % PSUM_BITS !== 0) throw new Error(`chip: the psum port (${p.noc.psumWidth} b) must hold whole ${PSUM_BITS}-bit psums`);
  if (p.pe.psumLanes * PSUM_BITS !== p.noc.psumWidth)
    throw new Error(`chip: the PEs drain ${p.pe.psumLanes} psums per word but the psum port carries ${p.noc.psumWidth / PSUM_BITS}; they must be equal`);
  if (weightAddrPerWord(p) < 1) throw new Error(`chip: a ${p.pe.weightAddrWidth}-bit weight address entry does not fit a ${p.noc.weightWidth}-bit word`);
  // PAD_WORD must never be a real weight address word: all-ones entries need a free top bit or an unreachable pointer.
  if (weightAddrPerWord(p) * p.pe.weightAddrWidth === p.noc.weightWidth && p.pe.weightDataDepth >= 2 ** p.pe.weightAddrWidth - 1) {
    throw new Error(
      `chip: weight address words of ${weightAddrPerWord(p)} x ${p.pe.weightAddrWidth} b fill the word, so one could equal the pad word; use a weightAddrWidth that leaves a bit free or a weightDataDepth below ${2 ** p.pe.weightAddrWidth - 1}`,
    );
  }
}

export const clusterCount = (p: ChipParams): number => p.rows * p.cols;
export const pesPerClusterOf = (p: ChipParams): number => p.noc.peRows * p.noc.peCols;
export const weightAddrPerWord = (p: ChipParams): number => Math.floor(p.noc.weightWidth / p.pe.weightAddrWidth);

// ---------------------------------------------------------------------------------------------
// Configuration port: 32-bit words. Cluster c = row*cols + col owns words c*stride .. +words-1
// holding its layer configuration bits (router cluster cfg, then psumBypass, then one iactStaged
// bit per GLB iact port), LSB first; the
// word after the last cluster is `enable`: writing 1 starts the layer (the clusters' stream and
// command inputs stay not-ready until then), 0 stops taking new input. One stride further, word
// w of a broadcast block writes word w of every cluster at once: clusters whose configurations
// agree on a word take it in one write instead of one each.

export const CFG_DATA_BITS = 32;

export interface ClusterLayerConfig {
  /** encodeClusterRouting() of the cluster's routers and fabrics. */
  noc: bigint;
  /** Final psums leave through the GLB psum bypass (out_<k> = drain); else out_<k> = bank reads. */
  psumBypass: boolean;
  /** Per GLB iact port: its stream is a sequence of segments (encodeIactSegment), else every word passes to the router. */
  iactStaged: readonly boolean[];
}

export const clusterLayerCfgWidth = (p: ChipParams): number => clusterCfgWidth(p.noc) + 1 + p.glb.iactBanks;
export const cfgWordsPerCluster = (p: ChipParams): number => Math.ceil(clusterLayerCfgWidth(p) / CFG_DATA_BITS);
export const cfgClusterStride = (p: ChipParams): number => 2 ** log2Ceil(cfgWordsPerCluster(p));
export const cfgEnableAddr = (p: ChipParams): number => clusterCount(p) * cfgClusterStride(p);
/** Writing word w here writes word w of every cluster. */
export const cfgBroadcastAddr = (p: ChipParams, w: number): number => (clusterCount(p) + 1) * cfgClusterStride(p) + w;
/** The chip-wide output stage word, right after the broadcast block (encodeOutputConfig). */
export const cfgOutputAddr = (p: ChipParams): number => cfgBroadcastAddr(p, cfgWordsPerCluster(p));
export const cfgAddrWidth = (p: ChipParams): number => widthOf(cfgOutputAddr(p));

export function encodeClusterLayerConfig(p: ChipParams, c: ClusterLayerConfig): bigint {
  if (c.iactStaged.length !== p.glb.iactBanks) throw new Error(`layer config: ${c.iactStaged.length} iactStaged flags for ${p.glb.iactBanks} iact ports`);
  const at = clusterCfgWidth(p.noc);
  let bits = c.noc | (BigInt(Number(c.psumBypass)) << BigInt(at));
  c.iactStaged.forEach((on, k) => (bits |= BigInt(Number(on)) << BigInt(at + 1 + k)));
  return bits;
}

/**
 * The configuration writes of one layer, `enable` last. `clusters` is row-major. Per word, the
 * value most clusters hold goes to all of them in one broadcast write when two or more hold it
 * (ties: the smaller value), then the clusters that differ get their own write. `output` is the
 * chip's output stage: requantize on chip with it, or raw psums (null).
 */
export function layerConfigWrites(p: ChipParams, clusters: ClusterLayerConfig[], output: Requant | null): { addr: number; data: number }[] {
  if (clusters.length !== clusterCount(p)) throw new Error(`layer config has ${clusters.length} clusters, the chip ${clusterCount(p)}`);
  const bits = clusters.map((c) => encodeClusterLayerConfig(p, c));
  const out: { addr: number; data: number }[] = [];
  for (let w = 0; w < cfgWordsPerCluster(p); w++) {
    const values = bits.map((b) => Number((b >> BigInt(w * CFG_DATA_BITS)) & 0xffffffffn));
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    const [common, n] = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
    const shared = n >= 2 ? common : undefined;
    if (shared !== undefined) out.push({ addr: cfgBroadcastAddr(p, w), data: shared });
    values.forEach((v, ci) => v !== shared && out.push({ addr: ci * cfgClusterStride(p) + w, data: v }));
  }
  out.push({ addr: cfgOutputAddr(p), data: encodeOutputConfig(p, output) });
  out.push({ addr: cfgEnableAddr(p), data: 1 });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Output stage: one chip-wide word at cfgOutputAddr, the same for every out port. Bit 0 set: each
// psum leaving the chip is requantized (spec/numerics.ts `requantize`: ReLU, the shift in bits
// 5..1 rounding half up, saturation to 0..255) and an out word carries psumLanes bytes, lane l in
// bits 8l+7..8l, the rest 0. Clear (the reset value): the raw 20-bit psums leave as they are.
// Bit 6, on chips with an output multiplier (ChipParams.outputMultiplierBits): every out word
// is requantized with the multipliers of the word its out port's scale stream gives at the same
// time (lane l's in bits (l+1)B-1..lB), multiplied in after the ReLU.

export const OUTPUT_SHIFT_BITS = 5;
export const OUTPUT_VALUE_BITS = 8;
export const OUTPUT_SCALED_BIT = 1 + OUTPUT_SHIFT_BITS;

/** Bits of the output configuration register: the scaled flag only on chips with a multiplier. */
/** Bits of the chip's output multiplier; 0 when it has none. */
export const multiplierBits = (p: ChipParams): number => p.outputMultiplierBits ?? 0;

export const outputCfgBits = (p: ChipParams): number => 1 + OUTPUT_SHIFT_BITS + (multiplierBits(p) > 0 ? 1 : 0);

export function encodeOutputConfig(p: ChipParams, r: Requant | null): number {
  if (r === null) return 0;
  checkRequant(r);
  checkRequantOnChip(r, multiplierBits(p), 'the output stage', `this ${p.rows}x${p.cols}-cluster chip`);
  return 1 | (r.shift << 1) | (r.multipliers === undefined ? 0 : 1 << OUTPUT_SCALED_BIT);
}

/** The inverse of encodeOutputConfig (bits above the fields ignored, as the chip does). */
export function decodeOutputConfig(p: ChipParams, word: number): { requant: boolean; shift: number; scaled: boolean } {
  const scaled = multiplierBits(p) > 0 && ((word >>> OUTPUT_SCALED_BIT) & 1) === 1;
  return { requant: (word & 1) === 1, shift: (word >>> 1) % 2 ** OUTPUT_SHIFT_BITS, scaled };
}

/** Bits of a scale stream word: one multiplier per psum lane. */
export const scaleWordBits = (p: ChipParams): number => p.pe.psumLanes * multiplierBits(p);

/** Bits of an out word that carry data: psumLanes bytes when requantized, else the whole psum word. */
export const outputWordBits = (p: ChipParams, requantized: boolean): number => (requantized ? p.pe.psumLanes * OUTPUT_VALUE_BITS : p.noc.psumWidth);

/** The n uint8 outputs of a run of requantized out words (lane 0 lowest). */
export function unpackOutputBytes(p: ChipParams, words: readonly bigint[], n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Number((words[Math.floor(i / p.pe.psumLanes)]! >> BigInt((i % p.pe.psumLanes) * OUTPUT_VALUE_BITS)) & 0xffn));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cluster command word: kind, target, then a payload (a PE job's PeJobHeader or a GLB psum stream
// start), packed LSB first. Commands run in order per cluster; a PE job waits only for room in
// that PE's command queue, a GLB start until both streams of its bank are idle.

export const CMD_PE_JOB = 0;
/** Start the bank's input stream (write-through, or accumulate) with the given addresses. */
export const CMD_PSUM_IN = 1;
/** Start the bank's read stream: the words leave on out_<bank> (psumBypass = 0). */
export const CMD_PSUM_OUT = 2;
/** The layer's last command: the cluster reports done once it is idle after it. */
export const CMD_END = 3;
export const CMD_KIND_BITS = 2;

export type ClusterCmd =
  | { kind: 'pe'; pe: number; header: PeJobHeader }
  | { kind: 'psumIn'; bank: number; accumulate: boolean; addr: AddrPattern }
  | { kind: 'psumOut'; bank: number; addr: AddrPattern }
  | { kind: 'end' };

export const cmdTargetBits = (p: ChipParams): number => log2Ceil(Math.max(pesPerClusterOf(p), p.glb.psumBanks, 2));

const packFields = (list: [string, number][]): CfgField[] => {
  let offset = 0;
  return list.map(([name, width]) => {
    const f = { name, width, offset };
    offset += width;
    return f;
  });
};
const fieldsEnd = (l: CfgField[]): number => l.at(-1)!.offset + l.at(-1)!.width;

/** The PE-job payload: the PeJobHeader fields in port order, offsets relative to the payload start. */
export const peJobLayout = (pe: PeParams): CfgField[] => packFields(peJobFieldWidths(pe));
export const peJobWidth = (pe: PeParams): number => fieldsEnd(peJobLayout(pe));

/** The GLB-start payload: accumulate, then the address generator fields. */
export function glbCmdLayout(glb: GlbParams): CfgField[] {
  const aw = log2Ceil(glb.psumDepth);
  const cw = glb.countWidth;
  return packFields([
    ['accumulate', 1],
    ['base', aw],
    ['stride0', aw],
    ['count0', cw],
    ['stride1', aw],
    ['count1', cw],
  ]);
}

export function cmdPayloadLayouts(p: ChipParams): { pe: CfgField[]; glb: CfgField[]; width: number } {
  const pe = peJobLayout(p.pe);
  const glb = glbCmdLayout(p.glb);
  return { pe, glb, width: Math.max(fieldsEnd(pe), fieldsEnd(glb)) };
}

export const cmdPayloadOffset = (p: ChipParams): number => CMD_KIND_BITS + cmdTargetBits(p);
export const cmdWidth = (p: ChipParams): number => cmdPayloadOffset(p) + cmdPayloadLayouts(p).width;

export function encodeClusterCmd(p: ChipParams, c: ClusterCmd): bigint {
  const { pe, glb } = cmdPayloadLayouts(p);
  const put = (fields: CfgField[], values: number[]): bigint => {
    let v = 0n;
    fields.forEach((f, i) => {
      const x = values[i]!;
      if (!Number.isInteger(x) || x < 0 || x >= 2 ** f.width) throw new RangeError(`command field ${f.name}=${x} does not fit ${f.width} bits`);
      v |= BigInt(x) << BigInt(f.offset);
    });
    return v;
  };
  const head = (kind: number, target: number): bigint => {
    if (!Number.isInteger(target) || target < 0 || target >= 2 ** cmdTargetBits(p))
      throw new RangeError(`command target ${target} does not fit ${cmdTargetBits(p)} bits`);
    return BigInt(kind) | (BigInt(target) << BigInt(CMD_KIND_BITS));
  };
  const off = BigInt(cmdPayloadOffset(p));
  switch (c.kind) {
    case 'pe':
      return head(CMD_PE_JOB, c.pe) | (put(pe, encodePeJobHeader(c.header)) << off);
    case 'psumIn':
      return head(CMD_PSUM_IN, c.bank) | (put(glb, [Number(c.accumulate), c.addr.base, c.addr.stride0, c.addr.count0, c.addr.stride1, c.addr.count1]) << off);
    case 'psumOut':
      return head(CMD_PSUM_OUT, c.bank) | (put(glb, [0, c.addr.base, c.addr.stride0, c.addr.count0, c.addr.stride1, c.addr.count1]) << off);
    case 'end':
      return head(CMD_END, 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Stream words.
//
// iact (24 b): two 12-bit slots, slot 0 in bits 11..0. A slot with count < 15 is an iact data
// pair (an iact segment is at most MAX_IACT_SEGMENT = 15 values long, so its zero counts never
// reach 15); count 15 with bit 7 clear is an iact address entry (end pointer in the low bits);
// count 15 with bit 7 set is a pad and is dropped. A PE job's message is, per segment, its
// address slot then its data slots, so the PE's circular SPads never wait for a slot queued
// behind one they cannot take yet.
//
// weight (24 b): a job's address entries, weightAddrPerWord per word (lowest first, the last word
// partly unused), then its data words. PAD_WORD is dropped wherever it arrives (no address or data
// word can equal it); other words wait for the job that takes them.
//
// psum (psumWidth b): pe.psumLanes 20-bit psums per word, lane 0 lowest; a job's last word may be
// partly filled (unused lanes 0). A PE's results leave in its index order w*m0 + m.

export const SLOT_BITS = PAIR_WIDTH;
export const SLOT_TAG = MAX_COUNT;
export const PAD_SLOT = (1 << SLOT_BITS) - 1;
export const PAD_WORD = (1 << (2 * SLOT_BITS)) - 1;
const VALUE_FIELD_BITS = SLOT_BITS - COUNT_BITS;

export const iactAddrSlot = (ptr: number): number => (SLOT_TAG << VALUE_FIELD_BITS) | ptr;

/** The 24-bit words of one PE job's iact message (CSC iacts). */
export function iactMessage(csc: IactCsc, depth: number): number[] {
  const slots: number[] = [];
  const perSegment = iactSegmentPairs(csc, depth);
  perSegment.forEach((pairs, k) => {
    slots.push(iactAddrSlot(csc.addr[k]!));
    slots.push(...pairs);
  });
  return slotWords(slots);
}

/**
 * The 24-bit words of one PE job's uncompressed iact message (PeJobHeader.iactDense): every
 * value of every segment in order, one slot each with count 0, no address slots.
 */
export const denseIactMessage = (values: ArrayLike<number>): number[] => slotWords(Array.from(values, (v) => v & 0xff));

function slotWords(slots: number[]): number[] {
  if (slots.length % 2 === 1) slots.push(PAD_SLOT);
  const words: number[] = [];
  for (let i = 0; i < slots.length; i += 2) words.push(slots[i]! | (slots[i + 1]! << SLOT_BITS));
  return words;
}

/** The 24-bit words of one PE job's weight message (CSC weights: address entries, then data). */
export function weightMessage(p: ChipParams, addr: readonly number[], words: readonly number[]): number[] {
  const k = weightAddrPerWord(p);
  const out: number[] = [];
  for (let i = 0; i < addr.length; i += k) {
    let w = 0;
    for (let j = 0; j < k && i + j < addr.length; j++) w += addr[i + j]! * 2 ** (j * p.pe.weightAddrWidth);
    out.push(w);
  }
  return [...out, ...words];
}

/** Packs a PE job's 20-bit results (unsigned patterns) into psum port words. */
export const packPsums = (p: ChipParams, psums: readonly number[]): bigint[] => packPsumWords(p.pe.psumLanes, psums);

/** The n signed psums of a run of psum port words (a job's words, in order). */
export const unpackPsums = (p: ChipParams, words: readonly bigint[], n: number): number[] =>
  psumWordPatterns(p.pe.psumLanes, words, n).map((raw) => wrapPsum(raw));

export const psumWordsOf = (p: ChipParams, psums: number): number => Math.ceil(psums / p.pe.psumLanes);

// ---------------------------------------------------------------------------------------------
// Iact port segments. A GLB iact port whose iactStaged bit is set reads its off-chip stream as
// segments, each a header word and then its words: `pass` forwards the next `count` words to the
// router (the bank idle), `store` forwards them and also writes them to the bank at base, base+1,
// ... (store-and-forward: the first use costs no extra cycle), `replay` sends `count` words read
// from the bank at base, base+1, ... and takes nothing from off-chip. Every word a segment names
// reaches the router, so a staged stream is the bypass stream with headers and the replayed
// words cut out. Header fields, LSB first: kind, base, count.

export const SEG_PASS = 0;
export const SEG_STORE = 1;
export const SEG_REPLAY = 2;
export const SEG_KIND_BITS = 2;

export type IactSegment = { kind: 'pass'; count: number } | { kind: 'store' | 'replay'; base: number; count: number };

const segKindCode = { pass: SEG_PASS, store: SEG_STORE, replay: SEG_REPLAY } as const;

/** The header's fields for iact words of `width` bits and banks of `depth` words (the RTL's and the runtime's). */
export function iactSegmentFields(width: number, depth: number): CfgField[] {
  const baseBits = log2Ceil(depth);
  return packFields([
    ['kind', SEG_KIND_BITS],
    ['base', baseBits],
    ['count', width - SEG_KIND_BITS - baseBits],
  ]);
}

export const iactSegmentLayout = (p: ChipParams): CfgField[] => iactSegmentFields(p.noc.iactWidth, p.glb.iactDepth);

/** A header word's fields, as written (the port takes a store's or replay's count modulo its generator's count width). */
export function decodeIactSegmentHeader(word: number, width: number, depth: number): { kind: number; base: number; count: number } {
  const v: Record<string, number> = {};
  for (const f of iactSegmentFields(width, depth)) v[f.name] = Math.floor(word / 2 ** f.offset) % 2 ** f.width;
  return { kind: v.kind!, base: v.base!, count: v.count! };
}

/** The most words one segment names; longer passes take several headers. */
export const iactSegmentMaxCount = (p: ChipParams): number => 2 ** iactSegmentLayout(p).find((f) => f.name === 'count')!.width - 1;

export function encodeIactSegment(p: ChipParams, s: IactSegment): number {
  const base = s.kind === 'pass' ? 0 : s.base;
  if (s.count < 1 || s.count > iactSegmentMaxCount(p)) throw new Error(`iact segment: count ${s.count} outside 1..${iactSegmentMaxCount(p)}`);
  if (s.kind !== 'pass' && (base < 0 || base + s.count > p.glb.iactDepth))
    throw new Error(`iact segment: ${s.kind} of ${s.count} words at ${base} passes the bank's ${p.glb.iactDepth} words`);
  const values: Record<string, number> = { kind: segKindCode[s.kind], base, count: s.count };
  return iactSegmentLayout(p).reduce((w, f) => w + values[f.name]! * 2 ** f.offset, 0);
}
