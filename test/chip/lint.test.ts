import { describe, expect, it } from 'vitest';
import { elaborate } from '../../generator/dsl/index.js';
import { emitForSim } from '../../tb/dsl.js';
import { assertGatesPass, verilatorLint } from '../../tb/lint.js';
import { namedArchs } from '../../spec/archs.js';
import { Cluster, EyerissTop, PeShell, chipParamsFromArch, clusterParams, peShellParams } from '../../generator/eyeriss/chip/index.js';

const small = chipParamsFromArch(namedArchs.small!);

describe('chip Verilog', () => {
  it('the PE shell passes verilator -Wall and synthesizes without latches', async () => {
    const shell = await assertGatesPass(await emitForSim(PeShell, peShellParams(small)));
    // The PE alone is about 19k cells: a much smaller count means logic was optimized away.
    expect(shell.cells).toBeGreaterThan(15000);
  }, 600_000);

  // Yosys on a whole cluster takes over ten minutes on two cores: `npm run synth` does it, hierarchically.
  it('a cluster and the small chip top, and a 1x3 top with east/west routers, pass verilator -Wall', async () => {
    const wide = chipParamsFromArch({ ...namedArchs.small!, name: 'small-1x3', clusterCols: 3 });
    for (const d of [await emitForSim(Cluster, clusterParams(small)), await emitForSim(EyerissTop, small), await emitForSim(EyerissTop, wide)]) {
      const lint = await verilatorLint(d.files, d.top);
      expect(lint.messages, d.top).toEqual([]);
    }
  }, 600_000);

  it('rejects shapes it cannot build, naming the fix', () => {
    expect(() => elaborate(EyerissTop, { ...small, cols: 3 })).toThrow(
      /3 cluster columns.*set NocParams.eastWest \(nocParamsFromArch does for clusterCols > 2\)/,
    );
    expect(() => elaborate(EyerissTop, { ...small, glb: { ...small.glb, psumBanks: 3 } })).toThrow(/3 psum banks for 4 PE columns/);
  });
});
