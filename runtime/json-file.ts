import { readFile } from 'node:fs/promises';
import { refuseOtherKind, type JsonFileKind } from './file-kind.js';

/**
 * Reads a user's JSON file. Errors start with the file's path and say whether it could not
 * be read or did not parse, and `what` it was meant to be; a file of another kind is named as such.
 */
export async function readJsonFile(file: string, what: JsonFileKind): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${file}: no such ${what}; fix: check the path (relative paths start from the current folder)`, { cause: e });
    if (code === 'EISDIR') throw new Error(`${file}: a folder, not a ${what}; fix: give the path of the .json file`, { cause: e });
    throw new Error(`${file}: cannot read this ${what} (${(e as Error).message}); fix: check that the file is readable`, { cause: e });
  }
  let json: unknown;
  try {
    // Some Windows editors start UTF-8 files with a byte-order mark, which JSON does not allow.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message}); fix: correct the syntax of this ${what}`, { cause: e });
  }
  refuseOtherKind(json, file, what);
  return json;
}
