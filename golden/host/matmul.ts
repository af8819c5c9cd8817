// MatMul (numpy matmul: batched, broadcasting, 1-D operands) and Gemm.
import { attrFloat, attrInt, required } from './attrs.js';
import { broadcastData, broadcastShapes } from './broadcast.js';
import type { HostOp, OpCall, ShapeCall } from './call.js';
import { HostOpError, sizeOf, type Tensor } from './tensor.js';

interface MatMulGeometry {
  /** Broadcast batch shape, then M, K, N of each matrix product. */
  batch: number[];
  m: number;
  k: number;
  n: number;
  out: number[];
}

function matmulGeometry(a: readonly number[], b: readonly number[]): MatMulGeometry {
  if (a.length === 0 || b.length === 0) throw new HostOpError('MatMul: scalar operands are not allowed (inputs must have rank >= 1)');
  // numpy: a 1-D A is a row [1, K], a 1-D B a column [K, 1]; that 1 is dropped from the result.
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  const [m, k] = [a2[a2.length - 2]!, a2[a2.length - 1]!];
  const [k2, n] = [b2[b2.length - 2]!, b2[b2.length - 1]!];
  if (k !== k2) throw new HostOpError(`MatMul: inner dimensions differ: A [${a.join(',')}] and B [${b.join(',')}]`);
  const batch = broadcastShapes('MatMul', [a2.slice(0, -2), b2.slice(0, -2)]);
  const out = [...batch, ...(a.length === 1 ? [] : [m]), ...(b.length === 1 ? [] : [n])];
  return { batch, m, k, n, out };
}

/** C[i, j] = sum_k A[i, k] B[k, j] over one batch element, at the given offsets. */
function gemmKernel(A: Float64Array, ao: number, B: Float64Array, bo: number, C: Float64Array, co: number, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = A[ao + i * k + p]!;
      const bRow = bo + p * n;
      const cRow = co + i * n;
      for (let j = 0; j < n; j++) C[cRow + j] = C[cRow + j]! + av * B[bRow + j]!;
    }
  }
}

function matmulRun(c: OpCall): Tensor[] {
  const a = required(c.op, c.inputs, 0, 'A');
  const b = required(c.op, c.inputs, 1, 'B');
  const g = matmulGeometry(a.shape, b.shape);
  // Stretch both operands over the broadcast batch so every batch element has its own matrices.
  const aFull = broadcastData({ shape: a.shape.length === 1 ? [1, a.shape[0]!] : a.shape, data: a.data }, [...g.batch, g.m, g.k]);
  const bFull = broadcastData({ shape: b.shape.length === 1 ? [b.shape[0]!, 1] : b.shape, data: b.data }, [...g.batch, g.k, g.n]);
  const out = new Float64Array(sizeOf(g.out));
  for (let e = 0; e < sizeOf(g.batch); e++) gemmKernel(aFull, e * g.m * g.k, bFull, e * g.k * g.n, out, e * g.m * g.n, g.m, g.k, g.n);
  return [{ shape: g.out, data: out }];
}

/** A 2-D operand in row-major order, transposed when asked. */
function matrix(op: string, t: Tensor, what: string, trans: boolean): { rows: number; cols: number; data: Float64Array } {
  if (t.shape.length !== 2) throw new HostOpError(`${op}: input ${what} has shape [${t.shape.join(',')}] but must be 2-D`);
  const [r, c] = [t.shape[0]!, t.shape[1]!];
  if (!trans) return { rows: r, cols: c, data: t.data };
  const data = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) data[j * r + i] = t.data[i * c + j]!;
  return { rows: c, cols: r, data };
}

function gemmShapes(c: ShapeCall): number[][] {
  const a = required(c.op, c.inputShapes, 0, 'A');
  const b = required(c.op, c.inputShapes, 1, 'B');
  if (a.length !== 2 || b.length !== 2) throw new HostOpError(`Gemm: A [${a.join(',')}] and B [${b.join(',')}] must be 2-D`);
  const [m, ka] = attrInt(c.op, c.attrs, 'transA', 0) ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
  const [kb, n] = attrInt(c.op, c.attrs, 'transB', 0) ? [b[1]!, b[0]!] : [b[0]!, b[1]!];
  if (ka !== kb) throw new HostOpError(`Gemm: inner dimensions differ: A' is [${m},${ka}] and B' is [${kb},${n}]`);
  const cs = c.inputShapes[2];
  if (cs && broadcastShapes('Gemm', [cs, [m, n]]).join() !== `${m},${n}`) throw new HostOpError(`Gemm: C [${cs.join(',')}] does not broadcast to [${m},${n}]`);
  return [[m, n]];
}

function gemmRun(c: OpCall): Tensor[] {
  const [shape] = gemmShapes({ ...c, inputShapes: c.inputs.map((t) => t?.shape ?? null), constInputs: [] }) as [number[]];
  const a = matrix(c.op, required(c.op, c.inputs, 0, 'A'), 'A', attrInt(c.op, c.attrs, 'transA', 0) === 1);
  const b = matrix(c.op, required(c.op, c.inputs, 1, 'B'), 'B', attrInt(c.op, c.attrs, 'transB', 0) === 1);
  const alpha = attrFloat(c.op, c.attrs, 'alpha', 1);
  const beta = attrFloat(c.op, c.attrs, 'beta', 1);
  const out = new Float64Array(a.rows * b.cols);
  gemmKernel(a.data, 0, b.data, 0, out, 0, a.rows, a.cols, b.cols);
  const bias = c.inputs[2] ? broadcastData(c.inputs[2], shape) : null;
  for (let i = 0; i < out.length; i++) out[i] = alpha * out[i]! + (bias ? beta * bias[i]! : 0);
  return [{ shape, data: out }];
}

export const MATMUL_OPS: Readonly<Record<string, HostOp>> = {
  MatMul: { shapes: (c) => [matmulGeometry(required(c.op, c.inputShapes, 0, 'A'), required(c.op, c.inputShapes, 1, 'B')).out], run: matmulRun },
  Gemm: { shapes: gemmShapes, run: gemmRun },
};
