// Weight multicast along cluster rows [spec 2.5]: clusters that take the same weight words share one off-chip stream.
import { validateMesh } from '../../../golden/noc/delivery.js';
import type { ChipParams } from '../../../spec/chip/format.js';
import type { ClusterRouting } from '../../../spec/noc/routing.js';
import { eastPort, westPort } from '../../../spec/noc/topology.js';
import { sameWords } from './same-words.js';
import type { ProgramStats } from './types.js';

/**
 * Turns each run of adjacent clusters in a cluster row whose PE row r gets the same weight
 * stream (and fabric classes) into one off-chip stream at the run's westmost cluster, forked
 * east along the weight routers; the other clusters' streams become empty.
 */
export function shareWeightStreams(p: ChipParams, nocs: ClusterRouting[], weightStreams: number[][][], stats: ProgramStats): void {
  const east = eastPort(p.noc.eastWest);
  const west = westPort(p.noc.eastWest);
  for (let i = 0; i < p.rows; i++) {
    for (let r = 0; r < p.noc.peRows; r++) {
      let head = i * p.cols; // the westmost cluster of the current run, the one that keeps its stream
      for (let c = head + 1; c < (i + 1) * p.cols; c++) {
        const words = weightStreams[c]![r]!;
        const [fh, fc] = [nocs[head]!.weight.fabrics[r]!.inputs[0]!, nocs[c]!.weight.fabrics[r]!.inputs[0]!];
        if (words.length === 0 || !sameWords(weightStreams[head]![r]!, words) || fh.ways !== fc.ways || fh.burst !== fc.burst) {
          head = c;
          continue;
        }
        const prev = nocs[c - 1]!.weight.routers[r]!;
        prev[east] = prev.pe!; // 'glb' at the head of the run, the west port further on
        nocs[c]!.weight.routers[r] = { pe: west };
        stats.multicastWeightWords += words.length;
        weightStreams[c]![r] = [];
      }
    }
  }
  const rows = Array.from({ length: p.rows }, (_, i) => nocs.slice(i * p.cols, (i + 1) * p.cols));
  validateMesh(p.noc, { rows: p.rows, cols: p.cols, open: false, clusters: rows }, 'weight');
}
