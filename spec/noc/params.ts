import { paperArch, type ArchConfig } from '../arch.js';
import type { NetKind } from './topology.js';

/**
 * Counts and widths of the NoC. Defaults are the paper's [spec 1, 2.2, 2.3]; idWidth and
 * burstWidth size the in-cluster delivery filter, a project decision (see
 * generator/eyeriss/noc/README.md).
 */
export interface NocParams {
  /** iact routers per cluster, one per GLB iact bank. */
  iactRouters: number;
  /** PE rows per cluster; one weight router per row. */
  peRows: number;
  /** PE columns per cluster; one psum router per column. */
  peCols: number;
  iactWidth: number;
  weightWidth: number;
  psumWidth: number;
  /** Bits of a PE's delivery-class id and of a fabric input's class count (ways - 1). */
  idWidth: number;
  /** Bits of a fabric input's burst length (burst - 1). */
  burstWidth: number;
  /** Entries of the buffer on every mesh input port (>= 2 for one word per cycle). */
  linkDepth: number;
  /**
   * iact and weight routers with an east and a west port pair instead of the one horizontal
   * pair, for meshes of more than 2 cluster columns [spec 2.3]; the paper's 8 x 2 has none.
   */
  eastWest: boolean;
}

/**
 * The NoC of an architecture: one iact router per GLB iact bank, one weight router per PE row,
 * one psum router per PE column (which must equal the psum bank count).
 */
export function nocParamsFromArch(a: ArchConfig, extra: Partial<Pick<NocParams, 'idWidth' | 'burstWidth' | 'linkDepth'>> = {}): NocParams {
  if (a.glb.psumBanks !== a.peCols) {
    throw new Error(
      `architecture '${a.name}' has ${a.glb.psumBanks} psum banks but ${a.peCols} PE columns; each psum router ties one bank to one column, so make them equal`,
    );
  }
  const p: NocParams = {
    iactRouters: a.glb.iactBanks,
    peRows: a.peRows,
    peCols: a.peCols,
    iactWidth: a.noc.iactPortBits,
    weightWidth: a.noc.weightPortBits,
    psumWidth: a.noc.psumPortBits,
    idWidth: Math.max(1, Math.ceil(Math.log2(a.peRows * a.peCols))),
    burstWidth: 8,
    linkDepth: 2,
    eastWest: a.clusterCols > 2,
    ...extra,
  };
  checkNocParams(p);
  return p;
}

export const pesPerCluster = (p: NocParams): number => p.peRows * p.peCols;

/** Bits of one word of network `net`. */
export const netWidth = (p: NocParams, net: NetKind): number => (net === 'iact' ? p.iactWidth : net === 'weight' ? p.weightWidth : p.psumWidth);

export function checkNocParams(p: NocParams): void {
  const ints: Exclude<keyof NocParams, 'eastWest'>[] = [
    'iactRouters',
    'peRows',
    'peCols',
    'iactWidth',
    'weightWidth',
    'psumWidth',
    'idWidth',
    'burstWidth',
    'linkDepth',
  ];
  for (const k of ints) {
    if (!Number.isInteger(p[k]) || p[k] < 1) throw new Error(`NocParams.${k} must be an integer >= 1, got ${p[k]}`);
  }
  if (typeof p.eastWest !== 'boolean') throw new Error(`NocParams.eastWest must be true or false, got ${String(p.eastWest)}`);
  if (p.linkDepth < 2) {
    throw new Error(`NocParams.linkDepth=${p.linkDepth}: a mesh link buffer needs 2 entries to pass one word per cycle with a registered ready`);
  }
  if (2 ** p.idWidth < Math.max(pesPerCluster(p), p.peCols)) {
    throw new Error(
      `NocParams.idWidth=${p.idWidth} cannot give each of the ${pesPerCluster(p)} PEs of a cluster its own class; raise it to ${Math.ceil(Math.log2(pesPerCluster(p)))}`,
    );
  }
}

/** Rejects a mesh whose columns the routers' horizontal ports cannot join. */
export function checkMeshShape(p: NocParams, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1)
    throw new Error(`mesh of ${rows} x ${cols} clusters: rows and cols must be integers >= 1`);
  if (cols > 2 && !p.eastWest) {
    throw new Error(
      `mesh has ${cols} cluster columns, but the routers have one horizontal port pair, which joins at most 2; set NocParams.eastWest (nocParamsFromArch does for clusterCols > 2)`,
    );
  }
}

export const paperNoc: NocParams = nocParamsFromArch(paperArch);
