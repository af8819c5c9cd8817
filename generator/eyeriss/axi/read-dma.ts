import { Bool, Decoupled, UInt, cat, defineModule, lit, log2Ceil, mux, widthOf, type Expr, type ModuleBuilder, type Signal } from '../../dsl/index.js';
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
  dmaOutBits,
  dmaSlotsPerBeat,
  type AxiReadDmaParams,
} from '../../../spec/axi.js';
import { LinkBuffer } from '../noc/link-buffer.js';
import { axiReadMaster, dmaFrame, roundRobin, selectBy, shortNames } from './common.js';

export type { AxiReadDmaParams };

/** The pair streams in a module name: as runs (`_p1_6s7x16` is stream 1, then 16 streams 6, 13, ...). */
function pairsName(pairs: readonly number[]): string {
  if (pairs.length === 0) return '';
  const [first, ...rest] = pairs;
  if (rest.length < 2) return `_p${pairs.join('_')}`;
  const stride = rest[1]! - rest[0]!;
  const regular = rest.every((v, i) => v === rest[0]! + i * stride);
  return regular ? `_p${first}_${rest[0]}s${stride}x${rest.length}` : `_p${pairs.join('_')}`;
}

/**
 * Stream s's output side: its beat buffer (tag, words in the beat, data), the slot it hands out
 * next, and the word (or slot pair) at that slot under the beat's tag. `take` is a word handed
 * out, `lastSlot` the beat's last word.
 */
function streamOut(m: ModuleBuilder, p: AxiReadDmaParams, s: number, out: { valid: Signal; ready: Signal; bits: Signal }, beat: { valid: Expr; bits: Expr }) {
  const wpb = dmaSlotsPerBeat(p);
  const slotBits = widthOf(wpb);
  const buf = m.instance(`buf_${s}`, LinkBuffer, { depth: p.bufferBeats, width: 1 + p.dataBits + slotBits });
  buf.enq.valid.set(beat.valid);
  buf.enq.bits.set(beat.bits);
  const bufTag = buf.deq.bits.bit(p.dataBits + slotBits);
  // The slot of the head beat the stream hands out next.
  const slot = m.reg(`slot_${s}`, UInt(Math.max(1, log2Ceil(wpb))), { init: 0 });
  const pair = dmaOutBits(p, s) > p.wordBits;
  const words = buf.deq.bits.bits(p.dataBits + slotBits - 1, p.dataBits);
  const step = pair ? 2 : 1;
  const lastSlot = m.node(
    `last_slot_${s}`,
    slot
      .zext(slotBits + 1)
      .add(step)
      .ge(words),
  );
  const slots = Array.from({ length: wpb }, (_, k) => buf.deq.bits.bits(k * DMA_SLOT_BITS + p.wordBits - 1, k * DMA_SLOT_BITS));
  // A pair stream's words: slots (2j+1, 2j) as one.
  const choices = pair ? Array.from({ length: wpb / 2 }, (_, j) => cat(slots[2 * j + 1]!, slots[2 * j]!)) : slots;
  out.valid.set(buf.deq.valid);
  const word =
    choices.length === 1
      ? choices[0]!
      : selectBy(
          choices.map((_, j) => slot.eq(j * step)),
          choices,
          dmaOutBits(p, s),
        );
  out.bits.set(cat(bufTag, word));
  const take = m.node(`take_${s}`, out.valid.and(out.ready));
  buf.deq.ready.set(take.and(lastSlot));
  m.when(take, () => slot.set(mux(lastSlot, 0, slot.addWrap(step)).trunc(slot.width)));
  return { buf, bufTag, take, lastSlot };
}

/** A stream's fetch registers: the load being asked for, the one queued behind it, the buffer beats not yet promised. */
interface StreamRegs {
  ptr: Signal;
  left: Signal;
  tag: Signal;
  credit: Signal;
  queued: Signal;
  qPtr: Signal;
  qLeft: Signal;
  qTag: Signal;
}

/**
 * Stream s's fetch registers over a cycle: a load goes in directly when the stream has nothing
 * left to ask for, else it is queued and promoted once the stream is through; a burst issued for
 * the stream (`mine`) moves the pointer and the count and promises its beats; a beat handed out
 * (`freed`) returns one.
 */
function streamCount(
  m: ModuleBuilder,
  s: number,
  st: StreamRegs,
  ev: { load: Expr; loaded: { ptr: Expr; words: Expr; tag: Expr }; mine: Expr; beats: Expr; burstWords: Expr; freed: Expr },
): void {
  const promote = m.node(`promote_${s}`, st.queued.and(st.left.eq(0)));
  m.when(ev.load.and(st.left.eq(0)), () => {
    st.ptr.set(ev.loaded.ptr);
    st.left.set(ev.loaded.words);
    st.tag.set(ev.loaded.tag);
  })
    .elsewhen(promote, () => {
      st.ptr.set(st.qPtr);
      st.left.set(st.qLeft);
      st.tag.set(st.qTag);
    })
    .elsewhen(ev.mine, () => {
      st.ptr.set(st.ptr.addWrap(ev.beats));
      st.left.set(st.left.subWrap(ev.burstWords));
    });
  st.credit.set(
    st.credit
      .addWrap(ev.freed)
      .subWrap(mux(ev.mine, ev.beats, lit(0, ev.beats.width)))
      .trunc(st.credit.width),
  );
  m.when(ev.load.and(st.left.ne(0)), () => {
    st.queued.set(1);
    st.qPtr.set(ev.loaded.ptr);
    st.qLeft.set(ev.loaded.words);
    st.qTag.set(ev.loaded.tag);
  }).elsewhen(promote, () => st.queued.set(0));
}

/**
 * A multi-stream AXI4 read DMA (docs/axi.md): `streams` ready/valid outputs, each fed from its own
 * run of 32-bit slots in memory (a word in the low `wordBits` of each slot, the load's `tag` in
 * bit `wordBits`; a pair stream, `pairStreams`, hands out two slots at once, the tag above both).
 * A `load` names a stream's base address (a multiple of one burst's bytes, so no burst crosses
 * 4 KB), word count and tag; a stream queues one load behind the one it is fetching (a third
 * waits), and its words follow those. `owed` (bit t) says words of tag t are still to ask for or
 * in flight, `held` (bit t) that some stream's next word has tag t, and streams fetching tag
 * `prefer` win the arbiter: a user that runs one tag's loads while the next tag's are fetched
 * keeps the first ahead and knows when they are all handed out. A round-robin arbiter issues
 * INCR bursts of up to `burstBeats` beats for any stream whose buffer has room for the whole
 * burst, so up to `outstanding` bursts are in flight and `m_axi_rready` is always high: every beat
 * that arrives has a reserved place. One ID: data returns in request order. `error_code`
 * (sticky): DMA_ERR_RESP a response other than OKAY, DMA_ERR_UNALIGNED a load whose address is not
 * burst-aligned (the load is dropped), DMA_ERR_UNEXPECTED a beat with no burst in flight or a
 * `rlast` in the wrong place.
 */
/** Bursts in flight per layer tag: up when one of the tag is issued, down when its last beat arrives. */
function burstsInFlight(m: ModuleBuilder, p: AxiReadDmaParams, issued: { issue: Expr; tag: Expr }, ended: { done: Expr; tag: Expr }): Expr[] {
  const flightBits = widthOf(p.outstanding);
  return [0, 1].map((t) => {
    const r = m.reg(`flying_${t}`, UInt(flightBits), { init: 0 });
    r.set(
      r
        .addWrap(issued.issue.and(issued.tag.eq(t)))
        .subWrap(ended.done.and(ended.tag.eq(t)))
        .trunc(flightBits),
    );
    return r;
  });
}

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
    const frame = dmaFrame(m, S, p.countBits, dmaBurstBytes(p), true);
    const { sw, loadOk, raise } = frame;
    const loadTag = (frame.load.bits as unknown as { tag: Expr }).tag;
    const outs = Array.from({ length: S }, (_, s) => m.output(`out_${s}`, Decoupled(UInt(dmaOutBits(p, s) + 1))));
    const io = {
      ...frame.io,
      prefer: m.input('prefer', UInt(1)),
      owed: m.output('owed', UInt(2)),
      held: m.output('held', UInt(2)),
    };
    const ports = axiReadMaster(m, p.dataBits);
    const axi = shortNames(ports);

    // The AR channel's request, held stable until the slave takes it.
    const arValid = m.reg('ar_valid', Bool(), { init: 0 });
    const arPtr = m.reg('ar_ptr', UInt(ptrBits), { init: 0 });
    const arLen = m.reg('ar_len', UInt(AXI_LEN_BITS), { init: 0 });
    const inflight = m.instance('inflight', LinkBuffer, { depth: p.outstanding, width: 1 + sw + beatsBits + slotBits });
    const arFree = m.node('ar_free', arValid.not().or(axi.arready));

    // Per stream: next beat to ask for, words still to ask for, free buffer beats not yet promised.
    const ptr = Array.from({ length: S }, (_, s) => m.reg(`ptr_${s}`, UInt(ptrBits), { init: 0 }));
    const left = Array.from({ length: S }, (_, s) => m.reg(`left_${s}`, UInt(p.countBits), { init: 0 }));
    const credit = Array.from({ length: S }, (_, s) => m.reg(`credit_${s}`, UInt(creditBits), { init: p.bufferBeats }));
    const tag = Array.from({ length: S }, (_, s) => m.reg(`tag_${s}`, UInt(1), { init: 0 }));
    // Per stream, one load queued behind the one being fetched: a layer's loads go in while the
    // last layer's are still asked for. A third load waits.
    const queued = Array.from({ length: S }, (_, s) => m.reg(`queued_${s}`, Bool(), { init: 0 }));
    const qPtr = Array.from({ length: S }, (_, s) => m.reg(`queued_ptr_${s}`, UInt(ptrBits), { init: 0 }));
    const qLeft = Array.from({ length: S }, (_, s) => m.reg(`queued_left_${s}`, UInt(p.countBits), { init: 0 }));
    const qTag = Array.from({ length: S }, (_, s) => m.reg(`queued_tag_${s}`, UInt(1), { init: 0 }));
    frame.setFree(queued.map((q) => q.not()));
    const beats = left.map((l, s) => {
      const need = l.add(wpb - 1).shr(log2Ceil(wpb));
      return m.node(`beats_${s}`, mux(need.gt(p.burstBeats), lit(p.burstBeats, beatsBits), need.trunc(beatsBits)));
    });
    const eligible = left.map((l, s) => m.node(`eligible_${s}`, l.ne(0).and(credit[s]!.ge(beats[s]!))));

    // Streams fetching words of the `prefer` tag go first: what runs now before what is fetched ahead.
    const preferred = eligible.map((e, s) => e.and(tag[s]!.eq(io.prefer)));
    const anyPreferred = m.node(
      'any_preferred',
      preferred.reduce((a, b) => a.or(b)),
    );
    const requests = eligible.map((e, s) => m.node(`request_${s}`, mux(anyPreferred, preferred[s]!, e)));
    const { pick, any: anyEligible, index: pickIdx, advance } = roundRobin(m, 'ar', requests);
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
    const pickTag = m.node('pick_tag', selectBy(pick, tag, 1));
    inflight.enq.bits.set(cat(pickTag, pickIdx, pickBeats, lastWords));
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
    const headTag = head.bit(slotBits + beatsBits + sw);
    const rBeat = m.reg('r_beat', UInt(beatsBits), { init: 0 });
    const expected = m.node('r_expected', axi.rvalid.and(inflight.deq.valid));
    const isLast = m.node('r_is_last', rBeat.eq(headBeats.subWrap(1).trunc(beatsBits)));
    inflight.deq.ready.set(expected.and(isLast));
    m.when(expected, () => rBeat.set(mux(isLast, lit(0, beatsBits), rBeat.addWrap(1)).trunc(beatsBits)));
    const stray = axi.rvalid.and(inflight.deq.valid.not()).or(expected.and(axi.rlast.ne(isLast)));
    raise(stray, DMA_ERR_UNEXPECTED);
    raise(axi.rvalid.and(axi.rresp.ne(AXI_RESP_OKAY)), DMA_ERR_RESP);
    const beatWords = m.node('r_beat_words', mux(isLast, headLast, lit(wpb, slotBits)));
    const flying = burstsInFlight(m, p, { issue, tag: pickTag }, { done: inflight.deq.valid.and(inflight.deq.ready), tag: headTag });
    const owed: Expr[] = flying.map((r) => r.ne(0));
    const held: Expr[] = [lit(0, 1), lit(0, 1)];

    let idle: Expr = arValid.not().and(inflight.deq.valid.not());
    for (let s = 0; s < S; s++) {
      const { buf, bufTag, take, lastSlot } = streamOut(m, p, s, outs[s]!, { valid: expected.and(headStream.eq(s)), bits: cat(headTag, beatWords, axi.rdata) });
      [0, 1].forEach((t) => {
        owed[t] = owed[t]!.or(left[s]!.ne(0).and(tag[s]!.eq(t))).or(queued[s]!.and(qTag[s]!.eq(t)));
        held[t] = held[t]!.or(buf.deq.valid.and(bufTag.eq(t)));
      });
      const mine = m.node(`issue_${s}`, issue.and(pick[s]!));
      const freed = m.node(`freed_${s}`, take.and(lastSlot));
      const loadHere = m.node(`load_${s}`, loadOk.and(io.load.bits.stream.eq(s)));
      const st = { ptr: ptr[s]!, left: left[s]!, tag: tag[s]!, credit: credit[s]!, queued: queued[s]!, qPtr: qPtr[s]!, qLeft: qLeft[s]!, qTag: qTag[s]! };
      const loaded = { ptr: io.load.bits.addr.bits(AXI_ADDR_BITS - 1, beatShift), words: io.load.bits.words, tag: loadTag };
      streamCount(m, s, st, { load: loadHere, loaded, mine, beats: beats[s]!, burstWords, freed });
      idle = idle.and(left[s]!.eq(0)).and(queued[s]!.not()).and(buf.deq.valid.not());
    }
    io.owed.set(cat(owed[1]!, owed[0]!));
    io.held.set(cat(held[1]!, held[0]!));
    frame.finish(idle);
    return { ...io, ...ports, ...(Object.fromEntries(outs.map((o, s) => [`out_${s}`, o])) as Record<`out_${number}`, (typeof outs)[number]>) };
  },
  {
    nameFor: (p) =>
      `AxiReadDma_s${p.streams}w${p.wordBits}d${p.dataBits}b${p.burstBeats}x${p.bufferBeats}o${p.outstanding}c${p.countBits}${pairsName(p.pairStreams ?? [])}`,
  },
);
