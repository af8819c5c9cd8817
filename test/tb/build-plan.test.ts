// What a Verilator build of the chip makes of its options, without building: hierarchical blocks
// by default, none when asked, and none for a waveform build (tb/README.md, "WAVES").
import { describe, expect, it } from 'vitest';
import { namedArchs } from '../../spec/archs.js';
import { EyerissTop, chipParamsFromArch } from '../../generator/eyeriss/chip/index.js';
import { resolveDesign } from '../../tb/design.js';
import { emitForSim } from '../../tb/dsl.js';
import { planOf } from '../../tb/verilator.js';

describe('Verilator build plan of the chip', () => {
  it('uses the cluster as a hierarchical block, except without hierarchy or with waves', async () => {
    const design = resolveDesign(await emitForSim(EyerissTop, chipParamsFromArch(namedArchs['small']!)));
    expect(design.hierBlocks).toHaveLength(1);
    expect(planOf(design, {}).hierBlocks).toEqual(design.hierBlocks);
    expect(planOf(design, { hierarchical: false }).hierBlocks).toEqual([]);
    expect(planOf(design, { waves: true })).toMatchObject({ waves: true, hierBlocks: [] });
  });
});
