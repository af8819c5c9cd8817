import { describe, expect, it } from 'vitest';
import { PAPER_FIGURES, meets, ratioTo } from '../../spec/paper-figures.js';

describe('published figures', () => {
  it('a range is met inside it and compared with its nearer end outside it', () => {
    const r = { from: 10, to: 20 };
    expect(ratioTo(r, 15)).toBe(1);
    expect(ratioTo(r, 5)).toBe(0.5);
    expect(ratioTo(r, 30)).toBe(1.5);
    expect(meets(r, ratioTo(r, 9))).toBe(true);
    expect(meets(r, ratioTo(r, 8))).toBe(false);
  });

  it('a lower bound is met only when reached, however far above', () => {
    const b = { atLeast: 0.85 };
    expect(meets(b, ratioTo(b, 0.84))).toBe(false);
    expect(meets(b, ratioTo(b, 5))).toBe(true);
    expect(meets(1470.6, ratioTo(1470.6, 1470.6 * 1.2))).toBe(false);
  });

  it('every figure names its source and holds a positive value', () => {
    for (const f of Object.values(PAPER_FIGURES)) {
      expect(f.source).not.toBe('');
      const p = f.paper;
      const lo = typeof p === 'number' ? p : 'atLeast' in p ? p.atLeast : p.from;
      expect(lo).toBeGreaterThan(0);
      if (typeof p === 'object' && 'from' in p) expect(p.to).toBeGreaterThan(p.from);
    }
  });
});
