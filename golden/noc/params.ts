import { paperArch, type ArchConfig } from '../arch.js';

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
}

/**
 * The NoC of an architecture: one iact router per GLB iact bank, one weight router per PE row,
 * one psum router per PE column (which must equal the psum bank count).
 */
export function nocParamsFromArch(a: ArchConfig, extra: Partial<Pick<NocParams, 'idWidth' | 'burstWidth' | 'linkDepth'>> = {}): NocParams {
  if (a.glb.psumBanks !== a.peCols) {
    throw new Error(`architecture '${a.name}' has ${a.glb.psumBanks} psum banks but ${a.peCols} PE columns; each psum router ties one bank to one column, so make them equal`);
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
    ...extra,
  };
  checkNocParams(p);
  return p;
}

export const pesPerCluster = (p: NocParams): number => p.peRows * p.peCols;

export function checkNocParams(p: NocParams): void {
  const ints: (keyof NocParams)[] = ['iactRouters', 'peRows', 'peCols', 'iactWidth', 'weightWidth', 'psumWidth', 'idWidth', 'burstWidth', 'linkDepth'];
  for (const k of ints) {
    if (!Number.isInteger(p[k]) || p[k] < 1) throw new Error(`NocParams.${k} must be an integer >= 1, got ${p[k]}`);
  }
  if (p.linkDepth < 2) {
    throw new Error(`NocParams.linkDepth=${p.linkDepth}: a mesh link buffer needs 2 entries to pass one word per cycle with a registered ready`);
  }
  if (2 ** p.idWidth < Math.max(pesPerCluster(p), p.peCols)) {
    throw new Error(`NocParams.idWidth=${p.idWidth} cannot give each of the ${pesPerCluster(p)} PEs of a cluster its own class; raise it to ${Math.ceil(Math.log2(pesPerCluster(p)))}`);
  }
}

export const paperNoc: NocParams = nocParamsFromArch(paperArch);
