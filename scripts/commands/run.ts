import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { loadArch } from '../../runtime/arch-file.js';
import { getNetwork, NETWORK_NAMES, parseNetworkName, type NetworkName } from '../../golden/networks.js';
import { BACKENDS, type BackendName } from '../../runtime/backend.js';
import { loadLayer } from '../../runtime/load-layer.js';
import {
  checkNetworkMappable,
  layersMarkdown,
  runNetwork,
  writeNetworkInputs,
  writeNetworkOutputs,
  writeNetworkRun,
  type NetworkSource,
  type NetworkSummary,
} from '../../runtime/network.js';
import { withOutDir } from '../../runtime/out-dir.js';
import { loadNetworkFile } from '../../runtime/network-file.js';
import { mapForRun, runLayer, UnmappableLayerError, writeLayerRun, type LayerRun } from '../../runtime/run-layer.js';
import { openBackend } from '../../runtime/open-backend.js';
import type { RtlBuildOptions, RtlSessionOptions } from '../../runtime/rtl/session.js';
import { checkSimulatorChoice, wavesRequested } from '../../tb/sim.js';
import { generatedOf, writeGeneratedTensors } from '../../runtime/input-tensors.js';
import { REPORT_FILES, writeReports } from '../../runtime/report/write.js';
import type { Layer } from '../../golden/layers.js';
import { progress } from '../progress.js';
import { runOnnxCommand } from './run-onnx.js';
import { addMulticastOptions, multicastFlags, programOptions, type MulticastSwitches } from './multicast.js';
import { addSystemOptions, systemFlags, systemOption, type SystemSwitches } from './system-options.js';

const SIMULATOR_NAMES = { verilator: 'Verilator', icarus: 'Icarus Verilog' } as const;

interface RunOptions extends MulticastSwitches, SystemSwitches {
  layer?: string;
  network?: string;
  onnx?: string;
  input?: string;
  inputShape?: string;
  calibrate?: string;
  sparse?: boolean;
  seed?: string;
  arch: string;
  backend: BackendName;
  simulator: 'verilator' | 'icarus';
  randomInit?: string;
  convOnly?: boolean;
  only?: string;
  json?: boolean;
  out: string;
}

/** The simulator switches, checked before any work: they apply to the rtl backend only. */
function rtlBuild(o: RunOptions): RtlBuildOptions {
  if (o.backend !== 'rtl' && (o.simulator !== 'verilator' || o.randomInit !== undefined))
    throw new Error('run: --simulator and --random-init apply to --backend rtl only (the golden model simulates no RTL)');
  if (o.randomInit === undefined) return { simulator: o.simulator };
  const build = { simulator: o.simulator, randomInit: /^\d+$/.test(o.randomInit) ? Number(o.randomInit) : NaN };
  try {
    checkSimulatorChoice(build);
  } catch (e) {
    throw new Error(`run: --random-init ${o.randomInit}: ${(e as Error).message}`, { cause: e });
  }
  return build;
}

const rel = (f: string): string => path.relative(process.cwd(), f) || '.';

const WAVES_FILE = 'waves.fst';

/** With WAVES=1 on the rtl backend, the simulator's FST goes into the run's folder (tb/sim.ts puts it under waves/ otherwise). */
const wavesIn = (o: RunOptions, work: string): { waves?: string } => (o.backend === 'rtl' && wavesRequested() ? { waves: path.join(work, WAVES_FILE) } : {});

/** What --json prints: result.json's or summary.json's content, alone on stdout. */
const printJson = (value: unknown): boolean => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

/** The command line as typed, for the lock file and the manifest. */
const commandLine = (): string => ['eyeriss', ...process.argv.slice(2)].join(' ');

async function runLayerCommand(o: RunOptions & { layer: string }, build: RtlBuildOptions, system: RtlSessionOptions['system']): Promise<void> {
  const arch = await loadArch(o.arch);
  const loaded = await loadLayer(o.layer);
  try {
    mapForRun(loaded.layer, loaded.data.weights, arch);
  } catch (e) {
    // The file is what the user edits, so an unmappable layer is reported against it.
    if (e instanceof UnmappableLayerError) throw new Error(`${loaded.file}: ${e.message}`, { cause: e });
    throw e;
  }
  const files = ['output.npy', 'output-u8.npy', 'result.json', 'iacts.npy', 'weights.npy', WAVES_FILE, ...REPORT_FILES];
  const { run, result } = await withOutDir(o.out, commandLine(), { files, dirs: [] }, async (work) => {
    if (o.backend === 'rtl')
      console.log(`simulating the chip RTL of arch '${arch.name}' (the first run builds it with ${SIMULATOR_NAMES[o.simulator]}, cached under build/)`);
    const waves = wavesIn(o, work);
    const backend = await openBackend(o.backend, arch, { program: programOptions(o), rawPsums: o.rawPsums === true, system, build: { ...build, ...waves } });
    let run: LayerRun;
    try {
      run = await runLayer(loaded.layer, loaded.data, arch, backend, loaded.requant);
    } finally {
      await backend.close();
    }
    const generated = writeGeneratedTensors(loaded.layer, generatedOf(loaded.source, loaded.data), (which) => path.join(work, `${which}.npy`));
    const result = await writeLayerRun(work, run, {
      layer_file: loaded.file,
      data: loaded.source,
      ...(generated.length > 0 ? { generated_tensors: generated.map((f) => path.basename(f)) } : {}),
      ...(waves.waves !== undefined ? { waves: WAVES_FILE } : {}),
    });
    const title = `${loaded.layer.name} on '${arch.name}', ${o.backend} backend`;
    await writeReports(work, { title, command: commandLine(), clock_mhz: arch.clockMHz, eyeriss: run.result.eyeriss, results: [run.result] });
    return { run, result };
  });
  const r = run.result;
  if (o.json === true) printJson(result);
  console.log(
    `${r.layer.name}: ${r.cycles} cycles (${r.backend}), ${r.macs} MACs, ${r.nonzero_macs} nonzero, utilization ${(r.utilization * 100).toFixed(1)}%, matched ${r.matched}`,
  );
  console.log(`wrote ${rel(path.join(o.out, 'output.npy'))}, ${rel(path.join(o.out, 'result.json'))} and the reports layers.csv, report.html`);
  if (!r.matched) throw new Error(`layer '${r.layer.name}': the ${r.backend} output differs from the functional reference (golden/reference.ts)`);
}

/** A --network value: a benchmark name, or a path to a NETWORK.json. */
const isNetworkFile = (v: string): boolean => v.endsWith('.json') || v.includes('/') || v.includes(path.sep);

async function networkSource(o: RunOptions & { network: string }): Promise<NetworkSource> {
  if (isNetworkFile(o.network)) {
    if (o.sparse === true || o.seed !== undefined)
      throw new Error("run: --sparse and --seed apply to benchmark networks only (a network file sets its layers' densities and seeds)");
    return { kind: 'file', loaded: await loadNetworkFile(o.network) };
  }
  let network: NetworkName;
  try {
    network = parseNetworkName(o.network);
  } catch (e) {
    throw new Error(`--network: ${(e as Error).message}, or give a NETWORK.json file (docs/run.md)`, { cause: e });
  }
  const seedText = o.seed ?? '1';
  const seed = Number(seedText);
  if (!/^\d+$/.test(seedText) || seed > 2 ** 32 - 1) throw new Error(`--seed ${seedText}: must be a whole number in 0..${2 ** 32 - 1}`);
  return { kind: 'benchmark', network, variant: o.sparse === true ? 'sparse' : 'dense', seed };
}

/**
 * --conv-only and --only: which layers of a benchmark run, checked before any work (a network
 * file runs whole, since its layers may take the outputs of the layer before).
 */
function layerFilter(o: RunOptions, source: NetworkSource): ((l: Layer) => boolean) | undefined {
  if (o.convOnly !== true && o.only === undefined) return undefined;
  if (source.kind === 'file') throw new Error('run: --conv-only and --only apply to benchmark networks only (a network file runs whole)');
  const only = o.only?.split(',').map((n) => n.trim());
  const names = getNetwork(source.network).layers.map((nl) => nl.layer.name);
  const unknown = (only ?? []).filter((n) => !names.includes(n));
  if (unknown.length > 0) throw new Error(`--only: ${source.network} has no layer ${unknown.join(', ')}; its layers are ${names.join(', ')}`);
  return (l) => (only === undefined || only.includes(l.name)) && (o.convOnly !== true || l.type !== 'fc');
}

/** The command layers.md and report.html say made them: the options that decide the figures, defaults spelled out. */
function networkCommand(o: RunOptions & { network: string }, source: NetworkSource): string {
  const data = source.kind === 'file' ? [] : [...(source.variant === 'sparse' ? ['--sparse'] : []), '--seed', String(source.seed)];
  const layers = [...(o.convOnly === true ? ['--conv-only'] : []), ...(o.only !== undefined ? ['--only', o.only] : [])];
  return [
    'npx tsx scripts/eyeriss.ts run --network',
    o.network,
    ...data,
    ...layers,
    '--arch',
    o.arch,
    '--backend',
    o.backend,
    ...multicastFlags(o),
    ...systemFlags(o),
    '--out',
    o.out,
  ].join(' ');
}

async function runNetworkCommand(o: RunOptions & { network: string }, build: RtlBuildOptions, system: RtlSessionOptions['system']): Promise<void> {
  const arch = await loadArch(o.arch);
  const source = await networkSource(o);
  const layers = layerFilter(o, source);
  // Every layer maps before anything runs (docs/run.md), not only the ones reached.
  checkNetworkMappable(source, arch);
  const label = source.kind === 'file' ? source.loaded.name : source.network;
  const names = { files: ['layers.md', 'summary.json', WAVES_FILE, ...REPORT_FILES], dirs: ['outputs'] };
  const command = networkCommand(o, source);
  const summary = await withOutDir(o.out, commandLine(), names, async (work): Promise<NetworkSummary> => {
    // With --json stdout is the JSON alone, so the progress goes to stderr.
    const bar = progress(label, o.json === true ? process.stderr : process.stdout);
    try {
      const waves = wavesIn(o, work);
      const summary = await runNetwork({
        source,
        arch,
        backend: o.backend,
        layers,
        program: programOptions(o),
        rawPsums: o.rawPsums === true,
        system,
        build: { ...build, ...waves },
        onLayer: (done, total, r, sofar, output) => {
          if (source.kind === 'file') writeNetworkOutputs(work, done, r, output);
          writeNetworkInputs(work, done, r, output);
          // A long rtl run can be watched: the work folder holds the table of the layers so far until the full one replaces it.
          if (done < total) writeFileSync(path.join(work, 'layers.md'), `${layersMarkdown(sofar, command)}\n**Partial: ${done} of ${total} layers so far.**\n`);
          bar.update(done, total, r.layer.name, `[${done}/${total}] ${r.layer.name}: ${r.cycles} cycles, matched ${r.matched}`);
        },
        onBuild: (message) => console.log(message),
      });
      const withWaves = { ...summary, ...(waves.waves !== undefined ? { waves: WAVES_FILE } : {}) };
      await writeNetworkRun(work, withWaves, command);
      return withWaves;
    } finally {
      bar.stop();
    }
  });
  if (o.json === true) printJson(summary);
  const what = source.kind === 'file' ? summary.network : `${summary.network} (${source.variant})`;
  console.log(
    `${what} on '${summary.arch}': ${summary.cycles} cycles per inference, ${summary.inferences_per_second.toFixed(1)} inferences/s at ${summary.clock_mhz} MHz, ` +
      `${summary.inferences_per_joule.toFixed(1)} inferences/J (golden energy model), ${summary.layers} layers, all matched ${summary.all_matched}`,
  );
  console.log(`wrote ${rel(path.join(o.out, 'layers.md'))}, ${rel(path.join(o.out, 'summary.json'))} and the reports layers.csv, report.html`);
  if (!summary.all_matched) throw new Error(`layers ${summary.mismatched_layers.join(', ')}: the ${o.backend} output differs from the functional reference`);
}

export function registerRun(program: Command): void {
  const run = program
    .command('run')
    .description('run one layer (--layer) or a whole network (--network) on a backend; writes outputs, cycle, energy and DRAM figures to --out')
    .option('--layer <LAYER.json>', 'a layer file (docs/run.md)')
    .option('--network <name|NETWORK.json>', `a benchmark network (${NETWORK_NAMES.join(', ')}) or a network file (docs/run.md)`)
    .option(
      '--onnx <MODEL.onnx>',
      'an ONNX network (opset >= 9), quantized to int8: its Conv/Gemm/MatMul layers on the chip, the rest on the host (docs/onnx.md)',
    )
    .option('--input <X.npy>', 'with --onnx: the float32 input tensor')
    .option('--input-shape <NxCxHxW>', "with --onnx: the sizes of the model input's dynamic dims (default: the --input tensor's shape)")
    .option('--calibrate <CAL.npy>', 'with --onnx: float32 calibration inputs stacked on the batch axis (default: the input itself)')
    .option('--sparse', 'with a benchmark --network: the pruned weights and sparse iacts of golden/networks.ts (default dense)')
    .option('--seed <n>', 'with a benchmark --network: seed of the generated layer data (default 1)')
    .option('--arch <name|file.json>', 'paper, small, or a JSON architecture file', 'paper')
    .addOption(new Option('--backend <name>', 'who computes the layer').choices(BACKENDS).default('golden'))
    .addOption(new Option('--simulator <name>', 'with --backend rtl: which simulator runs the chip').choices(['verilator', 'icarus']).default('verilator'))
    .option('--random-init <seed>', 'with --backend rtl: Verilator with --x-assign/--x-initial unique, registers starting from values drawn with this seed')
    .option('--conv-only', 'with a benchmark --network: only its convolution layers (conv, depthwise, pointwise), not the fully connected ones')
    .option('--only <names>', 'with a benchmark --network: only these layers (comma-separated names)')
    .option('--json', "print result.json's (--layer) or summary.json's (--network) content on stdout, and every other line on stderr")
    .requiredOption('--out <dir>', 'output folder');
  addSystemOptions(addMulticastOptions(run, 'with --backend rtl: '), 'with --backend rtl: ').action(async (o: RunOptions) => {
    // stdout is the JSON alone: every other line, the harness's own (tb/sim.ts logs with console.log) included, goes to stderr.
    if (o.json === true) console.log = console.error;
    const given = [o.layer, o.network, o.onnx].filter((v) => v !== undefined).length;
    if (given !== 1) throw new Error('run: give exactly one of --layer LAYER.json, --network NAME|NETWORK.json or --onnx MODEL.onnx');
    if (o.onnx === undefined && [o.input, o.inputShape, o.calibrate].some((v) => v !== undefined))
      throw new Error('run: --input, --input-shape and --calibrate apply to --onnx only');
    const build = rtlBuild(o);
    const system = systemOption(o, o.backend);
    if (system !== undefined && o.onnx !== undefined) throw new Error('run: --top system runs --layer and --network; --onnx runs on the core top');
    if (system !== undefined && o.simulator !== 'verilator') throw new Error('run: --top system needs Verilator (the AXI memory model runs in its harness)');
    if (o.backend !== 'rtl' && multicastFlags(o).length > 0)
      throw new Error(`run: ${multicastFlags(o).join(' and ')} apply to --backend rtl only (the golden model has no program)`);
    if (o.network === undefined && (o.sparse === true || o.seed !== undefined))
      throw new Error('run: --sparse and --seed apply to --network only (a layer or ONNX file sets its own data)');
    if (o.network === undefined && (o.convOnly === true || o.only !== undefined))
      throw new Error('run: --conv-only and --only apply to benchmark networks only (a --layer runs one layer, an ONNX model runs whole)');
    if (o.onnx !== undefined) {
      const s = await runOnnxCommand({ ...o, onnx: o.onnx }, commandLine(), programOptions(o), build);
      if (o.json === true) printJson(s);
      console.log(
        `${s.network} on '${s.arch}': ${s.cycles} cycles per inference on the chip layers, all matched ${s.all_matched}; wrote ${rel(path.join(o.out, 'summary.json'))} and the reports layers.csv, report.html`,
      );
      if (!s.all_matched) throw new Error(`layers ${s.mismatched_layers.join(', ')}: the ${o.backend} output differs from the functional reference`);
    } else if (o.layer !== undefined) {
      await runLayerCommand({ ...o, layer: o.layer }, build, system);
    } else {
      await runNetworkCommand({ ...o, network: o.network! }, build, system);
    }
  });
}
