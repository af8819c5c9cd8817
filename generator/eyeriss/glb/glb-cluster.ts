import { Bool, Bundle, Decoupled, UInt, Vec, defineModule } from '../../dsl/index.js';
import type { GlbParams } from '../../../spec/glb.js';
import { addrGenCfg } from './addr-gen.js';
import { GlbIactBank } from './iact-bank.js';
import { GlbPsumBank } from './psum-bank.js';

/**
 * The GLB cluster: `iactBanks` iact banks and `psumBanks` psum banks, each with its streams
 * and address generators, ports grouped per bank in Vecs (see glb/README.md).
 */
export const GlbCluster = defineModule(
  'GlbCluster',
  (m, p: GlbParams) => {
    const ig = { depth: p.iactDepth, countWidth: p.countWidth };
    const pg = { depth: p.psumDepth, countWidth: p.countWidth };
    const nI = p.iactBanks;
    const nP = p.psumBanks;
    const io = {
      iact_wr: m.input('iact_wr', Vec(nI, Decoupled(UInt(p.iactWidth)))),
      iact_rd: m.output('iact_rd', Vec(nI, Decoupled(UInt(p.iactWidth)))),
      iact_wr_start: m.input('iact_wr_start', Vec(nI, Bool())),
      iact_rd_start: m.input('iact_rd_start', Vec(nI, Bool())),
      iact_wr_cfg: m.input('iact_wr_cfg', Vec(nI, addrGenCfg(ig))),
      iact_rd_cfg: m.input('iact_rd_cfg', Vec(nI, addrGenCfg(ig))),
      iact_wr_busy: m.output('iact_wr_busy', Vec(nI, Bool())),
      iact_rd_busy: m.output('iact_rd_busy', Vec(nI, Bool())),
      iact_bypass: m.input('iact_bypass', Vec(nI, Bool())),
      psum_in: m.input('psum_in', Vec(nP, Decoupled(UInt(p.psumWidth)))),
      psum_out: m.output('psum_out', Vec(nP, Decoupled(UInt(p.psumWidth)))),
      psum_in_start: m.input('psum_in_start', Vec(nP, Bool())),
      psum_out_start: m.input('psum_out_start', Vec(nP, Bool())),
      psum_in_cfg: m.input('psum_in_cfg', Vec(nP, Bundle({ accumulate: Bool(), addr: addrGenCfg(pg) }))),
      psum_out_cfg: m.input('psum_out_cfg', Vec(nP, addrGenCfg(pg))),
      psum_in_busy: m.output('psum_in_busy', Vec(nP, Bool())),
      psum_out_busy: m.output('psum_out_busy', Vec(nP, Bool())),
      psum_bypass: m.input('psum_bypass', Vec(nP, Bool())),
      psum_drain: m.output('psum_drain', Vec(nP, Decoupled(UInt(p.psumWidth)))),
    };
    for (let b = 0; b < nI; b++) {
      const bank = m.instance(`iact_bank_${b}`, GlbIactBank, { depth: p.iactDepth, width: p.iactWidth, countWidth: p.countWidth });
      m.connect(bank.wr, io.iact_wr.get(b));
      m.connect(io.iact_rd.get(b), bank.rd);
      bank.wr_start.set(io.iact_wr_start.get(b));
      bank.rd_start.set(io.iact_rd_start.get(b));
      m.connect(bank.wr_cfg, io.iact_wr_cfg.get(b));
      m.connect(bank.rd_cfg, io.iact_rd_cfg.get(b));
      io.iact_wr_busy.get(b).set(bank.wr_busy);
      io.iact_rd_busy.get(b).set(bank.rd_busy);
      bank.bypass.set(io.iact_bypass.get(b));
    }
    for (let b = 0; b < nP; b++) {
      const bank = m.instance(`psum_bank_${b}`, GlbPsumBank, { depth: p.psumDepth, width: p.psumWidth, lanes: p.psumLanes, countWidth: p.countWidth });
      m.connect(bank.in, io.psum_in.get(b));
      m.connect(io.psum_out.get(b), bank.out);
      bank.in_start.set(io.psum_in_start.get(b));
      bank.out_start.set(io.psum_out_start.get(b));
      m.connect(bank.in_cfg, io.psum_in_cfg.get(b));
      m.connect(bank.out_cfg, io.psum_out_cfg.get(b));
      io.psum_in_busy.get(b).set(bank.in_busy);
      io.psum_out_busy.get(b).set(bank.out_busy);
      bank.bypass.set(io.psum_bypass.get(b));
      m.connect(io.psum_drain.get(b), bank.drain);
    }
    return io;
  },
  {
    nameFor: (p) => `GlbCluster_i${p.iactBanks}x${p.iactDepth}x${p.iactWidth}_p${p.psumBanks}x${p.psumDepth}x${p.psumWidth}l${p.psumLanes}_c${p.countWidth}`,
  },
);
