import { describe, expect, it } from 'vitest';
import { blockCount, findNode, nand2Eq, parseHierStat } from '../../tb/synth.js';

// A trimmed capture of yosys 0.x `stat` on a two-level design with an SRAM blackbox.
const STAT = `
=== Leaf ===

   Number of wires:                 10
   Number of cells:                  5
     $_AND_                          2
     $_DFF_P_                        1
     $_NAND_                         1
     SRAM_d8_w4                      1

=== Top ===

   Number of wires:                 20
   Number of cells:                  4
     $_DFFE_PP_                      1
     $_XOR_                          1
     Leaf                            2

=== design hierarchy ===

   Top                               1
     Leaf                            2

   Number of wires:                 40
   Number of cells:                 12
     $_AND_                          4
     SRAM_d8_w4                      2
`;

describe('yosys stat parser', () => {
  const p = parseHierStat(STAT);
  it('reads modules and the hierarchy tree, not the totals after it', () => {
    expect(p.modules.get('Leaf')?.cells).toEqual({ $_AND_: 2, $_DFF_P_: 1, $_NAND_: 1, SRAM_d8_w4: 1 });
    expect(p.tree).toEqual({ name: 'Top', count: 1, children: [{ name: 'Leaf', count: 2, children: [] }] });
  });
  it('sums own counts times instance counts, SRAMs as macros', () => {
    const top = blockCount(p, p.tree!, (m) => m.startsWith('SRAM_'));
    expect(top.cells).toBe(2 + 2 * 4);
    expect(top.flipFlopBits).toBe(1 + 2);
    expect(top.nand2).toBe(7 + 3 + 2 * (1.5 * 2 + 4 + 1));
    expect(top.macros).toEqual({ SRAM_d8_w4: 2 });
    expect(findNode(p.tree!, 'Leaf')?.count).toBe(2);
  });
  it('knows NAND2 figures of the flip-flop flavours', () => {
    expect(nand2Eq('$_SDFFE_PP0P_')).toBe(8.5);
    expect(nand2Eq('$_SDFF_PP0_')).toBe(5.5);
    expect(nand2Eq('$_DFFE_PN_')).toBe(7);
    expect(nand2Eq('$_FOO_')).toBeUndefined();
  });
});
