import { Expr, cat, lit, mux, slit } from '../../generator/dsl/index.js';
import type { Rng } from '../../tb/seed.js';

/**
 * Random well-typed expression trees over given leaves, covering every operator and both
 * signednesses. Widths stay bounded so multiplies do not explode.
 */
export function randomExpr(rng: Rng, leaves: Expr[], depth: number): Expr {
  if (depth === 0 || below(rng, 4) === 0) return below(rng, 6) === 0 ? randomLit(rng) : leaves[below(rng, leaves.length)]!;
  const a = randomExpr(rng, leaves, depth - 1);
  const b = sameSign(randomExpr(rng, leaves, depth - 1), a);
  const pick = below(rng, 22);
  switch (pick) {
    case 0:
      return a.add(b);
    case 1:
      return a.sub(b);
    case 2:
      return a.addWrap(b);
    case 3:
      return a.subWrap(b);
    case 4:
      return a.width + b.width <= 80 ? a.mul(b) : a.xor(b);
    case 5:
      return a.and(b);
    case 6:
      return a.or(b);
    case 7:
      return a.not();
    case 8:
      return [a.eq(b), a.ne(b), a.lt(b), a.le(b), a.gt(b), a.ge(b)][below(rng, 6)]!;
    case 9:
      return a.shl(below(rng, 5));
    case 10:
      return a.shr(below(rng, a.width + 2));
    case 11:
      return a.dshr(b.asUInt().trunc(Math.min(b.width, 4)));
    case 12: {
      const lo = below(rng, a.width);
      return a.bits(lo + below(rng, a.width - lo), lo);
    }
    case 13:
      return a.trunc(1 + below(rng, a.width));
    case 14:
      return a.width < 90 ? a.pad(a.width + below(rng, 12)) : a;
    case 15:
      return mux(a.orR(), a, b);
    case 16:
      return cat(a, b.asUInt());
    case 17:
      return a.signed ? a.asUInt() : a.asSInt();
    case 18:
      return [a.orR(), a.andR(), a.xorR()][below(rng, 3)]!;
    case 19:
      return a.xor(b);
    case 20:
      return a.add(below(rng, 2) ? 3 : a.signed ? -5 : 200);
    default:
      return mux(a.bit(0), b, a);
  }
}

function sameSign(b: Expr, a: Expr): Expr {
  return a.signed === b.signed ? b : a.signed ? b.asSInt() : b.asUInt();
}

function randomLit(rng: Rng): Expr {
  const w = 1 + below(rng, 12);
  if (below(rng, 2)) return lit(BigInt(below(rng, 2 ** w)), w);
  return slit(BigInt(below(rng, 2 ** w)) - (1n << BigInt(w - 1)), w);
}

/** Uniform integer in 0..n-1. */
function below(rng: Rng, n: number): number {
  return rng.int(0, n - 1);
}
