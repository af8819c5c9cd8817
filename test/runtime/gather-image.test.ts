// A dependent chain's memory image (runtime/rtl/system/image.ts): the gathered layer's entry list
// names the previous layer's output bytes, and chains the chip cannot gather are refused before
// anything runs.
import { describe, expect, it } from 'vitest';
import { namedArchs } from '../../spec/archs.js';
import { chipParamsFromArch } from '../../spec/chip/format.js';
import { systemParamsFor } from '../../spec/system.js';
import { GATHER_CONST_BIT } from '../../spec/axi.js';
import { makeLayer } from '../../golden/layers.js';
import { generateLayerData } from '../../golden/random.js';
import { buildProgram } from '../../runtime/rtl/program.js';
import { buildImage } from '../../runtime/rtl/system/image.js';

const arch = namedArchs.small!;
const sys = systemParamsFor(chipParamsFromArch(arch));
const a = makeLayer({ name: 'a', type: 'pointwise', C: 4, M: 6, H: 4, W: 4 });
const b = makeLayer({ name: 'b', type: 'depthwise', C: 6, M: 6, H: 4, W: 4, R: 3, S: 3, padding: 1, iactSigned: false });
const data = (l: typeof a, seed: number) => generateLayerData(l, { iact: 1, weight: 1 }, seed);
const relu = { activation: 'relu' as const, shift: 6 };

describe('the image of a dependent chain', () => {
  it("has one entry per slot of the gathered layer's iact region, each a constant or a byte of the previous outputs", () => {
    const progs = [
      buildProgram(a, data(a, 1), arch, undefined, { requant: relu }),
      buildProgram(b, data(b, 2), arch, undefined, { requant: relu, gather: true }),
    ];
    const img = buildImage(sys, progs);
    const g = img.layers[1]!.gather!;
    expect(g.entries).toBe(g.words);
    const outs = img.layers[0]!.outputs.flat().filter((r) => r.words > 0);
    const inOutputs = (addr: number): boolean => outs.some((r) => addr >= r.addr && addr < r.addr + 4 * r.words);
    const desc = (img.layers[1]!.descAddr - img.base) / 4;
    const list = (img.memory[desc + 9]! - img.base) / 4;
    expect([img.memory[desc + 10], img.memory[desc + 11]]).toEqual([g.entries, g.dst]);
    let bytes = 0;
    for (let i = 0; i < 2 * g.entries; i++) {
      const src = img.memory[list + i]!;
      if ((src >>> GATHER_CONST_BIT) & 1) continue;
      bytes++;
      expect(inOutputs(src), `entry slot ${i} reads 0x${src.toString(16)}`).toBe(true);
    }
    // Every input value is read at least once (3x3 windows read most of them several times).
    expect(bytes).toBeGreaterThanOrEqual(6 * 16);
    // The region is zeros until the chip writes it.
    expect(img.memory.slice((g.dst - img.base) / 4, (g.dst - img.base) / 4 + g.words).every((w) => w === 0)).toBe(true);
  });

  it('refuses a first layer that gathers, raw outputs before a gathered layer, a shape mismatch and int8 iacts', () => {
    const first = buildProgram(a, data(a, 1), arch, undefined, { requant: relu });
    const gathered = buildProgram(b, data(b, 2), arch, undefined, { requant: relu, gather: true });
    expect(() => buildImage(sys, [gathered])).toThrow(/first layer of a chain has no previous outputs/);
    expect(() => buildImage(sys, [buildProgram(a, data(a, 1), arch), gathered])).toThrow(/'a' before it sends raw psums: give it a requant/);
    const wide = makeLayer({ name: 'wide', type: 'depthwise', C: 8, M: 8, H: 4, W: 4, R: 3, S: 3, padding: 1, iactSigned: false });
    expect(() => buildImage(sys, [first, buildProgram(wide, data(wide, 3), arch, undefined, { requant: relu, gather: true })])).toThrow(
      /'wide' takes 1x8x4x4 iacts \(NCHW\), but 'a' before it gives 1x6x4x4 outputs/,
    );
    const signed = makeLayer({ ...b, name: 'signed', iactSigned: true });
    expect(() =>
      buildImage(sys, [first, buildProgram(signed, generateLayerData(signed, { iact: 0.5, weight: 1 }, 4), arch, undefined, { requant: relu, gather: true })]),
    ).toThrow(/takes int8 iacts/);
  });
});
