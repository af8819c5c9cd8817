// A prepared ONNX network on a backend: each chip layer runs as a layer run (mapped, run, checked
// bit for bit against the functional reference), the host steps between them in TypeScript. The
// float model (onnxruntime when installed, else the host's float64 run) gives the reference the
// quantized network is measured against.
import { readFileSync } from 'node:fs';
import type { ArchConfig } from '../../spec/arch.js';
import { tensor, type Tensor } from '../../golden/host/tensor.js';
import type { Backend } from '../backend.js';
import { rawOutput, runLayer, type LayerResult } from '../run-layer.js';
import { agreement, sqnrDb, type Agreement } from './agreement.js';
import { asReal, PSUM_MAX, runQuantized, type Value } from './execute.js';
import { loadOnnxRuntime, runOnnxRuntime } from './onnxruntime.js';
import type { ChipStep } from './plan.js';
import type { Prepared } from './prepare.js';
import { convolve, runFloat } from './steps.js';

/** What an ONNX run adds to a chip layer's result.json figures. */
export interface OnnxLayerFigures {
  nodes: string[];
  iact: { signed: boolean; scale: number };
  /** null: the layer's output is the network's, kept real (dequantized psums). */
  output: { signed: boolean; scale: number } | null;
  /** Output channels whose weight scale calibration widened for psum headroom. */
  widened_channels: number;
  /** Psums beyond the chip's 20-bit range on this input (they wrapped on the chip). */
  psum_overflows: number;
  /** Dequantized chip output against the float model's tensor; null when equal. */
  sqnr_db: number | null;
}

export interface OnnxRun {
  /** Per chip layer: its result, its ONNX figures and its psums (NMEF, 20-bit sign-extended). */
  layers: { result: LayerResult; onnx: OnnxLayerFigures; psums: Int32Array }[];
  hostSteps: { node: string; op: string }[];
  output: Tensor;
  reference: Tensor;
  /** Who computed the reference: onnxruntime-node VERSION, or the host's float64 run. */
  referenceFrom: string;
  agreement: Agreement;
  /** The host's float64 run against onnxruntime on the final output (null without onnxruntime): the import's own fidelity. */
  hostFloatMaxAbsError: number | null;
}

/** The float model's tensors at each chip layer's output and the final output. */
async function floatReference(p: Prepared): Promise<{ tensors: Map<string, Tensor>; from: string; hostError: number | null }> {
  const host = runFloat(p.plan, p.input);
  const out = p.plan.sg.graph.outputs[0]!;
  const ort = await loadOnnxRuntime();
  if (ort === null) return { tensors: host, from: 'the host float64 run (golden/host; onnxruntime-node is not installed)', hostError: null };
  const wanted = new Map<string, number[]>();
  for (const s of p.plan.steps) if (s.kind === 'chip') wanted.set(s.output, p.plan.sg.shapes.get(s.output)!);
  const tensors = await runOnnxRuntime(ort.ort, readFileSync(p.plan.sg.graph.file), { [p.plan.sg.input.name]: p.input }, wanted);
  return { tensors, from: `onnxruntime-node ${ort.version}`, hostError: agreement(host.get(out)!, tensors.get(out)!).max_abs_error };
}

export async function runOnnx(
  p: Prepared,
  arch: ArchConfig,
  backend: Backend,
  onLayer?: (done: number, total: number, r: LayerResult) => void,
): Promise<OnnxRun> {
  const chipSteps = p.plan.steps.filter((s): s is ChipStep => s.kind === 'chip');
  const runs = new Map<ChipStep, { result: LayerResult; overflows: number; psums: Int32Array }>();
  const values: Map<string, Value> = await runQuantized(p.net, p.input, async (step, iacts, lq) => {
    // No on-chip requant: ONNX requantizes per channel with a bias, on the host.
    const run = await runLayer(p.layers.get(step)!, { iacts: Int32Array.from(iacts.data), weights: lq.weights }, arch, backend);
    const psums = rawOutput(run);
    // The exact sums say whether the chip's 20-bit psums wrapped on this input.
    const exact = convolve(step, iacts, lq.weights, null).data;
    let overflows = 0;
    for (let i = 0; i < exact.length; i++) if (Math.abs(exact[i]!) > PSUM_MAX) overflows++;
    runs.set(step, { result: run.result, overflows, psums });
    onLayer?.(runs.size, chipSteps.length, run.result);
    return psums;
  });
  const ref = await floatReference(p);
  const outName = p.plan.sg.graph.outputs[0]!;
  const output = asReal(values.get(outName)!);
  const reference = ref.tensors.get(outName)!;
  const layers = chipSteps.map((step) => {
    const { result, overflows, psums } = runs.get(step)!;
    const inP = p.net.params.get(step.input)!;
    const outV = values.get(step.output)!;
    const sqnr = sqnrDb(asReal(outV), ref.tensors.get(step.output)!);
    return {
      result,
      psums,
      onnx: {
        nodes: step.nodes,
        iact: { signed: inP.signed, scale: inP.scale },
        output: outV.p === null ? null : { signed: outV.p.signed, scale: outV.p.scale },
        widened_channels: p.net.widened.get(step) ?? 0,
        psum_overflows: overflows,
        sqnr_db: Number.isFinite(sqnr) ? Number(sqnr.toFixed(2)) : null,
      },
    };
  });
  return {
    layers,
    hostSteps: p.plan.steps.flatMap((s) => (s.kind === 'host' ? [{ node: s.node.name, op: s.node.op }] : [])),
    output: tensor(output.shape, output.data),
    reference,
    referenceFrom: ref.from,
    agreement: agreement(output, reference),
    hostFloatMaxAbsError: ref.hostError,
  };
}
