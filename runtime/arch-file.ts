import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { checkArch, parseArch, type ArchConfig, type ArchProblem } from '../spec/arch.js';
import { namedArchs } from '../spec/archs.js';
import { readJsonFile } from './json-file.js';

// The name becomes a folder (rtl-out/<name>) and part of the simulator's build-cache name.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function nameProblems(a: ArchConfig): ArchProblem[] {
  if (!SAFE_NAME.test(a.name) || a.name.includes('..')) {
    return [
      {
        path: 'name',
        message: `'${a.name}' cannot name a folder (it becomes rtl-out/<name>); fix: use 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit, without '..'`,
      },
    ];
  }
  if (Object.hasOwn(namedArchs, a.name) && !isDeepStrictEqual(a, namedArchs[a.name])) {
    return [
      {
        path: 'name',
        message: `'${a.name}' is the shipped architecture of rtl-out/${a.name}, and this file differs from it; fix: give your architecture its own name`,
      },
    ];
  }
  return [];
}

/**
 * `paper`, `small`, or the path of a JSON architecture file, validated with every problem listed:
 * the schema, the name, the size limits and the generated chip's rules (spec/arch.ts), so a
 * run on any backend accepts only a chip `generate` can build.
 */
export async function loadArch(nameOrFile: string): Promise<ArchConfig> {
  if (Object.hasOwn(namedArchs, nameOrFile)) return namedArchs[nameOrFile]!;
  if (!nameOrFile.endsWith('.json')) {
    throw new Error(`unknown architecture '${nameOrFile}': use one of ${Object.keys(namedArchs).join(', ')} or the path of a .json file`);
  }
  const file = path.resolve(nameOrFile);
  const source = `architecture file ${file}`;
  const arch = parseArch(await readJsonFile(file, 'architecture file'), source);
  checkArch(arch, source, nameProblems(arch));
  return arch;
}
