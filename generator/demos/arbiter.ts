import { Decoupled, Expr, UInt, Vec, defineModule, log2Ceil, mux } from '../dsl/index.js';

export interface ArbiterParams {
  inputs: number;
  width: number;
}

/**
 * Round-robin arbiter from N ready/valid inputs to one output. The input granted last has
 * the lowest priority next time, so every requester is served within N transfers. The
 * grant depends only on the valids (not on the output's ready), as ready/valid requires.
 */
export const RoundRobinArbiter = defineModule('RoundRobinArbiter', (m, p: ArbiterParams) => {
  if (!Number.isInteger(p.inputs) || p.inputs < 2) throw new Error(`RoundRobinArbiter: needs >= 2 inputs, got ${p.inputs}`);
  const iw = log2Ceil(p.inputs);
  const inp = m.input('in', Vec(p.inputs, Decoupled(UInt(p.width))));
  const out = m.output('out', Decoupled(UInt(p.width)));
  const chosen = m.output('chosen', UInt(iw));

  // `first` is the input that has the highest priority this cycle.
  const first = m.reg('first', UInt(iw), { init: 0 });
  const grant = m.wire('grant', UInt(iw));
  const any = m.wire('any', UInt(1));
  grant.set(0);
  any.set(0);
  for (let start = 0; start < p.inputs; start++) {
    m.when(first.eq(start), () => {
      // Visit candidates from lowest to highest priority: the last connect wins.
      for (let k = p.inputs - 1; k >= 0; k--) {
        const i = (start + k) % p.inputs;
        m.when(inp.get(i).valid, () => {
          grant.set(i);
          any.set(1);
        });
      }
    });
  }
  out.valid.set(any);
  out.bits.set(
    m.node(
      'granted_bits',
      inp.elems.map((x): Expr => x.bits).reduceRight((acc, bits, i) => mux(grant.eq(i), bits, acc)),
    ),
  );
  chosen.set(grant);
  inp.elems.forEach((x, i) => x.ready.set(out.ready.and(grant.eq(i)).and(any)));
  m.when(out.valid.and(out.ready), () => first.set(mux(grant.eq(p.inputs - 1), 0, grant.addWrap(1))));
  return { in: inp, out, chosen };
});
