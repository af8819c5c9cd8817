import { describe, expect, it } from 'vitest';
import { wilson } from '../../scripts/mutate/wilson.js';

describe('wilson', () => {
  it('gives the textbook 95 % intervals', () => {
    const near = ([a, b]: [number, number], lo: number, hi: number) => {
      expect(a).toBeCloseTo(lo, 4);
      expect(b).toBeCloseTo(hi, 4);
    };
    near(wilson(5, 10), 0.2366, 0.7634);
    near(wilson(0, 10), 0, 0.2775);
    near(wilson(16, 16), 0.8064, 1);
  });

  it('narrows as the sample grows, and refuses counts that are no proportion', () => {
    const width = (n: number) => {
      const [a, b] = wilson(Math.round(0.95 * n), n);
      return b - a;
    };
    expect(width(400)).toBeLessThan(width(100));
    expect(() => wilson(3, 2)).toThrow(/hits <= n/);
    expect(() => wilson(0, 0)).toThrow(/n >= 1/);
  });
});
