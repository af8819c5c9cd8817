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

/** A mesh direction a router port can face; `glb` and `pe` are the cluster-local ports. */
export type PortDir = 'glb' | 'pe' | 'n' | 's' | 'h';

export interface RouterSpec {
  kind: NetKind;
  /** Source (input) ports, in the order their select codes use (code = index + 1, 0 = off). */
  srcs: readonly PortDir[];
  /** Destination (output) ports, in configuration order. */
  dsts: readonly PortDir[];
  /** Whether destination `dst` may select source `src`. */
  allowed(src: PortDir, dst: PortDir): boolean;
}

/**
 * iact router [spec 2.3]: sources GLB, N, S, horizontal neighbour; destinations the local PE
 * cluster (through the all-to-all fabric), N, S, horizontal neighbour.
 */
export const iactRouterSpec: RouterSpec = {
  kind: 'iact',
  srcs: ['glb', 'n', 's', 'h'],
  dsts: ['pe', 'n', 's', 'h'],
  allowed: (src, dst) => src !== dst,
};

/** weight router [spec 2.3]: sources GLB port and horizontal neighbour; destinations the PE row and the neighbour. */
export const weightRouterSpec: RouterSpec = {
  kind: 'weight',
  srcs: ['glb', 'h'],
  dsts: ['pe', 'h'],
  allowed: (src, dst) => src !== dst,
};

/**
 * psum router [spec 2.3]: sources the north neighbour, the GLB psum bank (read) and the top PE
 * of the column; destinations the south neighbour, the psum bank (write) and the bottom PE of
 * the column. `pe` as a source is the column's top output, as a destination its bottom input;
 * top-to-bottom of the same column would be a loop around the column, so it is not a route.
 */
export const psumRouterSpec: RouterSpec = {
  kind: 'psum',
  srcs: ['n', 'glb', 'pe'],
  dsts: ['s', 'glb', 'pe'],
  allowed: (src, dst) => src !== dst,
};

export const routerSpecs: Record<NetKind, RouterSpec> = {
  iact: iactRouterSpec,
  weight: weightRouterSpec,
  psum: psumRouterSpec,
};

/** The port on the neighbour that a mesh destination port feeds. */
export function oppositeDir(d: PortDir): PortDir {
  switch (d) {
    case 'n':
      return 's';
    case 's':
      return 'n';
    case 'h':
      return 'h';
    default:
      throw new Error(`port '${d}' is local to its cluster and has no mesh neighbour`);
  }
}

export const isMeshDir = (d: PortDir): boolean => d === 'n' || d === 's' || d === 'h';

/** Router-level routing modes of the paper's router description [spec 2.4]. */
export type RouterMode = 'unicast' | 'horizontal' | 'vertical' | 'broadcast';

/**
 * The destinations a router-level mode enables for a stream entering at `src`: the local PE
 * port always, plus the mesh directions the mode names, minus the direction the stream came
 * from and minus directions the caller says have no neighbour (a mesh edge).
 */
export function routerModeDests(
  spec: RouterSpec,
  mode: RouterMode,
  src: PortDir,
  hasNeighbour: (d: PortDir) => boolean = () => true,
): PortDir[] {
  const wanted: Record<RouterMode, PortDir[]> = {
    unicast: ['pe'],
    horizontal: ['pe', 'h'],
    vertical: ['pe', 'n', 's'],
    broadcast: ['pe', 'n', 's', 'h'],
  };
  return spec.dsts.filter(
    (d) => wanted[mode].includes(d) && spec.allowed(src, d) && (!isMeshDir(d) || hasNeighbour(d)),
  );
}
