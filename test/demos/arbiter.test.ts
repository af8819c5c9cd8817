import { describe, expect, it } from 'vitest';
import { RoundRobinArbiter } from '../../generator/demos/index.js';
import { makeRng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { expectSameTrace, runCycles } from '../support/cycles.js';
import { useSimulator } from '../support/sim.js';

const P = { inputs: 4, width: 12 };

describe('RoundRobinArbiter against its TypeScript model', () => {
  const sim = useSimulator(RoundRobinArbiter, P, 'arbiter');

  it('cycle-exact grants over 5000 cycles, and no requester waits more than N transfers', async (ctx) => {
    const rng = makeRng(testSeed(ctx));
    await sim().reset();
    const offered = new Array<number | undefined>(P.inputs).fill(undefined);
    const waited = new Array<number>(P.inputs).fill(0);
    let first = 0;
    const inputs: Record<string, number>[] = [];
    const model: Record<string, bigint>[] = [];
    let worstWait = 0;
    for (let c = 0; c < 5000; c++) {
      for (let i = 0; i < P.inputs; i++) if (offered[i] === undefined && rng.chance(0.4)) offered[i] = rng.int(0, 0xfff);
      const outReady = rng.chance(0.7);
      const cyc: Record<string, number> = { out_ready: outReady ? 1 : 0 };
      offered.forEach((v, i) => {
        cyc[`in_${i}_valid`] = v === undefined ? 0 : 1;
        cyc[`in_${i}_bits`] = v ?? 0;
      });
      inputs.push(cyc);
      let grant = -1;
      for (let k = 0; k < P.inputs && grant < 0; k++) if (offered[(first + k) % P.inputs] !== undefined) grant = (first + k) % P.inputs;
      const row: Record<string, bigint> = { out_valid: BigInt(grant >= 0) };
      if (grant >= 0) {
        row.out_bits = BigInt(offered[grant]!);
        row.chosen = BigInt(grant);
      }
      for (let i = 0; i < P.inputs; i++) row[`in_${i}_ready`] = BigInt(grant === i && outReady);
      model.push(row);
      if (grant >= 0 && outReady) {
        offered[grant] = undefined;
        waited[grant] = 0;
        first = (grant + 1) % P.inputs;
        for (let i = 0; i < P.inputs; i++) {
          if (offered[i] !== undefined) worstWait = Math.max(worstWait, (waited[i] = waited[i]! + 1));
        }
      }
    }
    const outs = ['out_valid', 'out_bits', 'chosen', ...Array.from({ length: P.inputs }, (_, i) => `in_${i}_ready`)];
    expectSameTrace(await runCycles(sim(), inputs, outs), model, `seed ${rng.seed}`);
    expect(worstWait).toBeLessThanOrEqual(P.inputs);
  });
});
