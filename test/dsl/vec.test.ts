import { describe, expect, it } from 'vitest';
import { Bool, SInt, UInt, Vec, defineModule, elaborate } from '../../generator/dsl/index.js';
import { makeRng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { expectSameTrace, runCycles } from '../support/cycles.js';
import { useSimulator } from '../support/sim.js';

const DEPTH = 6;

/** A register file built from a Vec of registers with dynamic-index read and write. */
const VecRegs = defineModule('VecRegs', (m) => {
  const we = m.input('we', Bool());
  const waddr = m.input('waddr', UInt(3));
  const wdata = m.input('wdata', UInt(8));
  const raddr = m.input('raddr', UInt(3));
  const rdata = m.output('rdata', UInt(8));
  const regs = m.reg('regs', Vec(DEPTH, UInt(8)), { init: 0 });
  m.when(we, () => regs.write(waddr, wdata));
  rdata.set(regs.read(raddr));
  return { we, waddr, wdata, raddr, rdata };
});

describe('Vec dynamic read and write', () => {
  const sim = useSimulator(VecRegs, {}, 'vec-regs');

  it('match a register-file model over 3000 random cycles (out-of-range reads give the last element)', async (ctx) => {
    const rng = makeRng(testSeed(ctx));
    await sim().reset();
    const regs = Array<number>(DEPTH).fill(0);
    const inputs: Record<string, number>[] = [];
    const model: Record<string, bigint>[] = [];
    for (let c = 0; c < 3000; c++) {
      const cyc = { we: rng.chance(0.5) ? 1 : 0, waddr: rng.int(0, 7), wdata: rng.int(0, 255), raddr: rng.int(0, 7) };
      inputs.push(cyc);
      model.push({ rdata: BigInt(regs[Math.min(cyc.raddr, DEPTH - 1)]!) });
      if (cyc.we && cyc.waddr < DEPTH) regs[cyc.waddr] = cyc.wdata;
    }
    expectSameTrace(await runCycles(sim(), inputs, ['rdata']), model, `seed ${rng.seed}`);
  });

  it('a signed index is an error', () => {
    const Bad = defineModule('VecSigned', (m) => {
      const i = m.input('i', SInt(3));
      const v = m.wire('v', Vec(4, UInt(2)));
      for (const e of v) e.set(0);
      m.output('y', UInt(2)).set(v.read(i));
      return {};
    });
    expect(() => elaborate(Bad, {})).toThrow(/Vec\.read: the index must be a UInt, got SInt<3>/);
  });
});
