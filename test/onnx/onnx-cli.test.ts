// `run --onnx` and `import --onnx` through the command line: the files they write, and models
// or options they refuse before any work, each with a message naming the node or file and the fix.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from '../../golden/npy.js';
import { GraphBuilder } from '../support/onnx-builder.js';
import { nhwcLike } from '../support/onnx-models.js';
import { randomTensor, seededRng } from '../support/onnx-random.js';
import { withTmp } from '../runtime/helpers.js';
import { writeModel } from './helpers.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
// Node with tsx's loader, no npx in between (half a second less per run).
const cli = (...args: string[]) =>
  execa(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'eyeriss.ts'), ...args], { cwd: repoRoot, reject: false });

/** Conv(3 -> 4, 3x3) on a 1x3x8x8 input, then whatever `tail` adds; the model's bytes. */
function convModel(
  opts: { opset?: number; attrs?: Record<string, number[]>; tail?: (g: GraphBuilder, y: string) => string; outputs?: number } = {},
): Uint8Array {
  const g = new GraphBuilder('t');
  const x = g.input('x', [1, 3, 8, 8]);
  const w = g.init('w', randomTensor(seededRng(1), [4, 3, 3, 3]));
  let y = g.node('Conv', [x, w], { pads: [1, 1, 1, 1], ...opts.attrs });
  y = opts.tail?.(g, y) ?? y;
  g.output(y);
  if (opts.outputs === 2) g.output(x);
  return g.model({ opset: opts.opset ?? 13 });
}

describe('eyeriss run --onnx / import --onnx', () => {
  it('run writes output.npy, reference.npy, per-layer psums, summary.json and layers.md; import writes network.json that run --network takes', async () => {
    await withTmp(async (dir) => {
      const f = writeModel(dir, 'nhwc', nhwcLike(), 1, 2);
      const out = path.join(dir, 'out');
      const r = await cli('run', '--onnx', f.model, '--input', f.input, '--calibrate', f.calibrate, '--arch', 'small', '--out', out);
      expect(r.exitCode, r.stderr).toBe(0);
      const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as {
        all_matched: boolean;
        layers: number;
        onnx: { top1_agree: number; items: number; float_reference: string; host_steps: { op: string }[] };
      };
      expect(summary).toMatchObject({ all_matched: true, layers: 3, onnx: { top1_agree: 1, items: 1 } });
      expect(summary.onnx.host_steps.map((h) => h.op)).toEqual(['Transpose', 'Transpose', 'Reshape']);
      expect(readNpy(path.join(out, 'output.npy'))).toMatchObject({ dtype: 'float32', shape: [1, 10] });
      expect(readNpy(path.join(out, 'reference.npy'))).toMatchObject({ dtype: 'float32', shape: [1, 10] });
      expect(existsSync(path.join(out, 'outputs', '01-Conv_1.npy'))).toBe(true);
      expect(readFileSync(path.join(out, 'layers.md'), 'utf8')).toMatch(/## Against the float model[\s\S]*\| Conv_1 \| Conv_1 \+ Relu_2 \|/);

      const imp = path.join(dir, 'imp');
      const i = await cli('import', '--onnx', f.model, '--input', f.input, '--calibrate', f.calibrate, '--arch', 'small', '--out', imp);
      expect(i.exitCode, i.stderr).toBe(0);
      expect(i.stdout).toMatch(/3 chip layers, 3 host steps/);
      const n = await cli('run', '--network', path.join(imp, 'network.json'), '--arch', 'small', '--out', path.join(dir, 'net'));
      expect(n.exitCode, n.stderr).toBe(0);
      // The network file's layers compute the psums the ONNX run's chip layers did.
      for (const name of ['01-Conv_1', '02-Conv_3', '03-MatMul_6']) {
        expect(readNpy(path.join(dir, 'net', 'outputs', `${name}.npy`)).data).toEqual(readNpy(path.join(out, 'outputs', `${name}.npy`)).data);
      }
    });
  });

  it('bad models and options are refused before any work, naming the node or file and the fix', async () => {
    await withTmp(async (dir) => {
      const x = path.join(dir, 'x.npy');
      writeNpy(x, { dtype: 'float32', shape: [1, 3, 8, 8], data: new Float32Array(192).fill(0.5) });
      const cases: [string, Uint8Array | string, string[], RegExp][] = [
        [
          'unsupported operator',
          convModel({ tail: (g, y) => g.node('LRN', [y], { size: 3 }) }),
          [],
          /node LRN_1 \(LRN\): operator LRN is not supported; fix: export without it \(supported: .*MaxPool/,
        ],
        [
          'dilated convolution',
          convModel({ attrs: { dilations: [2, 2] } }),
          [],
          /node Conv_0 \(Conv\): dilations \[2,2\] are not supported by the chip \(only 1\)/,
        ],
        ['opset 8', convModel({ opset: 8 }), [], /opset 8 of the default domain; fix: export with opset_version >= 9/],
        ['two outputs', convModel({ outputs: 2 }), [], /the graph has 2 outputs; fix: export a model with one output/],
        ['not ONNX', 'this is not a protobuf', [], /not an ONNX model \(protobuf: .*\); fix: export the network with torch\.onnx\.export/],
        ['input shape mismatch', convModel(), ['--input-shape', '1x3x9x9'], /--input-shape 1x3x9x9: dim 2 of input x is fixed at 8 in the model/],
        [
          'calibration shape',
          convModel(),
          ['--calibrate', x.replace('x.npy', 'cal.npy')],
          /--calibrate .*cal\.npy: shape \[2, 3, 4, 4\]; fix: stack calibration inputs of shape \[3, 8, 8\]/,
        ],
      ];
      writeNpy(path.join(dir, 'cal.npy'), { dtype: 'float32', shape: [2, 3, 4, 4], data: new Float32Array(96) });
      writeNpy(path.join(dir, 'i8.npy'), { dtype: 'int8', shape: [1, 3, 8, 8], data: new Int8Array(192) });
      writeFileSync(path.join(dir, 'ok.onnx'), convModel());
      // Independent processes, each with its own --out: run them side by side to keep the suite short.
      const out = (what: string) => path.join(dir, `o-${what.replace(/ /g, '-')}`);
      const [refused, [dtype, noInput, misplaced]] = await Promise.all([
        Promise.all(
          cases.map(([what, model, extra]) => {
            const file = path.join(dir, `${what.replace(/ /g, '-')}.onnx`);
            writeFileSync(file, model);
            return cli('run', '--onnx', file, '--input', x, ...extra, '--arch', 'small', '--out', out(what));
          }),
        ),
        Promise.all([
          cli('run', '--onnx', path.join(dir, 'ok.onnx'), '--input', path.join(dir, 'i8.npy'), '--out', out('dtype')),
          cli('run', '--onnx', path.join(dir, 'ok.onnx'), '--out', out('no input')),
          cli('run', '--layer', 'examples/layers/pw-small.json', '--input', x, '--out', out('misplaced')),
        ]),
      ]);
      cases.forEach(([what, , , message], i) => {
        expect(refused[i]!.exitCode, what).toBe(1);
        expect(refused[i]!.stderr, what).toMatch(message);
        expect(existsSync(out(what)), `${what}: nothing written`).toBe(false);
      });
      expect(dtype.stderr).toMatch(/--input .*i8\.npy: dtype is int8; fix: save the float input as float32/);
      expect(noInput.stderr).toMatch(/run --onnx: give --input X\.npy/);
      expect(misplaced.stderr).toMatch(/--input, --input-shape and --calibrate apply to --onnx only/);
    });
  });
});
