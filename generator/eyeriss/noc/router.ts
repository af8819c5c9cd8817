import { Decoupled, UInt, defineModule, lit, mux, type Expr, type Signal } from '../../dsl/index.js';
import { routerSpec, selWidth, type NetKind, type PortDir } from '../../../spec/noc/topology.js';
import { forkLegs } from './fork.js';

export interface RouterParams {
  kind: NetKind;
  width: number;
  /** East and west ports instead of the one horizontal port (NocParams.eastWest). */
  eastWest: boolean;
}

// A type alias, not an interface, so it stays assignable to the DSL's handle records.
export type DecoupledIo = {
  valid: Signal;
  ready: Signal;
  bits: Signal;
};

/** Ports as a parent sees them: `in_<src>`, `out_<dst>` (ready/valid) and `sel_<dst>` (config). */
export type RouterIo = Record<string, DecoupledIo | Signal>;

/**
 * One circuit-switched router: a crossbar whose destination `d` carries the source its static
 * `sel_<d>` names. A source sent to several destinations forks (fork.ts): every destination
 * gets every word exactly once, and the source is taken when all of them have it. A source
 * no destination selects is never ready, so a misrouted stream stalls (and the bench's watchdog
 * names it) instead of being dropped. Purely combinational: latency lives in the link buffers.
 */
export const CircuitRouter = defineModule(
  'CircuitRouter',
  (m, p: RouterParams) => {
    const spec = routerSpec(p.kind, p.eastWest);
    const io: RouterIo = {};
    const sw = selWidth(spec);
    const ins = new Map<PortDir, DecoupledIo>();
    const outs = new Map<PortDir, DecoupledIo>();
    const sels = new Map<PortDir, Expr>();
    for (const s of spec.srcs) {
      const h = m.input(`in_${s}`, Decoupled(UInt(p.width)));
      ins.set(s, h);
      io[`in_${s}`] = h;
    }
    for (const d of spec.dsts) {
      const h = m.output(`out_${d}`, Decoupled(UInt(p.width)));
      const sel = m.input(`sel_${d}`, UInt(sw));
      outs.set(d, h);
      sels.set(d, sel);
      io[`out_${d}`] = h;
      io[`sel_${d}`] = sel;
    }

    const routes = (s: PortDir) => spec.dsts.filter((d) => spec.allowed(s, d));
    const en = (s: PortDir, d: PortDir): Expr => {
      const code = spec.srcs.indexOf(s) + 1;
      return m.node(`en_${s}_${d}`, sels.get(d)!.eq(lit(code, sw)));
    };
    const enables = new Map<string, Expr>();
    for (const s of spec.srcs) for (const d of routes(s)) enables.set(`${s}>${d}`, en(s, d));
    const legValid = new Map<string, Expr>();
    for (const s of spec.srcs) {
      const ds = routes(s);
      const any = ds.map((d) => enables.get(`${s}>${d}`)!).reduce((a, b) => a.or(b));
      const fork = forkLegs(
        m,
        `fork_${s}`,
        ins.get(s)!.valid,
        ds.map((d) => ({ active: enables.get(`${s}>${d}`)!, ready: outs.get(d)!.ready })),
      );
      ds.forEach((d, k) => legValid.set(`${s}>${d}`, fork.legValid[k]!));
      // A source no destination selects is never ready, so a misrouted stream stalls visibly.
      ins.get(s)!.ready.set(any.and(fork.ready));
    }
    for (const d of spec.dsts) {
      const feeders = spec.srcs.filter((s) => spec.allowed(s, d));
      const out = outs.get(d)!;
      out.valid.set(feeders.map((s) => legValid.get(`${s}>${d}`)!).reduce((a, b) => a.or(b)));
      // An idle destination shows zeros rather than some source's data, which keeps waveforms honest.
      out.bits.set(feeders.reduceRight((acc: Expr, s) => mux(enables.get(`${s}>${d}`)!, ins.get(s)!.bits, acc), lit(0, p.width)));
    }
    return io;
  },
  {
    nameFor: (p) => `${p.kind[0]!.toUpperCase()}${p.kind.slice(1)}Router_w${p.width}${p.eastWest ? '_ew' : ''}`,
  },
);
