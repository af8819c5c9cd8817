// The system top's external formats (docs/system.md): the s_axil register map, the layer
// descriptor and the memory layout, shared by the RTL (generator/eyeriss/system/) and the runtime
// driver (runtime/rtl/system/).
import type { AxiReadDmaParams } from './axi.js';
import { clusterCount, multiplierBits, scaleWordBits, type ChipParams } from './chip/format.js';

export const SYS_ID = 0xe7e20001;

/** Byte offsets of the s_axil registers (32-bit). */
export const REG = {
  /** RO: SYS_ID. */
  id: 0x00,
  /** RW: bit 0 start (reads 0), bit 1 interrupt enable. */
  ctrl: 0x04,
  /** RO: bit 0 busy, bit 1 done (the chain ended, or an error stopped it), bit 2 error. Cleared by start. */
  status: 0x08,
  /** RO: SYS_ERR_* bits of what stopped the chain. */
  error: 0x0c,
  /** RW: byte address of the first layer descriptor. */
  desc: 0x10,
  /** RO: layers completed since start. */
  layers: 0x14,
  /** RO: cycles from start to done. */
  cycles: 0x18,
  /**
   * RW: cycles in which no stream word, AXI request or beat moves before the chain stops with
   * SYS_ERR.stalled (a deadlock, e.g. a stream longer than its program); 0 never. Reset value
   * WATCHDOG_DEFAULT.
   */
  watchdog: 0x1c,
  /** RO: words the core took or gave, per stream type, since start. */
  cfgWords: 0x20,
  cmdWords: 0x24,
  iactWords: 0x28,
  weightWords: 0x2c,
  outWords: 0x30,
  /** RO: cycles some core input was ready and not fed while the read DMA still had words to fetch. */
  starveCycles: 0x34,
  /** RO: cycles some core output had a word the write DMA could not take. */
  blockCycles: 0x38,
  /** RO: scale words (output multipliers) the core took; only on chips with an output multiplier (else unmapped, reads 0). */
  scaleWords: 0x3c,
} as const;

export const AXIL_ADDR_BITS = 8;

/** SYS_ERR bits (the error register). */
export const SYS_ERR = {
  badMagic: 1 << 0,
  badLength: 1 << 1,
  readResp: 1 << 2,
  readUnaligned: 1 << 3,
  readUnexpected: 1 << 4,
  writeResp: 1 << 5,
  writeUnaligned: 1 << 6,
  writeUnexpected: 1 << 7,
  coreCfgAddr: 1 << 8,
  coreCmd: 1 << 9,
  /** Nothing moved for the watchdog's cycles. */
  stalled: 1 << 10,
  /** A gather read answered with an error (a source byte outside memory). */
  gatherResp: 1 << 11,
} as const;
export const SYS_ERR_BITS = 12;
/** The watchdog's reset value: far above the longest quiet stretch of a working layer. */
export const WATCHDOG_DEFAULT = 1 << 20;

export const DESC_MAGIC = 0xe7e55e01;
/**
 * A descriptor's words: magic, next, configuration writes, their address, flags (bit 0: outputs
 * requantized), then the addresses of four tables: the input streams' addresses, their counts,
 * the out streams' addresses, their counts. The controller reads the tables as four streams, so
 * it starts one input and one output stream per cycle. Then the gather (0 entries: none): the
 * entry list's address, its entries, and where the gathered words go (DESC_GATHER_*).
 */
export const DESC_WORDS = 12;
export const DESC_GATHER_LIST = 9;
export const DESC_GATHER_ENTRIES = 10;
export const DESC_GATHER_DST = 11;
export const DESC_FLAG_REQUANT = 1;

/** Input streams per cluster, in descriptor order: cmd, iact ports, weight ports, and with an output multiplier the out ports' scale streams. */
export const inputStreamsPerCluster = (p: ChipParams): number => 1 + p.noc.iactRouters + p.noc.peRows + (multiplierBits(p) > 0 ? p.noc.peCols : 0);
export const inputStreams = (p: ChipParams): number => clusterCount(p) * inputStreamsPerCluster(p);

/**
 * Memory slots (32-bit) per word: a command and a configuration write take two, iact, weight
 * and scale words one, an out word one requantized (its bytes) and as many as its psum port needs raw
 * (two on the paper chip's 40-bit port, one on a port of at most 32 bits).
 */
export const CMD_SLOTS = 2;
export const CFG_SLOTS = 2;
export const outSlots = (p: ChipParams, requantized: boolean): number => (requantized ? 1 : Math.ceil(p.noc.psumWidth / 32));

/** The system top's generator parameters beside the chip's. */
export interface SystemParams {
  chip: ChipParams;
  /**
   * AXI4 master ports to memory (1, 2 or 4), all `dataBits` wide: port 0 carries the writes and
   * the controller's reads, the clusters' input streams are dealt over all ports in turn.
   */
  ports: number;
  /** AXI data width of each memory port. */
  dataBits: number;
  burstBeats: number;
  /** Beats each DMA stream buffers. */
  bufferBeats: number;
  /** Read bursts in flight per port. */
  outstanding: number;
  /** Width of a stream's word count (the DMAs' countBits). */
  countBits: number;
}

/** The signal prefix of memory port k: `m_axi` alone, else `m00_axi`, `m01_axi`, ... as vendor IP numbers its masters. */
export const axiPortPrefix = (s: Pick<SystemParams, 'ports'>, k: number): string => (s.ports === 1 ? 'm_axi' : `m${String(k).padStart(2, '0')}_axi`);

/** Read streams: the descriptor, the configuration writes, the four tables, then per cluster its inputs. */
export const RD_DESC = 0;
export const RD_CFG = 1;
export const RD_IN_ADDRS = 2;
export const RD_IN_COUNTS = 3;
export const RD_OUT_ADDRS = 4;
export const RD_OUT_COUNTS = 5;
export const RD_FIRST_INPUT = 6;
/**
 * The gather's entry stream (a slot pair per entry) comes after the clusters' inputs and is dealt
 * to a port like them; its words go out through the write DMA's last stream.
 */
export const rdGather = (p: ChipParams): number => RD_FIRST_INPUT + inputStreams(p);
export const readStreams = (p: ChipParams): number => rdGather(p) + 1;
/** The core's out streams (the out tables' order): per cluster, per out port. */
export const outStreams = (p: ChipParams): number => clusterCount(p) * p.noc.peCols;
export const wrGather = outStreams;
export const writeStreams = (p: ChipParams): number => outStreams(p) + 1;
/** The memory port whose reads the gather engine shares (by AXI ID: the DMA's 0, the engine's 1). */
export const gatherPort = (s: Pick<SystemParams, 'ports'>): number => s.ports - 1;

/**
 * Where read stream g is fetched: the controller's streams on port 0; input stream i (g - 6) on
 * port i mod ports, after the streams the port already has (on port 0, after the controller's).
 */
export function readStreamPlace(s: Pick<SystemParams, 'ports'>, g: number): { port: number; local: number } {
  if (g < RD_FIRST_INPUT) return { port: 0, local: g };
  const i = g - RD_FIRST_INPUT;
  const port = i % s.ports;
  return { port, local: (port === 0 ? RD_FIRST_INPUT : 0) + Math.floor(i / s.ports) };
}

/** The read DMA of memory port k: configuration writes and commands come from pair streams. */
export function readDmaParams(s: SystemParams, k: number): AxiReadDmaParams {
  const here = Array.from({ length: readStreams(s.chip) }, (_, g) => g).filter((g) => readStreamPlace(s, g).port === k);
  const cmds = new Set(Array.from({ length: clusterCount(s.chip) }, (_, c) => RD_FIRST_INPUT + c * inputStreamsPerCluster(s.chip)));
  return {
    pairStreams: here.filter((g) => g === RD_CFG || g === rdGather(s.chip) || cmds.has(g)).map((g) => readStreamPlace(s, g).local),
    streams: here.length,
    wordBits: 32,
    dataBits: s.dataBits,
    burstBeats: s.burstBeats,
    bufferBeats: s.bufferBeats,
    outstanding: s.outstanding,
    countBits: s.countBits,
  };
}

/** Defaults for a chip: two 1024-bit ports, 2-beat bursts, 4 beats per stream, 8 reads in flight per port, 24-bit counts. */
export const systemParamsFor = (chip: ChipParams, o: Partial<Omit<SystemParams, 'chip'>> = {}): SystemParams => {
  const s = {
    chip,
    ports: o.ports ?? 2,
    dataBits: o.dataBits ?? 1024,
    burstBeats: o.burstBeats ?? 2,
    bufferBeats: o.bufferBeats ?? 4,
    outstanding: o.outstanding ?? 8,
    countBits: o.countBits ?? 24,
  };
  if (![1, 2, 4].includes(s.ports)) throw new Error(`system: ports = ${s.ports}; the system top has 1, 2 or 4 memory ports`);
  if (scaleWordBits(chip) > 32)
    throw new Error(
      `system: a scale word (${chip.pe.psumLanes} lanes x ${chip.outputMultiplierBits}-bit multipliers) passes the 32-bit memory slot; use outputMultiplierBits <= ${Math.floor(32 / chip.pe.psumLanes)}`,
    );
  return s;
};
