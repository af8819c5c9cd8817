// Runs a model in onnxruntime-node, the reference the host operators are judged against. It is an
// optional dependency, so it is loaded on first use and `onnxRuntimeAvailable` lets suites skip.
import type { Tensor } from '../../golden/host/tensor.js';

type Ort = typeof import('onnxruntime-node');

let loaded: Promise<Ort | Error> | undefined;

/** The module, or why it did not load (not installed, or no native binding for this platform). */
function loadOrt(): Promise<Ort | Error> {
  // Node puts a CommonJS module's exports on `default`; some loaders (tsx) also hoist them to the namespace.
  loaded ??= import('onnxruntime-node').then(
    (m: Ort & { default?: Ort }) => m.default ?? m,
    (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
  );
  return loaded;
}

export async function onnxRuntimeAvailable(): Promise<boolean> {
  return !((await loadOrt()) instanceof Error);
}

/** Feeds are float32 inputs; outputs of any numeric type come back as float64 tensors. */
export async function runOnnxRuntime(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const ort = await loadOrt();
  if (ort instanceof Error) throw new Error(`onnxruntime-node is not available: ${ort.message}`);
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  try {
    const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor('float32', Float32Array.from(t.data), t.shape)]));
    const results = await session.run(ortFeeds);
    const out: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(results)) {
      const data = v.data as ArrayLike<number | bigint>;
      out[k] = { shape: [...v.dims], data: Float64Array.from({ length: data.length }, (_, i) => Number(data[i])) };
    }
    return out;
  } finally {
    await session.release();
  }
}
