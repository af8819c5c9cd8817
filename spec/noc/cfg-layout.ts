import { log2Ceil } from '../bits.js';
import { checkClusterRouting, type ClusterRouting, type FabricSettings, type RouterSettings } from './routing.js';
import { pesPerCluster, type NocParams } from './params.js';
import { routerSpec, selWidth, type NetKind } from './topology.js';

/**
 * The bit layout of a router cluster's `cfg` port: a list of fields packed from bit 0 upward.
 * The same list drives the RTL (which slices `cfg`) and the encoder, so they cannot disagree.
 * See README.md for the table with the paper's widths.
 */
export interface CfgField {
  name: string;
  width: number;
  offset: number;
}

export function clusterCfgLayout(p: NocParams): CfgField[] {
  const fields: CfgField[] = [];
  let offset = 0;
  const add = (name: string, width: number) => {
    fields.push({ name, width, offset });
    offset += width;
  };
  const routers = (net: NetKind, count: number) => {
    const spec = routerSpec(net, p.eastWest);
    for (let r = 0; r < count; r++) for (const d of spec.dsts) add(`${net}_r${r}_sel_${d}`, selWidth(spec));
  };
  const fabric = (prefix: string, inputs: number, outputs: number) => {
    for (let i = 0; i < inputs; i++) {
      add(`${prefix}_ways_m1_${i}`, p.idWidth);
      add(`${prefix}_burst_m1_${i}`, p.burstWidth);
    }
    for (let o = 0; o < outputs; o++) {
      add(`${prefix}_sel_${o}`, log2Ceil(inputs + 1));
      add(`${prefix}_id_${o}`, p.idWidth);
    }
  };
  routers('iact', p.iactRouters);
  fabric('iact_fab', p.iactRouters, pesPerCluster(p));
  routers('weight', p.peRows);
  for (let r = 0; r < p.peRows; r++) fabric(`weight_fab${r}`, 1, p.peCols);
  routers('psum', p.peCols);
  return fields;
}

export const clusterCfgWidth = (p: NocParams): number => {
  const last = clusterCfgLayout(p).at(-1)!;
  return last.offset + last.width;
};

/** Packs an abstract cluster configuration into the value of the `cfg` port. */
export function encodeClusterRouting(p: NocParams, c: ClusterRouting): bigint {
  checkClusterRouting(p, c, 'encodeClusterRouting');
  const values = new Map<string, number>();
  const routers = (net: NetKind, cfgs: RouterSettings[]) => {
    const spec = routerSpec(net, p.eastWest);
    cfgs.forEach((rc, r) => {
      for (const d of spec.dsts) {
        const src = rc[d];
        values.set(`${net}_r${r}_sel_${d}`, src ? spec.srcs.indexOf(src) + 1 : 0);
      }
    });
  };
  const fabric = (prefix: string, f: FabricSettings) => {
    f.inputs.forEach((inp, i) => {
      values.set(`${prefix}_ways_m1_${i}`, inp.ways - 1);
      values.set(`${prefix}_burst_m1_${i}`, inp.burst - 1);
    });
    f.outputs.forEach((o, k) => {
      values.set(`${prefix}_sel_${k}`, o ? o.src + 1 : 0);
      values.set(`${prefix}_id_${k}`, o ? o.id : 0);
    });
  };
  routers('iact', c.iact.routers);
  fabric('iact_fab', c.iact.fabric);
  routers('weight', c.weight.routers);
  c.weight.fabrics.forEach((f, r) => fabric(`weight_fab${r}`, f));
  routers('psum', c.psum.routers);
  let word = 0n;
  for (const f of clusterCfgLayout(p)) {
    const v = values.get(f.name);
    if (v === undefined) throw new Error(`internal: config field ${f.name} has no value`);
    word |= BigInt(v) << BigInt(f.offset);
  }
  return word;
}

/** Readable module-name suffix that is unique per NocParams (ASIC/FPGA flows see stable names). */
export function nocTag(p: NocParams): string {
  return `i${p.iactRouters}_pe${p.peRows}x${p.peCols}_w${p.iactWidth}x${p.weightWidth}x${p.psumWidth}_id${p.idWidth}b${p.burstWidth}l${p.linkDepth}${p.eastWest ? '_ew' : ''}`;
}
