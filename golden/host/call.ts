// What one operator call carries, for execution and for shape inference, and the pair of
// functions every host operator provides.
import type { Attrs } from './attrs.js';
import type { Tensor } from './tensor.js';

export interface OpCall {
  /** ONNX op_type, e.g. 'MaxPool'. */
  op: string;
  /** The model's default-domain opset: several ops moved attributes to inputs or changed meaning across opsets. */
  opset: number;
  /** null = an optional input left out ('' in ONNX). */
  inputs: (Tensor | null)[];
  attrs: Attrs;
}

export interface ShapeCall {
  op: string;
  opset: number;
  inputShapes: (number[] | null)[];
  /** The value of input i when it is a constant (an initializer or folded), else null. */
  constInputs: (Tensor | null)[];
  attrs: Attrs;
}

export interface HostOp {
  shapes(call: ShapeCall): number[][];
  run(call: OpCall): Tensor[];
}

/** At run time every input is known, so the shape rules can read any of them as a constant. */
export function shapeCallOf(call: OpCall): ShapeCall {
  return { op: call.op, opset: call.opset, inputShapes: call.inputs.map((t) => (t ? t.shape : null)), constInputs: call.inputs, attrs: call.attrs };
}
