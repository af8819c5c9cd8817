// Seeded random-weight ONNX models shaped like the networks the importer must take: a
// MobileNetV2-like net (ReLU6, HardSwish both ways, squeeze-and-excitation), a ResNet-like net
// (downsample branch, a channel Concat, PyTorch's Shape/Gather/Unsqueeze/Concat/Reshape flatten)
// and a tf2onnx-style NHWC net. Small enough for the chip RTL: <= 64 channels, spatial <= 32.
import type { Tensor } from '../../golden/host/tensor.js';
import { float, GraphBuilder } from './onnx-builder.js';
import { randomTensor, seededRng, type Rng } from './onnx-random.js';

export interface OnnxTestModel {
  bytes: Uint8Array;
  inputName: string;
  /** The concrete input shape (the model itself may leave the batch symbolic). */
  inputShape: number[];
  outputName: string;
}

export interface ModelOptions {
  seed?: number;
}

interface ConvOptions {
  k: number;
  /** One stride for both axes, or [height, width]. */
  stride?: number | [number, number];
  /** [top, left, bottom, right]; defaults to k/2 on every side. */
  pads?: number[];
  group?: number;
  bias?: boolean;
}

/** A GraphBuilder with layer helpers that draw their weights from one seeded stream. */
class Net {
  readonly g: GraphBuilder;
  private readonly rng: Rng;
  private n = 0;
  private readonly scalars = new Map<number, string>();

  constructor(name: string, seed: number) {
    this.g = new GraphBuilder(name);
    this.rng = seededRng(seed);
  }

  weight(shape: number[], lo: number, hi: number): string {
    return this.g.init(`w${this.n++}`, randomTensor(this.rng, shape, lo, hi));
  }

  /** A float32 scalar initializer, shared by every node that uses the same value. */
  scalar(v: number): string {
    let name = this.scalars.get(v);
    if (!name) {
      name = this.g.init(`const_${this.scalars.size}`, { shape: [], data: Float64Array.of(v) } satisfies Tensor);
      this.scalars.set(v, name);
    }
    return name;
  }

  /** He-uniform weights (variance 2 / fan-in) keep activations O(1) through the ReLUs. */
  conv(x: string, cin: number, cout: number, o: ConvOptions): string {
    const group = o.group ?? 1;
    const half = Math.floor(o.k / 2);
    const a = Math.sqrt(6 / ((cin / group) * o.k * o.k));
    const w = this.weight([cout, cin / group, o.k, o.k], -a, a);
    const inputs = o.bias ? [x, w, this.weight([cout], -0.1, 0.1)] : [x, w];
    const s = o.stride ?? 1;
    const attrs = { kernel_shape: [o.k, o.k], strides: typeof s === 'number' ? [s, s] : s, pads: o.pads ?? [half, half, half, half], group };
    return this.g.node('Conv', inputs, attrs);
  }

  /** Random positive variance, random mean, scale and bias. */
  bn(x: string, c: number): string {
    const params = [this.weight([c], 0.5, 1.5), this.weight([c], -0.2, 0.2), this.weight([c], -0.2, 0.2), this.weight([c], 0.5, 1.5)];
    return this.g.node('BatchNormalization', [x, ...params], { epsilon: float(1e-5) });
  }

  /** Clip(0, 6) with opset >= 11 bound inputs. */
  relu6(x: string): string {
    return this.g.node('Clip', [x, this.scalar(0), this.scalar(6)]);
  }

  /** HardSwish as exporters without the op write it: x * Clip(x + 3, 0, 6) / 6. */
  hardSwishDecomposed(x: string): string {
    const gate = this.relu6(this.g.node('Add', [x, this.scalar(3)]));
    return this.g.node('Div', [this.g.node('Mul', [x, gate]), this.scalar(6)]);
  }

  /** Squeeze-and-excitation: a per-channel gate from the global average. */
  se(x: string, c: number, gate: 'HardSigmoid' | 'Sigmoid'): string {
    const pooled = this.g.node('GlobalAveragePool', [x]);
    const reduced = this.g.node('Relu', [this.conv(pooled, c, c / 4, { k: 1, bias: true })]);
    const expanded = this.conv(reduced, c / 4, c, { k: 1, bias: true });
    return this.g.node('Mul', [x, this.g.node(gate, [expanded])]);
  }

  linear(x: string, inF: number, outF: number): string {
    const a = Math.sqrt(3 / inF);
    return this.g.node('Gemm', [x, this.weight([outF, inF], -a, a), this.weight([outF], -0.1, 0.1)], { transB: 1 });
  }
}

type Activation = (net: Net, x: string) => string;
const relu6: Activation = (net, x) => net.relu6(x);

interface BlockSpec {
  cin: number;
  expand: number;
  cout: number;
  stride: number;
  act: Activation;
  se?: 'HardSigmoid' | 'Sigmoid';
}

/** An inverted residual: pointwise expand, depth-wise 3x3, optional SE, linear pointwise project, residual Add when shapes match. */
function invertedResidual(net: Net, x: string, b: BlockSpec): string {
  const mid = b.cin * b.expand;
  let y = b.expand === 1 ? x : b.act(net, net.bn(net.conv(x, b.cin, mid, { k: 1 }), mid));
  y = b.act(net, net.bn(net.conv(y, mid, mid, { k: 3, stride: b.stride, group: mid }), mid));
  if (b.se) y = net.se(y, mid, b.se);
  y = net.bn(net.conv(y, mid, b.cout, { k: 1 }), b.cout);
  return b.stride === 1 && b.cin === b.cout ? net.g.node('Add', [x, y]) : y;
}

/** Opset 14 (HardSwish); batch dimension symbolic 'N'; output [N, 10] probabilities. */
export function mobilenetV2Like(opts: ModelOptions = {}): OnnxTestModel {
  const net = new Net('mobilenet-v2-like', opts.seed ?? 1);
  const x = net.g.input('image', ['N', 3, 32, 32]);
  let y = net.relu6(net.bn(net.conv(x, 3, 16, { k: 3, stride: 2 }), 16));
  const blocks: BlockSpec[] = [
    { cin: 16, expand: 1, cout: 8, stride: 1, act: relu6 },
    { cin: 8, expand: 4, cout: 16, stride: 2, act: relu6 },
    { cin: 16, expand: 3, cout: 16, stride: 1, act: (n, v) => n.hardSwishDecomposed(v), se: 'HardSigmoid' },
    { cin: 16, expand: 4, cout: 24, stride: 2, act: (n, v) => n.g.node('HardSwish', [v]), se: 'Sigmoid' },
  ];
  for (const b of blocks) y = invertedResidual(net, y, b);
  y = net.g.node('HardSwish', [net.bn(net.conv(y, 24, 64, { k: 1 }), 64)]);
  const flat = net.g.node('Flatten', [net.g.node('GlobalAveragePool', [y])], { axis: 1 });
  const out = net.g.node('Softmax', [net.linear(flat, 64, 10)], { axis: -1 });
  net.g.output(out, ['N', 10]);
  return { bytes: net.g.model({ opset: 14, irVersion: 7 }), inputName: x, inputShape: [1, 3, 32, 32], outputName: out };
}

function basicBlock(net: Net, x: string, cin: number, cout: number, stride: number): string {
  let y = net.g.node('Relu', [net.bn(net.conv(x, cin, cout, { k: 3, stride }), cout)]);
  y = net.bn(net.conv(y, cout, cout, { k: 3 }), cout);
  const skip = stride === 1 && cin === cout ? x : net.bn(net.conv(x, cin, cout, { k: 1, stride, pads: [0, 0, 0, 0] }), cout);
  return net.g.node('Relu', [net.g.node('Add', [y, skip])]);
}

/** Opset 11 (Unsqueeze axes as an attribute, Softmax's 2-D semantics); batch N; output [N, 10]. */
export function resnetLike(opts: ModelOptions = {}): OnnxTestModel {
  const net = new Net('resnet-like', opts.seed ?? 2);
  const g = net.g;
  const x = g.input('input', ['N', 3, 32, 32]);
  let y = g.node('Relu', [net.bn(net.conv(x, 3, 16, { k: 7, stride: 2, bias: true }), 16)]);
  y = g.node('MaxPool', [y], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  y = basicBlock(net, y, 16, 16, 1);
  y = basicBlock(net, y, 16, 32, 2);
  // An inception-like pair of branches joined on channels.
  const a = g.node('Relu', [net.conv(y, 32, 16, { k: 1, bias: true })]);
  const b = g.node('Relu', [net.conv(y, 32, 16, { k: 3, bias: true })]);
  y = g.node('AveragePool', [g.node('Concat', [a, b], { axis: 1 })], { kernel_shape: [2, 2], strides: [2, 2] });
  // torch.flatten(x, 1) as PyTorch exports x.view(x.size(0), -1). The classifier's weights are
  // large enough for decisive logits, as a trained one gives (near-ties make top-1 a coin toss).
  const batch = g.node('Gather', [g.node('Shape', [y]), g.initInt64('batch_index', [], [0])], { axis: 0 });
  const shape = g.node('Concat', [g.node('Unsqueeze', [batch], { axes: [0] }), g.initInt64('minus_one', [1], [-1])], { axis: 0 });
  const flat = g.node('Reshape', [y, shape]);
  const logits = g.node('Add', [g.node('MatMul', [flat, net.weight([128, 10], -1.5, 1.5)]), net.weight([10], -0.1, 0.1)]);
  const out = g.node('Softmax', [logits], { axis: 1 });
  g.output(out, ['N', 10]);
  return { bytes: g.model({ opset: 11, irVersion: 6 }), inputName: x, inputShape: [1, 3, 32, 32], outputName: out };
}

/** tf2onnx style: NHWC in, transposed to NCHW around the convolutions; opset 13; output [1, 10]. */
export function nhwcLike(opts: ModelOptions = {}): OnnxTestModel {
  const net = new Net('nhwc-like', opts.seed ?? 3);
  const g = net.g;
  const x = g.input('input_1', [1, 16, 16, 3]);
  let y = g.node('Transpose', [x], { perm: [0, 3, 1, 2] });
  // tf2onnx's 'SAME' padding comes out as explicit asymmetric pads; strides differ per axis.
  y = g.node('Relu', [net.conv(y, 3, 8, { k: 3, stride: [2, 1], pads: [0, 0, 1, 1], bias: true })]);
  // Two groups of four channels: neither dense nor depth-wise.
  y = net.conv(y, 8, 8, { k: 3, group: 2, bias: true });
  y = g.node('Transpose', [y], { perm: [0, 2, 3, 1] });
  const flat = g.node('Reshape', [y, g.initInt64('flat_shape', [2], [1, -1])]);
  const out = g.node('MatMul', [flat, net.weight([8 * 15 * 8, 10], -0.05, 0.05)]);
  g.output(out, [1, 10]);
  return { bytes: g.model({ opset: 13 }), inputName: x, inputShape: [1, 16, 16, 3], outputName: out };
}
