import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Anchored to this file rather than the working directory so tests and scripts agree wherever they run from. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultCacheDir = resolve(repoRoot, 'build', 'sim-cache');
export const wavesDir = resolve(repoRoot, 'waves');
