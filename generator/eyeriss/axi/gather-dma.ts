import { Bool, Decoupled, UInt, cat, defineModule, lit, log2Ceil, mux, widthOf, type Expr, type ModuleBuilder, type Signal } from '../../dsl/index.js';
import {
  AXI_ADDR_BITS,
  AXI_BURST_BITS,
  AXI_BURST_INCR,
  AXI_LEN_BITS,
  AXI_RESP_OKAY,
  AXI_SIZE_BITS,
  GATHER_CONST_BIT,
  GATHER_ENTRY_BITS,
  GATHER_SLOT_BITS,
  GATHER_SOURCE_BITS,
  checkAxiGatherDmaParams,
  gatherBeatBytes,
  gatherWordBits,
  type AxiGatherDmaParams,
} from '../../../spec/axi.js';
import { LinkBuffer } from '../noc/link-buffer.js';
import { axiReadMaster, shortNames, type AxiShort } from './common.js';

export type { AxiGatherDmaParams };

/** An op: per slot (slot 0 low) its low 12 source bits (the constant, or the byte's offset in its beat), whether it is a constant, whether it takes a new beat. */
const OP_SLOT_BITS = GATHER_SLOT_BITS + 2;

/** Beats buffered or in flight at most: two more than `outstanding`, so a beat is taken off the bus while its consumer still holds the last two. */
const beatDepth = (p: AxiGatherDmaParams): number => p.outstanding + 2;

type ReadPorts = AxiShort<ReturnType<typeof axiReadMaster<'m_axi'>>>;

/**
 * The issue side: each entry's sources in order, slot 0 first. A byte source in the beat of the
 * read issued last reuses it; any other byte source issues a one-beat read (an entry of two such
 * sources takes two cycles, one read each); constants read nothing. The entry is taken, and its op
 * queued, in the cycle of its last read (or at once); a read goes out when the AR register is
 * free and `room` says the limits allow one more.
 */
function issueSide(
  m: ModuleBuilder,
  p: AxiGatherDmaParams,
  entry: { valid: Signal; ready: Signal; bits: Signal },
  axi: ReadPorts,
  ops: { ready: Expr; room: Expr },
) {
  const beatShift = log2Ceil(gatherBeatBytes(p));
  const ptrBits = AXI_ADDR_BITS - 1 - beatShift;
  const src = [entry.bits.bits(GATHER_SOURCE_BITS - 1, 0), entry.bits.bits(GATHER_ENTRY_BITS - 1, GATHER_SOURCE_BITS)];
  const isConst = src.map((s, k) => m.node(`src_const_${k}`, s.bit(GATHER_CONST_BIT)));
  const ptr = src.map((s, k) => m.node(`src_ptr_${k}`, s.bits(GATHER_CONST_BIT - 1, beatShift)));
  // Slot 0's read went out in an earlier cycle; the entry waits for slot 1's.
  const half = m.reg('issue_half', Bool(), { init: 0 });
  // The beat of the read issued last: none after reset, so the first byte source reads.
  const lastPtr = m.reg('last_ptr', UInt(ptrBits), { init: 0 });
  const lastValid = m.reg('last_valid', Bool(), { init: 0 });
  const new0 = m.node(
    'src_new_0',
    half
      .not()
      .and(isConst[0]!.not())
      .and(lastValid.and(ptr[0]!.eq(lastPtr)).not()),
  );
  // Slot 0's read, this cycle or earlier (then lastPtr is its beat already), is the one slot 1 follows.
  const after0 = m.node('src_after_0', half.or(new0));
  const prevPtr = mux(after0, ptr[0]!, lastPtr);
  const new1 = m.node('src_new_1', isConst[1]!.not().and(after0.or(lastValid).and(ptr[1]!.eq(prevPtr)).not()));
  // The AR channel's request, held stable until the slave takes it.
  const arValid = m.reg('ar_valid', Bool(), { init: 0 });
  const arPtr = m.reg('ar_ptr', UInt(ptrBits), { init: 0 });
  const canIssue = m.node('can_issue', ops.room.and(arValid.not().or(axi.arready)));
  const two = m.node('issue_two', new0.and(new1));
  const wantRead = m.node('want_read', new0.or(new1));
  const issuePtr = m.node('issue_ptr', mux(new0, ptr[0]!, ptr[1]!));
  entry.ready.set(ops.ready.and(two.not()).and(wantRead.not().or(canIssue)));
  const take = m.node('entry_take', entry.valid.and(entry.ready));
  const issue = m.node('issue', entry.valid.and(wantRead).and(canIssue).and(two.or(ops.ready)));
  m.when(issue.and(two), () => half.set(1)).elsewhen(take, () => half.set(0));
  m.when(issue, () => {
    arValid.set(1);
    arPtr.set(issuePtr);
    lastPtr.set(issuePtr);
    lastValid.set(1);
  }).elsewhen(axi.arready, () => arValid.set(0));
  axi.arvalid.set(arValid);
  axi.araddr.set(cat(arPtr, lit(0, beatShift)).zext(AXI_ADDR_BITS));
  axi.arlen.set(lit(0, AXI_LEN_BITS));
  axi.arsize.set(lit(beatShift, AXI_SIZE_BITS));
  axi.arburst.set(lit(AXI_BURST_INCR, AXI_BURST_BITS));
  axi.arid.set(0);
  const opSlot = (k: number, isNew: Expr): Expr => cat(isNew, isConst[k]!, src[k]!.bits(GATHER_SLOT_BITS - 1, 0));
  return { take, issue, half, op: cat(opSlot(1, new1), opSlot(0, after0)) };
}

/**
 * The consume side: the op at the head and the beats in order. A slot that took a new beat reads
 * the head beat (which then becomes the last beat); a reusing slot reads the last beat, or the
 * head beat when slot 0 took it. An op whose slots both took a beat takes two cycles: slot 0's
 * byte is held while slot 1's beat comes. The word leaves with no path from `out_ready` back.
 */
function consumeSide(
  m: ModuleBuilder,
  p: AxiGatherDmaParams,
  op: { valid: Signal; ready: Signal; bits: Signal },
  beat: { valid: Signal; ready: Signal; bits: Signal },
  out: { valid: Signal; ready: Signal; bits: Signal },
) {
  const offBits = log2Ceil(gatherBeatBytes(p));
  const slot = [0, 1].map((k) => {
    const f = op.bits.bits((k + 1) * OP_SLOT_BITS - 1, k * OP_SLOT_BITS);
    return { value: f.bits(GATHER_SLOT_BITS - 1, 0), isConst: f.bit(GATHER_SLOT_BITS), isNew: f.bit(GATHER_SLOT_BITS + 1) };
  });
  const [s0, s1] = slot as [(typeof slot)[0], (typeof slot)[0]];
  const half = m.reg('use_half', Bool(), { init: 0 });
  const held = m.reg('held_byte', UInt(8), { init: 0 });
  const lastBeat = m.reg('last_beat', UInt(p.dataBits), { init: 0 });
  const byteOf = (name: string, fromHead: Expr, offset: Expr): Expr =>
    m.node(
      name,
      mux(fromHead, beat.bits, lastBeat)
        .dshr(cat(offset.bits(offBits - 1, 0), lit(0, 3)))
        .trunc(8),
    );
  const byte0 = byteOf('byte_0', s0.isNew, s0.value);
  const byte1 = byteOf('byte_1', s0.isNew.or(s1.isNew), s1.value);
  const value0 = mux(half, held.zext(GATHER_SLOT_BITS), mux(s0.isConst, s0.value, byte0.zext(GATHER_SLOT_BITS)));
  const value1 = mux(s1.isConst, s1.value, byte1.zext(GATHER_SLOT_BITS));
  const both = m.node('use_two', s0.isNew.and(s1.isNew));
  const needBeat = m.node('need_beat', half.or(s0.isNew).or(s1.isNew));
  out.valid.set(op.valid.and(half.or(both.not())).and(needBeat.not().or(beat.valid)));
  out.bits.set(cat(value1, value0));
  const done = m.node('out_take', out.valid.and(out.ready));
  // Slot 0 of a two-beat op: its byte is kept, its beat becomes the last one.
  const split = m.node('use_split', op.valid.and(half.not()).and(both).and(beat.valid));
  op.ready.set(done);
  beat.ready.set(done.and(needBeat).or(split));
  m.when(beat.valid.and(beat.ready), () => lastBeat.set(beat.bits));
  m.when(split, () => {
    held.set(byte0);
    half.set(1);
  }).elsewhen(done, () => half.set(0));
  return { half };
}

/**
 * An AXI4 byte-gather read engine (README.md here, "The gather DMA"): each `entry` (two 32-bit slot sources,
 * spec/axi.ts's gatherConst and gatherByte) becomes one 24-bit `out` word, slot 1 above slot 0,
 * in entry order. A byte source reads its beat with a one-beat INCR read (one ID, so answers
 * come in order) unless it lies in the beat of the read issued last, which it reuses; up to
 * `outstanding` reads are in flight and an op FIFO carries each entry to the beats it waits
 * for, so reads go out one a cycle and entries that read nothing pass one a cycle. Every beat
 * issued has a place in the beat buffer, so `m_axi_rready` is always high. `error` (sticky): a
 * response other than OKAY (the word still comes out, with the byte as read), a beat with no
 * read in flight (dropped), or a beat without `rlast`. `idle`: nothing issued, buffered or in
 * progress.
 */
export const AxiGatherDma = defineModule(
  'AxiGatherDma',
  (m, p: AxiGatherDmaParams) => {
    checkAxiGatherDmaParams(p);
    const io = {
      entry: m.input('entry', Decoupled(UInt(GATHER_ENTRY_BITS))),
      out: m.output('out', Decoupled(UInt(gatherWordBits))),
      idle: m.output('idle', Bool()),
      error: m.output('error', Bool()),
    };
    const ports = axiReadMaster(m, p.dataBits);
    const axi = shortNames(ports);
    const ops = m.instance('ops', LinkBuffer, { depth: beatDepth(p) + 2, width: 2 * OP_SLOT_BITS });
    const beats = m.instance('beats', LinkBuffer, { depth: beatDepth(p), width: p.dataBits });

    // Reads issued and not answered (at most `outstanding`), and issued with their beat not yet
    // used (at most the beat buffer's depth: every beat that arrives has a place).
    const flight = m.reg('flight', UInt(widthOf(p.outstanding)), { init: 0 });
    const owed = m.reg('owed', UInt(widthOf(beatDepth(p))), { init: 0 });
    const room = m.node('read_room', flight.lt(p.outstanding).and(owed.lt(beatDepth(p))));
    const iss = issueSide(m, p, io.entry, axi, { ready: ops.enq.ready, room });
    ops.enq.valid.set(iss.take);
    ops.enq.bits.set(iss.op);

    axi.rready.set(1);
    const arrive = m.node('r_arrive', axi.rvalid.and(flight.ne(0)));
    beats.enq.valid.set(arrive);
    beats.enq.bits.set(axi.rdata);
    const use = consumeSide(m, p, ops.deq, beats.deq, io.out);
    flight.set(flight.addWrap(iss.issue).subWrap(arrive).trunc(flight.width));
    owed.set(owed.addWrap(iss.issue).subWrap(beats.deq.valid.and(beats.deq.ready)).trunc(owed.width));

    const error = m.reg('error_seen', Bool(), { init: 0 });
    const bad = arrive.and(axi.rresp.ne(AXI_RESP_OKAY).or(axi.rlast.not())).or(axi.rvalid.and(flight.eq(0)));
    m.when(bad, () => error.set(1));
    io.error.set(error);
    io.idle.set(owed.eq(0).and(ops.deq.valid.not()).and(iss.half.not()).and(use.half.not()));
    return { ...io, ...ports };
  },
  { nameFor: (p) => `AxiGatherDma_d${p.dataBits}o${p.outstanding}` },
);
