// Softmax. Before opset 13 it flattens the input to 2-D at `axis` (default 1) and normalises each
// row over all trailing axes together; from opset 13 it normalises along the one axis (default -1).
import { attrInt, required } from './attrs.js';
import type { HostOp } from './call.js';
import { normAxis, sizeOf } from './tensor.js';

const softmax: HostOp = {
  shapes: (c) => [required(c.op, c.inputShapes, 0, 'input')],
  run(c) {
    const x = required(c.op, c.inputs, 0, 'input');
    const rank = x.shape.length;
    const legacy = c.opset < 13;
    const axis = normAxis(c.op, 'axis', attrInt(c.op, c.attrs, 'axis', legacy ? 1 : -1), Math.max(rank, 1));
    // The normalised values of one row sit at base + j * step for j < len.
    const len = legacy ? sizeOf(x.shape.slice(axis)) : (x.shape[axis] ?? 1);
    const step = legacy ? 1 : sizeOf(x.shape.slice(axis + 1));
    const outer = sizeOf(x.shape.slice(0, axis));
    const out = new Float64Array(x.data.length);
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < step; s++) {
        const base = o * len * step + s;
        let max = -Infinity;
        for (let j = 0; j < len; j++) max = Math.max(max, x.data[base + j * step]!);
        let sum = 0;
        for (let j = 0; j < len; j++) {
          const e = Math.exp(x.data[base + j * step]! - max);
          out[base + j * step] = e;
          sum += e;
        }
        for (let j = 0; j < len; j++) out[base + j * step] = out[base + j * step]! / sum;
      }
    }
    return [{ shape: [...x.shape], data: out }];
  },
};

export const SOFTMAX_OPS: Readonly<Record<string, HostOp>> = { Softmax: softmax };
