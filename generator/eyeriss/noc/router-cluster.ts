import { Decoupled, UInt, Vec, defineModule, type Signal } from '../../dsl/index.js';
import { routerCount } from '../../../spec/noc/routing.js';
import { checkNocParams, netWidth, pesPerCluster, type NocParams } from '../../../spec/noc/params.js';
import { isMeshDir, routerSpec, type NetKind, type PortDir } from '../../../spec/noc/topology.js';
import { clusterCfgLayout, clusterCfgWidth, nocTag } from '../../../spec/noc/cfg-layout.js';
import { FilterFork } from './filter-fork.js';
import { LinkBuffer } from './link-buffer.js';
import { CircuitRouter, type DecoupledIo, type RouterIo } from './router.js';

const D = (w: number) => Decoupled(UInt(w));

/** A group of mesh ports, `<net>_<in|out>_<dir>`: one port per router of `net`, facing `dir`. */
export interface MeshPortGroup {
  name: string;
  net: NetKind;
  dir: PortDir;
  side: 'in' | 'out';
}

/** The mesh port groups of one network's routers, inputs first (the cluster's port order). */
export function meshPortGroups(p: NocParams, net: NetKind): MeshPortGroup[] {
  const spec = routerSpec(net, p.eastWest);
  return [
    ...spec.srcs.filter(isMeshDir).map((dir): MeshPortGroup => ({ name: `${net}_in_${dir}`, net, dir, side: 'in' })),
    ...spec.dsts.filter(isMeshDir).map((dir): MeshPortGroup => ({ name: `${net}_out_${dir}`, net, dir, side: 'out' })),
  ];
}

export const allMeshPortGroups = (p: NocParams): MeshPortGroup[] => (['iact', 'weight', 'psum'] as const).flatMap((net) => meshPortGroups(p, net));

/** The port type of a mesh group: a Vec with one ready/valid port per router. */
export const meshGroupType = (p: NocParams, g: MeshPortGroup) => Vec(routerCount(p, g.net), D(netWidth(p, g.net)));

/**
 * One router cluster: the iact, weight and psum routers of a PE/GLB cluster pair, the
 * all-to-all fabric from the iact routers to the 12 PEs, one fabric per PE row for weights,
 * and a link buffer on every mesh input. The per-layer configuration arrives on `cfg`, laid
 * out by clusterCfgLayout(); it must be held for the whole layer. Port groups are Vecs indexed
 * by router (iact, weight: router = PE row; psum: router = PE column) or by PE (row-major).
 */
export const RouterCluster = defineModule(
  'RouterCluster',
  (m, p: NocParams) => {
    checkNocParams(p);
    const nI = p.iactRouters;
    const nW = p.peRows;
    const nP = p.peCols;
    const nPe = pesPerCluster(p);
    const group = (g: MeshPortGroup) => (g.side === 'in' ? m.input(g.name, meshGroupType(p, g)) : m.output(g.name, meshGroupType(p, g)));
    const meshIo: Record<string, ReturnType<typeof group>> = {};
    const mesh = (net: NetKind) => {
      const own = Object.fromEntries(meshPortGroups(p, net).map((g) => [g.name, group(g)]));
      Object.assign(meshIo, own);
      return own;
    };
    const io = {
      cfg: m.input('cfg', UInt(clusterCfgWidth(p))),
      glb_iact: m.input('glb_iact', Vec(nI, D(p.iactWidth))),
      ...mesh('iact'),
      pe_iact: m.output('pe_iact', Vec(nPe, D(p.iactWidth))),
      glb_weight: m.input('glb_weight', Vec(nW, D(p.weightWidth))),
      ...mesh('weight'),
      pe_weight: m.output('pe_weight', Vec(nPe, D(p.weightWidth))),
      ...mesh('psum'),
      glb_psum_rd: m.input('glb_psum_rd', Vec(nP, D(p.psumWidth))),
      glb_psum_wr: m.output('glb_psum_wr', Vec(nP, D(p.psumWidth))),
      pe_psum_bottom: m.output('pe_psum_bottom', Vec(nP, D(p.psumWidth))),
      pe_psum_top: m.input('pe_psum_top', Vec(nP, D(p.psumWidth))),
    };
    const fields = new Map(clusterCfgLayout(p).map((f) => [f.name, f]));
    const field = (name: string) => {
      const f = fields.get(name)!;
      return io.cfg.bits(f.offset + f.width - 1, f.offset);
    };

    // Mesh inputs pass a link buffer; every other port connects straight to its router.
    const meshIn = (name: string, port: DecoupledIo, net: NetKind): DecoupledIo => {
      const buf = m.instance(name, LinkBuffer, { depth: p.linkDepth, width: netWidth(p, net) });
      m.connect(buf.enq, port);
      return buf.deq;
    };
    // Local ports by the router's own port names; the mesh groups add theirs.
    const router = (net: NetKind, r: number, local: Record<string, DecoupledIo>): RouterIo => {
      const spec = routerSpec(net, p.eastWest);
      const ports: Record<string, DecoupledIo> = { ...local };
      for (const g of meshPortGroups(p, net)) ports[`${g.side}_${g.dir}`] = meshIo[g.name]!.get(r);
      // Psum routers have no horizontal ports, so they stay one module whatever the mesh width.
      // The router's ports depend on its kind at elaboration time; RouterIo indexes them by name.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
      const inst = m.instance(`${net}_router_${r}`, CircuitRouter, { kind: net, width: netWidth(p, net), eastWest: net !== 'psum' && p.eastWest }) as RouterIo;
      for (const d of spec.dsts) (inst[`sel_${d}`] as Signal).set(field(`${net}_r${r}_sel_${d}`));
      for (const s of spec.srcs) {
        const port = ports[`in_${s}`]!;
        m.connect(inst[`in_${s}`] as DecoupledIo, isMeshDir(s) ? meshIn(`${net}_in_${s}_buf_${r}`, port, net) : port);
      }
      for (const d of spec.dsts) {
        const port = ports[`out_${d}`];
        if (port) m.connect(port, inst[`out_${d}`] as DecoupledIo);
      }
      return inst;
    };

    const iactFab = m.instance('iact_fabric', FilterFork, { inputs: nI, outputs: nPe, width: p.iactWidth, idWidth: p.idWidth, burstWidth: p.burstWidth });
    for (let r = 0; r < nI; r++) {
      const inst = router('iact', r, { in_glb: io.glb_iact.get(r) });
      m.connect(iactFab.in.get(r), inst.out_pe as DecoupledIo);
      iactFab.ways_m1.get(r).set(field(`iact_fab_ways_m1_${r}`));
      iactFab.burst_m1.get(r).set(field(`iact_fab_burst_m1_${r}`));
    }
    for (let pe = 0; pe < nPe; pe++) {
      m.connect(io.pe_iact.get(pe), iactFab.out.get(pe));
      iactFab.sel.get(pe).set(field(`iact_fab_sel_${pe}`));
      iactFab.id.get(pe).set(field(`iact_fab_id_${pe}`));
    }

    for (let r = 0; r < nW; r++) {
      const inst = router('weight', r, { in_glb: io.glb_weight.get(r) });
      const fab = m.instance(`weight_fabric_${r}`, FilterFork, { inputs: 1, outputs: nP, width: p.weightWidth, idWidth: p.idWidth, burstWidth: p.burstWidth });
      m.connect(fab.in.get(0), inst.out_pe as DecoupledIo);
      fab.ways_m1.get(0).set(field(`weight_fab${r}_ways_m1_0`));
      fab.burst_m1.get(0).set(field(`weight_fab${r}_burst_m1_0`));
      for (let c = 0; c < nP; c++) {
        m.connect(io.pe_weight.get(r * nP + c), fab.out.get(c));
        fab.sel.get(c).set(field(`weight_fab${r}_sel_${c}`));
        fab.id.get(c).set(field(`weight_fab${r}_id_${c}`));
      }
    }

    for (let c = 0; c < nP; c++) {
      router('psum', c, {
        in_glb: io.glb_psum_rd.get(c),
        in_pe: io.pe_psum_top.get(c),
        out_glb: io.glb_psum_wr.get(c),
        out_pe: io.pe_psum_bottom.get(c),
      });
    }
    return io;
  },
  { nameFor: (p) => `RouterCluster_${nocTag(p)}` },
);
