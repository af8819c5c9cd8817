// ONNX networks built in code with random weights and every host operator, quantized and run on
// the golden backend (the small chip's golden model), held against onnxruntime.
import { describe, expect, it } from 'vitest';
import { namedArchs } from '../../spec/archs.js';
import { referenceLayer } from '../../golden/reference.js';
import { exportNetwork } from '../../runtime/onnx/export.js';
import { loadNetworkFile } from '../../runtime/network-file.js';
import { mobilenetV2Like, nhwcLike, resnetLike } from '../support/onnx-models.js';
import { onnxRuntimeAvailable } from '../support/onnx-runtime.js';
import { withTmp } from '../runtime/helpers.js';
import { clearDisagreements, runModel, writeModel } from './helpers.js';
import path from 'node:path';
import pkg from 'onnx-proto';

const { onnx } = pkg;

const small = namedArchs['small']!;
// Float top-2 probabilities closer than this are a tie any int8 network may flip.
const TIE = 0.01;

describe('ONNX networks on the golden backend, against onnxruntime', () => {
  it('onnxruntime-node is installed (CI installs the optional dependency)', async () => {
    expect(await onnxRuntimeAvailable()).toBe(true);
  });

  it.each([
    ['MobileNetV2-like', mobilenetV2Like, 20],
    ['ResNet-like', resnetLike, 20],
    ['NHWC tf2onnx-like', nhwcLike, 1],
  ] as const)('%s: bit-exact chip layers, top-1 agreement, cosine >= 0.99, per-layer SQNR', async (name, build, items) => {
    await withTmp(async (dir) => {
      const { prepared, run } = await runModel(writeModel(dir, 'net', build(), items, 11), small, 'golden');
      expect(run.referenceFrom).toMatch(/^onnxruntime-node \d/);
      expect(run.layers.every((l) => l.result.matched)).toBe(true);
      expect(clearDisagreements(run, TIE), `${name}: items whose top-1 differs though the float model's top-2 are > ${TIE} apart`).toEqual([]);
      expect(run.agreement.top1_agree).toBeGreaterThanOrEqual(items - 1);
      expect(run.agreement.cosine).toBeGreaterThanOrEqual(0.99);
      // One rounding step in the first layer; error builds up with depth (about 20 dB after 18
      // layers of int8 activations), while a broken layer would sit near 0 dB.
      expect(run.layers[0]!.onnx.sqnr_db ?? Infinity).toBeGreaterThan(35);
      for (const l of run.layers) {
        expect(l.onnx.psum_overflows, l.result.layer.name).toBe(0);
        expect(l.onnx.sqnr_db ?? Infinity, l.result.layer.name).toBeGreaterThan(15);
      }
      // The host's float64 run of the import is the model onnxruntime runs.
      expect(run.hostFloatMaxAbsError!).toBeLessThan(1e-4);
      expect(prepared.calibration.from).toMatch(/net-cal\.npy \(16 inputs\)/);
    });
  });

  it('opset 9, the oldest accepted: the ResNet-like net relabelled opset 9 runs as at opset 11', async () => {
    const m = onnx.ModelProto.decode(resnetLike().bytes);
    m.opsetImport = [{ domain: '', version: 9 }];
    m.irVersion = 4;
    await withTmp(async (dir) => {
      const { prepared, run } = await runModel(writeModel(dir, 'r9', { ...resnetLike(), bytes: onnx.ModelProto.encode(m).finish() }, 4, 11), small, 'golden');
      expect(prepared.plan.sg.graph.opset).toBe(9);
      expect(run.referenceFrom).toMatch(/^onnxruntime-node/);
      expect(run.layers.every((l) => l.result.matched)).toBe(true);
      expect(run.agreement.cosine).toBeGreaterThanOrEqual(0.99);
    });
  });

  it('every listed operator reaches the plan: chip layers fold BN, bias and ReLU/ReLU6, the rest are host steps', async () => {
    await withTmp(async (dir) => {
      const { run } = await runModel(writeModel(dir, 'mb', mobilenetV2Like(), 2, 3), small, 'golden');
      const host = new Set(run.hostSteps.map((h) => h.op));
      for (const op of ['Add', 'Clip', 'Mul', 'Div', 'HardSwish', 'HardSigmoid', 'Sigmoid', 'GlobalAveragePool', 'Flatten', 'Softmax'])
        expect(host, op).toContain(op);
      const folded = run.layers.flatMap((l) => l.onnx.nodes.slice(1).map((n) => n.replace(/_\d+$/, '')));
      expect(new Set(folded)).toEqual(new Set(['BatchNormalization', 'Clip', 'Relu']));
      expect(new Set(run.layers.map((l) => l.result.layer.type))).toEqual(new Set(['conv', 'pointwise', 'depthwise', 'fc']));
      // ReLU6 outputs are uint8 and the linear bottlenecks' int8.
      expect(run.layers.some((l) => l.onnx.output?.signed === true)).toBe(true);
      expect(run.layers.some((l) => l.onnx.output?.signed === false)).toBe(true);
    });
  });

  it('asymmetric pads, unequal strides and a 2-group convolution (tf2onnx style) run as chip layers with host pre-pad and subsample', async () => {
    await withTmp(async (dir) => {
      const { prepared } = await runModel(writeModel(dir, 'nhwc', nhwcLike(), 1, 5), small, 'golden');
      const chip = prepared.plan.steps.filter((s) => s.kind === 'chip');
      expect(chip[0]).toMatchObject({ prePad: [0, 0, 1, 1], subsample: [2, 1], shape: { stride: 1, padding: 0 } });
      expect(chip[1]).toMatchObject({ shape: { type: 'conv', groups: 2 } });
      expect(chip[2]).toMatchObject({ shape: { type: 'fc' } });
    });
  });

  it('import writes a NETWORK.json whose layers are the chip layers of the run, bit for bit', async () => {
    await withTmp(async (dir) => {
      const { prepared, run } = await runModel(writeModel(dir, 'rn', resnetLike(), 2, 7), small, 'golden');
      const files = await exportNetwork(prepared, path.join(dir, 'imp'));
      expect(files).toContain('quantization.json');
      const net = await loadNetworkFile(path.join(dir, 'imp', 'network.json'));
      expect(net.layers.map((l) => l.layer.name)).toEqual(run.layers.map((l) => l.result.layer.name));
      // PyTorch's Linear exported as MatMul + Add: the bias folds into the layer.
      expect(run.layers.at(-1)!.onnx.nodes.map((n) => n.replace(/_\d+$/, ''))).toEqual(['MatMul', 'Add']);
      for (const [i, l] of net.layers.entries()) {
        expect(l.layer).toEqual(run.layers[i]!.result.layer);
        // The exported tensors give the psums the run's layer computed.
        expect(Array.from(referenceLayer(l.layer, l.data))).toEqual(Array.from(run.layers[i]!.psums));
      }
    });
  });
});
