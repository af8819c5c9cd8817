// How close the chip's network is to the float one: on the final output top-1 agreement per
// batch item, cosine similarity and the largest absolute error; per layer the SQNR of the
// dequantized chip output against the float tensor.
import type { Tensor } from '../../golden/host/tensor.js';

export interface Agreement {
  /** Batch items whose argmax equals the float model's, out of `items`. */
  top1_agree: number;
  items: number;
  cosine: number;
  max_abs_error: number;
}

function check(x: Tensor, ref: Tensor, what: string): void {
  if (x.data.length !== ref.data.length) throw new Error(`${what}: ${x.data.length} values against the float model's ${ref.data.length}`);
}

const argmax = (d: Float64Array, from: number, to: number): number => {
  let best = from;
  for (let i = from + 1; i < to; i++) if (d[i]! > d[best]!) best = i;
  return best - from;
};

export function agreement(x: Tensor, ref: Tensor): Agreement {
  check(x, ref, 'output');
  const items = x.shape[0] ?? 1;
  const per = x.data.length / items;
  let agree = 0;
  for (let n = 0; n < items; n++) if (argmax(x.data, n * per, (n + 1) * per) === argmax(ref.data, n * per, (n + 1) * per)) agree++;
  let dot = 0,
    xx = 0,
    rr = 0,
    worst = 0;
  for (let i = 0; i < x.data.length; i++) {
    const a = x.data[i]!,
      b = ref.data[i]!;
    dot += a * b;
    xx += a * a;
    rr += b * b;
    worst = Math.max(worst, Math.abs(a - b));
  }
  const cosine = xx === 0 || rr === 0 ? (xx === rr ? 1 : 0) : dot / Math.sqrt(xx * rr);
  return { top1_agree: agree, items, cosine, max_abs_error: worst };
}

/** Signal-to-quantization-noise ratio in dB (Infinity when exact, -Infinity for a zero signal with noise). */
export function sqnrDb(x: Tensor, ref: Tensor): number {
  check(x, ref, 'layer output');
  let signal = 0,
    noise = 0;
  for (let i = 0; i < x.data.length; i++) {
    signal += ref.data[i]! ** 2;
    noise += (ref.data[i]! - x.data[i]!) ** 2;
  }
  return noise === 0 ? Infinity : 10 * Math.log10(signal / noise);
}
