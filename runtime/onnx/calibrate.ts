// Activation params from a calibration batch (golden/README.md, "Quantization"): the float run's
// range of every tensor gives its scale and sign. Operators that only move or select values
// (pooling by max, reshapes, ReLU) keep their input's params, so they stay exact on the codes.
import { paramsFor, type QParams } from '../../golden/quant.js';
import type { Tensor } from '../../golden/host/tensor.js';
import { runFloat } from './steps.js';
import type { Plan } from './plan.js';

const KEEPS_PARAMS = new Set(['MaxPool', 'GlobalMaxPool', 'Flatten', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout', 'Pad']);

/** Every tensor's params, from the float run of each calibration input. */
export function calibrate(plan: Plan, inputs: readonly Tensor[]): Map<string, QParams> {
  const range = new Map<string, [number, number]>();
  for (const x of inputs) {
    runFloat(plan, x, (name, t) => {
      const r = range.get(name) ?? [Infinity, -Infinity];
      for (let i = 0; i < t.data.length; i++) {
        const v = t.data[i]!;
        if (v < r[0]) r[0] = v;
        if (v > r[1]) r[1] = v;
      }
      range.set(name, r);
    });
  }
  const params = new Map<string, QParams>();
  for (const [name, [lo, hi]] of range) {
    if (!Number.isFinite(lo) || !Number.isFinite(hi))
      throw new Error(
        `tensor ${name}: the float run gives non-finite values (${lo}..${hi}) on the calibration input; fix: check the model and the input's scaling`,
      );
    params.set(name, paramsFor(lo, hi));
  }
  for (const step of plan.steps) {
    if (step.kind !== 'host') continue;
    const n = step.node;
    const from = params.get(n.inputs[0] ?? '');
    if (from !== undefined && KEEPS_PARAMS.has(n.op)) params.set(n.outputs[0]!, from);
    if (from !== undefined && n.op === 'Relu') params.set(n.outputs[0]!, { scale: from.scale, signed: false });
    if (n.op === 'Concat') {
      const all = n.inputs.map((i) => params.get(i));
      if (all.every((p) => p !== undefined && p.scale === all[0]!.scale && p.signed === all[0]!.signed)) params.set(n.outputs[0]!, all[0]!);
    }
  }
  return params;
}
