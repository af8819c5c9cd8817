// The sliding-window geometry Conv and the pooling ops share: kernel, strides, dilations, the four
// pads (explicit or from auto_pad) and the output size, ceil_mode included. 2-D (NCHW) only.
import { attrInt, attrInts, attrString, type Attrs } from './attrs.js';
import { HostOpError } from './tensor.js';

export interface Window2d {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** [top, left, bottom, right], the ONNX order [x1_begin, x2_begin, x1_end, x2_end]. */
  pads: [number, number, number, number];
  out: [number, number];
}

function pair(op: string, attrs: Attrs, name: string, dflt: number): [number, number] {
  const v = attrInts(op, attrs, name) ?? [dflt, dflt];
  if (v.length !== 2) throw new HostOpError(`${op}: ${name} [${v.join(',')}] must have 2 values (only 2-D NCHW windows are supported)`);
  if (v.some((x) => x < 1)) throw new HostOpError(`${op}: ${name} [${v.join(',')}] must be positive`);
  return [v[0]!, v[1]!];
}

export interface WindowOptions {
  /** Pooling ops take dilations (MaxPool from opset 10) but this reference supports only 1. */
  dilations: boolean;
  ceilMode: boolean;
}

/** The window of a call with input spatial size [H, W] and kernel [kH, kW]. */
export function window2d(op: string, attrs: Attrs, input: readonly [number, number], kernel: [number, number], opts: WindowOptions): Window2d {
  const strides = pair(op, attrs, 'strides', 1);
  const dilations = pair(op, attrs, 'dilations', 1);
  if (!opts.dilations && (dilations[0] !== 1 || dilations[1] !== 1))
    throw new HostOpError(`${op}: dilations [${dilations.join(',')}] are not supported (only 1)`);
  const ceil = opts.ceilMode && attrInt(op, attrs, 'ceil_mode', 0) === 1;
  const autoPad = attrString(op, attrs, 'auto_pad', 'NOTSET');
  const pads: [number, number, number, number] = [0, 0, 0, 0];
  const out: [number, number] = [0, 0];
  for (const a of [0, 1] as const) {
    const span = (kernel[a] - 1) * dilations[a] + 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      // SAME: the output covers ceil(in / stride) positions; an odd total pad puts the extra one at the end (UPPER) or the start (LOWER).
      out[a] = Math.ceil(input[a] / strides[a]);
      const total = Math.max(0, (out[a] - 1) * strides[a] + span - input[a]);
      const small = Math.floor(total / 2);
      pads[a] = autoPad === 'SAME_UPPER' ? small : total - small;
      pads[a + 2] = total - pads[a];
      continue;
    }
    if (autoPad === 'NOTSET') {
      const p = attrInts(op, attrs, 'pads') ?? [0, 0, 0, 0];
      if (p.length !== 4 || p.some((x) => x < 0))
        throw new HostOpError(`${op}: pads [${p.join(',')}] must be 4 non-negative values [top, left, bottom, right]`);
      pads[a] = p[a]!;
      pads[a + 2] = p[a + 2]!;
    } else if (autoPad !== 'VALID') {
      throw new HostOpError(`${op}: auto_pad '${autoPad}' is not supported (only NOTSET, VALID, SAME_UPPER, SAME_LOWER)`);
    }
    const room = input[a] + pads[a] + pads[a + 2]! - span;
    if (room < 0)
      throw new HostOpError(`${op}: the window (${span}) is larger than the padded input (${input[a] + pads[a] + pads[a + 2]!}) along spatial axis ${a}`);
    out[a] = (ceil ? Math.ceil(room / strides[a]) : Math.floor(room / strides[a])) + 1;
    // ceil_mode: a last window starting in the end padding would see no input, so it is dropped.
    if (ceil && (out[a] - 1) * strides[a] >= input[a] + pads[a]) out[a]--;
  }
  return { kernel, strides, dilations, pads, out };
}

/** [N, C, H, W] of a rank-4 shape, or a HostOpError naming the op. */
export function nchw(op: string, what: string, shape: readonly number[]): [number, number, number, number] {
  if (shape.length !== 4) throw new HostOpError(`${op}: ${what} has shape [${shape.join(',')}] but only 4-D NCHW tensors are supported`);
  return [shape[0]!, shape[1]!, shape[2]!, shape[3]!];
}
