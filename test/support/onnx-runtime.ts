// onnxruntime-node for the tests, through the runtime's own loader and runner
// (runtime/onnx/onnxruntime.ts): `onnxRuntimeAvailable` lets a suite say it is missing.
import type { Tensor } from '../../golden/host/tensor.js';
import { loadOnnxRuntime, runOnnxRuntime as runOrt } from '../../runtime/onnx/onnxruntime.js';

export async function onnxRuntimeAvailable(): Promise<boolean> {
  return (await loadOnnxRuntime()) !== null;
}

/** Feeds are float32 inputs; outputs of any numeric type come back as float64 tensors. */
export async function runOnnxRuntime(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const loaded = await loadOnnxRuntime();
  if (loaded === null) throw new Error('onnxruntime-node is not available: install it with npm ci (it is an optional dependency)');
  return Object.fromEntries(await runOrt(loaded.ort, bytes, feeds));
}
