// Pad, constant mode: pads are [x1_begin, x2_begin, ..., x1_end, x2_end, ...]; a negative pad crops.
import { attrFloat, attrString, attrInts, intValues, required, requiredConst } from './attrs.js';
import type { HostOp, OpCall, ShapeCall } from './call.js';
import { shapeCallOf } from './call.js';
import { HostOpError, normAxis, sizeOf, stridesOf, type Tensor } from './tensor.js';

/** Begin and end pads of every axis: attributes before opset 11, inputs (with opset 18's axes) from then on. */
function padsOf(c: ShapeCall, rank: number): { begin: number[]; end: number[] } {
  const mode = attrString(c.op, c.attrs, 'mode', 'constant');
  if (mode !== 'constant') throw new HostOpError(`Pad: mode '${mode}' is not supported (only constant)`);
  let pads: number[];
  let axes = Array.from({ length: rank }, (_, i) => i);
  if (c.opset < 11) {
    const p = attrInts(c.op, c.attrs, 'pads');
    if (!p) throw new HostOpError(`Pad: attribute pads is required at opset ${c.opset}`);
    pads = p;
  } else {
    pads = intValues(c.op, 'pads', requiredConst(c.op, c.constInputs, 1, 'pads'));
    if (c.inputShapes[3]) axes = intValues(c.op, 'axes', requiredConst(c.op, c.constInputs, 3, 'axes')).map((a) => normAxis(c.op, 'axis', a, rank));
  }
  if (pads.length !== 2 * axes.length)
    throw new HostOpError(`Pad: pads [${pads.join(',')}] must hold ${2 * axes.length} values (begin and end of ${axes.length} axes)`);
  const begin = new Array<number>(rank).fill(0);
  const end = new Array<number>(rank).fill(0);
  axes.forEach((a, i) => {
    begin[a] = pads[i]!;
    end[a] = pads[i + axes.length]!;
  });
  return { begin, end };
}

function padShape(c: ShapeCall): number[] {
  const x = required(c.op, c.inputShapes, 0, 'data');
  const { begin, end } = padsOf(c, x.length);
  const out = x.map((d, i) => d + begin[i]! + end[i]!);
  if (out.some((d) => d < 0)) throw new HostOpError(`Pad: pads crop more than the input [${x.join(',')}] holds`);
  return out;
}

function padValue(c: OpCall): number {
  if (c.opset < 11) return attrFloat(c.op, c.attrs, 'value', 0);
  const v = c.inputs[2];
  if (!v) return 0;
  if (v.data.length !== 1) throw new HostOpError(`Pad: constant_value must be a scalar, got shape [${v.shape.join(',')}]`);
  return v.data[0]!;
}

function padRun(c: OpCall): Tensor[] {
  const x = required(c.op, c.inputs, 0, 'data');
  const sc = shapeCallOf(c);
  const shape = padShape(sc);
  const { begin } = padsOf(sc, x.shape.length);
  const inStrides = stridesOf(x.shape);
  const out = new Float64Array(sizeOf(shape)).fill(padValue(c));
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  // Walk the output; an element whose every coordinate minus its begin pad lies in the input copies it.
  for (let k = 0; k < out.length; k++) {
    let src = 0;
    let inside = true;
    for (let d = 0; d < rank && inside; d++) {
      const i = idx[d]! - begin[d]!;
      inside = i >= 0 && i < x.shape[d]!;
      src += i * inStrides[d]!;
    }
    if (inside) out[k] = x.data[src]!;
    for (let d = rank - 1; d >= 0; d--) {
      const next = idx[d]! + 1;
      if (next < shape[d]!) {
        idx[d] = next;
        break;
      }
      idx[d] = 0;
    }
  }
  return [{ shape, data: out }];
}

export const PAD_OPS: Readonly<Record<string, HostOp>> = { Pad: { shapes: (c) => [padShape(c)], run: padRun } };
