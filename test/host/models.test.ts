// The three test networks: valid ONNX that onnxruntime runs to finite outputs of the declared
// shape, and the same outputs from the golden host operators run node by node.
import pkg from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { maxAbs, maxAbsDiff, randomTensor, seededRng } from '../support/onnx-random.js';
import { interpretOnnx } from '../support/onnx-interpret.js';
import { mobilenetV2Like, nhwcLike, resnetLike, type OnnxTestModel } from '../support/onnx-models.js';
import { onnxRuntimeAvailable, runOnnxRuntime } from '../support/onnx-runtime.js';

const { onnx } = pkg;
const SEED = Number(process.env.SEED ?? 25);
const ort = await onnxRuntimeAvailable();

const MODELS: [string, (o: { seed: number }) => OnnxTestModel, boolean][] = [
  ['mobilenetV2Like', mobilenetV2Like, true],
  ['resnetLike', resnetLike, true],
  ['nhwcLike', nhwcLike, false],
];

describe.skipIf(!ort)('test networks', () => {
  for (const [name, make, isSoftmax] of MODELS) {
    it(`${name}: onnxruntime and the host ops agree`, async () => {
      const why = `reproduce: SEED=${SEED} npx vitest run test/host/models.test.ts -t '${name}'`;
      const m = make({ seed: SEED });
      const x = randomTensor(seededRng(SEED + 1), m.inputShape);
      const want = (await runOnnxRuntime(m.bytes, { [m.inputName]: x }))[m.outputName]!;
      expect(want.shape, why).toEqual([1, 10]);
      expect(want.data.every(Number.isFinite), why).toBe(true);
      if (isSoftmax)
        expect(
          want.data.reduce((a, v) => a + v, 0),
          why,
        ).toBeCloseTo(1, 5);
      const have = interpretOnnx(m.bytes, { [m.inputName]: x })[m.outputName]!;
      expect(have.shape, why).toEqual(want.shape);
      const err = maxAbsDiff(have.data, want.data);
      expect(err, `${why}: max abs error ${err}`).toBeLessThanOrEqual(1e-4 * (1 + maxAbs(want.data)));
    });
  }

  it('the same seed gives the same model, another seed other weights', () => {
    expect(mobilenetV2Like({ seed: 7 }).bytes).toEqual(mobilenetV2Like({ seed: 7 }).bytes);
    expect(resnetLike({ seed: 7 }).bytes).not.toEqual(resnetLike({ seed: 8 }).bytes);
  });

  it('mobilenetV2Like leaves the batch symbolic and uses the ops it promises', () => {
    const model = onnx.ModelProto.decode(mobilenetV2Like().bytes);
    const dims = model.graph?.input?.[0]?.type?.tensorType?.shape?.dim ?? [];
    expect(dims[0]?.dimParam).toBe('N');
    const ops = new Set(model.graph?.node?.map((n) => n.opType));
    for (const op of [
      'Conv',
      'BatchNormalization',
      'Clip',
      'Add',
      'Mul',
      'Div',
      'HardSwish',
      'HardSigmoid',
      'Sigmoid',
      'GlobalAveragePool',
      'Flatten',
      'Gemm',
      'Softmax',
    ]) {
      expect(ops.has(op), op).toBe(true);
    }
  });
});
