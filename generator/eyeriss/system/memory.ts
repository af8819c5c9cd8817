// The system top's memory side (docs/system.md, "Ports"): its AXI4 master ports, a read DMA per
// port and the write DMA on port 0, where each read stream lives, and the router that hands the
// fetch walk's loads to the DMA of their stream.
import { Bool, UInt, lit, mux, type Expr, type ModuleBuilder, type Signal } from '../../dsl/index.js';
import { AXI_ADDR_BITS, dmaOutBits } from '../../../spec/axi.js';
import { RD_FIRST_INPUT, axiPortPrefix, gatherPort, readDmaParams, readStreamPlace, writeStreams, type SystemParams } from '../../../spec/system.js';
import { AxiGatherDma } from '../axi/gather-dma.js';
import { AxiReadDma } from '../axi/read-dma.js';
import { AxiWriteDma } from '../axi/write-dma.js';
import { axiMasterInput, axiReadMaster, axiWriteMaster } from '../axi/common.js';
import type { Port } from './streams.js';

/** The memory ports, `m_axi_*` or `m00_axi_*`, `m01_axi_*`, ...: port 0 reads and writes, the others only read. */
export function memoryPorts(m: ModuleBuilder, s: SystemParams) {
  const prefixes = Array.from({ length: s.ports }, (_, k) => axiPortPrefix(s, k));
  const perPort = prefixes.map((pre, k): Record<string, Signal> => ({
    ...axiReadMaster(m, s.dataBits, pre),
    ...(k === 0 ? axiWriteMaster(m, s.dataBits, pre) : {}),
  }));
  return { prefixes, perPort, all: Object.assign({}, ...perPort) as Record<string, Signal> };
}

/**
 * Two read masters on one port's read channels, told apart by AXI ID (the DMA's 0, the gather's
 * 1): an address request, once shown, stays until taken (the owner changes only when its master
 * shows none or has just been taken); read data goes to the master its ID names.
 */
function sharedReads(m: ModuleBuilder, port: Record<string, Signal>, pre: string, dma: Record<string, Signal>, gather: Record<string, Signal>): void {
  const own = m.reg('ar_owner_gather', Bool(), { init: 0 });
  const sig = (name: string): Signal => port[`${pre}_${name}`]!;
  const arFire = sig('arvalid').and(sig('arready'));
  const mine = mux(own, gather.m_axi_arvalid!, dma.m_axi_arvalid!);
  const other = mux(own, dma.m_axi_arvalid!, gather.m_axi_arvalid!);
  m.when(mine.not().or(arFire).and(other), () => own.set(own.not()));
  for (const f of ['arvalid', 'araddr', 'arlen', 'arsize', 'arburst']) sig(f).set(mux(own, gather[`m_axi_${f}`]!, dma[`m_axi_${f}`]!));
  sig('arid').set(own);
  dma.m_axi_arready!.set(sig('arready').and(own.not()));
  gather.m_axi_arready!.set(sig('arready').and(own));
  const toGather = sig('rid').eq(1);
  sig('rready').set(mux(toGather, gather.m_axi_rready!, dma.m_axi_rready!));
  dma.m_axi_rvalid!.set(sig('rvalid').and(toGather.not()));
  gather.m_axi_rvalid!.set(sig('rvalid').and(toGather));
  for (const f of ['rdata', 'rresp', 'rlast']) {
    dma[`m_axi_${f}`]!.set(sig(f));
    gather[`m_axi_${f}`]!.set(sig(f));
  }
  dma.m_axi_rid!.set(lit(0, 1));
  gather.m_axi_rid!.set(lit(0, 1));
}

/**
 * The DMAs behind `ports`: `raw(g)` is read stream g's output (its word, its layer's tag above
 * it, `width(g)` bits below the tag), `moves()` every AXI handshake of this cycle. The gather
 * DMA shares the read channels of port `gatherPort`.
 */
export function memoryEngines(m: ModuleBuilder, s: SystemParams, ports: ReturnType<typeof memoryPorts>) {
  const rds = ports.prefixes.map((_, k) => m.instance(`u_rd_${k}`, AxiReadDma, readDmaParams(s, k)));
  const gather = m.instance('u_gather', AxiGatherDma, { dataBits: s.dataBits, outstanding: s.outstanding });
  const gp = gatherPort(s);
  const wr = m.instance('u_wr', AxiWriteDma, {
    streams: writeStreams(s.chip),
    dataBits: s.dataBits,
    burstBeats: s.burstBeats,
    bufferBeats: s.bufferBeats,
    countBits: s.countBits,
  });
  ports.perPort.forEach((signals, k) => {
    for (const [name, v] of Object.entries(signals)) {
      const suffix = name.slice(ports.prefixes[k]!.length + 1);
      const read = suffix.startsWith('r') || suffix.startsWith('ar');
      if (read && k === gp) continue;
      const child = (read ? rds[k]! : wr) as unknown as Record<string, Signal>;
      if (axiMasterInput(suffix)) child[`m_axi_${suffix}`]!.set(v);
      else v.set(child[`m_axi_${suffix}`]!);
    }
  });
  sharedReads(m, ports.perPort[gp]!, ports.prefixes[gp]!, rds[gp] as unknown as Record<string, Signal>, gather as unknown as Record<string, Signal>);
  const rdIdle = m.node(
    'rd_idle',
    rds.map((r) => r.idle as Expr).reduce((a, b) => a.and(b)),
  );
  return {
    rds,
    wr,
    gather,
    rdIdle,
    raw: (g: number): Port => {
      const at = readStreamPlace(s, g);
      return (rds[at.port] as unknown as Record<string, Port>)[`out_${at.local}`]!;
    },
    width: (g: number): number => {
      const at = readStreamPlace(s, g);
      return dmaOutBits(readDmaParams(s, at.port), at.local);
    },
    moves: (): Expr[] =>
      ports.perPort.flatMap((signals, k) =>
        ['ar', 'r', ...(k === 0 ? ['aw', 'w', 'b'] : [])].map((ch) =>
          signals[`${ports.prefixes[k]}_${ch}valid`]!.and(signals[`${ports.prefixes[k]}_${ch}ready`]!),
        ),
      ),
  };
}

/**
 * A load port over every read stream (the fetch walk's): each load goes to the DMA of its
 * stream's port, as that DMA's stream, all tagged and preferring `ep`. Returns it with the DMAs'
 * `owed` and `held` joined.
 */
export function loadRouter(m: ModuleBuilder, s: SystemParams, rds: ReturnType<typeof memoryEngines>['rds'], ep: Expr) {
  const load = {
    valid: m.wire('rd_load_valid', Bool()),
    ready: m.wire('rd_load_ready', Bool()),
    bits: {
      stream: m.wire('rd_load_stream', UInt(16)),
      addr: m.wire('rd_load_addr', UInt(AXI_ADDR_BITS)),
      words: m.wire('rd_load_words', UInt(s.countBits)),
      tag: m.wire('rd_load_tag', UInt(1)),
    },
  };
  // readStreamPlace in logic: input stream i on port i mod ports (a power of two), the controller's on port 0.
  const g = load.bits.stream;
  const isInput = m.node('rd_load_input', g.ge(RD_FIRST_INPUT));
  const i = g.subWrap(RD_FIRST_INPUT).trunc(16);
  const shift = Math.log2(s.ports);
  const port = m.node('rd_load_port', mux(isInput, shift === 0 ? lit(0, 1) : i.bits(shift - 1, 0), lit(0, Math.max(1, shift))));
  const local = m.node(
    'rd_load_local',
    mux(
      isInput,
      i
        .shr(shift)
        .add(mux(port.eq(0), lit(RD_FIRST_INPUT, 16), lit(0, 16)))
        .trunc(16),
      g,
    ),
  );
  load.ready.set(rds.map((r, k) => port.eq(k).and(r.load.ready)).reduce((a, b) => a.or(b)));
  rds.forEach((r, k) => {
    r.load.valid.set(load.valid.and(port.eq(k)));
    r.load.bits.stream.set(local.trunc(r.load.bits.stream.width));
    r.load.bits.addr.set(load.bits.addr);
    r.load.bits.words.set(load.bits.words);
    (r.load.bits as unknown as { tag: Signal }).tag.set(load.bits.tag);
    (r as unknown as { prefer: Signal }).prefer.set(ep);
  });
  return {
    load,
    owed: rds.map((r) => r.owed as Expr).reduce((a, b) => a.or(b)),
    held: rds.map((r) => r.held as Expr).reduce((a, b) => a.or(b)),
  };
}
