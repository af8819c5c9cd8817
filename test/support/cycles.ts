import type { Simulator, Value } from '../../tb/sim.js';

/**
 * Cycle-by-cycle stimulus in one round trip: for each cycle, poke that cycle's inputs, read
 * the outputs (after the combinational settle, before the edge), then clock once.
 */
export async function runCycles(sim: Simulator, inputs: Record<string, Value>[], outputs: readonly string[]): Promise<Record<string, bigint>[]> {
  const values = await sim.batch((b) => {
    for (const cycle of inputs) {
      for (const [port, v] of Object.entries(cycle)) b.poke(port, v);
      for (const o of outputs) b.peek(o);
      b.step(1);
    }
  });
  return inputs.map((_, c) => Object.fromEntries(outputs.map((o, k) => [o, values[c * outputs.length + k]!])));
}

/** Throws with the first cycle where the hardware and the model disagree. */
export function expectSameTrace(hw: Record<string, bigint>[], model: Record<string, bigint>[], context: string): void {
  for (let c = 0; c < model.length; c++) {
    for (const [k, want] of Object.entries(model[c]!)) {
      const have = hw[c]![k];
      if (have !== want) throw new Error(`${context}: cycle ${c}, ${k} = ${have} but the model says ${want}`);
    }
  }
}
