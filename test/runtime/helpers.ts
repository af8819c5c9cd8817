import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh folder for one test, removed afterwards. */
export async function withTmp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'eyeriss-run-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function writeJson(file: string, value: unknown): Promise<string> {
  await writeFile(file, JSON.stringify(value, null, 2));
  return file;
}

/** A valid generated-data layer file body; tests break one field at a time. */
export const pwLayer = (): Record<string, unknown> => ({
  type: 'pointwise',
  shape: { C: 8, M: 12, H: 5, W: 6, R: 1, S: 1, stride: 1, padding: 0, groups: 1 },
  generate: { iactDensity: 0.7, weightDensity: 0.5, seed: 3 },
});
