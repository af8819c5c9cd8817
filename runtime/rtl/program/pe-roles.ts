// Static roles of the PEs for the whole layer: which stack each PE ever works for (positions
// height - maxCnt .. height - 1 of the used stacks), and the weight classes of each PE row.
import { stackCoordinates, type SpatialDim } from '../../../golden/placement.js';
import type { ProgramTarget } from './target.js';

export interface PeStacks {
  /** Per chip-wide PE: the stack it works for, -1 when it never works. */
  stackOf: Int32Array;
  /** Per used stack: its spatial coordinates. */
  coords: Record<SpatialDim, number>[];
}

export function peStacks(t: ProgramTarget): PeStacks {
  const { map, maxCnt } = t;
  const stackOf = new Int32Array(t.nClusters * t.pesPer).fill(-1);
  for (let s = 0; s < map.stacksUsed; s++) for (let i = 0; i < maxCnt; i++) stackOf[t.gidOf(t.placeOf(s, i, maxCnt))] = s;
  return { stackOf, coords: Array.from({ length: map.stacksUsed }, (_, s) => stackCoordinates(map, s)) };
}

export interface WeightClasses {
  /** Per chip-wide PE: (cluster * peRows + PE row) * peCols + class id in the row; -1 idle. */
  weightClass: Int32Array;
  /** Classes per PE row (cluster * peRows + row). */
  weightWays: Int32Array;
  weightMembers: Map<number, number[]>;
}

/** PEs of one PE row share a weight class when their stacks have the same (g, m) coordinates. */
export function weightClasses(t: ProgramTarget, { stackOf, coords }: PeStacks): WeightClasses {
  const { peRows, peCols } = t.p.noc;
  const sp = t.map.spatial;
  const weightClass = new Int32Array(stackOf.length).fill(-1);
  const weightWays = new Int32Array(t.nClusters * peRows);
  const weightMembers = new Map<number, number[]>();
  for (let c = 0; c < t.nClusters; c++) {
    for (let r = 0; r < peRows; r++) {
      const row = c * peRows + r;
      const ids = new Map<number, number>();
      for (let col = 0; col < peCols; col++) {
        const gid = c * t.pesPer + r * peCols + col;
        const s = stackOf[gid]!;
        if (s < 0) continue;
        const key = coords[s]!.g * sp.m + coords[s]!.m;
        if (!ids.has(key)) ids.set(key, ids.size);
        const wc = row * peCols + ids.get(key)!;
        weightClass[gid] = wc;
        const list = weightMembers.get(wc) ?? [];
        weightMembers.set(wc, list);
        list.push(gid);
      }
      weightWays[row] = ids.size;
    }
  }
  return { weightClass, weightWays, weightMembers };
}
