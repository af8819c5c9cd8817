// Pooling on NCHW: MaxPool, AveragePool and their global forms.
import { attrInt, attrInts, required } from './attrs.js';
import type { HostOp, OpCall, ShapeCall } from './call.js';
import { HostOpError, type Tensor } from './tensor.js';
import { nchw, window2d, type Window2d } from './window.js';

function poolWindow(op: string, attrs: ShapeCall['attrs'], shape: readonly number[]): Window2d {
  const [, , h, w] = nchw(op, 'input X', shape);
  const k = attrInts(op, attrs, 'kernel_shape');
  if (!k) throw new HostOpError(`${op}: attribute kernel_shape is required`);
  if (k.length !== 2 || k.some((x) => x < 1))
    throw new HostOpError(`${op}: kernel_shape [${k.join(',')}] must be 2 positive values (only 2-D pooling is supported)`);
  return window2d(op, attrs, [h, w], [k[0]!, k[1]!], { dilations: false, ceilMode: true });
}

function poolShapes(c: ShapeCall): number[][] {
  const x = required(c.op, c.inputShapes, 0, 'X');
  const win = poolWindow(c.op, c.attrs, x);
  return [[x[0]!, x[1]!, ...win.out]];
}

/**
 * One pooled plane. Taps outside the input are skipped; AveragePool divides by the taps inside the
 * input, or with count_include_pad by the taps inside the padded input (a ceil_mode window that
 * hangs past the end padding is cut there, as PyTorch and onnxruntime do).
 */
function poolRun(c: OpCall, isMax: boolean): Tensor[] {
  const x = required(c.op, c.inputs, 0, 'X');
  const [n, ch, h, w] = nchw(c.op, 'input X', x.shape);
  const win = poolWindow(c.op, c.attrs, x.shape);
  const includePad = !isMax && attrInt(c.op, c.attrs, 'count_include_pad', 0) === 1;
  const [kh, kw] = win.kernel;
  const [sh, sw] = win.strides;
  const [pt, pl, pb, pr] = win.pads;
  const [oh, ow] = win.out;
  const out = new Float64Array(n * ch * oh * ow);
  let o = 0;
  for (let plane = 0; plane < n * ch; plane++) {
    const base = plane * h * w;
    for (let y = 0; y < oh; y++) {
      const y0 = y * sh - pt;
      const ya = Math.max(0, y0);
      const yb = Math.min(h, y0 + kh);
      for (let xo = 0; xo < ow; xo++) {
        const x0 = xo * sw - pl;
        const xa = Math.max(0, x0);
        const xb = Math.min(w, x0 + kw);
        let acc = isMax ? -Infinity : 0;
        for (let yy = ya; yy < yb; yy++) {
          const row = base + yy * w;
          for (let xx = xa; xx < xb; xx++) {
            const v = x.data[row + xx]!;
            acc = isMax ? (v > acc ? v : acc) : acc + v;
          }
        }
        if (!isMax) {
          const count = includePad ? (Math.min(h + pb, y0 + kh) - y0) * (Math.min(w + pr, x0 + kw) - x0) : (yb - ya) * (xb - xa);
          acc /= count;
        }
        out[o++] = acc;
      }
    }
  }
  return [{ shape: [n, ch, oh, ow], data: out }];
}

function globalPool(isMax: boolean): HostOp {
  const shapes = (c: ShapeCall): number[][] => {
    const x = required(c.op, c.inputShapes, 0, 'X');
    if (x.length < 3) throw new HostOpError(`${c.op}: input X has shape [${x.join(',')}] but needs N, C and at least one spatial axis`);
    return [[x[0]!, x[1]!, ...x.slice(2).map(() => 1)]];
  };
  return {
    shapes,
    run(c) {
      const x = required(c.op, c.inputs, 0, 'X');
      const shape = shapes({ ...c, inputShapes: [x.shape], constInputs: [] })[0]!;
      const planes = x.shape[0]! * x.shape[1]!;
      const size = planes === 0 ? 0 : x.data.length / planes;
      const out = new Float64Array(planes);
      for (let p = 0; p < planes; p++) {
        let acc = isMax ? -Infinity : 0;
        for (let i = p * size; i < (p + 1) * size; i++) acc = isMax ? Math.max(acc, x.data[i]!) : acc + x.data[i]!;
        out[p] = isMax ? acc : acc / size;
      }
      return [{ shape, data: out }];
    },
  };
}

export const POOL_OPS: Readonly<Record<string, HostOp>> = {
  MaxPool: { shapes: poolShapes, run: (c) => poolRun(c, true) },
  AveragePool: { shapes: poolShapes, run: (c) => poolRun(c, false) },
  GlobalMaxPool: globalPool(true),
  GlobalAveragePool: globalPool(false),
};
