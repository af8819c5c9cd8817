// The RTL program of a layer (runtime/rtl/program.ts), interpreted word by word without RTL:
// configuration writes decoded into router selects and fabric classes, command words decoded
// with spec/chip/format.ts's layouts, iact/weight streams split by the fabric class filter, each PE shell's
// ingress (iact slot tags, weight counts per job, pads between jobs), each job computed from the
// words it received, psums up the columns and across clusters, GLB psum banks (write-through,
// lane-wise accumulate, read-out) or the bypass, and finally decodeOutputs() == referenceLayer().
import { describe, expect, it } from 'vitest';
import { paperArch, parseArch, type ArchConfig } from '../../spec/arch.js';
import { decodeIactSegments, decodeWeightCsc, unpackPair, type WeightMatrix } from '../../spec/csc.js';
import { addLanes, addresses } from '../../spec/glb.js';
import { runChipModel } from '../../golden/chip-model.js';
import { filtersPerGroup, makeLayer, outH, outW, type Layer, type LayerType } from '../../golden/layers.js';
import { mapLayer, type Mapping } from '../../golden/mapper.js';
import type { SpatialDim } from '../../golden/placement.js';
import { meshPlans } from '../../golden/mesh-plan.js';
import { requantize, wrapPsum, PSUM_BITS } from '../../spec/numerics.js';
import { referencePeTile } from '../../golden/pe/reference.js';
import { generateLayerData } from '../../golden/random.js';
import { referenceLayer, requantizeAll } from '../../golden/reference.js';
import {
  CFG_DATA_BITS,
  cfgBroadcastAddr,
  cfgClusterStride,
  cfgEnableAddr,
  cfgOutputAddr,
  decodeOutputConfig,
  multiplierBits,
  OUTPUT_VALUE_BITS,
  cfgWordsPerCluster,
  CMD_END,
  CMD_KIND_BITS,
  CMD_PE_JOB,
  CMD_PSUM_IN,
  CMD_PSUM_OUT,
  cmdPayloadLayouts,
  cmdPayloadOffset,
  cmdTargetBits,
  cmdWidth,
  PAD_WORD,
  packPsums,
  psumWordsOf,
  unpackPsums,
  weightAddrPerWord,
  type ChipParams,
  type ClusterCmd,
} from '../../spec/chip/format.js';
import { type AddrPattern } from '../../spec/glb.js';
import { clusterCfgLayout, clusterCfgWidth } from '../../spec/noc/cfg-layout.js';
import { neighbour, oppositeDir, routerSpec, type PortDir } from '../../spec/noc/topology.js';
import { streamSegments, weightColumns, type PeJobHeader } from '../../spec/pe/job.js';
import { namedArchs } from '../../spec/archs.js';
import { buildProgram, decodeOutputs, type ProgramOptions, type RtlProgram } from '../../runtime/rtl/program.js';
import { randomSmallLayer } from '../../golden/random-layer.js';
import { runIactSegments } from '../../golden/glb/iact-segments.js';
import { iactPortWords } from '../support/chip-run.js';

// ---------------------------------------------------------------------------------------------
// Decoders of the program's words (independent of program.ts, from spec/chip/format.ts's layouts only).

const field = (v: bigint, offset: number, width: number): number => Number((v >> BigInt(offset)) & ((1n << BigInt(width)) - 1n));

function decodeCmd(p: ChipParams, w: bigint): ClusterCmd {
  if (w < 0n || w >= 1n << BigInt(cmdWidth(p))) throw new Error(`command word ${w} does not fit ${cmdWidth(p)} bits`);
  const kind = field(w, 0, CMD_KIND_BITS);
  const target = field(w, CMD_KIND_BITS, cmdTargetBits(p));
  const payload = w >> BigInt(cmdPayloadOffset(p));
  const { pe, glb } = cmdPayloadLayouts(p);
  const get = (fields: typeof pe): Record<string, number> => Object.fromEntries(fields.map((f) => [f.name, field(payload, f.offset, f.width)]));
  switch (kind) {
    case CMD_PE_JOB: {
      const f = get(pe);
      const b = (k: string): boolean => f[k] === 1;
      const header: PeJobHeader = {
        m0: f.m0!,
        segLen: f.segLen!,
        winSegs: f.winSegs!,
        strideSegs: f.strideSegs!,
        nWin: f.nWin!,
        iactLen: f.iactLen!,
        weightWords: f.weightWords!,
        iactDense: b('iactDense'),
        weightDense: b('weightDense'),
        iactSigned: b('iactSigned'),
        keepWeights: b('keepWeights'),
        keepPsums: b('keepPsums'),
        addPsumIn: b('addPsumIn'),
        psumOut: b('psumOut'),
      };
      return { kind: 'pe', pe: target, header };
    }
    case CMD_PSUM_IN:
    case CMD_PSUM_OUT: {
      const f = get(glb);
      const addr: AddrPattern = { base: f.base!, stride0: f.stride0!, count0: f.count0!, stride1: f.stride1!, count1: f.count1! };
      return kind === CMD_PSUM_IN ? { kind: 'psumIn', bank: target, accumulate: f.accumulate === 1, addr } : { kind: 'psumOut', bank: target, addr };
    }
    case CMD_END:
      return { kind: 'end' };
    default:
      throw new Error(`unknown command kind ${kind}`);
  }
}

interface ClusterCfg {
  get(name: string): number;
  psumBypass: boolean;
  iactStaged: boolean[];
}

/** The configuration writes, in order, back into per-cluster fields (clusterCfgLayout) and the bypass bit; broadcast words write every cluster. */
function decodeConfig(p: ChipParams, writes: { addr: number; data: number }[]): ClusterCfg[] {
  const words = cfgWordsPerCluster(p);
  const mem: (number | undefined)[][] = Array.from({ length: p.rows * p.cols }, () => new Array<number | undefined>(words));
  writes.forEach((w, i) => {
    if (w.addr === cfgEnableAddr(p)) {
      if (i !== writes.length - 1 || w.data !== 1) throw new Error('enable must be the last write, with data 1');
      return;
    }
    if (w.addr === cfgOutputAddr(p)) return; // the output stage: outputStage()
    if (!Number.isInteger(w.data) || w.data < 0 || w.data >= 2 ** CFG_DATA_BITS) throw new Error(`config data ${w.data} is not a 32-bit word`);
    const b = w.addr - cfgBroadcastAddr(p, 0);
    if (b >= 0 && b < words) mem.forEach((m) => (m[b] = w.data));
    else {
      const [c, k] = [Math.floor(w.addr / cfgClusterStride(p)), w.addr % cfgClusterStride(p)];
      if (c >= mem.length || k >= words) throw new Error(`config write to ${w.addr}, which names no cluster word`);
      mem[c]![k] = w.data;
    }
  });
  const layout = clusterCfgLayout(p.noc);
  return Array.from({ length: p.rows * p.cols }, (_, c) => {
    let bits = 0n;
    for (let w = 0; w < words; w++) {
      const v = mem[c]![w];
      if (v === undefined) throw new Error(`cluster ${c} config word ${w} never written`);
      bits |= BigInt(v) << BigInt(w * CFG_DATA_BITS);
    }
    const values = new Map(layout.map((f) => [f.name, field(bits, f.offset, f.width)]));
    return {
      get: (name: string) => {
        const v = values.get(name);
        if (v === undefined) throw new Error(`no config field ${name}`);
        return v;
      },
      psumBypass: field(bits, clusterCfgWidth(p.noc), 1) === 1,
      iactStaged: Array.from({ length: p.glb.iactBanks }, (_, k) => field(bits, clusterCfgWidth(p.noc) + 1 + k, 1) === 1),
    };
  });
}

/** What a staged GLB iact port hands its router: its off-chip words through the golden port model, holding the headers to what the runtime sends. */
function routerWords(p: ChipParams, offchip: readonly number[], where: string, seen: StagingSeen): number[] {
  try {
    const run = runIactSegments(offchip, p.noc.iactWidth, new Array<number | undefined>(p.glb.iactDepth), p.glb.countWidth);
    if (run.unusual > 0) throw new Error(`${run.unusual} headers name no segment the runtime sends (kind 3, a count of 0 or past the bank)`);
    seen.replayed += run.replayed;
    seen.stored += run.stored;
    return run.routed;
  } catch (e) {
    if (e instanceof Error) e.message = `${where}: ${e.message}`;
    throw e;
  }
}

interface StagingSeen {
  replayed: number;
  stored: number;
}

// ---------------------------------------------------------------------------------------------
// The interpreter.

const SLOT_MASK = 0xfff;
const PSUM_MASK = (1 << PSUM_BITS) - 1;
const PSUM_SRC = ['n', 'glb', 'pe'] as const; // select codes 1, 2, 3

interface Slot {
  addr: boolean;
  v: number;
}

interface PeState {
  jobs: PeJobHeader[];
  next: number;
  iact: Slot[];
  ia: number;
  weight: number[];
  wa: number;
  psumIn: bigint[];
  pa: number;
  weights: WeightMatrix | null;
  psums: number[] | null;
  done: number;
}

interface RunResult {
  received: bigint[][][];
  jobs: number;
  droppedWords: number;
  staging: StagingSeen;
}

/**
 * The cluster whose off-chip port feeds cluster c's router r of `net`, following the routers'
 * selects back over the mesh hop by hop (each hop's neighbour must send toward it); null when
 * nothing reaches the router's PEs.
 */
function streamOrigin(p: ChipParams, cfgs: ClusterCfg[], net: 'iact' | 'weight', c: number, r: number): number | null {
  const spec = routerSpec(net, p.noc.eastWest);
  const srcOf = (at: number, dst: PortDir) => spec.srcs[cfgs[at]!.get(`${net}_r${r}_sel_${dst}`) - 1];
  let src = srcOf(c, 'pe');
  for (let hops = 0; ; hops++) {
    if (src === undefined) return null;
    if (src === 'glb') return c;
    expect(hops, `cluster ${c} ${net} router ${r}: the route loops`).toBeLessThan(p.rows * p.cols);
    const nb = neighbour(p, Math.floor(c / p.cols), c % p.cols, src);
    expect(nb, `cluster ${c} ${net} router ${r} takes from '${src}', where it has no neighbour`).toBeDefined();
    c = nb!.i * p.cols + nb!.j;
    src = srcOf(c, oppositeDir(src));
  }
}

/** A CSC job's iacts: streamSegments address slots, each followed by its segment's data slots. */
function takeCscIacts(st: PeState, cfg: PeJobHeader, where: string, depth: number): number[][] {
  const addr: number[] = [];
  const data: number[] = [];
  let prev = 0;
  for (let s = 0; s < streamSegments(cfg); s++) {
    const a = st.iact[st.ia++];
    if (a === undefined || !a.addr) throw new Error(`${where}: expected iact address slot ${s}, got ${a === undefined ? 'nothing' : 'a data slot'}`);
    addr.push(a.v);
    const len = (a.v - prev + depth) % depth;
    prev = a.v;
    for (let i = 0; i < len; i++) {
      const x = st.iact[st.ia++];
      if (x === undefined || x.addr) throw new Error(`${where}: segment ${s} needs ${len} data slots, got fewer`);
      data.push(x.v);
    }
  }
  expect(data.length, `${where}: iact data entries vs iactLen`).toBe(cfg.iactLen);
  return decodeIactSegments({ data, addr, segmentLength: cfg.segLen, signed: cfg.iactSigned }, depth);
}

/** A dense job's iacts: iactLen data slots, every value of every segment, counts 0. */
function takeDenseIacts(st: PeState, cfg: PeJobHeader, where: string): number[][] {
  const values: number[] = [];
  for (let i = 0; i < cfg.iactLen; i++) {
    const x = st.iact[st.ia++];
    if (x === undefined || x.addr) throw new Error(`${where}: dense iact ${i} of ${cfg.iactLen}: got ${x === undefined ? 'nothing' : 'an address slot'}`);
    const { count, value } = unpackPair(x.v, cfg.iactSigned);
    expect(count, `${where}: dense iact ${i} has a zero count`).toBe(0);
    values.push(value);
  }
  expect(values.length, `${where}: dense iacts fill whole segments`).toBe(streamSegments(cfg) * cfg.segLen);
  return Array.from({ length: streamSegments(cfg) }, (_, k) => values.slice(k * cfg.segLen, (k + 1) * cfg.segLen));
}

function interpret(prog: RtlProgram): RunResult {
  const p = prog.params;
  const { peRows, peCols } = p.noc;
  const pesPer = peRows * peCols;
  const nClusters = p.rows * p.cols;
  const cfgs = decodeConfig(p, prog.config);
  const depth = p.pe.iactDataDepth;
  const apw = weightAddrPerWord(p);
  const aw = p.pe.weightAddrWidth;
  let droppedWords = 0;
  const staging: StagingSeen = { replayed: 0, stored: 0 };

  const pes: PeState[] = Array.from({ length: nClusters * pesPer }, () => ({
    jobs: [],
    next: 0,
    iact: [],
    ia: 0,
    weight: [],
    wa: 0,
    psumIn: [],
    pa: 0,
    weights: null,
    psums: null,
    done: 0,
  }));
  const received: bigint[][][] = Array.from({ length: nClusters }, () => Array.from({ length: peCols }, () => []));
  const glbIn: bigint[][][] = Array.from({ length: nClusters }, () => Array.from({ length: peCols }, () => []));
  const glbInAt: number[][] = Array.from({ length: nClusters }, () => new Array<number>(peCols).fill(0));
  const banks: (bigint | undefined)[][][] = Array.from({ length: nClusters }, () =>
    Array.from({ length: peCols }, () => new Array<bigint | undefined>(p.glb.psumDepth)),
  );
  type InStream = { addrs: number[]; pos: number; accumulate: boolean } | null;
  const inStream: InStream[][] = Array.from({ length: nClusters }, () => new Array<InStream>(peCols).fill(null));

  // ---- Fabrics: every stream word to the PEs whose selected input and id match its class.
  prog.clusters.forEach((cl, c) => {
    const cfg = cfgs[c]!;
    const inputs = [...cl.iact.map((w, k) => ['iact', k, w] as const), ...cl.weight.map((w, k) => ['weight', k, w] as const)];
    expect([cl.iact.length, cl.weight.length], `cluster ${c}: one iact stream per iact router, one weight stream per PE row`).toEqual([
      p.noc.iactRouters,
      peRows,
    ]);
    for (const [net, k, words] of inputs) {
      for (const w of words) if (!Number.isInteger(w) || w < 0 || w >= 2 ** 24) throw new Error(`${net} word ${w} is not a 24-bit word`);
      const origin = streamOrigin(p, cfgs, net, c, k);
      if (origin !== c) expect(words.length, `cluster ${c} ${net}_${k} has words but its router does not take its own port`).toBe(0);
      if (origin === null) continue;
      const offchip = origin === c ? words : prog.clusters[origin]![net][k]!;
      const stream =
        net === 'iact' && cfgs[origin]!.iactStaged[k]
          ? routerWords(p, offchip, `cluster ${origin} iact_${k}`, origin === c ? staging : { replayed: 0, stored: 0 })
          : offchip;
      const prefix = net === 'iact' ? 'iact_fab' : `weight_fab${k}`;
      const input = net === 'iact' ? k : 0;
      const ways = cfg.get(`${prefix}_ways_m1_${input}`) + 1;
      const burst = cfg.get(`${prefix}_burst_m1_${input}`) + 1;
      const outputs = net === 'iact' ? pesPer : peCols;
      const takers: number[][] = Array.from({ length: ways }, () => []);
      for (let o = 0; o < outputs; o++) {
        if (cfg.get(`${prefix}_sel_${o}`) !== input + 1) continue;
        const id = cfg.get(`${prefix}_id_${o}`);
        if (id < ways) takers[id]!.push(net === 'iact' ? o : k * peCols + o);
      }
      stream.forEach((w, t) => {
        const who = takers[Math.floor(t / burst) % ways]!;
        if (who.length === 0) droppedWords++;
        for (const pe of who) {
          const st = pes[c * pesPer + pe]!;
          if (net === 'weight') st.weight.push(w);
          else {
            for (const slot of [w & SLOT_MASK, (w >> 12) & SLOT_MASK]) {
              if (slot >> 8 !== 15) st.iact.push({ addr: false, v: slot });
              else if ((slot & 0x80) === 0) st.iact.push({ addr: true, v: slot & 0x7f });
              // else: a pad slot, dropped by the shell's ingress
            }
          }
        }
      });
    }
  });

  // ---- Psum routing: a source's words go to every destination that selects it.
  const route = (c: number, k: number, src: 'n' | 'pe', words: bigint[]): void => {
    const cfg = cfgs[c]!;
    const dsts = (['s', 'glb', 'pe'] as const).filter((d) => PSUM_SRC[cfg.get(`psum_r${k}_sel_${d}`) - 1] === src);
    if (dsts.length === 0) throw new Error(`cluster ${c} psum router ${k}: source ${src} has words but no destination selects it (it would stall)`);
    for (const d of dsts) {
      if (d === 's') {
        const south = c + p.cols;
        if (south >= nClusters) throw new Error(`cluster ${c} psum router ${k} sends south off the array`);
        route(south, k, 'n', words);
      } else if (d === 'pe') {
        pes[c * pesPer + k]!.psumIn.push(...words);
      } else if (cfg.psumBypass) {
        received[c]![k]!.push(...words);
      } else {
        glbIn[c]![k]!.push(...words);
      }
    }
  };
  for (let c = 0; c < nClusters; c++) {
    for (let k = 0; k < peCols; k++) {
      for (const d of ['s', 'glb', 'pe']) {
        if (PSUM_SRC[cfgs[c]!.get(`psum_r${k}_sel_${d}`) - 1] === 'glb')
          throw new Error(`cluster ${c} psum router ${k} routes the bank read to ${d}; the interpreter only supports reads to out_${k}`);
      }
    }
  }

  // ---- A PE job: take its words, compute, emit or keep.
  const tryRun = (c: number, pe: number): boolean => {
    const st = pes[c * pesPer + pe]!;
    const cfg = st.jobs[st.next];
    if (cfg === undefined) return false;
    const where = `cluster ${c} PE ${pe} job ${st.next}`;
    const results = cfg.nWin * cfg.m0;
    const psumWords = cfg.addPsumIn ? psumWordsOf(p, results) : 0;
    if (st.psumIn.length - st.pa < psumWords) return false; // waits for the PE below
    expect(cfg.weightDense || cfg.strideSegs !== 1, `${where}: dense weights or strided job`).toBe(false);
    const segments = cfg.iactDense ? takeDenseIacts(st, cfg, where) : takeCscIacts(st, cfg, where, depth);
    // weights: skip pads at the job boundary, then address words and data words.
    const cols = weightColumns(cfg);
    if (!cfg.keepWeights) {
      while (st.weight[st.wa] === PAD_WORD) st.wa++;
      const addrWords = st.weight.slice(st.wa, st.wa + Math.ceil(cols / apw));
      st.wa += addrWords.length;
      const words = st.weight.slice(st.wa, st.wa + cfg.weightWords);
      st.wa += words.length;
      if (addrWords.length !== Math.ceil(cols / apw) || words.length !== cfg.weightWords) throw new Error(`${where}: weight stream ran out`);
      const entries: number[] = [];
      for (const w of addrWords) for (let j = 0; j < apw; j++) entries.push(Math.floor(w / 2 ** (j * aw)) % 2 ** aw);
      expect(
        entries.slice(cols).every((e) => e === 0),
        `${where}: unused address entries are 0`,
      ).toBe(true);
      const csc = { addr: entries.slice(0, cols), words };
      expect(csc.addr.at(-1), `${where}: last weight column ends at weightWords`).toBe(cfg.weightWords);
      st.weights = decodeWeightCsc(csc, cfg.m0);
    } else if (st.weights === null) {
      if (cfg.psumOut) throw new Error(`${where}: keepWeights with no weights loaded`);
      st.weights = { rows: cfg.m0, cols, data: new Array<number>(cfg.m0 * cols).fill(0) };
    }
    const weights = st.weights;
    expect(weights.rows === cfg.m0 && weights.cols === cols, `${where}: resident weights are ${weights.rows}x${weights.cols}`).toBe(true);
    const initial = cfg.keepPsums ? (st.psums ?? []) : new Array<number>(results).fill(0);
    if (initial.length !== results) throw new Error(`${where}: keepPsums with ${initial.length} resident psums`);
    let out = referencePeTile(
      {
        m0: cfg.m0,
        segLen: cfg.segLen,
        winSegs: cfg.winSegs,
        strideSegs: cfg.strideSegs,
        nWin: cfg.nWin,
        segments,
        weights,
        iactDense: cfg.iactDense,
        weightDense: false,
        iactSigned: cfg.iactSigned,
        keepWeights: cfg.keepWeights,
        keepPsums: cfg.keepPsums,
        psumOut: cfg.psumOut,
      },
      initial,
    );
    if (cfg.addPsumIn) {
      const below = unpackPsums(p, st.psumIn.slice(st.pa, st.pa + psumWords), results);
      st.pa += psumWords;
      out = out.map((v, i) => wrapPsum(v + below[i]!));
    }
    st.next++;
    st.done++;
    if (!cfg.psumOut) {
      st.psums = out;
      return true;
    }
    st.psums = null;
    const words = packPsums(
      p,
      out.map((v) => v & PSUM_MASK),
    );
    const row = Math.floor(pe / peCols),
      col = pe % peCols;
    if (row < peRows - 1) pes[c * pesPer + pe + peCols]!.psumIn.push(...words);
    else route(c, col, 'pe', words);
    return true;
  };

  // ---- Run everything until nothing moves.
  const cmdAt = new Array<number>(nClusters).fill(0);
  const ended = new Array<boolean>(nClusters).fill(false);
  const cmds = prog.clusters.map((cl) => cl.cmds.map((w) => decodeCmd(p, w)));
  prog.clusters.forEach((cl, c) => expect(cmds[c], `cluster ${c}: decoded commands`).toEqual(cl.commands));
  for (let progress = true; progress;) {
    progress = false;
    for (let c = 0; c < nClusters; c++) {
      for (; cmdAt[c]! < cmds[c]!.length;) {
        if (ended[c]) throw new Error(`cluster ${c}: command after end`);
        const cmd = cmds[c]![cmdAt[c]!]!;
        if (cmd.kind === 'pe') pes[c * pesPer + cmd.pe]!.jobs.push(cmd.header);
        else if (cmd.kind === 'end') ended[c] = true;
        else {
          if (cfgs[c]!.psumBypass) throw new Error(`cluster ${c}: ${cmd.kind} command with the psum bypass on`);
          if (inStream[c]![cmd.bank] !== null) break; // waits until the bank's input stream is done
          const addrs = addresses(cmd.addr, p.glb.psumDepth);
          if (cmd.kind === 'psumIn') inStream[c]![cmd.bank] = { addrs, pos: 0, accumulate: cmd.accumulate };
          else {
            for (const a of addrs) {
              const v = banks[c]![cmd.bank]![a];
              if (v === undefined) throw new Error(`cluster ${c} bank ${cmd.bank}: read of unwritten word ${a}`);
              received[c]![cmd.bank]!.push(v);
            }
          }
        }
        cmdAt[c]!++;
        progress = true;
      }
      for (let k = 0; k < peCols; k++) {
        for (let s: InStream = inStream[c]![k]!; s !== null && glbInAt[c]![k]! < glbIn[c]![k]!.length;) {
          const w = glbIn[c]![k]![glbInAt[c]![k]!++]!;
          const a = s.addrs[s.pos++]!;
          const bank = banks[c]![k]!;
          if (s.accumulate) {
            if (bank[a] === undefined) throw new Error(`cluster ${c} bank ${k}: accumulate into unwritten word ${a}`);
            bank[a] = addLanes(bank[a], w, p.glb.psumWidth, p.glb.psumLanes);
          } else bank[a] = w;
          progress = true;
          if (s.pos === s.addrs.length) {
            inStream[c]![k] = null;
            s = null;
          }
        }
      }
      for (let pe = 0; pe < pesPer; pe++) while (tryRun(c, pe)) progress = true;
    }
  }

  // ---- Everything consumed, nothing stuck.
  let jobs = 0;
  for (let c = 0; c < nClusters; c++) {
    expect(ended[c] && cmdAt[c] === cmds[c]!.length, `cluster ${c}: commands stuck at ${cmdAt[c]}/${cmds[c]!.length}`).toBe(true);
    for (let k = 0; k < peCols; k++) {
      expect(inStream[c]![k], `cluster ${c} bank ${k}: input stream unfinished`).toBe(null);
      expect(glbInAt[c]![k], `cluster ${c} bank ${k}: psum words left at the GLB input`).toBe(glbIn[c]![k]!.length);
    }
    for (let pe = 0; pe < pesPer; pe++) {
      const st = pes[c * pesPer + pe]!;
      const where = `cluster ${c} PE ${pe}`;
      expect(st.next, `${where}: jobs stuck (deadlock)`).toBe(st.jobs.length);
      expect(st.ia, `${where}: iact slots left over`).toBe(st.iact.length);
      expect(
        st.weight.slice(st.wa).every((w) => w === PAD_WORD),
        `${where}: weight words left over`,
      ).toBe(true);
      expect(st.pa, `${where}: psum words left over`).toBe(st.psumIn.length);
      jobs += st.done;
    }
  }
  const stage = outputStage(p, prog.config);
  return {
    received: received.map((ports, c) => ports.map((words, k) => words.map((w, i) => stage(w, prog.clusters[c]!.scale[k]![i])))),
    jobs,
    droppedWords,
    staging,
  };
}

/**
 * The out ports' output stage as the configuration sets it (spec/chip/format.ts, "Output stage"):
 * raw words, or requantized lanes, each lane times its multiplier in the word's scale word when scaled.
 */
function outputStage(p: ChipParams, writes: { addr: number; data: number }[]): (word: bigint, scale: number | undefined) => bigint {
  const at = writes.filter((w) => w.addr === cfgOutputAddr(p));
  if (at.length !== 1) throw new Error(`the output stage word is written ${at.length} times, once expected`);
  const { requant, shift, scaled } = decodeOutputConfig(p, at[0]!.data);
  if (!requant) return (w) => w;
  const B = multiplierBits(p);
  return (w, scale) => {
    if (scaled && scale === undefined) throw new Error('a scaled out word without its scale word');
    const multipliers = scaled ? Array.from({ length: p.pe.psumLanes }, (_, l) => Math.floor(scale! / 2 ** (l * B)) % 2 ** B) : undefined;
    const lanes = unpackPsums(p, [w], p.pe.psumLanes).map((v, l) => requantize(v, { activation: 'relu', shift, ...(multipliers && { multipliers }) }, l));
    return lanes.reduce((acc, b, l) => acc | (BigInt(b) << BigInt(l * OUTPUT_VALUE_BITS)), 0n);
  };
}

// ---------------------------------------------------------------------------------------------

const small = namedArchs.small!;
const tallNarrow = parseArch({ ...paperArch, name: 'tall-narrow', clusterRows: 4, clusterCols: 1 });
// PE rows and GLB iact ports in other numbers than the paper's 3 = 3: 4 rows share 3 routers,
// 2 rows spread over 3.
const fourRows = parseArch({ ...paperArch, name: 'four-rows', clusterRows: 2, clusterCols: 1, peRows: 4, peCols: 4 });
const twoRows = parseArch({ ...paperArch, name: 'two-rows', clusterRows: 1, clusterCols: 2, peRows: 2 });
// An iact data SPad twice the paper's: segments stay <= 15 values, windows hold more of them.
const deepIact = parseArch({
  ...paperArch,
  name: 'deep-iact',
  clusterRows: 1,
  clusterCols: 2,
  spads: { ...paperArch.spads, iactData: { depth: 32, width: 12 }, iactAddr: { depth: 9, width: 5 } },
});

interface Coverage {
  weightMulticast: number;
  iactMeshGrouped: number;
  iactMeshInterleaved: number;
  iactMeshBroadcast: number;
  iactAcrossRows: number;
  multiPass: number;
  chained: number;
  chainedMultiPass: number;
  mEdge: number;
  dummies: number;
  zeroDummies: number;
  staged: number;
  splitWindows: number;
  batch2: number;
  stride2: number;
  padded: number;
  signed: number;
  denseIact: number;
  mixedIact: number;
}
const coverage: Coverage = {
  weightMulticast: 0,
  iactMeshGrouped: 0,
  iactMeshInterleaved: 0,
  iactMeshBroadcast: 0,
  iactAcrossRows: 0,
  multiPass: 0,
  chained: 0,
  chainedMultiPass: 0,
  mEdge: 0,
  dummies: 0,
  zeroDummies: 0,
  staged: 0,
  splitWindows: 0,
  batch2: 0,
  stride2: 0,
  padded: 0,
  signed: 0,
  denseIact: 0,
  mixedIact: 0,
};

/**
 * A mapping with other spatial splits, M0 or psum chunk: forces cases the mapper rarely picks
 * (m edges, chunks starting past an edge). The chip model checks it computes the layer.
 */
function remap(l: Layer, arch: ArchConfig, map: Mapping, o: { M0?: number; spatial?: Partial<Record<SpatialDim, number>>; chunk?: number }): Mapping {
  const M0 = o.M0 ?? map.pe.M0;
  const dims: Record<SpatialDim, number> = { n: l.N, g: l.groups, m: Math.ceil(filtersPerGroup(l) / M0), e: outH(l), f: Math.ceil(outW(l) / map.pe.F0) };
  const spatial = { ...map.spatial, ...o.spatial };
  const temporal = { ...map.temporal };
  let used = 1;
  for (const k of Object.keys(dims) as SpatialDim[]) {
    temporal[k] = Math.ceil(dims[k] / spatial[k]);
    used *= spatial[k];
  }
  if (used > map.stacksAvailable) throw new Error(`remap: ${used} stacks, ${map.stacksAvailable} available`);
  const steps = temporal.n * temporal.e * temporal.f;
  const m: Mapping = {
    ...map,
    pe: { ...map.pe, M0 },
    spatial,
    temporal,
    stacksUsed: used,
    psumChunkSteps: map.reduction.passes > 1 ? (o.chunk ?? map.psumChunkSteps) : steps,
  };
  return { ...m, noc: { ...m.noc, mesh: meshPlans(m, arch, dims) } };
}

function check(
  l: Layer,
  arch: ArchConfig,
  density: { iact: number; weight: number },
  seed: number,
  mapping?: (m: Mapping) => Mapping,
  opts?: ProgramOptions,
): RtlProgram {
  const d = generateLayerData(l, density, seed);
  const what = `seed ${seed} layer ${JSON.stringify(l)} arch ${arch.name} densities ${JSON.stringify(density)}`;
  let prog: RtlProgram;
  try {
    const map = mapping?.(mapLayer(l, { arch, weights: d.weights }));
    if (map !== undefined)
      expect(runChipModel(l, d, { arch, mapping: map }).output, `${what}: chip model with the forced mapping`).toEqual(referenceLayer(l, d));
    prog = buildProgram(l, d, arch, map, opts);
    const run = interpret(prog);
    expect(run.droppedWords, `${what}: words no PE took`).toBe(0);
    expectPlannedSharing(prog, opts ?? {}, what);
    prog.clusters.forEach((cl, c) => cl.outWords.forEach((n, k) => expect(run.received[c]![k]!.length, `${what}: cluster ${c} out_${k} words`).toBe(n)));
    expect(run.jobs).toBe(prog.stats.realJobs + prog.stats.dummyJobs);
    if (prog.staging.stagedPorts > 0) expect(prog.mapping.staging.mode, `${what}: staged ports without the mapper's plan`).toBe('staged');
    expect(run.staging, `${what}: words the GLB iact banks stored and replayed`).toEqual({
      replayed: prog.staging.replayedWords,
      stored: prog.staging.storedWords,
    });
    const out = decodeOutputs(prog, run.received);
    const raw = referenceLayer(l, d);
    const ref = opts?.requant ? requantizeAll(l, raw, opts.requant) : raw;
    const bad = out.findIndex((v, i) => v !== ref[i]);
    expect(bad, `${what}: first wrong output ${bad} (got ${out[bad]}, want ${ref[bad]})`).toBe(-1);
  } catch (e) {
    if (e instanceof Error) e.message = `${what}: ${e.message}`;
    throw e;
  }
  const m = prog.mapping;
  const Mg = filtersPerGroup(l);
  if (prog.stats.multicastWeightWords > 0) coverage.weightMulticast++;
  if (prog.stats.multicastIactWords > 0) coverage.iactAcrossRows++;
  if (prog.mesh.iact.mode === 'grouped') coverage.iactMeshGrouped++;
  if (prog.mesh.iact.mode === 'interleaved') coverage.iactMeshInterleaved++;
  if (prog.mesh.iact.mode === 'broadcast') coverage.iactMeshBroadcast++;
  if (m.reduction.passes > 1) coverage.multiPass++;
  if (m.stack.clusterRows > 1) coverage.chained++;
  if (m.stack.clusterRows > 1 && m.reduction.passes > 1) coverage.chainedMultiPass++;
  if (Math.ceil(Mg / m.pe.M0) % m.spatial.m !== 0 || Mg % m.pe.M0 !== 0) coverage.mEdge++;
  if (prog.stats.dummyJobs > 0) coverage.dummies++;
  if (prog.stats.zeroDummyJobs > 0) coverage.zeroDummies++;
  if (prog.staging.stagedPorts > 0) coverage.staged++;
  if (m.pe.F0 * m.pe.M0 > arch.spads.psum.depth && outW(l) * m.pe.M0 > arch.spads.psum.depth) coverage.splitWindows++;
  if (l.N > 1) coverage.batch2++;
  if (l.stride > 1) coverage.stride2++;
  if (l.padding > 0) coverage.padded++;
  if (l.iactSigned) coverage.signed++;
  if (prog.stats.denseIactJobs > 0) coverage.denseIact++;
  if (prog.stats.denseIactJobs > 0 && prog.stats.denseIactJobs < prog.stats.realJobs + prog.stats.dummyJobs) coverage.mixedIact++;
  return prog;
}

/** Every group of clusters the mapper plans to share a stream (mapping.noc.mesh) takes one stream on every router that carries words. */
function expectPlannedSharing(prog: RtlProgram, opts: ProgramOptions, what: string): void {
  const on = { iact: opts.iactMeshMulticast ?? true, weight: opts.weightMulticast ?? true };
  for (const net of (['iact', 'weight'] as const).filter((n) => on[n])) {
    for (const group of prog.mapping.noc.mesh[net].groups) {
      const routers = new Set(group.flatMap((c) => prog.clusters[c]![net].flatMap((w, r) => (w.length > 0 ? [r] : []))));
      for (const r of routers) {
        const got = prog.mesh[net].shared.some((s) => s.router === r && group.every((c) => s.members.includes(c)));
        // Or the mesh has too few links for every such group on this router, and the program says so.
        const split = prog.mesh[net].split.some((s) => s.router === r && group.every((c) => s.clusters.includes(c)));
        expect(got || split, `${what}: ${net} router ${r} of clusters ${group.join(', ')}: the mapping shares one stream, the program does not`).toBe(true);
      }
    }
  }
}

/** Words of the program's off-chip iact or weight streams, pads not counted. */
const streamWords = (prog: RtlProgram, net: 'iact' | 'weight'): number =>
  prog.clusters.reduce((a, cl) => a + cl[net].reduce((b, s) => b + s.filter((w) => w !== PAD_WORD).length, 0), 0);

/** `count` random layers of `type` on `arch` (seeds seed0, seed0 + 1, ...), from dense to empty iacts. */
function checkRandom(arch: ArchConfig, type: LayerType, count: number, seed0: number): void {
  for (let i = 0; i < count; i++) {
    // Every third layer leaves the chip requantized (shifts 0..10: some saturate, some round).
    const requant = i % 3 === 2 ? { activation: 'relu' as const, shift: (seed0 + i) % 11 } : null;
    check(randomSmallLayer(seed0 + i, type), arch, { iact: [1, 0.6, 0.3, 0][i % 4]!, weight: [1, 0.5, 0.2][i % 3]! }, seed0 + i, undefined, { requant });
  }
}

describe('RTL program interpreted == reference layer', () => {
  const types: LayerType[] = ['conv', 'depthwise', 'pointwise', 'fc'];
  for (const [a, arch] of [small, paperArch].entries()) {
    types.forEach((type, t) => {
      it(`random ${type} layers on the ${arch.name} arch`, () => checkRandom(arch, type, 16, 70_000 + 1000 * t + 100 * a));
    });
  }

  it('per-channel multipliers on a chip with an output multiplier: each out word scaled by its scale word', () => {
    const om = parseArch({ ...small, name: 'small-om8', outputMultiplierBits: 8 });
    types.forEach((type, t) => {
      for (let i = 0; i < 4; i++) {
        const seed = 78_000 + 10 * t + i;
        const l = randomSmallLayer(seed, type);
        const multipliers = Array.from({ length: l.M }, (_, m) => (seed * 7 + m * 31) % 256);
        const prog = check(l, om, { iact: 0.7, weight: 0.6 }, seed, undefined, { requant: { activation: 'relu', shift: 12 + (i % 4), multipliers } });
        prog.clusters.forEach((cl) => cl.scale.forEach((words, k) => expect(words.length, `${type} ${i}: a scale word per out word`).toBe(cl.outWords[k])));
      }
    });
  });

  it('other chip sizes: PE rows sharing iact routers (4 rows, 3 ports), more routers than rows (2 rows), a 32-entry iact SPad', () => {
    for (const [a, arch] of [fourRows, twoRows, deepIact].entries()) types.forEach((type, t) => checkRandom(arch, type, 4, 75_000 + 100 * a + 10 * t));
    // A layer that fills the four-row clusters: every router feeds PEs, one of them two rows.
    const pw = makeLayer({ name: 'rows-share', type: 'pointwise', C: 64, M: 32, H: 8, W: 8 });
    const outputs = check(pw, fourRows, { iact: 0.7, weight: 0.6 }, 940).clusters[0]!.noc.iact.fabric.outputs;
    const rowsOf = [0, 1, 2].map((k) => new Set(outputs.flatMap((o, pe) => (o?.src === k ? [Math.floor(pe / 4)] : []))));
    expect(rowsOf.map((s) => s.size > 0)).toEqual([true, true, true]);
    expect(rowsOf.some((s) => s.size > 1)).toBe(true);
  });

  it('every size is a parameter: random layers on 14 variants of the small chip', () => {
    const base = { ...paperArch, clusterRows: 1, clusterCols: 2 };
    const variants: [string, Partial<ArchConfig>][] = [
      ['3 PE columns', { clusterRows: 2, clusterCols: 1, peCols: 3, glb: { ...paperArch.glb, psumBanks: 3 } }],
      ['1 PE column', { clusterRows: 2, clusterCols: 2, peCols: 1, glb: { ...paperArch.glb, psumBanks: 1 } }],
      ['1 PE row', { clusterCols: 1, peRows: 1 }],
      ['192-word weight SPad', { spads: { ...paperArch.spads, weightData: { depth: 192, width: 24 }, weightAddr: { depth: 16, width: 8 } } }],
      ['48-word weight SPad', { spads: { ...paperArch.spads, weightData: { depth: 48, width: 24 }, weightAddr: { depth: 16, width: 6 } } }],
      ['16-entry psum SPad', { spads: { ...paperArch.spads, psum: { depth: 16, width: 20 } } }],
      ['64-entry psum SPad', { spads: { ...paperArch.spads, psum: { depth: 64, width: 20 } } }],
      ['half-size GLB banks, 2 iact banks', { clusterRows: 2, glb: { iactBanks: 2, iactBankBytes: 768, psumBanks: 4, psumBankBytes: 960 } }],
      ['5-entry iact address SPad', { spads: { ...paperArch.spads, iactAddr: { depth: 5, width: 4 } } }],
      [
        '16-entry iact address SPad, 32-entry iact and weight address SPads',
        { spads: { ...paperArch.spads, iactAddr: { depth: 16, width: 5 }, iactData: { depth: 32, width: 12 }, weightAddr: { depth: 32, width: 7 } } },
      ],
      ['3 psums per psum word', { noc: { ...paperArch.noc, psumPortBits: 60 } }],
      ['1 psum per psum word', { noc: { ...paperArch.noc, psumPortBits: 20 } }],
      ['3 cluster columns (east/west routers)', { clusterRows: 1, clusterCols: 3 }],
      ['2 x 4 clusters', { clusterRows: 2, clusterCols: 4 }],
    ];
    variants.forEach(([name, change], a) => {
      const arch = parseArch({ ...base, ...change, name: `variant-${a}` }, name);
      types.forEach((type, t) => checkRandom(arch, type, 2, 76_000 + 100 * a + 10 * t));
    });
  });

  it('reduction passes through the GLB psum banks (small arch), with window splits and m edges', () => {
    for (const [i, shape] of [
      { C: 60, M: 8, H: 2, W: 5 },
      { C: 50, M: 20, H: 3, W: 9, N: 2 },
      { C: 46, M: 5, H: 2, W: 40, iactSigned: true },
    ].entries()) {
      const l = makeLayer({ name: `pw-passes${i}`, type: 'pointwise', ...shape });
      const prog = check(l, small, { iact: 0.7, weight: 0.6 }, 900 + i);
      expect(prog.mapping.reduction.passes).toBeGreaterThan(1);
    }
    const conv = makeLayer({ name: 'conv-passes', type: 'conv', C: 12, M: 6, H: 5, W: 6, R: 3, S: 3, stride: 2, padding: 1 });
    expect(check(conv, small, { iact: 0.8, weight: 0.7 }, 910).mapping.reduction.passes).toBeGreaterThan(1);
  });

  it('stacks chained over several cluster rows, with and without passes (paper and a 4x1 arch)', () => {
    const deep = makeLayer({ name: 'deep', type: 'conv', C: 40, M: 8, H: 4, W: 4, R: 3, S: 3, padding: 1 });
    expect(check(deep, paperArch, { iact: 0.8, weight: 0.9 }, 920).mapping.stack.clusterRows).toBeGreaterThan(1);
    const deeper = makeLayer({ name: 'deeper', type: 'conv', C: 120, M: 4, H: 3, W: 3, R: 3, S: 3, padding: 1, iactSigned: true });
    const pd = check(deeper, tallNarrow, { iact: 0.6, weight: 0.5 }, 921);
    expect(pd.mapping.stack.clusterRows).toBeGreaterThan(1);
    const fc = makeLayer({ name: 'fc-deep', type: 'fc', C: 30, M: 10, H: 3, W: 3, N: 2 });
    check(fc, tallNarrow, { iact: 0.9, weight: 0.8 }, 922);
  });

  it('dummy jobs: iact class mates past an m edge, weight class mates loading before their first real job, zero streams', () => {
    // 5 m blocks over 4 m stacks (one cluster): at tm = 1 only the first m stack has a task, the
    // other three share its iact stream: dummies on the real stream.
    const pw = makeLayer({ name: 'm-edge', type: 'pointwise', C: 8, M: 10, H: 2, W: 3 });
    const a = check(pw, small, { iact: 0.8, weight: 0.7 }, 930, (m) => remap(pw, small, m, { M0: 2, spatial: { n: 1, g: 1, m: 4, e: 1, f: 1 } }));
    expect(a.stats.dummyJobs).toBeGreaterThan(0);
    // Two passes, psum chunks of 2 steps over (n, e) = 2 x 3 tiles with an e edge: the e = 1
    // stack has no task in the first step of a chunk, so it loads its weights in a dummy job on
    // an all-zero stream next to its weight class mate.
    const deep = makeLayer({ name: 'chunks', type: 'pointwise', C: 50, M: 6, H: 5, W: 2, N: 2 });
    const b = check(deep, small, { iact: 0.7, weight: 0.6 }, 931, (m) => remap(deep, small, m, { spatial: { n: 1, g: 1, m: 1, e: 2, f: 1 }, chunk: 2 }));
    expect(b.mapping.reduction.passes).toBeGreaterThan(1);
    expect(b.stats.zeroDummyJobs).toBeGreaterThan(0);
    // The same on the paper arch with stacks chained over cluster rows.
    const chained = makeLayer({ name: 'chained-chunks', type: 'conv', C: 30, M: 7, H: 5, W: 4, R: 3, S: 3, padding: 1, N: 2 });
    const c = check(chained, tallNarrow, { iact: 0.6, weight: 0.6 }, 932, (m) =>
      remap(chained, tallNarrow, m, { M0: 3, spatial: { n: 1, g: 1, m: 2, e: 2, f: 1 }, chunk: 3 }),
    );
    expect(c.mapping.stack.clusterRows).toBeGreaterThan(1);
    expect(c.stats.dummyJobs).toBeGreaterThan(0);
  });

  it('diagonal reuse of row stationary: PE rows that read the same input row share one iact class', () => {
    const dw = makeLayer({ name: 'dw-reuse', type: 'depthwise', C: 8, M: 8, H: 12, W: 12, R: 3, S: 3, padding: 1 });
    const spansRows = (prog: RtlProgram): boolean => {
      const rowsOf = new Map<string, Set<number>>();
      prog.clusters[0]!.noc.iact.fabric.outputs.forEach((o, pe) => {
        if (o === null) return;
        const key = `${o.src},${o.id}`;
        rowsOf.set(key, (rowsOf.get(key) ?? new Set()).add(Math.floor(pe / prog.params.noc.peCols)));
      });
      return [...rowsOf.values()].some((rows) => rows.size > 1);
    };
    // Without GLB staging, so that port words measure the sharing alone.
    const prog = check(dw, paperArch, { iact: 0.7, weight: 1 }, 950, undefined, { iactStaging: false });
    expect(spansRows(prog)).toBe(true);
    expect(prog.stats.multicastIactWords).toBeGreaterThan(0);
    // Switched off, every PE row has its own classes, and the words shared before now cross the ports.
    const own = check(dw, paperArch, { iact: 0.7, weight: 1 }, 950, undefined, { iactMulticast: false, iactStaging: false });
    expect(spansRows(own)).toBe(false);
    expect(own.stats.multicastIactWords).toBe(0);
    expect(streamWords(own, 'iact') - streamWords(prog, 'iact')).toBe(prog.stats.multicastIactWords);
    // With stride 2 the rows of neighbouring columns overlap less, but still some (R = 3 > 2).
    const s2 = makeLayer({ name: 'dw-reuse-s2', type: 'depthwise', C: 8, M: 8, H: 12, W: 12, R: 3, S: 3, padding: 1, stride: 2 });
    expect(check(s2, paperArch, { iact: 0.7, weight: 1 }, 951).stats.multicastIactWords).toBeGreaterThan(0);
  });

  it('weight multicast along cluster rows, and switched off: every cluster on its own port', () => {
    const pw = makeLayer({ name: 'pw-rows', type: 'pointwise', C: 64, M: 32, H: 16, W: 16 });
    const shared = check(pw, paperArch, { iact: 0.7, weight: 0.6 }, 960);
    expect(shared.stats.multicastWeightWords).toBeGreaterThan(0);
    const own = check(pw, paperArch, { iact: 0.7, weight: 0.6 }, 960, undefined, { weightMulticast: false });
    expect(own.stats.multicastWeightWords).toBe(0);
    // Each weight router sends only to its own PE row, from its own port.
    expect(own.clusters.every((cl) => cl.noc.weight.routers.every((r) => Object.entries(r).every(([dst, src]) => dst === 'pe' && src === 'glb')))).toBe(true);
    expect(streamWords(own, 'weight') - streamWords(shared, 'weight')).toBe(shared.stats.multicastWeightWords);
  });

  it('iact multicast over the mesh: clusters with the same iacts share one stream, in the mode their places need', () => {
    // Output channels split over clusters: the clusters of one input tile take the same iacts.
    const cases = [
      { l: makeLayer({ name: 'fc-bcast', type: 'fc', C: 256, M: 1024, H: 1, W: 1 }), mode: 'broadcast' },
      { l: makeLayer({ name: 'pw-interleaved', type: 'pointwise', C: 64, M: 256, H: 16, W: 16 }), mode: 'interleaved' },
      { l: makeLayer({ name: 'pw-grouped', type: 'pointwise', C: 64, M: 512, H: 8, W: 8 }), mode: 'grouped' },
    ] as const;
    for (const [i, { l, mode }] of cases.entries()) {
      const shared = check(l, paperArch, { iact: 0.6, weight: 0.5 }, 970 + i, undefined, { iactStaging: false });
      expect(shared.mesh.iact.mode, l.name).toBe(mode);
      expect(shared.mapping.noc.mesh.iact.mode, `${l.name}: the mapper's plan`).toBe(mode);
      expect(shared.mesh.iact.split, `${l.name}: every group on one stream`).toEqual([]);
      expect(shared.mesh.iact.savedWords, l.name).toBeGreaterThan(0);
      const own = check(l, paperArch, { iact: 0.6, weight: 0.5 }, 970 + i, undefined, { iactMeshMulticast: false, iactStaging: false });
      expect(own.mesh.iact.mode).toBe('unicast');
      expect(own.clusters.every((cl) => cl.noc.iact.routers.every((r) => Object.entries(r).every(([dst, src]) => dst === 'pe' && src === 'glb')))).toBe(true);
      expect(iactPortWords(own) - iactPortWords(shared), l.name).toBe(shared.mesh.iact.savedWords);
      // Interleaved: some stream passes clusters that take other iacts on the way to its members.
      expect(shared.mesh.iact.shared.some((x) => x.via.length > 0)).toBe(mode === 'interleaved');
      if (mode === 'broadcast') expect(shared.mesh.iact.shared.every((x) => x.members.length === paperArch.clusterRows * paperArch.clusterCols)).toBe(true);
    }
  });

  it('GLB iact staging: later reuse windows replay what the bank stored, whole or its first bank-full', () => {
    // tm > 1: the same iacts for every group of output channels.
    const cases = [
      { l: makeLayer({ name: 'pw-fits', type: 'pointwise', C: 32, M: 256, H: 8, W: 8 }), arch: small },
      { l: makeLayer({ name: 'pw-partial', type: 'pointwise', C: 64, M: 256, H: 28, W: 28 }), arch: paperArch },
      { l: makeLayer({ name: 'conv-tm', type: 'conv', C: 16, M: 96, H: 12, W: 12, R: 3, S: 3, padding: 1 }), arch: small },
    ];
    let partial = 0;
    for (const [i, { l, arch }] of cases.entries()) {
      const staged = check(l, arch, { iact: 0.6, weight: 0.5 }, 990 + i);
      const plain = check(l, arch, { iact: 0.6, weight: 0.5 }, 990 + i, undefined, { iactStaging: false });
      expect(staged.mapping.temporal.m, l.name).toBeGreaterThan(1);
      expect(staged.mapping.staging.mode, `${l.name}: the mapper plans staging`).toBe('staged');
      expect(staged.staging.stagedPorts, `${l.name}: staged ports`).toBeGreaterThan(0);
      expect(staged.clusters.flatMap((cl) => cl.iactStaged).filter(Boolean).length).toBe(staged.staging.stagedPorts);
      expect(plain.clusters.every((cl) => cl.iactStaged.every((on) => !on))).toBe(true);
      // Off-chip, staging removes the replayed words and adds one header per segment.
      expect(iactPortWords(plain) - iactPortWords(staged), l.name).toBe(staged.staging.savedWords);
      expect(staged.staging.savedWords).toBeGreaterThan(0);
      // A window longer than the bank stores only its first bank-full.
      if (iactPortWords(plain) > staged.staging.storedWords * staged.mapping.temporal.m) partial++;
    }
    expect(partial, 'a case where reuse windows outgrow the bank').toBeGreaterThan(0);
  });

  it('iact formats: auto takes the shorter of CSC and dense message by message; dense everywhere stays exact', () => {
    const conv = makeLayer({ name: 'conv-image', type: 'conv', C: 3, M: 16, H: 16, W: 16, R: 3, S: 3, padding: 1 });
    const pw = makeLayer({ name: 'pw-half', type: 'pointwise', C: 32, M: 32, H: 8, W: 8 });
    for (const [i, arch] of [small, paperArch].entries()) {
      // A camera image: no zeros but the padding, so most windows are shorter uncompressed.
      const image = check(conv, arch, { iact: 1, weight: 0.6 }, 1010 + i);
      const imageCsc = check(conv, arch, { iact: 1, weight: 0.6 }, 1010 + i, undefined, { iactFormat: 'csc' });
      expect(image.stats.denseIactJobs, `${arch.name}: dense jobs on a dense image`).toBeGreaterThan(0);
      expect(imageCsc.stats.denseIactJobs).toBe(0);
      expect(iactPortWords(image), `${arch.name}: auto moves fewer iact words than CSC`).toBeLessThan(iactPortWords(imageCsc));
      // Half zeros: forcing dense costs words but stays exact; auto never moves more than CSC.
      const half = check(pw, arch, { iact: 0.5, weight: 0.6 }, 1020 + i);
      const halfCsc = check(pw, arch, { iact: 0.5, weight: 0.6 }, 1020 + i, undefined, { iactFormat: 'csc' });
      const forced = check(pw, arch, { iact: 0.5, weight: 0.6 }, 1020 + i, undefined, { iactFormat: 'dense' });
      expect(forced.stats.denseIactJobs).toBe(forced.stats.realJobs + forced.stats.dummyJobs);
      expect(iactPortWords(forced)).toBeGreaterThan(iactPortWords(halfCsc));
      expect(iactPortWords(half)).toBeLessThanOrEqual(iactPortWords(halfCsc));
    }
  });

  it('covers every case the program handles', () => {
    console.log('coverage (layers):', JSON.stringify(coverage));
    for (const [k, v] of Object.entries(coverage)) expect(v, `layers covering ${k}`).toBeGreaterThan(0);
  });

  it("rejects a psum chunk larger than the top cluster's psum bank", () => {
    const l = makeLayer({ name: 'big-chunk', type: 'pointwise', C: 50, M: 16, H: 20, W: 20 });
    const d = generateLayerData(l, { iact: 0.5, weight: 0.5 }, 3);
    const map = mapLayer(l, { arch: small, weights: d.weights });
    expect(map.reduction.passes).toBeGreaterThan(1);
    const whole = remap(l, small, map, { chunk: map.temporal.n * map.temporal.e * map.temporal.f });
    expect(() => buildProgram(l, d, small, whole)).toThrow(/layer 'big-chunk'.*glb psumDepth 384 words = glb.psumBankBytes 1920 B/);
  });

  it('rejects an architecture the generated chip is not: SIMD 1', () => {
    const l = makeLayer({ type: 'pointwise', C: 4, M: 4, H: 2, W: 2 });
    const simd1 = parseArch({ ...small, name: 'simd1', simd: 1 });
    expect(() => buildProgram(l, generateLayerData(l, { iact: 1, weight: 1 }, 1), simd1)).toThrow(/simd 1, but the generated PE is SIMD-2 .*set simd to 2/);
  });

  it('rejects a mapping from another arch', () => {
    const l = makeLayer({ type: 'pointwise', C: 4, M: 4, H: 2, W: 2 });
    const d = generateLayerData(l, { iact: 1, weight: 1 }, 1);
    const prog = buildProgram(l, d, small);
    expect(() => buildProgram(l, d, paperArch, prog.mapping)).toThrow(/mapping was made for arch 'small'/);
  });
});
