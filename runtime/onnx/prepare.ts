// Everything an ONNX run needs before any layer runs: the model read and shaped, split into chip
// layers and host steps, the input and calibration tensors read and checked, the network
// quantized, and every chip layer mapped on the architecture, so any problem shows up first.
import path from 'node:path';
import type { ArchConfig } from '../../spec/arch.js';
import { makeLayer, type Layer } from '../../golden/layers.js';
import { readNpy } from '../../golden/npy.js';
import { tensor, type Tensor } from '../../golden/host/tensor.js';
import { mapForRun, UnmappableLayerError } from '../run-layer.js';
import { inputShape, shapeGraph } from './shapes.js';
import { planGraph, type ChipStep, type Plan } from './plan.js';
import { quantizeNet, type Quantized } from './quantize-net.js';
import { OnnxImportError, readOnnxModel } from './read-model.js';

export interface OnnxInputs {
  model: string;
  /** X.npy, float32, the input's shape; without it, the first calibration batch is the input. */
  input?: string;
  inputShape?: string;
  /** CAL.npy, float32, K inputs stacked on the batch axis (K a multiple of the batch). */
  calibrate?: string;
}

export interface Prepared {
  plan: Plan;
  net: Quantized;
  input: Tensor;
  /** Calibration inputs (batches of the input's shape), and what they came from. */
  calibration: { batches: number; from: string };
  /** The chip layer of each chip step, with the sign of its iacts. */
  layers: Map<ChipStep, Layer>;
}

function readFloat(file: string, flag: string): Tensor {
  let a;
  try {
    a = readNpy(file);
  } catch (e) {
    throw new OnnxImportError(`${flag} ${file}: ${(e as Error).message}`);
  }
  if (a.dtype !== 'float32') throw new OnnxImportError(`${flag} ${file}: dtype is ${a.dtype}; fix: save the float input as float32 (x.astype(np.float32))`);
  for (let i = 0; i < a.data.length; i++)
    if (!Number.isFinite(a.data[i]!)) throw new OnnxImportError(`${flag} ${file}: element ${i} is ${a.data[i]}; fix: give finite values`);
  return tensor(a.shape, a.data);
}

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** CAL.npy as batches of the input's shape; the last one filled up by repeating inputs from the first. */
function calibrationBatches(cal: Tensor, shape: number[], file: string): Tensor[] {
  const [N, ...rest] = shape as [number, ...number[]];
  const [K, ...calRest] = cal.shape;
  if (!same(rest, calRest) || K === undefined || K === 0)
    throw new OnnxImportError(
      `--calibrate ${file}: shape [${cal.shape.join(', ')}]; fix: stack calibration inputs of shape [${rest.join(', ')}] on the first axis`,
    );
  const item = cal.data.length / K;
  return Array.from({ length: Math.ceil(K / N) }, (_, b) => {
    const data = new Float64Array(N * item);
    for (let n = 0; n < N; n++) data.set(cal.data.subarray(((b * N + n) % K) * item, (((b * N + n) % K) + 1) * item), n * item);
    return tensor(shape, data);
  });
}

/** Every chip layer as the chip takes it, and each mapped on `arch`; all problems reported together. */
function chipLayers(plan: Plan, net: Quantized, arch: ArchConfig): Map<ChipStep, Layer> {
  const layers = new Map<ChipStep, Layer>();
  const problems: string[] = [];
  for (const step of plan.steps) {
    if (step.kind !== 'chip') continue;
    try {
      const layer = makeLayer({ ...step.shape, name: step.name, iactSigned: net.params.get(step.input)!.signed });
      mapForRun(layer, net.layers.get(step)!.weights, arch);
      layers.set(step, layer);
    } catch (e) {
      if (!(e instanceof UnmappableLayerError) && !(e instanceof RangeError)) throw e;
      problems.push(`  layer ${step.name} (node ${step.nodes[0]}): ${e.message}`);
    }
  }
  if (problems.length > 0)
    throw new OnnxImportError(`${plan.sg.graph.file}: ${problems.length} chip layer${problems.length === 1 ? '' : 's'} cannot run\n${problems.join('\n')}`);
  return layers;
}

export async function prepareOnnx(o: OnnxInputs, arch: ArchConfig): Promise<Prepared> {
  const graph = readOnnxModel(o.model);
  if (graph.outputs.length !== 1)
    throw new OnnxImportError(`--onnx ${o.model}: the graph has ${graph.outputs.length} outputs; fix: export a model with one output (the classifier's)`);
  const given = o.input === undefined ? null : readFloat(o.input, '--input');
  const cal = o.calibrate === undefined ? null : readFloat(o.calibrate, '--calibrate');
  if (given === null && cal === null)
    throw new OnnxImportError('give --input X.npy or --calibrate CAL.npy (float32): the activation scales come from real inputs');
  const shape = inputShape(graph, o.inputShape ?? given?.shape.join('x'));
  if (given !== null && !same(given.shape, shape))
    throw new OnnxImportError(
      `--input ${o.input}: shape [${given.shape.join(', ')}], the model runs [${shape.join(', ')}]; fix: give an input of that shape or change --input-shape`,
    );
  const plan = planGraph(shapeGraph(graph, shape));
  const batches = cal === null ? [given!] : calibrationBatches(cal, shape, o.calibrate!);
  const input = given ?? batches[0]!;
  const net = await quantizeNet(plan, batches);
  const from = cal === null ? `the input (${path.basename(o.input!)})` : `${path.basename(o.calibrate!)} (${cal.shape[0]} inputs)`;
  return { plan, net, input, calibration: { batches: batches.length, from }, layers: chipLayers(plan, net, arch) };
}
