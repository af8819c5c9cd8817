import { idleMesh, type MeshRouting, type RouterSettings } from '../../spec/noc/routing.js';
import { validateMesh } from './delivery.js';
import { pesPerCluster, type NocParams } from '../../spec/noc/params.js';
import { eastPort, westPort, type NetKind } from '../../spec/noc/topology.js';

/**
 * Network-level modes [spec 2.5], turned into router and fabric settings for a rows x cols
 * mesh. PEs are ordered globally: iact PEs by cluster (row-major), then by PE (row-major);
 * weight PEs per array row (cluster row i, PE row r) by cluster column, then PE column, since
 * weights only move along a row. What each mode delivers:
 *
 *  - unicast (high bandwidth): every GLB port feeds only its own cluster; each PE gets a stream
 *    of its own (the fabric deals a port's packets out to its PEs in bursts of `burst`).
 *  - broadcast (high reuse): one stream reaches every PE (weights: every PE of an array row,
 *    the widest reach the weight network has).
 *  - grouped multicast(size): PEs split into contiguous groups of `size`; each group shares
 *    one stream.
 *  - interleaved multicast(streams): PE x gets stream x mod `streams`.
 *
 * The psum network moves psums up a column and north to south between clusters: unicast
 * (bank -> bottom PE, top PE -> bank in every cluster), grouped(size) (accumulation chains of
 * `size` vertically adjacent clusters: the top cluster's bank feeds its column, each top PE
 * output feeds the next cluster's bottom PE, the last one writes its bank) and broadcast (one
 * bank read stream forked into the bottom PE of that column in every cluster of the cluster
 * column, e.g. to preload biases). Interleaved psum chains would need two circuits on the one
 * north-south link of a column, so that mode is rejected.
 */
export type NetMode =
  | { kind: 'unicast'; burst?: number }
  | { kind: 'broadcast' }
  | { kind: 'grouped'; size: number; burst?: number }
  | { kind: 'interleaved'; streams: number; burst?: number };

export const modeName = (m: NetMode): string => (m.kind === 'grouped' ? `grouped(${m.size})` : m.kind === 'interleaved' ? `interleaved(${m.streams})` : m.kind);

/** Configures the mesh for one network in one mode; other networks stay idle. */
export function planMode(p: NocParams, rows: number, cols: number, net: NetKind, mode: NetMode): MeshRouting {
  const mesh = idleMesh(p, rows, cols);
  if (net === 'iact') planIact(p, mesh, mode);
  else if (net === 'weight') planWeight(p, mesh, mode);
  else planPsum(mesh, mode);
  validateMesh(p, mesh, net);
  return mesh;
}

const fail = (net: NetKind, mode: NetMode, why: string): never => {
  throw new Error(`${net} network, mode ${modeName(mode)}: ${why}`);
};

/**
 * Iact routers of plane r spanning cluster rows [top, bottom] of every column from (top, 0)'s
 * GLB port: down each column, and east along the top row.
 */
function iactTree(p: NocParams, mesh: MeshRouting, r: number, top: number, bottom: number): void {
  for (let i = top; i <= bottom; i++) {
    for (let j = 0; j < mesh.cols; j++) {
      const rc: RouterSettings = mesh.clusters[i]![j]!.iact.routers[r]!;
      const src = i > top ? 'n' : j === 0 ? 'glb' : westPort(p.eastWest);
      rc.pe = src;
      if (i < bottom) rc.s = src;
      if (i === top && j < mesh.cols - 1) rc[eastPort(p.eastWest)] = src;
    }
  }
}

function planIact(p: NocParams, mesh: MeshRouting, mode: NetMode): void {
  const nPe = pesPerCluster(p);
  const nI = p.iactRouters;
  const clusters = mesh.clusters.flat();
  const burst = 'burst' in mode && mode.burst !== undefined ? mode.burst : 1;
  switch (mode.kind) {
    case 'unicast':
      for (const c of clusters) {
        for (let r = 0; r < nI; r++) {
          c.iact.routers[r]!.pe = 'glb';
          c.iact.fabric.inputs[r] = { ways: Math.ceil((nPe - r) / nI), burst };
        }
        for (let pe = 0; pe < nPe; pe++) c.iact.fabric.outputs[pe] = { src: pe % nI, id: Math.floor(pe / nI) };
      }
      return;
    case 'broadcast':
      iactTree(p, mesh, 0, 0, mesh.rows - 1);
      for (const c of clusters) for (let pe = 0; pe < nPe; pe++) c.iact.fabric.outputs[pe] = { src: 0, id: 0 };
      return;
    case 'grouped': {
      const b = mode.size;
      if (b < nPe) {
        if (nPe % b !== 0 || nPe / b > nI)
          fail('iact', mode, `a group smaller than a cluster must divide its ${nPe} PEs into at most ${nI} groups (one per iact router)`);
        for (const c of clusters) {
          for (let g = 0; g < nPe / b; g++) c.iact.routers[g]!.pe = 'glb';
          for (let pe = 0; pe < nPe; pe++) c.iact.fabric.outputs[pe] = { src: Math.floor(pe / b), id: 0 };
        }
        return;
      }
      const m = b / nPe;
      const rowsPer = m / mesh.cols;
      if (m === 1) {
        // One cluster per group: each cluster's own GLB port, no mesh hop.
        for (const c of clusters) c.iact.routers[0]!.pe = 'glb';
      } else if (Number.isInteger(rowsPer) && mesh.rows % rowsPer === 0) {
        for (let top = 0; top < mesh.rows; top += rowsPer) iactTree(p, mesh, 0, top, top + rowsPer - 1);
      } else {
        fail('iact', mode, `groups of ${m} clusters must be one cluster or whole cluster rows (${mesh.cols} clusters each) that divide the ${mesh.rows} rows`);
      }
      for (const c of clusters) for (let pe = 0; pe < nPe; pe++) c.iact.fabric.outputs[pe] = { src: 0, id: 0 };
      return;
    }
    case 'interleaved': {
      const k = mode.streams;
      if (k < 1 || k > nI || nPe % k !== 0) fail('iact', mode, `needs 1..${nI} streams (one per iact router plane) that divide the ${nPe} PEs of a cluster`);
      for (let r = 0; r < k; r++) iactTree(p, mesh, r, 0, mesh.rows - 1);
      for (const c of clusters) for (let pe = 0; pe < nPe; pe++) c.iact.fabric.outputs[pe] = { src: pe % k, id: 0 };
      return;
    }
  }
}

function planWeight(p: NocParams, mesh: MeshRouting, mode: NetMode): void {
  const rowPes = mesh.cols * p.peCols;
  const burst = 'burst' in mode && mode.burst !== undefined ? mode.burst : 1;
  // Per array row: either every cluster's router takes its own GLB port, or (0)'s port feeds the row.
  const ownPorts = (ways: number, idOf: (c: number) => number) => {
    for (const row of mesh.clusters) {
      for (const cl of row) {
        for (let r = 0; r < p.peRows; r++) {
          cl.weight.routers[r]!.pe = 'glb';
          cl.weight.fabrics[r] = { inputs: [{ ways, burst }], outputs: Array.from({ length: p.peCols }, (_, c) => ({ src: 0, id: idOf(c) })) };
        }
      }
    }
  };
  const rowStream = (ways: number, idOf: (x: number) => number) => {
    for (const row of mesh.clusters) {
      row.forEach((cl, j) => {
        for (let r = 0; r < p.peRows; r++) {
          const rc = cl.weight.routers[r]!;
          rc.pe = j === 0 ? 'glb' : westPort(p.eastWest);
          if (j < mesh.cols - 1) rc[eastPort(p.eastWest)] = rc.pe;
          cl.weight.fabrics[r] = { inputs: [{ ways, burst }], outputs: Array.from({ length: p.peCols }, (_, c) => ({ src: 0, id: idOf(j * p.peCols + c) })) };
        }
      });
    }
  };
  switch (mode.kind) {
    case 'unicast':
      return ownPorts(p.peCols, (c) => c);
    case 'broadcast':
      return rowStream(1, () => 0);
    case 'grouped': {
      const b = mode.size;
      if (b === rowPes && mesh.cols >= 2) return rowStream(1, () => 0);
      if (b <= p.peCols && p.peCols % b === 0) return ownPorts(p.peCols / b, (c) => Math.floor(c / b));
      return fail('weight', mode, `groups must divide a cluster's ${p.peCols} PEs of a row or span the whole array row of ${rowPes} PEs`);
    }
    case 'interleaved': {
      const k = mode.streams;
      if (k < 1 || p.peCols % k !== 0) fail('weight', mode, `streams must divide the ${p.peCols} PEs of a cluster row`);
      return rowStream(k, (x) => x % k);
    }
  }
}

function planPsum(mesh: MeshRouting, mode: NetMode): void {
  const each = (f: (rc: RouterSettings, i: number) => void) =>
    mesh.clusters.forEach((row, i) => row.forEach((cl) => cl.psum.routers.forEach((rc) => f(rc, i))));
  switch (mode.kind) {
    case 'unicast':
      return each((rc) => {
        rc.pe = 'glb';
        rc.glb = 'pe';
      });
    case 'broadcast':
      return each((rc, i) => {
        rc.pe = i === 0 ? 'glb' : 'n';
        if (i < mesh.rows - 1) rc.s = rc.pe;
        rc.glb = 'pe';
      });
    case 'grouped': {
      const k = mode.size;
      if (!Number.isInteger(k) || k < 1 || mesh.rows % k !== 0) fail('psum', mode, `chains of ${k} clusters must divide the ${mesh.rows} cluster rows`);
      return each((rc, i) => {
        const q = i % k;
        rc.pe = q === 0 ? 'glb' : 'n';
        if (q < k - 1) rc.s = 'pe';
        else rc.glb = 'pe';
      });
    }
    case 'interleaved':
      return fail('psum', mode, 'interleaved chains would need two circuits on the single north-south psum link of a PE column; use grouped or unicast');
  }
}

/** The modes a rows x cols mesh supports per network, for tests and the bench. */
export function modesFor(p: NocParams, rows: number, cols: number, net: NetKind): NetMode[] {
  const nPe = pesPerCluster(p);
  if (net === 'iact') {
    const grouped = [4, 6, nPe, nPe * cols, nPe * cols * rows]
      .filter((b) => (b < nPe ? nPe % b === 0 && nPe / b <= p.iactRouters : true))
      .filter((b, k, all) => all.indexOf(b) === k);
    return [
      { kind: 'unicast', burst: 2 },
      { kind: 'broadcast' },
      ...grouped.map((size): NetMode => ({ kind: 'grouped', size })),
      ...[2, 3].filter((k) => k <= p.iactRouters && nPe % k === 0).map((streams): NetMode => ({ kind: 'interleaved', streams })),
    ];
  }
  if (net === 'weight') {
    const sizes = [2, p.peCols, ...(cols >= 2 ? [cols * p.peCols] : [])].filter((b, k, all) => (b > p.peCols || p.peCols % b === 0) && all.indexOf(b) === k);
    return [
      { kind: 'unicast', burst: 2 },
      { kind: 'broadcast' },
      ...sizes.map((size): NetMode => ({ kind: 'grouped', size })),
      ...(p.peCols % 2 === 0 ? [{ kind: 'interleaved', streams: 2, burst: 3 } as NetMode] : []),
    ];
  }
  return [{ kind: 'unicast' }, { kind: 'broadcast' }, { kind: 'grouped', size: rows }];
}
