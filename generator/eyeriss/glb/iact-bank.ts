import { Bool, Decoupled, UInt, defineModule, lit, mux, SRAM } from '../../dsl/index.js';
import { AddrGen, addrGenCfg } from './addr-gen.js';
import { readQueue } from './read-queue.js';

export interface GlbBankParams {
  depth: number;
  width: number;
  countWidth: number;
}

/**
 * One GLB iact bank: an SRAM with a write stream (incoming iacts, stored at the addresses of
 * the write generator, normally base + i) and a read stream (to the iact router, in the
 * mapping order of the read generator). Each stream runs one generator sequence per start
 * pulse; `*_busy` stays high until its last address is used. Reads and writes of the same
 * address at the same time are the controller's to avoid: the SRAM returns the old word.
 * With `bypass` set the port forwards incoming iacts straight to the router, the paper's "GLB
 * bank or off-chip I/O" choice for a GLB-cluster port; a write sequence started in bypass also
 * stores the words it forwards (IactStager's store-and-forward), else the SRAM sits idle.
 */
export const GlbIactBank = defineModule('GlbIactBank', (m, p: GlbBankParams) => {
  const g = { depth: p.depth, countWidth: p.countWidth };
  const wr = m.input('wr', Decoupled(UInt(p.width)));
  const rd = m.output('rd', Decoupled(UInt(p.width)));
  const wrStart = m.input('wr_start', Bool());
  const rdStart = m.input('rd_start', Bool());
  const wrCfg = m.input('wr_cfg', addrGenCfg(g));
  const rdCfg = m.input('rd_cfg', addrGenCfg(g));
  const wrBusy = m.output('wr_busy', Bool());
  const rdBusy = m.output('rd_busy', Bool());
  const bypass = m.input('bypass', Bool());

  const sram = m.instance('sram', SRAM, { depth: p.depth, width: p.width });
  const wgen = m.instance('wr_gen', AddrGen, g);
  const rgen = m.instance('rd_gen', AddrGen, g);
  m.connect(wgen.cfg, wrCfg);
  m.connect(rgen.cfg, rdCfg);
  wgen.start.set(wrStart);
  rgen.start.set(rdStart);
  wrBusy.set(wgen.valid);
  rdBusy.set(rgen.valid);

  const queued = m.wire('queued', Decoupled(UInt(p.width)));
  wr.ready.set(mux(bypass, rd.ready, wgen.valid));
  // In bypass a running write generator also stores the forwarded words (store-and-forward).
  const write = m.node('write', wr.valid.and(wr.ready).and(wgen.valid));
  wgen.next.set(write);
  sram.wr_en.set(write);
  sram.wr_addr.set(wgen.addr);
  sram.wr_data.set(wr.bits);

  const issue = readQueue(m, 'rd', queued, sram.rd_data, rgen.valid.and(bypass.not()), lit(1, 1));
  rgen.next.set(issue);
  sram.rd_en.set(issue);
  sram.rd_addr.set(rgen.addr);
  rd.valid.set(mux(bypass, wr.valid, queued.valid));
  rd.bits.set(mux(bypass, wr.bits, queued.bits));
  queued.ready.set(rd.ready.and(bypass.not()));
  return { wr, rd, wr_start: wrStart, rd_start: rdStart, wr_cfg: wrCfg, rd_cfg: rdCfg, wr_busy: wrBusy, rd_busy: rdBusy, bypass };
});
