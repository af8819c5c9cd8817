import { Bool, UInt, cat, defineModule, lit, mux, type Expr } from '../../dsl/index.js';
import { AXI_ADDR_BITS } from '../../../spec/axi.js';
import { REG, SYS_ERR, SYS_ERR_BITS, SYS_ID, WATCHDOG_DEFAULT, outSlots, rdGather, wrGather, type SystemParams } from '../../../spec/system.js';
import { multiplierBits } from '../../../spec/chip/format.js';
import { EyerissTop } from '../chip/top.js';
import { axilPorts, axilSlave } from './axil.js';
import { loadRouter, memoryEngines, memoryPorts } from './memory.js';
import { activity } from './activity.js';
import { runningView, wireStreams, type Port } from './streams.js';
import { fetchWalk, outWalk } from './walks.js';

/**
 * The chip as a system uses it (docs/system.md): EyerissTop behind a controller that walks a
 * chain of layer descriptors in memory, `ports` AXI4 memory ports (`m_axi_*`, or `m00_axi_*`,
 * `m01_axi_*`, ...: a read DMA each feeds the configuration, command, iact and weight streams
 * placed on it, AxiWriteDma on port 0 writes the outputs) and an
 * AXI4-Lite register file (`s_axil_*`: start, descriptor address, status, error code, counters,
 * watchdog) with an interrupt. The controller fetches a layer ahead of the one the core runs;
 * every read word carries its layer's tag, and the core sees the running layer's only. Hold
 * `reset` for at least two cycles: the core's reset is a register of this module (it also resets
 * the core for one cycle between layers).
 */
/**
 * This cycle's SYS_ERR bits: the controller's own, the DMAs' error_code bits (0 DMA_ERR_RESP,
 * 1 DMA_ERR_UNALIGNED, 2 DMA_ERR_UNEXPECTED) and the core's (0 bad configuration address, 1 bad
 * command), the core's only while it is out of reset.
 */
function errorBits(
  ctlErr: Expr,
  rds: { error_code: Expr }[],
  wr: { error_code: Expr },
  gather: { error: Expr },
  core: { error_code: Expr },
  coreRst: Expr,
): Expr {
  const bitsTo = (code: Expr, to: number[]): Expr => to.map((b, i) => mux(code.bit(i), lit(b, SYS_ERR_BITS), lit(0, SYS_ERR_BITS))).reduce((x, y) => x.or(y));
  return ctlErr
    .or(
      bitsTo(
        rds.map((r) => r.error_code).reduce((a, b) => a.or(b)),
        [SYS_ERR.readResp, SYS_ERR.readUnaligned, SYS_ERR.readUnexpected],
      ),
    )
    .or(bitsTo(wr.error_code, [SYS_ERR.writeResp, SYS_ERR.writeUnaligned, SYS_ERR.writeUnexpected]))
    .or(mux(gather.error, lit(SYS_ERR.gatherResp, SYS_ERR_BITS), lit(0, SYS_ERR_BITS)))
    .or(mux(coreRst, lit(0, SYS_ERR_BITS), bitsTo(core.error_code, [SYS_ERR.coreCfgAddr, SYS_ERR.coreCmd])));
}

/** The gather's entries, whichever layer's tag they carry (it runs only between layers), and its words into the write DMA. */
function wireGather(gather: { entry: Port; out: Port }, entries: Port, gathered: Port): void {
  gather.entry.valid.set(entries.valid);
  gather.entry.bits.set(entries.bits.bits(gather.entry.bits.width - 1, 0));
  entries.ready.set(gather.entry.ready);
  gathered.valid.set(gather.out.valid);
  gathered.bits.set(gather.out.bits.zext(gathered.bits.width));
  gather.out.ready.set(gathered.ready);
}

export const EyerissSystem = defineModule(
  'EyerissSystem',
  (m, s: SystemParams) => {
    const p = s.chip;
    if (outSlots(p, false) > 2) throw new Error(`system: a ${p.noc.psumWidth}-bit out word does not fit two memory slots; use at most 3 psum lanes`);
    if (![1, 2, 4].includes(s.ports)) throw new Error(`system: ports = ${s.ports}; the system top has 1, 2 or 4 memory ports`);
    const mem = memoryPorts(m, s);
    const io = { ...axilPorts(m), irq: m.output('irq', Bool()), ...mem.all };
    const coreRst = m.reg('core_rst', Bool(), { init: 1 });
    const core = m.instance('u_core', EyerissTop, p, { reset: coreRst });
    const { rds, wr, gather, rdIdle, raw, width, moves } = memoryEngines(m, s, mem);

    // ---- Controller state; `ep` is the running layer's tag.
    const busy = m.reg('busy', Bool(), { init: 0 });
    const finishing = m.reg('finishing', Bool(), { init: 0 });
    const ep = m.reg('ep', UInt(1), { init: 0 });
    const doneFlag = m.reg('done_flag', Bool(), { init: 0 });
    const errCode = m.reg('err_code', UInt(SYS_ERR_BITS), { init: 0 });
    const irqEn = m.reg('irq_en', Bool(), { init: 0 });
    const descAddr = m.reg('desc_addr', UInt(AXI_ADDR_BITS), { init: 0 });
    const watchdog = m.reg('watchdog', UInt(32), { init: WATCHDOG_DEFAULT });
    const requant = m.reg('requant', Bool(), { init: 0 });
    const layers = m.reg('layers', UInt(32), { init: 0 });
    const cycles = m.reg('cycles', UInt(32), { init: 0 });
    const axil = axilSlave(m, io);
    const start = m.node('start', axil.writeTo(REG.ctrl).and(io.s_axil_wdata.bit(0)).and(busy.not()));
    m.when(axil.writeTo(REG.ctrl), () => irqEn.set(io.s_axil_wdata.bit(1)));
    m.when(axil.writeTo(REG.desc), () => descAddr.set(io.s_axil_wdata));
    m.when(axil.writeTo(REG.watchdog), () => watchdog.set(io.s_axil_wdata));
    const ctlErr = m.wire('ctl_err', UInt(SYS_ERR_BITS));
    const error = (code: number): void => ctlErr.set(code);

    // ---- Streams: read stream 0 the descriptor, 1 the configuration, 2-5 the tables, then per
    // cluster cmd, iact, weight (readStreamPlace: which port's DMA, which of its streams);
    // `running(k)` is stream k as the running layer sees it.
    const running = (g: number): Port => runningView(m, g, raw(g), width(g), ep, coreRst);
    const { fires, starving, blocked } = wireStreams(m, p, core, running, (k) => wr.in.get(k), requant);

    const { registers: counters, quiet } = activity(m, { start, busy, fires, starving, blocked, rdIdle, moves });
    ctlErr.set(mux(busy.and(watchdog.ne(0)).and(quiet.ge(watchdog)), lit(SYS_ERR.stalled, SYS_ERR_BITS), lit(0, SYS_ERR_BITS)));

    const { load, owed, held } = loadRouter(m, s, rds, ep);
    // The running layer has every output written and answered, so a gather may read them.
    const settled = m.wire('settled', Bool());
    const fetch = fetchWalk(m, { s, raw, load, ep, requant, settled, error });
    const outs = outWalk(m, { s, running, load: wr.load, busy, requant, gather: fetch.gatherLoad, error });
    settled.set(core.done.and(outs.done).and(wr.idle).and(gather.idle));
    wireGather(gather, raw(rdGather(p)), wr.in.get(wrGather(p)));

    // ---- Layer end: the core is done, the running layer's walks and read words are all
    // through, and the write DMA has every out word. Words of the layer the core never takes (a
    // stream longer than its program) hold the layer open until the watchdog stops the chain.
    // The layer ahead (if any) starts after a one-cycle core reset, its first words already
    // fetched; the chain ends once the last writes are answered.
    const ofEp = (bits: Expr): Expr => mux(ep, bits.bit(1), bits.bit(0));
    const layerEnd = m.node(
      'layer_end',
      busy
        .and(finishing.not())
        .and(coreRst.not())
        .and(core.done)
        .and(fetch.walked)
        .and(outs.done)
        .and(ofEp(owed).or(ofEp(held)).not())
        .and(wr.taken)
        .and(fetch.gathering.not()),
    );
    coreRst.set(busy.not().or(start).or(layerEnd.and(fetch.ahead)));
    m.when(start, () => {
      busy.set(1);
      finishing.set(0);
      doneFlag.set(0);
      errCode.set(0);
      layers.set(0);
      cycles.set(0);
      fetch.begin(descAddr);
      outs.restart();
    });
    m.when(busy, () => cycles.set(cycles.addWrap(1)));
    m.when(layerEnd, () => {
      layers.set(layers.addWrap(1));
      m.when(fetch.ahead, () => {
        ep.set(ep.not());
        requant.set(fetch.fetchRequant);
        outs.restart();
      }).otherwise(() => finishing.set(1));
    });
    m.when(finishing.and(rdIdle).and(wr.idle), () => {
      busy.set(0);
      finishing.set(0);
      doneFlag.set(1);
    });

    // ---- Errors stop the chain: the DMAs' and the core's sticky codes, and the controller's own.
    const newErr = m.node('new_err', errorBits(ctlErr, rds, wr, gather, core, coreRst));
    m.when(busy.and(newErr.ne(0)), () => {
      errCode.set(errCode.or(newErr));
      busy.set(0);
      finishing.set(0);
      fetch.halt();
      doneFlag.set(1);
    });

    axil.serve([
      [REG.id, lit(SYS_ID, 32)],
      [REG.ctrl, cat(irqEn, lit(0, 1))],
      [REG.status, cat(errCode.ne(0), doneFlag, busy)],
      [REG.error, errCode],
      [REG.desc, descAddr],
      [REG.layers, layers],
      [REG.cycles, cycles],
      [REG.watchdog, watchdog],
      ...counters,
    ]);
    io.irq.set(doneFlag.and(irqEn));
    return io;
  },
  {
    nameFor: (s) =>
      `EyerissSystem_${s.chip.rows}x${s.chip.cols}_p${s.ports}d${s.dataBits}b${s.burstBeats}x${s.bufferBeats}o${s.outstanding}c${s.countBits}${multiplierBits(s.chip) > 0 ? `_om${multiplierBits(s.chip)}` : ''}`,
  },
);
