// Plan + calibration inputs -> the quantized network: activation params from the float run, then
// per layer int8 weights and requantization. A second, quantized pass over the calibration inputs
// measures each output channel's psums: where one would come within 2x of the chip's 20-bit range,
// that channel's weight scale grows until it does not, so the chip's psums never wrap on inputs
// like the calibration ones (golden/README.md, "Quantization").
import { quantizeLayer, weightScales, type LayerQuant } from '../../golden/quant.js';
import type { Tensor } from '../../golden/host/tensor.js';
import { calibrate } from './calibrate.js';
import { PSUM_MAX, runQuantized, type QuantNet } from './execute.js';
import type { ChipStep, Plan } from './plan.js';
import { convolve } from './steps.js';

/** Psum magnitude the calibration leaves each channel: half the 20-bit range. */
export const PSUM_HEADROOM = Math.floor(PSUM_MAX / 2);

function layerQuant(net: QuantNet, step: ChipStep, scales: Float64Array): LayerQuant {
  const out = net.plan.codes.has(step.output) ? net.params.get(step.output)! : null;
  return quantizeLayer(step.weights, step.bias, scales, net.params.get(step.input)!, out, step);
}

/** Per-channel largest |psum| of a layer's exact accumulations. */
function channelPeaks(step: ChipStep, acc: ArrayLike<number>): Float64Array {
  const { N, M } = step.shape;
  const per = acc.length / (N * M);
  const peak = new Float64Array(M);
  for (let i = 0; i < acc.length; i++) {
    const m = Math.floor(i / per) % M;
    peak[m] = Math.max(peak[m]!, Math.abs(acc[i]!));
  }
  return peak;
}

export interface Quantized extends QuantNet {
  /** Per layer, the output channels whose weight scale grew for psum headroom. */
  widened: Map<ChipStep, number>;
}

export async function quantizeNet(plan: Plan, calibration: readonly Tensor[]): Promise<Quantized> {
  const net: Quantized = { plan, params: calibrate(plan, calibration), layers: new Map(), widened: new Map() };
  for (const step of plan.steps) if (step.kind === 'chip') net.layers.set(step, layerQuant(net, step, weightScales(step.weights, step.shape.M)));
  // Synchronous: the exact sums are computed here, not on a backend.
  const widen = (step: ChipStep, iacts: Tensor, lq: LayerQuant): Float64Array => {
    const acc = convolve(step, iacts, lq.weights, null).data;
    const peaks = channelPeaks(step, acc);
    if (peaks.every((p) => p <= PSUM_HEADROOM)) return acc;
    const scales = Float64Array.from(lq.weightScale, (s, m) => (peaks[m]! > PSUM_HEADROOM ? (s * peaks[m]!) / PSUM_HEADROOM : s));
    net.widened.set(step, (net.widened.get(step) ?? 0) + peaks.filter((p) => p > PSUM_HEADROOM).length);
    const wider = layerQuant(net, step, scales);
    net.layers.set(step, wider);
    return convolve(step, iacts, wider.weights, null).data;
  };
  for (const x of calibration) await runQuantized(net, x, (step, iacts, lq) => Promise.resolve(widen(step, iacts, lq)));
  return net;
}
