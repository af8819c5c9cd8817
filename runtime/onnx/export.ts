// `import --onnx`: the quantized network written as files. network.json is a NETWORK.json of the
// chip layers, each with the int8 weights and the 8-bit iacts it runs on for the given input, so
// `run --network network.json` runs exactly the chip's part (on either backend, in regressions);
// quantization.json holds the rest: every step in order, each tensor's params, and per layer the
// bias, multipliers and shifts (.npy) that turn its psums into the next tensor.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeNpy } from '../../golden/npy.js';
import { referenceLayer } from '../../golden/reference.js';
import type { Tensor } from '../../golden/host/tensor.js';
import type { AttrValue } from '../../golden/host/ops.js';
import { runQuantized } from './execute.js';
import type { ChipStep } from './plan.js';
import type { Prepared } from './prepare.js';

/** Attribute values as JSON (a tensor attribute as its shape and values). */
const attrJson = (v: AttrValue): unknown => (typeof v === 'object' && !Array.isArray(v) ? { shape: v.shape, values: Array.from(v.data) } : v);

/** Where layer i's (1-based) files go, relative to the folder: layers/NN-name-KIND.npy (plan names are file-safe). */
const layerFile = (i: number, name: string, kind: string): string => `layers/${String(i).padStart(2, '0')}-${name}-${kind}.npy`;

/** Writes network.json, quantization.json and layers/*.npy into `dir`; returns the files written. */
export async function exportNetwork(p: Prepared, dir: string): Promise<string[]> {
  const iacts = new Map<ChipStep, Tensor>();
  // The golden reference computes what the chip would: the iacts each layer sees come from it.
  await runQuantized(p.net, p.input, (step, x, lq) => {
    iacts.set(step, x);
    return Promise.resolve(referenceLayer(p.layers.get(step)!, { iacts: Int32Array.from(x.data), weights: lq.weights }));
  });
  mkdirSync(path.join(dir, 'layers'), { recursive: true });
  const written: string[] = [];
  const npy = (rel: string, dtype: 'int8' | 'uint8' | 'int32', shape: number[], data: ArrayLike<number>): string => {
    writeNpy(path.join(dir, rel), { dtype, shape, data: Int32Array.from(data) });
    written.push(rel);
    return rel;
  };
  const g = p.plan.sg.graph;
  const chip = p.plan.steps.filter((s): s is ChipStep => s.kind === 'chip');
  const layers = chip.map((step, k) => {
    const layer = p.layers.get(step)!;
    const lq = p.net.layers.get(step)!;
    const x = iacts.get(step)!;
    const { type, ...shape } = step.shape;
    return {
      name: step.name,
      type,
      shape,
      iactSigned: layer.iactSigned,
      iacts: npy(layerFile(k + 1, step.name, 'iacts'), layer.iactSigned ? 'int8' : 'uint8', x.shape, x.data),
      weights: npy(layerFile(k + 1, step.name, 'weights'), 'int8', [shape.M, shape.C / shape.groups, shape.R, shape.S], lq.weights),
    };
  });
  const steps = p.plan.steps.map((s) => {
    if (s.kind === 'host')
      return {
        host: s.node.name,
        op: s.node.op,
        inputs: s.node.inputs,
        outputs: s.node.outputs,
        attrs: Object.fromEntries(Object.entries(s.node.attrs).map(([k, v]) => [k, attrJson(v)])),
      };
    const k = chip.indexOf(s) + 1;
    const lq = p.net.layers.get(s)!;
    return {
      chip: s.name,
      nodes: s.nodes,
      input: s.input,
      output: s.output,
      prePad: s.prePad,
      subsample: s.subsample,
      bias: npy(layerFile(k, s.name, 'bias'), 'int32', [s.shape.M], lq.bias),
      weight_scale: Array.from(lq.weightScale),
      requant:
        lq.requant === null
          ? null
          : {
              multipliers: npy(
                layerFile(k, s.name, 'multipliers'),
                'int32',
                [s.shape.M],
                lq.requant.map((r) => r.multiplier),
              ),
              shifts: npy(
                layerFile(k, s.name, 'shifts'),
                'int32',
                [s.shape.M],
                lq.requant.map((r) => r.shift),
              ),
              lo: lq.requant[0]!.lo,
              hi: lq.requant[0]!.hi,
            },
    };
  });
  const network = { name: path.basename(g.file, '.onnx'), layers };
  const quantization = {
    model: g.file,
    opset: g.opset,
    input: p.plan.sg.input,
    output: g.outputs[0],
    calibration: p.calibration.from,
    tensors: Object.fromEntries(p.net.params),
    constants: Object.fromEntries(
      [...p.plan.sg.consts]
        .filter(([name]) => p.plan.steps.some((s) => s.kind === 'host' && s.node.inputs.includes(name)))
        .map(([name, t]) => [name, attrJson(t)]),
    ),
    steps,
  };
  writeFileSync(path.join(dir, 'network.json'), `${JSON.stringify(network, null, 2)}\n`);
  writeFileSync(path.join(dir, 'quantization.json'), `${JSON.stringify(quantization, null, 2)}\n`);
  return ['network.json', 'quantization.json', ...written];
}
