import { describe, expect, it } from 'vitest';
import { elaborate } from '../../generator/dsl/index.js';
import { emitForSim } from '../../tb/dsl.js';
import { verilatorLint, yosysSynth } from '../../tb/lint.js';
import { SparsePe } from '../../generator/eyeriss/pe/pe.js';
import { paperPeParams, peParamsFromArch } from '../../generator/eyeriss/pe/params.js';
import { smallPeArch } from './smallArch.js';

describe('sparse PE Verilog', () => {
  for (const [name, params] of [['paper', paperPeParams], ['small', peParamsFromArch(smallPeArch)]] as const) {
    it(`passes verilator -Wall and synthesizes without latches (${name} SPads)`, async () => {
      const design = await emitForSim(SparsePe, params);
      const lint = await verilatorLint(design.files, design.top);
      expect(lint.messages).toEqual([]);
      expect(lint.ok).toBe(true);
      const synth = await yosysSynth(design.files, design.top);
      expect(synth.messages).toEqual([]);
      expect(synth.latches).toBe(0);
      expect(synth.ok).toBe(true);
      // 2 x 32 x 20 psum flops alone exceed 1000 cells: a much smaller count means logic was optimized away.
      expect(synth.cells).toBeGreaterThan(5000);
    });
  }

  it('rejects SPad sizes it cannot build, naming the parameter', () => {
    expect(() => elaborate(SparsePe, { ...paperPeParams, iactDataDepth: 12 })).toThrow(/iactDataDepth=12 must be a power of two/);
    expect(() => elaborate(SparsePe, { ...paperPeParams, weightAddrWidth: 6 })).toThrow(/weightAddrWidth=6 cannot hold the end pointer 96/);
  });
});
