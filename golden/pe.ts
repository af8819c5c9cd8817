// Golden model of one sparse PE running one task: a CSC weight tile stays in the weight SPads
// while a CSC iact row streams through the circular iact SPads, one window at a time. It returns
// the psum stream the PE emits and the cycles it should take (see golden/README.md, "PE model":
// which parts are exact and which are a model).
import { paperArch, type ArchConfig } from './arch.js';
import { weightColumnEntries, type IactCsc, type WeightCsc } from './csc.js';
import { wrapPsum } from './numerics.js';

export interface PeTask {
  /** Psum rows (output channels). */
  M0: number;
  /** Weight columns = window positions = C0*S. */
  cols: number;
  segmentLength: number;
  segmentsPerWindow: number;
  /** Windows to compute; the iact stream must hold windows + segmentsPerWindow - 1 segments. */
  windows: number;
}

export interface PeResult {
  /** windows x M0 psums, window-major, 20-bit values sign-extended. */
  psums: Int32Array;
  cycles: number;
  /** Multiplies issued (fillers included: they occupy a MAC slot). */
  macs: number;
  /** Non-zero iacts read from the iact data SPad. */
  iactReads: number;
  /** 24-bit words read from the weight data SPad. */
  weightWordReads: number;
}

/** A weight tile as the PE walks it: column c's entries are [colStart[c], colStart[c+1]). */
export interface DecodedTile {
  colStart: Int32Array;
  rows: Int32Array;
  values: Int32Array;
  /** Cycles one non-zero iact costs in each column: max(1, ceil(entries / simd)). */
  colCycles: Int32Array;
  /** Weight data words read for one non-zero iact in each column. */
  colWords: Int32Array;
  words: number;
}

const decoded = new WeakMap<WeightCsc, DecodedTile>();

/** The columns as the PE decodes them from the weight SPads (pads skipped, fillers kept: they cost a MAC slot). */
export function decodeTile(w: WeightCsc, cols: number, simd: number): DecodedTile {
  const cached = decoded.get(w);
  if (cached !== undefined && cached.colStart.length === cols + 1) return cached;
  const colStart = new Int32Array(cols + 1);
  const rows = new Int32Array(w.words.length * 2);
  const values = new Int32Array(w.words.length * 2);
  const colCycles = new Int32Array(cols);
  const colWords = new Int32Array(cols);
  let n = 0;
  for (let c = 0; c < cols; c++) {
    // Columns past the address vector are empty.
    for (const e of c < w.addr.length ? weightColumnEntries(w, c) : []) {
      rows[n] = e.row;
      values[n] = e.value;
      n++;
    }
    colStart[c + 1] = n;
    const entries = n - colStart[c]!;
    colCycles[c] = Math.max(1, Math.ceil(entries / simd));
    colWords[c] = Math.ceil(entries / 2);
  }
  const t = { colStart, rows, values, colCycles, colWords, words: w.words.length };
  decoded.set(w, t);
  return t;
}

/** 20-bit psums per psum port word: the PE reads out that many per cycle (2R psum SPad). */
export const psumLanes = (arch: ArchConfig): number => Math.max(1, Math.floor(arch.noc.psumPortBits / 20));

/** Windows of one PE job: as many as the psum SPad holds psums for. */
export const psumJobWindows = (arch: ArchConfig, M0: number): number => Math.max(1, Math.floor(arch.spads.psum.depth / M0));

/**
 * Cycles of a task from what it does: the weight load, per-segment pair counts (what the iact
 * port carries), per-window compute cycles (sum over the window's non-zero iacts of their column
 * cost, at least 1). Shared by runPe and the counting path of archpath.ts so both agree exactly.
 */
export function peTaskCycles(
  task: PeTask,
  tileWords: number,
  segPairs: ArrayLike<number>,
  windowCompute: ArrayLike<number>,
  arch: ArchConfig,
  /** Iact entries per 24-bit port word: 2 CSC pairs, or 3 raw values for a dense PE. */
  perWord = 2,
): number {
  const { M0, segmentsPerWindow: nSeg, windows } = task;
  const depth = arch.spads.iactData.depth;
  const jobWindows = psumJobWindows(arch, M0);
  const lanes = psumLanes(arch);
  let cycles = arch.pipelineStages + tileWords;
  let resident = 0;
  let loaded = 0;
  for (let win = 0; win < windows; win++) {
    const jobStart = win % jobWindows === 0;
    if (jobStart) {
      // A job's iact stream starts at its first window's segments (the SPads restart empty).
      resident = 0;
      loaded = win;
    }
    // A segment load overlaps the previous window's compute only when the circular buffer has
    // room for it next to the still-resident window.
    let loadPairs = 0;
    let fitsBeside = true;
    while (loaded < win + nSeg) {
      const len = segPairs[loaded]!;
      if (resident + len > depth) fitsBeside = false;
      resident += len;
      loadPairs += len;
      loaded++;
    }
    const loadCycles = Math.ceil(loadPairs / perWord);
    cycles += jobStart || !fitsBeside ? loadCycles : Math.max(0, loadCycles - windowCompute[win - 1]!);
    cycles += windowCompute[win]!;
    resident -= segPairs[win]!;
    // The psum SPad holds one job's windows: when it is full (or the task ends), the last MAC
    // leaves the pipeline and the psums are read out, `lanes` per cycle, before the next job.
    const last = win === windows - 1 || (win + 1) % jobWindows === 0;
    if (last) cycles += arch.pipelineStages + Math.ceil(((win % jobWindows) + 1) * M0 / lanes);
  }
  return cycles;
}

/**
 * Runs a task. `psumIn` (windows x M0) are the psums arriving from the PE below or the GLB;
 * null means the PE starts each window from zero.
 */
export function runPe(task: PeTask, w: WeightCsc, iacts: IactCsc, psumIn: Int32Array | null, arch: ArchConfig = paperArch): PeResult {
  const { M0, cols, segmentLength, segmentsPerWindow: nSeg, windows } = task;
  const depth = arch.spads.iactData.depth;
  const addrDepth = arch.spads.iactAddr.depth;
  const nSegments = windows + nSeg - 1;
  if (iacts.addr.length !== nSegments) {
    throw new RangeError(`PE task of ${windows} windows x ${nSeg} segments needs ${nSegments} iact segments, stream has ${iacts.addr.length}`);
  }
  if (w.words.length > arch.spads.weightData.depth) throw new RangeError(`weight tile of ${w.words.length} words exceeds the weight data SPad`);
  if (psumIn !== null && psumIn.length !== windows * M0) throw new RangeError(`psumIn has ${psumIn.length} values, expected windows*M0 = ${windows * M0}`);
  const t = decodeTile(w, cols, arch.simd);

  // Circular iact SPads: data[i mod depth], addr[k mod addrDepth] = end pointer of segment k.
  const data = new Int32Array(depth);
  const addr = new Int32Array(addrDepth);
  let streamPos = 0; // pairs received so far
  let loaded = 0; // segments received so far
  let base = 0; // end pointer of the last dropped segment = start of the oldest resident one
  let residentPairs = 0;
  const segPairs = new Int32Array(nSegments);
  const windowCompute = new Int32Array(windows);
  const loadSegment = (): void => {
    const k = loaded;
    const end = iacts.addr[k]!;
    const start = k === 0 ? 0 : iacts.addr[k - 1]!;
    const len = (end - start + depth) % depth;
    if (residentPairs + len > depth) throw new RangeError(`iact data SPad overflow: ${residentPairs} + ${len} pairs > ${depth}`);
    for (let i = 0; i < len; i++) data[(streamPos + i) % depth] = iacts.data[streamPos + i]!;
    streamPos += len;
    addr[k % addrDepth] = end;
    segPairs[k] = len;
    residentPairs += len;
    loaded++;
  };

  const psums = new Int32Array(windows * M0);
  const acc = new Int32Array(M0);
  let macs = 0, iactReads = 0, weightWordReads = 0;
  for (let win = 0; win < windows; win++) {
    while (loaded < win + nSeg) {
      if (loaded - win >= addrDepth) throw new RangeError(`iact address SPad overflow: ${loaded - win + 1} resident segments > ${addrDepth}`);
      loadSegment();
    }
    if (psumIn !== null) for (let m = 0; m < M0; m++) acc[m] = psumIn[win * M0 + m]!;
    else acc.fill(0);
    let compute = 0;
    for (let j = 0; j < nSeg; j++) {
      const k = win + j;
      let ptr = k === win ? base : addr[(k - 1) % addrDepth]!;
      const end = addr[k % addrDepth]!;
      let pos = -1;
      while (ptr !== end) {
        // Inline pair decode: this loop runs once per non-zero iact of a whole network.
        const pair = data[ptr]!;
        const raw = pair & 0xff;
        const value = iacts.signed && raw >= 128 ? raw - 256 : raw;
        ptr = (ptr + 1) % depth;
        pos += (pair >>> 8) + 1;
        iactReads++;
        const col = j * segmentLength + pos;
        if (col >= cols) {
          compute += 1; // read, then dropped at the weight-address stage
          continue;
        }
        compute += t.colCycles[col]!;
        weightWordReads += t.colWords[col]!;
        const e1 = t.colStart[col + 1]!;
        for (let i = t.colStart[col]!; i < e1; i++) {
          const row = t.rows[i]!;
          acc[row] = (acc[row]! + value * t.values[i]!) | 0;
        }
        macs += e1 - t.colStart[col]!;
      }
    }
    for (let m = 0; m < M0; m++) psums[win * M0 + m] = wrapPsum(acc[m]!);
    windowCompute[win] = Math.max(1, compute);
    // Slide: drop the oldest segment.
    base = addr[win % addrDepth]!;
    residentPairs -= segPairs[win]!;
  }
  const cycles = peTaskCycles(task, w.words.length, segPairs, windowCompute, arch);
  return { psums, cycles, macs, iactReads, weightWordReads };
}
