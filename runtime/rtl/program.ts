// One layer as the program the RTL chip top is driven with: the configuration writes, and per
// cluster its command stream, its iact streams (one per GLB iact port), its weight streams (one
// per PE row) and the psum words each out_<k> port will deliver. decodeOutputs() turns those
// words back into the layer's NMEF psums. test/runtime/program.test.ts interprets a program
// word by word (no RTL) and checks it against referenceLayer().
//
// How a layer becomes a program (the mapping's schedule, golden/schedule.ts, walked in order):
//
//  - Every stack task is split into PE jobs of at most floor(psumDepth / M0) windows (a job's
//    psums must fit the psum SPad); a schedule step becomes one "job step" per split, and a
//    stack whose task has fewer splits idles in the extra job steps.
//  - An iteration with cnt active reduction slices places slice i at stack position
//    height - cnt + i, so the stack's top is always its position height - 1. Slice 0 starts
//    from zero, the others add the psums of the PE below; every real job emits its psums.
//  - Single-pass layers send the top PE's psums straight out (GLB psum bypass). Multi-pass
//    layers write them to the top cluster's psum bank in pass 0 and accumulate later passes
//    there (psumIn commands), then read the bank out (psumOut) after the last pass.
//  - Fabric classes are static for the layer: PEs of one PE row share a weight class when their
//    stacks have the same (g, m) stack coordinates, and an iact class when their stacks have the
//    same schedule group (same n, g, e, f). Iact classes of different PE rows that take the
//    same message at every step merge (row stationary's diagonal reuse: the input row PE row
//    r+1 reads for one output row, PE row r reads for the next), so those words cross a port
//    once. Class members receive the same words, so whenever one member takes a message every
//    member runs a job on it: a PE without a real job then runs a dummy job (results kept,
//    never emitted).
//  - Any iact port can feed any PE through the all-to-all fabric; the classes are spread over
//    the GLB iact ports so that the longest port stream is shortest (iactClasses).
//  - Each fabric input interleaves its classes' word sequences round-robin (class k = word
//    index mod ways, burst 1), every class padded with PAD_WORD to the same length at the end
//    of every job step. Without that, one class's next message could block the input while a
//    PE of another class still waits for its tail, and a PE column waiting for psums from that
//    PE closes a cycle (a deadlock); with it, every word of step t precedes every word of
//    step t+1, pads are always taken, and so every step completes. A class spanning PE rows
//    keeps this: a PE takes its whole message before it waits for the psums from below.
//  - Adjacent clusters of a cluster row whose PE row r takes the same weight words (the mapping
//    splits outputs, not filters, across them) share one off-chip stream: the westmost one's
//    weight router forks it to its PEs and east, the others take it from the west [spec 2.5].
//    The fork keeps their weight steps in lock-step; each still has its own iacts and psums.
import type { ArchConfig } from '../../spec/arch.js';
import { outH, outW, type Layer, type LayerData } from '../../golden/layers.js';
import type { Mapping } from '../../golden/mapper.js';
import { idleClusterRouting, type ClusterRouting, type RouterSettings } from '../../spec/noc/routing.js';
import { forEachTaskOutput } from '../../golden/tiles.js';
import { encodeClusterCmd, layerConfigWrites, psumWordsOf, unpackPsums, type ClusterCmd } from '../../spec/chip/format.js';
import { encodeClusterRouting } from '../../spec/noc/cfg-layout.js';
import { checkPeJobHeader, type PeJobHeader } from '../../spec/pe/job.js';
import { iactClasses } from './program/iact-classes.js';
import { interleave } from './program/interleave.js';
import { jobIterations } from './program/jobs.js';
import { programTarget } from './program/target.js';
import { iterationRuns } from './program/runs.js';
import { bankAddr, iterationPsums } from './program/psum-banks.js';
import { Messages, type IactMsg } from './program/messages.js';
import { peStacks, weightClasses } from './program/pe-roles.js';
import { iactGroups } from './program/iact-groups.js';
import type { ClusterProgram, OutputJob, ProgramOptions, ProgramStats, RtlProgram } from './program/types.js';
import { shareWeightStreams } from './program/weight-multicast.js';

export type { ClusterProgram, OutputJob, ProgramOptions, ProgramStats, RtlProgram } from './program/types.js';

/**
 * The program of one layer on the chip of `arch`. Throws when the layer or the mapping needs
 * something the chip cannot do (named in the message).
 */
export function buildProgram(l: Layer, d: LayerData, arch: ArchConfig, mapping?: Mapping, opts: ProgramOptions = {}): RtlProgram {
  const t0 = programTarget(l, d, arch, mapping);
  const { p, map, nClusters, pesPer, maxCnt } = t0;
  const { peRows, peCols, iactRouters } = p.noc;
  const { M0, segmentLength: segLen, segmentsPerWindow: winSegs } = map.pe;
  const { height } = map.stack;
  const { passes } = map.reduction;

  const iterations = jobIterations(t0);
  const stacks = peStacks(t0);
  const { stackOf } = stacks;
  const weights = weightClasses(t0, stacks);
  const { weightClass, weightWays } = weights;
  const msgs = new Messages(t0);
  const { zeroIact } = msgs;
  const { groupMembers, groupCluster, groupMsgs, msgLen } = iactGroups(t0, stacks, iterations, msgs);
  const ic = iactClasses(p, groupMembers, groupCluster, groupMsgs, msgLen, opts.iactMulticast ?? true);
  const { iactClass, iactWays, sharedWords } = ic;
  const commands: ClusterCmd[][] = Array.from({ length: nClusters }, () => []);
  const iactStreams: number[][][] = Array.from({ length: nClusters }, () => Array.from({ length: iactRouters }, () => []));
  const weightStreams: number[][][] = Array.from({ length: nClusters }, () => Array.from({ length: peRows }, () => []));
  const outJobs: OutputJob[][][] = Array.from({ length: nClusters }, () => Array.from({ length: peCols }, () => []));
  const outWords: number[][] = Array.from({ length: nClusters }, () => new Array<number>(peCols).fill(0));
  const stats: ProgramStats = {
    iterations: 0,
    realJobs: 0,
    dummyJobs: 0,
    zeroDummyJobs: 0,
    iactPadWords: 0,
    weightPadWords: 0,
    multicastWeightWords: 0,
    multicastIactWords: sharedWords,
  };

  for (const iter of iterations) {
    const { it, steps } = iter;
    stats.iterations++;
    const { classTile, runs, loadStep } = iterationRuns(iter, weights, ic, msgs);
    const { banks, outputs } = iterationPsums(t0, iter);
    if (it.pass === passes - 1) {
      for (const o of outputs) {
        outJobs[o.cluster]![o.col]!.push(o.job);
        outWords[o.cluster]![o.col]! += o.words;
      }
    }
    if (passes > 1) for (const b of banks) commands[b.cluster]!.push({ kind: 'psumIn', bank: b.bank, accumulate: it.pass > 0, addr: bankAddr(t0, b.words) });

    // ---- PE commands and the class word sequences.
    const iactSeqs = new Map<number, number[]>();
    const weightSeqs = new Map<number, number[]>();
    const flush = (): void => {
      stats.iactPadWords += interleave(iactSeqs, iactWays, iactStreams, iactRouters, pesPer);
      stats.weightPadWords += interleave(weightSeqs, weightWays, weightStreams, peRows, peCols);
      iactSeqs.clear();
      weightSeqs.clear();
    };
    steps.forEach((jobs, v) => {
      const classMsg = new Map<number, IactMsg>();
      for (const [gid, j] of jobs) {
        const m = msgs.iact(j);
        const prev = classMsg.get(iactClass[gid]!);
        if (prev === undefined) classMsg.set(iactClass[gid]!, m);
        else if (prev.key !== m.key) throw new Error(`internal: iact class ${iactClass[gid]} members need different streams`);
      }
      const iactSent = new Set<number>();
      const weightSent = new Set<number>();
      for (let c = 0; c < nClusters; c++) {
        for (let pe = 0; pe < pesPer; pe++) {
          const gid = c * pesPer + pe;
          if (!runs[v]!.has(gid)) continue;
          const real = jobs.get(gid);
          const ic = iactClass[gid]!;
          const im = classMsg.get(ic) ?? zeroIact;
          if (!iactSent.has(ic)) {
            iactSent.add(ic);
            let q = iactSeqs.get(ic);
            if (q === undefined) iactSeqs.set(ic, (q = []));
            q.push(...im.words);
          }
          const wc = weightClass[gid]!;
          const tile = classTile.get(wc);
          const loads = tile !== undefined && loadStep.get(wc) === v;
          let weightWords = 0;
          if (loads) {
            const wm = msgs.weight(tile);
            weightWords = wm.weightWords;
            if (!weightSent.has(wc)) {
              weightSent.add(wc);
              let q = weightSeqs.get(wc);
              if (q === undefined) weightSeqs.set(wc, (q = []));
              q.push(...wm.words);
            }
          } else if (real !== undefined && !(tile !== undefined && loadStep.get(wc)! < v)) {
            throw new Error(`internal: PE ${gid} runs a real job before its weights load`);
          }
          const config: PeJobHeader = {
            m0: M0,
            segLen,
            winSegs,
            strideSegs: 1,
            nWin: im.nWin,
            iactLen: im.iactLen,
            weightWords,
            iactDense: false,
            weightDense: false,
            iactSigned: l.iactSigned,
            keepWeights: !loads,
            keepPsums: false,
            addPsumIn: real !== undefined && real.index > 0,
            psumOut: real !== undefined,
          };
          checkPeJobHeader(config, p.pe);
          commands[c]!.push({ kind: 'pe', pe, config });
          if (real !== undefined) stats.realJobs++;
          else {
            stats.dummyJobs++;
            if (im === zeroIact) stats.zeroDummyJobs++;
          }
        }
      }
      flush();
    });
    if (passes > 1 && it.pass === passes - 1) {
      for (const b of banks) commands[b.cluster]!.push({ kind: 'psumOut', bank: b.bank, addr: bankAddr(t0, b.words) });
    }
    flush();
  }
  for (const list of commands) list.push({ kind: 'end' });

  // ---- Routers and fabrics.
  const usedLow = height - maxCnt;
  const V = map.stack.clusterRows;
  const nocs: ClusterRouting[] = [];
  for (let c = 0; c < nClusters; c++) {
    const noc = idleClusterRouting(p.noc);
    nocs.push(noc);
    for (let k = 0; k < iactRouters; k++) {
      const input = c * iactRouters + k;
      if (iactWays[input]! > 0) noc.iact.routers[k] = { pe: 'glb' };
      noc.iact.fabric.inputs[k] = { ways: Math.max(1, iactWays[input]!), burst: 1 };
    }
    for (let r = 0; r < peRows; r++) {
      const row = c * peRows + r;
      if (weightWays[row]! > 0) noc.weight.routers[r] = { pe: 'glb' };
      noc.weight.fabrics[r]!.inputs[0] = { ways: Math.max(1, weightWays[row]!), burst: 1 };
      for (let col = 0; col < peCols; col++) {
        const gid = c * pesPer + r * peCols + col;
        if (stackOf[gid]! < 0) continue;
        const ic = iactClass[gid]!;
        noc.iact.fabric.outputs[r * peCols + col] = { src: Math.floor(ic / pesPer) - c * iactRouters, id: ic % pesPer };
        noc.weight.fabrics[r]!.outputs[col] = { src: 0, id: weightClass[gid]! - row * peCols };
      }
    }
    const clusterRow = Math.floor(c / p.cols);
    const q = clusterRow % V; // this cluster's place in its stacks' chain of V cluster rows
    for (let col = 0; col < peCols; col++) {
      // The column's stack holds positions q*peRows .. q*peRows + peRows - 1 here; skip the
      // column when none of them is ever used (the top one is used whenever any is).
      if (stackOf[c * pesPer + (peRows - 1) * peCols + col]! < 0) continue;
      const rc: RouterSettings = {};
      // Psums cross a cluster boundary only when the position just below it is used: then the
      // top PE here sends south and the bottom PE of the next cluster row takes them from north.
      if (q > 0 && q * peRows - 1 >= usedLow) rc.pe = 'n';
      if (q < V - 1 && (q + 1) * peRows - 1 >= usedLow) rc.s = 'pe';
      if (q === V - 1) rc.glb = 'pe';
      noc.psum.routers[col] = rc;
    }
  }
  if (opts.weightMulticast ?? true) shareWeightStreams(p, nocs, weightStreams, stats);

  const clusters: ClusterProgram[] = [];
  const layerCfg = [];
  const psumBypass = passes === 1;
  for (let c = 0; c < nClusters; c++) {
    const noc = nocs[c]!;
    layerCfg.push({ noc: encodeClusterRouting(p.noc, noc), psumBypass });
    clusters.push({
      commands: commands[c]!,
      cmds: commands[c]!.map((cmd) => encodeClusterCmd(p, cmd)),
      iact: iactStreams[c]!,
      weight: weightStreams[c]!,
      outWords: outWords[c]!,
      outJobs: outJobs[c]!,
      noc,
      psumBypass,
    });
  }
  return { params: p, mapping: map, layer: l, config: layerConfigWrites(p, layerCfg), clusters, stats };
}

/**
 * The layer's NMEF raw psums (sign-extended 20-bit, as referenceLayer) from the words each
 * cluster's out_<k> delivered: received[cluster][k] = those words in order. Throws when a port
 * delivered a different number of words than the program expects or an output is missing.
 */
export function decodeOutputs(prog: RtlProgram, received: bigint[][][]): Int32Array {
  const l = prog.layer;
  const { M0 } = prog.mapping.pe;
  const out = new Int32Array(l.N * l.M * outH(l) * outW(l));
  const seen = new Uint8Array(out.length);
  prog.clusters.forEach((cl, c) => {
    cl.outJobs.forEach((jobs, k) => {
      const words = received[c]?.[k] ?? [];
      if (words.length !== cl.outWords[k]) throw new Error(`cluster ${c} out_${k}: received ${words.length} words, the program produces ${cl.outWords[k]}`);
      let at = 0;
      for (const j of jobs) {
        const count = psumWordsOf(prog.params, j.windows * M0);
        const psums = unpackPsums(prog.params, words.slice(at, at + count), j.windows * M0);
        at += count;
        forEachTaskOutput(l, j, M0, (o, i) => {
          if (seen[o]) throw new Error(`output ${o} delivered twice (cluster ${c} out_${k})`);
          seen[o] = 1;
          out[o] = psums[i]!;
        });
      }
    });
  });
  const missing = seen.indexOf(0);
  if (missing >= 0) throw new Error(`layer '${l.name}': output ${missing} (NMEF index) is delivered by no out port`);
  return out;
}
