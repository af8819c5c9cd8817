// BatchNormalization in inference mode: y = scale * (x - mean) / sqrt(var + epsilon) + B per channel (axis 1).
import { attrFloat, attrInt, required } from './attrs.js';
import type { HostOp, ShapeCall } from './call.js';
import { HostOpError } from './tensor.js';

const PARAMS = ['scale', 'B', 'input_mean', 'input_var'] as const;

function shapes(c: ShapeCall): number[][] {
  const x = required(c.op, c.inputShapes, 0, 'X');
  if (x.length < 2) throw new HostOpError(`BatchNormalization: input X has shape [${x.join(',')}] but needs a channel axis`);
  if (attrInt(c.op, c.attrs, 'training_mode', 0) !== 0) throw new HostOpError('BatchNormalization: training_mode 1 is not supported (only inference)');
  if (attrInt(c.op, c.attrs, 'spatial', 1) !== 1) throw new HostOpError('BatchNormalization: spatial 0 is not supported (only per-channel statistics)');
  PARAMS.forEach((name, k) => {
    const p = required(c.op, c.inputShapes, k + 1, name);
    if (p.length !== 1 || p[0] !== x[1]) throw new HostOpError(`BatchNormalization: ${name} has shape [${p.join(',')}] but must be [${x[1]}]`);
  });
  return [x];
}

const batchNorm: HostOp = {
  shapes,
  run(c) {
    const x = required(c.op, c.inputs, 0, 'X');
    shapes({ ...c, inputShapes: c.inputs.map((t) => t?.shape ?? null), constInputs: [] });
    const [scale, bias, mean, variance] = PARAMS.map((name, k) => required(c.op, c.inputs, k + 1, name).data) as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    const eps = attrFloat(c.op, c.attrs, 'epsilon', 1e-5);
    const ch = x.shape[1]!;
    const inner = x.shape.slice(2).reduce((a, d) => a * d, 1);
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) {
      const k = Math.floor(i / inner) % ch;
      out[i] = (scale[k]! * (x.data[i]! - mean[k]!)) / Math.sqrt(variance[k]! + eps) + bias[k]!;
    }
    return [{ shape: [...x.shape], data: out }];
  },
};

export const BATCHNORM_OPS: Readonly<Record<string, HostOp>> = { BatchNormalization: batchNorm };
