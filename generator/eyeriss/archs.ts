import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { paperArch, parseArch, type ArchConfig } from '../../golden/arch.js';

/**
 * Named architectures. `paper` is the 65-nm chip of the JETCAS paper; `small` keeps the
 * paper's cluster, PE and memory sizes but only a 1x2 cluster array, for fast full-chip tests.
 */
export const namedArchs: Record<string, ArchConfig> = {
  paper: paperArch,
  small: parseArch({ ...paperArch, name: 'small', clusterRows: 1, clusterCols: 2 }, 'the small architecture'),
};

/** `paper`, `small`, or the path of a JSON architecture file (validated, every problem listed). */
export async function loadArch(nameOrFile: string): Promise<ArchConfig> {
  const named = namedArchs[nameOrFile];
  if (named) return named;
  if (!nameOrFile.endsWith('.json')) {
    throw new Error(
      `unknown architecture '${nameOrFile}': use one of ${Object.keys(namedArchs).join(', ')} or the path of a .json file`,
    );
  }
  const file = path.resolve(nameOrFile);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read architecture file ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`architecture file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseArch(json, `architecture file ${file}`);
}
