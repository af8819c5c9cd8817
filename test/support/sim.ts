import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll } from 'vitest';
import type { IoHandles, ModuleDef } from '../../generator/dsl/index.js';
import { emitForSim } from '../../tb/dsl.js';
import { repoRoot } from '../../tb/paths.js';
import { Simulator } from '../../tb/sim.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Runs `start` while holding a lock named `key` that other test processes (vitest's workers) take
 * too: a design two test files start at once is built by one of them, and the other then finds it
 * in the build cache, where it would otherwise build it in full beside the first (the cache entry
 * appears only when a build ends). A lock whose process has died is taken over.
 */
async function oneBuilderAtATime<T>(key: string, start: () => Promise<T>): Promise<T> {
  const lock = path.join(repoRoot, 'build', 'sim-locks', key);
  const pidFile = path.join(lock, 'pid');
  await mkdir(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number(await readFile(pidFile, 'utf8').catch(() => ''));
    const age = await stat(lock).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    // No pid a minute after the lock was made: its process died between the two steps.
    if ((owner > 0 && !alive(owner)) || (owner === 0 && age > 60_000)) await rm(lock, { recursive: true, force: true });
    else await sleep(1000);
  }
  try {
    await writeFile(pidFile, String(process.pid));
    return await start();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** The lock of an emitted design: emitForSim's folder, named by the top and a hash of its Verilog (the same design, the same lock). */
const lockKey = (sources: { files: string[] }): string => path.basename(path.dirname(sources.files[0]!));

/**
 * Builds the simulator of `def` with `params` into the build cache, under useSimulator's lock, for suites whose
 * simulator the runtime starts (RtlSession, the CLI in a child process): they then find it there rather than build it
 * beside a test file that is building it too.
 */
export async function prebuild<P, IO extends IoHandles>(def: ModuleDef<P, IO>, params: P): Promise<void> {
  const sources = await emitForSim(def, params);
  await oneBuilderAtATime(lockKey(sources), async () => {
    const sim = await Simulator.start(sources);
    await sim.close();
  });
}

/**
 * One simulator per describe block: built (or taken from the build cache) before the tests,
 * closed after them. Returns an accessor because the simulator exists only once beforeAll ran.
 */
export function useSimulator<P, IO extends IoHandles>(def: ModuleDef<P, IO>, params: P, name: string): () => Simulator<IO> {
  let sim: Simulator<IO> | undefined;
  beforeAll(async () => {
    const sources = await emitForSim(def, params);
    sim = await oneBuilderAtATime(lockKey(sources), () => Simulator.start(sources, { name }));
  });
  afterAll(async () => {
    await sim?.close();
  });
  return () => {
    if (!sim) throw new Error(`simulator '${name}' is not running (did its build fail in beforeAll?)`);
    return sim;
  };
}
