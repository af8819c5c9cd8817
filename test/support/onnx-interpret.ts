// A test-only interpreter: decodes an ONNX model and runs its nodes in order with the golden host
// operators. It proves the builder's encoding and the host ops agree with onnxruntime end to end;
// the real importer and executor live elsewhere.
import pkg from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';
import { runHostOp, type AttrValue } from '../../golden/host/ops.js';
import { tensor, type Tensor } from '../../golden/host/tensor.js';

const { onnx } = pkg;
const AttrType = onnx.AttributeProto.AttributeType;
const DataType = onnx.TensorProto.DataType;

/** protobufjs decodes int64 fields as Long objects when the long package is present. */
type Int64 = number | { toString(): string };
const num = (v: Int64): number => (typeof v === 'number' ? v : Number(v.toString()));

export function decodeTensor(t: Onnx.ITensorProto): Tensor {
  const shape = (t.dims ?? []).map(num);
  if (t.dataType === DataType.FLOAT) {
    if (t.rawData?.length) {
      const raw = t.rawData;
      return tensor(shape, new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)));
    }
    return tensor(shape, t.floatData ?? []);
  }
  if (t.dataType === DataType.INT64) return tensor(shape, (t.int64Data ?? []).map(num));
  throw new Error(`interpreter: tensor ${t.name} has data type ${t.dataType}, which the builder never writes`);
}

function decodeAttr(a: Onnx.IAttributeProto): AttrValue {
  switch (a.type) {
    case AttrType.INT:
      return num((a.i as Int64 | null | undefined) ?? 0);
    case AttrType.FLOAT:
      return a.f ?? 0;
    case AttrType.INTS:
      return (a.ints ?? []).map(num);
    case AttrType.FLOATS:
      return a.floats ?? [];
    case AttrType.STRING:
      return new TextDecoder().decode(a.s ?? new Uint8Array());
    case AttrType.TENSOR:
      return decodeTensor(a.t ?? {});
    default:
      throw new Error(`interpreter: attribute ${a.name} has type ${a.type}`);
  }
}

/** Runs the graph on `feeds`; returns every graph output. */
export function interpretOnnx(bytes: Uint8Array, feeds: Record<string, Tensor>): Record<string, Tensor> {
  const model = onnx.ModelProto.decode(bytes);
  const opset = num((model.opsetImport.find((o) => !o.domain)?.version as Int64 | null | undefined) ?? 0);
  const graph = model.graph!;
  const values = new Map<string, Tensor>(Object.entries(feeds));
  for (const init of graph.initializer ?? []) values.set(init.name ?? '', decodeTensor(init));
  for (const node of graph.node ?? []) {
    const inputs = (node.input ?? []).map((name) => {
      if (name === '') return null;
      const v = values.get(name);
      if (!v) throw new Error(`interpreter: node ${node.name} reads ${name} before it is computed`);
      return v;
    });
    const attrs: Record<string, AttrValue> = Object.fromEntries((node.attribute ?? []).map((a) => [a.name ?? '', decodeAttr(a)]));
    const outputs = runHostOp({ op: node.opType ?? '', opset, inputs, attrs });
    outputs.forEach((t, k) => values.set(node.output?.[k] ?? '', t));
  }
  const result: Record<string, Tensor> = {};
  for (const o of graph.output ?? []) {
    const v = values.get(o.name ?? '');
    if (!v) throw new Error(`interpreter: graph output ${o.name} is never computed`);
    result[o.name ?? ''] = v;
  }
  return result;
}
