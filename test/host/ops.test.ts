// Every host operator against onnxruntime-node on single-node models: values (float32 tolerance)
// and the shapes hostOutputShapes infers without data.
import { describe, expect, it } from 'vitest';
import { HOST_OPS, HostOpError, hostOutputShapes, runHostOp } from '../../golden/host/ops.js';
import { tensor, type Tensor } from '../../golden/host/tensor.js';
import { GraphBuilder, hostAttrs } from '../support/onnx-builder.js';
import { maxAbs, maxAbsDiff, randomTensor, seededRng } from '../support/onnx-random.js';
import { onnxRuntimeAvailable, runOnnxRuntime } from '../support/onnx-runtime.js';
import { OP_CASES, type OpCase } from './op-cases.js';

const SEED = Number(process.env.SEED ?? 25);
const ort = await onnxRuntimeAvailable();

async function checkCase(c: OpCase, seed: number): Promise<void> {
  const rng = seededRng(seed);
  const g = new GraphBuilder(c.name);
  const feeds: Record<string, Tensor> = {};
  const names: (string | null)[] = [];
  const inputs: (Tensor | null)[] = [];
  const consts: (Tensor | null)[] = [];
  c.inputs.forEach((inp, i) => {
    const kind = inp.kind ?? 'input';
    if (kind === 'omit') {
      names.push(null);
      inputs.push(null);
      consts.push(null);
      return;
    }
    const name = `in${i}`;
    const t = inp.values ? tensor(inp.shape, inp.values.map(Math.fround)) : randomTensor(rng, inp.shape, inp.lo, inp.hi);
    if (kind === 'input') {
      g.input(name, inp.shape);
      feeds[name] = t;
    } else if (kind === 'int64') g.initInt64(name, inp.shape, Array.from(t.data));
    else g.init(name, t);
    names.push(name);
    inputs.push(t);
    consts.push(kind === 'input' ? null : t);
  });
  const y = g.node(c.op, names, c.attrs ?? {});
  g.output(y, undefined, c.out ?? 'float32');
  const want = (await runOnnxRuntime(g.model({ opset: c.opset }), feeds))[y]!;
  const attrs = hostAttrs(c.attrs ?? {});
  const have = runHostOp({ op: c.op, opset: c.opset, inputs, attrs })[0]!;
  const inferred = hostOutputShapes({ op: c.op, opset: c.opset, inputShapes: inputs.map((t) => t?.shape ?? null), constInputs: consts, attrs })[0];
  const why = `reproduce: SEED=${seed} npx vitest run test/host/ops.test.ts -t '${c.name}'`;
  expect(have.shape, why).toEqual(want.shape);
  expect(inferred, why).toEqual(want.shape);
  const err = maxAbsDiff(have.data, want.data);
  expect(err, `${why}: max abs error ${err}`).toBeLessThanOrEqual(1e-4 * (1 + maxAbs(want.data)));
}

describe.skipIf(!ort)('host ops against onnxruntime', () => {
  OP_CASES.forEach((c, k) => {
    it(`${c.op}: ${c.name}`, async () => {
      await checkCase(c, SEED + k);
    });
  });

  it('covers every op in HOST_OPS', () => {
    expect(new Set(OP_CASES.map((c) => c.op))).toEqual(HOST_OPS);
  });
});

describe('host op errors', () => {
  const x = tensor([1, 1, 4, 4]);
  const refuse = (call: Parameters<typeof runHostOp>[0], message: RegExp): void => {
    let caught: unknown;
    try {
      runHostOp(call);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(HostOpError);
    expect((caught as Error).message).toMatch(message);
  };

  it('names the op, the attribute and what is supported', () => {
    refuse(
      { op: 'MaxPool', opset: 12, inputs: [x], attrs: { kernel_shape: [2, 2], dilations: [2, 2] } },
      /^MaxPool: dilations \[2,2\] are not supported \(only 1\)$/,
    );
    refuse({ op: 'Gather', opset: 13, inputs: [tensor([3]), tensor([1], [3])], attrs: {} }, /^Gather: indices out of range/);
    refuse({ op: 'Pad', opset: 13, inputs: [x, tensor([8])], attrs: { mode: 'reflect' } }, /^Pad: mode 'reflect' is not supported \(only constant\)$/);
    refuse({ op: 'Conv', opset: 13, inputs: [x, tensor([2, 2, 3, 3])], attrs: {} }, /^Conv: W has 2 channels per group but X has 1/);
    refuse({ op: 'Conv', opset: 13, inputs: [x, null], attrs: {} }, /^Conv: input 1 \(W\) is missing$/);
    refuse({ op: 'AveragePool', opset: 13, inputs: [x], attrs: { kernel_shape: [2, 2], auto_pad: 'SAME' } }, /auto_pad 'SAME' is not supported/);
    refuse({ op: 'Cast', opset: 13, inputs: [x], attrs: { to: 10 } }, /^Cast: to = 10 is not supported/);
    refuse({ op: 'Add', opset: 13, inputs: [tensor([2, 3]), tensor([4])], attrs: {} }, /^Add: shapes \[2,3\] and \[4\] cannot be broadcast/);
    refuse(
      { op: 'Reshape', opset: 13, inputs: [tensor([2, 3]), tensor([1], [4])], attrs: {} },
      /^Reshape: shape \[4\] holds 4 values but the input \[2,3\] has 6$/,
    );
    refuse({ op: 'Squeeze', opset: 13, inputs: [tensor([2, 3]), tensor([1], [0])], attrs: {} }, /^Squeeze: axis 0 of shape \[2,3\] has size 2, not 1$/);
    refuse({ op: 'Softmax', opset: 13, inputs: [tensor([2, 3])], attrs: { axis: 2 } }, /^Softmax: axis 2 is out of range for rank 2/);
    refuse({ op: 'MaxPool', opset: 12, inputs: [x], attrs: { kernel_shape: [2, 2], pads: [1, 1] } }, /^MaxPool: pads \[1,1\] must be 4/);
    refuse({ op: 'LSTM', opset: 13, inputs: [x], attrs: {} }, /^LSTM: operator is not supported on the host \(supported: Add, /);
  });

  it('shape inference asks for the constants it needs', () => {
    expect(() => hostOutputShapes({ op: 'Reshape', opset: 13, inputShapes: [[2, 3], [2]], constInputs: [null, null], attrs: {} })).toThrow(
      /^Reshape: input 1 \(shape\) must be a constant/,
    );
    expect(hostOutputShapes({ op: 'Gather', opset: 13, inputShapes: [[4], [2, 2]], constInputs: [null, null], attrs: {} })).toEqual([[2, 2]]);
  });

  it('a 1x32x56x56 3x3 conv with 32 filters takes well under a second', () => {
    const rng = seededRng(SEED);
    const xs = randomTensor(rng, [1, 32, 56, 56]);
    const w = randomTensor(rng, [32, 32, 3, 3]);
    const t0 = performance.now();
    const [y] = runHostOp({ op: 'Conv', opset: 13, inputs: [xs, w, null], attrs: { pads: [1, 1, 1, 1] } });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(y!.shape).toEqual([1, 32, 56, 56]);
  });
});
