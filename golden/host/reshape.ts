// Ops that change only the shape, never the order of the values: Flatten, Reshape, Squeeze, Unsqueeze.
import { attrInt, attrInts, intValues, required, requiredConst } from './attrs.js';
import type { HostOp, ShapeCall } from './call.js';
import { shapeCallOf } from './call.js';
import { HostOpError, normAxis, sizeOf } from './tensor.js';

/** A HostOp from its shape rule alone: the data is copied as it is. */
function reshaping(shape: (c: ShapeCall) => number[]): HostOp {
  return {
    shapes: (c) => [shape(c)],
    run(c) {
      const x = required(c.op, c.inputs, 0, 'data');
      return [{ shape: shape(shapeCallOf(c)), data: x.data.slice() }];
    },
  };
}

function flatten(c: ShapeCall): number[] {
  const x = required(c.op, c.inputShapes, 0, 'input');
  const raw = attrInt(c.op, c.attrs, 'axis', 1);
  // Flatten's axis may equal the rank (everything in the first dimension), unlike most axes.
  const axis = raw === x.length ? raw : normAxis(c.op, 'axis', raw, x.length);
  return [sizeOf(x.slice(0, axis)), sizeOf(x.slice(axis))];
}

function reshape(c: ShapeCall): number[] {
  const x = required(c.op, c.inputShapes, 0, 'data');
  const target = intValues(c.op, 'shape', requiredConst(c.op, c.constInputs, 1, 'shape'));
  const allowZero = attrInt(c.op, c.attrs, 'allowzero', 0) === 1;
  // 0 copies the input's dimension at that index (unless allowzero); one -1 takes what is left.
  const out = target.map((d, i) => {
    if (d !== 0 || allowZero) return d;
    if (i >= x.length)
      throw new HostOpError(`Reshape: shape [${target.join(',')}] copies dimension ${i} (0) but the input [${x.join(',')}] has rank ${x.length}`);
    return x[i]!;
  });
  const infer = out.filter((d) => d === -1).length;
  if (infer > 1 || out.some((d) => d < -1)) throw new HostOpError(`Reshape: shape [${target.join(',')}] may hold one -1 and otherwise non-negative values`);
  const known = sizeOf(out.filter((d) => d !== -1));
  const total = sizeOf(x);
  if (infer === 1) {
    if (known === 0 || total % known !== 0)
      throw new HostOpError(`Reshape: cannot infer the -1 of shape [${target.join(',')}] for an input of ${total} values`);
    out[out.indexOf(-1)] = total / known;
  } else if (known !== total) {
    throw new HostOpError(`Reshape: shape [${target.join(',')}] holds ${known} values but the input [${x.join(',')}] has ${total}`);
  }
  return out;
}

/** Squeeze/Unsqueeze axes: an attribute before opset 13, the second input from then on. */
function axesOf(c: ShapeCall): number[] | undefined {
  if (c.opset < 13) return attrInts(c.op, c.attrs, 'axes');
  if (c.inputShapes[1] === null || c.inputShapes[1] === undefined) return undefined;
  return intValues(c.op, 'axes', requiredConst(c.op, c.constInputs, 1, 'axes'));
}

function squeeze(c: ShapeCall): number[] {
  const x = required(c.op, c.inputShapes, 0, 'data');
  const axes = axesOf(c);
  if (!axes) return x.filter((d) => d !== 1);
  const drop = new Set(axes.map((a) => normAxis(c.op, 'axis', a, x.length)));
  for (const a of drop) if (x[a] !== 1) throw new HostOpError(`Squeeze: axis ${a} of shape [${x.join(',')}] has size ${x[a]}, not 1`);
  return x.filter((_, i) => !drop.has(i));
}

function unsqueeze(c: ShapeCall): number[] {
  const x = required(c.op, c.inputShapes, 0, 'data');
  const axes = axesOf(c);
  if (!axes) throw new HostOpError(`Unsqueeze: axes are required (${c.opset < 13 ? 'attribute axes' : 'input 1'} at opset ${c.opset})`);
  const rank = x.length + axes.length;
  const ones = new Set(axes.map((a) => normAxis(c.op, 'axis', a, rank)));
  if (ones.size !== axes.length) throw new HostOpError(`Unsqueeze: axes [${axes.join(',')}] repeat an axis`);
  const rest = [...x];
  return Array.from({ length: rank }, (_, i) => (ones.has(i) ? 1 : rest.shift()!));
}

export const RESHAPE_OPS: Readonly<Record<string, HostOp>> = {
  Flatten: reshaping(flatten),
  Reshape: reshaping(reshape),
  Squeeze: reshaping(squeeze),
  Unsqueeze: reshaping(unsqueeze),
};
