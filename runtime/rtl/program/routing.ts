// The routers and fabrics of every cluster, static for the layer: iact and weight routers take
// from the GLB ports that carry classes, each fabric output picks its PE's class, and the psum
// routers chain a stack's PEs across cluster rows up to the top cluster's GLB.
import { idleClusterRouting, type ClusterRouting, type RouterSettings } from '../../../spec/noc/routing.js';
import type { IactClasses } from './iact-classes.js';
import type { PeStacks, WeightClasses } from './pe-roles.js';
import type { ProgramTarget } from './target.js';

export function clusterRoutings(t: ProgramTarget, stacks: PeStacks, weights: WeightClasses, ic: IactClasses): ClusterRouting[] {
  return Array.from({ length: t.nClusters }, (_, c) => {
    const noc = idleClusterRouting(t.p.noc);
    routeFabrics(t, c, noc, stacks, weights, ic);
    routePsums(t, c, noc, stacks);
    return noc;
  });
}

function routeFabrics(
  t: ProgramTarget,
  c: number,
  noc: ClusterRouting,
  { stackOf }: PeStacks,
  { weightClass, weightWays }: WeightClasses,
  ic: IactClasses,
): void {
  const { peRows, peCols, iactRouters } = t.p.noc;
  for (let k = 0; k < iactRouters; k++) {
    const ways = ic.iactWays[c * iactRouters + k]!;
    if (ways > 0) noc.iact.routers[k] = { pe: 'glb' };
    noc.iact.fabric.inputs[k] = { ways: Math.max(1, ways), burst: 1 };
  }
  for (let r = 0; r < peRows; r++) {
    const row = c * peRows + r;
    if (weightWays[row]! > 0) noc.weight.routers[r] = { pe: 'glb' };
    noc.weight.fabrics[r]!.inputs[0] = { ways: Math.max(1, weightWays[row]!), burst: 1 };
    for (let col = 0; col < peCols; col++) {
      const gid = c * t.pesPer + r * peCols + col;
      if (stackOf[gid]! < 0) continue;
      const iclass = ic.iactClass[gid]!;
      noc.iact.fabric.outputs[r * peCols + col] = { src: Math.floor(iclass / t.pesPer) - c * iactRouters, id: iclass % t.pesPer };
      noc.weight.fabrics[r]!.outputs[col] = { src: 0, id: weightClass[gid]! - row * peCols };
    }
  }
}

function routePsums(t: ProgramTarget, c: number, noc: ClusterRouting, { stackOf }: PeStacks): void {
  const { peRows, peCols } = t.p.noc;
  const usedLow = t.map.stack.height - t.maxCnt;
  const V = t.map.stack.clusterRows;
  const q = Math.floor(c / t.p.cols) % V; // this cluster's place in its stacks' chain of V cluster rows
  for (let col = 0; col < peCols; col++) {
    // The column's stack holds positions q*peRows .. q*peRows + peRows - 1 here; skip the
    // column when none of them is ever used (the top one is used whenever any is).
    if (stackOf[c * t.pesPer + (peRows - 1) * peCols + col]! < 0) continue;
    const rc: RouterSettings = {};
    // Psums cross a cluster boundary only when the position just below it is used: then the
    // top PE here sends south and the bottom PE of the next cluster row takes them from north.
    if (q > 0 && q * peRows - 1 >= usedLow) rc.pe = 'n';
    if (q < V - 1 && (q + 1) * peRows - 1 >= usedLow) rc.s = 'pe';
    if (q === V - 1) rc.glb = 'pe';
    noc.psum.routers[col] = rc;
  }
}
