import { Decoupled, UInt, Vec, defineModule, type ModuleBuilder } from '../../dsl/index.js';
import { neighbour } from '../../../spec/noc/topology.js';
import { oppositeDir } from '../../../spec/noc/topology.js';
import { routerCount } from '../../../spec/noc/routing.js';
import { checkMeshShape, pesPerCluster, type NocParams } from '../../../spec/noc/params.js';
import { clusterCfgWidth, nocTag } from '../../../spec/noc/cfg-layout.js';
import type { DecoupledIo } from './router.js';
import { RouterCluster, allMeshPortGroups } from './router-cluster.js';

export interface RouterMeshParams {
  rows: number;
  cols: number;
  noc: NocParams;
}

const D = (w: number) => Decoupled(UInt(w));

/**
 * Joins the mesh ports of a rows x cols grid of clusters (anything with RouterCluster's mesh port
 * groups): each mesh input is driven by the facing cluster's output, or tied off at the edge
 * (never valid); outputs toward an edge are never ready, so a route there stalls visibly.
 */
export function wireMesh(m: ModuleBuilder, rows: number, cols: number, n: NocParams, clusterAt: (i: number, j: number) => object): void {
  checkMeshShape(n, rows, cols);
  // Mesh port groups are picked by computed name (`iact_in_n`, ...), so index the handles loosely.
  const links = (c: object, name: string) => (c as Record<string, unknown>)[name] as { get(k: number): DecoupledIo };
  const p = { rows, cols };
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const c = clusterAt(i, j);
      for (const g of allMeshPortGroups(n)) {
        const port = links(c, g.name);
        const nb = neighbour(p, i, j, g.dir);
        for (let k = 0; k < routerCount(n, g.net); k++) {
          if (g.side === 'out') {
            if (!nb) port.get(k).ready.set(0);
          } else if (nb) {
            m.connect(port.get(k), links(clusterAt(nb.i, nb.j), `${g.net}_out_${oppositeDir(g.dir)}`).get(k));
          } else {
            port.get(k).valid.set(0);
            port.get(k).bits.set(0);
          }
        }
      }
    }
  }
}

/**
 * A rows x cols mesh of router clusters (more than 2 columns need NocParams.eastWest). Cluster
 * (i, j) keeps its local ports under the prefix `c<i>_<j>_`; mesh ports facing a neighbour are
 * joined, those on the mesh edge are tied off (never valid, never ready), which the golden
 * model's validateMesh() turns into a configuration error.
 */
export const RouterMesh = defineModule(
  'RouterMesh',
  (m, p: RouterMeshParams) => {
    checkMeshShape(p.noc, p.rows, p.cols);
    const n = p.noc;
    const nPe = pesPerCluster(n);
    const cl = Array.from({ length: p.rows }, (_, i) => Array.from({ length: p.cols }, (_, j) => m.instance(`u_c${i}_${j}`, RouterCluster, n)));
    for (let i = 0; i < p.rows; i++) {
      for (let j = 0; j < p.cols; j++) {
        const c = cl[i]![j]!;
        const pre = `c${i}_${j}_`;
        c.cfg.set(m.input(`${pre}cfg`, UInt(clusterCfgWidth(n))));
        const local = [
          ['glb_iact', 'in', n.iactRouters, n.iactWidth],
          ['pe_iact', 'out', nPe, n.iactWidth],
          ['glb_weight', 'in', n.peRows, n.weightWidth],
          ['pe_weight', 'out', nPe, n.weightWidth],
          ['glb_psum_rd', 'in', n.peCols, n.psumWidth],
          ['glb_psum_wr', 'out', n.peCols, n.psumWidth],
          ['pe_psum_bottom', 'out', n.peCols, n.psumWidth],
          ['pe_psum_top', 'in', n.peCols, n.psumWidth],
        ] as const;
        for (const [name, dir, count, w] of local) {
          if (dir === 'in') m.connect(c[name], m.input(`${pre}${name}`, Vec(count, D(w))));
          else m.connect(m.output(`${pre}${name}`, Vec(count, D(w))), c[name]);
        }
      }
    }
    wireMesh(m, p.rows, p.cols, n, (i, j) => cl[i]![j]!);
    return {};
  },
  { nameFor: (p) => `RouterMesh_${p.rows}x${p.cols}_${nocTag(p.noc)}` },
);
