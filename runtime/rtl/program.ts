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
//  - Clusters whose weight router r (the mapping splits outputs, not filters, across them) or
//    iact router k (it splits output channels across them) takes the same words share one
//    off-chip stream [spec 2.5]: one member's router forks it over a tree of mesh links to the
//    others, through clusters that only pass it on where the members are not neighbours
//    (interleaved multicast; mesh-multicast.ts). The fork keeps the members in lock-step on
//    that stream; each still has its own other streams and psums.
//  - A PE job's iact message is CSC (an address slot per segment, a slot per nonzero) or
//    uncompressed (a slot per value, the PE's dense mode, spec 4.6); by default each message
//    takes the shorter (ProgramOptions.iactFormat), the job header says which.
//  - Iacts a later reuse window (another tm of the same tg and chunk) reads again are staged in the GLB
//    iact bank of the port that carries them: stored as they first pass, replayed from the bank
//    afterwards, as far as the bank holds them (iact-staging.ts). A port is staged only where
//    that moves fewer words off-chip; its stream then carries segment headers.
import type { ArchConfig } from '../../spec/arch.js';
import { outH, outW, type Layer, type LayerData } from '../../golden/layers.js';
import type { Mapping } from '../../golden/mapper.js';
import { forEachTaskOutput } from '../../golden/tiles.js';
import { psumWordsOf, unpackOutputBytes, unpackPsums } from '../../spec/chip/format.js';
import { encodeProgram } from './program/encoding.js';
import { iactClasses } from './program/iact-classes.js';
import { iactGroups } from './program/iact-groups.js';
import { stageIactStreams } from './program/iact-staging.js';
import { jobIterations } from './program/jobs.js';
import { GatherSymbols } from './program/gather-words.js';
import { Messages } from './program/messages.js';
import { peStacks, weightClasses } from './program/pe-roles.js';
import { shareMeshStreams, unsharedMesh } from './program/mesh-multicast.js';
import { clusterRoutings } from './program/routing.js';
import { appendIteration, emptyStreams } from './program/streams.js';
import { programTarget } from './program/target.js';
import type { ProgramOptions, RtlProgram } from './program/types.js';

export type { ClusterProgram, IactFormat, OutputJob, ProgramOptions, ProgramStats, RtlProgram } from './program/types.js';
export type { MeshSharing, SharedStream } from './program/mesh-multicast.js';
export type { IactStaging, IactStagingStats } from './program/iact-staging.js';

/**
 * The program of one layer on the chip of `arch`. Throws when the layer or the mapping needs
 * something the chip cannot do (named in the message).
 */
export function buildProgram(l: Layer, d: LayerData, arch: ArchConfig, mapping?: Mapping, opts: ProgramOptions = {}): RtlProgram {
  const t = programTarget(l, d, arch, mapping);
  const iterations = jobIterations(t);
  const stacks = peStacks(t);
  const weights = weightClasses(t, stacks);
  const symbols = opts.gather ? new GatherSymbols() : null;
  const msgs = new Messages(t, opts.iactFormat, symbols);
  const ic = iactClasses(t.p, iactGroups(t, stacks, iterations, msgs), opts.iactMulticast ?? true);
  const streams = emptyStreams(t, ic);
  for (const iter of iterations) appendIteration(streams, t, iter, weights, ic, msgs);
  for (const list of streams.commands) list.push({ kind: 'end' });
  const nocs = clusterRoutings(t, stacks, weights, ic);
  const mesh = {
    iact: (opts.iactMeshMulticast ?? true) ? shareMeshStreams(t.p, nocs, 'iact', streams.iact) : unsharedMesh('iact'),
    weight: (opts.weightMulticast ?? true) ? shareMeshStreams(t.p, nocs, 'weight', streams.weight) : unsharedMesh('weight'),
  };
  streams.stats.multicastWeightWords = mesh.weight.savedWords;
  // The mapper's plan (mapping.staging) says whether windows repeat; the ports stage where that pays.
  const staging = stageIactStreams(t.p, streams.iact, streams.iactWindows, (opts.iactStaging ?? true) && t.map.staging.mode === 'staged');
  return { ...encodeProgram(t, streams, nocs, mesh, staging, opts.requant ?? null), gather: symbols };
}

/**
 * Where each output leaves the chip: `f(o, cluster, k, word, lane)` for NMEF index o, lane `lane`
 * of word `word` of the cluster's out_<k> (a job's psums fill its words lane by lane, in the
 * PE's index order; a job's odd last psum leaves a lane empty).
 */
export function forEachOutputPlace(prog: RtlProgram, f: (o: number, c: number, k: number, word: number, lane: number) => void): void {
  const { M0 } = prog.mapping.pe;
  const lanes = prog.params.pe.psumLanes;
  prog.clusters.forEach((cl, c) => {
    cl.outJobs.forEach((jobs, k) => {
      let at = 0;
      for (const j of jobs) {
        forEachTaskOutput(prog.layer, j, M0, (o, i) => f(o, c, k, at + Math.floor(i / lanes), i % lanes));
        at += psumWordsOf(prog.params, j.windows * M0);
      }
    });
  });
}

/**
 * The layer's NMEF outputs from the words each cluster's out_<k> delivered: raw psums
 * (sign-extended 20-bit, as referenceLayer), or the uint8 outputs when the program requantizes
 * on chip. received[cluster][k] = those words in order. Throws when a port
 * delivered a different number of words than the program expects or an output is missing.
 */
export function decodeOutputs(prog: RtlProgram, received: bigint[][][]): Int32Array {
  const l = prog.layer;
  const lanes = prog.params.pe.psumLanes;
  const out = new Int32Array(l.N * l.M * outH(l) * outW(l));
  const seen = new Uint8Array(out.length);
  prog.clusters.forEach((cl, c) =>
    cl.outWords.forEach((n, k) => {
      const got = received[c]?.[k]?.length ?? 0;
      if (got !== n) throw new Error(`cluster ${c} out_${k}: received ${got} words, the program produces ${n}`);
    }),
  );
  const unpack = prog.requant === null ? unpackPsums : unpackOutputBytes;
  forEachOutputPlace(prog, (o, c, k, word, lane) => {
    if (seen[o]) throw new Error(`output ${o} delivered twice (cluster ${c} out_${k})`);
    seen[o] = 1;
    out[o] = unpack(prog.params, [received[c]![k]![word]!], lanes)[lane]!;
  });
  const missing = seen.indexOf(0);
  if (missing >= 0) throw new Error(`layer '${l.name}': output ${missing} (NMEF index) is delivered by no out port`);
  return out;
}
