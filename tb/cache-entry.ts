import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';

/**
 * Fills the build-cache entry `dir` through a private folder renamed into place at the end, so a
 * concurrent builder of the same entry never sees half of it. When another builder finished the
 * same entry first, its copy (identical by the cache key) is kept. Does nothing if `dir` exists.
 */
export async function fillCacheEntry(dir: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  if (existsSync(dir)) return;
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(tmp, { recursive: true });
  try {
    await fill(tmp);
    await rename(tmp, dir).catch((e: unknown) => {
      if (!existsSync(dir)) throw e;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
