// The system top's stream wiring: the core's streams from the read DMA's outputs (as the running
// layer sees them) and its out words into the write DMA's slots.
import { Bool, Decoupled, UInt, mux, type Expr, type Handle, type ModuleBuilder, type ModuleDef, type Signal } from '../../dsl/index.js';
import { CFG_DATA_BITS, cfgAddrWidth, cmdWidth, multiplierBits, type ChipParams } from '../../../spec/chip/format.js';
import { CMD_SLOTS, RD_CFG, RD_FIRST_INPUT, inputStreamsPerCluster } from '../../../spec/system.js';
import { EyerissTop, clusterPort } from '../chip/top.js';

type Stream = Handle<ReturnType<typeof Decoupled<ReturnType<typeof UInt>>>>;
export type Port = { valid: Signal; ready: Signal; bits: Signal };
export type CoreIo = typeof EyerissTop extends ModuleDef<ChipParams, infer IO> ? IO : never;

/**
 * Read-DMA stream `k` (a `width`-bit word, its layer's tag above it) as the running layer sees
 * it: only words whose tag is `ep`, and none while `hold` (the core in reset: a word it seemed to
 * take then would be lost).
 */
export function runningView(m: ModuleBuilder, k: number, from: Port, width: number, ep: Expr, hold: Expr): Port {
  const mine = m.node(`rd_mine_${k}`, from.bits.bit(width).eq(ep).and(hold.not()));
  const view = { valid: m.wire(`rd_valid_${k}`, Bool()), ready: m.wire(`rd_ready_${k}`, Bool()), bits: m.wire(`rd_bits_${k}`, UInt(width)) };
  view.valid.set(from.valid.and(mine));
  view.bits.set(from.bits.bits(width - 1, 0));
  from.ready.set(view.ready.and(mine));
  return view;
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

/**
 * The core's streams from the DMAs: the configuration and the commands from pair streams (a
 * word of two slots a cycle), iact and weight words straight through, out words split into slots
 * for the write DMA. Returns each stream type's handshakes, the inputs ready without a word, and
 * the outputs blocked.
 */
export function wireStreams(m: ModuleBuilder, p: ChipParams, core: CoreIo, rdOut: (k: number) => Port, wrIn: (k: number) => Port, requant: Expr) {
  const per = inputStreamsPerCluster(p);
  const fires: Record<'cfg' | 'cmd' | 'iact' | 'weight' | 'scale' | 'out', Expr[]> = { cfg: [], cmd: [], iact: [], weight: [], scale: [], out: [] };
  const starving: Expr[] = [];
  const blocked: Expr[] = [];
  const feed = (from: Port, to: { valid: Signal; ready: Signal }, list: Expr[]): void => {
    to.valid.set(from.valid);
    from.ready.set(to.ready);
    list.push(to.valid.and(to.ready));
    starving.push(to.ready.and(to.valid.not()));
  };
  const cfgIn = rdOut(RD_CFG);
  feed(cfgIn, core.cfg, fires.cfg);
  core.cfg.bits.data.set(cfgIn.bits.bits(CFG_DATA_BITS - 1, 0));
  core.cfg.bits.addr.set(cfgIn.bits.bits(CFG_DATA_BITS + cfgAddrWidth(p) - 1, CFG_DATA_BITS));
  const word = (from: Port, to: Stream, list: Expr[]): void => {
    feed(from, to, list);
    to.bits.set(from.bits.bits(to.bits.width - 1, 0));
  };
  if (cmdWidth(p) > CMD_SLOTS * 32) throw new Error(`system: a ${cmdWidth(p)}-bit command does not fit ${CMD_SLOTS} memory slots`);
  for (let i = 0; i < p.rows; i++) {
    for (let j = 0; j < p.cols; j++) {
      const c = i * p.cols + j;
      const base = RD_FIRST_INPUT + c * per;
      word(rdOut(base), core[clusterPort(i, j, 'cmd')] as unknown as Stream, fires.cmd);
      for (let k = 0; k < p.noc.iactRouters; k++) word(rdOut(base + 1 + k), core[clusterPort(i, j, 'iact')]!.get(k), fires.iact);
      for (let k = 0; k < p.noc.peRows; k++) word(rdOut(base + 1 + p.noc.iactRouters + k), core[clusterPort(i, j, 'weight')]!.get(k), fires.weight);
      if (multiplierBits(p) > 0)
        for (let k = 0; k < p.noc.peCols; k++)
          word(rdOut(base + 1 + p.noc.iactRouters + p.noc.peRows + k), core[clusterPort(i, j, 'scale')]!.get(k), fires.scale);
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
