// The architectural path: the layer computed the way the chip does it. Weights are cut into the
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
import { mapLayer, tileColumnEntries, tileWords, weightTile, type Mapping, type SpatialDim } from './mapper.js';
import { groupCount, schedule } from './schedule.js';
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

export interface ArchOptions {
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

export interface ArchRun {
  /** NMEF raw psums (all zero in timing mode). */
  output: Int32Array;
  /** 1 where `output` was produced (all ones unless sampled). */
  computed: Uint8Array;
  mapping: Mapping;
  counts: LayerCounts;
}

const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

interface Tile {
  /** The encoded tile (values mode only). */
  csc: WeightCsc | null;
  words: number;
  colCycles: Int32Array;
  colWords: Int32Array;
  colEntries: Int32Array;
}

export function runArchitectural(l: Layer, d: LayerData, opts: ArchOptions = {}): ArchRun {
  const arch = opts.arch ?? paperArch;
  const variant = opts.variant ?? 'v2';
  const timing = opts.mode === 'timing' || variant !== 'v2';
  if (opts.mode === 'values' && variant !== 'v2') throw new Error(`variant ${variant} is a timing model only; use mode 'timing'`);
  const densePe = variant !== 'v2';
  const perWord = densePe ? 3 : 2; // iact entries per 24-bit word: raw values or CSC pairs
  const sample = opts.sample ?? 1;
  checkLayerData(l, d);
  const map = opts.mapping ?? mapLayer(l, { arch, weights: d.weights });
  const Mg = filtersPerGroup(l), E = outH(l), F = outW(l);
  const { H, R } = l;
  const { M0, C0, F0, cols, segmentLength, segmentsPerWindow: nSeg } = map.pe;
  const { height } = map.stack;
  const { cBlocks } = map.reduction;
  const dims: Record<SpatialDim, number> = { n: l.N, g: l.groups, m: ceilDiv(Mg, M0), e: E, f: ceilDiv(F, F0) };
  const out = new Int32Array(l.N * l.M * E * F);
  const computed = new Uint8Array(out.length);
  const counts: LayerCounts = {
    cycles: 0, peBoundCycles: 0, nocBoundCycles: 0, steps: 0, peClockCycles: 0, peBusyCycles: 0, macs: 0, iactReads: 0, weightWordReads: 0,
    weightWordsLoaded: 0, iactPairsLoaded: 0, psumTransfers: 0, glbPsumAccesses: 0, glbIactWords: 0,
    dramWeightBytes: 0, dramIactBytes: 0, dramOutputBytes: l.N * l.M * E * F, dramWeightBytesOnce: 0, dramIactBytesOnce: 0,
  };

  // Weights bypass the GLB: a tile comes from DRAM each (g, m, chunk, pass) iteration it is used
  // in (then stays in the SPads across that iteration's steps); multicast shares one read.
  // Timing mode takes the per-column pair counts straight from the weights (same rule as the
  // encoder, see tileColumnEntries); values mode encodes and decodes the real CSC tile.
  const tileCache = new Map<number, Tile>();
  const fetchedTiles = new Set<number>();
  let iterWeightBytes = 0;
  const tileKey = (g: number, mb: number, cb: number, r: number): number => ((g * dims.m + mb) * cBlocks + cb) * R + r;
  const getTile = (g: number, mb: number, cb: number, r: number): Tile => {
    const k = tileKey(g, mb, cb, r);
    let t = tileCache.get(k);
    if (t === undefined) {
      if (timing) {
        const entries = tileColumnEntries(l, d.weights, g, mb, M0, cb, C0, r);
        const words = tileWords(entries);
        if (words > arch.spads.weightData.depth) throw new RangeError(`weight tile of ${words} words exceeds the weight data SPad`);
        t = { csc: null, words, colCycles: entries.map((e) => Math.ceil(e / arch.simd)), colWords: entries.map((e) => (e + 1) >> 1), colEntries: entries };
      } else {
        const csc = encodeWeightCsc({ rows: M0, cols, data: weightTile(l, d.weights, g, mb, M0, cb, C0, r) }, arch);
        const dt = decodeTile(csc, cols, arch.simd);
        t = { csc, words: csc.words.length, colCycles: dt.colCycles, colWords: dt.colWords, colEntries: dt.colStart.subarray(1).map((e, i) => e - dt.colStart[i]!) };
      }
      tileCache.set(k, t);
      // Off chip a tile travels as CSC or, when that is larger, as raw 8-bit weights (dense mode).
      const bytes = Math.min(t.words * 3 + Math.ceil((cols * arch.spads.weightAddr.width) / 8), M0 * cols);
      counts.dramWeightBytes += bytes;
      iterWeightBytes += bytes;
      if (!fetchedTiles.has(k)) {
        fetchedTiles.add(k);
        counts.dramWeightBytesOnce += bytes;
      }
    }
    return t;
  };
  const iactSegments = (n: number, g: number, cb: number, h: number, fStart: number, windows: number): Int32Array =>
    taskIactSegments(l, d, map, n, g, cb, h, fStart, windows);

  const nGroups = groupCount(map);
  const lastTile = new Map<number, number>(); // physical PE -> resident weight tile
  const glbPsums = new Map<number, Int32Array | null>();
  const psumPortPsums = psumLanes(arch);
  const jobWindows = psumJobWindows(arch, M0);
  const streamKey = (n: number, g: number, cb: number, h: number, fStart: number): number =>
    (((n * l.groups + g) * cBlocks + cb) * (H + 2 * l.padding + 2 * R) + h + l.padding + R) * F + fStart;
  const allStreams = new Set<number>();
  let uniqueIactBytes = 0;
  let streamedIactBytes = 0;

  for (const it of schedule(l, map, arch, sample)) {
    tileCache.clear();
    lastTile.clear();
    const iterStreams = new Set<number>();
    // PEs that share iact streams (stacks differing only in m) advance in lock-step; other
    // groups run ahead independently until the iteration ends (weights change).
    const groupSum = new Float64Array(nGroups);
    let iterNoc = 0;
    iterWeightBytes = 0;
    let iterPes = 0;
    for (const step of it.steps) {
      counts.steps++;
      const clusterIactWords = new Map<number, number>();
      const clusterPsums = new Map<number, number>();
      const clusterStreams = new Map<number, Set<number>>();
      const rowTiles = new Map<number, Map<number, number>>(); // PE row -> new tiles -> words
      const rowRest = new Map<number, number>(); // PE row -> shortest post-load time of a loading PE
      const groupMax = new Float64Array(nGroups);
      let stepPes = 0;
      const arrayStreams = new Map<number, number>(); // v1 flat bus: distinct streams array-wide
      for (const st of step.stacks) {
        const { g, mb, n, fStart, windows } = st;
        const task: PeTask = { M0, cols, segmentLength, segmentsPerWindow: nSeg, windows };
        let chain: Int32Array | null = null;
        let topCluster = 0;
        for (const pe of st.pes) {
          const { r, cb, h } = pe;
          if (pe.psumIn === 'glb') {
            chain = glbPsums.get(st.taskKey) ?? null;
            counts.glbPsumAccesses += windows * M0;
          }
          const tile = getTile(g, mb, cb, r);
          const tk = tileKey(g, mb, cb, r);
          const peId = st.stack * height + pe.position;
          const resident = lastTile.get(peId) === tk;
          // The dense PE sends every value, so only the stream's length matters to it; the sparse
          // PE's timing and compression depend on where the zeros are.
          const streamSegments = windows + nSeg - 1;
          const streamLength = streamSegments * segmentLength;
          const segs = densePe ? null : iactSegments(n, g, cb, h, fStart, windows);
          // Cycles to load the tile into the weight SPads; none when it is already resident.
          const load = densePe ? Math.ceil((M0 * cols) / 3) : tileLoadCycles(tile.words, cols);
          let cycles: number;
          let pairs: number;
          if (segs === null) {
            // Dense PE: every value is sent (3 per 24-bit word) and every position runs M0
            // MACs one per cycle; positions past the filter are read and dropped.
            const perWindow = Math.min(cols, nSeg * segmentLength) * M0 + Math.max(0, nSeg * segmentLength - cols);
            const jobActive = Array.from({ length: Math.ceil(windows / jobWindows) }, (_, j) =>
              Math.min(jobWindows, windows - j * jobWindows) * perWindow + PE_PIPELINE_FILL);
            cycles = peTaskCycles(task, resident ? 0 : load, jobActive, arch);
            pairs = streamLength;
            counts.iactReads += windows * nSeg * segmentLength;
            counts.macs += windows * cols * M0;
            counts.weightWordReads += windows * cols * M0;
          } else if (tile.csc === null) {
            // The same walk as runPe, counting only.
            const timer = new ActiveCycles(jobWindows);
            for (let win = 0; win < windows; win++) {
              timer.window(win);
              const base = win * segmentLength;
              for (let q = 0; q < nSeg * segmentLength; q++) {
                if (segs[base + q] === 0) continue;
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
              for (let q = (nSeg - 1) * segmentLength; q < nSeg * segmentLength; q++) if (segs[base + q] !== 0) lastEmpty = false;
              if (lastEmpty) timer.step();
            }
            cycles = peTaskCycles(task, resident ? 0 : load, timer.perJob(), arch);
            pairs = 0;
            for (let i = 0; i < segs.length; i++) if (segs[i] !== 0) pairs++;
          } else {
            const iacts = encodeIactFlat(segs, segmentLength, l.iactSigned, arch);
            const res = runPe(task, tile.csc, iacts, chain, arch);
            chain = res.psums;
            cycles = res.cycles - (resident ? load : 0);
            pairs = iacts.data.length;
            counts.macs += res.macs;
            counts.iactReads += res.iactReads;
            counts.weightWordReads += res.weightWordReads;
          }
          groupMax[st.group] = Math.max(groupMax[st.group]!, cycles);
          stepPes++;
          counts.peBusyCycles += cycles;
          counts.iactPairsLoaded += pairs;
          counts.psumTransfers += windows * M0 * (pe.psumIn === 'zero' ? 1 : 2);
          const cluster = pe.place.clusterRow * arch.clusterCols + pe.place.clusterCol;
          topCluster = cluster;
          if (!resident) {
            lastTile.set(peId, tk);
            counts.weightWordsLoaded += tile.words;
            const rowId = cluster * arch.peRows + pe.place.peRow;
            let rt = rowTiles.get(rowId);
            if (rt === undefined) rowTiles.set(rowId, (rt = new Map()));
            rt.set(tk, tile.words);
            rowRest.set(rowId, Math.min(rowRest.get(rowId) ?? Infinity, cycles - load));
          }
          const sk = streamKey(n, g, cb, h, fStart);
          let cs = clusterStreams.get(cluster);
          if (cs === undefined) clusterStreams.set(cluster, (cs = new Set()));
          arrayStreams.set(sk, pairs);
          if (!cs.has(sk)) {
            cs.add(sk);
            // A CSC stream also carries its address vector: one 12-bit entry per segment.
            const entries = densePe ? pairs : pairs + streamSegments;
            clusterIactWords.set(cluster, (clusterIactWords.get(cluster) ?? 0) + Math.ceil(entries / perWord));
          }
          if (!iterStreams.has(sk)) {
            iterStreams.add(sk);
            // Off-chip, each stream travels as CSC or raw bytes, whichever is smaller.
            const b = Math.min(streamLength, Math.ceil((pairs * 12 + streamSegments * arch.spads.iactAddr.width) / 8));
            streamedIactBytes += b;
            if (!allStreams.has(sk)) {
              allStreams.add(sk);
              uniqueIactBytes += b;
            }
          }
        }
        const top = st.pes[st.pes.length - 1]!;
        clusterPsums.set(topCluster, (clusterPsums.get(topCluster) ?? 0) + windows * M0 * (it.pass > 0 ? 2 : 1));
        if (top.psumOut === 'glb') {
          glbPsums.set(st.taskKey, chain);
          counts.glbPsumAccesses += windows * M0;
          continue;
        }
        glbPsums.delete(st.taskKey);
        forEachTaskOutput(l, st, M0, (o, k) => {
          computed[o] = 1;
          if (chain !== null) out[o] = chain[k]!;
        });
      }
      // A weight router feeds its PE row one tile at a time: the row needs at least all its
      // distinct new tiles' words plus the shortest remaining work of a PE that loaded one.
      let rowBound = 0;
      for (const [rowId, tiles] of rowTiles) {
        let sum = 0;
        for (const words of tiles.values()) sum += words;
        rowBound = Math.max(rowBound, sum + rowRest.get(rowId)!);
      }
      for (let gi = 0; gi < nGroups; gi++) if (groupMax[gi]! > 0) groupSum[gi] += Math.max(groupMax[gi]!, rowBound);
      iterPes = Math.max(iterPes, stepPes);
      let noc = 0;
      for (const [cl, words] of clusterIactWords) {
        counts.glbIactWords += words;
        noc = Math.max(noc, ceilDiv(words, arch.glb.iactBanks), ceilDiv(clusterPsums.get(cl) ?? 0, arch.glb.psumBanks * psumPortPsums));
      }
      if (variant === 'v1') {
        // Everything the step needs crosses the array's one bus per data type once, multicast
        // included: every distinct iact stream, every tile a PE loads (the dense PE takes all
        // M0 x cols values), every psum.
        let iacts = 0, psums = 0;
        for (const values of arrayStreams.values()) iacts += values;
        for (const v of clusterPsums.values()) psums += v;
        const tiles = new Set<number>();
        for (const rt of rowTiles.values()) for (const tk of rt.keys()) tiles.add(tk);
        noc = Math.max(noc, ceilDiv(iacts, V1_BUS_VALUES.iacts), ceilDiv(psums, V1_BUS_VALUES.psums), ceilDiv(tiles.size * M0 * cols, V1_BUS_VALUES.weights));
      }
      iterNoc += noc;
    }
    let pe = 0;
    for (const t of groupSum) pe = Math.max(pe, t);
    counts.peBoundCycles += pe;
    counts.nocBoundCycles += iterNoc;
    // With a DRAM limit, an iteration's weights arrive as one burst before its PEs can start
    // (the weight SPads are not double-buffered); the PE cycles already hold one tile's load.
    const burst = arch.dramBytesPerCycle === null || iterWeightBytes === 0 ? 0
      : Math.max(0, Math.ceil(iterWeightBytes / arch.dramBytesPerCycle) - map.maxWeightWords);
    const iterCycles = Math.max(pe, iterNoc) + burst;
    counts.cycles += iterCycles;
    counts.peClockCycles += iterPes * iterCycles;
  }
  const glbIactTotal = arch.clusterRows * arch.clusterCols * arch.glb.iactBanks * arch.glb.iactBankBytes;
  // Iacts come from DRAM once if the layer's input fits the GLB iact banks; otherwise the part that
  // does not fit is fetched again every iteration.
  const missing = uniqueIactBytes <= glbIactTotal ? 0 : 1 - glbIactTotal / uniqueIactBytes;
  counts.dramIactBytes = Math.round(uniqueIactBytes + (streamedIactBytes - uniqueIactBytes) * missing);
  counts.dramIactBytesOnce = Math.round(uniqueIactBytes);
  return { output: out, computed, mapping: map, counts };
}
