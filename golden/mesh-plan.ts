// Which clusters a mapping lets share one off-chip stream over the mesh, and the network-level
// mode that makes [spec 2.5]. Clusters whose PEs hold stacks with the same (n, g, e, f) at the
// same positions read the same iacts at every step (they differ only in output channels); those
// whose stacks have the same (g, m) at the same positions load the same weights. Weights move
// only along cluster rows (the weight routers have no vertical ports), so a weight group is
// split by rows.
import type { ArchConfig } from '../spec/arch.js';
import type { MeshMode } from '../spec/noc/routing.js';
import { nocParamsFromArch } from '../spec/noc/params.js';
import { isMeshDir, neighbour, routerSpec } from '../spec/noc/topology.js';
import { physicalPlace, stackCoordinates, type PlacedMapping, type SpatialDim } from './placement.js';

export interface MeshPlan {
  mode: MeshMode;
  /** Clusters (row-major index) that take one stream, two or more each, ascending. */
  groups: number[][];
}

/**
 * The plans of a mapping whose unrolled dimensions have `dims` tiles. A stack whose coordinate
 * runs past a dimension's last tile idles in the last iteration along it, so clusters share
 * only when their stacks idle alike.
 */
export function meshPlans(
  map: PlacedMapping & { stacksUsed: number; stack: { height: number }; temporal: Record<SpatialDim, number> },
  arch: ArchConfig,
  dims: Record<SpatialDim, number>,
): { iact: MeshPlan; weight: MeshPlan } {
  const clusters = arch.clusterRows * arch.clusterCols;
  const pes = arch.peRows * arch.peCols;
  const iactKey: string[][] = Array.from({ length: clusters }, () => new Array<string>(pes).fill(''));
  const weightKey: string[][] = Array.from({ length: clusters }, () => new Array<string>(pes).fill(''));
  for (let s = 0; s < map.stacksUsed; s++) {
    const { n, g, e, f, m } = stackCoordinates(map, s);
    const lastHas = (d: SpatialDim, x: number) => ((map.temporal[d] - 1) * map.spatial[d] + x < dims[d] ? '' : `-${d}`);
    const iactEdge = lastHas('m', m);
    const weightEdge = lastHas('n', n) + lastHas('e', e) + lastHas('f', f);
    for (let pos = 0; pos < map.stack.height; pos++) {
      const at = physicalPlace(arch, map, s, pos);
      const c = at.clusterRow * arch.clusterCols + at.clusterCol;
      const pe = at.peRow * arch.peCols + at.peCol;
      iactKey[c]![pe] = `${n},${g},${e},${f},${pos}${iactEdge}`;
      weightKey[c]![pe] = `${g},${m},${pos}${weightEdge}`;
    }
  }
  const rowOf = (c: number) => Math.floor(c / arch.clusterCols);
  const iact = sameKeyGroups(iactKey, () => 0, arch.peCols);
  const weight = sameKeyGroups(weightKey, rowOf, arch.peCols);
  return {
    iact: { mode: planMode(arch, 'iact', iact, clusters), groups: iact },
    weight: { mode: planMode(arch, 'weight', weight, clusters), groups: weight },
  };
}

/**
 * Clusters (with the same `part`) whose PE rows each hold the same distinct keys, groups of two
 * or more. A PE with no stack takes its row mates' stream as a dummy, so only the distinct keys
 * of a row decide what the row's stream carries.
 */
function sameKeyGroups(keys: string[][], part: (c: number) => number, peCols: number): number[][] {
  const byKey = new Map<string, number[]>();
  keys.forEach((k, c) => {
    if (k.every((x) => x === '')) return;
    const rows = Array.from({ length: k.length / peCols }, (_, r) =>
      [...new Set(k.slice(r * peCols, (r + 1) * peCols).filter((x) => x !== ''))].sort().join(' '),
    );
    const key = `${part(c)}|${rows.join(';')}`;
    byKey.set(key, [...(byKey.get(key) ?? []), c]);
  });
  return [...byKey.values()].filter((g) => g.length > 1).sort((a, b) => a[0]! - b[0]!);
}

/**
 * Broadcast: one group of every cluster; grouped: every group is connected over the links of
 * `net`'s routers; interleaved: some group's stream has to pass clusters that are not members.
 */
function planMode(arch: ArchConfig, net: 'iact' | 'weight', groups: number[][], clusters: number): MeshMode {
  if (groups.length === 0) return 'unicast';
  if (groups.length === 1 && groups[0]!.length === clusters) return 'broadcast';
  const dirs = routerSpec(net, nocParamsFromArch(arch).eastWest).dsts.filter(isMeshDir);
  const mesh = { rows: arch.clusterRows, cols: arch.clusterCols };
  const connected = (g: number[]) => {
    const seen = new Set([g[0]!]);
    for (const queue = [g[0]!]; queue.length > 0;) {
      const c = queue.pop()!;
      for (const d of dirs) {
        const nb = neighbour(mesh, Math.floor(c / mesh.cols), c % mesh.cols, d);
        const v = nb && nb.i * mesh.cols + nb.j;
        if (v === undefined || !g.includes(v) || seen.has(v)) continue;
        seen.add(v);
        queue.push(v);
      }
    }
    return seen.size === g.length;
  };
  return groups.every(connected) ? 'grouped' : 'interleaved';
}
