import { Bool, UInt, lit, mux, type Expr, type Mem, type ModuleBuilder } from '../../dsl/index.js';
import { fit } from './fit.js';
import { DATA_BITS, PAIR_WIDTH, peWidths, type PeParams } from '../../../spec/pe/params.js';

export interface IactFetchInputs {
  /** A job was accepted this cycle: restart the walk. */
  start: Expr;
  /** Compute phase and not frozen: the pipeline advances this cycle. */
  run: Expr;
  /** The token register is emptied by stage B this cycle. */
  tokenTaken: Expr;
  iactAddr: Mem;
  iactData: Mem;
  /** Iact address entries / data entries received so far in this job (absolute counts). */
  segsLoaded: Expr;
  entriesLoaded: Expr;
  cfg: {
    segLen: Expr;
    winSegs: Expr;
    strideSegs: Expr;
    nWin: Expr;
    m0: Expr;
    iactDense: Expr;
  };
}

/**
 * Stage A: walks window by window over the window's segments in the circular iact SPads and
 * hands each non-zero iact, with its weight column and its window's first psum row, to stage B
 * through a one-entry token register. A zero value (dense mode) costs a cycle here but no
 * token; a run of empty segments costs nothing unless it ends the window (then one cycle). The
 * stage also tells the loaders which entries are still needed: nothing before the current
 * window's first segment is read again.
 */
export function buildIactFetch(m: ModuleBuilder, p: PeParams, io: IactFetchInputs) {
  const w = peWidths(p);
  const { cfg } = io;
  const regs = declareWalkRegs(m, p);
  const { aSegOff, aSeg, aSlot, aPtr, aAbs, aPosBase, aColBase, aWinRow, winSeg, winAbs, aDone, tValid, tVal, tCol, tRow } = regs;

  // The leading run of loaded, empty segments left in this window is passed in the same cycle
  // as the entry after it, so empty segments cost no cycles of their own. An empty segment's
  // end pointer equals its start, which is aPtr for every segment of the run.
  const skip = m.wire('a_skip', UInt(w.segCount));
  skip.set(p.iactAddrDepth);
  for (let j = p.iactAddrDepth - 1; j >= 0; j--) {
    const inWindow = aSegOff.add(j).lt(cfg.winSegs);
    const loaded = io.segsLoaded.gt(aSeg.add(j));
    const empty = io.iactAddr.read(slotPlus(p, aSlot, lit(j, w.segCount))).eq(aPtr);
    // Visiting j downwards, the last connect leaves the first segment that is not skippable.
    m.when(cfg.iactDense.or(inWindow.not()).or(loaded.not()).or(empty.not()), () => skip.set(j));
  }
  const allEmpty = m.node('a_all_empty', aSegOff.add(skip).ge(cfg.winSegs));
  const segOff = m.node('a_eff_seg_off', aSegOff.add(skip));
  const seg = m.node('a_eff_seg', aSeg.addWrap(fit(skip, w.segStream)));
  const slot = m.node('a_eff_slot', slotPlus(p, aSlot, skip));
  const colBase = m.node('a_eff_col_base', aColBase.addWrap(fit(skip.mul(cfg.segLen), w.colCount)));
  const posBase = m.node('a_eff_pos_base', mux(skip.eq(0), aPosBase, lit(0, w.iactCount)));

  const entry = m.node('a_entry', io.iactData.read(aPtr));
  const value = m.node('a_value', entry.bits(DATA_BITS - 1, 0));
  const count = m.node('a_count', mux(cfg.iactDense, lit(0, PAIR_WIDTH - DATA_BITS), entry.bits(PAIR_WIDTH - 1, DATA_BITS)));
  const segEnd = m.node('a_seg_end', io.iactAddr.read(slot));
  // Dense segments have no end pointer: their length is segLen and the count is always 0.
  const has = m.node('a_has', allEmpty.not().and(mux(cfg.iactDense, posBase.lt(cfg.segLen), aPtr.ne(segEnd))));
  const last = m.node('a_last', mux(cfg.iactDense, posBase.add(1).ge(cfg.segLen), aPtr.addWrap(1).eq(segEnd)));
  const segDone = m.node('a_seg_done', has.not().or(last));
  const winDone = m.node('a_win_done', allEmpty.or(segOff.add(1).eq(cfg.winSegs)));
  const pos = m.node('a_pos', posBase.addWrap(fit(count, w.iactCount)));
  const emits = m.node('a_emits', has.and(value.orR()));

  const segReady = m.node('a_seg_ready', cfg.iactDense.or(allEmpty).or(io.segsLoaded.gt(seg)));
  const dataReady = m.node('a_data_ready', io.entriesLoaded.gt(aAbs));
  const starved = m.node('a_starved', aDone.not().and(segReady.not().or(has.and(dataReady.not()))));
  const stall = m.node('a_stall', emits.and(tValid).and(io.tokenTaken.not()));
  const go = m.node('a_go', io.run.and(aDone.not()).and(stall.not()));

  const endPtr = m.node('a_end_ptr', mux(has, aPtr.addWrap(1), aPtr));
  const endAbs = m.node('a_end_abs', mux(has, aAbs.addWrap(1), aAbs));
  // The next window starts after this window's segment strideSegs-1: either the segment that
  // ends this cycle, or one of the empty segments skipped now (then it starts at aPtr).
  const startsNext = m.node('a_starts_next', allEmpty.not().and(segOff.add(1).eq(cfg.strideSegs)));
  const skipsStart = m.node('a_skips_start', aSegOff.lt(cfg.strideSegs).and(segOff.ge(cfg.strideSegs)));

  const walk = { go, segOff, seg, slot, colBase, posBase, has, endPtr, endAbs, pos, segDone, startsNext, skipsStart, winDone };
  advanceWalk(m, p, io, regs, walk);
  m.when(io.tokenTaken, () => tValid.set(0));
  m.when(go.and(emits), () => {
    tValid.set(1);
    tVal.set(value);
    tCol.set(colBase.addWrap(fit(pos, w.colCount)).trunc(w.weightAddrIndex));
    tRow.set(aWinRow);
  });

  return {
    token: { valid: tValid, value: tVal, col: tCol, row: tRow },
    done: aDone,
    starved,
    /** Oldest segment / data entry still needed; the loaders may overwrite anything older. */
    firstNeededSeg: winSeg,
    firstNeededEntry: winAbs,
  };
}

/** Stage A's walk position, its current window and next window, and the token register. */
function declareWalkRegs(m: ModuleBuilder, p: PeParams) {
  const w = peWidths(p);
  const ptrW = w.iactPtr;
  const aWin = m.reg('a_win', UInt(w.psumCount));
  const aSegOff = m.reg('a_seg_off', UInt(w.segCount));
  const aSeg = m.reg('a_seg', UInt(w.segStream));
  const aSlot = m.reg('a_slot', UInt(w.iactAddrIndex));
  const aPtr = m.reg('a_ptr', UInt(ptrW));
  const aAbs = m.reg('a_abs', UInt(w.iactStream));
  const aPosBase = m.reg('a_pos_base', UInt(w.iactCount));
  const aColBase = m.reg('a_col_base', UInt(w.colCount));
  const aWinRow = m.reg('a_win_row', UInt(w.psumIndex));
  // First segment of the current window, and the start of the next window once seen.
  const winSeg = m.reg('a_win_seg', UInt(w.segStream));
  const winSlot = m.reg('a_win_slot', UInt(w.iactAddrIndex));
  const winAbs = m.reg('a_win_abs', UInt(w.iactStream));
  const nextPtr = m.reg('a_next_ptr', UInt(ptrW));
  const nextAbs = m.reg('a_next_abs', UInt(w.iactStream));
  const aDone = m.reg('a_done', Bool(), { init: 1 });

  const tValid = m.reg('t_valid', Bool(), { init: 0 });
  const tVal = m.reg('t_val', UInt(DATA_BITS));
  const tCol = m.reg('t_col', UInt(w.weightAddrIndex));
  const tRow = m.reg('t_row', UInt(w.psumIndex));
  return { aWin, aSegOff, aSeg, aSlot, aPtr, aAbs, aPosBase, aColBase, aWinRow, winSeg, winSlot, winAbs, nextPtr, nextAbs, aDone, tValid, tVal, tCol, tRow };
}

/** A slot `n` entries after `slot` in the circular address SPad, whose depth need not be a power of two. */
function slotPlus(p: PeParams, slot: Expr, n: Expr): Expr {
  const w = peWidths(p);
  const sum = slot.add(n);
  return mux(sum.ge(p.iactAddrDepth), sum.subWrap(p.iactAddrDepth), sum).trunc(w.iactAddrIndex);
}

/** The walk's register updates: restart on a new job, then advance by entry, segment and window. */
function advanceWalk(
  m: ModuleBuilder,
  p: PeParams,
  io: IactFetchInputs,
  regs: ReturnType<typeof declareWalkRegs>,
  walk: Record<
    'go' | 'segOff' | 'seg' | 'slot' | 'colBase' | 'posBase' | 'has' | 'endPtr' | 'endAbs' | 'pos' | 'segDone' | 'startsNext' | 'skipsStart' | 'winDone',
    Expr
  >,
): void {
  const w = peWidths(p);
  const { cfg } = io;
  const { aWin, aSegOff, aSeg, aSlot, aPtr, aAbs, aPosBase, aColBase, aWinRow, winSeg, winSlot, winAbs, nextPtr, nextAbs, aDone } = regs;
  const { go, segOff, seg, slot, colBase, posBase, has, endPtr, endAbs, pos, segDone, startsNext, skipsStart, winDone } = walk;
  m.when(io.start, () => {
    aWin.set(0);
    aSegOff.set(0);
    aSeg.set(0);
    aSlot.set(0);
    aPtr.set(0);
    aAbs.set(0);
    aPosBase.set(0);
    aColBase.set(0);
    aWinRow.set(0);
    winSeg.set(0);
    winSlot.set(0);
    winAbs.set(0);
    aDone.set(0);
  }).elsewhen(go, () => {
    aSegOff.set(fit(segOff, w.segCount));
    aSeg.set(seg);
    aSlot.set(slot);
    aColBase.set(colBase);
    aPosBase.set(posBase);
    m.when(skipsStart, () => {
      nextPtr.set(aPtr);
      nextAbs.set(aAbs);
    });
    m.when(has, () => {
      aPtr.set(endPtr);
      aAbs.set(endAbs);
      aPosBase.set(pos.addWrap(1));
    });
    m.when(segDone, () => {
      aPosBase.set(0);
      m.when(startsNext, () => {
        nextPtr.set(endPtr);
        nextAbs.set(endAbs);
      });
      m.when(winDone, () => {
        const next = winSeg.addWrap(fit(cfg.strideSegs, w.segStream));
        const nextSlot = slotPlus(p, winSlot, cfg.strideSegs);
        const ptr = mux(startsNext, endPtr, mux(skipsStart, aPtr, nextPtr));
        const abs = mux(startsNext, endAbs, mux(skipsStart, aAbs, nextAbs));
        aWin.set(aWin.addWrap(1));
        aSegOff.set(0);
        aColBase.set(0);
        aWinRow.set(aWinRow.addWrap(cfg.m0.trunc(w.psumIndex)));
        aSeg.set(next);
        aSlot.set(nextSlot);
        winSeg.set(next);
        winSlot.set(nextSlot);
        aPtr.set(ptr);
        aAbs.set(abs);
        winAbs.set(abs);
        m.when(aWin.add(1).eq(cfg.nWin), () => aDone.set(1));
      }).otherwise(() => {
        aSegOff.set(fit(segOff.add(1), w.segCount));
        aSeg.set(seg.addWrap(1));
        aSlot.set(slotPlus(p, slot, lit(1, 1)));
        aColBase.set(colBase.addWrap(cfg.segLen.trunc(w.colCount)));
      });
    });
  });
}
