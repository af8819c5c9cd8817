// The first pass: a layer, its data and a mapping checked against the chip, with the chip's
// sizes and the placement of stack positions on PEs that every later pass reads.
import type { ArchConfig } from '../../../spec/arch.js';
import { chipParamsFromArch, type ChipParams } from '../../../spec/chip/format.js';
import { checkLayerData, type Layer, type LayerData } from '../../../golden/layers.js';
import { mapLayer, type Mapping } from '../../../golden/mapper.js';
import { psumJobWindows } from '../../../golden/pe.js';
import { physicalPlace, type PePlace } from '../../../golden/placement.js';

export interface ProgramTarget {
  layer: Layer;
  data: LayerData;
  arch: ArchConfig;
  p: ChipParams;
  map: Mapping;
  nClusters: number;
  /** PEs per cluster. */
  pesPer: number;
  /** Slices of a full iteration's stack (height and slices both bound it). */
  maxCnt: number;
  /** Windows of one PE job: its psums must fit the psum SPad (the golden cycle model splits tasks alike). */
  wMax: number;
  /** Cluster index (row-major) of a place; throws when the mapping places a PE outside the chip. */
  clusterOf: (pl: PePlace) => number;
  /** Chip-wide PE index: cluster * pesPer + peRow * peCols + peCol. */
  gidOf: (pl: PePlace) => number;
  /** Where slice i of stack s sits in an iteration of cnt slices (the stack's top is position height - 1). */
  placeOf: (s: number, i: number, cnt: number) => PePlace;
}

/** Throws when the layer or the mapping needs something the chip cannot do (named in the message). */
export function programTarget(l: Layer, d: LayerData, arch: ArchConfig, mapping: Mapping | undefined): ProgramTarget {
  checkLayerData(l, d);
  const p = chipParamsFromArch(arch);
  const map = mapping ?? mapLayer(l, { arch, weights: d.weights });
  if (map.arch !== arch.name) throw new Error(`layer '${l.name}': the mapping was made for arch '${map.arch}', not '${arch.name}'`);
  const { peRows, peCols } = p.noc;
  const pesPer = peRows * peCols;
  const { M0 } = map.pe;
  const { height } = map.stack;
  if (M0 > p.pe.psumDepth) throw new Error(`layer '${l.name}': M0=${M0} exceeds the ${p.pe.psumDepth}-entry psum SPad`);
  const clusterOf = (pl: PePlace): number => {
    if (pl.clusterRow >= p.rows || pl.clusterCol >= p.cols || pl.peRow >= peRows || pl.peCol >= peCols) {
      throw new Error(
        `layer '${l.name}': the mapping places a PE at cluster (${pl.clusterRow}, ${pl.clusterCol}) PE (${pl.peRow}, ${pl.peCol}), outside the ${p.rows}x${p.cols} array of ${peRows}x${peCols} clusters`,
      );
    }
    return pl.clusterRow * p.cols + pl.clusterCol;
  };
  return {
    layer: l,
    data: d,
    arch,
    p,
    map,
    nClusters: p.rows * p.cols,
    pesPer,
    maxCnt: Math.min(height, map.reduction.slices),
    wMax: psumJobWindows(arch, M0),
    clusterOf,
    gidOf: (pl) => clusterOf(pl) * pesPer + pl.peRow * peCols + pl.peCol,
    placeOf: (s, i, cnt) => physicalPlace(arch, map, s, height - cnt + i),
  };
}
