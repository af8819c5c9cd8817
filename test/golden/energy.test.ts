import { describe, expect, it } from 'vitest';
import { paperArch } from '../../spec/arch.js';
import { CLUSTER_LOGIC_FLOPS, ENERGY_65NM, layerEnergy, peFlops, peRegSpadBits } from '../../golden/energy.js';
import { chipParamsFromArch, PeShell, peShellParams } from '../../generator/eyeriss/chip/index.js';
import { emitForSim } from '../../tb/dsl.js';
import { flipFlops, yosysSynth } from '../../tb/lint.js';
import { zeroCounts } from '../../golden/chip-model.js';

describe('energy model: clock', () => {
  it("the PE flip-flops it clocks are the generated PE's, counted by yosys with the SRAMs kept as macros", async () => {
    expect(peRegSpadBits(paperArch)).toBe(9 * 4 + 16 * 12 + 16 * 7 + 32 * 20);
    const d = await emitForSim(PeShell, peShellParams(chipParamsFromArch(paperArch)));
    const r = await yosysSynth(d.files, d.top, { blackbox: ['SRAM_*'] });
    expect(r.messages).toEqual([]);
    // This is also the shell's synthesis gate (test/chip/lint and test/pe/lint lint it and look for latches with yosys proc):
    // no latch, and the PE's logic kept: it is about 17k cells, so a much smaller count means logic was optimized away.
    expect(r.latches).toBe(0);
    expect(r.cells).toBeGreaterThan(15000);
    // A generator change that adds or removes PE state must show up in the energy model too.
    expect(flipFlops(r)).toBe(peFlops(paperArch));
  }, 120_000);

  it('clock energy = (clocked PE cycles x PE flops + cycles x clusters x cluster flops) x energy per flop', () => {
    const zero = zeroCounts();
    const e = layerEnergy({ ...zero, cycles: 1000, peClockCycles: 50_000 }, paperArch);
    const clusters = paperArch.clusterRows * paperArch.clusterCols;
    expect(e.clockPJ).toBeCloseTo((50_000 * peFlops(paperArch) + 1000 * clusters * CLUSTER_LOGIC_FLOPS) * ENERGY_65NM.flopClockPJ, 6);
    expect(e.macPJ + e.spadPJ + e.nocPJ + e.glbPJ).toBe(0);
  });
});
