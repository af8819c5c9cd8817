// The float model run by onnxruntime-node (an optional dependency), with every tensor the chip
// layers produce exposed as an extra graph output, so each layer's chip output can be held
// against the float network at the same point.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import pkg from 'onnx-proto';
import { tensor, type Tensor } from '../../golden/host/tensor.js';

const { onnx } = pkg;

interface OrtTensor {
  dims: readonly number[];
  data: ArrayLike<number>;
}
interface Ort {
  InferenceSession: { create(bytes: Uint8Array): Promise<{ run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>> }> };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
}

/** onnxruntime-node with its version, or null when it is not installed (npm ci --omit=optional). */
export async function loadOnnxRuntime(): Promise<{ ort: Ort; version: string } | null> {
  try {
    const mod = (await import('onnxruntime-node')) as unknown as { default?: Ort } & Ort;
    const version = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;
    return { ort: mod.default ?? mod, version };
  } catch {
    return null;
  }
}

/** The model's outputs and `extra` tensors (name -> shape) on `input`, in float32 as onnxruntime computes them. */
export async function runOnnxRuntime(ort: Ort, file: string, input: { name: string; t: Tensor }, extra: Map<string, number[]>): Promise<Map<string, Tensor>> {
  const model = onnx.ModelProto.decode(readFileSync(file));
  const g = model.graph!;
  const have = new Set((g.output ?? []).map((o) => o.name));
  for (const [name, dims] of extra) {
    if (have.has(name)) continue;
    g.output!.push(
      onnx.ValueInfoProto.create({
        name,
        type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
      }),
    );
  }
  const session = await ort.InferenceSession.create(onnx.ModelProto.encode(model).finish());
  const out = await session.run({ [input.name]: new ort.Tensor('float32', Float32Array.from(input.t.data), input.t.shape) });
  return new Map(Object.entries(out).map(([k, v]) => [k, tensor([...v.dims], v.data)]));
}
