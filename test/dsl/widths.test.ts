import { describe, expect, it } from 'vitest';
import { SInt, UInt, cat, defineModule, elaborate, lit, mux, slit, type Expr } from '../../generator/dsl/index.js';

/** Builds expressions inside a throwaway module and reports their types. */
function typesOf(f: (a: Expr, b: Expr, s: Expr, t: Expr) => Expr[]): string[] {
  let out: string[] = [];
  const def = defineModule('W', (m) => {
    const a = m.input('a', UInt(8));
    const b = m.input('b', UInt(5));
    const s = m.input('s', SInt(6));
    const t = m.input('t', SInt(10));
    out = f(a, b, s, t).map((e) => e.type.toString());
    m.output('y', UInt(1)).set(a.orR().or(b.orR()).or(s.orR()).or(t.orR()));
    return {};
  });
  elaborate(def, {});
  return out;
}

describe('width rules', () => {
  it('arithmetic', () => {
    expect(typesOf((a, b, s, t) => [a.add(b), a.sub(b), a.addWrap(b), a.subWrap(b), a.mul(b), s.mul(t), s.add(t)])).toEqual([
      'UInt<9>',
      'UInt<9>',
      'UInt<8>',
      'UInt<8>',
      'UInt<13>',
      'SInt<16>',
      'SInt<11>',
    ]);
  });
  it('bitwise, compare, reduce', () => {
    expect(typesOf((a, b, s) => [a.and(b), a.or(b), a.xor(b), a.not(), a.eq(b), s.lt(-3), a.orR()])).toEqual([
      'UInt<8>',
      'UInt<8>',
      'UInt<8>',
      'UInt<8>',
      'Bool',
      'Bool',
      'Bool',
    ]);
  });
  it('shifts, slices, extension, concatenation, mux', () => {
    expect(
      typesOf((a, b, s) => [
        a.shl(3),
        a.shr(3),
        a.shr(20),
        s.shr(2),
        a.dshr(b),
        a.bits(5, 2),
        a.bit(7),
        a.trunc(3),
        b.pad(12),
        s.pad(9),
        a.zext(9),
        b.sext(7),
        cat(a, b),
        mux(a.bit(0), a, b),
      ]),
    ).toEqual([
      'UInt<11>',
      'UInt<5>',
      'UInt<1>',
      'SInt<4>',
      'UInt<8>',
      'UInt<4>',
      'Bool',
      'UInt<3>',
      'UInt<12>',
      'SInt<9>',
      'UInt<9>',
      'SInt<7>',
      'UInt<13>',
      'UInt<8>',
    ]);
  });
  it('literals take the smallest width and the signedness of their partner', () => {
    expect(typesOf((a, _b, s) => [lit(5), slit(-5), a.add(300), s.add(-100)])).toEqual(['UInt<3>', 'SInt<4>', 'UInt<10>', 'SInt<9>']);
  });
  it('mixing UInt and SInt without a conversion is an error', () => {
    expect(() => typesOf((a, _b, s) => [a.add(s)])).toThrow(/cannot mix UInt<8> and SInt<6>; convert one with asSInt\(\)\/asUInt\(\)/);
    expect(() => typesOf((a) => [a.add(-1)])).toThrow(/negative literal -1 next to a UInt<8>/);
  });
  it('narrowing and widening helpers refuse the wrong direction', () => {
    expect(() => typesOf((a) => [a.trunc(9)])).toThrow(/would widen; use pad\(9\)/);
    expect(() => typesOf((a) => [a.pad(7)])).toThrow(/would narrow; use trunc\(7\)/);
    expect(() => typesOf((a) => [a.bits(8, 0)])).toThrow(/bits\(8, 0\) is out of range for a UInt<8>/);
  });
});
