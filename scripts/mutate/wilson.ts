// How far a sample's mutation score can be from the whole set's: the Wilson score interval, which
// stays inside [0, 1] and is not degenerate at a score of 100 %, where the plain normal one is.

/** The 95 % Wilson interval of a proportion of `hits` in `n` trials. */
export function wilson(hits: number, n: number, z = 1.959964): [number, number] {
  if (!Number.isInteger(hits) || !Number.isInteger(n) || n < 1 || hits < 0 || hits > n)
    throw new Error(`wilson: need 0 <= hits <= n, n >= 1 (got ${hits} of ${n})`);
  const p = hits / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
