// Random PE tiles for the regression: shapes up to SPad capacity, densities 0..1 for both
// operands, every mode, and runs of jobs that reuse weights and psums.
import type { Rng } from '../../tb/seed.js';
import { CscCapacityError, MAX_IACT_SEGMENT, encodeWeightCsc, type WeightMatrix } from '../../spec/csc.js';
import { streamSegments, weightColumns } from '../../spec/pe/job.js';
import type { PeParams } from '../../spec/pe/params.js';
import type { ArchConfig } from '../../spec/arch.js';
import type { PeTile } from '../../golden/pe/job.js';
const DENSITIES = [0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 1];

export function density(r: Rng): number {
  return r.chance(0.7) ? r.pick(DENSITIES) : r.float();
}

/** Zero with probability 1 - density, else a uniform non-zero of [lo, hi]. */
export function sparseValues(r: Rng, n: number, d: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => {
    if (!r.chance(d)) return 0;
    let v = 0;
    while (v === 0) v = r.int(lo, hi);
    return v;
  });
}

/** Empties whole columns: at the start, the end, a run in the middle, or at random. */
function emptyColumns(r: Rng, w: WeightMatrix): void {
  const clear = (col: number) => {
    for (let row = 0; row < w.rows; row++) (w.data as number[])[col * w.rows + row] = 0;
  };
  const kind = r.int(0, 4);
  if (kind === 0) return;
  const run = r.int(1, Math.max(1, w.cols - 1));
  const first = kind === 1 ? 0 : kind === 2 ? w.cols - run : r.int(0, w.cols - run);
  if (kind === 4) {
    for (let col = 0; col < w.cols; col++) if (r.chance(0.4)) clear(col);
  } else {
    for (let col = first; col < first + run; col++) clear(col);
  }
}

export interface Shape {
  m0: number;
  segLen: number;
  winSegs: number;
  strideSegs: number;
  nWin: number;
  iactDense: boolean;
  weightDense: boolean;
}

export function randomShape(r: Rng, P: PeParams): Shape {
  for (;;) {
    const iactDense = r.chance(0.2);
    const weightDense = r.chance(0.2);
    const full = r.chance(0.15);
    const m0 = full
      ? r.pick([P.psumDepth, P.psumDepth / 2, P.psumDepth / 4, 12].filter((x) => Number.isInteger(x) && x >= 1 && x <= P.psumDepth))
      : r.int(1, P.psumDepth);
    const segLen = r.int(1, Math.min(P.weightAddrDepth, iactDense ? P.iactDataDepth : Math.min(P.iactDataDepth - 1, MAX_IACT_SEGMENT)));
    const maxSegs = Math.min(P.iactAddrDepth, Math.floor(Math.min(P.weightAddrDepth, P.iactDataDepth) / segLen));
    const winSegs = full ? maxSegs : r.int(1, maxSegs);
    const strideSegs = r.chance(0.6) ? 1 : r.int(1, winSegs);
    const maxWin = Math.floor(P.psumDepth / m0);
    const nWin = full ? maxWin : r.int(1, Math.min(maxWin, r.chance(0.5) ? 4 : maxWin));
    if (weightDense && weightColumns({ segLen, winSegs }) * Math.ceil(m0 / 2) > P.weightDataDepth) continue;
    return { m0, segLen, winSegs, strideSegs, nWin, iactDense, weightDense };
  }
}

export function randomWeights(r: Rng, s: Shape, arch: ArchConfig): WeightMatrix {
  const cols = weightColumns(s);
  for (let d = density(r); ; d *= 0.7) {
    const w: WeightMatrix = { rows: s.m0, cols, data: sparseValues(r, s.m0 * cols, d, -128, 127) };
    if (r.chance(0.3)) emptyColumns(r, w);
    if (s.weightDense) return w;
    try {
      encodeWeightCsc(w, arch);
      return w;
    } catch (e) {
      if (!(e instanceof CscCapacityError)) throw e;
    }
  }
}

export function randomSegments(r: Rng, s: Shape, signed: boolean): number[][] {
  const d = density(r);
  const [lo, hi] = signed ? [-128, 127] : [0, 255];
  return Array.from({ length: streamSegments(s) }, () => sparseValues(r, s.segLen, r.chance(0.15) ? 0 : d, lo, hi));
}

/**
 * A run of jobs as one PE would see them: some reuse the previous job's weights
 * (keepWeights), some accumulate onto psums left in the SPad (keepPsums), some add
 * incoming psums on the way out (addPsumIn) or keep their results.
 */
export function randomJobs(r: Rng, count: number, P: PeParams, arch: ArchConfig): PeTile[] {
  const tiles: PeTile[] = [];
  let prev: PeTile | undefined;
  for (let i = 0; i < count; i++) {
    const reuse = prev !== undefined && r.chance(0.2);
    const shape: Shape = reuse ? { ...prev!, nWin: r.int(1, Math.floor(P.psumDepth / prev!.m0)), iactDense: r.chance(0.2) } : randomShape(r, P);
    if (reuse && !shape.iactDense && shape.segLen > Math.min(P.iactDataDepth - 1, MAX_IACT_SEGMENT)) shape.iactDense = true;
    if (reuse) shape.strideSegs = Math.min(shape.strideSegs, shape.winSegs);
    const iactSigned = r.chance(0.3);
    const tile: PeTile = {
      ...shape,
      segments: randomSegments(r, shape, iactSigned),
      weights: reuse ? prev!.weights : randomWeights(r, shape, arch),
      iactSigned,
      keepWeights: reuse,
      keepPsums: prev !== undefined && r.chance(0.2),
      psumIn: r.chance(0.5) ? sparseValues(r, shape.nWin * shape.m0, 0.9, -(1 << 19), (1 << 19) - 1) : undefined,
      psumOut: r.chance(0.85),
    };
    tiles.push(tile);
    prev = tile;
  }
  return tiles;
}
