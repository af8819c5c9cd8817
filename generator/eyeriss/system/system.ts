import {
  Bool,
  Decoupled,
  UInt,
  cat,
  defineModule,
  lit,
  mux,
  type Expr,
  type Handle,
  type ModuleBuilder,
  type ModuleDef,
  type Signal,
} from '../../dsl/index.js';
import { AXI_ADDR_BITS } from '../../../spec/axi.js';
import { CFG_DATA_BITS, cfgAddrWidth, cmdWidth, type ChipParams } from '../../../spec/chip/format.js';
import {
  AXIL_ADDR_BITS,
  CFG_SLOTS,
  CMD_SLOTS,
  DESC_MAGIC,
  DESC_WORDS,
  RD_CFG,
  RD_DESC,
  RD_FIRST_INPUT,
  RD_IN_ADDRS,
  RD_IN_COUNTS,
  RD_OUT_ADDRS,
  RD_OUT_COUNTS,
  REG,
  SYS_ERR,
  SYS_ERR_BITS,
  SYS_ID,
  inputStreams,
  inputStreamsPerCluster,
  outSlots,
  readDmaParams,
  writeStreams,
  type SystemParams,
} from '../../../spec/system.js';
import { EyerissTop, clusterPort } from '../chip/top.js';
import { AxiReadDma } from '../axi/read-dma.js';
import { AxiWriteDma } from '../axi/write-dma.js';
import { axiReadMaster, axiWriteMaster } from '../axi/common.js';

type Stream = Handle<ReturnType<typeof Decoupled<ReturnType<typeof UInt>>>>;
type Port = { valid: Signal; ready: Signal; bits: Signal };

/** Two 32-bit words in a row (low first) as one word of `width` bits: commands and configuration writes. */
function gatherPair(m: ModuleBuilder, name: string, from: Port, to: { valid: Signal; ready: Signal }, width: number): Expr {
  const second = m.reg(`${name}_second`, Bool(), { init: 0 });
  const low = m.reg(`${name}_low`, UInt(32), { init: 0 });
  to.valid.set(from.valid.and(second));
  from.ready.set(second.not().or(to.ready));
  m.when(from.valid.and(from.ready), () => {
    second.set(second.not());
    m.when(second.not(), () => low.set(from.bits));
  });
  return cat(from.bits, low).bits(width - 1, 0);
}

/** An out word as 32-bit words: raw, its low 32 bits then the rest when wider; requantized, one (its bytes are in the low bits). */
function splitOut(m: ModuleBuilder, name: string, from: Port, to: Port, requant: Expr): void {
  if (from.bits.width <= 32) {
    to.valid.set(from.valid);
    to.bits.set(from.bits.zext(32));
    from.ready.set(to.ready);
    return;
  }
  const second = m.reg(`${name}_second`, Bool(), { init: 0 });
  to.valid.set(from.valid);
  to.bits.set(mux(second, from.bits.bits(from.bits.width - 1, 32).zext(32), from.bits.bits(31, 0)));
  from.ready.set(to.ready.and(second.or(requant)));
  m.when(to.valid.and(to.ready).and(requant.not()), () => second.set(second.not()));
}

type CoreIo = typeof EyerissTop extends ModuleDef<ChipParams, infer IO> ? IO : never;

/**
 * The core's streams from the DMAs: the configuration and the commands gathered from slot pairs,
 * iact and weight words straight through, out words split into slots for the write DMA. Returns
 * each stream type's handshakes, the inputs ready without a word, and the outputs blocked.
 */
function wireStreams(m: ModuleBuilder, p: ChipParams, core: CoreIo, rdOut: (k: number) => Port, wrIn: (k: number) => Port, requant: Expr) {
  const per = inputStreamsPerCluster(p);
  const fires: Record<'cfg' | 'cmd' | 'iact' | 'weight' | 'out', Expr[]> = { cfg: [], cmd: [], iact: [], weight: [], out: [] };
  const starving: Expr[] = [];
  const blocked: Expr[] = [];
  const cfgIn = rdOut(RD_CFG);
  const cfgBits = gatherPair(m, 'cfg_gather', cfgIn, core.cfg, CFG_SLOTS * 32);
  core.cfg.bits.data.set(cfgBits.bits(CFG_DATA_BITS - 1, 0));
  core.cfg.bits.addr.set(cfgBits.bits(CFG_DATA_BITS + cfgAddrWidth(p) - 1, CFG_DATA_BITS));
  fires.cfg.push(core.cfg.valid.and(core.cfg.ready));
  const feed = (from: Port, to: Stream, list: Expr[]): void => {
    to.valid.set(from.valid);
    to.bits.set(from.bits.bits(to.bits.width - 1, 0));
    from.ready.set(to.ready);
    list.push(to.valid.and(to.ready));
    starving.push(to.ready.and(to.valid.not()));
  };
  for (let i = 0; i < p.rows; i++) {
    for (let j = 0; j < p.cols; j++) {
      const c = i * p.cols + j;
      const base = RD_FIRST_INPUT + c * per;
      const cmd = core[clusterPort(i, j, 'cmd')] as unknown as Stream;
      cmd.bits.set(gatherPair(m, `cmd_gather_${c}`, rdOut(base), cmd, cmdWidth(p)));
      if (cmdWidth(p) > CMD_SLOTS * 32) throw new Error(`system: a ${cmdWidth(p)}-bit command does not fit ${CMD_SLOTS} memory slots`);
      fires.cmd.push(cmd.valid.and(cmd.ready));
      for (let k = 0; k < p.noc.iactRouters; k++) feed(rdOut(base + 1 + k), core[clusterPort(i, j, 'iact')]!.get(k), fires.iact);
      for (let k = 0; k < p.noc.peRows; k++) feed(rdOut(base + 1 + p.noc.iactRouters + k), core[clusterPort(i, j, 'weight')]!.get(k), fires.weight);
      for (let k = 0; k < p.noc.peCols; k++) {
        const out = core[clusterPort(i, j, 'out')]!.get(k) as unknown as Port;
        const to = wrIn(c * p.noc.peCols + k);
        splitOut(m, `out_split_${c}_${k}`, out, to, requant);
        fires.out.push(out.valid.and(out.ready));
        blocked.push(out.valid.and(to.ready.not()));
      }
    }
  }
  return { fires, starving, blocked };
}

/**
 * The chip as a system uses it (docs/system.md): EyerissTop behind a controller that walks a
 * chain of layer descriptors in memory, an AXI4 memory port (`m_axi_*`: AxiReadDma feeds the
 * configuration, command, iact and weight streams, AxiWriteDma writes the outputs) and an
 * AXI4-Lite register file (`s_axil_*`: start, descriptor address, status, error code, counters)
 * with an interrupt. Hold `reset` for at least two cycles: the core's reset is a register of this
 * module (it also resets the core at the start of every layer).
 */
export const EyerissSystem = defineModule(
  'EyerissSystem',
  (m, s: SystemParams) => {
    const p = s.chip;
    if (outSlots(p, false) > 2) throw new Error(`system: a ${p.noc.psumWidth}-bit out word does not fit two memory slots; use at most 3 psum lanes`);
    const per = inputStreamsPerCluster(p);
    const io = {
      s_axil_awvalid: m.input('s_axil_awvalid', Bool()),
      s_axil_awready: m.output('s_axil_awready', Bool()),
      s_axil_awaddr: m.input('s_axil_awaddr', UInt(AXIL_ADDR_BITS)),
      s_axil_wvalid: m.input('s_axil_wvalid', Bool()),
      s_axil_wready: m.output('s_axil_wready', Bool()),
      s_axil_wdata: m.input('s_axil_wdata', UInt(32)),
      s_axil_wstrb: m.input('s_axil_wstrb', UInt(4)),
      s_axil_bvalid: m.output('s_axil_bvalid', Bool()),
      s_axil_bready: m.input('s_axil_bready', Bool()),
      s_axil_bresp: m.output('s_axil_bresp', UInt(2)),
      s_axil_arvalid: m.input('s_axil_arvalid', Bool()),
      s_axil_arready: m.output('s_axil_arready', Bool()),
      s_axil_araddr: m.input('s_axil_araddr', UInt(AXIL_ADDR_BITS)),
      s_axil_rvalid: m.output('s_axil_rvalid', Bool()),
      s_axil_rready: m.input('s_axil_rready', Bool()),
      s_axil_rdata: m.output('s_axil_rdata', UInt(32)),
      s_axil_rresp: m.output('s_axil_rresp', UInt(2)),
      irq: m.output('irq', Bool()),
      ...axiReadMaster(m, s.dataBits),
      ...axiWriteMaster(m, s.dataBits),
    };

    const coreRst = m.reg('core_rst', Bool(), { init: 1 });
    const core = m.instance('u_core', EyerissTop, p, { reset: coreRst });
    const rd = m.instance('u_rd', AxiReadDma, readDmaParams(s));
    const wr = m.instance('u_wr', AxiWriteDma, {
      streams: writeStreams(p),
      dataBits: s.dataBits,
      burstBeats: s.burstBeats,
      bufferBeats: s.bufferBeats,
      countBits: s.countBits,
    });
    for (const [k, v] of Object.entries(io)) {
      if (!k.startsWith('m_axi_')) continue;
      const inst = (k.slice(6, 7) === 'a' && k[7] === 'r') || k.slice(6, 7) === 'r' ? rd : wr;
      const child = (inst as unknown as Record<string, Signal>)[k]!;
      if (
        [
          'm_axi_arready',
          'm_axi_rvalid',
          'm_axi_rdata',
          'm_axi_rresp',
          'm_axi_rlast',
          'm_axi_rid',
          'm_axi_awready',
          'm_axi_wready',
          'm_axi_bvalid',
          'm_axi_bresp',
          'm_axi_bid',
        ].includes(k)
      )
        child.set(v);
      else v.set(child);
    }

    // ---- Controller state.
    const IDLE = 0,
      FETCH = 1,
      DESC = 2,
      TABLE = 3,
      RUN = 4;
    const state = m.reg('state', UInt(3), { init: IDLE });
    const busy = m.node('busy', state.ne(IDLE));
    const doneFlag = m.reg('done_flag', Bool(), { init: 0 });
    const errCode = m.reg('err_code', UInt(SYS_ERR_BITS), { init: 0 });
    const irqEn = m.reg('irq_en', Bool(), { init: 0 });
    const descAddr = m.reg('desc_addr', UInt(AXI_ADDR_BITS), { init: 0 });
    const curDesc = m.reg('cur_desc', UInt(AXI_ADDR_BITS), { init: 0 });
    const next = m.reg('next_desc', UInt(AXI_ADDR_BITS), { init: 0 });
    const requant = m.reg('requant', Bool(), { init: 0 });
    const idx = m.reg('desc_idx', UInt(16), { init: 0 });
    const cfgCount = m.reg('cfg_count', UInt(32), { init: 0 });
    const layers = m.reg('layers', UInt(32), { init: 0 });
    const cycles = m.reg('cycles', UInt(32), { init: 0 });
    coreRst.set(state.eq(IDLE).or(state.eq(FETCH)));

    // ---- s_axil: a write takes its address and data together; reads answer the next cycle.
    const bvalid = m.reg('axil_bvalid', Bool(), { init: 0 });
    const rvalid = m.reg('axil_rvalid', Bool(), { init: 0 });
    const rdata = m.reg('axil_rdata', UInt(32), { init: 0 });
    const wTake = m.node('axil_w_take', io.s_axil_awvalid.and(io.s_axil_wvalid).and(bvalid.not()));
    io.s_axil_awready.set(wTake);
    io.s_axil_wready.set(wTake);
    io.s_axil_bvalid.set(bvalid);
    io.s_axil_bresp.set(0);
    m.when(wTake, () => bvalid.set(1)).elsewhen(io.s_axil_bready, () => bvalid.set(0));
    const wAt = (reg: number): Expr => wTake.and(io.s_axil_awaddr.eq(reg));
    const start = m.node('start', wAt(REG.ctrl).and(io.s_axil_wdata.bit(0)).and(busy.not()));
    m.when(wAt(REG.ctrl), () => irqEn.set(io.s_axil_wdata.bit(1)));
    m.when(wAt(REG.desc), () => descAddr.set(io.s_axil_wdata));

    // ---- Counters (since start).
    const count = (name: string, events: Expr[]): Signal => {
      const r = m.reg(name, UInt(32), { init: 0 });
      const sum = events.map((e) => e.zext(8)).reduce((a, b) => a.addWrap(b));
      m.when(start, () => r.set(0)).elsewhen(busy, () => r.set(r.addWrap(sum).trunc(32)));
      return r;
    };

    // ---- Streams: read DMA 0 the descriptor, 1 the configuration, then per cluster cmd, iact, weight.
    const rdOut = (k: number): Port => rd.out.get(k);
    const descIn = rdOut(RD_DESC);
    descIn.ready.set(state.eq(DESC));
    const { fires, starving, blocked } = wireStreams(m, p, core, rdOut, (k) => wr.in.get(k), requant);
    const anyStarve = m.node('any_starve', starving.reduce((a, b) => a.or(b)).and(rd.idle.not()));
    const anyBlock = m.node(
      'any_block',
      blocked.reduce((a, b) => a.or(b)),
    );
    const counters = {
      cfg: count('cnt_cfg', fires.cfg),
      cmd: count('cnt_cmd', fires.cmd),
      iact: count('cnt_iact', fires.iact),
      weight: count('cnt_weight', fires.weight),
      out: count('cnt_out', fires.out),
      starve: count('cnt_starve', [anyStarve]),
      block: count('cnt_block', [anyBlock]),
    };

    // ---- Descriptor: nine header words, one a cycle, start the configuration stream and the four
    // tables; then one input stream and one output stream start per cycle, from the tables.
    const inputs = inputStreams(p);
    const outs = writeStreams(p);
    const word = descIn.bits;
    const take = m.node('desc_take', descIn.valid.and(descIn.ready));
    const tableLoad = (stream: number, addr: Expr, words: Expr | number): void => {
      rd.load.valid.set(1);
      rd.load.bits.stream.set(stream);
      rd.load.bits.addr.set(addr);
      rd.load.bits.words.set(words);
    };
    rd.load.valid.set(0);
    rd.load.bits.stream.set(0);
    rd.load.bits.addr.set(0);
    rd.load.bits.words.set(0);
    wr.load.valid.set(0);
    wr.load.bits.stream.set(0);
    wr.load.bits.addr.set(0);
    wr.load.bits.words.set(0);
    const ctlErr = m.wire('ctl_err', UInt(SYS_ERR_BITS));
    ctlErr.set(0);
    /** Slots for `count` items of `per` slots each; past the DMA's count width is a bad length. */
    const slotsFor = (name: string, count: Expr, two: Expr) => {
      const slots = m.node(`${name}_slots`, mux(two, count.zext(33).shl(1).trunc(33), count.zext(33)));
      return { slots: slots.trunc(s.countBits), tooLong: m.node(`${name}_too_long`, slots.shr(s.countBits).ne(0)) };
    };

    const inAddr = rdOut(RD_IN_ADDRS);
    const inCount = rdOut(RD_IN_COUNTS);
    const outAddr = rdOut(RD_OUT_ADDRS);
    const outCount = rdOut(RD_OUT_COUNTS);
    const inLeft = m.reg('in_left', UInt(16), { init: 0 });
    const outLeft = m.reg('out_left', UInt(16), { init: 0 });
    const inStream = m.reg('in_stream', UInt(16), { init: 0 });
    const kind = m.reg('in_kind', UInt(8), { init: 0 });
    const outStream = m.reg('out_stream', UInt(16), { init: 0 });
    const inPair = m.node('in_pair', state.eq(TABLE).and(inLeft.ne(0)).and(inAddr.valid).and(inCount.valid));
    const outPair = m.node('out_pair', state.eq(TABLE).and(outLeft.ne(0)).and(outAddr.valid).and(outCount.valid));
    inAddr.ready.set(inPair);
    inCount.ready.set(inPair);
    outAddr.ready.set(outPair);
    outCount.ready.set(outPair);
    const inSlots = slotsFor('in', inCount.bits, kind.eq(0));
    const cfg = slotsFor('cfg', cfgCount, lit(1, 1));
    const outSlotsN = slotsFor('out', outCount.bits, outSlots(p, false) === 2 ? requant.not() : lit(0, 1));

    m.when(start, () => {
      state.set(FETCH);
      doneFlag.set(0);
      errCode.set(0);
      layers.set(0);
      cycles.set(0);
      curDesc.set(descAddr);
    });
    m.when(busy, () => cycles.set(cycles.addWrap(1)));
    m.when(state.eq(FETCH), () => {
      tableLoad(RD_DESC, curDesc, DESC_WORDS);
      idx.set(0);
      state.set(DESC);
    });
    m.when(state.eq(DESC).and(take), () => {
      idx.set(idx.addWrap(1));
      m.when(idx.eq(0).and(word.ne(DESC_MAGIC)), () => ctlErr.set(SYS_ERR.badMagic));
      m.when(idx.eq(1), () => next.set(word));
      m.when(idx.eq(2), () => cfgCount.set(word));
      m.when(idx.eq(3), () => {
        m.when(cfg.tooLong, () => ctlErr.set(SYS_ERR.badLength)).otherwise(() => tableLoad(RD_CFG, word, cfg.slots));
      });
      m.when(idx.eq(4), () => requant.set(word.bit(0)));
      m.when(idx.eq(5), () => tableLoad(RD_IN_ADDRS, word, inputs));
      m.when(idx.eq(6), () => tableLoad(RD_IN_COUNTS, word, inputs));
      m.when(idx.eq(7), () => tableLoad(RD_OUT_ADDRS, word, outs));
      m.when(idx.eq(DESC_WORDS - 1), () => {
        tableLoad(RD_OUT_COUNTS, word, outs);
        inLeft.set(inputs);
        outLeft.set(outs);
        inStream.set(RD_FIRST_INPUT);
        kind.set(0);
        outStream.set(0);
        state.set(TABLE);
      });
    });
    m.when(inPair, () => {
      m.when(inSlots.tooLong, () => ctlErr.set(SYS_ERR.badLength)).otherwise(() => {
        rd.load.valid.set(1);
        rd.load.bits.stream.set(inStream.trunc(rd.load.bits.stream.width));
        rd.load.bits.addr.set(inAddr.bits);
        rd.load.bits.words.set(inSlots.slots);
      });
      inLeft.set(inLeft.subWrap(1));
      inStream.set(inStream.addWrap(1));
      kind.set(mux(kind.eq(per - 1), lit(0, 8), kind.addWrap(1)).trunc(8));
    });
    m.when(outPair, () => {
      m.when(outSlotsN.tooLong, () => ctlErr.set(SYS_ERR.badLength)).otherwise(() => {
        wr.load.valid.set(1);
        wr.load.bits.stream.set(outStream.trunc(wr.load.bits.stream.width));
        wr.load.bits.addr.set(outAddr.bits);
        wr.load.bits.words.set(outSlotsN.slots);
      });
      outLeft.set(outLeft.subWrap(1));
      outStream.set(outStream.addWrap(1));
    });
    m.when(state.eq(TABLE).and(inLeft.eq(0)).and(outLeft.eq(0)), () => state.set(RUN));
    m.when(state.eq(RUN).and(rd.idle).and(wr.idle).and(core.done), () => {
      layers.set(layers.addWrap(1));
      m.when(next.eq(0), () => {
        state.set(IDLE);
        doneFlag.set(1);
      }).otherwise(() => {
        curDesc.set(next);
        state.set(FETCH);
      });
    });

    // ---- Errors stop the chain: the DMAs' and the core's sticky codes, and the controller's own.
    const bitsTo = (code: Expr, to: number[]): Expr => to.map((b, i) => mux(code.bit(i), lit(b, SYS_ERR_BITS), lit(0, SYS_ERR_BITS))).reduce((x, y) => x.or(y));
    // DMA error_code bits: 0 DMA_ERR_RESP, 1 DMA_ERR_UNALIGNED, 2 DMA_ERR_UNEXPECTED; core: 0 bad configuration address, 1 bad command.
    const dmaErr = (code: Expr, resp: number, unaligned: number, unexpected: number): Expr => bitsTo(code, [resp, unaligned, unexpected]);
    const coreErr = bitsTo(core.error_code, [SYS_ERR.coreCfgAddr, SYS_ERR.coreCmd]);
    const newErr = m.node(
      'new_err',
      ctlErr
        .or(dmaErr(rd.error_code, SYS_ERR.readResp, SYS_ERR.readUnaligned, SYS_ERR.readUnexpected))
        .or(dmaErr(wr.error_code, SYS_ERR.writeResp, SYS_ERR.writeUnaligned, SYS_ERR.writeUnexpected))
        .or(mux(coreRst, lit(0, SYS_ERR_BITS), coreErr)),
    );
    m.when(busy.and(newErr.ne(0)), () => {
      errCode.set(errCode.or(newErr));
      state.set(IDLE);
      doneFlag.set(1);
    });

    // ---- Register reads.
    const regs: [number, Expr][] = [
      [REG.id, lit(SYS_ID, 32)],
      [REG.ctrl, cat(irqEn, lit(0, 1))],
      [REG.status, cat(errCode.ne(0), doneFlag, busy)],
      [REG.error, errCode],
      [REG.desc, descAddr],
      [REG.layers, layers],
      [REG.cycles, cycles],
      [REG.cfgWords, counters.cfg],
      [REG.cmdWords, counters.cmd],
      [REG.iactWords, counters.iact],
      [REG.weightWords, counters.weight],
      [REG.outWords, counters.out],
      [REG.starveCycles, counters.starve],
      [REG.blockCycles, counters.block],
    ];
    const arTake = m.node('axil_ar_take', io.s_axil_arvalid.and(rvalid.not()));
    io.s_axil_arready.set(rvalid.not());
    m.when(arTake, () => {
      rvalid.set(1);
      rdata.set(regs.map(([a, v]) => mux(io.s_axil_araddr.eq(a), v.zext(32), lit(0, 32))).reduce((x, y) => x.or(y)));
    }).elsewhen(io.s_axil_rready, () => rvalid.set(0));
    io.s_axil_rvalid.set(rvalid);
    io.s_axil_rdata.set(rdata);
    io.s_axil_rresp.set(0);
    io.irq.set(doneFlag.and(irqEn));
    return io;
  },
  {
    nameFor: (s) => `EyerissSystem_${s.chip.rows}x${s.chip.cols}_d${s.dataBits}b${s.burstBeats}x${s.bufferBeats}o${s.outstanding}c${s.countBits}`,
  },
);
