import { log2Ceil } from '../bits.js';

/**
 * The shape of the hierarchical mesh NoC, shared by the RTL generator and the golden model so
 * that both name ports and legal routes identically.
 *
 * Every router is a circuit-switched crossbar: each destination port selects at most one
 * source port (or none) for the whole layer. A source routed to several destinations forks:
 * each of them receives every word once. Which (source, destination) pairs exist is fixed per router type below; U-turns
 * (a mesh input sent straight back the way it came) are left out because no dataflow needs
 * them and they would only create ways to misconfigure.
 */

export type NetKind = 'iact' | 'weight' | 'psum';

/**
 * A mesh direction a router port can face; `glb` and `pe` are the cluster-local ports. `h` is
 * the one horizontal neighbour of a mesh of at most 2 cluster columns (the paper's); a wider
 * mesh gives its iact and weight routers an east and a west pair instead [spec 2.3].
 */
export type PortDir = 'glb' | 'pe' | 'n' | 's' | 'h' | 'e' | 'w';

export interface RouterSpec {
  kind: NetKind;
  /** Source (input) ports, in the order their select codes use (code = index + 1, 0 = off). */
  srcs: readonly PortDir[];
  /** Destination (output) ports, in configuration order. */
  dsts: readonly PortDir[];
  /** Whether destination `dst` may select source `src`. */
  allowed(src: PortDir, dst: PortDir): boolean;
}

/** The port a stream leaves by toward the next cluster column, and the one it enters by from the previous. */
export const eastPort = (eastWest: boolean): PortDir => (eastWest ? 'e' : 'h');
export const westPort = (eastWest: boolean): PortDir => (eastWest ? 'w' : 'h');
const horizontal = (eastWest: boolean): PortDir[] => (eastWest ? ['e', 'w'] : ['h']);
const noUTurn = (src: PortDir, dst: PortDir) => src !== dst;

/**
 * iact router [spec 2.3]: sources GLB, N, S and the horizontal port(s); destinations the local
 * PE cluster (through the all-to-all fabric), N, S and the horizontal port(s).
 */
const iactSpec = (eastWest: boolean): RouterSpec => ({
  kind: 'iact',
  srcs: ['glb', 'n', 's', ...horizontal(eastWest)],
  dsts: ['pe', 'n', 's', ...horizontal(eastWest)],
  allowed: noUTurn,
});

/** weight router [spec 2.3]: sources GLB port and horizontal neighbour(s); destinations the PE row and the neighbour(s). */
const weightSpec = (eastWest: boolean): RouterSpec => ({
  kind: 'weight',
  srcs: ['glb', ...horizontal(eastWest)],
  dsts: ['pe', ...horizontal(eastWest)],
  allowed: noUTurn,
});

/**
 * psum router [spec 2.3]: sources the north neighbour, the GLB psum bank (read) and the top PE
 * of the column; destinations the south neighbour, the psum bank (write) and the bottom PE of
 * the column. `pe` as a source is the column's top output, as a destination its bottom input;
 * top-to-bottom of the same column would be a loop around the column, so it is not a route.
 * Psums never move horizontally, so no mesh width changes it.
 */
const psumSpec: RouterSpec = {
  kind: 'psum',
  srcs: ['n', 'glb', 'pe'],
  dsts: ['s', 'glb', 'pe'],
  allowed: noUTurn,
};

const specs: Record<'pair' | 'eastWest', Record<NetKind, RouterSpec>> = {
  pair: { iact: iactSpec(false), weight: weightSpec(false), psum: psumSpec },
  eastWest: { iact: iactSpec(true), weight: weightSpec(true), psum: psumSpec },
};

/** The router of network `kind`, with east/west ports when `eastWest` (NocParams.eastWest). */
export const routerSpec = (kind: NetKind, eastWest: boolean): RouterSpec => specs[eastWest ? 'eastWest' : 'pair'][kind];

/** The port on the neighbour that a mesh destination port feeds. */
export function oppositeDir(d: PortDir): PortDir {
  switch (d) {
    case 'n':
      return 's';
    case 's':
      return 'n';
    case 'h':
      return 'h';
    case 'e':
      return 'w';
    case 'w':
      return 'e';
    default:
      throw new Error(`port '${d}' is local to its cluster and has no mesh neighbour`);
  }
}

export const isMeshDir = (d: PortDir): boolean => d === 'n' || d === 's' || d === 'h' || d === 'e' || d === 'w';

/** Router-level routing modes of the paper's router description [spec 2.4]. */
export type RouterMode = 'unicast' | 'horizontal' | 'vertical' | 'broadcast';

/**
 * The destinations a router-level mode enables for a stream entering at `src`: the local PE
 * port always, plus the mesh directions the mode names, minus the direction the stream came
 * from and minus directions the caller says have no neighbour (a mesh edge).
 */
export function routerModeDests(spec: RouterSpec, mode: RouterMode, src: PortDir, hasNeighbour: (d: PortDir) => boolean = () => true): PortDir[] {
  const wanted: Record<RouterMode, PortDir[]> = {
    unicast: ['pe'],
    horizontal: ['pe', 'h', 'e', 'w'],
    vertical: ['pe', 'n', 's'],
    broadcast: ['pe', 'n', 's', 'h', 'e', 'w'],
  };
  return spec.dsts.filter((d) => wanted[mode].includes(d) && spec.allowed(src, d) && (!isMeshDir(d) || hasNeighbour(d)));
}

/** The cluster a mesh port of (i, j) faces, or undefined at a tied-off edge. */
export function neighbour(mesh: { rows: number; cols: number }, i: number, j: number, dir: PortDir): { i: number; j: number } | undefined {
  if (dir === 'n') return i > 0 ? { i: i - 1, j } : undefined;
  if (dir === 's') return i < mesh.rows - 1 ? { i: i + 1, j } : undefined;
  if (dir === 'h') return mesh.cols === 2 ? { i, j: 1 - j } : undefined;
  if (dir === 'e') return j < mesh.cols - 1 ? { i, j: j + 1 } : undefined;
  if (dir === 'w') return j > 0 ? { i, j: j - 1 } : undefined;
  throw new Error(`'${dir}' is not a mesh direction`);
}

/** Bits of one destination's source select: 0 = idle, k = source k-1 of `spec.srcs`. */
export const selWidth = (spec: RouterSpec): number => log2Ceil(spec.srcs.length + 1);
