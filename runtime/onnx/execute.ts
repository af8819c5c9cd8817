// The quantized network on one input: each chip layer takes 8-bit codes and int8 weights, its
// 20-bit psums come back from `accumulate` (the chip, or the exact sum during calibration) and
// are requantized per channel; host steps run on the real values of their inputs and quantize
// their output to its params. What no later chip layer reads stays real (plan.codes).
import { PSUM_BITS, requantizeScaled } from '../../spec/numerics.js';
import { dequantizeValues, quantizeValues, type LayerQuant, type QParams } from '../../golden/quant.js';
import { tensor, type Tensor } from '../../golden/host/tensor.js';
import { chipInput, chipOutput, hostStep } from './steps.js';
import type { ChipStep, Plan } from './plan.js';

/** A tensor's value: codes with their params, or real numbers (p null). */
export interface Value {
  t: Tensor;
  p: QParams | null;
}

export interface QuantNet {
  plan: Plan;
  params: Map<string, QParams>;
  layers: Map<ChipStep, LayerQuant>;
}

/** The layer's psums for its chip-shaped iact codes (NMEF, 20-bit as the chip wraps them, or exact). */
export type Accumulate = (step: ChipStep, iacts: Tensor, lq: LayerQuant) => Promise<ArrayLike<number>>;

export const asReal = (v: Value): Tensor => (v.p === null ? v.t : tensor(v.t.shape, dequantizeValues(v.t.data, v.p)));

/** The value as codes of `p`: unchanged when it already is, else quantized from its real values. */
export function asCodes(v: Value, p: QParams): Tensor {
  if (v.p !== null && v.p.scale === p.scale && v.p.signed === p.signed) return v.t;
  return tensor(v.t.shape, quantizeValues(asReal(v).data, p));
}

export const PSUM_MAX = 2 ** (PSUM_BITS - 1) - 1;

/** The step's output from its psums: per-channel requantization to codes, or real values when no chip layer reads it. */
export function layerOutput(net: QuantNet, step: ChipStep, psums: ArrayLike<number>, lq: LayerQuant): Value {
  const outShape = net.plan.sg.shapes.get(step.output)!;
  const { M } = step.shape;
  const per = psums.length / (step.shape.N * M);
  const y = new Float64Array(psums.length);
  const sIn = net.params.get(step.input)!.scale;
  for (let i = 0; i < psums.length; i++) {
    const m = Math.floor(i / per) % M;
    const acc = psums[i]!;
    y[i] =
      lq.requant === null
        ? Math.min(step.hi, Math.max(step.lo, (acc + lq.bias[m]!) * sIn * lq.weightScale[m]!))
        : requantizeScaled(acc, lq.bias[m]!, lq.requant[m]!);
  }
  return { t: chipOutput(step, y, outShape), p: lq.requant === null ? null : net.params.get(step.output)! };
}

/** Runs the quantized network on one input; returns every tensor's value. */
export async function runQuantized(net: QuantNet, input: Tensor, accumulate: Accumulate): Promise<Map<string, Value>> {
  const { plan } = net;
  const values = new Map<string, Value>([[plan.sg.input.name, { t: input, p: null }]]);
  const value = (name: string): Value => values.get(name) ?? { t: plan.sg.consts.get(name)!, p: null };
  for (const step of plan.steps) {
    if (step.kind === 'chip') {
      const iacts = chipInput(step, asCodes(value(step.input), net.params.get(step.input)!));
      const psums = await accumulate(step, iacts, net.layers.get(step)!);
      // accumulate may have replaced the layer's quantization (calibration's psum headroom).
      values.set(step.output, layerOutput(net, step, psums, net.layers.get(step)!));
      continue;
    }
    hostStep(plan, step, (name) => asReal(value(name))).forEach((t, k) => {
      const name = step.node.outputs[k];
      if (!name) return;
      const p = plan.codes.has(name) ? net.params.get(name) : undefined;
      values.set(name, p === undefined ? { t, p: null } : { t: tensor(t.shape, quantizeValues(t.data, p)), p });
    });
  }
  return values;
}
