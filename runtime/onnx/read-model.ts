// MODEL.onnx -> the graph the importer works on: nodes in file order, constants (initializers and
// Constant nodes) as float64 tensors, the graph's inputs with their dims (a string for a dynamic
// one). Everything the importer cannot take is reported here, naming the node, before any work.
import { readFileSync, statSync } from 'node:fs';
import pkg from 'onnx-proto';
import { tensor, type Tensor } from '../../golden/host/tensor.js';
import type { AttrValue } from '../../golden/host/ops.js';

const { onnx } = pkg;

export interface OnnxNode {
  /** The node's name, or "#i (OpType)" when the file gives none: every message names a node. */
  name: string;
  op: string;
  /** '' for an omitted optional input. */
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

export interface OnnxInput {
  name: string;
  /** A number per fixed dim; the dim's name (or '?') for a dynamic one. */
  dims: (number | string)[];
}

export interface OnnxGraph {
  file: string;
  /** The default domain's opset. */
  opset: number;
  producer: string;
  inputs: OnnxInput[];
  outputs: string[];
  nodes: OnnxNode[];
  consts: Map<string, Tensor>;
}

/** A model the importer cannot take; the message names the file, the node and the fix. */
export class OnnxImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxImportError';
  }
}

const MIN_OPSET = 9;

// protobufjs gives int64 fields as numbers or Long objects (whose toString is the decimal value).
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(String(v)));

// TensorProto.DataType values the importer reads (others are not weights of a CNN).
const FLOAT = 1,
  UINT8 = 2,
  INT8 = 3,
  INT32 = 6,
  INT64 = 7,
  BOOL = 9,
  DOUBLE = 11;

function rawValues(t: InstanceType<typeof onnx.TensorProto>, count: number, where: string): ArrayLike<number> {
  const raw = t.rawData;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const size = { [FLOAT]: 4, [UINT8]: 1, [INT8]: 1, [INT32]: 4, [INT64]: 8, [BOOL]: 1, [DOUBLE]: 8 }[t.dataType];
  if (size === undefined) throw new OnnxImportError(`${where}: tensor data type ${t.dataType} is not supported (float, double, int8/32/64, uint8, bool)`);
  if (raw.byteLength !== count * size) throw new OnnxImportError(`${where}: raw data holds ${raw.byteLength} bytes, its dims need ${count * size}`);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * size;
    out[i] =
      t.dataType === FLOAT
        ? view.getFloat32(o, true)
        : t.dataType === DOUBLE
          ? view.getFloat64(o, true)
          : t.dataType === INT64
            ? Number(view.getBigInt64(o, true))
            : t.dataType === INT32
              ? view.getInt32(o, true)
              : t.dataType === INT8
                ? view.getInt8(o)
                : view.getUint8(o);
  }
  return out;
}

function readTensor(t: InstanceType<typeof onnx.TensorProto>, where: string): Tensor {
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL)
    throw new OnnxImportError(
      `${where}: the tensor's data is in an external file; fix: save the model with its weights inside (onnx.save(model, path, save_as_external_data=False))`,
    );
  const dims = t.dims.map(num);
  const count = dims.reduce((p, d) => p * d, 1);
  let values: ArrayLike<number>;
  if (t.rawData !== null && t.rawData !== undefined && t.rawData.length > 0) values = rawValues(t, count, where);
  else if (t.floatData.length > 0) values = t.floatData;
  else if (t.doubleData.length > 0) values = t.doubleData;
  else if (t.int64Data.length > 0) values = t.int64Data.map(num);
  else if (t.int32Data.length > 0) values = t.int32Data;
  else values = new Float64Array(0);
  if (values.length !== count) throw new OnnxImportError(`${where}: holds ${values.length} values, its dims [${dims.join(', ')}] need ${count}`);
  return tensor(dims, values);
}

function readAttr(a: InstanceType<typeof onnx.AttributeProto>, where: string): AttrValue {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.FLOAT:
      return a.f;
    case T.INT:
      return num(a.i);
    case T.STRING:
      return new TextDecoder().decode(a.s);
    case T.TENSOR:
      return readTensor(a.t as InstanceType<typeof onnx.TensorProto>, `${where} attribute ${a.name}`);
    case T.FLOATS:
      return [...a.floats];
    case T.INTS:
      return a.ints.map(num);
    default:
      throw new OnnxImportError(`${where}: attribute ${a.name} has type ${a.type} (graphs, string lists), which no supported operator takes`);
  }
}

function decode(file: string): InstanceType<typeof onnx.ModelProto> {
  let bytes: Buffer;
  try {
    if (statSync(file).isDirectory()) throw new OnnxImportError(`--onnx ${file}: is a folder; fix: give the .onnx file inside it`);
    bytes = readFileSync(file);
  } catch (e) {
    if (e instanceof OnnxImportError) throw e;
    throw new OnnxImportError(`--onnx ${file}: cannot read it (${(e as Error).message}); fix: give the path of an .onnx file`);
  }
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new OnnxImportError(
      `--onnx ${file}: not an ONNX model (protobuf: ${(e as Error).message}); fix: export the network with torch.onnx.export, tf2onnx or paddle2onnx`,
    );
  }
}

/** Reads and checks an ONNX file; throws OnnxImportError naming the file, the node and the fix. */
export function readOnnxModel(file: string): OnnxGraph {
  const model = decode(file);
  const g = model.graph;
  if (g === null || g === undefined || (g.node ?? []).length === 0)
    throw new OnnxImportError(`--onnx ${file}: the model has no graph nodes; fix: export the network again`);
  const opsets = new Map(model.opsetImport.map((o) => [o.domain ?? '', num(o.version ?? 0)]));
  const opset = opsets.get('') ?? opsets.get('ai.onnx');
  if (opset === undefined || opset < MIN_OPSET)
    throw new OnnxImportError(`--onnx ${file}: opset ${opset ?? 'none'} of the default domain; fix: export with opset_version >= ${MIN_OPSET}`);
  const consts = new Map<string, Tensor>();
  for (const init of g.initializer ?? [])
    consts.set(init.name ?? '', readTensor(init as InstanceType<typeof onnx.TensorProto>, `${file}: initializer ${init.name}`));
  const nodes: OnnxNode[] = [];
  (g.node ?? []).forEach((n, i) => {
    const name = n.name !== '' && n.name !== null && n.name !== undefined ? n.name : `#${i} (${n.opType})`;
    const where = `${file}: node ${name} (${n.opType})`;
    if (n.domain !== '' && n.domain !== 'ai.onnx' && n.domain !== null && n.domain !== undefined)
      throw new OnnxImportError(`${where}: operator of domain '${n.domain}', which is not ONNX's own; fix: export without custom operators`);
    const attrs: Record<string, AttrValue> = {};
    for (const a of n.attribute ?? []) attrs[a.name ?? ''] = readAttr(a as InstanceType<typeof onnx.AttributeProto>, where);
    if (n.opType === 'Constant') {
      const value = attrs['value'];
      if (typeof value !== 'object' || Array.isArray(value))
        throw new OnnxImportError(`${where}: only a Constant with a tensor 'value' is supported (not value_float/ints/...); fix: export with a newer exporter`);
      consts.set(n.output?.[0] ?? '', value);
      return;
    }
    nodes.push({ name, op: n.opType ?? '', inputs: [...(n.input ?? [])], outputs: [...(n.output ?? [])], attrs });
  });
  const inputs = (g.input ?? [])
    .filter((v) => !consts.has(v.name ?? ''))
    .map((v) => ({
      name: v.name ?? '',
      dims: (v.type?.tensorType?.shape?.dim ?? []).map((d) =>
        d.dimValue !== null && d.dimValue !== undefined && num(d.dimValue) > 0 ? num(d.dimValue) : d.dimParam || '?',
      ),
    }));
  if (inputs.length !== 1)
    throw new OnnxImportError(
      `--onnx ${file}: the graph has ${inputs.length} inputs (${inputs.map((v) => v.name).join(', ')}); fix: export a model with exactly one input tensor`,
    );
  return {
    file,
    opset,
    producer: `${model.producerName ?? ''} ${model.producerVersion ?? ''}`.trim(),
    inputs,
    outputs: (g.output ?? []).map((v) => v.name ?? ''),
    nodes,
    consts,
  };
}
