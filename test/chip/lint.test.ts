import { describe, expect, it } from 'vitest';
import { elaborate } from '../../generator/dsl/index.js';
import { emitForSim } from '../../tb/dsl.js';
import { assertLintCleanWithoutLatches, verilatorLint } from '../../tb/lint.js';
import { namedArchs } from '../../spec/archs.js';
import { EyerissTop, PeShell, chipParamsFromArch, peShellParams } from '../../generator/eyeriss/chip/index.js';

const small = chipParamsFromArch(namedArchs.small!);

describe('chip Verilog', () => {
  // The shell's full synthesis (the same Verilog for the small and the paper chip), its cell count and flip-flops, is
  // test/golden/energy.test.ts's; yosys proc finds any latch here, SRAM included, in seconds.
  it('the PE shell passes verilator -Wall and infers no latches', async () => {
    await assertLintCleanWithoutLatches(await emitForSim(PeShell, peShellParams(small)));
  }, 600_000);

  // Yosys on a whole cluster takes over ten minutes on two cores: `npm run synth` does it, hierarchically.
  // The small chip's cluster and top are rtl-out/small's eyeriss_cluster and eyeriss_chip, which test/handoff lints (verilator -F -Wall).
  it('a 1x3 top with east/west routers passes verilator -Wall', async () => {
    const wide = chipParamsFromArch({ ...namedArchs.small!, name: 'small-1x3', clusterCols: 3 });
    const d = await emitForSim(EyerissTop, wide);
    const lint = await verilatorLint(d.files, d.top);
    expect(lint.messages, d.top).toEqual([]);
    expect(lint.ok).toBe(true);
  }, 600_000);

  it('rejects shapes it cannot build, naming the fix', () => {
    expect(() => elaborate(EyerissTop, { ...small, cols: 3 })).toThrow(
      /3 cluster columns.*set NocParams.eastWest \(nocParamsFromArch does for clusterCols > 2\)/,
    );
    expect(() => elaborate(EyerissTop, { ...small, glb: { ...small.glb, psumBanks: 3 } })).toThrow(/3 psum banks for 4 PE columns/);
  });
});
