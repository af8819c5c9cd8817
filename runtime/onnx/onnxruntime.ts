// The float model run by onnxruntime-node (an optional dependency, loaded on first use), with
// chosen inner tensors exposed as extra graph outputs, so each chip layer's output can be held
// against the float network at the same point. The tests' reference runs go through here too.
import { createRequire } from 'node:module';
import pkg from 'onnx-proto';
import type { Tensor } from '../../golden/host/tensor.js';

const { onnx } = pkg;

type Ort = typeof import('onnxruntime-node');

let loaded: Promise<{ ort: Ort; version: string } | null> | undefined;

/** onnxruntime-node with its version, or null when it is not installed (npm ci --omit=optional) or has no binding here. */
export function loadOnnxRuntime(): Promise<{ ort: Ort; version: string } | null> {
  // Node puts a CommonJS module's exports on `default`; some loaders (tsx) also hoist them to the namespace.
  loaded ??= import('onnxruntime-node').then(
    (m: Ort & { default?: Ort }) => ({
      ort: m.default ?? m,
      version: (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version,
    }),
    () => null,
  );
  return loaded;
}

/** The model with `extra` tensors (name -> shape) added to its graph outputs. */
function withOutputs(bytes: Uint8Array, extra: ReadonlyMap<string, number[]>): Uint8Array {
  if (extra.size === 0) return bytes;
  const model = onnx.ModelProto.decode(bytes);
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
  return onnx.ModelProto.encode(model).finish();
}

/** The model's outputs and `extra` tensors on float32 `feeds`; outputs of any numeric type come back as float64 tensors. */
export async function runOnnxRuntime(
  ort: Ort,
  bytes: Uint8Array,
  feeds: Record<string, Tensor>,
  extra: ReadonlyMap<string, number[]> = new Map(),
): Promise<Map<string, Tensor>> {
  const session = await ort.InferenceSession.create(withOutputs(bytes, extra), { logSeverityLevel: 3 });
  try {
    const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor('float32', Float32Array.from(t.data), t.shape)]));
    const out = new Map<string, Tensor>();
    for (const [k, v] of Object.entries(await session.run(ortFeeds))) {
      const data = v.data as ArrayLike<number | bigint>;
      out.set(k, { shape: [...v.dims], data: Float64Array.from({ length: data.length }, (_, i) => Number(data[i])) });
    }
    return out;
  } finally {
    await session.release();
  }
}
