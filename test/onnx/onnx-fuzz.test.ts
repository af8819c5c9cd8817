// Input fuzzing of the ONNX reader (issue 24's rule for every parser): whatever bytes MODEL.onnx
// holds (a real model with bytes changed, cut short or spliced), reading, shaping and planning it
// gives a plan or an OnnxImportError with a message: never a TypeError or RangeError from deep
// inside, never a stack trace as the message.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxImportError, readOnnxModel } from '../../runtime/onnx/read-model.js';
import { inputShape, shapeGraph } from '../../runtime/onnx/shapes.js';
import { planGraph } from '../../runtime/onnx/plan.js';
import { nhwcLike, resnetLike } from '../support/onnx-models.js';
import pkg from 'onnx-proto';

const { onnx } = pkg;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'eyeriss-onnx-fuzz-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const models = [resnetLike().bytes, nhwcLike().bytes];

/** A model's bytes with up to 8 bytes changed, then maybe cut short. */
const mutated = fc
  .record({
    model: fc.constantFrom(...models),
    edits: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 8 }),
    cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
  })
  .map(({ model, edits, cut }) => {
    const b = Uint8Array.from(model);
    for (const e of edits) b[Math.floor(e.at * (b.length - 1))] = e.value;
    return cut === null ? b : b.subarray(0, Math.floor(cut * b.length));
  });

const OPS = [
  'Conv',
  'Relu',
  'Add',
  'MaxPool',
  'Gemm',
  'MatMul',
  'Reshape',
  'Concat',
  'Softmax',
  'Flatten',
  'BatchNormalization',
  'Transpose',
  'Gather',
  'Bogus',
];

/** One structural change to a decoded model: an operator, an input, an attribute value, a tensor's dims, a node dropped. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('op' as const), node: fc.nat(), op: fc.constantFrom(...OPS) }),
  fc.record({
    kind: fc.constant('input' as const),
    node: fc.nat(),
    slot: fc.nat(3),
    name: fc.oneof(fc.constant(''), fc.constant('nowhere'), fc.nat().map(String)),
  }),
  fc.record({
    kind: fc.constant('attr' as const),
    node: fc.nat(),
    attr: fc.nat(),
    value: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(1_000_000), fc.constant(-1_000_000)),
  }),
  fc.record({ kind: fc.constant('dims' as const), init: fc.nat(), dims: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 5 }) }),
  fc.record({ kind: fc.constant('drop' as const), node: fc.nat() }),
  fc.record({ kind: fc.constant('inputDim' as const), dim: fc.nat(3), value: fc.integer({ min: -1, max: 40 }) }),
);

/** A test model decoded, changed by 1-4 edits and encoded again. */
const restructured = fc.record({ model: fc.constantFrom(...models), edits: fc.array(edit, { minLength: 1, maxLength: 4 }) }).map(({ model, edits }) => {
  const m = onnx.ModelProto.decode(model);
  const g = m.graph!;
  const nodes = g.node!;
  for (const e of edits) {
    const node = nodes.length > 0 && 'node' in e ? nodes[e.node % nodes.length]! : undefined;
    if (e.kind === 'op' && node) node.opType = e.op;
    else if (e.kind === 'input' && node)
      node.input![e.slot % Math.max(1, node.input!.length)] =
        e.name === '' || e.name === 'nowhere' ? e.name : (nodes[Number(e.name) % nodes.length]!.output![0] ?? '');
    else if (e.kind === 'attr' && node && node.attribute!.length > 0) {
      const a = node.attribute![e.attr % node.attribute!.length]!;
      if (a.ints && a.ints.length > 0) a.ints = a.ints.map(() => e.value);
      else a.i = e.value;
    } else if (e.kind === 'dims' && g.initializer!.length > 0) g.initializer![e.init % g.initializer!.length]!.dims = e.dims;
    else if (e.kind === 'drop' && node) nodes.splice(nodes.indexOf(node), 1);
    else if (e.kind === 'inputDim') {
      const dim = g.input![0]!.type!.tensorType!.shape!.dim!;
      dim[e.dim % dim.length] = { dimValue: e.value };
    }
  }
  return onnx.ModelProto.encode(m).finish();
});

let n = 0;
async function importBytes(bytes: Uint8Array): Promise<void> {
  const file = path.join(dir, `m${n++}.onnx`);
  await writeFile(file, bytes);
  try {
    const g = readOnnxModel(file);
    planGraph(shapeGraph(g, inputShape(g, g.inputs[0]!.dims.map((d) => (typeof d === 'number' ? d : 1)).join('x'))));
  } catch (e) {
    expect(e, `${(e as Error).name}: ${(e as Error).message}`).toBeInstanceOf(OnnxImportError);
    expect((e as Error).message).not.toMatch(/\n\s+at .*:\d+:\d+/);
  }
}

describe('ONNX reader fuzzing', () => {
  it('changed and truncated models: a plan or an OnnxImportError', async () => {
    await fc.assert(fc.asyncProperty(mutated, importBytes), { numRuns: 300 });
  });
  it('structurally changed models (operators, inputs, attributes, dims, dropped nodes): a plan or an OnnxImportError', async () => {
    await fc.assert(fc.asyncProperty(restructured, importBytes), { numRuns: 400 });
  });
  it('random bytes: an OnnxImportError', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), importBytes), { numRuns: 200 });
  });
});
