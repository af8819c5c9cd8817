import { Bool, Decoupled, UInt, defineModule, mux } from '../../dsl/index.js';
import { iactSegmentFields, SEG_REPLAY, SEG_STORE } from '../../../spec/chip/format.js';
import { addrGenCfg } from './addr-gen.js';

export interface IactStagerParams {
  /** Words of the GLB iact bank it runs. */
  depth: number;
  /** Bits of an iact word (and of a segment header). */
  width: number;
  /** Bits of the bank's address generator counts. */
  countWidth: number;
}

/**
 * The sequencer of one GLB iact port (spec/chip/format.ts, "Iact port segments"). With `staged`
 * clear, off-chip words pass to the bank port, which forwards them (bypass). With it set the
 * off-chip stream is segments: a header word, then `pass` forwards count words, `store` forwards
 * them while the bank writes them at base.., `replay` has the bank read count words from base..
 * and takes nothing from off-chip. A segment ends when its count of words has reached the router
 * (`rd_valid && rd_ready`), so a replay's read queue is empty before the port forwards again and
 * no segment ever sees another's words; the next header is taken the cycle after. A store or
 * replay counts modulo 2^countWidth (its generator's count), so no header can hang the port; a
 * header whose count comes to 0 is a no-op; kind 3 acts as pass. `idle`: no segment is running.
 */
export const IactStager = defineModule(
  'IactStager',
  (m, p: IactStagerParams) => {
    const g = { depth: p.depth, countWidth: p.countWidth };
    const inp = m.input('in', Decoupled(UInt(p.width)));
    const staged = m.input('staged', Bool());
    const wr = m.output('wr', Decoupled(UInt(p.width)));
    const bypass = m.output('bypass', Bool());
    const wrStart = m.output('wr_start', Bool());
    const rdStart = m.output('rd_start', Bool());
    const wrCfg = m.output('wr_cfg', addrGenCfg(g));
    const rdCfg = m.output('rd_cfg', addrGenCfg(g));
    const wrBusy = m.input('wr_busy', Bool());
    const rdValid = m.input('rd_valid', Bool());
    const rdReady = m.input('rd_ready', Bool());
    const idle = m.output('idle', Bool());

    const fields = Object.fromEntries(iactSegmentFields(p.width, p.depth).map((f) => [f.name, f]));
    const field = (name: string) => inp.bits.bits(fields[name]!.offset + fields[name]!.width - 1, fields[name]!.offset);
    const countBits = fields.count!.width;
    const running = m.reg('running', Bool(), { init: 0 });
    const kind = m.reg('kind', UInt(fields.kind!.width), { init: 0 });
    const base = m.reg('base', UInt(fields.base!.width), { init: 0 });
    const count = m.reg('count', UInt(countBits), { init: 0 });
    const seen = m.reg('seen', UInt(countBits), { init: 0 });
    const header = m.node('header', staged.and(running.not()).and(inp.valid));
    const headerKind = field('kind');
    // A store or replay runs the bank's generator, whose count has countWidth bits: the segment
    // takes the count modulo that, so the port and the generator always agree on its length.
    const bankSeg = headerKind.eq(SEG_STORE).or(headerKind.eq(SEG_REPLAY));
    const genCount = countBits > p.countWidth ? field('count').trunc(p.countWidth).zext(countBits) : field('count');
    const length = m.node('length', mux(bankSeg, genCount, field('count')));
    const startSeg = m.node('start_seg', header.and(length.ne(0)));
    // The generators load the held base/count the cycle after the header.
    const kick = m.regNext('kick', startSeg, { init: 0 });
    const isStore = m.node('is_store', kind.eq(SEG_STORE));
    const isReplay = m.node('is_replay', kind.eq(SEG_REPLAY));
    // A store's first word waits for the write generator, so every forwarded word is also written.
    const flow = m.node('flow', running.and(isReplay.not()).and(isStore.not().or(wrBusy)));
    const delivered = m.node('delivered', running.and(rdValid).and(rdReady));

    wr.valid.set(mux(staged, inp.valid.and(flow), inp.valid));
    wr.bits.set(inp.bits);
    inp.ready.set(mux(staged, mux(running, wr.ready.and(flow), 1), wr.ready));
    bypass.set(running.and(isReplay).not());
    wrStart.set(kick.and(isStore));
    rdStart.set(kick.and(isReplay));
    for (const c of [wrCfg, rdCfg]) {
      c.base.set(base);
      c.stride0.set(1);
      c.count0.set(countBits >= p.countWidth ? count.trunc(p.countWidth) : count.zext(p.countWidth));
      c.stride1.set(0);
      c.count1.set(1);
    }
    idle.set(running.not());

    m.when(startSeg, () => {
      running.set(1);
      kind.set(headerKind);
      base.set(field('base'));
      count.set(length);
      seen.set(0);
    }).elsewhen(delivered, () => {
      m.when(seen.eq(count.subWrap(1)), () => running.set(0)).otherwise(() => seen.set(seen.addWrap(1)));
    });
    return {
      in: inp,
      staged,
      wr,
      bypass,
      wr_start: wrStart,
      rd_start: rdStart,
      wr_cfg: wrCfg,
      rd_cfg: rdCfg,
      wr_busy: wrBusy,
      rd_valid: rdValid,
      rd_ready: rdReady,
      idle,
    };
  },
  { nameFor: (p) => `IactStager_d${p.depth}w${p.width}c${p.countWidth}` },
);
