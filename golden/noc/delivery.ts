import { checkClusterRouting, clusterPrefix, localPortName, pePortName, routerCount, type FabricSettings, type MeshRouting } from '../../spec/noc/routing.js';
import { checkMeshShape, pesPerCluster, type NocParams } from '../../spec/noc/params.js';
import { isMeshDir, neighbour, oppositeDir, routerSpec, type NetKind, type PortDir } from '../../spec/noc/topology.js';

/**
 * Golden model of NoC delivery. The network is circuit-switched and every destination port
 * carries exactly one source, so the packets an external sink receives are those of the one
 * external source its route traces back to, in injection order, thinned only by the
 * in-cluster fabric's class filter. Timing does not matter for what arrives; backpressure only
 * changes when.
 */

export interface ClassFilter {
  ways: number;
  burst: number;
  id: number;
}

export interface SinkRoute {
  sink: string;
  /** External source port feeding the sink, or null when nothing reaches it. */
  origin: string | null;
  /** The fabric's class filter on the way (iact and weight PE ports only). */
  filter?: ClassFilter;
}

interface RouterRef {
  i: number;
  j: number;
  r: number;
}

const where = (net: NetKind, at: RouterRef) => `cluster (${at.i},${at.j}) ${net} router ${at.r}`;

function checkShape(p: NocParams, mesh: MeshRouting): void {
  checkMeshShape(p, mesh.rows, mesh.cols);
  if (mesh.open && (mesh.rows !== 1 || mesh.cols !== 1)) throw new Error('an open mesh (external mesh ports) is a single cluster: rows = cols = 1');
  if (mesh.clusters.length !== mesh.rows || mesh.clusters.some((row) => row.length !== mesh.cols)) {
    throw new Error(`mesh.clusters must be ${mesh.rows} x ${mesh.cols}`);
  }
  mesh.clusters.forEach((row, i) => row.forEach((c, j) => checkClusterRouting(p, c, `cluster (${i},${j})`)));
}

/** The source a router destination carries, followed back to an external port (or null). */
function traceDst(mesh: MeshRouting, net: NetKind, at: RouterRef, dst: PortDir, seen = new Set<string>()): string | null {
  const key = `${at.i},${at.j},${at.r},${dst}`;
  if (seen.has(key)) return null; // a ring of routers with no source feeding it carries nothing
  seen.add(key);
  const src = mesh.clusters[at.i]![at.j]![net].routers[at.r]![dst];
  if (!src) return null;
  const prefix = clusterPrefix(mesh, at.i, at.j);
  if (!isMeshDir(src)) return prefix + localPortName(net, at.r, src, 'src');
  if (mesh.open) return localPortName(net, at.r, src, 'src');
  const nb = neighbour(mesh, at.i, at.j, src);
  if (!nb) return null;
  return traceDst(mesh, net, { ...nb, r: at.r }, oppositeDir(src), seen);
}

function fabricOf(
  mesh: MeshRouting,
  net: 'iact' | 'weight',
  i: number,
  j: number,
  p: NocParams,
  pe: number,
): { fabric: FabricSettings; out: number; router: number } {
  const c = mesh.clusters[i]![j]!;
  if (net === 'iact') {
    const fabric = c.iact.fabric;
    return { fabric, out: pe, router: fabric.outputs[pe]?.src ?? 0 };
  }
  const row = Math.floor(pe / p.peCols);
  return { fabric: c.weight.fabrics[row]!, out: pe % p.peCols, router: row };
}

/** Every external sink of one network with the source that reaches it. */
export function traceRoutes(p: NocParams, mesh: MeshRouting, net: NetKind): SinkRoute[] {
  checkShape(p, mesh);
  const routes: SinkRoute[] = [];
  for (let i = 0; i < mesh.rows; i++) {
    for (let j = 0; j < mesh.cols; j++) {
      const prefix = clusterPrefix(mesh, i, j);
      if (net === 'psum') {
        for (let r = 0; r < p.peCols; r++) {
          for (const dst of ['glb', 'pe'] as const) {
            routes.push({ sink: prefix + localPortName(net, r, dst, 'dst'), origin: traceDst(mesh, net, { i, j, r }, dst) });
          }
        }
      } else {
        for (let pe = 0; pe < pesPerCluster(p); pe++) {
          const { fabric, out, router } = fabricOf(mesh, net, i, j, p, pe);
          const sel = fabric.outputs[out];
          const sink = prefix + pePortName(net, pe);
          if (!sel) {
            routes.push({ sink, origin: null });
            continue;
          }
          const inp = fabric.inputs[sel.src]!;
          routes.push({ sink, origin: traceDst(mesh, net, { i, j, r: router }, 'pe'), filter: { ways: inp.ways, burst: inp.burst, id: sel.id } });
        }
      }
      if (mesh.open) {
        for (let r = 0; r < routerCount(p, net); r++) {
          for (const d of routerSpec(net, p.eastWest).dsts.filter(isMeshDir)) {
            routes.push({ sink: localPortName(net, r, d, 'dst'), origin: traceDst(mesh, net, { i, j, r }, d) });
          }
        }
      }
    }
  }
  return routes;
}

/** External source ports some destination takes data from: the only ones a test may feed. */
export function consumedSources(p: NocParams, mesh: MeshRouting, net: NetKind): Set<string> {
  checkShape(p, mesh);
  const out = new Set<string>();
  for (let i = 0; i < mesh.rows; i++) {
    for (let j = 0; j < mesh.cols; j++) {
      mesh.clusters[i]![j]![net].routers.forEach((rc, r) => {
        for (const src of Object.values(rc)) {
          if (!src) continue;
          if (!isMeshDir(src)) out.add(clusterPrefix(mesh, i, j) + localPortName(net, r, src, 'src'));
          else if (mesh.open) out.add(localPortName(net, r, src, 'src'));
        }
      });
    }
  }
  return out;
}

/**
 * Rejects configurations that would stall a stream forever: a destination sending into a
 * tied-off edge, or into a neighbour port that no destination of the neighbour takes.
 */
export function validateMesh(p: NocParams, mesh: MeshRouting, net: NetKind): void {
  checkShape(p, mesh);
  if (mesh.open) return;
  for (let i = 0; i < mesh.rows; i++) {
    for (let j = 0; j < mesh.cols; j++) {
      mesh.clusters[i]![j]![net].routers.forEach((rc, r) => {
        for (const [dst, src] of Object.entries(rc) as [PortDir, PortDir | null][]) {
          if (!src || !isMeshDir(dst)) continue;
          const at = where(net, { i, j, r });
          const nb = neighbour(mesh, i, j, dst);
          if (!nb)
            throw new Error(
              `${at} sends ${src} -> ${dst}, but there is no cluster on that side (a tied-off edge would stall the stream); remove that destination`,
            );
          const takes = Object.values(mesh.clusters[nb.i]![nb.j]![net].routers[r]!).includes(oppositeDir(dst));
          if (!takes) {
            throw new Error(
              `${at} sends ${src} -> ${dst}, but no destination of ${where(net, { ...nb, r })} selects source '${oppositeDir(dst)}', so the stream would stall; route it on or remove the destination`,
            );
          }
        }
      });
    }
  }
}

/** Class of the k-th packet through a fabric input. */
export const packetClass = (k: number, f: Pick<ClassFilter, 'ways' | 'burst'>): number => Math.floor(k / f.burst) % f.ways;

/**
 * What every external sink of `net` receives when the given packets are injected. Throws when
 * a packet is injected into a port nothing takes (it could never leave) or the configuration
 * would stall.
 */
export function deliver(p: NocParams, mesh: MeshRouting, net: NetKind, injected: Record<string, readonly bigint[]>): Record<string, bigint[]> {
  validateMesh(p, mesh, net);
  const taken = consumedSources(p, mesh, net);
  for (const [port, data] of Object.entries(injected)) {
    if (data.length > 0 && !taken.has(port)) throw new Error(`packets injected at '${port}', which no router destination takes; they would wait forever`);
  }
  const out: Record<string, bigint[]> = {};
  for (const route of traceRoutes(p, mesh, net)) {
    const src = route.origin ? (injected[route.origin] ?? []) : [];
    const f = route.filter;
    out[route.sink] = f ? src.filter((_, k) => packetClass(k, f) === f.id) : [...src];
  }
  return out;
}

/**
 * One router alone, configured with raw select codes as the RTL's `sel_<dst>` ports take them
 * (0 idle, k = source k-1; codes past the source list or naming a non-route leave the
 * destination idle). Returns what each destination receives.
 */
export function routerDelivery(
  net: NetKind,
  sel: Partial<Record<PortDir, number>>,
  injected: Partial<Record<PortDir, readonly bigint[]>>,
  eastWest = false,
): Record<string, bigint[]> {
  const spec = routerSpec(net, eastWest);
  const out: Record<string, bigint[]> = {};
  const taken = new Set<PortDir>();
  for (const d of spec.dsts) {
    const code = sel[d] ?? 0;
    const src = code >= 1 && code <= spec.srcs.length ? spec.srcs[code - 1]! : undefined;
    const routed = src !== undefined && spec.allowed(src, d) ? src : undefined;
    if (routed) taken.add(routed);
    out[d] = routed ? [...(injected[routed] ?? [])] : [];
  }
  for (const s of spec.srcs) {
    if ((injected[s]?.length ?? 0) > 0 && !taken.has(s))
      throw new Error(`packets injected at router source '${s}', which no destination selects; they would wait forever`);
  }
  return out;
}
