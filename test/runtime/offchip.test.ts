// Off-chip bytes from the words the harness counted (runtime/rtl/offchip.ts): each stream's
// words times its port width, packed; control apart from the data total.
import { describe, expect, it } from 'vitest';
import { paperArch } from '../../spec/arch.js';
import { chipParamsFromArch, cmdWidth } from '../../spec/chip/format.js';
import { addOffchipBytes, noOffchipWords, offchipBytes, offchipWordBits } from '../../runtime/rtl/offchip.js';

const p = chipParamsFromArch(paperArch);

describe('off-chip bytes', () => {
  it('packs each stream at its port width and keeps control out of the total', () => {
    const bits = offchipWordBits(p, false);
    expect(bits.iact).toBe(paperArch.noc.iactPortBits);
    expect(bits.output).toBe(p.noc.psumWidth);
    expect(offchipWordBits(p, true).output, 'requantized: one byte per psum lane').toBe(8 * p.pe.psumLanes);
    expect(bits.cmd).toBe(cmdWidth(p));
    const b = offchipBytes(p, { cfg: 3, cmd: 5, iact: 1000, weight: 7, psum_in: 0, output: 3, scale: 0 }, false);
    expect(b.iact).toBe(Math.ceil((1000 * bits.iact) / 8));
    expect(b.weight).toBe(Math.ceil((7 * bits.weight) / 8));
    expect(b.output).toBe(Math.ceil((3 * bits.output) / 8));
    expect(b.psum_in).toBe(0);
    expect(b.total).toBe(b.iact + b.weight + b.output);
    expect(b.control).toBe(Math.ceil((3 * bits.cfg) / 8) + Math.ceil((5 * bits.cmd) / 8));
  });

  it('no words are no bytes, and sums add field by field', () => {
    const zero = offchipBytes(p, noOffchipWords(), true);
    expect(Object.values(zero).every((v) => v === 0)).toBe(true);
    const one = offchipBytes(p, { ...noOffchipWords(), iact: 8, psum_in: 2 }, false);
    expect(addOffchipBytes(one, one)).toEqual({ iact: 2 * one.iact, weight: 0, psum_in: 2 * one.psum_in, output: 0, total: 2 * one.total, control: 0 });
  });
});
