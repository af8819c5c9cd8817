// RS+ mapper (spec 5): chooses how a layer is tiled over the SPads, the PE array and time, and
// the NoC mode of each data type. The structure (golden/README.md, "Mapping") is:
//
//   PE       holds M0 output channels x C0 input channels x the full filter row S of ONE filter
//            row r (S inside the PE, JETCAS convention) and slides over F0 windows of one
//            output row; each window's M0 psums leave the PE when done.
//   stack    a PE column of peRows PEs, optionally chained through V cluster rows (psums flow
//            north -> south between clusters), height peRows*V. Its positions hold reduction
//            slices (filter row r, channel block cb); psums accumulate up the stack. When the
//            slices outnumber the positions, reduction passes run in time, the partial sums
//            waiting in the GLB psum banks.
//   stacks   peCols * clusterCols * clusterRows/V of them; each takes one coordinate of the
//            spatially unrolled output dimensions n, g, m (blocks of M0), e and f (chunks of F0),
//            f, e, n fastest so that the PEs of one PE row (one weight router) share weights.
//   time     the rest: tiles of g, m (outer, weights stay) then n, e, f (inner, iacts change).
import { stagingPlan, type StagingPlan } from './staging-plan.js';
import { paperArch, type ArchConfig } from '../spec/arch.js';
import { checkIactWindow, countNonZero, CscCapacityError, MAX_COUNT } from '../spec/csc.js';
import { channelsPerGroup, filtersPerGroup, outH, outW, type Layer } from './layers.js';
import { PE_JOB_OVERHEAD, psumJobWindows } from './pe.js';
import { psumLanes } from '../spec/pe/params.js';

import { SPATIAL_ORDER, type SpatialDim } from './placement.js';

import { meshPlans, type MeshPlan } from './mesh-plan.js';

export type NocMode = 'unicast' | 'multicast' | 'broadcast';

export interface Mapping {
  arch: string;
  layer: string;
  pe: {
    /** Output channels per PE (psum SPad rows), within a group. */
    M0: number;
    /** Input channels per PE, within a group; the last block is zero-padded. */
    C0: number;
    /** Filter width, whole inside the PE. */
    S: number;
    /** Weight matrix columns = window positions = C0*S. */
    cols: number;
    /** Input columns per iact segment: min(stride, S) (columns no window uses are never sent). */
    segmentCols: number;
    /** C0*segmentCols values per segment. */
    segmentLength: number;
    /** ceil(S/stride) segments make one window. */
    segmentsPerWindow: number;
    /** Windows (outputs along a row) per PE task. */
    F0: number;
  };
  stack: { clusterRows: number; height: number };
  reduction: { cBlocks: number; slices: number; passes: number };
  /** Stacks along each unrolled dimension (product <= stacks available). */
  spatial: Record<SpatialDim, number>;
  /** Tiles of each dimension processed in time, after the spatial split. */
  temporal: Record<SpatialDim, number>;
  stacksAvailable: number;
  stacksUsed: number;
  /** Steps of (n, e, f) tiles whose psums fit the GLB psum banks between reduction passes. */
  psumChunkSteps: number;
  /**
   * iact and weight: how far one stream fans out over the PE array; mesh: which clusters take
   * one off-chip stream (golden/mesh-plan.ts); psum: the path of psums.
   */
  noc: { iact: NocMode; weight: NocMode; mesh: { iact: MeshPlan; weight: MeshPlan }; psum: 'column' | 'column+cluster-chain' };
  /** Iacts staged in the GLB iact banks and replayed by later reuse windows, or all streamed (golden/staging-plan.ts). */
  staging: StagingPlan;
  /** Largest weight tile in words (over all tiles when the weights were given, else dense bound). */
  maxWeightWords: number;
  /** The mapper's cycle estimate (weights at their density, every iact non-zero), used only to rank candidates. */
  estimatedCycles: number;
}

/** No valid mapping; `limit` names the architecture parameter that ruled the layer out. */
export class MappingError extends Error {
  constructor(
    readonly layer: string,
    readonly limit: string,
    detail: string,
  ) {
    super(`cannot map layer '${layer}': ${detail} (limit: ${limit})`);
    this.name = 'MappingError';
  }
}

export interface MapOptions {
  arch?: ArchConfig;
  /** MCRS weights: lets the mapper pick tiles whose non-zeros fit even if the dense tile would not. */
  weights?: ArrayLike<number>;
  /** Output dimensions the dataflow may unroll over the PEs: RS+'s all (default), or RS_SPATIAL_DIMS. */
  spatialDims?: readonly SpatialDim[];
}

/**
 * Eyeriss v1's row stationary: RS+ adds the spatial loops g1 and n1 to it (spec 5.2), so RS
 * spreads only output channels and output rows and columns over the PEs; groups and batch
 * elements (a depth-wise layer's channels) run one after another.
 */
export const RS_SPATIAL_DIMS: readonly SpatialDim[] = ['m', 'e', 'f'];

const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

/** Values p in 1..min(D, cap) at which ceil(D/p) changes (the only ones worth trying). */
const splitMemo = new Map<string, number[]>();
function usefulSplits(D: number, cap: number): number[] {
  const key = `${D},${cap}`;
  const hit = splitMemo.get(key);
  if (hit !== undefined) return hit;
  const out = new Set<number>();
  for (let t = 1; t <= D; t++) {
    const p = ceilDiv(D, t);
    if (p <= cap) out.add(p);
  }
  const list = [...out].sort((a, b) => a - b);
  splitMemo.set(key, list);
  return list;
}

export function peWeightMatrixWords(M0: number, cols: number, density: number): number {
  // Every column is word aligned: ceil(non-zeros / 2) words, fillers ignored in this estimate.
  return cols * ceilDiv(Math.max(0, Math.round(M0 * density)), 2);
}

interface Candidate {
  M0: number;
  C0: number;
  V: number;
  p: Record<SpatialDim, number>;
  F0: number;
  score: number;
}

/**
 * Best spatial split of the output dimensions over `stacks`: minimizes the steps of the non-f
 * dimensions times the time of one PE task (its windows plus a fixed per-task overhead), so a
 * whole output row per PE (long sliding window, overhead amortized) beats one window per PE.
 */
function bestSplit(
  dims: Record<SpatialDim, number>,
  stacks: number,
  windowCycles: number,
  taskOverhead: number,
  allowed: readonly SpatialDim[],
): { p: Record<SpatialDim, number>; cost: number } {
  let best = { p: { n: 1, g: 1, m: 1, e: 1, f: 1 } as Record<SpatialDim, number>, cost: Infinity, used: Infinity };
  const order: SpatialDim[] = ['g', 'm', 'n', 'e', 'f'];
  const cur: Record<SpatialDim, number> = { n: 1, g: 1, m: 1, e: 1, f: 1 };
  const rec = (i: number, remaining: number): void => {
    if (i === order.length) {
      let steps = 1;
      let used = 1;
      for (const d of order) {
        if (d !== 'f') steps *= ceilDiv(dims[d], cur[d]);
        used *= cur[d];
      }
      const cost = steps * (ceilDiv(dims.f, cur.f) * windowCycles + taskOverhead);
      // Cheaper first; then fewer stacks (less multicast fan-out for the same time).
      if (cost < best.cost || (cost === best.cost && used < best.used)) best = { p: { ...cur }, cost, used };
      return;
    }
    const d = order[i]!;
    for (const p of allowed.includes(d) ? usefulSplits(dims[d], remaining) : [1]) {
      cur[d] = p;
      rec(i + 1, Math.floor(remaining / p));
    }
    cur[d] = 1;
  };
  rec(0, stacks);
  return { p: best.p, cost: best.cost };
}

function weightDensity(w: ArrayLike<number> | undefined): number {
  if (w === undefined || w.length === 0) return 1;
  return countNonZero(w) / w.length;
}

/**
 * Pairs each column of a PE weight tile holds in CSC (non-zeros plus (15,0) fillers), counted
 * straight from the MCRS weights with the rule of encodeWeightCsc; column = s*C0 + c0.
 */
export function tileColumnEntries(l: Layer, weights: ArrayLike<number>, g: number, mb: number, M0: number, cb: number, C0: number, r: number): Int32Array {
  const Cg = channelsPerGroup(l),
    Mg = filtersPerGroup(l),
    { R, S } = l;
  const out = new Int32Array(C0 * S);
  for (let c0 = 0; c0 < C0; c0++) {
    const c = cb * C0 + c0;
    if (c >= Cg) break;
    for (let s = 0; s < S; s++) {
      let pairs = 0,
        zeros = 0;
      for (let mg = mb * M0; mg < Math.min(Mg, mb * M0 + M0); mg++) {
        if (weights[(((g * Mg + mg) * Cg + c) * R + r) * S + s] === 0) {
          zeros++;
          continue;
        }
        pairs += 1 + Math.floor(zeros / (MAX_COUNT + 1));
        zeros = 0;
      }
      out[s * C0 + c0] = pairs;
    }
  }
  return out;
}

/** Words of a tile: every column word-aligned, two pairs per word. */
export const tileWords = (entries: Int32Array): number => entries.reduce((a, e) => a + ((e + 1) >> 1), 0);

/** Largest CSC weight tile (words) of the layer for this PE tile shape. */
export function maxTileWords(l: Layer, M0: number, C0: number, weights: ArrayLike<number>): number {
  let max = 0;
  for (let g = 0; g < l.groups; g++) {
    for (let mb = 0; mb < ceilDiv(filtersPerGroup(l), M0); mb++) {
      for (let cb = 0; cb < ceilDiv(channelsPerGroup(l), C0); cb++) {
        for (let r = 0; r < l.R; r++) max = Math.max(max, tileWords(tileColumnEntries(l, weights, g, mb, M0, cb, C0, r)));
      }
    }
  }
  return max;
}

/** The PE weight matrix (column-major, col = s*C0 + c0) of one tile; rows/channels past the layer are zero. */
export function weightTile(l: Layer, weights: ArrayLike<number>, g: number, mb: number, M0: number, cb: number, C0: number, r: number): Int32Array {
  const Cg = channelsPerGroup(l),
    Mg = filtersPerGroup(l),
    { R, S } = l;
  const out = new Int32Array(M0 * C0 * S);
  for (let s = 0; s < S; s++) {
    for (let c0 = 0; c0 < C0; c0++) {
      const c = cb * C0 + c0;
      if (c >= Cg) continue;
      for (let m0 = 0; m0 < M0; m0++) {
        const mg = mb * M0 + m0;
        if (mg >= Mg) continue;
        const m = g * Mg + mg;
        out[(s * C0 + c0) * M0 + m0] = weights[((m * Cg + c) * R + r) * S + s]!;
      }
    }
  }
  return out;
}

/** Structural limits that no tiling can avoid (`cols1`: weight columns at C0 = 1): reported by name. */
function checkStructuralLimits(l: Layer, arch: ArchConfig, cols1: number, segmentCols: number, segmentsPerWindow: number): void {
  const { S, stride: U } = l;
  const sp = arch.spads;
  if (cols1 > sp.weightAddr.depth) {
    const at = cols1 === S ? '' : ` at stride ${U}`;
    throw new MappingError(
      l.name,
      'spads.weightAddr.depth',
      `filter width S=${S}${at} needs ${cols1} weight columns even with C0=1, the weight address SPad has ${sp.weightAddr.depth}`,
    );
  }
  try {
    checkIactWindow(segmentCols, segmentsPerWindow, arch);
  } catch (e) {
    if (e instanceof CscCapacityError) {
      throw new MappingError(l.name, e.limit, `even with C0=1 the iact window (S=${S}, stride ${U}) does not fit: ${e.message}`);
    }
    throw e;
  }
  if (peWeightMatrixWords(1, S, 1) > sp.weightData.depth) {
    throw new MappingError(l.name, 'spads.weightData.depth', `one output channel x S=${S} needs ${S} words`);
  }
}

/** The best-scored candidate whose every weight tile fits the weight data SPad, as a Mapping. */
function firstFitting(l: Layer, arch: ArchConfig, candidates: readonly Candidate[], weights: MapOptions['weights'], wd: number): Mapping {
  const sp = arch.spads;
  const S = l.S;

  for (const c of candidates) {
    let maxWeightWords = peWeightMatrixWords(c.M0, c.C0 * S, 1);
    // Without zeros every tile is the dense bound (no fillers possible): no need to scan.
    if (weights !== undefined && wd < 1) {
      maxWeightWords = maxTileWords(l, c.M0, c.C0, weights);
      if (maxWeightWords > sp.weightData.depth) continue; // some tile of this size overflows; try the next
    } else if (maxWeightWords > sp.weightData.depth) {
      continue;
    }
    return buildMapping(l, arch, c, maxWeightWords);
  }
  throw new MappingError(l.name, 'spads.weightData.depth', `every candidate tile has a weight tile whose CSC form exceeds ${sp.weightData.depth} words`);
}

/** Maps one layer on `arch`; throws MappingError naming the limit when nothing fits. */
export function mapLayer(l: Layer, opts: MapOptions = {}): Mapping {
  const arch = opts.arch ?? paperArch;
  const Cg = channelsPerGroup(l),
    Mg = filtersPerGroup(l),
    E = outH(l),
    F = outW(l);
  const { S, R, stride: U } = l;
  const sp = arch.spads;
  const wd = weightDensity(opts.weights);
  const segmentCols = Math.min(U, S);
  const segmentsPerWindow = ceilDiv(S, U);

  // The PE's weight matrix has a column per window position: C0*S, plus the positions past the
  // filter when the stride does not divide S.
  const windowCols = (C0: number): number => C0 * segmentCols * segmentsPerWindow;

  checkStructuralLimits(l, arch, windowCols(1), segmentCols, segmentsPerWindow);

  const C0s: number[] = [];
  for (let C0 = 1; C0 <= Cg; C0++) {
    if (windowCols(C0) > sp.weightAddr.depth) break;
    try {
      checkIactWindow(C0 * segmentCols, segmentsPerWindow, arch);
    } catch {
      break;
    }
    // Only the largest C0 giving a given number of channel blocks matters.
    if (C0 === Cg || ceilDiv(Cg, C0 + 1) !== ceilDiv(Cg, C0)) C0s.push(C0);
  }
  const M0s: number[] = [];
  for (let M0 = 1; M0 <= Math.min(Mg, sp.psum.depth); M0++) {
    if (M0 === Math.min(Mg, sp.psum.depth) || ceilDiv(Mg, M0 + 1) !== ceilDiv(Mg, M0)) M0s.push(M0);
  }

  const candidates: Candidate[] = [];
  let psumTooSmall = false;
  for (let V = 1; V <= arch.clusterRows; V++) {
    if (arch.clusterRows % V !== 0) continue;
    const height = arch.peRows * V;
    const stacks = arch.peCols * arch.clusterCols * (arch.clusterRows / V);
    for (const C0 of C0s) {
      const slices = R * ceilDiv(Cg, C0);
      if (V > 1 && slices <= arch.peRows * (V / 2)) continue; // a shorter chain holds all slices already
      const passes = ceilDiv(slices, height);
      for (const M0 of M0s) {
        const words = peWeightMatrixWords(M0, C0 * S, wd);
        if (words > sp.weightData.depth) continue;
        const dims = { n: l.N, g: l.groups, m: ceilDiv(Mg, M0), e: E, f: F };
        // Expected cycles per non-zero iact: ceil(non-zeros / simd) exactly when dense; for sparse
        // columns the rounding up costs on average (simd - 1) / (2 * simd) of a cycle.
        const perIact = wd === 1 ? Math.ceil(M0 / arch.simd) : Math.max(1, (M0 * wd) / arch.simd + (arch.simd - 1) / (2 * arch.simd));
        // Each PE job (as many windows as the psum SPad holds) has its fixed cycles and the
        // read-out of its psums (peTaskCycles); per window that is:
        const drain = M0 / psumLanes(arch) + PE_JOB_OVERHEAD / psumJobWindows(arch, M0);
        const windowCycles = C0 * S * perIact + drain;
        // A task's last job may be partial: at most one more job's fixed cycles.
        const taskOverhead = PE_JOB_OVERHEAD;
        const { p } = bestSplit(dims, stacks, windowCycles, taskOverhead, opts.spatialDims ?? SPATIAL_ORDER);
        let F0 = ceilDiv(F, p.f);
        if (passes > 1) {
          // Between reduction passes the psums wait in the stack's GLB psum bank: one step must fit.
          while (F0 > 0 && stackPsumWordsPerStep(arch, M0, F0) > psumBankWords(arch)) F0--;
          if (F0 === 0) {
            psumTooSmall = true;
            continue;
          }
        }
        const fTiles = ceilDiv(ceilDiv(F, p.f), F0);
        let steps = 1;
        for (const d of ['n', 'g', 'm', 'e'] as const) steps *= ceilDiv(dims[d], p[d]);
        // Weights reload for every psum chunk of every pass (they never stay in the GLB).
        const nefSteps = (steps / (ceilDiv(l.groups, p.g) * ceilDiv(dims.m, p.m))) * fTiles;
        const chunks = passes > 1 ? ceilDiv(nefSteps, psumChunkSteps(arch, M0, F0)) : 1;
        const weightLoads = ceilDiv(l.groups, p.g) * ceilDiv(dims.m, p.m) * passes * chunks;
        // Psums leave each stack top every pass (read back too when passes > 1): a cluster's
        // psum ports bound the step when the PE work per psum is small.
        const psumStep = (arch.peCols * M0 * F0 * (passes > 1 ? 2 : 1)) / (arch.glb.psumBanks * psumLanes(arch));
        const score = passes * steps * fTiles * Math.max(F0 * windowCycles + taskOverhead, psumStep) + weightLoads * words;
        candidates.push({ M0, C0, V, p, F0, score });
      }
    }
  }
  if (candidates.length === 0 && psumTooSmall) {
    throw new MappingError(
      l.name,
      'glb.psumBankBytes',
      `the reduction needs several passes, and one GLB psum bank cannot hold the psums of one output window of M0 channels between them`,
    );
  }
  if (candidates.length === 0) {
    throw new MappingError(l.name, 'spads.weightData.depth', `no M0 x C0*S weight tile fits ${sp.weightData.depth} words at weight density ${wd.toFixed(2)}`);
  }
  candidates.sort((a, b) => a.score - b.score || b.M0 * b.C0 - a.M0 * a.C0);
  return firstFitting(l, arch, candidates, opts.weights, wd);
}

/**
 * Psum-port words one stack top writes per step: its F0 windows leave as PE jobs of at most
 * floor(psumDepth / M0) windows, each job's M0 psums per window packed into whole words.
 */
export function stackPsumWordsPerStep(arch: ArchConfig, M0: number, F0: number): number {
  const lanes = psumLanes(arch);
  const perJob = psumJobWindows(arch, M0);
  const full = Math.floor(F0 / perJob),
    rest = F0 % perJob;
  return full * ceilDiv(perJob * M0, lanes) + (rest > 0 ? ceilDiv(rest * M0, lanes) : 0);
}

/** Words of one GLB psum bank. */
const psumBankWords = (arch: ArchConfig): number => Math.floor((arch.glb.psumBankBytes * 8) / arch.noc.psumPortBits);

/**
 * (n, e, f) steps whose psums fit the GLB between reduction passes: a stack's psums wait in the
 * one psum bank of its column in the cluster holding the stack's top.
 */
function psumChunkSteps(arch: ArchConfig, M0: number, F0: number): number {
  return Math.max(1, Math.floor(psumBankWords(arch) / stackPsumWordsPerStep(arch, M0, F0)));
}

function buildMapping(l: Layer, arch: ArchConfig, c: Candidate, maxWeightWords: number): Mapping {
  const Cg = channelsPerGroup(l),
    Mg = filtersPerGroup(l),
    E = outH(l),
    F = outW(l);
  const { S, R, stride: U } = l;
  const segmentCols = Math.min(U, S);
  const height = arch.peRows * c.V;
  const cBlocks = ceilDiv(Cg, c.C0);
  const slices = R * cBlocks;
  const passes = ceilDiv(slices, height);
  const dims = { n: l.N, g: l.groups, m: ceilDiv(Mg, c.M0), e: E, f: ceilDiv(F, c.F0) };
  const p = { ...c.p };
  // f is split over stacks in windows, then tiled in F0 chunks: re-express p.f over chunks.
  p.f = Math.min(p.f, dims.f);
  const temporal = {} as Record<SpatialDim, number>;
  let used = 1;
  for (const d of SPATIAL_ORDER) {
    temporal[d] = ceilDiv(dims[d], p[d]);
    used *= p[d];
  }
  const stacksAvailable = arch.peCols * arch.clusterCols * (arch.clusterRows / c.V);
  const chunkSteps = passes > 1 ? psumChunkSteps(arch, c.M0, c.F0) : temporal.n * temporal.e * temporal.f;
  // Weights: the PEs of a row share them when the PE columns only differ in f, e, n.
  const inRowShare = p.f * p.e * p.n;
  const weight: NocMode = used === 1 || (p.m === 1 && p.g === 1) ? 'broadcast' : inRowShare >= Math.min(arch.peCols, used) ? 'multicast' : 'unicast';
  const iact: NocMode = p.m === 1 ? 'unicast' : p.m >= used ? 'broadcast' : 'multicast';
  const map: Mapping = {
    arch: arch.name,
    layer: l.name,
    pe: {
      M0: c.M0,
      C0: c.C0,
      S,
      cols: c.C0 * S,
      segmentCols,
      segmentLength: c.C0 * segmentCols,
      segmentsPerWindow: ceilDiv(S, U),
      F0: c.F0,
    },
    stack: { clusterRows: c.V, height },
    reduction: { cBlocks, slices, passes },
    spatial: p,
    temporal,
    stacksAvailable,
    stacksUsed: used,
    psumChunkSteps: chunkSteps,
    noc: {
      iact,
      weight,
      mesh: { iact: { mode: 'unicast', groups: [] }, weight: { mode: 'unicast', groups: [] } },
      psum: c.V > 1 ? 'column+cluster-chain' : 'column',
    },
    staging: stagingPlan(temporal.m, arch),
    maxWeightWords,
    estimatedCycles: Math.round(c.score),
  };
  map.noc.mesh = meshPlans(map, arch, dims);
  return map;
}
