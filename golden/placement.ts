// Where a mapping puts its stacks: the unrolled dimensions in stack order and each stack
// position's physical PE. The mapper, the schedule and the mesh plan all place stacks this way.
import type { ArchConfig } from '../spec/arch.js';

export type SpatialDim = 'n' | 'g' | 'm' | 'e' | 'f';
export const SPATIAL_ORDER: readonly SpatialDim[] = ['f', 'e', 'n', 'm', 'g'];

/** The part of a mapping that places stacks. */
export interface PlacedMapping {
  stack: { clusterRows: number };
  spatial: Record<SpatialDim, number>;
}

export interface PePlace {
  clusterRow: number;
  clusterCol: number;
  peRow: number;
  peCol: number;
}

export function physicalPlace(arch: ArchConfig, map: PlacedMapping, stack: number, position: number): PePlace {
  const colGroup = Math.floor(stack / arch.peCols);
  return {
    clusterRow: Math.floor(colGroup / arch.clusterCols) * map.stack.clusterRows + Math.floor(position / arch.peRows),
    clusterCol: colGroup % arch.clusterCols,
    peRow: position % arch.peRows,
    peCol: stack % arch.peCols,
  };
}

/** Stack coordinates along the unrolled dimensions (f, e, n fastest, then m, g). */
export function stackCoordinates(map: Pick<PlacedMapping, 'spatial'>, stack: number): Record<SpatialDim, number> {
  const c = {} as Record<SpatialDim, number>;
  let rest = stack;
  for (const dim of SPATIAL_ORDER) {
    c[dim] = rest % map.spatial[dim];
    rest = Math.floor(rest / map.spatial[dim]);
  }
  return c;
}
