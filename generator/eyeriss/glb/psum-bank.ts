import { Bool, Bundle, Decoupled, UInt, cat, defineModule, log2Ceil, mux, SRAM, type Expr } from '../../dsl/index.js';
import { AddrGen, addrGenCfg } from './addr-gen.js';
import { readQueue } from './read-queue.js';

export interface GlbPsumBankParams {
  depth: number;
  width: number;
  /** Psums per word, added lane by lane (each lane wraps at its width, as 20b psums do). */
  lanes: number;
  countWidth: number;
}

/**
 * One GLB psum bank. The `in` stream (psums coming back from the top of a PE column or from a
 * neighbour cluster) is stored at the addresses of its generator, either written through
 * (first pass) or accumulated: read the word, add the incoming lanes, write the sum back.
 * The `out` stream reads words in generator order toward the psum router (into the bottom of
 * a PE column, or off-chip).
 *
 * Accumulation is pipelined at one word per cycle: the read is issued when the word is
 * accepted, the sum is written the next cycle, and a read that the SRAM answered with the
 * word being written that same cycle (read-first) takes the fresh sum from a bypass register
 * instead, so repeated addresses accumulate correctly back to back. Accumulation owns the
 * SRAM read port in the cycles it accepts a word; the out stream issues its reads in the
 * others. With `bypass` set (static for a layer) the `in` stream leaves on `drain` instead, to
 * off-chip: final sums do not pass through the GLB [spec 1].
 */
export const GlbPsumBank = defineModule('GlbPsumBank', (m, p: GlbPsumBankParams) => {
  if (p.width % p.lanes !== 0) throw new Error(`GlbPsumBank: width ${p.width} is not a whole number of ${p.lanes} lanes`);
  const aw = log2Ceil(p.depth);
  const lw = p.width / p.lanes;
  const g = { depth: p.depth, countWidth: p.countWidth };
  const inp = m.input('in', Decoupled(UInt(p.width)));
  const out = m.output('out', Decoupled(UInt(p.width)));
  const inStart = m.input('in_start', Bool());
  const outStart = m.input('out_start', Bool());
  const inCfg = m.input('in_cfg', Bundle({ accumulate: Bool(), addr: addrGenCfg(g) }));
  const outCfg = m.input('out_cfg', addrGenCfg(g));
  const inBusy = m.output('in_busy', Bool());
  const outBusy = m.output('out_busy', Bool());
  const bypass = m.input('bypass', Bool());
  const drain = m.output('drain', Decoupled(UInt(p.width)));

  const sram = m.instance('sram', SRAM, { depth: p.depth, width: p.width });
  const igen = m.instance('in_gen', AddrGen, g);
  const ogen = m.instance('out_gen', AddrGen, g);
  m.connect(igen.cfg, inCfg.addr);
  m.connect(ogen.cfg, outCfg);
  igen.start.set(inStart);
  ogen.start.set(outStart);
  inBusy.set(igen.valid);
  outBusy.set(ogen.valid);

  // Stage 1 of an accumulation: the word whose old value the SRAM returns this cycle.
  const s1Valid = m.reg('s1_valid', Bool(), { init: 0 });
  const s1Addr = m.reg('s1_addr', UInt(aw));
  const s1Data = m.reg('s1_data', UInt(p.width));
  // The last sum written, for a read that raced it.
  const fwdValid = m.reg('fwd_valid', Bool(), { init: 0 });
  const fwdAddr = m.reg('fwd_addr', UInt(aw));
  const fwdData = m.reg('fwd_data', UInt(p.width));

  const acc = inCfg.accumulate;
  // A write-through word waits while an accumulation still owns the write port.
  inp.ready.set(mux(bypass, drain.ready, igen.valid.and(acc.or(s1Valid.not()))));
  drain.valid.set(inp.valid.and(bypass));
  drain.bits.set(inp.bits);
  const take = m.node('take', inp.valid.and(inp.ready).and(bypass.not()));
  igen.next.set(take);
  const rmwRead = m.node('rmw_read', take.and(acc));

  const old = m.node('old', mux(fwdValid.and(fwdAddr.eq(s1Addr)), fwdData, sram.rd_data));
  const lanes: Expr[] = [];
  for (let l = p.lanes - 1; l >= 0; l--) lanes.push(old.bits(l * lw + lw - 1, l * lw).addWrap(s1Data.bits(l * lw + lw - 1, l * lw)));
  const sum = m.node('sum', cat(...lanes));

  s1Valid.set(rmwRead);
  m.when(rmwRead, () => {
    s1Addr.set(igen.addr);
    s1Data.set(inp.bits);
  });
  fwdValid.set(s1Valid);
  m.when(s1Valid, () => {
    fwdAddr.set(s1Addr);
    fwdData.set(sum);
  });

  sram.wr_en.set(s1Valid.or(take.and(acc.not())));
  sram.wr_addr.set(mux(s1Valid, s1Addr, igen.addr));
  sram.wr_data.set(mux(s1Valid, sum, inp.bits));

  const issue = readQueue(m, 'out', out, sram.rd_data, ogen.valid, rmwRead.not());
  ogen.next.set(issue);
  sram.rd_en.set(rmwRead.or(issue));
  sram.rd_addr.set(mux(rmwRead, igen.addr, ogen.addr));
  return { in: inp, out, in_start: inStart, out_start: outStart, in_cfg: inCfg, out_cfg: outCfg, in_busy: inBusy, out_busy: outBusy, bypass, drain };
});
