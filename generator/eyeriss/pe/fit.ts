import type { Expr } from '../../dsl/index.js';

/** Resizes to exactly `w` bits: truncates or extends by the value's signedness, for index arithmetic whose range the config check bounds. */
export function fit(e: Expr, w: number): Expr {
  return e.width >= w ? e.trunc(w) : e.pad(w);
}
