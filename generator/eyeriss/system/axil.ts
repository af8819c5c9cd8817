// The system top's AXI4-Lite slave (docs/system.md, "Register map"): its ports, the write channel
// (address and data taken together) and the read channel (answered the cycle after).
import { Bool, UInt, lit, mux, type Expr, type ModuleBuilder } from '../../dsl/index.js';
import { channelPorts, type Channel } from '../axi/common.js';
import { AXIL_ADDR_BITS } from '../../../spec/system.js';

const AXIL_SLAVE = {
  awvalid: ['in', 1],
  awready: ['out', 1],
  awaddr: ['in', AXIL_ADDR_BITS],
  wvalid: ['in', 1],
  wready: ['out', 1],
  wdata: ['in', 'data'],
  wstrb: ['in', 'strobe'],
  bvalid: ['out', 1],
  bready: ['in', 1],
  bresp: ['out', 2],
  arvalid: ['in', 1],
  arready: ['out', 1],
  araddr: ['in', AXIL_ADDR_BITS],
  rvalid: ['out', 1],
  rready: ['in', 1],
  rdata: ['out', 'data'],
  rresp: ['out', 2],
} as const satisfies Channel;

/** The AXI4-Lite slave's ports (`s_axil_*`, 32-bit data). */
export const axilPorts = (m: ModuleBuilder) => channelPorts(m, AXIL_SLAVE, 32, 's_axil');

/**
 * The slave's channels. `writeTo(reg)` is high in the cycle a write to byte offset `reg` is taken
 * (its data on `s_axil_wdata`); `serve(regs)` answers reads from the register list (an address
 * not listed reads 0). Writes are whole words: `wstrb` is not used.
 */
export function axilSlave(m: ModuleBuilder, io: ReturnType<typeof axilPorts>) {
  const bvalid = m.reg('axil_bvalid', Bool(), { init: 0 });
  const rvalid = m.reg('axil_rvalid', Bool(), { init: 0 });
  const rdata = m.reg('axil_rdata', UInt(32), { init: 0 });
  const wTake = m.node('axil_w_take', io.s_axil_awvalid.and(io.s_axil_wvalid).and(bvalid.not()));
  io.s_axil_awready.set(wTake);
  io.s_axil_wready.set(wTake);
  io.s_axil_bvalid.set(bvalid);
  io.s_axil_bresp.set(0);
  m.when(wTake, () => bvalid.set(1)).elsewhen(io.s_axil_bready, () => bvalid.set(0));
  const writeTo = (reg: number): Expr => wTake.and(io.s_axil_awaddr.eq(reg));
  const serve = (regs: [number, Expr][]): void => {
    const arTake = m.node('axil_ar_take', io.s_axil_arvalid.and(rvalid.not()));
    io.s_axil_arready.set(rvalid.not());
    m.when(arTake, () => {
      rvalid.set(1);
      rdata.set(regs.map(([a, v]) => mux(io.s_axil_araddr.eq(a), v.zext(32), lit(0, 32))).reduce((x, y) => x.or(y)));
    }).elsewhen(io.s_axil_rready, () => rvalid.set(0));
    io.s_axil_rvalid.set(rvalid);
    io.s_axil_rdata.set(rdata);
    io.s_axil_rresp.set(0);
  };
  return { writeTo, serve };
}
