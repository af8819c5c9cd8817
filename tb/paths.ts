import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Anchored to this file rather than the working directory so tests and scripts agree wherever they run from. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const defaultCacheDir = resolve(repoRoot, 'build', 'sim-cache');

/** The simulator build cache: `EYERISS_SIM_CACHE` when set (shared between checkouts or machines), else build/sim-cache. */
export function simCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.EYERISS_SIM_CACHE;
  return dir !== undefined && dir !== '' ? resolve(dir) : defaultCacheDir;
}
export const wavesDir = resolve(repoRoot, 'waves');
