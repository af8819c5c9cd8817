import { describe, expect, it } from 'vitest';
import { SramWrapper } from '../../generator/demos/index.js';
import { makeRng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { expectSameTrace, runCycles } from '../support/cycles.js';
import { useSimulator } from '../support/sim.js';

const P = { depth: 48, width: 20 };

describe('SramWrapper (SRAM primitive behind ready/valid) against its TypeScript model', () => {
  const sim = useSimulator(SramWrapper, P, 'sram-wrapper');

  it('random writes, reads and response backpressure, cycle-exact for 6000 cycles', async (ctx) => {
    const rng = makeRng(testSeed(ctx));
    await sim().reset();
    // Initialise every word first: an SRAM's power-up contents are undefined.
    const mem = Array.from({ length: P.depth }, () => rng.int(0, 2 ** P.width - 1));
    const init = mem.map((v, a) => ({ wr_en: 1, wr_addr: a, wr_data: v, req_valid: 0, req_bits: 0, rsp_ready: 0 }));
    await runCycles(sim(), init, []);

    let held = false;
    let rspData = 0;
    let offered: number | undefined;
    const inputs: Record<string, number>[] = [];
    const model: Record<string, bigint>[] = [];
    let responses = 0;
    for (let c = 0; c < 6000; c++) {
      if (offered === undefined && rng.chance(0.7)) offered = rng.int(0, P.depth - 1);
      const rspReady = rng.chance(0.6);
      const wr = rng.chance(0.3);
      const wrAddr = rng.int(0, P.depth - 1);
      const wrData = rng.int(0, 2 ** P.width - 1);
      inputs.push({
        req_valid: offered === undefined ? 0 : 1,
        req_bits: offered ?? 0,
        rsp_ready: rspReady ? 1 : 0,
        wr_en: wr ? 1 : 0,
        wr_addr: wrAddr,
        wr_data: wrData,
      });
      const reqReady = !held || rspReady;
      model.push({ req_ready: BigInt(reqReady), rsp_valid: BigInt(held), ...(held ? { rsp_bits: BigInt(rspData) } : {}) });
      if (held && rspReady) responses++;
      const issue = offered !== undefined && reqReady;
      // Read-first: a read and a write of the same address in one cycle return the old word.
      if (issue) {
        rspData = mem[offered!]!;
        held = true;
        offered = undefined;
      } else if (rspReady) held = false;
      if (wr) mem[wrAddr] = wrData;
    }
    expectSameTrace(await runCycles(sim(), inputs, ['req_ready', 'rsp_valid', 'rsp_bits']), model, `seed ${rng.seed}`);
    expect(responses).toBeGreaterThan(2000);
  });
});
