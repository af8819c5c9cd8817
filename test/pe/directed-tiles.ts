// Hand-picked PE tiles (paper SPads) for the corners random tiles hit rarely: empty tiles and columns,
// full SPads, zero-run fillers, extreme values, psum wrap-around, the longest iact stream.
import type { PeTile } from '../../golden/pe/job.js';

interface Spec {
  m0: number;
  segLen: number;
  winSegs: number;
  strideSegs?: number;
  nWin: number;
  iact: (seg: number, pos: number) => number;
  weight: (row: number, col: number) => number;
  iactDense?: boolean;
  weightDense?: boolean;
  iactSigned?: boolean;

  psumIn?: (i: number) => number;
}

function tile(s: Spec): PeTile {
  const strideSegs = s.strideSegs ?? 1;
  const segs = (s.nWin - 1) * strideSegs + s.winSegs;
  const cols = s.segLen * s.winSegs;
  const data: number[] = [];
  for (let col = 0; col < cols; col++) for (let row = 0; row < s.m0; row++) data.push(s.weight(row, col));
  return {
    m0: s.m0,
    segLen: s.segLen,
    winSegs: s.winSegs,
    strideSegs,
    nWin: s.nWin,
    segments: Array.from({ length: segs }, (_, k) => Array.from({ length: s.segLen }, (_, pos) => s.iact(k, pos))),
    weights: { rows: s.m0, cols, data },
    iactDense: s.iactDense ?? false,
    weightDense: s.weightDense ?? false,
    iactSigned: s.iactSigned ?? false,
    keepWeights: false,
    keepPsums: false,
    psumIn: s.psumIn ? Array.from({ length: s.nWin * s.m0 }, (_, i) => s.psumIn!(i)) : undefined,
    psumOut: true,
  };
}

const hash = (a: number, b: number) => ((a * 73 + b * 151 + 17) % 255) + 1;
const someIact = (k: number, pos: number) => hash(k, pos);
const someWeight = (row: number, col: number) => hash(row, col) - 128 || 1;

export function directedTiles(): { name: string; tile: PeTile }[] {
  const t: { name: string; tile: PeTile }[] = [];
  const add = (name: string, s: Spec) => t.push({ name, tile: tile(s) });
  const base = { m0: 16, segLen: 4, winSegs: 3, nWin: 2 };
  add('all-zero iacts', { ...base, iact: () => 0, weight: someWeight });
  add('all-zero weights', { ...base, iact: someIact, weight: () => 0 });
  add('all-zero iacts and weights', { ...base, iact: () => 0, weight: () => 0 });
  add('all-zero dense iacts', { ...base, iactDense: true, iact: () => 0, weight: someWeight });
  add('all-zero dense weights', { ...base, weightDense: true, iact: someIact, weight: () => 0 });
  add('fully dense in CSC (full weight SRAM)', { ...base, iact: someIact, weight: someWeight });
  add('fully dense in dense modes', { ...base, iactDense: true, weightDense: true, iact: someIact, weight: someWeight });
  for (const [where, empty] of [
    ['start', (c: number) => c < 3],
    ['middle', (c: number) => c >= 4 && c < 8],
    ['end', (c: number) => c >= 9],
    ['alternate', (c: number) => c % 2 === 0],
  ] as const) {
    add(`empty weight columns at the ${where}`, { ...base, iact: someIact, weight: (r, c) => (empty(c) ? 0 : someWeight(r, c)) });
  }
  add('empty iact segments at start, middle and end', {
    ...base,
    nWin: 2,
    winSegs: 3,
    iact: (k, pos) => (k === 0 || k === 2 || k === 3 ? 0 : someIact(k, pos)),
    weight: someWeight,
  });
  add('15-value segments (longest compressed segment)', {
    m0: 2,
    segLen: 15,
    winSegs: 1,
    nWin: 16,
    iact: someIact,
    weight: someWeight,
  });
  add('dense 16-value segment', { m0: 2, segLen: 16, winSegs: 1, nWin: 16, iactDense: true, iact: someIact, weight: someWeight });
  add('nine one-value segments per window', { m0: 3, segLen: 1, winSegs: 9, nWin: 10, iact: someIact, weight: someWeight });
  add('longest iact stream: 32 windows x 9 segments at stride 9', {
    m0: 1,
    segLen: 1,
    winSegs: 9,
    strideSegs: 9,
    nWin: 32,
    iact: someIact,
    weight: someWeight,
  });
  add('stride 2 of 3 segments', { m0: 4, segLen: 5, winSegs: 3, strideSegs: 2, nWin: 8, iact: someIact, weight: someWeight });
  add('M0 = 32, full psum SPad, 96 words', { m0: 32, segLen: 6, winSegs: 1, nWin: 1, iact: someIact, weight: someWeight });
  add('dense weights, 96 words', { m0: 12, segLen: 8, winSegs: 2, nWin: 2, weightDense: true, iact: someIact, weight: someWeight });
  for (const row of [14, 15, 16, 17, 31]) {
    add(`zero run before row ${row} (filler pairs)`, {
      m0: 32,
      segLen: 3,
      winSegs: 1,
      nWin: 1,
      iact: someIact,
      weight: (r, c) => (r === row || (c === 1 && r === 0) ? someWeight(r, c) : 0),
    });
  }
  add('odd M0 (SIMD pad in every column)', { m0: 7, segLen: 2, winSegs: 2, nWin: 4, iact: someIact, weight: someWeight });
  add('M0 = 1', { m0: 1, segLen: 4, winSegs: 2, nWin: 8, iact: someIact, weight: someWeight });
  add('signed extremes', {
    m0: 8,
    segLen: 2,
    winSegs: 2,
    nWin: 4,
    iactSigned: true,
    iact: (k, p) => ((k + p) % 2 ? -128 : 127),
    weight: (r) => (r % 2 ? -128 : 127),
  });
  add('unsigned 255 x -128', { m0: 8, segLen: 4, winSegs: 2, nWin: 4, iact: () => 255, weight: () => -128 });
  add('psum wrap-around from psum_in', {
    m0: 4,
    segLen: 4,
    winSegs: 2,
    nWin: 2,
    iact: () => 255,
    weight: () => 127,
    psumIn: (i) => (i % 2 ? (1 << 19) - 1 : -(1 << 19)),
  });
  return t;
}
