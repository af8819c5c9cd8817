import {
  Bool,
  Bundle,
  Decoupled,
  SRAM,
  UInt,
  Vec,
  cat,
  defineModule,
  lit,
  mux,
  widthOf,
  type Expr,
  type ModuleBuilder,
  type Signal,
  type VecHandle,
} from '../../dsl/index.js';
import type { DecoupledIo } from '../noc/router.js';
import { peJobHeaderBundle } from './cfg-port.js';
import { fit } from './fit.js';
import { buildIactFetch } from './iact-fetch.js';
import { buildMacPipe } from './mac-pipe.js';
import { CYCLE_COUNTER_WIDTH, PAIR_WIDTH, PSUM_WIDTH, WORD_WIDTH, checkPeParams, peWidths, type PeParams } from '../../../spec/pe/params.js';

/** Job phases (README.md, "Job sequence"). */
const IDLE = 0;
const LOAD = 1;
const COMPUTE = 2;
const DRAIN = 3;
const REPORT = 4;

/**
 * The Eyeriss v2 sparse PE (spec section 4): CSC or dense iacts and weights, SIMD-2, zero
 * skipping on both operands, psums accumulated in place. Ports, configuration and pipeline
 * are described in README.md beside this file.
 */
export const SparsePe = defineModule(
  'SparsePe',
  (m, p: PeParams) => {
    checkPeParams(p);
    const w = peWidths(p);

    const cfg = m.input('cfg', Decoupled(peJobHeaderBundle(p)));
    const iactAddrIn = m.input('iact_addr', Decoupled(UInt(w.iactPtr)));
    const iactDataIn = m.input('iact_data', Decoupled(UInt(PAIR_WIDTH)));
    const weightAddrIn = m.input('weight_addr', Decoupled(UInt(p.weightAddrWidth)));
    const weightDataIn = m.input('weight_data', Decoupled(UInt(WORD_WIDTH)));
    const L = p.psumLanes;
    const psumIn = m.input('psum_in', Decoupled(UInt(L * PSUM_WIDTH)));
    const psumOut = m.output('psum_out', Decoupled(UInt(L * PSUM_WIDTH)));
    const done = m.output('done', Decoupled(Bundle({ active: UInt(CYCLE_COUNTER_WIDTH), starved: UInt(CYCLE_COUNTER_WIDTH) })));

    const state = m.reg('state', UInt(3), { init: IDLE });
    const inState = (s: number) => state.eq(lit(s, 3));
    cfg.ready.set(inState(IDLE));
    const accept = m.node('accept', cfg.valid.and(inState(IDLE)));
    const c = cfg.bits;

    // ---- configuration registers, latched when a job is accepted
    const keep = (name: string, v: Expr) => m.regNext(`cfg_${name}`, v, { enable: accept });
    const psums = m.node('cfg_psums', fit(c.nWin.mul(c.m0), w.psumCount));
    const cols = m.node('cfg_cols', fit(c.segLen.mul(c.winSegs), w.colCount));
    const segs = m.node('cfg_segs', fit(c.nWin.subWrap(1).mul(c.strideSegs).add(c.winSegs), w.segStream));
    const conf = {
      m0: keep('m0', c.m0),
      segLen: keep('seg_len', c.segLen),
      winSegs: keep('win_segs', c.winSegs),
      strideSegs: keep('stride_segs', c.strideSegs),
      nWin: keep('n_win', c.nWin),
      iactDense: keep('iact_dense', c.iactDense),
      weightDense: keep('weight_dense', c.weightDense),
      iactSigned: keep('iact_signed', c.iactSigned),
      wordsPerCol: keep('words_per_col', fit(c.m0.add(1).shr(1), w.psumCount)),
    };
    const nPsum = keep('n_psum', psums);
    const emitPsums = keep('psum_out', c.psumOut);
    const addPsumIn = keep('add_psum_in', c.addPsumIn);

    const { loading, iaLoad, idLoad, preloaded, firstSeg, firstEntry, iactAddr, iactData, weightAddr, weightData, psum } = buildLoaders(m, p, {
      accept,
      inState,
      ports: { iactAddrIn, iactDataIn, weightAddrIn, weightDataIn },
      goals: { segs, cols, iactLen: c.iactLen, weightWords: c.weightWords },
      modes: { iactDense: c.iactDense, weightDense: c.weightDense, keepWeights: c.keepWeights },
    });

    // ---- compute: the whole pipeline holds while stage A waits for iacts still in flight
    const tokenTaken = m.wire('token_taken', Bool());
    const run = m.wire('pipe_run', Bool());
    const fetch = buildIactFetch(m, p, {
      start: accept,
      run,
      tokenTaken,
      iactAddr,
      iactData,
      segsLoaded: iaLoad.count,
      entriesLoaded: idLoad.count,
      cfg: conf,
    });
    run.set(inState(COMPUTE).and(fetch.starved.not()));
    firstSeg.set(fetch.firstNeededSeg);
    firstEntry.set(fetch.firstNeededEntry);
    const pipe = buildMacPipe(m, p, { run, token: fetch.token, weightAddr, sram: weightData, cfg: conf });
    tokenTaken.set(pipe.tokenTaken);

    const { drainIdx, lanes, laneIdxWidth, drainFire } = buildDrain(m, p, { draining: inState(DRAIN), psum, psumIn, psumOut, nPsum, addPsumIn, emitPsums });

    // ---- psum SPad: clear, two read-modify-write ports (stage E), drain write-back
    const clear = m.node('psum_clear', accept.and(c.keepPsums.not()));
    psum.elems.forEach((e) => m.when(clear, () => e.set(0)));
    for (const wr of pipe.writes) {
      m.when(run.and(wr.valid), () => psum.write(wr.index, psum.read(wr.index).addWrap(wr.addend)));
    }
    for (const lane of lanes) m.when(drainFire.and(lane.live), () => psum.write(fit(lane.idx, w.psumIndex), lane.result));

    // ---- phases and the done record
    const active = m.reg('active_cycles', UInt(CYCLE_COUNTER_WIDTH));
    const starved = m.reg('starved_cycles', UInt(CYCLE_COUNTER_WIDTH));
    const finished = m.node('compute_finished', run.and(fetch.done).and(pipe.busy.not()));
    done.valid.set(inState(REPORT));
    done.bits.active.set(active);
    done.bits.starved.set(starved);

    m.when(accept, () => {
      state.set(LOAD);
      active.set(0);
      starved.set(0);
      drainIdx.set(0);
    });
    m.when(loading.and(preloaded), () => state.set(COMPUTE));
    m.when(inState(COMPUTE), () => {
      m.when(run, () => active.set(active.addWrap(1))).otherwise(() => starved.set(starved.addWrap(1)));
      m.when(finished, () => state.set(mux(emitPsums.or(addPsumIn), lit(DRAIN, 3), lit(REPORT, 3))));
    });
    m.when(drainFire, () => {
      drainIdx.set(fit(lanes[L - 1]!.idx.addWrap(lit(1, laneIdxWidth)), w.psumCount));
      m.when(lanes[L - 1]!.idx.add(1).ge(nPsum), () => state.set(REPORT));
    });
    m.when(done.ready.and(inState(REPORT)), () => state.set(IDLE));

    return {
      cfg,
      iact_addr: iactAddrIn,
      iact_data: iactDataIn,
      weight_addr: weightAddrIn,
      weight_data: weightDataIn,
      psum_in: psumIn,
      psum_out: psumOut,
      done,
    };
  },
  {
    // Readable and unique per SPad geometry, so ASIC/FPGA flows see a stable name per configuration.
    nameFor: (p) =>
      `SparsePe_ia${p.iactAddrDepth}_id${p.iactDataDepth}_wa${p.weightAddrDepth}x${p.weightAddrWidth}_wd${p.weightDataDepth}_ps${p.psumDepth}x${p.psumLanes}`,
  },
);

interface DrainInputs {
  draining: Expr;
  psum: VecHandle<Signal>;
  psumIn: DecoupledIo;
  psumOut: DecoupledIo;
  nPsum: Expr;
  addPsumIn: Expr;
  emitPsums: Expr;
}

/**
 * The drain: L results per cycle, result = psum (+ psum_in lane), to psum_out and/or back into
 * the SPad. Lanes past the job's last psum carry zero and write nothing.
 */
function buildDrain(m: ModuleBuilder, p: PeParams, { draining, psum, psumIn, psumOut, nPsum, addPsumIn, emitPsums }: DrainInputs) {
  const L = p.psumLanes;
  const w = peWidths(p);
  const drainIdx = m.reg('drain_index', UInt(w.psumCount));
  const laneIdxWidth = widthOf(p.psumDepth - 1 + L);
  const lanes = Array.from({ length: L }, (_, k) => {
    const idx = m.node(`drain_index_${k}`, drainIdx.pad(laneIdxWidth).addWrap(lit(k, laneIdxWidth)));
    const live = m.node(`drain_live_${k}`, idx.lt(nPsum));
    const addend = psumIn.bits.bits((k + 1) * PSUM_WIDTH - 1, k * PSUM_WIDTH);
    const result = m.node(`drain_result_${k}`, psum.read(fit(idx, w.psumIndex)).addWrap(mux(addPsumIn, addend, lit(0, PSUM_WIDTH))));
    return { idx, live, result, out: mux(live, result, lit(0, PSUM_WIDTH)) };
  });
  // Each side waits only for the handshakes this job uses.
  const inOk = m.node('drain_in_ok', addPsumIn.not().or(psumIn.valid));
  const outOk = m.node('drain_out_ok', emitPsums.not().or(psumOut.ready));
  psumOut.valid.set(draining.and(emitPsums).and(inOk));
  psumOut.bits.set(lanes.slice(1).reduce<Expr>((word, lane) => cat(lane.out, word), lanes[0]!.out));
  psumIn.ready.set(draining.and(addPsumIn).and(outOk));
  const drainFire = m.node('drain_fire', draining.and(inOk).and(outOk));

  return { drainIdx, lanes, laneIdxWidth, drainFire };
}

interface LoaderInputs {
  accept: Expr;
  inState: (phase: number) => Expr;
  ports: { iactAddrIn: DecoupledIo; iactDataIn: DecoupledIo; weightAddrIn: DecoupledIo; weightDataIn: DecoupledIo };
  goals: { segs: Expr; cols: Expr; iactLen: Expr; weightWords: Expr };
  modes: { iactDense: Expr; weightDense: Expr; keepWeights: Expr };
}

/**
 * The loaders: one counter per input port, ready while the job wants more and there is room,
 * and the SPads they fill.
 */
function buildLoaders(m: ModuleBuilder, p: PeParams, { accept, inState, ports, goals, modes }: LoaderInputs) {
  const w = peWidths(p);
  const { iactAddrIn, iactDataIn, weightAddrIn, weightDataIn } = ports;
  const loader = (name: string, port: { valid: Expr; ready: Signal }, width: number, goal: Expr, room: (count: Expr) => Expr) => {
    const count = m.reg(`${name}_count`, UInt(width));
    const target = m.regNext(`${name}_goal`, goal, { enable: accept });
    const more = m.node(`${name}_more`, count.lt(target));
    const ready = m.node(`${name}_ready`, more.and(room(count)));
    port.ready.set(ready);
    const fire = m.node(`${name}_fire`, port.valid.and(ready));
    m.when(accept, () => count.set(0)).elsewhen(fire, () => count.set(count.addWrap(1)));
    return { count, fire, more };
  };
  const loading = inState(LOAD);
  // Iacts stream through the compute phase into the circular SPads; stage A says what it still needs.
  const streaming = m.node('iact_streaming', inState(LOAD).or(inState(COMPUTE)));
  const firstSeg = m.wire('first_needed_seg', UInt(w.segStream));
  const firstEntry = m.wire('first_needed_entry', UInt(w.iactStream));
  const iaLoad = loader('ld_iact_addr', iactAddrIn, w.segStream, mux(modes.iactDense, lit(0, w.segStream), goals.segs), (n) =>
    streaming.and(n.subWrap(firstSeg).lt(p.iactAddrDepth)),
  );
  const idLoad = loader('ld_iact_data', iactDataIn, w.iactStream, goals.iactLen, (n) => streaming.and(n.subWrap(firstEntry).lt(p.iactDataDepth)));
  const waLoad = loader(
    'ld_weight_addr',
    weightAddrIn,
    w.colCount,
    mux(modes.keepWeights.or(modes.weightDense), lit(0, w.colCount), goals.cols),
    () => loading,
  );
  const wdLoad = loader('ld_weight_data', weightDataIn, w.wordCount, mux(modes.keepWeights, lit(0, w.wordCount), goals.weightWords), () => loading);
  // Weights must be complete before computing; iacts may still be arriving.
  const preloaded = m.node('preloaded', waLoad.more.or(wdLoad.more).not());

  const iactAddr = m.mem('iact_addr_spad', p.iactAddrDepth, UInt(w.iactPtr));
  const iactData = m.mem('iact_data_spad', p.iactDataDepth, UInt(PAIR_WIDTH));
  const weightAddr = m.mem('weight_addr_spad', p.weightAddrDepth, UInt(p.weightAddrWidth));
  const weightData = m.instance('weight_data_spad', SRAM, { depth: p.weightDataDepth, width: WORD_WIDTH });
  const psum = m.reg('psum_spad', Vec(p.psumDepth, UInt(PSUM_WIDTH)));

  // The address SPad is circular with a depth that need not be a power of two.
  const iaSlot = m.reg('ld_iact_addr_slot', UInt(w.iactAddrIndex));
  m.when(accept, () => iaSlot.set(0)).elsewhen(iaLoad.fire, () => iaSlot.set(mux(iaSlot.eq(p.iactAddrDepth - 1), lit(0, w.iactAddrIndex), iaSlot.addWrap(1))));
  m.when(iaLoad.fire, () => iactAddr.write(iaSlot, iactAddrIn.bits));
  m.when(idLoad.fire, () => iactData.write(fit(idLoad.count, w.iactPtr), iactDataIn.bits));
  m.when(waLoad.fire, () => weightAddr.write(fit(waLoad.count, w.weightAddrIndex), weightAddrIn.bits));
  weightData.wr_en.set(wdLoad.fire);
  weightData.wr_addr.set(fit(wdLoad.count, w.weightDataIndex));
  weightData.wr_data.set(weightDataIn.bits);
  return { loading, iaLoad, idLoad, preloaded, firstSeg, firstEntry, iactAddr, iactData, weightAddr, weightData, psum };
}
