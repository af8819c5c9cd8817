import { Bool, Decoupled, UInt, defineModule, log2Ceil, SRAM } from '../dsl/index.js';

export interface SramWrapperParams {
  depth: number;
  width: number;
}

/**
 * The SRAM primitive behind ready/valid: read requests (addresses) in, read data out in
 * request order, full throughput, and backpressure that never loses a word. The SRAM's own
 * output register holds the word until it is taken, because a new read is issued only when
 * the previous word leaves. Writes go straight to the write port.
 */
export const SramWrapper = defineModule('SramWrapper', (m, p: SramWrapperParams) => {
  const aw = log2Ceil(p.depth);
  const req = m.input('req', Decoupled(UInt(aw)));
  const rsp = m.output('rsp', Decoupled(UInt(p.width)));
  const wr_en = m.input('wr_en', Bool());
  const wr_addr = m.input('wr_addr', UInt(aw));
  const wr_data = m.input('wr_data', UInt(p.width));

  const sram = m.instance('sram', SRAM, { depth: p.depth, width: p.width });
  const held = m.reg('held', Bool(), { init: 0 });
  const issue = m.node('issue', req.valid.and(req.ready));

  req.ready.set(held.not().or(rsp.ready));
  sram.rd_en.set(issue);
  sram.rd_addr.set(req.bits);
  sram.wr_en.set(wr_en);
  sram.wr_addr.set(wr_addr);
  sram.wr_data.set(wr_data);
  rsp.valid.set(held);
  rsp.bits.set(sram.rd_data);
  m.when(issue, () => held.set(1)).elsewhen(rsp.ready, () => held.set(0));
  return { req, rsp, wr_en, wr_addr, wr_data };
});
