import { Bool, UInt, type Expr, type ModuleBuilder, type Signal } from '../../dsl/index.js';
import { LinkBuffer } from '../noc/link-buffer.js';

type Stream = {
  valid: Signal;
  ready: Signal;
  bits: Signal;
};

/**
 * The output side of an SRAM read stream: reads are issued only while the 2-entry queue behind
 * the SRAM has room for their data (counting the one in flight), so the SRAM's one-cycle read
 * latency never loses a word under backpressure, and the SRAM's read port is free again the
 * cycle after an issue (the psum bank shares it with read-modify-write). Returns the issue
 * condition; the caller drives the SRAM address and rd_en from it.
 */
export function readQueue(m: ModuleBuilder, name: string, out: Stream, rdData: Expr, want: Expr, portFree: Expr): Expr {
  const q = m.instance(`${name}_q`, LinkBuffer, { depth: 2, width: out.bits.width });
  const inflight = m.reg(`${name}_inflight`, Bool(), { init: 0 });
  // Entries queued plus the one in flight: what the queue must still find room for.
  const occ = m.reg(`${name}_occ`, UInt(2), { init: 0 });
  const take = m.node(`${name}_take`, out.valid.and(out.ready));
  const issue = m.node(`${name}_issue`, want.and(portFree).and(occ.lt(2).or(take)));
  q.enq.valid.set(inflight);
  q.enq.bits.set(rdData);
  m.connect(out, q.deq);
  inflight.set(issue);
  m.when(issue.and(take.not()), () => occ.set(occ.addWrap(1))).elsewhen(take.and(issue.not()), () => occ.set(occ.subWrap(1)));
  return issue;
}
