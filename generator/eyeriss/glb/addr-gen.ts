import { Bool, Bundle, UInt, defineModule, log2Ceil, mux, type Expr } from '../../dsl/index.js';

export interface AddrGenParams {
  depth: number;
  /** Bits of count0 / count1. */
  countWidth: number;
}

/**
 * The address sequence of one GLB stream: a two-level loop
 *
 *   for i1 in 0..count1-1: for i0 in 0..count0-1: addr = (base + i1*stride1 + i0*stride0) mod depth
 *
 * base and the strides must be below the bank depth (golden/glb checkAddrGen is the contract the
 * controller must meet; the hardware reduces sums once, not arbitrary values); within that, sums
 * wrap modulo the depth, so depth - s walks backwards; stride 0 repeats an
 * address (reuse), stride1 = 0 replays a row. `start` loads the loop (restarting a running
 * one); a count of 0 gives an empty sequence. The config must be held while `valid`, because
 * the loop bounds and strides are read from it on every step rather than copied at start.
 */
export const addrGenCfg = (p: AddrGenParams) =>
  Bundle({
    base: UInt(log2Ceil(p.depth)),
    stride0: UInt(log2Ceil(p.depth)),
    count0: UInt(p.countWidth),
    stride1: UInt(log2Ceil(p.depth)),
    count1: UInt(p.countWidth),
  });

export const AddrGen = defineModule('AddrGen', (m, p: AddrGenParams) => {
  const aw = log2Ceil(p.depth);
  const start = m.input('start', Bool());
  const cfg = m.input('cfg', addrGenCfg(p));
  const next = m.input('next', Bool());
  const valid = m.output('valid', Bool());
  const addr = m.output('addr', UInt(aw));

  const busy = m.reg('busy', Bool(), { init: 0 });
  const cur = m.reg('cur', UInt(aw), { init: 0 });
  const row = m.reg('row', UInt(aw), { init: 0 });
  const i0 = m.reg('i0', UInt(p.countWidth), { init: 0 });
  const i1 = m.reg('i1', UInt(p.countWidth), { init: 0 });
  // Operands are below depth, so one conditional subtraction reduces the sum.
  const modAdd = (a: Expr, b: Expr): Expr => {
    const sum = a.add(b);
    return mux(sum.ge(p.depth), sum.subWrap(p.depth), sum).trunc(aw);
  };
  const rowEnd = m.node('row_end', i0.eq(cfg.count0.subWrap(1)));
  const last = m.node('last', rowEnd.and(i1.eq(cfg.count1.subWrap(1))));
  const nextRow = m.node('next_row', modAdd(row, cfg.stride1));

  valid.set(busy);
  addr.set(cur);
  m.when(start, () => {
    busy.set(cfg.count0.ne(0).and(cfg.count1.ne(0)));
    cur.set(cfg.base);
    row.set(cfg.base);
    i0.set(0);
    i1.set(0);
  }).elsewhen(busy.and(next), () => {
    m.when(last, () => busy.set(0))
      .elsewhen(rowEnd, () => {
        i0.set(0);
        i1.set(i1.addWrap(1));
        row.set(nextRow);
        cur.set(nextRow);
      })
      .otherwise(() => {
        i0.set(i0.addWrap(1));
        cur.set(modAdd(cur, cfg.stride0));
      });
  });
  return { start, cfg, next, valid, addr };
});
