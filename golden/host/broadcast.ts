// numpy multidirectional broadcasting (ONNX "Broadcasting in ONNX"): shapes align at the back,
// and a dimension of 1 stretches to the other's size.
import { HostOpError, sizeOf, stridesOf, type Tensor } from './tensor.js';

export function broadcastShapes(op: string, shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i]!;
      if (d === out[o] || d === 1) continue;
      if (out[o] !== 1)
        throw new HostOpError(`${op}: shapes ${shapes.map((x) => `[${x.join(',')}]`).join(' and ')} cannot be broadcast (dimension ${o} differs)`);
      out[o] = d;
    }
  }
  return out;
}

/** `t`'s values laid out over `outShape`, which broadcastShapes accepted; no copy when the shapes already agree. */
export function broadcastData(t: Tensor, outShape: readonly number[]): Float64Array {
  const n = sizeOf(outShape);
  if (t.data.length === n && t.shape.length === outShape.length) return t.data;
  const rank = outShape.length;
  const inStrides = stridesOf(t.shape);
  // Stride 0 along every stretched or missing dimension reads the same value again.
  const strides = outShape.map((_, o) => {
    const i = o - (rank - t.shape.length);
    return i < 0 || t.shape[i] === 1 ? 0 : inStrides[i]!;
  });
  const out = new Float64Array(n);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let k = 0; k < n; k++) {
    out[k] = t.data[src]!;
    for (let d = rank - 1; d >= 0; d--) {
      src += strides[d]!;
      const next = idx[d]! + 1;
      if (next < outShape[d]!) {
        idx[d] = next;
        break;
      }
      src -= strides[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}
