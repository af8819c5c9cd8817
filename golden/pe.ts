// Golden model of one sparse PE running one task: a CSC weight tile stays in the weight SPads
// while a CSC iact row streams through the circular iact SPads, one window at a time. It returns
// the psum stream the PE emits and the cycles it should take (see golden/README.md, "PE model":
// which parts are exact and which are a model).
import { paperArch, type ArchConfig } from '../spec/arch.js';
import { weightColumnEntries, type IactCsc, type WeightCsc } from '../spec/csc.js';
import { wrapPsum } from '../spec/numerics.js';
import { psumLanes } from '../spec/pe/params.js';

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

export interface PeTaskResult {
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
  /** Cycles stage C spends on one non-zero iact's column: ceil(entries / simd), 0 when empty. */
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
    colCycles[c] = Math.ceil(entries / simd);
    colWords[c] = Math.ceil(entries / 2);
  }
  const t = { colStart, rows, values, colCycles, colWords, words: w.words.length };
  decoded.set(w, t);
  return t;
}

/** Windows of one PE job: as many as the psum SPad holds psums for. */
export const psumJobWindows = (arch: ArchConfig, M0: number): number => Math.max(1, Math.floor(arch.spads.psum.depth / M0));

/**
 * Active cycles of a fully dense job beyond its weight words: stage C cannot issue before the
 * third cycle (A, then B) and the last word needs two more (D, then E).
 */
export const PE_PIPELINE_FILL = 4;

/**
 * Cycles of one job from the previous job's done handshake to its own, every port at full
 * speed: the accept cycle, one per weight word (or address entry) loaded, one to enter the
 * compute phase, the active cycles, one per drained word, and the done cycle. The one definition
 * of a job's phases, shared by the RTL model's `jobLatency`
 * (golden/pe/bounds.ts) and `peTaskCycles`.
 */
export const peJobCycles = (loads: number, activeCycles: number, drainedWords: number): number => 1 + loads + 1 + activeCycles + drainedWords + 1;

/** Weight load cycles of a tile: its address entries (one per column; none for dense weights) and data words load in parallel, one each per cycle. */
export const tileLoadCycles = (words: number, addrEntries: number): number => Math.max(words, addrEntries);

/**
 * Active cycles of a task's PE jobs, stepped the way the RTL's stages A and C run
 * (golden/pe/model.ts): stage A walks one iact entry per cycle and hands each non-zero iact to C
 * through a one-entry token register; C reads that iact's weight column, one word (`simd` weights)
 * per cycle. An iact whose column is empty leaves the register at once, behind C's busy cycles
 * (spec §4.4: no bubble); the last word needs two more cycles (D, E). A fully dense job takes its
 * words + PE_PIPELINE_FILL. Every `jobWindows` windows the PE starts a new job, empty.
 */
export class ActiveCycles {
  private readonly done: number[] = [];
  private a = 0; // cycle of stage A's last step
  private taken = 0; // cycle the last token left the register
  private cFree = 0; // first cycle C can take a new column
  private lastIssue = -Infinity; // cycle C read its last word

  constructor(private readonly jobWindows: number) {}

  /** Before window `win`'s iacts: the first window of a job closes the previous job. */
  window(win: number): void {
    if (win === 0 || win % this.jobWindows !== 0) return;
    this.done.push(this.current());
    this.a = this.taken = this.cFree = 0;
    this.lastIssue = -Infinity;
  }

  /** A step of stage A that emits nothing: past a window's trailing empty segment. */
  step(): void {
    this.a++;
  }

  /** A non-zero iact whose column takes `words` weight words (0: empty column or dropped position). */
  iact(words: number): void {
    // A steps once the register is free (it may refill it in the cycle it empties).
    const a = Math.max(this.a + 1, this.taken);
    this.a = a;
    const t = words === 0 ? a + 1 : Math.max(a + 1, this.cFree);
    this.taken = t;
    if (words > 0) this.cFree = this.lastIssue = t + words;
  }

  /** Active cycles of every job, once all windows are walked. */
  perJob(): number[] {
    return [...this.done, this.current()];
  }

  /** The current job's active cycles: the finish check sees stage A done and the pipeline empty. */
  private current(): number {
    return Math.max(this.a + 1, this.taken + 1, this.lastIssue + 2);
  }
}

/**
 * Cycles of a task at full port speed: it runs as PE jobs of `psumJobWindows` windows, each timed
 * by the RTL PE's job formula (`peJobCycles`) from its active cycles (`jobActive`, one entry per
 * job, from `ActiveCycles.perJob`); the first job loads the weight tile (`loads`, 0 when it is resident),
 * later jobs keep it; each drains its psums `psumLanes` per cycle. Iacts arrive at 2 pairs per
 * port word and stage A takes at most one per cycle, so at full speed the PE never waits for
 * them; the NoC bound of chip-model.ts charges their delivery. Shared by runPe and the counting
 * path of chip-model.ts so both agree exactly.
 */
export function peTaskCycles(task: PeTask, loads: number, jobActive: ArrayLike<number>, arch: ArchConfig): number {
  const jobWindows = psumJobWindows(arch, task.M0);
  const lanes = psumLanes(arch);
  if (jobActive.length !== Math.ceil(task.windows / jobWindows)) {
    throw new RangeError(
      `${task.windows} windows make ${Math.ceil(task.windows / jobWindows)} PE jobs of ${jobWindows}; got ${jobActive.length} active counts`,
    );
  }
  let cycles = 0;
  for (let j = 0; j < jobActive.length; j++) {
    const n = Math.min(jobWindows, task.windows - j * jobWindows);
    cycles += peJobCycles(j === 0 ? loads : 0, jobActive[j]!, Math.ceil((n * task.M0) / lanes));
  }
  return cycles;
}

/** Cycles every PE job spends besides loading, computing and draining (accept, pipeline fill, enter, done). */
export const PE_JOB_OVERHEAD = peJobCycles(0, PE_PIPELINE_FILL, 0);

/**
 * Runs a task. `psumIn` (windows x M0) are the psums arriving from the PE below or the GLB;
 * null means the PE starts each window from zero.
 */
export function runPe(task: PeTask, w: WeightCsc, iacts: IactCsc, psumIn: Int32Array | null, arch: ArchConfig = paperArch): PeTaskResult {
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
  const timer = new ActiveCycles(psumJobWindows(arch, M0));
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
  let macs = 0,
    iactReads = 0,
    weightWordReads = 0;
  for (let win = 0; win < windows; win++) {
    while (loaded < win + nSeg) {
      if (loaded - win >= addrDepth) throw new RangeError(`iact address SPad overflow: ${loaded - win + 1} resident segments > ${addrDepth}`);
      loadSegment();
    }
    timer.window(win);
    if (psumIn !== null) for (let m = 0; m < M0; m++) acc[m] = psumIn[win * M0 + m]!;
    else acc.fill(0);
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
          timer.iact(0); // read, then dropped at the weight-address stage
          continue;
        }
        timer.iact(t.colCycles[col]!);
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
    if (segPairs[win + nSeg - 1] === 0) timer.step();
    // Slide: drop the oldest segment.
    base = addr[win % addrDepth]!;
    residentPairs -= segPairs[win]!;
  }
  const cycles = peTaskCycles(task, tileLoadCycles(w.words.length, cols), timer.perJob(), arch);
  return { psums, cycles, macs, iactReads, weightWordReads };
}
