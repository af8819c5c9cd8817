import { afterAll, beforeAll } from 'vitest';
import type { IoHandles, ModuleDef } from '../../generator/dsl/index.js';
import { emitForSim } from '../../tb/dsl.js';
import { Simulator } from '../../tb/sim.js';

/**
 * One simulator per describe block: built (or taken from the build cache) before the tests,
 * closed after them. Returns an accessor because the simulator exists only once beforeAll ran.
 */
export function useSimulator<P, IO extends IoHandles>(def: ModuleDef<P, IO>, params: P, name: string): () => Simulator<IO> {
  let sim: Simulator<IO> | undefined;
  beforeAll(async () => {
    sim = await Simulator.start(await emitForSim(def, params), { name });
  });
  afterAll(async () => {
    await sim?.close();
  });
  return () => {
    if (!sim) throw new Error(`simulator '${name}' is not running (did its build fail in beforeAll?)`);
    return sim;
  };
}
