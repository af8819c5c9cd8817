import { Bool, UInt, cat, lit, mux, type Expr, type Mem, type ModuleBuilder, type Signal } from '../../dsl/index.js';
import { fit } from './fit.js';
import { DATA_BITS, PAIR_WIDTH, PSUM_WIDTH, peWidths, type PeParams } from '../../../spec/pe/params.js';

export interface MacPipeInputs {
  run: Expr;
  token: { valid: Expr; value: Expr; col: Expr; row: Expr };
  weightAddr: Mem;
  /** The weight data SRAM's read port (one-cycle read, data held until the next read). */
  sram: { rd_en: Signal; rd_addr: Signal; rd_data: Signal };
  cfg: { wordsPerCol: Expr; weightDense: Expr; iactSigned: Expr };
}

export interface MacWrite {
  valid: Signal;
  index: Signal;
  /** Sign-extended product, ready to add to a psum. */
  addend: Expr;
}

const PRODUCT_BITS = 2 * DATA_BITS + 1;

/**
 * Stages B to E. B looks up the token's weight column bounds and drops the token when the
 * column is empty; C reads one weight word per cycle from the SRAM, taking the next column in
 * the cycle it issues the current column's last word, so columns follow without bubbles; D
 * decodes both pairs' psum rows from the running zero counts and multiplies; E (in the PE top)
 * adds both products into the psum SPad. Nothing after B can stall, so the pipeline only
 * stops as a whole (when `run` is low).
 */
export function buildMacPipe(m: ModuleBuilder, p: PeParams, io: MacPipeInputs) {
  const w = peWidths(p);
  const wa = p.weightAddrWidth;
  const { token, cfg, run } = io;

  // ---- B
  const colStart = m.node(
    'b_col_start',
    mux(cfg.weightDense, fit(token.col.mul(cfg.wordsPerCol), wa), mux(token.col.eq(0), lit(0, wa), io.weightAddr.read(token.col.subWrap(1)))),
  );
  const colEnd = m.node('b_col_end', mux(cfg.weightDense, colStart.addWrap(fit(cfg.wordsPerCol, wa)), io.weightAddr.read(token.col)));
  const emptyCol = m.node('b_empty_col', colEnd.le(colStart));

  // ---- C
  const cValid = m.reg('c_valid', Bool(), { init: 0 });
  const cPtr = m.reg('c_ptr', UInt(wa));
  const cEnd = m.reg('c_end', UInt(wa));
  const cVal = m.reg('c_val', UInt(DATA_BITS));
  const cRow = m.reg('c_row', UInt(w.psumIndex));
  const cFirst = m.reg('c_first', Bool());
  const cLast = m.node('c_last', cPtr.add(1).ge(cEnd));
  const cFree = m.node('c_free', cValid.not().or(cLast));
  const taken = m.node('b_taken', run.and(token.valid).and(emptyCol.or(cFree)));
  const load = m.node('b_load', taken.and(emptyCol.not()));

  io.sram.rd_en.set(run.and(cValid));
  io.sram.rd_addr.set(fit(cPtr, w.weightDataIndex));
  m.when(run.and(cValid), () => {
    cPtr.set(cPtr.addWrap(1));
    cFirst.set(0);
    m.when(cLast, () => cValid.set(0));
  });
  m.when(load, () => {
    cValid.set(1);
    cPtr.set(colStart);
    cEnd.set(colEnd);
    cVal.set(token.value);
    cRow.set(token.row);
    cFirst.set(1);
  });

  // ---- D: the SRAM word of the read issued in the previous running cycle
  const dValid = m.reg('d_valid', Bool(), { init: 0 });
  const dVal = m.reg('d_val', UInt(DATA_BITS));
  const dRow = m.reg('d_row', UInt(w.psumIndex));
  const dFirst = m.reg('d_first', Bool());
  m.when(run, () => {
    dValid.set(cValid);
    dVal.set(cVal);
    dRow.set(cRow);
    dFirst.set(cFirst);
  });

  const countW = PAIR_WIDTH - DATA_BITS;
  const lanes = [0, 1].map((i) => {
    const pair = io.sram.rd_data.bits((i + 1) * PAIR_WIDTH - 1, i * PAIR_WIDTH);
    return {
      weight: m.node(`d_weight${i}`, pair.bits(DATA_BITS - 1, 0)),
      count: m.node(`d_count${i}`, mux(cfg.weightDense, lit(0, countW), pair.bits(PAIR_WIDTH - 1, DATA_BITS))),
    };
  });
  // Row = running sum of (count + 1) - 1 within the column; the register holds the last row.
  const rowPrev = m.reg('d_row_prev', UInt(w.psumIndex));
  const rowBase = m.node('d_row_base', mux(dFirst, lit(0, w.psumIndex), rowPrev.addWrap(1)));
  const row0 = m.node('d_row0', rowBase.addWrap(fit(lanes[0]!.count, w.psumIndex)));
  const row1 = m.node('d_row1', row0.addWrap(1).addWrap(fit(lanes[1]!.count, w.psumIndex)));
  m.when(run.and(dValid), () => rowPrev.set(row1));
  // Unsigned iacts get a zero sign bit so one signed multiplier serves both modes.
  const sign = m.node('d_iact_sign', cfg.iactSigned.and(dVal.bit(DATA_BITS - 1)));
  const iact = cat(sign, dVal).asSInt();

  // ---- E registers; the psum read-modify-write itself is in the PE top, beside the SPad
  const writes: MacWrite[] = lanes.map((l, i) => {
    const valid = m.reg(`e_valid${i}`, Bool(), { init: 0 });
    const index = m.reg(`e_index${i}`, UInt(w.psumIndex));
    const product = m.reg(`e_product${i}`, UInt(PRODUCT_BITS));
    m.when(run, () => {
      // A zero weight is a SIMD pad, a filler, or a dense zero: its MAC lane stays idle.
      valid.set(dValid.and(l.weight.orR()));
      index.set(dRow.addWrap(i === 0 ? row0 : row1));
      product.set(iact.mul(l.weight.asSInt()).trunc(PRODUCT_BITS).asUInt());
    });
    return { valid: valid, index: index, addend: product.sext(PSUM_WIDTH).asUInt() };
  });

  // Stage E's writes land in the cycle it holds them, so only A..D keep the compute phase open;
  // that last running cycle also clears E's valids.
  const busy = m.node('pipe_busy', token.valid.or(cValid).or(dValid));
  return { tokenTaken: taken, writes, busy };
}
