// `run --onnx MODEL.onnx --input X.npy`: an ONNX network quantized to int8, its Conv/Gemm/MatMul
// layers on the chip (golden model or RTL), the rest on the host; writes output.npy (the
// network's dequantized output), reference.npy (the float model's), outputs/NN-layer.npy (each chip
// layer's psums), summary.json, layers.md and the reports (layers.csv, report.html).
import path from 'node:path';
import { loadArch } from '../../runtime/arch-file.js';
import type { BackendName } from '../../runtime/backend.js';
import { writeNpy } from '../../golden/npy.js';
import { summarize, writeNetworkOutputs, writeNetworkRun, type NetworkSummary } from '../../runtime/network.js';
import { REPORT_FILES } from '../../runtime/report/write.js';
import { openBackend } from '../../runtime/open-backend.js';
import { withOutDir } from '../../runtime/out-dir.js';
import { prepareOnnx, type OnnxInputs, type Prepared } from '../../runtime/onnx/prepare.js';
import { runOnnx, type OnnxRun } from '../../runtime/onnx/run-onnx.js';
import type { ProgramOptions } from '../../runtime/rtl/program.js';
import type { RtlBuildOptions } from '../../runtime/rtl/session.js';

export interface OnnxCommand extends Omit<OnnxInputs, 'input' | 'model'> {
  onnx: string;
  input?: string;
  arch: string;
  backend: BackendName;
  out: string;
}

/** summary.json of an ONNX run: the network summary, each layer with its ONNX figures, and the agreement with the float model. */
function onnxSummary(p: Prepared, run: OnnxRun, base: NetworkSummary): NetworkSummary & { onnx: Record<string, unknown> } {
  const g = p.plan.sg.graph;
  // Every layer runs the whole batch: per inference is per batch item.
  const batch = p.plan.sg.input.shape[0]!;
  return {
    ...base,
    inferences_per_second: base.inferences_per_second * batch,
    inferences_per_joule: base.inferences_per_joule * batch,
    layer_results: run.layers.map((l) => ({ ...l.result, onnx: l.onnx })),
    onnx: {
      model: g.file,
      producer: g.producer,
      opset: g.opset,
      input_shape: p.plan.sg.input.shape,
      batch,
      calibration: p.calibration.from,
      chip_layers: run.layers.length,
      host_steps: run.hostSteps,
      float_reference: run.referenceFrom,
      top1_agree: run.agreement.top1_agree,
      items: run.agreement.items,
      cosine: run.agreement.cosine,
      max_abs_error: run.agreement.max_abs_error,
      host_float_max_abs_error_vs_onnxruntime: run.hostFloatMaxAbsError,
      psum_overflows: run.layers.reduce((s, l) => s + l.onnx.psum_overflows, 0),
      output: { file: 'output.npy', dtype: 'float32', shape: run.output.shape },
      reference: { file: 'reference.npy', dtype: 'float32', shape: run.reference.shape },
    },
  };
}

function onnxMarkdown(run: OnnxRun, batch: number): string[] {
  const a = run.agreement;
  return [
    '## Against the float model',
    '',
    ...(batch > 1 ? [`The input is a batch of ${batch}: cycles and energy above are per batch, inferences/s and inferences/J per item.`, ''] : []),
    `Reference: ${run.referenceFrom}. Final output: top-1 agreement ${a.top1_agree}/${a.items}, cosine ${a.cosine.toFixed(5)}, max abs error ${a.max_abs_error.toPrecision(3)}.` +
      ` Host steps: ${run.hostSteps.map((h) => h.op).join(', ') || 'none'}.`,
    '',
    '| layer | ONNX nodes | iacts | output | SQNR dB | widened channels | psum overflows |',
    '|---|---|---|---|---:|---:|---:|',
    ...run.layers.map(({ result, onnx }) => {
      const q = (p: { signed: boolean; scale: number } | null): string => (p === null ? 'real' : `${p.signed ? 'int8' : 'uint8'} x ${p.scale.toPrecision(3)}`);
      return `| ${result.layer.name} | ${onnx.nodes.join(' + ')} | ${q(onnx.iact)} | ${q(onnx.output)} | ${onnx.sqnr_db ?? 'exact'} | ${onnx.widened_channels} | ${onnx.psum_overflows} |`;
    }),
    '',
  ];
}

export async function runOnnxCommand(o: OnnxCommand, command: string, program: ProgramOptions, build: RtlBuildOptions): Promise<NetworkSummary> {
  if (o.input === undefined) throw new Error('run --onnx: give --input X.npy (float32, the model input; several stacked on the batch axis)');
  const arch = await loadArch(o.arch);
  const started = performance.now();
  // Read, shape, quantize and map everything before the output folder or a simulator is touched.
  const prepared = await prepareOnnx({ model: o.onnx, input: o.input, inputShape: o.inputShape, calibrate: o.calibrate }, arch);
  return withOutDir(
    o.out,
    command,
    { files: ['output.npy', 'reference.npy', 'layers.md', 'summary.json', ...REPORT_FILES], dirs: ['outputs'] },
    async (work) => {
      const backend = await openBackend(o.backend, arch, { program, build, onBuild: (m) => console.log(m) });
      let run: OnnxRun;
      try {
        run = await runOnnx(prepared, arch, backend, (done, total, r) =>
          console.log(`[${done}/${total}] ${r.layer.name}: ${r.cycles} cycles, matched ${r.matched}`),
        );
      } finally {
        await backend.close();
      }
      const id = { network: path.basename(o.onnx, '.onnx'), network_file: path.resolve(o.onnx), variant: null, seed: null };
      const base = summarize(
        id,
        arch,
        o.backend,
        run.layers.map((l) => l.result),
        (performance.now() - started) / 1000,
        backend.buildSeconds,
      );
      const summary = onnxSummary(prepared, run, base);
      run.layers.forEach((l, i) => writeNetworkOutputs(work, i + 1, l.result, { raw: l.psums, u8: null, generated: {} }));
      writeNpy(path.join(work, 'output.npy'), { dtype: 'float32', shape: run.output.shape, data: Float32Array.from(run.output.data) });
      writeNpy(path.join(work, 'reference.npy'), { dtype: 'float32', shape: run.reference.shape, data: Float32Array.from(run.reference.data) });
      await writeNetworkRun(work, summary, command, onnxMarkdown(run, prepared.plan.sg.input.shape[0]!));
      return summary;
    },
  );
}
