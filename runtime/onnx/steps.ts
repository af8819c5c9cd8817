// What each plan step does to tensors, shared by the float run (calibration, reference) and the
// quantized run: the host's reshape and zero pre-pad before a chip layer, its subsample after,
// and a host node's operator.
import { runHostOp } from '../../golden/host/ops.js';
import { tensor, type Tensor } from '../../golden/host/tensor.js';
import type { ChipStep, HostStep, Plan } from './plan.js';

/** The layer's iacts as the chip takes them: NCHW (a matrix is N x K x 1 x 1), zero-padded when the pads are asymmetric. */
export function chipInput(step: ChipStep, x: Tensor): Tensor {
  const { N, C } = step.shape;
  if (step.prePad === null) return tensor([N, C, step.shape.H, step.shape.W], x.data);
  const [t, l, b, r] = step.prePad;
  const [H, W] = [x.shape[2]!, x.shape[3]!];
  const Hp = H + t + b,
    Wp = W + l + r;
  const out = new Float64Array(N * C * Hp * Wp);
  for (let nc = 0; nc < N * C; nc++) for (let h = 0; h < H; h++) out.set(x.data.subarray((nc * H + h) * W, (nc * H + h + 1) * W), (nc * Hp + h + t) * Wp + l);
  return tensor([N, C, Hp, Wp], out);
}

/** The chip's NMEF output as the ONNX tensor: every k-th row and column when the strides differ, in the output's shape. */
export function chipOutput(step: ChipStep, raw: ArrayLike<number>, outShape: number[]): Tensor {
  if (step.subsample === null) return tensor(outShape, raw);
  const [kh, kw] = step.subsample;
  const { N, M } = step.shape;
  const [E, F] = [outShape[2]!, outShape[3]!];
  const Ef = Math.floor((step.shape.H + 2 * step.shape.padding - step.shape.R) / step.shape.stride) + 1;
  const Ff = Math.floor((step.shape.W + 2 * step.shape.padding - step.shape.S) / step.shape.stride) + 1;
  const out = new Float64Array(N * M * E * F);
  for (let nm = 0; nm < N * M; nm++) for (let e = 0; e < E; e++) for (let f = 0; f < F; f++) out[(nm * E + e) * F + f] = raw[(nm * Ef + e * kh) * Ff + f * kw]!;
  return tensor(outShape, out);
}

/** The layer's convolution over chip-shaped iacts in float64: exact for integer tensors (|sums| < 2^53). */
export function convolve(step: ChipStep, x: Tensor, weights: ArrayLike<number>, bias: ArrayLike<number> | null): Tensor {
  const { M, C, R, S, groups, stride, padding } = step.shape;
  const w = tensor([M, C / groups, R, S], weights);
  const inputs = bias === null ? [x, w] : [x, w, tensor([M], bias)];
  const attrs = { group: groups, strides: [stride, stride], pads: [padding, padding, padding, padding], kernel_shape: [R, S] };
  return runHostOp({ op: 'Conv', opset: 13, inputs, attrs })[0]!;
}

/** The layer in real numbers: convolution, bias, the fused activation's clamp. */
export function floatChipStep(plan: Plan, step: ChipStep, x: Tensor): Tensor {
  const y = convolve(step, chipInput(step, x), step.weights, step.bias);
  const out = chipOutput(step, y.data, plan.sg.shapes.get(step.output)!);
  for (let i = 0; i < out.data.length; i++) out.data[i] = Math.min(step.hi, Math.max(step.lo, out.data[i]!));
  return out;
}

/** A host node on real tensors; `value` gives each input (constants included). */
export function hostStep(plan: Plan, step: HostStep, value: (name: string) => Tensor | null): Tensor[] {
  const n = step.node;
  return runHostOp({ op: n.op, opset: plan.sg.graph.opset, inputs: n.inputs.map((i) => (i === '' ? null : value(i))), attrs: n.attrs });
}

/** Runs the plan in float64 on one input; `seen` gets every tensor a step makes. */
export function runFloat(plan: Plan, input: Tensor, seen?: (name: string, t: Tensor) => void): Map<string, Tensor> {
  const values = new Map<string, Tensor>([[plan.sg.input.name, input]]);
  const value = (name: string): Tensor => values.get(name) ?? plan.sg.consts.get(name)!;
  seen?.(plan.sg.input.name, input);
  for (const step of plan.steps) {
    const outs =
      step.kind === 'chip'
        ? [[step.output, floatChipStep(plan, step, value(step.input))] as const]
        : hostStep(plan, step, value).map((t, k) => [step.node.outputs[k]!, t] as const);
    for (const [name, t] of outs) {
      if (!name) continue;
      values.set(name, t);
      seen?.(name, t);
    }
  }
  return values;
}
