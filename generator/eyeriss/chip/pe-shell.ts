import { Bool, Decoupled, UInt, defineModule, mux, widthOf, type Expr, type Signal } from '../../dsl/index.js';
import { LinkBuffer } from '../noc/link-buffer.js';
import { SparsePe } from '../pe/pe.js';
import { checkPeParams, peWidths, PSUM_WIDTH, WORD_WIDTH, type PeParams } from '../../../spec/pe/params.js';
import { peJobLayout, peJobWidth, PAD_WORD, SLOT_BITS, SLOT_TAG, type ChipParams } from '../../../spec/chip/format.js';
import { fit } from '../pe/fit.js';

export interface PeShellParams {
  /** Its psumLanes is the psums per column-link word. */
  pe: PeParams;
  /** Iact words the shell buffers ahead of the PE (>= 2). */
  iactQueue: number;
}

/**
 * Iact words a shell buffers: enough that a PE busy draining its psums (when it takes no iacts)
 * does not stall its fabric input for the PEs that share it.
 */
export const IACT_QUEUE = 8;

export const peShellParams = (p: ChipParams): PeShellParams => ({ pe: p.pe, iactQueue: IACT_QUEUE });

/**
 * A sparse PE with the adapters that put it on the chip's networks (chip/README.md): a 2-entry
 * job queue; the iact ingress, which sorts the tagged 12-bit slots of 24-bit NoC words into the
 * PE's address and data ports and drops pads; the weight ingress, which unpacks a job's address
 * entries and then passes its data words, dropping pad words wherever they arrive; and a psum
 * output queue. The PE drains whole column-link words (PeParams.psumLanes psums each).
 */
export const PeShell = defineModule(
  'PeShell',
  (m, p: PeShellParams) => {
    checkPeParams(p.pe);
    if (!Number.isInteger(p.iactQueue) || p.iactQueue < 2) throw new Error(`PeShell: iactQueue must be >= 2 (one word per cycle), got ${p.iactQueue}`);
    const w = peWidths(p.pe);
    const psumWordWidth = p.pe.psumLanes * PSUM_WIDTH;
    const layout = peJobLayout(p.pe);
    const jobWidth = peJobWidth(p.pe);

    const cmd = m.input('cmd', Decoupled(UInt(jobWidth)));
    const iactPort = m.input('iact', Decoupled(UInt(WORD_WIDTH)));
    const weight = m.input('weight', Decoupled(UInt(WORD_WIDTH)));
    const psumIn = m.input('psum_in', Decoupled(UInt(psumWordWidth)));
    const psumOut = m.output('psum_out', Decoupled(UInt(psumWordWidth)));
    const idle = m.output('idle', Bool());

    const pe = m.instance('pe', SparsePe, p.pe);
    pe.done.ready.set(1);

    // ---- job queue and start: a job starts when the PE and every adapter are free for it.
    const q = m.instance('cmd_q', LinkBuffer, { depth: 2, width: jobWidth });
    m.connect(q.enq, cmd);
    const head = q.deq.bits;
    const fieldOf = (name: string): Expr => {
      const f = layout.find((x) => x.name === name)!;
      const v = head.bits(f.offset + f.width - 1, f.offset);
      return f.width === 1 ? v.asBool() : v;
    };
    const cfgBits = pe.cfg.bits as unknown as Record<string, Signal>;
    for (const f of layout) cfgBits[f.name]!.set(fieldOf(f.name));

    const wAddrLeft = m.reg('w_addr_left', UInt(w.colCount), { init: 0 });
    const wDataLeft = m.reg('w_data_left', UInt(w.wordCount), { init: 0 });
    const wBufFull = m.reg('w_buf_full', Bool(), { init: 0 });
    const free = m.node('free', wAddrLeft.eq(0).and(wDataLeft.eq(0)).and(wBufFull.not()));
    pe.cfg.valid.set(q.deq.valid.and(free));
    q.deq.ready.set(pe.cfg.ready.and(free));
    const start = m.node('start', pe.cfg.valid.and(pe.cfg.ready));
    const keepW = fieldOf('keepWeights');
    const cols = m.node('job_cols', fit(fieldOf('segLen').mul(fieldOf('winSegs')), w.colCount));

    // ---- iact ingress: a word queue, then one slot per cycle.
    const iq = m.instance('iact_q', LinkBuffer, { depth: p.iactQueue, width: WORD_WIDTH });
    m.connect(iq.enq, iactPort);
    const iact = iq.deq;
    const iBuf = m.reg('i_buf', UInt(WORD_WIDTH), { init: 0 });
    const iSlot = m.reg('i_slot', Bool(), { init: 0 });
    const iFull = m.reg('i_full', Bool(), { init: 0 });
    const slot = m.node('i_cur', mux(iSlot, iBuf.bits(2 * SLOT_BITS - 1, SLOT_BITS), iBuf.bits(SLOT_BITS - 1, 0)));
    const tagged = m.node('i_tagged', slot.bits(SLOT_BITS - 1, SLOT_BITS - 4).eq(SLOT_TAG));
    const isPad = m.node('i_is_pad', tagged.and(slot.bit(SLOT_BITS - 5)));
    const isAddr = m.node('i_is_addr', tagged.and(slot.bit(SLOT_BITS - 5).not()));
    pe.iact_addr.valid.set(iFull.and(isAddr));
    pe.iact_addr.bits.set(slot.bits(w.iactPtr - 1, 0));
    pe.iact_data.valid.set(iFull.and(tagged.not()));
    pe.iact_data.bits.set(slot);
    const iAdv = m.node('i_adv', iFull.and(isPad.or(isAddr.and(pe.iact_addr.ready)).or(tagged.not().and(pe.iact_data.ready))));
    iact.ready.set(iFull.not().or(iAdv.and(iSlot)));
    m.when(iact.valid.and(iact.ready), () => {
      iBuf.set(iact.bits);
      iSlot.set(0);
      iFull.set(1);
    }).elsewhen(iAdv, () => {
      m.when(iSlot, () => iFull.set(0)).otherwise(() => iSlot.set(1));
    });

    // ---- weight ingress: address entries unpacked from whole words, then data words straight through.
    const aw = p.pe.weightAddrWidth;
    const perWord = Math.floor(WORD_WIDTH / aw);
    const wBuf = m.reg('w_buf', UInt(WORD_WIDTH), { init: 0 });
    const wIdx = m.reg('w_idx', UInt(Math.max(1, widthOf(perWord - 1))), { init: 0 });
    const entries = Array.from({ length: perWord }, (_, k) => wBuf.bits((k + 1) * aw - 1, k * aw));
    let entry: Expr = entries[0]!;
    for (let k = 1; k < perWord; k++) entry = mux(wIdx.eq(k), entries[k]!, entry);
    const inAddr = m.node('w_in_addr', wAddrLeft.ne(0));
    const inData = m.node('w_in_data', wAddrLeft.eq(0).and(wDataLeft.ne(0)));
    pe.weight_addr.valid.set(wBufFull);
    pe.weight_addr.bits.set(entry);
    // Pads are dropped whenever they arrive: a PE can finish a job and start loading the next one
    // while the pads that align its class for the previous step are still on their way.
    const wPad = m.node('w_pad', weight.bits.eq(PAD_WORD));
    pe.weight_data.valid.set(inData.and(weight.valid).and(wPad.not()));
    pe.weight_data.bits.set(weight.bits);
    weight.ready.set(mux(wPad, 1, mux(inAddr, wBufFull.not(), mux(inData, pe.weight_data.ready, 0))));
    const addrTake = m.node('w_addr_take', wBufFull.and(pe.weight_addr.ready));
    m.when(start, () => {
      wAddrLeft.set(mux(keepW.or(fieldOf('weightDense')), 0, cols));
      wDataLeft.set(fieldOf('weightWords'));
    }).otherwise(() => {
      m.when(addrTake, () => wAddrLeft.set(wAddrLeft.subWrap(1)));
      m.when(pe.weight_data.valid.and(pe.weight_data.ready), () => wDataLeft.set(wDataLeft.subWrap(1)));
    });
    m.when(inAddr.and(wBufFull.not()).and(weight.valid).and(wPad.not()), () => {
      wBuf.set(weight.bits);
      wIdx.set(0);
      wBufFull.set(1);
    }).elsewhen(addrTake, () => {
      m.when(wIdx.eq(perWord - 1).or(wAddrLeft.eq(1)), () => wBufFull.set(0)).otherwise(() => wIdx.set(wIdx.addWrap(1)));
    });

    // ---- psums: the PE's drain words are the column link's words. They leave through a 2-entry
    // queue whose ready depends only on its own registers, so a column of shells has no
    // combinational ready path from one PE to the next and still moves a word per cycle.
    m.connect(pe.psum_in, psumIn);
    const pq = m.instance('psum_q', LinkBuffer, { depth: 2, width: psumWordWidth });
    m.connect(pq.enq, pe.psum_out);
    m.connect(psumOut, pq.deq);

    idle.set(q.deq.valid.not().and(pe.cfg.ready).and(free).and(pq.deq.valid.not()).and(iFull.not()).and(iact.valid.not()));
    return { cmd, iact: iactPort, weight, psum_in: psumIn, psum_out: psumOut, idle };
  },
  {
    nameFor: (p) =>
      `PeShell_l${p.pe.psumLanes}_iq${p.iactQueue}_ia${p.pe.iactAddrDepth}x${p.pe.iactDataDepth}_wa${p.pe.weightAddrDepth}x${p.pe.weightAddrWidth}_wd${p.pe.weightDataDepth}_ps${p.pe.psumDepth}`,
  },
);
