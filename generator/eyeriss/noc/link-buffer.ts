import { Decoupled, UInt, defineModule, log2Ceil, mux, widthOf } from '../../dsl/index.js';

export interface LinkBufferParams {
  depth: number;
  width: number;
}

/**
 * The buffer on every mesh input of a router cluster. Both its ready and its valid come from
 * registers, which is what breaks the combinational ready/valid rings a mesh of
 * combinational routers would otherwise form (e.g. around a 2x2 square of clusters); two
 * entries keep one word per cycle flowing despite the registered ready.
 */
export const LinkBuffer = defineModule('LinkBuffer', (m, p: LinkBufferParams) => {
  if (!Number.isInteger(p.depth) || p.depth < 2) throw new Error(`LinkBuffer: depth ${p.depth} < 2 cannot sustain one word per cycle`);
  const enq = m.input('enq', Decoupled(UInt(p.width)));
  const deq = m.output('deq', Decoupled(UInt(p.width)));
  const aw = log2Ceil(p.depth);
  const store = m.mem('store', p.depth, UInt(p.width));
  const head = m.reg('head', UInt(aw), { init: 0 });
  const tail = m.reg('tail', UInt(aw), { init: 0 });
  const used = m.reg('used', UInt(widthOf(p.depth)), { init: 0 });
  const doEnq = m.node('do_enq', enq.valid.and(enq.ready));
  const doDeq = m.node('do_deq', deq.valid.and(deq.ready));
  const next = (ptr: typeof head) => mux(ptr.eq(p.depth - 1), 0, ptr.addWrap(1)).trunc(aw);

  enq.ready.set(used.ne(p.depth));
  deq.valid.set(used.ne(0));
  deq.bits.set(store.read(head));
  m.when(doEnq, () => {
    store.write(tail, enq.bits);
    tail.set(next(tail));
  });
  m.when(doDeq, () => head.set(next(head)));
  m.when(doEnq.and(doDeq.not()), () => used.set(used.addWrap(1))).elsewhen(doDeq.and(doEnq.not()), () => used.set(used.subWrap(1)));
  return { enq, deq };
});
