// The FPGA report's parsing and harness (tb/fpga.ts): the numbers docs/synth.md quotes come from these.
import { describe, expect, it } from 'vitest';
import { fmaxHarness, parseFmax, xilinxResources } from '../../tb/fpga.js';

describe('synth_xilinx cell classes', () => {
  it('counts LUTs, LUT-RAM in LUTs, flip-flops, BRAM in RAMB36 units and keeps the rest apart', () => {
    const r = xilinxResources({
      LUT2: 10,
      LUT6: 5,
      RAM32M: 3,
      RAM64X1D: 2,
      SRLC32E: 1,
      FDRE: 40,
      FDSE: 2,
      RAMB18E1: 3,
      RAMB36E1: 1,
      DSP48E1: 2,
      CARRY4: 7,
      MUXF7: 4,
    });
    expect(r).toEqual({ luts: 15, lutram: 12 + 4 + 1, flipFlops: 42, bram36: 2.5, dsp: 2, carry4: 7, other: { MUXF7: 4 } });
  });
});

describe('nextpnr-ice40 log', () => {
  it('takes the last (post-route) Fmax of the clock', () => {
    const log = [
      "Info: Max frequency for clock 'clk$SB_IO_IN_$glb_clk': 71.03 MHz (PASS at 12.00 MHz)",
      'Info: Routing..',
      "Info: Max frequency for clock 'clk$SB_IO_IN_$glb_clk': 64.50 MHz (PASS at 12.00 MHz)",
    ].join('\n');
    expect(parseFmax(log)).toBe(64.5);
    expect(parseFmax('ERROR: Unable to place cell')).toBeUndefined();
  });
});

describe('the three-pin harness', () => {
  it('feeds every input bit but the clock from the shift register and XORs every output bit', () => {
    const v = fmaxHarness(
      'blk',
      [
        { name: 'clock', direction: 'input', width: 1 },
        { name: 'a', direction: 'input', width: 3 },
        { name: 'b', direction: 'input', width: 1 },
        { name: 'y', direction: 'output', width: 4 },
        { name: 'z', direction: 'output', width: 1 },
      ],
      'clock',
    );
    expect(v).toContain('reg [3:0] sh;');
    expect(v).toContain('.clock(clk)');
    expect(v).toContain('.a(sh[2:0])');
    expect(v).toContain('.b(sh[3:3])');
    expect(v).toContain('q <= ^o_y ^ ^o_z;');
  });
});
