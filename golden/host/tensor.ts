// The host side's one data type: a float64 tensor in C order. ONNX integer tensors (shapes,
// indices) travel in it too; every integer an ONNX model holds is exact in a float64 up to 2^53.

export interface Tensor {
  shape: number[];
  data: Float64Array;
}

/** Thrown for anything the host operators refuse: the message names the op, the input or attribute, and what is supported. */
export class HostOpError extends Error {
  override name = 'HostOpError';
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, d) => a * d, 1);

/** A tensor of `shape`, zero-filled when `data` is omitted. */
export function tensor(shape: number[], data?: ArrayLike<number>): Tensor {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new HostOpError(`tensor: dimension ${d} of shape [${shape.join(',')}] is not a non-negative integer`);
  }
  const n = sizeOf(shape);
  if (data === undefined) return { shape: [...shape], data: new Float64Array(n) };
  if (data.length !== n) throw new HostOpError(`tensor: shape [${shape.join(',')}] holds ${n} values but ${data.length} were given`);
  return { shape: [...shape], data: Float64Array.from(data) };
}

/** Row-major strides of `shape`, in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** An axis in [-rank, rank) made non-negative; ONNX counts negative axes from the back. */
export function normAxis(op: string, what: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank)
    throw new HostOpError(`${op}: ${what} ${axis} is out of range for rank ${rank} (must be in [${-rank}, ${rank - 1}])`);
  return axis < 0 ? axis + rank : axis;
}
