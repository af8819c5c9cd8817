// The system controller's two walks (docs/system.md, "Layer descriptor"): the fetch walk reads a
// layer's descriptor and tables and loads its input streams, up to one layer ahead of the core;
// the out walk loads the running layer's out streams into the write DMA.
import { Bool, UInt, lit, mux, type Expr, type ModuleBuilder, type Signal } from '../../dsl/index.js';
import { AXI_ADDR_BITS } from '../../../spec/axi.js';
import {
  DESC_GATHER_DST,
  DESC_GATHER_ENTRIES,
  DESC_GATHER_LIST,
  DESC_MAGIC,
  DESC_WORDS,
  RD_CFG,
  RD_DESC,
  RD_FIRST_INPUT,
  RD_IN_ADDRS,
  RD_IN_COUNTS,
  RD_OUT_ADDRS,
  RD_OUT_COUNTS,
  SYS_ERR,
  inputStreams,
  inputStreamsPerCluster,
  outSlots,
  outStreams,
  rdGather,
  wrGather,
  type SystemParams,
} from '../../../spec/system.js';
import { selectBy } from '../axi/common.js';
import type { Port } from './streams.js';

type Load = { valid: Signal; ready: Signal; bits: { stream: Signal; addr: Signal; words: Signal } };

/** Slots for `count` items (two slots each when `two`); past the DMA's count width is a bad length. */
function slotsFor(m: ModuleBuilder, name: string, count: Expr, two: Expr, countBits: number) {
  const slots = m.node(`${name}_slots`, mux(two, count.zext(33).shl(1).trunc(33), count.zext(33)));
  return { slots: slots.trunc(countBits), tooLong: m.node(`${name}_too_long`, slots.shr(countBits).ne(0)) };
}

const FETCH_STATES = { F_IDLE: 0, F_FETCH: 1, F_DESC: 2, F_TABLE: 3, F_WAIT: 4, F_GWAIT: 5, F_GLOAD: 6, F_GRUN: 7 } as const;

/** Drives the load port with the one of `loads` ([valid, stream, address, words], exclusive) that is valid, tagged `tag`. */
function driveLoad(load: Load, loads: [Expr, Expr | number, Expr, Expr | number][], tag: Expr, countBits: number): void {
  const pick = loads.map((l) => l[0]);
  const sel = (i: 1 | 2 | 3, width: number): Expr =>
    selectBy(
      pick,
      loads.map((l) => (typeof l[i] === 'number' ? lit(l[i], width) : l[i])),
      width,
    );
  load.valid.set(pick.reduce((a, b) => a.or(b)));
  load.bits.stream.set(sel(1, load.bits.stream.width));
  load.bits.addr.set(sel(2, AXI_ADDR_BITS));
  load.bits.words.set(sel(3, countBits));
  (load.bits as unknown as { tag: Signal }).tag.set(tag);
}

/** The fetch walk's registers that descriptor header words set. */
interface HeaderRegs {
  fstate: Signal;
  fTag: Signal;
  fRequant: Signal;
  next: Signal;
  idx: Signal;
  cfgCount: Signal;
  inLeft: Signal;
  inStream: Signal;
  kind: Signal;
  /** The gather's list, entry count and destination (descriptor words 9-11). */
  gather: [Signal, Signal, Signal];
}

/** The fetch walk taking header word `idx` (call inside the `when` that takes it). */
function readHeaderWord(
  m: ModuleBuilder,
  {
    w,
    regs: r,
    word,
    cfgTooLong,
    inputs,
  }: { w: { ep: Expr; requant: Signal; error: (code: number) => void }; regs: HeaderRegs; word: Expr; cfgTooLong: Expr; inputs: number },
): void {
  const { F_TABLE, F_GWAIT } = FETCH_STATES;
  const { idx } = r;
  idx.set(idx.addWrap(1));
  m.when(idx.eq(0).and(word.ne(DESC_MAGIC)), () => w.error(SYS_ERR.badMagic));
  m.when(idx.eq(1), () => r.next.set(word));
  m.when(idx.eq(2), () => r.cfgCount.set(word));
  m.when(idx.eq(3).and(cfgTooLong), () => w.error(SYS_ERR.badLength));
  // The flag of the running layer applies at once; a layer ahead's waits for its start.
  m.when(idx.eq(4), () => m.when(r.fTag.eq(w.ep), () => w.requant.set(word.bit(0))).otherwise(() => r.fRequant.set(word.bit(0))));
  const gatherWords = [DESC_GATHER_LIST, DESC_GATHER_ENTRIES, DESC_GATHER_DST] as const;
  r.gather.forEach((reg, i) => m.when(idx.eq(gatherWords[i]!), () => reg.set(word)));
  m.when(idx.eq(DESC_WORDS - 1), () => {
    r.inLeft.set(inputs);
    r.inStream.set(RD_FIRST_INPUT);
    r.kind.set(0);
    r.fstate.set(mux(r.gather[1].eq(0), lit(F_TABLE, 3), lit(F_GWAIT, 3)));
  });
}

/**
 * The fetch walk: the header words, one a cycle, load the configuration stream and the four
 * tables; then one input stream a cycle from the input tables, each load tagged `fetch_tag`. Once
 * it has loaded the running layer's (tag `ep`), it follows `next` to the layer ahead, whose
 * requantize flag waits in `fetch_requant` for its start. `walked`: the running layer's loads are
 * all in, and the layer ahead's descriptor is read. A layer with gather entries waits, before its input streams, until the layer before
 * it has every output written (`settled`), then loads the entry list and the gathered words'
 * region (`gatherLoad`, into the write DMA) and waits for both to be through; the layer before
 * does not end meanwhile (`gathering`). Call `begin(addr)` on start and `halt()` on an error,
 * each inside a `when`.
 */
export function fetchWalk(
  m: ModuleBuilder,
  w: { s: SystemParams; raw: (k: number) => Port; load: Load; ep: Expr; requant: Signal; settled: Expr; error: (code: number) => void },
) {
  const { s, raw, load, ep } = w;
  const p = s.chip;
  const { F_IDLE, F_FETCH, F_DESC, F_TABLE, F_WAIT, F_GWAIT, F_GLOAD, F_GRUN } = FETCH_STATES;
  const fstate = m.reg('fetch_state', UInt(3), { init: F_IDLE });
  const fTag = m.reg('fetch_tag', UInt(1), { init: 0 });
  const fRequant = m.reg('fetch_requant', Bool(), { init: 0 });
  const curDesc = m.reg('cur_desc', UInt(AXI_ADDR_BITS), { init: 0 });
  const next = m.reg('next_desc', UInt(AXI_ADDR_BITS), { init: 0 });
  const idx = m.reg('desc_idx', UInt(16), { init: 0 });
  const cfgCount = m.reg('cfg_count', UInt(32), { init: 0 });
  const inLeft = m.reg('in_left', UInt(16), { init: 0 });
  const inStream = m.reg('in_stream', UInt(16), { init: 0 });
  const kind = m.reg('in_kind', UInt(8), { init: 0 });
  const [gList, gEntries, gDst] = ['gather_list', 'gather_entries', 'gather_dst'].map((n) => m.reg(n, UInt(32), { init: 0 })) as [Signal, Signal, Signal];
  const regs: HeaderRegs = { fstate, fTag, fRequant, next, idx, cfgCount, inLeft, inStream, kind, gather: [gList, gEntries, gDst] };

  const descIn = raw(RD_DESC);
  const word = descIn.bits.bits(31, 0);
  const inAddr = raw(RD_IN_ADDRS);
  const inCount = raw(RD_IN_COUNTS);
  const cfg = slotsFor(m, 'cfg', cfgCount, lit(1, 1), s.countBits);
  const inSlots = slotsFor(m, 'in', inCount.bits.bits(31, 0), kind.eq(0), s.countBits);
  const gSlots = slotsFor(m, 'gather', gEntries, lit(1, 1), s.countBits);
  // What the walk loads this cycle (the states are exclusive): [valid, stream, address, words].
  const header = fstate.eq(F_DESC).and(descIn.valid);
  const loads: [Expr, Expr | number, Expr, Expr | number][] = [
    [fstate.eq(F_FETCH), RD_DESC, curDesc, DESC_WORDS],
    [header.and(idx.eq(3)).and(cfg.tooLong.not()), RD_CFG, word, cfg.slots],
    ...[RD_IN_ADDRS, RD_IN_COUNTS, RD_OUT_ADDRS, RD_OUT_COUNTS].map((k, i): [Expr, number, Expr, number] => [
      header.and(idx.eq(5 + i)),
      k,
      word,
      k < RD_OUT_ADDRS ? inputStreams(p) : outStreams(p),
    ]),
    [
      fstate.eq(F_TABLE).and(inLeft.ne(0)).and(inAddr.valid).and(inCount.valid).and(inSlots.tooLong.not()),
      inStream.trunc(load.bits.stream.width),
      inAddr.bits.bits(31, 0),
      inSlots.slots,
    ],
    [fstate.eq(F_GLOAD), rdGather(p), gList, gSlots.slots],
  ];
  driveLoad(load, loads, fTag, s.countBits);
  // A header word that loads nothing goes at once; one that loads goes with its load.
  const descLoads = m.node(
    'desc_loads',
    idx
      .eq(3)
      .and(cfg.tooLong.not())
      .or(idx.ge(5).and(idx.le(8))),
  );
  descIn.ready.set(fstate.eq(F_DESC).and(descLoads.not().or(load.ready)));
  const take = m.node('desc_take', descIn.valid.and(descIn.ready));
  const inPair = m.node('in_pair', fstate.eq(F_TABLE).and(inLeft.ne(0)).and(inAddr.valid).and(inCount.valid).and(inSlots.tooLong.or(load.ready)));
  inAddr.ready.set(inPair);
  inCount.ready.set(inPair);

  m.when(fstate.eq(F_FETCH).and(load.ready), () => {
    idx.set(0);
    fstate.set(F_DESC);
  });
  m.when(take, () => readHeaderWord(m, { w, regs, word, cfgTooLong: cfg.tooLong, inputs: inputStreams(p) }));
  // A gather's entries and its words are counted alike (one word per entry), in slots.
  // The region's write load goes first (F_GWAIT), the entry list's read load after it (F_GLOAD).
  const gatherLoad = { valid: m.node('gather_wr_valid', fstate.eq(F_GWAIT).and(w.settled).and(gSlots.tooLong.not())), addr: gDst, words: gSlots.slots.shr(1) };
  m.when(fstate.eq(F_GWAIT).and(gSlots.tooLong), () => w.error(SYS_ERR.badLength));
  m.when(fstate.eq(F_GLOAD).and(load.ready), () => fstate.set(F_GRUN));
  m.when(inPair, () => {
    m.when(inSlots.tooLong, () => w.error(SYS_ERR.badLength));
    inLeft.set(inLeft.subWrap(1));
    inStream.set(inStream.addWrap(1));
    kind.set(mux(kind.eq(inputStreamsPerCluster(p) - 1), lit(0, 8), kind.addWrap(1)).trunc(8));
  });
  m.when(fstate.eq(F_TABLE).and(inLeft.eq(0)), () => fstate.set(mux(next.eq(0), lit(F_IDLE, 3), lit(F_WAIT, 3))));
  // The gather is through once the write DMA has answered every word of the region.
  m.when(fstate.eq(F_GRUN).and(w.settled), () => fstate.set(F_TABLE));
  // A walk ahead of the running layer waits for it to end; the running layer's goes on to the next.
  m.when(fstate.eq(F_WAIT).and(fTag.eq(ep)), () => {
    fstate.set(F_FETCH);
    fTag.set(fTag.not());
    curDesc.set(next);
  });
  return {
    /** A layer ahead of the running one is being fetched or waits. */
    ahead: m.node('ahead', fTag.ne(ep)),
    // A walk ahead must have read its layer's descriptor first: a layer that gathers holds the one before it open (`gathering`).
    walked: m.node('walked', fTag.ne(ep).and(fstate.ne(F_FETCH)).and(fstate.ne(F_DESC)).or(fstate.eq(F_IDLE)).or(fstate.eq(F_WAIT))),
    gathering: m.node('gathering', fstate.ge(F_GWAIT)),
    gatherLoad: {
      ...gatherLoad,
      /** Call inside a `when` on the write DMA taking the load. */
      taken: (): void => fstate.set(F_GLOAD),
    },
    fetchRequant: fRequant,
    begin: (addr: Expr): void => {
      fstate.set(F_FETCH);
      fTag.set(ep);
      curDesc.set(addr);
    },
    halt: (): void => fstate.set(F_IDLE),
  };
}

/**
 * The out walk: one (address, count) pair of the running layer's out tables a cycle, each loaded
 * into the write DMA once its stream has written the layer before. The fetch walk's gather load
 * (only once this walk is done) shares the write DMA's load port. Call `restart()` when a layer
 * starts, inside a `when`; `done`: every out stream of the running layer is loaded.
 */
export function outWalk(
  m: ModuleBuilder,
  w: {
    s: SystemParams;
    running: (k: number) => Port;
    load: Load;
    busy: Expr;
    requant: Expr;
    gather: ReturnType<typeof fetchWalk>['gatherLoad'];
    error: (code: number) => void;
  },
) {
  const outs = outStreams(w.s.chip);
  const outAddr = w.running(RD_OUT_ADDRS);
  const outCount = w.running(RD_OUT_COUNTS);
  const outLeft = m.reg('out_left', UInt(16), { init: 0 });
  const outStream = m.reg('out_stream', UInt(16), { init: 0 });
  const slots = slotsFor(m, 'out', outCount.bits, outSlots(w.s.chip, false) === 2 ? w.requant.not() : lit(0, 1), w.s.countBits);
  const pair = m.node('out_pair', w.busy.and(outLeft.ne(0)).and(outAddr.valid).and(outCount.valid).and(slots.tooLong.or(w.load.ready)));
  outAddr.ready.set(pair);
  outCount.ready.set(pair);
  const g = w.gather;
  w.load.valid.set(pair.and(slots.tooLong.not()).or(g.valid));
  w.load.bits.stream.set(mux(g.valid, lit(wrGather(w.s.chip), w.load.bits.stream.width), outStream.trunc(w.load.bits.stream.width)));
  w.load.bits.addr.set(mux(g.valid, g.addr, outAddr.bits));
  w.load.bits.words.set(mux(g.valid, g.words, slots.slots));
  m.when(g.valid.and(w.load.ready), g.taken);
  m.when(pair, () => {
    m.when(slots.tooLong, () => w.error(SYS_ERR.badLength));
    outLeft.set(outLeft.subWrap(1));
    outStream.set(outStream.addWrap(1));
  });
  return {
    done: outLeft.eq(0),
    restart: (): void => {
      outLeft.set(outs);
      outStream.set(0);
    },
  };
}
