// The chip model: the layer computed the way the chip does it. Weights are cut into the
// mapper's PE tiles and CSC-encoded, each PE's iact row is CSC-encoded as a segment stream, every
// PE task runs through the golden PE model, psums climb each stack and wait in the GLB psum banks
// between reduction passes. Its output must equal referenceLayer() bit for bit; along the way it
// counts what the performance and energy models need.
//
// mode 'timing' walks exactly the same steps, tiles and windows but only counts (no CSC iact
// encode, no MACs): its counts equal the 'values' run's (tested), at a fraction of the time.
import { paperArch, type ArchConfig } from '../spec/arch.js';
import { encodeIactFlat, encodeWeightCsc, type WeightCsc } from '../spec/csc.js';
import { VALUE_BITS } from '../spec/numerics.js';
import { PSUM_BITS } from '../spec/numerics.js';
import { checkLayerData, filtersPerGroup, outH, outW, type Layer, type LayerData } from './layers.js';
import { mapLayer, tileColumnEntries, tileWords, weightTile, type Mapping } from './mapper.js';
import { groupCount, schedule, type ScheduledIteration, type ScheduledPe, type ScheduledStack, type ScheduledStep } from './schedule.js';
import { forEachTaskOutput, taskIactSegments } from './tiles.js';
import { ActiveCycles, decodeTile, PE_PIPELINE_FILL, peTaskCycles, psumJobWindows, runPe, tileLoadCycles, type PeTask } from './pe.js';
import { psumLanes } from '../spec/pe/params.js';

/** Event counts of one layer run, the inputs of perf.ts and energy.ts. */
export interface LayerCounts {
  /**
   * Layer cycles: sum over iterations (weights fixed: one g, m tile, psum chunk and reduction
   * pass) of max(slowest lock-step group, NoC bound); a group's step time is its slowest PE, or
   * the weight-router bound when the PEs of a row need different new tiles.
   */
  cycles: number;
  /** The PE-bound part alone: per iteration, the slowest lock-step group's sum of step times. */
  peBoundCycles: number;
  /** The NoC / GLB-port delivery bound alone, summed over steps. */
  nocBoundCycles: number;
  steps: number;
  /** Sum over iterations of (PEs with a task) x (iteration cycles): PEs stay clocked while they wait. */
  peClockCycles: number;
  /** Sum over PEs of their busy cycles (clock energy of active PEs). */
  peBusyCycles: number;
  /** Multiplies issued (fillers included). */
  macs: number;
  iactReads: number;
  weightWordReads: number;
  /** Words written into weight data SPads (a multicast counts once per receiving PE). */
  weightWordsLoaded: number;
  /** Pairs written into iact data SPads. */
  iactPairsLoaded: number;
  /** Psums moved between PEs, into a stack and out of it (20-bit each). */
  psumTransfers: number;
  /** Psums written to plus read back from the GLB psum banks between reduction passes. */
  glbPsumAccesses: number;
  /** 24-bit words the GLB iact banks deliver (distinct streams per cluster per step). */
  glbIactWords: number;
  dramWeightBytes: number;
  dramIactBytes: number;
  dramOutputBytes: number;
  /** Weight and iact bytes if every weight tile and iact stream crossed from DRAM once: the floor any mapping's reloads add to. */
  dramWeightBytesOnce: number;
  dramIactBytesOnce: number;
}

/**
 * Chip variants of the paper's comparison (spec 6.2), timing mode only:
 *  v2   sparse PE (zero skipping, CSC, SIMD) on the hierarchical mesh NoC;
 *  v1.5 dense PE (every position x every weight, 1 MAC/cycle, uncompressed data) on the HM-NoC;
 *  v1   dense PE on a flat multicast NoC: one bus per data type for the whole array, of the
 *       original Eyeriss's widths (V1_BUS_BITS).
 */
export type ChipVariant = 'v2' | 'v1.5' | 'v1';

/**
 * The original Eyeriss's global input networks, one bus per data type for the whole PE array:
 * ifmap 16 b, filter 64 b, psum 64 b wide (Chen et al., JSSC 2017, "System Modules", B). The paper's v1 is
 * that design scaled to v2's precision; the wires stay, so they carry more of the narrower values.
 */
export const V1_BUS_BITS = { iact: 16, weight: 64, psum: 64 } as const;
/** Values per cycle on v1's buses: 2 iacts, 8 weights, 3 psums. */
export const V1_BUS_VALUES = {
  iacts: Math.floor(V1_BUS_BITS.iact / VALUE_BITS),
  weights: Math.floor(V1_BUS_BITS.weight / VALUE_BITS),
  psums: Math.floor(V1_BUS_BITS.psum / PSUM_BITS),
} as const;

export interface ChipModelOptions {
  arch?: ArchConfig;
  mapping?: Mapping;
  mode?: 'values' | 'timing';
  variant?: ChipVariant;
  /**
   * Run only every `sample`-th stack task (one stack on one (g, m, n, e, f) output tile, all its
   * reduction passes included), for fast checks of big layers; `computed` marks the outputs
   * produced and the counts cover only what ran.
   */
  sample?: number;
}

export interface ChipModelRun {
  /** NMEF raw psums (all zero in timing mode). */
  output: Int32Array;
  /** 1 where `output` was produced (all ones unless sampled). */
  computed: Uint8Array;
  mapping: Mapping;
  counts: LayerCounts;
}

const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

/** A layer's fixed facts, shared by every part of the run. */
interface Run {
  l: Layer;
  d: LayerData;
  arch: ArchConfig;
  map: Mapping;
  counts: LayerCounts;
  chip: ChipStrategy;
  /** Filters per m tile, PE columns, values per segment, segments per window. */
  M0: number;
  cols: number;
  segmentLength: number;
  nSeg: number;
  jobWindows: number;
}

interface Tile {
  /** The encoded tile (values mode only). */
  csc: WeightCsc | null;
  words: number;
  colCycles: Int32Array;
  colWords: Int32Array;
  colEntries: Int32Array;
}

/**
 * Weights bypass the GLB: a tile comes from DRAM each (g, m, chunk, pass) iteration it is used in
 * (then stays in the SPads across that iteration's steps); multicast shares one read. Timing mode
 * takes the per-column pair counts straight from the weights (same rule as the encoder, see
 * tileColumnEntries); values mode encodes and decodes the real CSC tile.
 */
class WeightTiles {
  private readonly cache = new Map<number, Tile>();
  private readonly fetched = new Set<number>();
  private readonly mTiles: number;
  /** DRAM bytes of the tiles the current iteration fetched. */
  iterationBytes = 0;

  constructor(
    private readonly run: Run,
    private readonly encode: boolean,
  ) {
    this.mTiles = ceilDiv(filtersPerGroup(run.l), run.M0);
  }

  key(g: number, mb: number, cb: number, r: number): number {
    return ((g * this.mTiles + mb) * this.run.map.reduction.cBlocks + cb) * this.run.l.R + r;
  }

  beginIteration(): void {
    this.cache.clear();
    this.iterationBytes = 0;
  }

  get(g: number, mb: number, cb: number, r: number): Tile {
    const k = this.key(g, mb, cb, r);
    const cached = this.cache.get(k);
    if (cached !== undefined) return cached;
    const t = this.encode ? this.encoded(g, mb, cb, r) : this.counted(g, mb, cb, r);
    this.cache.set(k, t);
    const { arch, M0, cols, counts } = this.run;
    // Off chip a tile travels as CSC or, when that is larger, as raw 8-bit weights (dense mode).
    const bytes = Math.min(t.words * 3 + Math.ceil((cols * arch.spads.weightAddr.width) / 8), M0 * cols);
    counts.dramWeightBytes += bytes;
    this.iterationBytes += bytes;
    if (!this.fetched.has(k)) {
      this.fetched.add(k);
      counts.dramWeightBytesOnce += bytes;
    }
    return t;
  }

  private counted(g: number, mb: number, cb: number, r: number): Tile {
    const { l, d, arch, M0, map } = this.run;
    const entries = tileColumnEntries(l, d.weights, g, mb, M0, cb, map.pe.C0, r);
    const words = tileWords(entries);
    if (words > arch.spads.weightData.depth) throw new RangeError(`weight tile of ${words} words exceeds the weight data SPad`);
    return { csc: null, words, colCycles: entries.map((e) => Math.ceil(e / arch.simd)), colWords: entries.map((e) => (e + 1) >> 1), colEntries: entries };
  }

  private encoded(g: number, mb: number, cb: number, r: number): Tile {
    const { l, d, arch, M0, cols, map } = this.run;
    const csc = encodeWeightCsc({ rows: M0, cols, data: weightTile(l, d.weights, g, mb, M0, cb, map.pe.C0, r) }, arch);
    const dt = decodeTile(csc, cols, arch.simd);
    return {
      csc,
      words: csc.words.length,
      colCycles: dt.colCycles,
      colWords: dt.colWords,
      colEntries: dt.colStart.subarray(1).map((e, i) => e - dt.colStart[i]!),
    };
  }
}

/** The iact streams the layer moves off chip: each distinct one once, and again per iteration that needs it. */
class IactStreams {
  private readonly all = new Set<number>();
  private iteration = new Set<number>();
  private uniqueBytes = 0;
  private streamedBytes = 0;

  constructor(private readonly run: Run) {}

  key(n: number, g: number, cb: number, h: number, fStart: number): number {
    const { l, map } = this.run;
    return (((n * l.groups + g) * map.reduction.cBlocks + cb) * (l.H + 2 * l.padding + 2 * l.R) + h + l.padding + l.R) * outW(l) + fStart;
  }

  beginIteration(): void {
    this.iteration = new Set();
  }

  /** A PE's stream of `pairs` non-zero entries over `segments` segments of the iteration. */
  use(key: number, length: number, pairs: number, segments: number): void {
    if (this.iteration.has(key)) return;
    this.iteration.add(key);
    // Off-chip, each stream travels as CSC or raw bytes, whichever is smaller.
    const b = Math.min(length, Math.ceil((pairs * 12 + segments * this.run.arch.spads.iactAddr.width) / 8));
    this.streamedBytes += b;
    if (!this.all.has(key)) {
      this.all.add(key);
      this.uniqueBytes += b;
    }
  }

  /**
   * With the mapping's staging plan (golden/staging-plan.ts), iacts come from DRAM once if the
   * layer's input fits the GLB iact banks; otherwise the part that does not fit is fetched again
   * every window. Without it (bypass), every stream is fetched each iteration that needs it.
   */
  finish(): void {
    const { arch, counts, map } = this.run;
    const glbIactTotal = arch.clusterRows * arch.clusterCols * arch.glb.iactBanks * arch.glb.iactBankBytes;
    const missing = map.staging.mode === 'bypass' ? 1 : this.uniqueBytes <= glbIactTotal ? 0 : 1 - glbIactTotal / this.uniqueBytes;
    counts.dramIactBytes = Math.round(this.uniqueBytes + (this.streamedBytes - this.uniqueBytes) * missing);
    counts.dramIactBytesOnce = Math.round(this.uniqueBytes);
  }
}

/** What one step moves, per cluster and per PE row, for its NoC bounds. */
interface StepTraffic {
  clusterIactWords: Map<number, number>;
  clusterPsums: Map<number, number>;
  clusterStreams: Map<number, Set<number>>;
  /** PE row -> new tiles -> words. */
  rowTiles: Map<number, Map<number, number>>;
  /** PE row -> shortest post-load time of a PE that loaded a tile. */
  rowRest: Map<number, number>;
  /** Distinct streams array-wide, with their entries (v1's flat bus). */
  arrayStreams: Map<number, number>;
}

/** One PE task's inputs as the chip variant's PE sees them. */
interface TaskInput {
  task: PeTask;
  tile: Tile;
  /** The iact stream's segments; null for the dense PE, which sends every value. */
  segs: Int32Array | null;
  chain: Int32Array | null;
  /** Cycles to load the tile into the weight SPads; none are spent when it is resident. */
  load: number;
  resident: boolean;
}

interface TaskOutput {
  cycles: number;
  /** Iact entries loaded into the data SPad. */
  pairs: number;
  chain: Int32Array | null;
}

/** How a PE runs one task: counted densely, counted sparsely, or computed. */
type PeRun = (run: Run, t: TaskInput) => TaskOutput;

/** The dense PE: every value is sent (3 per 24-bit word) and every position runs M0 MACs one per cycle; positions past the filter are read and dropped. */
const denseTask: PeRun = (run, { task, chain, load, resident }) => {
  const { M0, cols, segmentLength, nSeg, jobWindows, counts } = run;
  const windows = task.windows;
  const perWindow = Math.min(cols, nSeg * segmentLength) * M0 + Math.max(0, nSeg * segmentLength - cols);
  const jobActive = Array.from(
    { length: Math.ceil(windows / jobWindows) },
    (_, j) => Math.min(jobWindows, windows - j * jobWindows) * perWindow + PE_PIPELINE_FILL,
  );
  counts.iactReads += windows * nSeg * segmentLength;
  counts.macs += windows * cols * M0;
  counts.weightWordReads += windows * cols * M0;
  return { cycles: peTaskCycles(task, resident ? 0 : load, jobActive, run.arch), pairs: (windows + nSeg - 1) * segmentLength, chain };
};

/** The sparse PE, counting only: the same walk as runPe. */
const sparseCountedTask: PeRun = (run, { task, tile, segs, chain, load, resident }) => {
  const { cols, segmentLength, nSeg, counts } = run;
  const s = segs!;
  const timer = new ActiveCycles(run.jobWindows);
  for (let win = 0; win < task.windows; win++) {
    timer.window(win);
    const base = win * segmentLength;
    for (let q = 0; q < nSeg * segmentLength; q++) {
      if (s[base + q] === 0) continue;
      counts.iactReads++;
      if (q >= cols) {
        timer.iact(0);
        continue;
      }
      timer.iact(tile.colCycles[q]!);
      counts.weightWordReads += tile.colWords[q]!;
      counts.macs += tile.colEntries[q]!;
    }
    let lastEmpty = true;
    for (let q = (nSeg - 1) * segmentLength; q < nSeg * segmentLength; q++) if (s[base + q] !== 0) lastEmpty = false;
    if (lastEmpty) timer.step();
  }
  let pairs = 0;
  for (let i = 0; i < s.length; i++) if (s[i] !== 0) pairs++;
  return { cycles: peTaskCycles(task, resident ? 0 : load, timer.perJob(), run.arch), pairs, chain };
};

/** The sparse PE computing: CSC-encode the iacts and run the golden PE. */
const sparseComputedTask: PeRun = (run, { task, tile, segs, chain, load, resident }) => {
  const iacts = encodeIactFlat(segs!, run.segmentLength, run.l.iactSigned, run.arch);
  const res = runPe(task, tile.csc!, iacts, chain, run.arch);
  run.counts.macs += res.macs;
  run.counts.iactReads += res.iactReads;
  run.counts.weightWordReads += res.weightWordReads;
  return { cycles: res.cycles - (resident ? load : 0), pairs: iacts.data.length, chain: res.psums };
};

/** What differs between the paper's chip variants (ChipVariant). */
interface ChipStrategy {
  /** Every value sent and multiplied (v1, v1.5) instead of zero skipping. */
  densePe: boolean;
  /** Iact entries per 24-bit GLB word: raw values or CSC pairs. */
  iactPerWord: number;
  /** The bound of the array-wide buses on a step; 0 on the HM-NoC, which has none. */
  busBound(run: Run, s: StepTraffic): number;
}

/**
 * v1's flat NoC: everything a step needs crosses the array's one bus per data type once,
 * multicast included: every distinct iact stream, every tile a PE loads (the dense PE takes all
 * M0 x cols values), every psum.
 */
function flatBusBound(run: Run, s: StepTraffic): number {
  let iacts = 0,
    psums = 0;
  for (const values of s.arrayStreams.values()) iacts += values;
  for (const v of s.clusterPsums.values()) psums += v;
  const tiles = new Set<number>();
  for (const rt of s.rowTiles.values()) for (const tk of rt.keys()) tiles.add(tk);
  return Math.max(ceilDiv(iacts, V1_BUS_VALUES.iacts), ceilDiv(psums, V1_BUS_VALUES.psums), ceilDiv(tiles.size * run.M0 * run.cols, V1_BUS_VALUES.weights));
}

const CHIPS: Record<ChipVariant, ChipStrategy> = {
  v2: { densePe: false, iactPerWord: 2, busBound: () => 0 },
  'v1.5': { densePe: true, iactPerWord: 3, busBound: () => 0 },
  v1: { densePe: true, iactPerWord: 3, busBound: flatBusBound },
};

/** The state a run carries across iterations and steps. */
interface RunState {
  tiles: WeightTiles;
  streams: IactStreams;
  peRun: PeRun;
  /** Physical PE -> resident weight tile. */
  lastTile: Map<number, number>;
  /** Psums a stack task parks in the GLB between reduction passes. */
  glbPsums: Map<number, Int32Array | null>;
  out: Int32Array;
  computed: Uint8Array;
}

/** One PE of a stack: its task on the variant's PE, and what it loads and streams. */
function runStackPe(run: Run, state: RunState, st: ScheduledStack, pe: ScheduledPe, traffic: StepTraffic, chain: Int32Array | null, groupMax: Float64Array) {
  const { arch, map, counts, M0, segmentLength, nSeg } = run;
  const { g, mb, n, fStart, windows } = st;
  const { r, cb, h } = pe;
  const tile = state.tiles.get(g, mb, cb, r);
  const tk = state.tiles.key(g, mb, cb, r);
  const peId = st.stack * map.stack.height + pe.position;
  const resident = state.lastTile.get(peId) === tk;
  // The dense PE sends every value, so only the stream's length matters to it; the sparse PE's
  // timing and compression depend on where the zeros are.
  const streamSegments = windows + nSeg - 1;
  const streamLength = streamSegments * segmentLength;
  const segs = run.chip.densePe ? null : taskIactSegments(run.l, run.d, map, n, g, cb, h, fStart, windows);
  const load = run.chip.densePe ? Math.ceil((M0 * run.cols) / 3) : tileLoadCycles(tile.words, run.cols);
  const task: PeTask = { M0, cols: run.cols, segmentLength, segmentsPerWindow: nSeg, windows };
  const res = state.peRun(run, { task, tile, segs, chain, load, resident });
  groupMax[st.group] = Math.max(groupMax[st.group]!, res.cycles);
  counts.peBusyCycles += res.cycles;
  counts.iactPairsLoaded += res.pairs;
  counts.psumTransfers += windows * M0 * (pe.psumIn === 'zero' ? 1 : 2);
  const cluster = pe.place.clusterRow * arch.clusterCols + pe.place.clusterCol;
  if (!resident) {
    state.lastTile.set(peId, tk);
    counts.weightWordsLoaded += tile.words;
    const rowId = cluster * arch.peRows + pe.place.peRow;
    let rt = traffic.rowTiles.get(rowId);
    if (rt === undefined) traffic.rowTiles.set(rowId, (rt = new Map<number, number>()));
    rt.set(tk, tile.words);
    traffic.rowRest.set(rowId, Math.min(traffic.rowRest.get(rowId) ?? Infinity, res.cycles - load));
  }
  const sk = state.streams.key(n, g, cb, h, fStart);
  let cs = traffic.clusterStreams.get(cluster);
  if (cs === undefined) traffic.clusterStreams.set(cluster, (cs = new Set()));
  traffic.arrayStreams.set(sk, res.pairs);
  if (!cs.has(sk)) {
    cs.add(sk);
    // A CSC stream also carries its address vector: one 12-bit entry per segment.
    const entries = run.chip.densePe ? res.pairs : res.pairs + streamSegments;
    traffic.clusterIactWords.set(cluster, (traffic.clusterIactWords.get(cluster) ?? 0) + Math.ceil(entries / run.chip.iactPerWord));
  }
  state.streams.use(sk, streamLength, res.pairs, streamSegments);
  return { chain: res.chain, cluster };
}

/** One stack task of a step: its PEs bottom to top, then its psums to the GLB or the output. */
function runStack(run: Run, state: RunState, st: ScheduledStack, pass: number, traffic: StepTraffic, groupMax: Float64Array): void {
  const { counts, M0 } = run;
  let chain: Int32Array | null = null;
  let topCluster = 0;
  for (const pe of st.pes) {
    if (pe.psumIn === 'glb') {
      chain = state.glbPsums.get(st.taskKey) ?? null;
      counts.glbPsumAccesses += st.windows * M0;
    }
    ({ chain, cluster: topCluster } = runStackPe(run, state, st, pe, traffic, chain, groupMax));
  }
  traffic.clusterPsums.set(topCluster, (traffic.clusterPsums.get(topCluster) ?? 0) + st.windows * M0 * (pass > 0 ? 2 : 1));
  if (st.pes[st.pes.length - 1]!.psumOut === 'glb') {
    state.glbPsums.set(st.taskKey, chain);
    counts.glbPsumAccesses += st.windows * M0;
    return;
  }
  state.glbPsums.delete(st.taskKey);
  forEachTaskOutput(run.l, st, M0, (o, k) => {
    state.computed[o] = 1;
    if (chain !== null) state.out[o] = chain[k]!;
  });
}

/**
 * A weight router feeds its PE row one tile at a time: the row needs at least all its distinct
 * new tiles' words plus the shortest remaining work of a PE that loaded one.
 */
function rowBound(s: StepTraffic): number {
  let bound = 0;
  for (const [rowId, tiles] of s.rowTiles) {
    let sum = 0;
    for (const words of tiles.values()) sum += words;
    bound = Math.max(bound, sum + s.rowRest.get(rowId)!);
  }
  return bound;
}

/** The NoC bound of a step: each cluster's GLB iact and psum ports, and the variant's buses. */
function nocBound(run: Run, s: StepTraffic): number {
  const { arch, counts } = run;
  let noc = 0;
  for (const [cl, words] of s.clusterIactWords) {
    counts.glbIactWords += words;
    noc = Math.max(noc, ceilDiv(words, arch.glb.iactBanks), ceilDiv(s.clusterPsums.get(cl) ?? 0, arch.glb.psumBanks * psumLanes(arch)));
  }
  return Math.max(noc, run.chip.busBound(run, s));
}

/** One step: its stacks, then the step's time per lock-step group; returns the NoC bound and the PEs it used. */
function runStep(run: Run, state: RunState, step: ScheduledStep, pass: number, groupSum: Float64Array): { noc: number; pes: number } {
  run.counts.steps++;
  const traffic: StepTraffic = {
    clusterIactWords: new Map(),
    clusterPsums: new Map(),
    clusterStreams: new Map(),
    rowTiles: new Map(),
    rowRest: new Map(),
    arrayStreams: new Map(),
  };
  const groupMax = new Float64Array(groupSum.length);
  let pes = 0;
  for (const st of step.stacks) {
    runStack(run, state, st, pass, traffic, groupMax);
    pes += st.pes.length;
  }
  const rows = rowBound(traffic);
  for (let gi = 0; gi < groupSum.length; gi++) if (groupMax[gi]! > 0) groupSum[gi] = groupSum[gi]! + Math.max(groupMax[gi]!, rows);
  return { noc: nocBound(run, traffic), pes };
}

/**
 * One iteration (weights fixed): PEs that share iact streams (stacks differing only in m) advance
 * in lock-step; other groups run ahead independently until the iteration ends.
 */
function runIteration(run: Run, state: RunState, it: ScheduledIteration): void {
  const { counts, arch } = run;
  state.tiles.beginIteration();
  state.lastTile.clear();
  state.streams.beginIteration();
  const groupSum = new Float64Array(groupCount(run.map));
  let iterNoc = 0;
  let iterPes = 0;
  for (const step of it.steps) {
    const s = runStep(run, state, step, it.pass, groupSum);
    iterNoc += s.noc;
    iterPes = Math.max(iterPes, s.pes);
  }
  let pe = 0;
  for (const t of groupSum) pe = Math.max(pe, t);
  counts.peBoundCycles += pe;
  counts.nocBoundCycles += iterNoc;
  // With a DRAM limit, an iteration's weights arrive as one burst before its PEs can start (the
  // weight SPads are not double-buffered); the PE cycles already hold one tile's load.
  const weightBytes = state.tiles.iterationBytes;
  const burst =
    arch.dramBytesPerCycle === null || weightBytes === 0 ? 0 : Math.max(0, Math.ceil(weightBytes / arch.dramBytesPerCycle) - run.map.maxWeightWords);
  const iterCycles = Math.max(pe, iterNoc) + burst;
  counts.cycles += iterCycles;
  counts.peClockCycles += iterPes * iterCycles;
}

/** Counts of a run that has done nothing yet. */
export const zeroCounts = (): LayerCounts => ({
  cycles: 0,
  peBoundCycles: 0,
  nocBoundCycles: 0,
  steps: 0,
  peClockCycles: 0,
  peBusyCycles: 0,
  macs: 0,
  iactReads: 0,
  weightWordReads: 0,
  weightWordsLoaded: 0,
  iactPairsLoaded: 0,
  psumTransfers: 0,
  glbPsumAccesses: 0,
  glbIactWords: 0,
  dramWeightBytes: 0,
  dramIactBytes: 0,
  dramOutputBytes: 0,
  dramWeightBytesOnce: 0,
  dramIactBytesOnce: 0,
});

export function runChipModel(l: Layer, d: LayerData, opts: ChipModelOptions = {}): ChipModelRun {
  const arch = opts.arch ?? paperArch;
  const variant = opts.variant ?? 'v2';
  if (opts.mode === 'values' && variant !== 'v2') throw new Error(`variant ${variant} is a timing model only; use mode 'timing'`);
  const chip = CHIPS[variant];
  const timing = opts.mode === 'timing' || chip.densePe;
  checkLayerData(l, d);
  const map = opts.mapping ?? mapLayer(l, { arch, weights: d.weights });
  const { M0, cols, segmentLength, segmentsPerWindow: nSeg } = map.pe;
  const run: Run = {
    l,
    d,
    arch,
    map,
    counts: { ...zeroCounts(), dramOutputBytes: l.N * l.M * outH(l) * outW(l) },
    chip,
    M0,
    cols,
    segmentLength,
    nSeg,
    jobWindows: psumJobWindows(arch, M0),
  };
  const out = new Int32Array(l.N * l.M * outH(l) * outW(l));
  const state: RunState = {
    tiles: new WeightTiles(run, !timing),
    streams: new IactStreams(run),
    peRun: chip.densePe ? denseTask : timing ? sparseCountedTask : sparseComputedTask,
    lastTile: new Map(),
    glbPsums: new Map(),
    out,
    computed: new Uint8Array(out.length),
  };
  for (const it of schedule(l, map, arch, opts.sample ?? 1)) runIteration(run, state, it);
  state.streams.finish();
  return { output: out, computed: state.computed, mapping: map, counts: run.counts };
}
