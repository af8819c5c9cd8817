// Placement of iact classes on the GLB iact ports of one cluster.

/**
 * Which port feeds each class (lens[k][t]: class k's words at job step t), at most maxWays
 * classes per port, so that the longest port stream is shortest (then the sum of the streams).
 * A port's step lasts its classes x their longest message there (the classes are interleaved
 * word by word and padded to equal length), so classes of similar lengths belong together.
 * Local search (move one class, or swap two, while that improves) from two starts: the PE row
 * of each class's first PE (rowPort: one port per PE row), and the longest class first
 * to the port that grows least. Undefined when the classes do not fit the ports.
 */
export function bestPorts(lens: Float64Array[], ports: number, maxWays: number, rowPort: number[]): number[] | undefined {
  const nSteps = lens[0]?.length ?? 0;
  const portWords = (portOf: number[], q: number): number => {
    const on = lens.filter((_, k) => portOf[k] === q);
    let w = 0;
    for (let t = 0; t < nSteps; t++) {
      let longest = 0;
      for (const x of on) longest = Math.max(longest, x[t]!);
      w += on.length * longest;
    }
    return w;
  };
  const score = (portOf: number[]): [number, number] | undefined => {
    for (let q = 0; q < ports; q++) if (portOf.filter((x) => x === q).length > maxWays) return undefined;
    const words = Array.from({ length: ports }, (_, q) => portWords(portOf, q));
    return [Math.max(...words), words.reduce((a, v) => a + v, 0)];
  };
  const better = (a: [number, number] | undefined, b: [number, number] | undefined): boolean =>
    a !== undefined && (b === undefined || a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]));
  const total = (x: Float64Array): number => x.reduce((a, v) => a + v, 0);
  const greedy: number[] = new Array<number>(lens.length).fill(-1);
  for (const k of lens.map((_, k) => k).sort((a, b) => total(lens[b]!) - total(lens[a]!) || a - b)) {
    let best = -1;
    let bestWords = Infinity;
    for (let q = 0; q < ports; q++) {
      if (greedy.filter((x) => x === q).length >= maxWays) continue;
      greedy[k] = q;
      const w = portWords(greedy, q);
      if (w < bestWords) [best, bestWords] = [q, w];
    }
    if (best < 0) return undefined;
    greedy[k] = best;
  }
  let result: number[] | undefined;
  let resultScore: [number, number] | undefined;
  for (const start of [rowPort, greedy]) {
    let cur = [...start];
    let curScore = score(cur);
    for (let improved = true; improved;) {
      improved = false;
      const neighbours: number[][] = [];
      for (let k = 0; k < lens.length; k++) {
        for (let q = 0; q < ports; q++) if (q !== cur[k]) neighbours.push(cur.map((x, i) => (i === k ? q : x)));
        for (let i = k + 1; i < lens.length; i++) if (cur[i] !== cur[k]) neighbours.push(cur.map((x, j) => (j === k ? cur[i]! : j === i ? cur[k]! : x)));
      }
      for (const n of neighbours) {
        const sc = score(n);
        if (better(sc, curScore)) [cur, curScore, improved] = [n, sc, true];
      }
    }
    if (better(curScore, resultScore)) [result, resultScore] = [cur, curScore];
  }
  return result;
}
