// Ops that move values: Transpose, Concat, Gather, and Shape (which reads only the shape).
import { attrInt, attrInts, intValues, required } from './attrs.js';
import type { HostOp, OpCall, ShapeCall } from './call.js';
import { shapeCallOf } from './call.js';
import { HostOpError, normAxis, sizeOf, stridesOf, type Tensor } from './tensor.js';

function perm(c: ShapeCall, rank: number): number[] {
  const p = attrInts(c.op, c.attrs, 'perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  const sorted = [...p].sort((a, b) => a - b);
  if (p.length !== rank || sorted.some((v, i) => v !== i)) throw new HostOpError(`Transpose: perm [${p.join(',')}] is not a permutation of the ${rank} axes`);
  return p;
}

const transpose: HostOp = {
  shapes(c) {
    const x = required(c.op, c.inputShapes, 0, 'data');
    return [perm(c, x.length).map((a) => x[a]!)];
  },
  run(c) {
    const x = required(c.op, c.inputs, 0, 'data');
    const p = perm(shapeCallOf(c), x.shape.length);
    const shape = p.map((a) => x.shape[a]!);
    const inStrides = stridesOf(x.shape);
    const strides = p.map((a) => inStrides[a]!);
    const out = new Float64Array(x.data.length);
    const idx = new Array<number>(shape.length).fill(0);
    let src = 0;
    for (let k = 0; k < out.length; k++) {
      out[k] = x.data[src]!;
      for (let d = shape.length - 1; d >= 0; d--) {
        src += strides[d]!;
        const next = idx[d]! + 1;
        if (next < shape[d]!) {
          idx[d] = next;
          break;
        }
        src -= strides[d]! * shape[d]!;
        idx[d] = 0;
      }
    }
    return [{ shape, data: out }];
  },
};

function concatShapes(c: ShapeCall): number[][] {
  if (c.inputShapes.length === 0) throw new HostOpError('Concat: needs at least one input');
  const shapes = c.inputShapes.map((_, i) => required(c.op, c.inputShapes, i, `inputs[${i}]`));
  const first = shapes[0]!;
  const axis = normAxis(c.op, 'axis', attrInt(c.op, c.attrs, 'axis', NaN), first.length);
  for (const s of shapes) {
    if (s.length !== first.length || s.some((d, i) => i !== axis && d !== first[i])) {
      throw new HostOpError(`Concat: shapes ${shapes.map((x) => `[${x.join(',')}]`).join(', ')} differ outside axis ${axis}`);
    }
  }
  return [first.map((d, i) => (i === axis ? shapes.reduce((a, s) => a + s[axis]!, 0) : d))];
}

function concatRun(c: OpCall): Tensor[] {
  const [shape] = concatShapes(shapeCallOf(c)) as [number[]];
  const inputs = c.inputs as Tensor[];
  const axis = normAxis(c.op, 'axis', attrInt(c.op, c.attrs, 'axis', NaN), shape.length);
  const outer = sizeOf(shape.slice(0, axis));
  const out = new Float64Array(sizeOf(shape));
  let o = 0;
  // Each outer index takes one contiguous block from every input in turn.
  for (let i = 0; i < outer; i++) {
    for (const t of inputs) {
      const block = sizeOf(t.shape.slice(axis));
      out.set(t.data.subarray(i * block, (i + 1) * block), o);
      o += block;
    }
  }
  return [{ shape, data: out }];
}

function gatherShapes(c: ShapeCall): number[][] {
  const data = required(c.op, c.inputShapes, 0, 'data');
  const indices = required(c.op, c.inputShapes, 1, 'indices');
  if (data.length === 0) throw new HostOpError('Gather: data must have rank >= 1');
  const axis = normAxis(c.op, 'axis', attrInt(c.op, c.attrs, 'axis', 0), data.length);
  return [[...data.slice(0, axis), ...indices, ...data.slice(axis + 1)]];
}

function gatherRun(c: OpCall): Tensor[] {
  const [shape] = gatherShapes(shapeCallOf(c)) as [number[]];
  const data = c.inputs[0]!;
  const axis = normAxis(c.op, 'axis', attrInt(c.op, c.attrs, 'axis', 0), data.shape.length);
  const dim = data.shape[axis]!;
  const indices = intValues(c.op, 'indices', c.inputs[1]!).map((j) => {
    if (j < -dim || j >= dim) throw new HostOpError(`Gather: indices out of range: ${j} on an axis of size ${dim} (must be in [${-dim}, ${dim - 1}])`);
    return j < 0 ? j + dim : j;
  });
  const inner = sizeOf(data.shape.slice(axis + 1));
  const outer = sizeOf(data.shape.slice(0, axis));
  const out = new Float64Array(sizeOf(shape));
  let o = 0;
  for (let i = 0; i < outer; i++) {
    for (const j of indices) {
      const from = (i * dim + j) * inner;
      out.set(data.data.subarray(from, from + inner), o);
      o += inner;
    }
  }
  return [{ shape, data: out }];
}

/** Shape (opset 15 adds start/end, clamped like a Python slice). */
function shapeSlice(c: ShapeCall): number[] {
  const x = required(c.op, c.inputShapes, 0, 'data');
  const r = x.length;
  const clamp = (v: number): number => Math.min(r, Math.max(0, v < 0 ? v + r : v));
  return x.slice(clamp(attrInt(c.op, c.attrs, 'start', 0)), clamp(attrInt(c.op, c.attrs, 'end', r)));
}

const shapeOp: HostOp = {
  shapes: (c) => [[shapeSlice(c).length]],
  run(c) {
    const dims = shapeSlice(shapeCallOf(c));
    return [{ shape: [dims.length], data: Float64Array.from(dims) }];
  },
};

export const LAYOUT_OPS: Readonly<Record<string, HostOp>> = {
  Transpose: transpose,
  Concat: { shapes: concatShapes, run: concatRun },
  Gather: { shapes: gatherShapes, run: gatherRun },
  Shape: shapeOp,
};
