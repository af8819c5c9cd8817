// AXI4 facts the DMA engines, the harness's memory model and the runtime share (AMBA AXI4,
// ARM IHI 0022): burst encodings, response codes, the 4 KB rule, and the read DMA's memory layout.
import { log2Ceil } from './bits.js';

export const AXI_ADDR_BITS = 32;
export const AXI_LEN_BITS = 8;
export const AXI_SIZE_BITS = 3;
export const AXI_BURST_BITS = 2;
export const AXI_RESP_BITS = 2;
export const AXI_BURST_INCR = 1;
export const AXI_RESP_OKAY = 0;
export const AXI_RESP_SLVERR = 2;
/** An INCR burst must not cross a 4 KB boundary. */
export const AXI_BOUNDARY_BYTES = 4096;
export const AXI_MAX_BURST_BEATS = 256;

/** A stream word sits in the low bits of a 32-bit little-endian slot in memory. */
export const DMA_SLOT_BITS = 32;

export interface AxiReadDmaParams {
  /** Output streams. */
  streams: number;
  /** Bits of a stream word (at most DMA_SLOT_BITS). */
  wordBits: number;
  /** AXI data width: a power of two, at least DMA_SLOT_BITS. */
  dataBits: number;
  /** The most beats one burst asks for: a power of two; a burst's bytes divide 4 KB. */
  burstBeats: number;
  /** Beats each stream buffers (at least 2 and at least burstBeats): what lets bursts for it run ahead of its consumer. */
  bufferBeats: number;
  /** Bursts in flight at once (at least 2). */
  outstanding: number;
  /** Width of a stream's word count. */
  countBits: number;
  /**
   * Streams that hand out two slots at once (low slot first, `2 x wordBits` bits): words that take
   * two slots in memory, at one a cycle. Their counts are in slots and even.
   */
  pairStreams?: readonly number[];
}

/** Bits a stream hands out per word, its tag not counted. */
export const dmaOutBits = (p: AxiReadDmaParams, stream: number): number => ((p.pairStreams ?? []).includes(stream) ? 2 : 1) * p.wordBits;

export const dmaSlotsPerBeat = (p: AxiReadDmaParams): number => p.dataBits / DMA_SLOT_BITS;
export const dmaBeatBytes = (p: AxiReadDmaParams): number => p.dataBits / 8;
/** A stream's base address must be a multiple of this: then no burst crosses a 4 KB boundary. */
export const dmaBurstBytes = (p: AxiReadDmaParams): number => p.burstBeats * dmaBeatBytes(p);

export function checkAxiReadDmaParams(p: AxiReadDmaParams): void {
  const pow2 = (n: number): boolean => Number.isInteger(n) && n >= 1 && 2 ** log2Ceil(n) === n;
  const bad = (what: string): never => {
    throw new Error(`AXI read DMA: ${what}`);
  };
  if (!Number.isInteger(p.streams) || p.streams < 1) bad(`streams = ${p.streams} must be a positive integer`);
  if (!Number.isInteger(p.wordBits) || p.wordBits < 1 || p.wordBits > DMA_SLOT_BITS) bad(`wordBits = ${p.wordBits} must be 1..${DMA_SLOT_BITS}`);
  if (!pow2(p.dataBits) || p.dataBits < DMA_SLOT_BITS || p.dataBits > 1024) bad(`dataBits = ${p.dataBits} must be a power of two in ${DMA_SLOT_BITS}..1024`);
  if (!pow2(p.burstBeats) || p.burstBeats > AXI_MAX_BURST_BEATS) bad(`burstBeats = ${p.burstBeats} must be a power of two up to ${AXI_MAX_BURST_BEATS}`);
  if (dmaBurstBytes(p) > AXI_BOUNDARY_BYTES)
    bad(`a burst of ${p.burstBeats} x ${dmaBeatBytes(p)} B passes the 4 KB boundary AXI forbids; use fewer burstBeats`);
  if (!Number.isInteger(p.bufferBeats) || p.bufferBeats < Math.max(2, p.burstBeats))
    bad(`bufferBeats = ${p.bufferBeats} must be at least 2 and at least burstBeats`);
  if (!Number.isInteger(p.outstanding) || p.outstanding < 2) bad(`outstanding = ${p.outstanding} must be at least 2`);
  if (!Number.isInteger(p.countBits) || p.countBits < 1 || p.countBits > 30) bad(`countBits = ${p.countBits} must be 1..30`);
  const pairs = p.pairStreams ?? [];
  if (pairs.some((s) => !Number.isInteger(s) || s < 0 || s >= p.streams) || new Set(pairs).size !== pairs.length)
    bad(`pairStreams = [${pairs.join(', ')}] must name distinct streams 0..${p.streams - 1}`);
  if (pairs.length > 0 && p.dataBits < 2 * DMA_SLOT_BITS) bad(`pair streams need a beat of at least two slots (dataBits >= ${2 * DMA_SLOT_BITS})`);
}

/** The read DMA's error_code bits. */
export const DMA_ERR_RESP = 1;
export const DMA_ERR_UNALIGNED = 2;
export const DMA_ERR_UNEXPECTED = 4;

/** The write DMA takes 32-bit words per stream and writes them as consecutive slots from each stream's base. */
export interface AxiWriteDmaParams {
  streams: number;
  dataBits: number;
  burstBeats: number;
  /** Beats each stream buffers (at least 2 and at least burstBeats): a burst starts once it is buffered whole. */
  bufferBeats: number;
  countBits: number;
}

export function checkAxiWriteDmaParams(p: AxiWriteDmaParams): void {
  checkAxiReadDmaParams({ ...p, wordBits: DMA_SLOT_BITS, outstanding: 2 });
}

/**
 * The gather DMA (generator/eyeriss/axi/gather-dma.ts) builds 24-bit words of two 12-bit slots
 * from 64-bit entries of two 32-bit slot sources (slot 0 in bits 31..0, slot 1 in 63..32): the
 * system controller turns a layer's 8-bit outputs in memory into the next layer's iact stream.
 */
export interface AxiGatherDmaParams {
  /** AXI data width: a power of two, 64..1024. */
  dataBits: number;
  /** Reads in flight at once: 1..16. */
  outstanding: number;
}

export const GATHER_ENTRY_BITS = 64;
export const GATHER_SOURCE_BITS = 32;
/** A source with this bit set is a constant (its slot is bits 11..0); clear, bits 30..0 are a byte address. */
export const GATHER_CONST_BIT = 31;
export const GATHER_SLOT_BITS = 12;
/** A byte source's address bits: AXI addresses with bit 31 clear. */
export const GATHER_ADDR_BITS = 31;
/** An output word: slot 1 above slot 0. */
export const gatherWordBits = 2 * GATHER_SLOT_BITS;

/** A constant slot source: the slot is `value`. */
export function gatherConst(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** GATHER_SLOT_BITS)
    throw new RangeError(`gather constant ${value} is not a ${GATHER_SLOT_BITS}-bit value`);
  return (2 ** GATHER_CONST_BIT + value) >>> 0;
}

/** A byte slot source: the slot is the memory byte at `addr`, zero-extended. */
export function gatherByte(addr: number): number {
  if (!Number.isInteger(addr) || addr < 0 || addr >= 2 ** GATHER_ADDR_BITS)
    throw new RangeError(`gather byte address ${addr} does not fit ${GATHER_ADDR_BITS} bits`);
  return addr;
}

/** An entry as the gather DMA takes it: `slot0` in the low half. */
export const gatherEntry = (slot0: number, slot1: number): bigint => (BigInt(slot1 >>> 0) << BigInt(GATHER_SOURCE_BITS)) | BigInt(slot0 >>> 0);

export const gatherBeatBytes = (p: AxiGatherDmaParams): number => p.dataBits / 8;

export function checkAxiGatherDmaParams(p: AxiGatherDmaParams): void {
  const bad = (what: string): never => {
    throw new Error(`AXI gather DMA: ${what}`);
  };
  if (!Number.isInteger(p.dataBits) || p.dataBits < 64 || p.dataBits > 1024 || 2 ** log2Ceil(p.dataBits) !== p.dataBits)
    bad(`dataBits = ${p.dataBits} must be a power of two in 64..1024`);
  if (!Number.isInteger(p.outstanding) || p.outstanding < 1 || p.outstanding > 16) bad(`outstanding = ${p.outstanding} must be 1..16`);
}
