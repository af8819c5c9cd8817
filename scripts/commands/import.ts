// `import --onnx MODEL.onnx --out DIR`: the quantized network as files (runtime/onnx/export.ts):
// network.json (the chip layers, runnable with `run --network`), quantization.json and the .npy
// tensors, without running anything on a backend.
import path from 'node:path';
import type { Command } from 'commander';
import { loadArch } from '../../runtime/arch-file.js';
import { exportNetwork } from '../../runtime/onnx/export.js';
import { prepareOnnx } from '../../runtime/onnx/prepare.js';
import { withOutDir } from '../../runtime/out-dir.js';

interface ImportOptions {
  onnx: string;
  input?: string;
  inputShape?: string;
  calibrate?: string;
  arch: string;
  out: string;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'quantize an ONNX network for the chip and write it as files: network.json (its chip layers with their tensors), quantization.json, layers/*.npy (docs/onnx.md)',
    )
    .requiredOption('--onnx <MODEL.onnx>', 'the ONNX network (opset >= 9)')
    .option('--input <X.npy>', 'float32 input whose chip-layer iacts network.json holds (default: the first calibration batch)')
    .option('--input-shape <NxCxHxW>', "the sizes of the model input's dynamic dims (default: the input's shape)")
    .option('--calibrate <CAL.npy>', 'float32 calibration inputs stacked on the batch axis (default: the input itself)')
    .option('--arch <name|file.json>', 'the architecture every chip layer must map on', 'paper')
    .requiredOption('--out <dir>', 'output folder')
    .action(async (o: ImportOptions) => {
      const arch = await loadArch(o.arch);
      const prepared = await prepareOnnx({ model: o.onnx, input: o.input, inputShape: o.inputShape, calibrate: o.calibrate }, arch);
      const files = await withOutDir(
        o.out,
        ['eyeriss', ...process.argv.slice(2)].join(' '),
        { files: ['network.json', 'quantization.json'], dirs: ['layers'] },
        (work) => exportNetwork(prepared, work),
      );
      const chip = prepared.plan.steps.filter((s) => s.kind === 'chip').length;
      console.log(
        `${path.basename(o.onnx)}: ${chip} chip layers, ${prepared.plan.steps.length - chip} host steps; wrote ${files.length} files to ${o.out} (network.json, quantization.json, layers/)`,
      );
    });
}
