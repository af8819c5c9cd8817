// Conv on NCHW, the float reference of every convolution the chip runs (dense, grouped, depth-wise).
import { attrInt, attrInts, required } from './attrs.js';
import type { HostOp, ShapeCall } from './call.js';
import { HostOpError, type Tensor } from './tensor.js';
import { nchw, window2d, type Window2d } from './window.js';

interface ConvGeometry {
  x: [number, number, number, number];
  /** Output channels M, channels per group, kernel height and width. */
  w: [number, number, number, number];
  group: number;
  win: Window2d;
}

function geometry(c: Pick<ShapeCall, 'op' | 'attrs'>, xShape: readonly number[], wShape: readonly number[], bShape: readonly number[] | null): ConvGeometry {
  const x = nchw('Conv', 'input X', xShape);
  const w = nchw('Conv', 'weight W', wShape);
  const group = attrInt(c.op, c.attrs, 'group', 1);
  if (group < 1 || x[1] % group !== 0 || w[0] % group !== 0)
    throw new HostOpError(`Conv: group ${group} must divide the input channels (${x[1]}) and the output channels (${w[0]})`);
  if (w[1] * group !== x[1]) throw new HostOpError(`Conv: W has ${w[1]} channels per group but X has ${x[1]} channels in ${group} group(s)`);
  const k = attrInts(c.op, c.attrs, 'kernel_shape');
  if (k && (k.length !== 2 || k[0] !== w[2] || k[1] !== w[3]))
    throw new HostOpError(`Conv: kernel_shape [${k.join(',')}] does not match W's kernel [${w[2]},${w[3]}]`);
  if (bShape && (bShape.length !== 1 || bShape[0] !== w[0])) throw new HostOpError(`Conv: bias B has shape [${bShape.join(',')}] but must be [${w[0]}]`);
  const win = window2d('Conv', c.attrs, [x[2], x[3]], [w[2], w[3]], { dilations: true, ceilMode: false });
  return { x, w, group, win };
}

function shapes(c: ShapeCall): number[][] {
  const g = geometry(c, required(c.op, c.inputShapes, 0, 'X'), required(c.op, c.inputShapes, 1, 'W'), c.inputShapes[2] ?? null);
  return [[g.x[0], g.w[0], ...g.win.out]];
}

/**
 * Direct convolution, one weight tap at a time over a whole output plane: the inner loop is a
 * strided multiply-add over an output row whose valid range is computed once per tap, so there is
 * no per-element bounds check or allocation.
 */
function run(c: Parameters<HostOp['run']>[0]): Tensor[] {
  const xt = required(c.op, c.inputs, 0, 'X');
  const wt = required(c.op, c.inputs, 1, 'W');
  const bt = c.inputs[2] ?? null;
  const { x, w, group, win } = geometry(c, xt.shape, wt.shape, bt?.shape ?? null);
  const [n, cin, h, wd] = x;
  const [m, cpg, kh, kw] = w;
  const [oh, ow] = win.out;
  const [sh, sw] = win.strides;
  const [dh, dw] = win.dilations;
  const [pt, pl] = win.pads;
  const mpg = m / group;
  const X = xt.data;
  const W = wt.data;
  const out = new Float64Array(n * m * oh * ow);
  for (let b = 0; b < n; b++) {
    for (let oc = 0; oc < m; oc++) {
      const plane = (b * m + oc) * oh * ow;
      if (bt) out.fill(bt.data[oc]!, plane, plane + oh * ow);
      const g = Math.floor(oc / mpg);
      for (let ci = 0; ci < cpg; ci++) {
        const xPlane = (b * cin + g * cpg + ci) * h * wd;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const wv = W[((oc * cpg + ci) * kh + ky) * kw + kx]!;
            // Output columns whose input column ox*sw - pl + kx*dw lies in [0, wd).
            const off = kx * dw - pl;
            const oxa = Math.max(0, Math.ceil(-off / sw));
            const oxb = Math.min(ow, Math.floor((wd - 1 - off) / sw) + 1);
            for (let oy = 0; oy < oh; oy++) {
              const iy = oy * sh - pt + ky * dh;
              if (iy < 0 || iy >= h) continue;
              const xRow = xPlane + iy * wd + off;
              const oRow = plane + oy * ow;
              for (let ox = oxa; ox < oxb; ox++) out[oRow + ox] = out[oRow + ox]! + wv * X[xRow + ox * sw]!;
            }
          }
        }
      }
    }
  }
  return [{ shape: [n, m, oh, ow], data: out }];
}

export const CONV_OPS: Readonly<Record<string, HostOp>> = { Conv: { shapes, run } };
