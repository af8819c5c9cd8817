// A layer's shape in one short cell, for the tables of a run (layers.md, layers.csv, report.html).
import type { Layer } from '../golden/layers.js';

/** e.g. "C16 M32 8x8 k3x3 s2 p1 g16"; N, stride, padding and groups only when not 1/0. */
export function shapeText(l: Layer): string {
  const parts = [`C${l.C}`, `M${l.M}`, `${l.H}x${l.W}`, `k${l.R}x${l.S}`];
  if (l.N !== 1) parts.unshift(`N${l.N}`);
  if (l.stride !== 1) parts.push(`s${l.stride}`);
  if (l.padding !== 0) parts.push(`p${l.padding}`);
  if (l.groups !== 1) parts.push(`g${l.groups}`);
  return parts.join(' ');
}
