// The shaped graph -> what runs where. Every Conv, Gemm and MatMul with constant weights becomes
// a chip layer; the BatchNormalization, constant bias Add and ReLU / ReLU6 right after one fold
// into it (weights, bias, output clamp), as deployed int8 networks do. Everything else runs on
// the host (golden/host/). Pads and strides the chip cannot take directly become host steps
// around the layer: a zero pre-pad (exact, the zero point is 0) and a subsample.
import type { Layer, LayerType } from '../../golden/layers.js';
import type { Tensor } from '../../golden/host/tensor.js';
import { OnnxImportError, type OnnxNode } from './read-model.js';
import type { ShapedGraph } from './shapes.js';

/** A layer's shape as the chip takes it (golden/layers.ts Layer without name and sign). */
export type ChipShape = Omit<Layer, 'name' | 'iactSigned'>;

export interface ChipStep {
  kind: 'chip';
  /** Layer name: the ONNX node's, made safe for file names. */
  name: string;
  /** The ONNX nodes folded into the layer, first the Conv/Gemm/MatMul. */
  nodes: string[];
  input: string;
  output: string;
  shape: ChipShape;
  /** Zero padding the host adds first ([top, left, bottom, right]), when the pads are asymmetric. */
  prePad: [number, number, number, number] | null;
  /** Every k-th output row and column kept, when the strides differ (the chip runs their gcd). */
  subsample: [number, number] | null;
  /** Float weights MCRS (C per group) and bias per output channel, BatchNormalization folded in. */
  weights: Float64Array;
  bias: Float64Array;
  /** The fused activation's clamp of the real output (-Infinity/Infinity when none). */
  lo: number;
  hi: number;
}

export interface HostStep {
  kind: 'host';
  node: OnnxNode;
}

export type Step = ChipStep | HostStep;

export interface Plan {
  sg: ShapedGraph;
  steps: Step[];
  /**
   * Tensors that some later chip layer reads, directly or through host steps: these are 8-bit
   * codes. The others (the classifier's logits, its softmax) stay real numbers, as deployed int8
   * networks dequantize before their last host operators.
   */
  codes: Set<string>;
}

function codeTensors(steps: readonly Step[]): Set<string> {
  const codes = new Set<string>();
  for (const s of [...steps].reverse()) {
    if (s.kind === 'chip') codes.add(s.input);
    else if (s.node.outputs.some((o) => codes.has(o))) for (const i of s.node.inputs) if (i !== '') codes.add(i);
  }
  return codes;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const ints = (v: unknown, dflt: number[]): number[] => (Array.isArray(v) ? (v as number[]) : dflt);

/** The sole consumer of a tensor, when it has exactly one and is not a graph output. */
function soleConsumer(sg: ShapedGraph, t: string, consumers: Map<string, OnnxNode[]>): OnnxNode | null {
  const c = consumers.get(t) ?? [];
  return c.length === 1 && !sg.graph.outputs.includes(t) ? c[0]! : null;
}

/** [top, left, bottom, right] pads of a Conv, auto_pad resolved. */
function convPads(n: OnnxNode, H: number, W: number, R: number, S: number, sh: number, sw: number): [number, number, number, number] {
  const auto = typeof n.attrs['auto_pad'] === 'string' ? n.attrs['auto_pad'] : 'NOTSET';
  if (auto === 'VALID') return [0, 0, 0, 0];
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const total = (size: number, k: number, s: number): number => Math.max(0, (Math.ceil(size / s) - 1) * s + k - size);
    const th = total(H, R, sh),
      tw = total(W, S, sw);
    const lower = auto === 'SAME_LOWER';
    const begin = (t: number): number => (lower ? Math.ceil(t / 2) : Math.floor(t / 2));
    return [begin(th), begin(tw), th - begin(th), tw - begin(tw)];
  }
  const p = ints(n.attrs['pads'], [0, 0, 0, 0]);
  return [p[0]!, p[1]!, p[2]!, p[3]!];
}

/** A chip step for node `n` before anything is folded into it. */
function chipStep(n: OnnxNode, shape: ChipShape, weights: Float64Array, bias: Float64Array, around: Pick<ChipStep, 'prePad' | 'subsample'>): ChipStep {
  return {
    kind: 'chip',
    name: n.name,
    nodes: [n.name],
    input: n.inputs[0]!,
    output: n.outputs[0]!,
    shape,
    ...around,
    weights,
    bias,
    lo: -Infinity,
    hi: Infinity,
  };
}

function constOf(sg: ShapedGraph, n: OnnxNode, k: number, what: string): Tensor {
  const t = sg.consts.get(n.inputs[k] ?? '');
  if (t === undefined)
    throw new OnnxImportError(
      `${sg.graph.file}: node ${n.name} (${n.op}): its ${what} (${n.inputs[k]}) is computed at run time; fix: the chip needs constant weights (export with constant folding)`,
    );
  return t;
}

function convStep(sg: ShapedGraph, n: OnnxNode): ChipStep {
  const where = `${sg.graph.file}: node ${n.name} (Conv)`;
  const x = sg.shapes.get(n.inputs[0]!)!;
  const w = constOf(sg, n, 1, 'weight');
  if (x.length !== 4 || w.shape.length !== 4)
    throw new OnnxImportError(`${where}: only 2-D convolutions (NCHW input) are supported; its input has ${x.length} dims`);
  if (ints(n.attrs['dilations'], [1, 1]).some((d) => d !== 1))
    throw new OnnxImportError(`${where}: dilations ${JSON.stringify(n.attrs['dilations'])} are not supported by the chip (only 1)`);
  const [N, C, H, W] = x as [number, number, number, number];
  const [M, , R, S] = w.shape as [number, number, number, number];
  const groups = typeof n.attrs['group'] === 'number' ? n.attrs['group'] : 1;
  const [sh, sw] = ints(n.attrs['strides'], [1, 1]) as [number, number];
  const [t, l, b, r] = convPads(n, H, W, R, S, sh, sw);
  const symmetric = t === l && t === b && t === r;
  const stride = gcd(sh, sw);
  const type: LayerType = groups === C && M === C && C > 1 ? 'depthwise' : R === 1 && S === 1 && groups === 1 ? 'pointwise' : 'conv';
  const bias = n.inputs[2] ? Float64Array.from(constOf(sg, n, 2, 'bias').data) : new Float64Array(M);
  const shape = { type, N, C, M, H: symmetric ? H : H + t + b, W: symmetric ? W : W + l + r, R, S, stride, padding: symmetric ? t : 0, groups };
  return chipStep(n, shape, Float64Array.from(w.data), bias, {
    prePad: symmetric ? null : [t, l, b, r],
    subsample: sh === sw ? null : [sh / stride, sw / stride],
  });
}

/** Gemm / MatMul: an [N, K] x [K, M] product as a fully connected layer (H = W = R = S = 1). */
function matmulStep(sg: ShapedGraph, n: OnnxNode): ChipStep {
  const where = `${sg.graph.file}: node ${n.name} (${n.op})`;
  const a = sg.shapes.get(n.inputs[0]!)!;
  const b = constOf(sg, n, 1, 'weight matrix');
  const gemm = n.op === 'Gemm';
  if (a.length !== 2 || b.shape.length !== 2)
    throw new OnnxImportError(`${where}: only a 2-D input times a constant 2-D matrix runs on the chip (input dims [${a.join(', ')}]); fix: Flatten before it`);
  if (gemm && n.attrs['transA'] === 1) throw new OnnxImportError(`${where}: transA = 1 is not supported (the input must be [batch, features])`);
  const transB = gemm && n.attrs['transB'] === 1;
  const [K, M] = transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  const alpha = gemm && typeof n.attrs['alpha'] === 'number' ? n.attrs['alpha'] : 1;
  const weights = new Float64Array(M * K);
  for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) weights[m * K + k] = alpha * b.data[transB ? m * K + k : k * M + m]!;
  const bias = new Float64Array(M);
  if (gemm && n.inputs[2]) {
    const c = constOf(sg, n, 2, 'bias C');
    const beta = typeof n.attrs['beta'] === 'number' ? n.attrs['beta'] : 1;
    if (c.data.length !== 1 && c.data.length !== M)
      throw new OnnxImportError(`${where}: bias C of shape [${c.shape.join(', ')}] is not one value per output; fix: give C as [${M}]`);
    for (let m = 0; m < M; m++) bias[m] = beta * c.data[c.data.length === 1 ? 0 : m]!;
  }
  const shape = { type: 'fc' as const, N: a[0]!, C: K, M, H: 1, W: 1, R: 1, S: 1, stride: 1, padding: 0, groups: 1 };
  return chipStep(n, shape, weights, bias, { prePad: null, subsample: null });
}

/** Per output channel values of a constant shaped [M], [1, M], [M, 1, 1] or [1, M, 1, 1]; null otherwise. */
function perChannel(t: Tensor, M: number, rank: number): Float64Array | null {
  if (t.data.length !== M) return null;
  const dims = t.shape.filter((d: number) => d !== 1);
  const channelAxis = t.shape.length - (rank === 4 ? 3 : 1);
  if (dims.length > 1 || (M > 1 && t.shape[channelAxis] !== M)) return null;
  return Float64Array.from(t.data);
}

/** Folds what follows the layer into it while that is its sole consumer; returns the folded nodes. */
function foldFollowers(sg: ShapedGraph, step: ChipStep, consumers: Map<string, OnnxNode[]>): OnnxNode[] {
  const folded: OnnxNode[] = [];
  const M = step.shape.M;
  const rank = sg.shapes.get(step.output)!.length;
  for (let next = soleConsumer(sg, step.output, consumers); next !== null; next = soleConsumer(sg, step.output, consumers)) {
    const activated = step.lo !== -Infinity || step.hi !== Infinity;
    if (next.op === 'BatchNormalization' && !activated && next.inputs.slice(1).every((i) => sg.consts.has(i))) {
      const [scale, beta, mean, variance] = next.inputs.slice(1, 5).map((i) => sg.consts.get(i)!.data);
      const eps = typeof next.attrs['epsilon'] === 'number' ? next.attrs['epsilon'] : 1e-5;
      const per = step.weights.length / M;
      for (let m = 0; m < M; m++) {
        const g = scale![m]! / Math.sqrt(variance![m]! + eps);
        for (let k = 0; k < per; k++) step.weights[m * per + k]! *= g;
        step.bias[m] = (step.bias[m]! - mean![m]!) * g + beta![m]!;
      }
    } else if (next.op === 'Add' && !activated && next.inputs.length === 2) {
      const other = next.inputs[0] === step.output ? next.inputs[1]! : next.inputs[0]!;
      const c = sg.consts.get(other);
      const values = c === undefined ? null : perChannel(c, M, rank);
      if (values === null) break;
      for (let m = 0; m < M; m++) step.bias[m]! += values[m]!;
    } else if (next.op === 'Relu' && step.lo === -Infinity) {
      step.lo = 0;
    } else if (next.op === 'Clip' && !activated) {
      const bound = (attr: string, k: number, dflt: number): number | null => {
        if (sg.graph.opset < 11) return typeof next.attrs[attr] === 'number' ? next.attrs[attr] : dflt;
        if (!next.inputs[k]) return dflt;
        const t = sg.consts.get(next.inputs[k]);
        return t === undefined ? null : t.data[0]!;
      };
      const lo = bound('min', 1, -Infinity),
        hi = bound('max', 2, Infinity);
      // Only a clamp at or above 0 fits the layer's unsigned output (ReLU6 and the like).
      if (lo === null || hi === null || lo < 0) break;
      step.lo = lo;
      step.hi = hi;
    } else break;
    folded.push(next);
    step.nodes.push(next.name);
    step.output = next.outputs[0]!;
  }
  return folded;
}

/** Splits the shaped graph into chip layers and host steps, in the graph's order. */
export function planGraph(sg: ShapedGraph): Plan {
  const consumers = new Map<string, OnnxNode[]>();
  for (const n of sg.nodes) for (const i of n.inputs) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const folded = new Set<OnnxNode>();
  const steps: Step[] = [];
  const names = new Set<string>();
  for (const n of sg.nodes) {
    if (folded.has(n)) continue;
    const onChip =
      (n.op === 'Conv' && sg.consts.has(n.inputs[1]!)) ||
      ((n.op === 'Gemm' || n.op === 'MatMul') && sg.consts.has(n.inputs[1]!) && sg.shapes.get(n.inputs[0]!)?.length === 2);
    if (!onChip) {
      steps.push({ kind: 'host', node: n });
      continue;
    }
    const step = n.op === 'Conv' ? convStep(sg, n) : matmulStep(sg, n);
    for (const f of foldFollowers(sg, step, consumers)) folded.add(f);
    // Layer names become result keys and file names: unique and file-safe.
    let name = step.name.replace(/[^A-Za-z0-9._-]/g, '_') || `layer${steps.length}`;
    while (names.has(name)) name = `${name}_`;
    names.add(name);
    steps.push({ ...step, name });
  }
  if (!steps.some((s) => s.kind === 'chip'))
    throw new OnnxImportError(`${sg.graph.file}: no Conv, Gemm or MatMul with constant weights: nothing would run on the chip`);
  return { sg, steps, codes: codeTensors(steps) };
}
