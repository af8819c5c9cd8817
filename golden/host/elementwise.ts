// Element-wise operators: the four broadcasting arithmetic ops and the activations.
import { attrFloat, attrInt, required } from './attrs.js';
import { broadcastData, broadcastShapes } from './broadcast.js';
import type { HostOp, OpCall, ShapeCall } from './call.js';
import { HostOpError } from './tensor.js';

function binary(f: (a: number, b: number) => number): HostOp {
  const shapes = (c: ShapeCall): number[][] => [broadcastShapes(c.op, [required(c.op, c.inputShapes, 0, 'A'), required(c.op, c.inputShapes, 1, 'B')])];
  return {
    shapes,
    run(c) {
      const a = required(c.op, c.inputs, 0, 'A');
      const b = required(c.op, c.inputs, 1, 'B');
      const shape = broadcastShapes(c.op, [a.shape, b.shape]);
      const x = broadcastData(a, shape);
      const y = broadcastData(b, shape);
      const out = new Float64Array(x.length);
      for (let i = 0; i < out.length; i++) out[i] = f(x[i]!, y[i]!);
      return [{ shape, data: out }];
    },
  };
}

/** A one-input op whose per-element function may depend on the call (attributes, opset, extra constant inputs). */
function unary(make: (c: OpCall) => (x: number) => number): HostOp {
  return {
    shapes: (c) => [required(c.op, c.inputShapes, 0, 'X')],
    run(c) {
      const x = required(c.op, c.inputs, 0, 'X');
      const f = make(c);
      const out = new Float64Array(x.data.length);
      for (let i = 0; i < out.length; i++) out[i] = f(x.data[i]!);
      return [{ shape: [...x.shape], data: out }];
    },
  };
}

const identity = (x: number): number => x;

/** Clip's bounds: attributes before opset 11, optional scalar inputs from then on. */
function clipBounds(c: OpCall): [number, number] {
  if (c.opset < 11) return [attrFloat(c.op, c.attrs, 'min', -Infinity), attrFloat(c.op, c.attrs, 'max', Infinity)];
  const bound = (i: number, dflt: number): number => {
    const t = c.inputs[i];
    if (!t) return dflt;
    if (t.data.length !== 1) throw new HostOpError(`Clip: input ${i} (${i === 1 ? 'min' : 'max'}) must be a scalar, got shape [${t.shape.join(',')}]`);
    return t.data[0]!;
  };
  return [bound(1, -Infinity), bound(2, Infinity)];
}

// ONNX TensorProto.DataType codes Cast supports, and what each does to a float64 value.
const CAST_TO: Readonly<Record<number, (x: number) => number>> = {
  1: Math.fround, // FLOAT
  6: Math.trunc, // INT32
  7: Math.trunc, // INT64
  9: (x) => (x !== 0 ? 1 : 0), // BOOL
  11: identity, // DOUBLE
};

function castFn(c: OpCall): (x: number) => number {
  const to = attrInt(c.op, c.attrs, 'to', NaN);
  const f = CAST_TO[to];
  if (!f) throw new HostOpError(`Cast: to = ${to} is not supported (only 1 FLOAT, 6 INT32, 7 INT64, 9 BOOL, 11 DOUBLE)`);
  return f;
}

export const ELEMENTWISE_OPS: Readonly<Record<string, HostOp>> = {
  Add: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  Div: binary((a, b) => a / b),
  Neg: unary(() => (x) => -x),
  Relu: unary(() => (x) => (x > 0 ? x : 0)),
  LeakyRelu: unary((c) => {
    const alpha = attrFloat(c.op, c.attrs, 'alpha', 0.01);
    return (x) => (x >= 0 ? x : alpha * x);
  }),
  Sigmoid: unary(() => (x) => 1 / (1 + Math.exp(-x))),
  HardSigmoid: unary((c) => {
    const alpha = attrFloat(c.op, c.attrs, 'alpha', 0.2);
    const beta = attrFloat(c.op, c.attrs, 'beta', 0.5);
    return (x) => Math.max(0, Math.min(1, alpha * x + beta));
  }),
  HardSwish: unary(() => (x) => x * Math.max(0, Math.min(1, x / 6 + 0.5))),
  Clip: unary((c) => {
    const [lo, hi] = clipBounds(c);
    return (x) => Math.min(hi, Math.max(lo, x));
  }),
  Identity: unary(() => identity),
  // Inference: Dropout passes its input through (its mask output is not produced).
  Dropout: unary(() => identity),
  Cast: unary(castFn),
};
