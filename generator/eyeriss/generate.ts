import path from 'node:path';
import type { ArchConfig } from '../../spec/arch.js';
import { elaborate, pruneDesigns, writeDesign, type Design, type WriteOptions } from '../dsl/index.js';
import { nocParamsFromArch } from '../../spec/noc/params.js';
import { GlbCluster, glbParamsFromArch } from './glb/index.js';
import { RouterCluster, RouterMesh } from './noc/index.js';
import { SparsePe, peParamsFromArch } from './pe/index.js';
import { Cluster, EyerissTop, chipParamsFromArch, clusterParams } from './chip/index.js';

/**
 * The tops generated for an architecture, each elaborated from the same ArchConfig so that
 * every size in the Verilog follows the configuration: the whole chip, and its blocks on their
 * own for block-level flows (one cluster, the sparse PE, one router cluster, one GLB cluster,
 * the array's mesh of router clusters).
 */
export function rtlTops(arch: ArchConfig): Design[] {
  const noc = nocParamsFromArch(arch);
  const chip = chipParamsFromArch(arch);
  return [
    elaborate(EyerissTop, chip),
    elaborate(Cluster, clusterParams(chip)),
    elaborate(SparsePe, peParamsFromArch(arch)),
    elaborate(RouterCluster, noc),
    elaborate(GlbCluster, glbParamsFromArch(arch)),
    elaborate(RouterMesh, { rows: arch.clusterRows, cols: arch.clusterCols, noc }),
  ];
}

export interface GenerateResult {
  dir: string;
  tops: { top: string; files: string[]; filelist: string }[];
  /** Distinct modules over all tops (a module shared by two tops counts once). */
  modules: number;
  lines: number;
}

export async function generateRtl(arch: ArchConfig, outDir: string, opts: WriteOptions = {}): Promise<GenerateResult> {
  const dir = path.resolve(outDir);
  const tops: GenerateResult['tops'] = [];
  const lineCounts = new Map<string, number>();
  for (const design of rtlTops(arch)) {
    const { texts, ...written } = await writeDesign(design, dir, opts);
    tops.push(written);
    for (const [name, text] of texts) lineCounts.set(name, text.split('\n').length - 1);
  }
  await pruneDesigns(
    dir,
    tops.map((t) => t.filelist),
  );
  const lines = [...lineCounts.values()].reduce((a, b) => a + b, 0);
  return { dir, tops, modules: lineCounts.size, lines };
}
