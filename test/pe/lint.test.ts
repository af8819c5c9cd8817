import { describe, expect, it } from 'vitest';
import { elaborate } from '../../generator/dsl/index.js';
import { emitForSim } from '../../tb/dsl.js';
import { assertGatesPass, assertLintCleanWithoutLatches } from '../../tb/lint.js';
import { SparsePe } from '../../generator/eyeriss/pe/pe.js';
import { paperPeParams, peParamsFromArch } from '../../spec/pe/params.js';
import { smallPeArch } from './small-arch.js';

describe('sparse PE Verilog', () => {
  // The paper PE is the one inside the chip's PE shell, which test/golden/energy.test.ts synthesizes in full (cell count
  // and flip-flops): here Verilator's lint and yosys proc's latches on the PE alone.
  it('passes verilator -Wall and infers no latches (paper SPads)', async () => {
    await assertLintCleanWithoutLatches(await emitForSim(SparsePe, paperPeParams));
  });

  it('passes verilator -Wall and synthesizes without latches (small SPads)', async () => {
    const synth = await assertGatesPass(await emitForSim(SparsePe, peParamsFromArch(smallPeArch)));
    // 2 x 32 x 20 psum flops alone exceed 1000 cells: a much smaller count means logic was optimized away.
    expect(synth.cells).toBeGreaterThan(5000);
  });

  it('rejects SPad sizes it cannot build, naming the parameter', () => {
    expect(() => elaborate(SparsePe, { ...paperPeParams, iactDataDepth: 12 })).toThrow(/iactDataDepth=12 must be a power of two/);
    expect(() => elaborate(SparsePe, { ...paperPeParams, weightAddrWidth: 6 })).toThrow(/weightAddrWidth=6 cannot hold the end pointer 96/);
    expect(() => elaborate(SparsePe, { ...paperPeParams, psumLanes: 33 })).toThrow(/psumLanes=33 exceeds psumDepth=32/);
  });
});
