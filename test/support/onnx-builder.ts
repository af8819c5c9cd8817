// A small typed builder of ONNX models for the tests: graph inputs, initializers, nodes with
// explicitly typed attributes, outputs; `model()` encodes the ModelProto with onnx-proto.
import pkg from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';
import type { AttrValue } from '../../golden/host/ops.js';
import type { Tensor } from '../../golden/host/tensor.js';

const { onnx } = pkg;
const AttrType = onnx.AttributeProto.AttributeType;
const DataType = onnx.TensorProto.DataType;

/**
 * An ONNX attribute with its type stated. Plain values given to `node` are read as: an integer ->
 * INT, an array of integers -> INTS, a string -> STRING; anything else (a FLOAT, FLOATS, TENSOR)
 * must go through float(), floats() or tensorAttr(), so no attribute type is ever guessed.
 */
export type Attr =
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: Tensor };
export type AttrInput = Attr | number | number[] | string;

export const int = (value: number): Attr => ({ kind: 'int', value });
export const ints = (value: number[]): Attr => ({ kind: 'ints', value });
export const float = (value: number): Attr => ({ kind: 'float', value });
export const floats = (value: number[]): Attr => ({ kind: 'floats', value });
export const str = (value: string): Attr => ({ kind: 'string', value });
export const tensorAttr = (value: Tensor): Attr => ({ kind: 'tensor', value });

/** Value types of graph inputs and outputs; initializers are float32 or int64. */
export type ElemType = 'float32' | 'int64' | 'int32' | 'bool' | 'float64';
const ELEM: Record<ElemType, number> = { float32: DataType.FLOAT, int64: DataType.INT64, int32: DataType.INT32, bool: DataType.BOOL, float64: DataType.DOUBLE };

function toAttr(key: string, v: AttrInput): Attr {
  if (typeof v === 'string') return str(v);
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`attribute ${key}: plain number ${v} is not an integer; use float(${v}) for a FLOAT attribute`);
    return int(v);
  }
  if (Array.isArray(v)) {
    if (!v.every(Number.isInteger)) throw new Error(`attribute ${key}: plain list [${v.join(',')}] is not all integers; use floats([...]) for FLOATS`);
    return ints(v);
  }
  return v;
}

/** The attributes as the host operators take them (runHostOp's AttrValue). */
export function hostAttrs(attrs: Readonly<Record<string, AttrInput>>): Record<string, AttrValue> {
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, toAttr(k, v).value]));
}

function tensorProto(name: string, t: Tensor, type: 'float32' | 'int64'): Onnx.ITensorProto {
  // float32 as raw little-endian bytes (what exporters write), int64 in int64_data: the reader sees both encodings.
  if (type === 'float32') return { name, dims: t.shape, dataType: DataType.FLOAT, rawData: new Uint8Array(Float32Array.from(t.data).buffer) };
  if (!t.data.every(Number.isInteger)) throw new Error(`initializer ${name}: int64 values must be integers`);
  return { name, dims: t.shape, dataType: DataType.INT64, int64Data: Array.from(t.data) };
}

function attrProto(name: string, a: Attr): Onnx.IAttributeProto {
  switch (a.kind) {
    case 'int':
      return { name, type: AttrType.INT, i: a.value };
    case 'ints':
      return { name, type: AttrType.INTS, ints: a.value };
    case 'float':
      return { name, type: AttrType.FLOAT, f: a.value };
    case 'floats':
      return { name, type: AttrType.FLOATS, floats: a.value };
    case 'string':
      return { name, type: AttrType.STRING, s: new TextEncoder().encode(a.value) };
    case 'tensor':
      return { name, type: AttrType.TENSOR, t: tensorProto(name, a.value, 'float32') };
  }
}

function valueInfo(name: string, type: ElemType, shape?: readonly (number | string)[]): Onnx.IValueInfoProto {
  const dims = shape?.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: ELEM[type], ...(dims ? { shape: { dim: dims } } : {}) } } };
}

export interface ModelOptions {
  opset: number;
  irVersion?: number;
}

export class GraphBuilder {
  private readonly inputs: Onnx.IValueInfoProto[] = [];
  private readonly outputs: Onnx.IValueInfoProto[] = [];
  private readonly inits: Onnx.ITensorProto[] = [];
  private readonly nodes: Onnx.INodeProto[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(readonly name: string) {}

  /** A graph input; dims may be symbolic ('N'). Returns the value name. */
  input(name: string, shape: readonly (number | string)[], type: ElemType = 'float32'): string {
    this.inputs.push(valueInfo(this.claim(name), type, shape));
    return name;
  }

  /** A float32 initializer. */
  init(name: string, t: Tensor): string {
    this.inits.push(tensorProto(this.claim(name), t, 'float32'));
    return name;
  }

  initInt64(name: string, shape: number[], values: readonly number[]): string {
    this.inits.push(tensorProto(this.claim(name), { shape, data: Float64Array.from(values) }, 'int64'));
    return name;
  }

  /** A node with one output; returns its name. null inputs are omitted optional inputs (''). */
  node(op: string, inputs: readonly (string | null)[], attrs: Readonly<Record<string, AttrInput>> = {}): string {
    return this.nodeN(op, inputs, attrs, 1)[0]!;
  }

  /** A node with `count` outputs (e.g. MaxPool's Indices); returns their names. */
  nodeN(op: string, inputs: readonly (string | null)[], attrs: Readonly<Record<string, AttrInput>>, count: number): string[] {
    const id = this.counter++;
    const outputs = Array.from({ length: count }, (_, k) => this.claim(`${op.toLowerCase()}_${id}${count > 1 ? `_${k}` : ''}`));
    const attribute = Object.entries(attrs).map(([k, v]) => attrProto(k, toAttr(k, v)));
    this.nodes.push({ name: `${op}_${id}`, opType: op, input: inputs.map((i) => i ?? ''), output: outputs, attribute });
    return outputs;
  }

  /** Declares `name` a graph output; the shape is optional, its dims may be symbolic. */
  output(name: string, shape?: readonly (number | string)[], type: ElemType = 'float32'): void {
    this.outputs.push(valueInfo(name, type, shape));
  }

  model(opts: ModelOptions): Uint8Array {
    const graph: Onnx.IGraphProto = { name: this.name, node: this.nodes, input: this.inputs, output: this.outputs, initializer: this.inits };
    const model = onnx.ModelProto.create({
      irVersion: opts.irVersion ?? 8,
      producerName: 'eyeriss-ts test builder',
      opsetImport: [{ domain: '', version: opts.opset }],
      graph,
    });
    return onnx.ModelProto.encode(model).finish();
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`GraphBuilder ${this.name}: value name ${name} is used twice`);
    this.names.add(name);
    return name;
  }
}
