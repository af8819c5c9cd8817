import path from 'node:path';
import { parseArch, type ArchConfig } from '../golden/arch.js';
import { namedArchs } from '../generator/eyeriss/archs.js';
import { readJsonFile } from './json-file.js';

/** `paper`, `small`, or the path of a JSON architecture file (validated, every problem listed). */
export async function loadArch(nameOrFile: string): Promise<ArchConfig> {
  if (Object.hasOwn(namedArchs, nameOrFile)) return namedArchs[nameOrFile]!;
  if (!nameOrFile.endsWith('.json')) {
    throw new Error(
      `unknown architecture '${nameOrFile}': use one of ${Object.keys(namedArchs).join(', ')} or the path of a .json file`,
    );
  }
  const file = path.resolve(nameOrFile);
  return parseArch(await readJsonFile(file, 'architecture file'), `architecture file ${file}`);
}
