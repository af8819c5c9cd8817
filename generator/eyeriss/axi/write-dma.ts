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
  checkAxiWriteDmaParams,
  type AxiWriteDmaParams,
} from '../../../spec/axi.js';
import { LinkBuffer } from '../noc/link-buffer.js';
import { axiWriteMaster, dmaFrame, roundRobin, selectBy, shortNames } from './common.js';

export type { AxiWriteDmaParams };

/**
 * A multi-stream AXI4 write DMA (docs/axi.md): each `in_<s>` stream's 32-bit words go to
 * consecutive slots from the address its `load` names (a multiple of one burst's bytes), `words`
 * of them. Words gather into beats; a stream whose buffer holds a whole burst (or its last, short
 * one) can be picked, round robin, and its burst goes out as AW, then its W beats (strobes cover
 * only the slots written), one burst at a time; the B responses are counted. A load waits until
 * its stream's previous one has every word in and every beat in a burst; `taken` says every
 * stream has taken every word of its loads. `error_code`
 * (sticky): DMA_ERR_RESP a response other than OKAY, DMA_ERR_UNALIGNED a load not burst-aligned
 * (dropped), DMA_ERR_UNEXPECTED a response with no burst outstanding.
 */
export const AxiWriteDma = defineModule(
  'AxiWriteDma',
  (m, p: AxiWriteDmaParams) => {
    checkAxiWriteDmaParams(p);
    const S = p.streams;
    const wpb = p.dataBits / DMA_SLOT_BITS;
    const beatShift = log2Ceil(p.dataBits / 8);
    const ptrBits = AXI_ADDR_BITS - beatShift;
    const fillBits = widthOf(wpb);
    const beatsBits = widthOf(p.burstBeats);
    const availBits = widthOf(p.bufferBeats);
    const frame = dmaFrame(m, S, p.countBits, p.burstBeats * (p.dataBits / 8));
    const { sw, loadOk, raise } = frame;
    const io = { ...frame.io, in: m.input('in', Vec(S, Decoupled(UInt(DMA_SLOT_BITS)))), taken: m.output('taken', Bool()) };
    const ports = axiWriteMaster(m, p.dataBits);
    const axi = shortNames(ports);

    // The burst on the bus: AW held until accepted, then its W beats from the stream's buffer.
    const awValid = m.reg('aw_valid', Bool(), { init: 0 });
    const awPtr = m.reg('aw_ptr', UInt(ptrBits), { init: 0 });
    const awLen = m.reg('aw_len', UInt(AXI_LEN_BITS), { init: 0 });
    const wActive = m.reg('w_active', Bool(), { init: 0 });
    const wStream = m.reg('w_stream', UInt(sw), { init: 0 });
    const wLeft = m.reg('w_left', UInt(beatsBits), { init: 0 });
    const busy = m.node('bus_busy', awValid.or(wActive));

    const bufs = Array.from({ length: S }, (_, s) => m.instance(`buf_${s}`, LinkBuffer, { depth: p.bufferBeats, width: p.dataBits + fillBits }));
    const ptr = Array.from({ length: S }, (_, s) => m.reg(`ptr_${s}`, UInt(ptrBits), { init: 0 }));
    const left = Array.from({ length: S }, (_, s) => m.reg(`left_${s}`, UInt(p.countBits), { init: 0 }));
    // Beats buffered and not yet claimed by a burst.
    const avail = Array.from({ length: S }, (_, s) => m.reg(`avail_${s}`, UInt(availBits), { init: 0 }));
    const beats = avail.map((a, s) => m.node(`beats_${s}`, mux(a.ge(p.burstBeats), lit(p.burstBeats, beatsBits), a.trunc(beatsBits))));
    const eligible = avail.map((a, s) => m.node(`eligible_${s}`, a.ge(p.burstBeats).or(a.ne(0).and(left[s]!.eq(0)))));
    // A stream takes its next load once every word of the last one is in and every beat has its burst.
    frame.setFree(left.map((l, s) => l.eq(0).and(avail[s]!.eq(0))));
    const { pick, any, index, advance } = roundRobin(m, 'aw', eligible);
    const issue = m.node('issue', any.and(busy.not()));
    advance(issue);
    const pickBeats = m.node('pick_beats', selectBy(pick, beats, beatsBits));
    m.when(issue, () => {
      awValid.set(1);
      awPtr.set(selectBy(pick, ptr, ptrBits));
      awLen.set(pickBeats.subWrap(1).zext(AXI_LEN_BITS));
      wStream.set(index);
      wLeft.set(pickBeats);
    }).elsewhen(awValid.and(axi.awready), () => {
      awValid.set(0);
      wActive.set(1);
    });
    axi.awvalid.set(awValid);
    axi.awaddr.set(cat(awPtr, lit(0, beatShift)).trunc(AXI_ADDR_BITS));
    axi.awlen.set(awLen);
    axi.awsize.set(lit(beatShift, AXI_SIZE_BITS));
    axi.awburst.set(lit(AXI_BURST_INCR, AXI_BURST_BITS));
    axi.awid.set(0);

    const head = selectBy(
      bufs.map((_, s) => wStream.eq(s)),
      bufs.map((b) => b.deq.bits),
      p.dataBits + fillBits,
    );
    const headFill = head.bits(p.dataBits + fillBits - 1, p.dataBits);
    axi.wvalid.set(wActive);
    axi.wdata.set(head.bits(p.dataBits - 1, 0));
    const strobes = Array.from({ length: wpb }, (_, k) => mux(headFill.gt(k), lit(0xf, 4), lit(0, 4)));
    axi.wstrb.set(cat(...strobes.reverse()));
    axi.wlast.set(wLeft.eq(1));
    const wFire = m.node('w_fire', wActive.and(axi.wready));
    m.when(wFire, () => {
      wLeft.set(wLeft.subWrap(1));
      m.when(wLeft.eq(1), () => wActive.set(0));
    });

    // B: one response per burst, in any number outstanding.
    const outstandingBits = 16;
    const outstanding = m.reg('b_outstanding', UInt(outstandingBits), { init: 0 });
    axi.bready.set(1);
    const awFire = awValid.and(axi.awready);
    raise(axi.bvalid.and(outstanding.eq(0)), DMA_ERR_UNEXPECTED);
    raise(axi.bvalid.and(axi.bresp.ne(AXI_RESP_OKAY)), DMA_ERR_RESP);
    const bTake = axi.bvalid.and(outstanding.ne(0));
    outstanding.set(outstanding.addWrap(awFire).subWrap(bTake).trunc(outstandingBits));

    let idle: Expr = busy.not().and(outstanding.eq(0));
    io.taken.set(left.map((l) => l.eq(0)).reduce((a, b) => a.and(b)));
    for (let s = 0; s < S; s++) {
      const buf = bufs[s]!;
      const input = io.in.get(s);
      // The beat being gathered: slots so far.
      const fill = m.reg(`fill_${s}`, UInt(fillBits), { init: 0 });
      const slots = Array.from({ length: wpb }, (_, k) => m.reg(`slot_${s}_${k}`, UInt(DMA_SLOT_BITS), { init: 0 }));
      input.ready.set(left[s]!.ne(0).and(buf.enq.ready));
      const take = m.node(`take_${s}`, input.valid.and(input.ready));
      const lastWord = m.node(`last_word_${s}`, left[s]!.eq(1));
      const beatDone = m.node(`beat_done_${s}`, take.and(fill.eq(wpb - 1).or(lastWord)));
      slots.forEach((r, k) => m.when(take.and(fill.eq(k)), () => r.set(input.bits)));
      buf.enq.valid.set(beatDone);
      // The beat as the slots will be after this word: the new word placed at `fill`.
      const beat = cat(...slots.map((r, k) => mux(fill.eq(k), input.bits, r)).reverse());
      buf.enq.bits.set(cat(fill.addWrap(1).trunc(fillBits), beat));
      m.when(take, () => fill.set(mux(beatDone, lit(0, fillBits), fill.addWrap(1)).trunc(fillBits)));

      const mine = m.node(`issue_${s}`, issue.and(pick[s]!));
      m.when(loadOk.and(io.load.bits.stream.eq(s)), () => {
        ptr[s]!.set(io.load.bits.addr.bits(AXI_ADDR_BITS - 1, beatShift));
        left[s]!.set(io.load.bits.words);
      }).elsewhen(take, () => left[s]!.set(left[s]!.subWrap(1)));
      m.when(mine, () => ptr[s]!.set(ptr[s]!.addWrap(beats[s]!)));
      avail[s]!.set(
        avail[s]!.addWrap(beatDone)
          .subWrap(mux(mine, beats[s]!, lit(0, beatsBits)))
          .trunc(availBits),
      );
      buf.deq.ready.set(wFire.and(wStream.eq(s)));
      idle = idle.and(left[s]!.eq(0)).and(buf.deq.valid.not());
    }
    frame.finish(idle);
    return { ...io, ...ports };
  },
  { nameFor: (p) => `AxiWriteDma_s${p.streams}d${p.dataBits}b${p.burstBeats}x${p.bufferBeats}c${p.countBits}` },
);
