// The data of one PE task, cut from a layer the way the mapping says: the iact segments a PE
// streams, the weight matrix it holds and the outputs its results are. The chip model
// (chip-model.ts) and the RTL program builder (runtime/rtl/program.ts) both cut tiles here, so
// they cannot disagree.
import type { WeightMatrix } from '../spec/csc.js';
import { channelsPerGroup, filtersPerGroup, outH, outW, type Layer, type LayerData } from './layers.js';
import { weightTile, type Mapping } from './mapper.js';

/**
 * The iact segments of one PE task laid end to end: windows + segmentsPerWindow - 1 segments of
 * segmentLength values (position u*C0 + c0 = input column (fStart+k)*stride + u - padding, channel
 * cb*C0 + c0 of group g, input row h of image n). Padding, rows outside 0..H-1 and channels past
 * the group are zeros.
 */
export function taskIactSegments(
  l: Layer,
  d: Pick<LayerData, 'iacts'>,
  map: Mapping,
  n: number,
  g: number,
  cb: number,
  h: number,
  fStart: number,
  windows: number,
): Int32Array {
  const { C0, segmentCols, segmentLength, segmentsPerWindow } = map.pe;
  const { H, W, stride: U, padding: P } = l;
  const Cg = channelsPerGroup(l);
  const nSegments = windows + segmentsPerWindow - 1;
  const flat = new Int32Array(nSegments * segmentLength);
  if (h < 0 || h >= H) return flat;
  for (let k = 0; k < nSegments; k++) {
    for (let u = 0; u < segmentCols; u++) {
      const x = (fStart + k) * U + u - P;
      if (x < 0 || x >= W) continue;
      for (let c0 = 0; c0 < C0; c0++) {
        const c = cb * C0 + c0;
        if (c >= Cg) break;
        flat[k * segmentLength + u * C0 + c0] = d.iacts[((n * l.C + g * Cg + c) * H + h) * W + x]!;
      }
    }
  }
  return flat;
}

/**
 * The weight matrix a PE job holds: M0 rows x segmentLength*segmentsPerWindow columns (column =
 * position in the window, s*C0 + c0), i.e. weightTile()'s C0*S columns followed by zero columns
 * for the window positions past the filter (s >= S, when the stride does not divide S).
 */
export function peWeightMatrix(l: Layer, weights: ArrayLike<number>, map: Mapping, g: number, mb: number, cb: number, r: number): WeightMatrix {
  const { M0, C0, segmentLength, segmentsPerWindow } = map.pe;
  const cols = segmentLength * segmentsPerWindow;
  const tile = weightTile(l, weights, g, mb, M0, cb, C0, r);
  if (tile.length > M0 * cols) throw new Error(`internal: weight tile of ${tile.length} values exceeds the ${M0}x${cols} PE matrix`);
  const data = new Int32Array(M0 * cols);
  data.set(tile);
  return { rows: M0, cols, data };
}

/** Where a stack task's results go: image n, group g, M0-channel block mb, output row e, columns fStart... */
export interface TaskOutputs {
  n: number;
  g: number;
  mb: number;
  e: number;
  fStart: number;
  windows: number;
}

/**
 * Calls `fn(o, k)` for each result k = w*M0 + m of a task that is a real output: o is its NMEF
 * index (channel g*Mg + mb*M0 + m, column fStart + w); channels past the group are skipped.
 */
export function forEachTaskOutput(l: Layer, t: TaskOutputs, M0: number, fn: (o: number, k: number) => void): void {
  const E = outH(l),
    F = outW(l),
    Mg = filtersPerGroup(l);
  for (let w = 0; w < t.windows; w++) {
    for (let m = 0; m < M0; m++) {
      const mg = t.mb * M0 + m;
      if (mg >= Mg) break;
      fn(((t.n * l.M + t.g * Mg + mg) * E + t.e) * F + t.fStart + w, w * M0 + m);
    }
  }
}
