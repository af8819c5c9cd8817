import { Decoupled, UInt, defineModule, log2Ceil, mux, widthOf } from '../dsl/index.js';

export interface FifoParams {
  depth: number;
  width: number;
}

/**
 * Synchronous FIFO with ready/valid on both sides. Full throughput: when full, a dequeue
 * and an enqueue in the same cycle both happen. Storage is a register file so the head word
 * is visible combinationally, as ready/valid consumers expect.
 */
export const Fifo = defineModule('Fifo', (m, p: FifoParams) => {
  if (!Number.isInteger(p.depth) || p.depth < 1) throw new Error(`Fifo: depth must be >= 1, got ${p.depth}`);
  const enq = m.input('enq', Decoupled(UInt(p.width)));
  const deq = m.output('deq', Decoupled(UInt(p.width)));
  const count = m.output('count', UInt(widthOf(p.depth)));

  const aw = log2Ceil(p.depth);
  const store = m.mem('store', p.depth, UInt(p.width));
  const head = m.reg('head', UInt(aw), { init: 0 });
  const tail = m.reg('tail', UInt(aw), { init: 0 });
  const used = m.reg('used', UInt(widthOf(p.depth)), { init: 0 });

  const full = m.node('full', used.eq(p.depth));
  const empty = m.node('empty', used.eq(0));
  const doEnq = m.node('do_enq', enq.valid.and(enq.ready));
  const doDeq = m.node('do_deq', deq.valid.and(deq.ready));
  const next = (ptr: typeof head) => mux(ptr.eq(p.depth - 1), 0, ptr.addWrap(1));

  enq.ready.set(full.not().or(deq.ready));
  deq.valid.set(empty.not());
  deq.bits.set(store.read(head));
  count.set(used);

  m.when(doEnq, () => {
    store.write(tail, enq.bits);
    tail.set(next(tail));
  });
  m.when(doDeq, () => head.set(next(head)));
  m.when(doEnq.and(doDeq.not()), () => used.set(used.addWrap(1))).elsewhen(doDeq.and(doEnq.not()), () => used.set(used.subWrap(1)));
  return { enq, deq, count };
});
