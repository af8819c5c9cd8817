// Single-node cases for every host operator: attribute variants (asymmetric pads, ceil_mode,
// auto_pad, broadcasting, negative axes) and both opset semantics where they differ.
import { float, type AttrInput, type ElemType } from '../support/onnx-builder.js';

export interface CaseInput {
  shape: number[];
  /** input: a float32 graph input (random); const: a float32 initializer; int64: an int64 initializer; omit: an optional input left out. */
  kind?: 'input' | 'const' | 'int64' | 'omit';
  values?: number[];
  lo?: number;
  hi?: number;
}

export interface OpCase {
  name: string;
  op: string;
  opset: number;
  inputs: CaseInput[];
  attrs?: Record<string, AttrInput>;
  out?: ElemType;
}

const x = (...shape: number[]): CaseInput => ({ shape });
const c = (...shape: number[]): CaseInput => ({ shape, kind: 'const' });
const i64 = (values: number[], shape = [values.length]): CaseInput => ({ shape, kind: 'int64', values });
const omit: CaseInput = { shape: [], kind: 'omit' };
const positive = (...shape: number[]): CaseInput => ({ shape, kind: 'const', lo: 0.5, hi: 2 });

const elementwise: OpCase[] = [
  { name: 'Add broadcast [2,3,4,5]+[5]', op: 'Add', opset: 13, inputs: [x(2, 3, 4, 5), x(5)] },
  { name: 'Add both stretch [2,1,4]+[3,1]', op: 'Add', opset: 13, inputs: [x(2, 1, 4), x(3, 1)] },
  { name: 'Sub [1,3,1,1]-[2,3,4,4]', op: 'Sub', opset: 13, inputs: [x(1, 3, 1, 1), x(2, 3, 4, 4)] },
  { name: 'Mul by a scalar const', op: 'Mul', opset: 13, inputs: [x(2, 3, 4), c()] },
  { name: 'Mul opset 7', op: 'Mul', opset: 7, inputs: [x(3, 4), x(3, 4)] },
  { name: 'Div by [1,4,1]', op: 'Div', opset: 13, inputs: [x(2, 4, 3), positive(1, 4, 1)] },
  { name: 'Neg', op: 'Neg', opset: 13, inputs: [x(2, 5)] },
  { name: 'Relu', op: 'Relu', opset: 14, inputs: [x(2, 3, 4)] },
  { name: 'LeakyRelu alpha 0.1', op: 'LeakyRelu', opset: 16, inputs: [x(2, 3, 4)], attrs: { alpha: float(0.1) } },
  { name: 'Sigmoid', op: 'Sigmoid', opset: 13, inputs: [{ shape: [3, 7], lo: -6, hi: 6 }] },
  { name: 'HardSigmoid defaults', op: 'HardSigmoid', opset: 6, inputs: [{ shape: [4, 6], lo: -5, hi: 5 }] },
  {
    name: 'HardSigmoid alpha 1/6 beta 0.5',
    op: 'HardSigmoid',
    opset: 6,
    inputs: [{ shape: [4, 6], lo: -5, hi: 5 }],
    attrs: { alpha: float(1 / 6), beta: float(0.5) },
  },
  { name: 'HardSwish', op: 'HardSwish', opset: 14, inputs: [{ shape: [2, 3, 5], lo: -5, hi: 5 }] },
  { name: 'Identity', op: 'Identity', opset: 13, inputs: [x(2, 3)] },
  { name: 'Dropout (inference)', op: 'Dropout', opset: 13, inputs: [x(2, 3, 4)] },
  { name: 'Dropout opset 7 ratio', op: 'Dropout', opset: 7, inputs: [x(2, 3)], attrs: { ratio: float(0.3) } },
  { name: 'Clip opset 6 attrs min/max', op: 'Clip', opset: 6, inputs: [{ shape: [3, 8], lo: -8, hi: 8 }], attrs: { min: float(0), max: float(6) } },
  { name: 'Clip opset 6 only max', op: 'Clip', opset: 6, inputs: [{ shape: [3, 8], lo: -8, hi: 8 }], attrs: { max: float(1.5) } },
  {
    name: 'Clip opset 13 min/max inputs',
    op: 'Clip',
    opset: 13,
    inputs: [
      { shape: [3, 8], lo: -8, hi: 8 },
      { shape: [], kind: 'const', values: [0] },
      { shape: [], kind: 'const', values: [6] },
    ],
  },
  { name: 'Clip opset 11 min omitted', op: 'Clip', opset: 11, inputs: [{ shape: [3, 8], lo: -8, hi: 8 }, omit, { shape: [], kind: 'const', values: [2.5] }] },
  { name: 'Clip opset 13 no bounds', op: 'Clip', opset: 13, inputs: [x(4)] },
  { name: 'Cast to FLOAT', op: 'Cast', opset: 13, inputs: [x(2, 3)], attrs: { to: 1 } },
  { name: 'Cast to INT64 truncates', op: 'Cast', opset: 13, inputs: [{ shape: [3, 5], lo: -6, hi: 6 }], attrs: { to: 7 }, out: 'int64' },
  { name: 'Cast to INT32 truncates', op: 'Cast', opset: 13, inputs: [{ shape: [3, 5], lo: -6, hi: 6 }], attrs: { to: 6 }, out: 'int32' },
  { name: 'Cast to BOOL', op: 'Cast', opset: 13, inputs: [{ shape: [6], kind: 'input', values: [0, 1, -2, 0.5, 0, 3] }], attrs: { to: 9 }, out: 'bool' },
  { name: 'Cast to DOUBLE', op: 'Cast', opset: 13, inputs: [x(2, 2)], attrs: { to: 11 }, out: 'float64' },
];

const pooling: OpCase[] = [
  { name: 'MaxPool 3x3 s2 p1', op: 'MaxPool', opset: 12, inputs: [x(1, 3, 9, 9)], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } },
  {
    name: 'MaxPool 2x2 s2 ceil_mode on 7x7',
    op: 'MaxPool',
    opset: 12,
    inputs: [x(2, 2, 7, 7)],
    attrs: { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 },
  },
  {
    name: 'MaxPool 3x3 s2 p1 ceil_mode on 6x6',
    op: 'MaxPool',
    opset: 12,
    inputs: [x(1, 2, 6, 6)],
    attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 },
  },
  {
    name: 'MaxPool ceil_mode drops a window in the end padding',
    op: 'MaxPool',
    opset: 12,
    inputs: [x(1, 2, 4, 4)],
    attrs: { kernel_shape: [2, 2], strides: [3, 3], pads: [1, 1, 1, 1], ceil_mode: 1 },
  },
  { name: 'MaxPool asymmetric pads', op: 'MaxPool', opset: 12, inputs: [x(1, 2, 6, 7)], attrs: { kernel_shape: [3, 2], pads: [0, 1, 2, 0] } },
  {
    name: 'MaxPool SAME_UPPER 3x3 s2',
    op: 'MaxPool',
    opset: 12,
    inputs: [x(1, 2, 8, 7)],
    attrs: { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' },
  },
  { name: 'MaxPool SAME_LOWER 2x2 s1', op: 'MaxPool', opset: 12, inputs: [x(1, 2, 5, 5)], attrs: { kernel_shape: [2, 2], auto_pad: 'SAME_LOWER' } },
  { name: 'MaxPool VALID 3x3 s2', op: 'MaxPool', opset: 8, inputs: [x(1, 2, 8, 9)], attrs: { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'VALID' } },
  {
    name: 'AveragePool 3x3 s2 p1 exclude pad',
    op: 'AveragePool',
    opset: 11,
    inputs: [x(1, 3, 9, 9)],
    attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
  },
  {
    name: 'AveragePool 3x3 s2 p1 count_include_pad',
    op: 'AveragePool',
    opset: 11,
    inputs: [x(1, 3, 9, 9)],
    attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 },
  },
  {
    name: 'AveragePool 2x2 s2 ceil_mode on 7x7',
    op: 'AveragePool',
    opset: 11,
    inputs: [x(1, 2, 7, 7)],
    attrs: { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 },
  },
  {
    name: 'AveragePool ceil_mode count_include_pad',
    op: 'AveragePool',
    opset: 11,
    inputs: [x(1, 2, 6, 6)],
    attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1, count_include_pad: 1 },
  },
  {
    name: 'AveragePool ceil_mode drops a window in the end padding',
    op: 'AveragePool',
    opset: 11,
    inputs: [x(1, 2, 4, 5)],
    attrs: { kernel_shape: [2, 2], strides: [3, 3], pads: [1, 1, 1, 1], ceil_mode: 1, count_include_pad: 1 },
  },
  {
    name: 'AveragePool asymmetric pads include pad',
    op: 'AveragePool',
    opset: 11,
    inputs: [x(1, 2, 6, 6)],
    attrs: { kernel_shape: [2, 3], pads: [1, 0, 0, 2], count_include_pad: 1 },
  },
  {
    name: 'AveragePool SAME_UPPER',
    op: 'AveragePool',
    opset: 11,
    inputs: [x(1, 2, 7, 6)],
    attrs: { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' },
  },
  { name: 'GlobalAveragePool', op: 'GlobalAveragePool', opset: 13, inputs: [x(2, 5, 4, 3)] },
  { name: 'GlobalMaxPool', op: 'GlobalMaxPool', opset: 13, inputs: [x(2, 5, 4, 3)] },
];

const conv: OpCase[] = [
  { name: 'Conv 3x3 p1 with bias', op: 'Conv', opset: 11, inputs: [x(1, 3, 8, 8), c(4, 3, 3, 3), c(4)], attrs: { pads: [1, 1, 1, 1] } },
  { name: 'Conv s2 asymmetric pads no bias', op: 'Conv', opset: 11, inputs: [x(1, 3, 9, 8), c(5, 3, 3, 3)], attrs: { strides: [2, 2], pads: [0, 1, 1, 0] } },
  {
    name: 'Conv strides [2,1] pads [0,0,1,1]',
    op: 'Conv',
    opset: 13,
    inputs: [x(1, 2, 7, 7), c(3, 2, 3, 3), c(3)],
    attrs: { strides: [2, 1], pads: [0, 0, 1, 1] },
  },
  { name: 'Conv dilations 2', op: 'Conv', opset: 11, inputs: [x(1, 2, 9, 9), c(3, 2, 3, 3)], attrs: { dilations: [2, 2], pads: [2, 2, 2, 2] } },
  {
    name: 'Conv dilations [1,2] strides 2',
    op: 'Conv',
    opset: 11,
    inputs: [x(2, 2, 10, 10), c(3, 2, 3, 2)],
    attrs: { dilations: [1, 2], strides: [2, 2], pads: [1, 0, 1, 1] },
  },
  { name: 'Conv group 2', op: 'Conv', opset: 11, inputs: [x(1, 4, 6, 6), c(6, 2, 3, 3), c(6)], attrs: { group: 2, pads: [1, 1, 1, 1] } },
  {
    name: 'Conv depthwise group=C s2',
    op: 'Conv',
    opset: 11,
    inputs: [x(1, 6, 8, 8), c(6, 1, 3, 3), c(6)],
    attrs: { group: 6, strides: [2, 2], pads: [1, 1, 1, 1] },
  },
  { name: 'Conv depthwise multiplier 2', op: 'Conv', opset: 11, inputs: [x(1, 3, 5, 5), c(6, 1, 3, 3)], attrs: { group: 3 } },
  { name: 'Conv SAME_UPPER s2', op: 'Conv', opset: 11, inputs: [x(1, 2, 8, 7), c(3, 2, 3, 3)], attrs: { strides: [2, 2], auto_pad: 'SAME_UPPER' } },
  { name: 'Conv SAME_LOWER 4x4', op: 'Conv', opset: 11, inputs: [x(1, 2, 6, 6), c(3, 2, 4, 4)], attrs: { auto_pad: 'SAME_LOWER' } },
  {
    name: 'Conv VALID with kernel_shape',
    op: 'Conv',
    opset: 11,
    inputs: [x(1, 2, 7, 6), c(3, 2, 3, 3)],
    attrs: { auto_pad: 'VALID', kernel_shape: [3, 3], strides: [2, 2] },
  },
  { name: 'Conv 1x1 batch 2', op: 'Conv', opset: 11, inputs: [x(2, 5, 4, 4), c(7, 5, 1, 1), c(7)] },
  { name: 'Conv 1x3 kernel', op: 'Conv', opset: 11, inputs: [x(1, 2, 5, 6), c(2, 2, 1, 3)], attrs: { pads: [0, 1, 0, 1] } },
];

const matmul: OpCase[] = [
  { name: 'Gemm with C [N]', op: 'Gemm', opset: 13, inputs: [x(3, 4), c(4, 5), c(5)] },
  { name: 'Gemm transA transB', op: 'Gemm', opset: 13, inputs: [x(4, 3), c(5, 4), c(3, 5)], attrs: { transA: 1, transB: 1 } },
  { name: 'Gemm alpha beta, C [M,1]', op: 'Gemm', opset: 13, inputs: [x(3, 4), c(4, 2), c(3, 1)], attrs: { alpha: float(0.5), beta: float(2) } },
  { name: 'Gemm no C', op: 'Gemm', opset: 13, inputs: [x(2, 6), c(3, 6)], attrs: { transB: 1 } },
  { name: 'Gemm opset 9 scalar C', op: 'Gemm', opset: 9, inputs: [x(2, 3), c(3, 4), c(1)] },
  { name: 'MatMul 2-D', op: 'MatMul', opset: 13, inputs: [x(3, 4), c(4, 5)] },
  { name: 'MatMul batched [2,3,4]x[4,5]', op: 'MatMul', opset: 13, inputs: [x(2, 3, 4), c(4, 5)] },
  { name: 'MatMul broadcast [2,1,3,4]x[3,4,2]', op: 'MatMul', opset: 13, inputs: [x(2, 1, 3, 4), x(3, 4, 2)] },
  { name: 'MatMul 1-D x 2-D', op: 'MatMul', opset: 13, inputs: [x(4), c(4, 3)] },
  { name: 'MatMul 3-D x 1-D', op: 'MatMul', opset: 13, inputs: [x(2, 3, 4), c(4)] },
];

const shapes: OpCase[] = [
  { name: 'Flatten default axis', op: 'Flatten', opset: 13, inputs: [x(2, 3, 4, 5)] },
  { name: 'Flatten axis 0', op: 'Flatten', opset: 13, inputs: [x(2, 3, 4)], attrs: { axis: 0 } },
  { name: 'Flatten axis -1', op: 'Flatten', opset: 13, inputs: [x(2, 3, 4)], attrs: { axis: -1 } },
  { name: 'Flatten axis = rank', op: 'Flatten', opset: 13, inputs: [x(2, 3, 4)], attrs: { axis: 3 } },
  { name: 'Reshape [0,-1]', op: 'Reshape', opset: 13, inputs: [x(2, 3, 4), i64([0, -1])] },
  { name: 'Reshape [-1]', op: 'Reshape', opset: 5, inputs: [x(2, 3, 4), i64([-1])] },
  { name: 'Reshape [4,-1,2]', op: 'Reshape', opset: 13, inputs: [x(2, 3, 4), i64([4, -1, 2])] },
  { name: 'Reshape allowzero without zeros', op: 'Reshape', opset: 14, inputs: [x(2, 3, 4), i64([3, 8])], attrs: { allowzero: 1 } },
  { name: 'Transpose default perm', op: 'Transpose', opset: 13, inputs: [x(2, 3, 4)] },
  { name: 'Transpose NCHW->NHWC', op: 'Transpose', opset: 13, inputs: [x(1, 3, 4, 5)], attrs: { perm: [0, 2, 3, 1] } },
  { name: 'Squeeze opset 11 axes attr [1,-1]', op: 'Squeeze', opset: 11, inputs: [x(2, 1, 3, 1)], attrs: { axes: [1, -1] } },
  { name: 'Squeeze opset 11 all ones', op: 'Squeeze', opset: 11, inputs: [x(1, 3, 1, 2)] },
  { name: 'Squeeze opset 13 axes input', op: 'Squeeze', opset: 13, inputs: [x(2, 1, 3, 1), i64([-3])] },
  { name: 'Squeeze opset 13 no axes', op: 'Squeeze', opset: 13, inputs: [x(1, 3, 1, 2)] },
  { name: 'Unsqueeze opset 11 axes [0,-1]', op: 'Unsqueeze', opset: 11, inputs: [x(3, 4)], attrs: { axes: [0, -1] } },
  { name: 'Unsqueeze opset 13 axes input [1,3]', op: 'Unsqueeze', opset: 13, inputs: [x(3, 4), i64([1, 3])] },
  { name: 'Unsqueeze scalar', op: 'Unsqueeze', opset: 13, inputs: [x(), i64([0])] },
  { name: 'Concat axis 1 three inputs', op: 'Concat', opset: 13, inputs: [x(2, 3, 4), x(2, 1, 4), c(2, 2, 4)], attrs: { axis: 1 } },
  { name: 'Concat axis -1', op: 'Concat', opset: 11, inputs: [x(2, 3), x(2, 5)], attrs: { axis: -1 } },
  { name: 'Concat int64 shapes', op: 'Concat', opset: 13, inputs: [i64([1]), i64([-1])], attrs: { axis: 0 }, out: 'int64' },
  { name: 'Shape', op: 'Shape', opset: 13, inputs: [x(2, 3, 4)], out: 'int64' },
  { name: 'Shape opset 15 start 1 end -1', op: 'Shape', opset: 15, inputs: [x(2, 3, 4, 5)], attrs: { start: 1, end: -1 }, out: 'int64' },
  { name: 'Gather axis 0 negative indices', op: 'Gather', opset: 13, inputs: [x(4, 3), i64([2, -1, 0])] },
  { name: 'Gather axis 1 2-D indices', op: 'Gather', opset: 13, inputs: [x(2, 4, 3), i64([0, 1, -1, 0], [2, 2])], attrs: { axis: 1 } },
  { name: 'Gather scalar index axis -1', op: 'Gather', opset: 11, inputs: [x(2, 4, 3), i64([1], [])], attrs: { axis: -1 } },
  { name: 'Pad opset 10 attrs pads value', op: 'Pad', opset: 10, inputs: [x(1, 2, 3, 3)], attrs: { pads: [0, 0, 1, 2, 0, 0, 2, 1], value: float(0.5) } },
  { name: 'Pad opset 13 inputs with crop', op: 'Pad', opset: 13, inputs: [x(2, 4, 5), i64([0, 1, -1, 1, -2, 2]), { shape: [], kind: 'const', values: [-1] }] },
  { name: 'Pad opset 13 no constant_value', op: 'Pad', opset: 13, inputs: [x(3, 3), i64([1, 0, 0, 2])], attrs: { mode: 'constant' } },
  { name: 'Pad opset 18 axes', op: 'Pad', opset: 18, inputs: [x(1, 2, 3, 3), i64([1, 2, 0, 1]), omit, i64([2, -1])] },
];

const other: OpCase[] = [
  { name: 'Softmax opset 11 axis 1 flattens [2,3,4]', op: 'Softmax', opset: 11, inputs: [{ shape: [2, 3, 4], lo: -3, hi: 3 }] },
  { name: 'Softmax opset 11 axis 2', op: 'Softmax', opset: 11, inputs: [{ shape: [2, 3, 4], lo: -3, hi: 3 }], attrs: { axis: 2 } },
  { name: 'Softmax opset 11 axis -2', op: 'Softmax', opset: 11, inputs: [{ shape: [2, 3, 4], lo: -3, hi: 3 }], attrs: { axis: -2 } },
  { name: 'Softmax opset 13 default axis -1', op: 'Softmax', opset: 13, inputs: [{ shape: [2, 3, 4], lo: -3, hi: 3 }] },
  { name: 'Softmax opset 13 axis 1', op: 'Softmax', opset: 13, inputs: [{ shape: [2, 3, 4], lo: -3, hi: 3 }], attrs: { axis: 1 } },
  { name: 'Softmax opset 13 [1,10]', op: 'Softmax', opset: 13, inputs: [{ shape: [1, 10], lo: -20, hi: 20 }] },
  { name: 'BatchNormalization opset 9', op: 'BatchNormalization', opset: 9, inputs: [x(2, 3, 4, 4), c(3), c(3), c(3), positive(3)] },
  {
    name: 'BatchNormalization opset 15 epsilon',
    op: 'BatchNormalization',
    opset: 15,
    inputs: [x(1, 4, 3, 5), c(4), c(4), c(4), positive(4)],
    attrs: { epsilon: float(1e-3) },
  },
  { name: 'BatchNormalization 2-D input', op: 'BatchNormalization', opset: 14, inputs: [x(3, 5), c(5), c(5), c(5), positive(5)] },
];

export const OP_CASES: readonly OpCase[] = [...elementwise, ...pooling, ...conv, ...matmul, ...shapes, ...other];
