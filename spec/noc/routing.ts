import { pesPerCluster, type NocParams } from './params.js';
import { isMeshDir, routerSpec, type NetKind, type PortDir } from './topology.js';

/**
 * The per-layer NoC configuration in its abstract form. spec/noc/cfg-layout.ts packs
 * it into the bits the RTL takes; the golden model reads it as is.
 */

/**
 * How the clusters' off-chip streams of one network reach their PEs [spec 2.5]: each cluster
 * its own (unicast), one stream for every cluster (broadcast), streams shared by groups of
 * neighbouring clusters (grouped multicast), or by clusters a stream reaches through clusters
 * that take another (interleaved multicast).
 */
export type MeshMode = 'unicast' | 'grouped' | 'interleaved' | 'broadcast';

/** Destination port -> the source port it carries (absent or null: the destination is idle). */
export type RouterSettings = Partial<Record<PortDir, PortDir | null>>;

/**
 * The in-cluster fabric from routers to PEs. Input `i` counts the packets it passes; packet k
 * belongs to class floor(k / burst) mod ways. An output (a PE) takes the packets of its
 * selected input whose class equals its id; a packet no output takes is consumed and dropped
 * there (it was meant for another cluster on the same multicast).
 */
export interface FabricSettings {
  inputs: { ways: number; burst: number }[];
  outputs: ({ src: number; id: number } | null)[];
}

export interface ClusterRouting {
  iact: { routers: RouterSettings[]; fabric: FabricSettings };
  /** One fabric per PE row: input 0 is that row's weight router, outputs the row's PEs. */
  weight: { routers: RouterSettings[]; fabrics: FabricSettings[] };
  psum: { routers: RouterSettings[] };
}

/**
 * A rows x cols mesh of router clusters. `open` describes a single cluster whose mesh ports
 * are external (the one-cluster test bench); otherwise the boundary mesh ports are tied off.
 */
export interface MeshRouting {
  rows: number;
  cols: number;
  open: boolean;
  clusters: ClusterRouting[][];
}

export function idleFabric(inputs: number, outputs: number): FabricSettings {
  return {
    inputs: Array.from({ length: inputs }, () => ({ ways: 1, burst: 1 })),
    outputs: Array.from({ length: outputs }, () => null),
  };
}

export function idleClusterRouting(p: NocParams): ClusterRouting {
  return {
    iact: { routers: Array.from({ length: p.iactRouters }, () => ({})), fabric: idleFabric(p.iactRouters, pesPerCluster(p)) },
    weight: {
      routers: Array.from({ length: p.peRows }, () => ({})),
      fabrics: Array.from({ length: p.peRows }, () => idleFabric(1, p.peCols)),
    },
    psum: { routers: Array.from({ length: p.peCols }, () => ({})) },
  };
}

export function idleMesh(p: NocParams, rows: number, cols: number, open = false): MeshRouting {
  return {
    rows,
    cols,
    open,
    clusters: Array.from({ length: rows }, () => Array.from({ length: cols }, () => idleClusterRouting(p))),
  };
}

export const routerCount = (p: NocParams, net: NetKind): number => (net === 'iact' ? p.iactRouters : net === 'weight' ? p.peRows : p.peCols);

/**
 * The cluster-local name of an external port of router `r`'s port `dir`, as the RTL names it
 * (without the Decoupled suffixes). Mesh directions give the mesh link ports; `pe` of the
 * iact and weight networks goes through the fabric and has no single name.
 */
export function localPortName(net: NetKind, r: number, dir: PortDir, side: 'src' | 'dst'): string {
  if (isMeshDir(dir)) return `${net}_${side === 'src' ? 'in' : 'out'}_${dir}_${r}`;
  if (net === 'psum') {
    if (dir === 'glb') return side === 'src' ? `glb_psum_rd_${r}` : `glb_psum_wr_${r}`;
    return side === 'src' ? `pe_psum_top_${r}` : `pe_psum_bottom_${r}`;
  }
  if (dir === 'glb' && side === 'src') return `glb_${net}_${r}`;
  throw new Error(`${net} router port ${side} '${dir}' has no external name`);
}

export const pePortName = (net: 'iact' | 'weight', pe: number): string => `pe_${net}_${pe}`;

/** Prefix of cluster (i, j)'s ports in a mesh; a single open cluster has none. */
export const clusterPrefix = (mesh: Pick<MeshRouting, 'open'>, i: number, j: number): string => (mesh.open ? '' : `c${i}_${j}_`);

/** Checks counts, select codes against the router's legal routes, and fabric ranges. */
export function checkClusterRouting(p: NocParams, c: ClusterRouting, where: string): void {
  for (const net of ['iact', 'weight', 'psum'] as const) {
    const routers = c[net].routers;
    const spec = routerSpec(net, p.eastWest);
    if (routers.length !== routerCount(p, net)) {
      throw new Error(`${where}: ${net} network has ${routers.length} router configs, the cluster has ${routerCount(p, net)} routers`);
    }
    routers.forEach((rc, r) => {
      for (const [dst, src] of Object.entries(rc) as [PortDir, PortDir | null][]) {
        if (!spec.dsts.includes(dst)) throw new Error(`${where}: ${net} router ${r} has no destination '${dst}' (it has ${spec.dsts.join(', ')})`);
        if (src === null || src === undefined) continue;
        if (!spec.srcs.includes(src)) throw new Error(`${where}: ${net} router ${r} has no source '${src}' (it has ${spec.srcs.join(', ')})`);
        if (!spec.allowed(src, dst)) throw new Error(`${where}: ${net} router ${r} cannot route ${src} -> ${dst} (a U-turn); pick another destination`);
      }
    });
  }
  checkFabric(p, c.iact.fabric, p.iactRouters, pesPerCluster(p), `${where}: iact fabric`);
  if (c.weight.fabrics.length !== p.peRows) throw new Error(`${where}: weight network needs ${p.peRows} row fabrics, got ${c.weight.fabrics.length}`);
  c.weight.fabrics.forEach((f, r) => checkFabric(p, f, 1, p.peCols, `${where}: weight fabric of row ${r}`));
  // A fabric input no PE selects consumes its stream and drops every word: never what a layer wants.
  c.iact.routers.forEach((rc, r) => {
    if (rc.pe != null && !c.iact.fabric.outputs.some((o) => o?.src === r)) {
      throw new Error(
        `${where}: iact router ${r} sends '${rc.pe}' to its PEs but no PE selects that router, so every word would be dropped; select it in a PE's fabric output or route nothing to pe`,
      );
    }
  });
  c.weight.routers.forEach((rc, r) => {
    if (rc.pe != null && !c.weight.fabrics[r]!.outputs.some((o) => o != null)) {
      throw new Error(
        `${where}: weight router ${r} sends '${rc.pe}' to its PE row but no PE of row ${r} takes it, so every word would be dropped; select it in a PE's fabric output or route nothing to pe`,
      );
    }
  });
}

function checkFabric(p: NocParams, f: FabricSettings, inputs: number, outputs: number, where: string): void {
  if (f.inputs.length !== inputs || f.outputs.length !== outputs) {
    throw new Error(`${where}: expected ${inputs} inputs and ${outputs} outputs, got ${f.inputs.length} and ${f.outputs.length}`);
  }
  for (const [i, inp] of f.inputs.entries()) {
    if (!Number.isInteger(inp.ways) || inp.ways < 1 || inp.ways > 2 ** p.idWidth) {
      throw new Error(`${where}: input ${i} ways=${inp.ways} must be 1..${2 ** p.idWidth} (idWidth=${p.idWidth})`);
    }
    if (!Number.isInteger(inp.burst) || inp.burst < 1 || inp.burst > 2 ** p.burstWidth) {
      throw new Error(`${where}: input ${i} burst=${inp.burst} must be 1..${2 ** p.burstWidth} (burstWidth=${p.burstWidth})`);
    }
  }
  for (const [o, out] of f.outputs.entries()) {
    if (!out) continue;
    if (!Number.isInteger(out.src) || out.src < 0 || out.src >= inputs)
      throw new Error(`${where}: output ${o} selects input ${out.src}, which does not exist (0..${inputs - 1})`);
    if (!Number.isInteger(out.id) || out.id < 0 || out.id >= 2 ** p.idWidth)
      throw new Error(`${where}: output ${o} id=${out.id} does not fit idWidth=${p.idWidth}`);
  }
}
