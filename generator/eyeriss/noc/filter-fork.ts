import { Decoupled, UInt, Vec, defineModule, lit, log2Ceil, mux, type Expr } from '../../dsl/index.js';
import { forkLegs } from './fork.js';

export interface FilterForkParams {
  inputs: number;
  outputs: number;
  width: number;
  idWidth: number;
  burstWidth: number;
}

/**
 * The in-cluster fabric: any input (a router's PE port) to any output (a PE). Circuit
 * switching carries no headers, so to let one stream carry different data for different PEs
 * each input numbers its packets: packet k is of class floor(k / burst) mod ways. Output o
 * takes the packets of input sel_o - 1 whose class is id_o; all outputs taking a packet get it
 * through a fork (fork.ts), each once. A packet of a class no output here takes is consumed and
 * dropped: on a multicast across clusters it is meant for PEs of another cluster. Per input:
 * ways_m1 = ways - 1, burst_m1 = burst - 1; per output: sel (0 = idle, i + 1 = input i), id.
 * The class counters restart at reset.
 */
export const FilterFork = defineModule('FilterFork', (m, p: FilterForkParams) => {
  const sw = log2Ceil(p.inputs + 1);
  const inp = m.input('in', Vec(p.inputs, Decoupled(UInt(p.width))));
  const out = m.output('out', Vec(p.outputs, Decoupled(UInt(p.width))));
  const waysM1 = m.input('ways_m1', Vec(p.inputs, UInt(p.idWidth)));
  const burstM1 = m.input('burst_m1', Vec(p.inputs, UInt(p.burstWidth)));
  const sel = m.input('sel', Vec(p.outputs, UInt(sw)));
  const id = m.input('id', Vec(p.outputs, UInt(p.idWidth)));

  const cls = Array.from({ length: p.inputs }, (_, i) => m.reg(`cls_${i}`, UInt(p.idWidth), { init: 0 }));
  const pos = Array.from({ length: p.inputs }, (_, i) => m.reg(`pos_${i}`, UInt(p.burstWidth), { init: 0 }));
  const match: Expr[][] = Array.from({ length: p.outputs }, (_, o) =>
    Array.from({ length: p.inputs }, (_, i) =>
      m.node(
        `match_${o}_${i}`,
        sel
          .get(o)
          .eq(lit(i + 1, sw))
          .and(id.get(o).eq(cls[i]!)),
      ),
    ),
  );
  const forks = inp.elems.map((x, i) =>
    forkLegs(
      m,
      `fork_${i}`,
      x.valid,
      out.elems.map((o, k) => ({ active: match[k]![i]!, ready: o.ready })),
    ),
  );

  inp.elems.forEach((x, i) => {
    x.ready.set(forks[i]!.ready);
    const fire = m.node(`fire_${i}`, x.valid.and(x.ready));
    const lastOfBurst = pos[i]!.eq(burstM1.get(i));
    m.when(fire, () => {
      m.when(lastOfBurst, () => {
        pos[i]!.set(0);
        cls[i]!.set(mux(cls[i]!.eq(waysM1.get(i)), lit(0, p.idWidth), cls[i]!.addWrap(1)));
      }).otherwise(() => pos[i]!.set(pos[i]!.addWrap(1)));
    });
  });
  out.elems.forEach((x, o) => {
    x.valid.set(inp.elems.map((_, i) => forks[i]!.legValid[o]!).reduce((a, b) => a.or(b)));
    x.bits.set(inp.elems.reduceRight((acc: Expr, src, i) => mux(sel.get(o).eq(lit(i + 1, sw)), src.bits, acc), lit(0, p.width)));
  });
  return { in: inp, out, ways_m1: waysM1, burst_m1: burstM1, sel, id };
});
