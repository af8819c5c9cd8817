// ONNX test networks written to a folder with their inputs: 20 test inputs and a separate
// calibration set, all seeded, so every run of a test sees the same model and data.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeNpy } from '../../golden/npy.js';
import type { ArchConfig } from '../../spec/arch.js';
import { openBackend } from '../../runtime/open-backend.js';
import { prepareOnnx, type Prepared } from '../../runtime/onnx/prepare.js';
import { runOnnx, type OnnxRun } from '../../runtime/onnx/run-onnx.js';
import type { BackendName } from '../../runtime/backend.js';
import type { OnnxTestModel } from '../support/onnx-models.js';
import { randomTensor, seededRng } from '../support/onnx-random.js';

export interface ModelFiles {
  model: string;
  input: string;
  calibrate: string;
}

/** MODEL.onnx, X.npy (`items` inputs, uniform 0..1) and CAL.npy (16 other inputs) in `dir`. */
export function writeModel(dir: string, name: string, m: OnnxTestModel, items: number, seed: number): ModelFiles {
  const files = { model: path.join(dir, `${name}.onnx`), input: path.join(dir, `${name}-x.npy`), calibrate: path.join(dir, `${name}-cal.npy`) };
  writeFileSync(files.model, m.bytes);
  const rng = seededRng(seed);
  for (const [file, n] of [
    [files.input, items],
    [files.calibrate, 16],
  ] as const) {
    const t = randomTensor(rng, [n, ...m.inputShape.slice(1)], 0, 1);
    writeNpy(file, { dtype: 'float32', shape: t.shape, data: Float32Array.from(t.data) });
  }
  return files;
}

export async function runModel(files: ModelFiles, arch: ArchConfig, backend: BackendName): Promise<{ prepared: Prepared; run: OnnxRun }> {
  const prepared = await prepareOnnx(files, arch);
  const b = await openBackend(backend, arch, {});
  try {
    return { prepared, run: await runOnnx(prepared, arch, b) };
  } finally {
    await b.close();
  }
}

/** Batch items whose top-1 differs from the float model's while its top-2 are more than `tie` apart. */
export function clearDisagreements(run: OnnxRun, tie: number): number[] {
  const items = run.output.shape[0]!;
  const per = run.output.data.length / items;
  const out: number[] = [];
  for (let n = 0; n < items; n++) {
    const ref = Array.from(run.reference.data.subarray(n * per, (n + 1) * per));
    const got = Array.from(run.output.data.subarray(n * per, (n + 1) * per));
    const top = (v: number[]): number => v.indexOf(Math.max(...v));
    const sorted = [...ref].sort((a, b) => b - a);
    if (top(ref) !== top(got) && sorted[0]! - sorted[1]! > tie) out.push(n);
  }
  return out;
}
