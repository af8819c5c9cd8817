// The golden model's host side: float64 reference implementations of the ONNX operators a model
// needs around the chip's convolutions, with ONNX semantics (see golden/README.md).
import { BATCHNORM_OPS } from './batchnorm.js';
import type { HostOp, OpCall, ShapeCall } from './call.js';
import { CONV_OPS } from './conv.js';
import { ELEMENTWISE_OPS } from './elementwise.js';
import { LAYOUT_OPS } from './layout.js';
import { MATMUL_OPS } from './matmul.js';
import { PAD_OPS } from './pad.js';
import { POOL_OPS } from './pool.js';
import { RESHAPE_OPS } from './reshape.js';
import { SOFTMAX_OPS } from './softmax.js';
import { HostOpError, type Tensor } from './tensor.js';

export type { AttrValue } from './attrs.js';
export type { OpCall, ShapeCall } from './call.js';
export { HostOpError } from './tensor.js';

const REGISTRY: ReadonlyMap<string, HostOp> = new Map(
  Object.entries({ ...ELEMENTWISE_OPS, ...POOL_OPS, ...CONV_OPS, ...MATMUL_OPS, ...RESHAPE_OPS, ...LAYOUT_OPS, ...PAD_OPS, ...SOFTMAX_OPS, ...BATCHNORM_OPS }),
);

/** Every op_type runHostOp implements. */
export const HOST_OPS: ReadonlySet<string> = new Set(REGISTRY.keys());

function lookup(op: string): HostOp {
  const h = REGISTRY.get(op);
  if (!h) throw new HostOpError(`${op}: operator is not supported on the host (supported: ${[...HOST_OPS].sort().join(', ')})`);
  return h;
}

/** Runs one operator; its outputs in ONNX order (only the first for Dropout, MaxPool and BatchNormalization). */
export function runHostOp(call: OpCall): Tensor[] {
  return lookup(call.op).run(call);
}

/** The output shapes of one operator from its input shapes and any constant inputs, without running it. */
export function hostOutputShapes(call: ShapeCall): number[][] {
  return lookup(call.op).shapes(call);
}
