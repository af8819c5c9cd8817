import { Bool, Decoupled, UInt, Vec, cat, defineModule, lit, log2Ceil, mux, widthOf, type Expr } from '../../dsl/index.js';
import {
  AXI_ADDR_BITS,
  AXI_BURST_BITS,
  AXI_BURST_INCR,
  AXI_LEN_BITS,
  AXI_RESP_OKAY,
  AXI_SIZE_BITS,
  DMA_ERR_RESP,
  DMA_ERR_UNEXPECTED,
  DMA_SLOT_BITS,
  checkAxiReadDmaParams,
  dmaBeatBytes,
  dmaBurstBytes,
  dmaSlotsPerBeat,
  type AxiReadDmaParams,
} from '../../../spec/axi.js';
import { LinkBuffer } from '../noc/link-buffer.js';
import { axiReadMaster, dmaFrame, roundRobin, selectBy, shortNames } from './common.js';

export type { AxiReadDmaParams };

/**
 * A multi-stream AXI4 read DMA (docs/axi.md): `streams` ready/valid outputs, each fed from its own
 * run of 32-bit slots in memory (a word in the low `wordBits` of each slot). A `load` names a
 * stream's base address (a multiple of one burst's bytes, so no burst crosses 4 KB) and word
 * count. A round-robin arbiter issues INCR bursts of up to `burstBeats` beats for any stream
 * whose buffer has room for the whole burst, so up to `outstanding` bursts are in flight and
 * `m_axi_rready` is always high: every beat that arrives has a reserved place. One ID: data
 * returns in request order. `error_code` (sticky): DMA_ERR_RESP a response other than OKAY,
 * DMA_ERR_UNALIGNED a load whose address is not burst-aligned (the load is dropped),
 * DMA_ERR_UNEXPECTED a beat with no burst in flight or a `rlast` in the wrong place.
 */
export const AxiReadDma = defineModule(
  'AxiReadDma',
  (m, p: AxiReadDmaParams) => {
    checkAxiReadDmaParams(p);
    const S = p.streams;
    const wpb = dmaSlotsPerBeat(p);
    const beatShift = log2Ceil(dmaBeatBytes(p));
    const ptrBits = AXI_ADDR_BITS - beatShift;
    const beatsBits = widthOf(p.burstBeats);
    const slotBits = widthOf(wpb);
    const creditBits = widthOf(p.bufferBeats);
    const frame = dmaFrame(m, S, p.countBits, dmaBurstBytes(p));
    const { sw, loadOk, raise } = frame;
    const io = { ...frame.io, out: m.output('out', Vec(S, Decoupled(UInt(p.wordBits)))) };
    const ports = axiReadMaster(m, p.dataBits);
    const axi = shortNames(ports);

    // The AR channel's request, held stable until the slave takes it.
    const arValid = m.reg('ar_valid', Bool(), { init: 0 });
    const arPtr = m.reg('ar_ptr', UInt(ptrBits), { init: 0 });
    const arLen = m.reg('ar_len', UInt(AXI_LEN_BITS), { init: 0 });
    const inflight = m.instance('inflight', LinkBuffer, { depth: p.outstanding, width: sw + beatsBits + slotBits });
    const arFree = m.node('ar_free', arValid.not().or(axi.arready));

    // Per stream: next beat to ask for, words still to ask for, free buffer beats not yet promised.
    const ptr = Array.from({ length: S }, (_, s) => m.reg(`ptr_${s}`, UInt(ptrBits), { init: 0 }));
    const left = Array.from({ length: S }, (_, s) => m.reg(`left_${s}`, UInt(p.countBits), { init: 0 }));
    const credit = Array.from({ length: S }, (_, s) => m.reg(`credit_${s}`, UInt(creditBits), { init: p.bufferBeats }));
    const beats = left.map((l, s) => {
      const need = l.add(wpb - 1).shr(log2Ceil(wpb));
      return m.node(`beats_${s}`, mux(need.gt(p.burstBeats), lit(p.burstBeats, beatsBits), need.trunc(beatsBits)));
    });
    const eligible = left.map((l, s) => m.node(`eligible_${s}`, l.ne(0).and(credit[s]!.ge(beats[s]!))));

    const { pick, any: anyEligible, index: pickIdx, advance } = roundRobin(m, 'ar', eligible);
    const issue = m.node('issue', anyEligible.and(arFree).and(inflight.enq.ready));
    advance(issue);
    const pickBeats = m.node('pick_beats', selectBy(pick, beats, beatsBits));
    const pickLeft = m.node('pick_left', selectBy(pick, left, p.countBits));
    const pickPtr = m.node('pick_ptr', selectBy(pick, ptr, ptrBits));
    // Words the burst carries: all that are left, or whole beats.
    const burstSlots = pickBeats.zext(p.countBits + log2Ceil(wpb)).shl(log2Ceil(wpb));
    const burstWords = m.node('burst_words', mux(pickLeft.lt(burstSlots), pickLeft, burstSlots).trunc(p.countBits));
    const lastWords = m.node('last_words', burstWords.subWrap(pickBeats.subWrap(1).zext(p.countBits).shl(log2Ceil(wpb)).trunc(p.countBits)).trunc(slotBits));
    inflight.enq.valid.set(issue);
    inflight.enq.bits.set(cat(pickIdx, pickBeats, lastWords));
    m.when(issue, () => {
      arValid.set(1);
      arPtr.set(pickPtr);
      arLen.set(pickBeats.subWrap(1).zext(AXI_LEN_BITS));
    }).elsewhen(axi.arready, () => arValid.set(0));
    axi.arvalid.set(arValid);
    axi.araddr.set(cat(arPtr, lit(0, beatShift)).trunc(AXI_ADDR_BITS));
    axi.arlen.set(arLen);
    axi.arsize.set(lit(beatShift, AXI_SIZE_BITS));
    axi.arburst.set(lit(AXI_BURST_INCR, AXI_BURST_BITS));
    axi.arid.set(0);

    // R channel: beats go to the buffer of the burst at the head of `inflight`, in order.
    axi.rready.set(1);
    const head = inflight.deq.bits;
    const headLast = head.bits(slotBits - 1, 0);
    const headBeats = head.bits(slotBits + beatsBits - 1, slotBits);
    const headStream = head.bits(slotBits + beatsBits + sw - 1, slotBits + beatsBits);
    const rBeat = m.reg('r_beat', UInt(beatsBits), { init: 0 });
    const expected = m.node('r_expected', axi.rvalid.and(inflight.deq.valid));
    const isLast = m.node('r_is_last', rBeat.eq(headBeats.subWrap(1).trunc(beatsBits)));
    inflight.deq.ready.set(expected.and(isLast));
    m.when(expected, () => rBeat.set(mux(isLast, lit(0, beatsBits), rBeat.addWrap(1)).trunc(beatsBits)));
    const stray = axi.rvalid.and(inflight.deq.valid.not()).or(expected.and(axi.rlast.ne(isLast)));
    raise(stray, DMA_ERR_UNEXPECTED);
    raise(axi.rvalid.and(axi.rresp.ne(AXI_RESP_OKAY)), DMA_ERR_RESP);
    const beatWords = m.node('r_beat_words', mux(isLast, headLast, lit(wpb, slotBits)));

    let idle: Expr = arValid.not().and(inflight.deq.valid.not());
    for (let s = 0; s < S; s++) {
      const buf = m.instance(`buf_${s}`, LinkBuffer, { depth: p.bufferBeats, width: p.dataBits + slotBits });
      buf.enq.valid.set(expected.and(headStream.eq(s)));
      buf.enq.bits.set(cat(beatWords, axi.rdata));
      // The slot of the head beat the stream hands out next.
      const slot = m.reg(`slot_${s}`, UInt(Math.max(1, log2Ceil(wpb))), { init: 0 });
      const out = io.out.get(s);
      const words = buf.deq.bits.bits(p.dataBits + slotBits - 1, p.dataBits);
      const lastSlot = m.node(`last_slot_${s}`, slot.zext(slotBits).eq(words.subWrap(1)));
      const slots = Array.from({ length: wpb }, (_, k) => buf.deq.bits.bits(k * DMA_SLOT_BITS + p.wordBits - 1, k * DMA_SLOT_BITS));
      out.valid.set(buf.deq.valid);
      out.bits.set(
        wpb === 1
          ? slots[0]!
          : selectBy(
              slots.map((_, k) => slot.eq(k)),
              slots,
              p.wordBits,
            ),
      );
      const take = m.node(`take_${s}`, out.valid.and(out.ready));
      buf.deq.ready.set(take.and(lastSlot));
      m.when(take, () => slot.set(mux(lastSlot, 0, slot.addWrap(1)).trunc(slot.width)));

      const mine = m.node(`issue_${s}`, issue.and(pick[s]!));
      const freed = m.node(`freed_${s}`, take.and(lastSlot));
      m.when(loadOk.and(io.load.bits.stream.eq(s)), () => {
        ptr[s]!.set(io.load.bits.addr.bits(AXI_ADDR_BITS - 1, beatShift));
        left[s]!.set(io.load.bits.words);
      }).elsewhen(mine, () => {
        ptr[s]!.set(ptr[s]!.addWrap(beats[s]!));
        left[s]!.set(left[s]!.subWrap(burstWords));
      });
      credit[s]!.set(
        credit[s]!.addWrap(freed)
          .subWrap(mux(mine, beats[s]!, lit(0, beatsBits)))
          .trunc(creditBits),
      );
      idle = idle.and(left[s]!.eq(0)).and(buf.deq.valid.not());
    }
    frame.finish(idle);
    return { ...io, ...ports };
  },
  { nameFor: (p) => `AxiReadDma_s${p.streams}w${p.wordBits}d${p.dataBits}b${p.burstBeats}x${p.bufferBeats}o${p.outstanding}c${p.countBits}` },
);
