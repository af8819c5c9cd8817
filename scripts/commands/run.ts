import path from 'node:path';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { loadArch } from '../../runtime/arch-file.js';
import { NETWORK_NAMES, parseNetworkName, type NetworkName } from '../../golden/networks.js';
import { BACKENDS, type BackendName } from '../../runtime/backend.js';
import { loadLayer } from '../../runtime/load-layer.js';
import { checkNetworkMappable, runNetwork, writeNetworkOutputs, writeNetworkRun, type NetworkSource } from '../../runtime/network.js';
import { withOutDir } from '../../runtime/out-dir.js';
import { loadNetworkFile } from '../../runtime/network-file.js';
import { mapForRun, runLayer, UnmappableLayerError, writeLayerRun, type LayerRun } from '../../runtime/run-layer.js';
import { openBackend } from '../../runtime/open-backend.js';
import type { RtlBuildOptions } from '../../runtime/rtl/session.js';
import { checkSimulatorChoice } from '../../tb/sim.js';
import { runOnnxCommand } from './run-onnx.js';
import { addMulticastOptions, multicastFlags, programOptions, type MulticastSwitches } from './multicast.js';

const SIMULATOR_NAMES = { verilator: 'Verilator', icarus: 'Icarus Verilog' } as const;

interface RunOptions extends MulticastSwitches {
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

/** The command line as typed, for the lock file and the manifest. */
const commandLine = (): string => ['eyeriss', ...process.argv.slice(2)].join(' ');

async function runLayerCommand(o: RunOptions & { layer: string }, build: RtlBuildOptions): Promise<void> {
  const arch = await loadArch(o.arch);
  const loaded = await loadLayer(o.layer);
  try {
    mapForRun(loaded.layer, loaded.data.weights, arch);
  } catch (e) {
    // The file is what the user edits, so an unmappable layer is reported against it.
    if (e instanceof UnmappableLayerError) throw new Error(`${loaded.file}: ${e.message}`, { cause: e });
    throw e;
  }
  const run = await withOutDir(o.out, commandLine(), { files: ['output.npy', 'output-u8.npy', 'result.json'], dirs: [] }, async (work) => {
    if (o.backend === 'rtl')
      console.log(`simulating the chip RTL of arch '${arch.name}' (the first run builds it with ${SIMULATOR_NAMES[o.simulator]}, cached under build/)`);
    const backend = await openBackend(o.backend, arch, { program: programOptions(o), build });
    let run: LayerRun;
    try {
      run = await runLayer(loaded.layer, loaded.data, arch, backend);
    } finally {
      await backend.close();
    }
    await writeLayerRun(work, run, loaded.requant, { layer_file: loaded.file, data: loaded.source });
    return run;
  });
  const r = run.result;
  console.log(
    `${r.layer.name}: ${r.cycles} cycles (${r.backend}), ${r.macs} MACs, ${r.nonzero_macs} nonzero, utilization ${(r.utilization * 100).toFixed(1)}%, matched ${r.matched}`,
  );
  console.log(`wrote ${rel(path.join(o.out, 'output.npy'))} and ${rel(path.join(o.out, 'result.json'))}`);
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

async function runNetworkCommand(o: RunOptions & { network: string }, build: RtlBuildOptions): Promise<void> {
  const arch = await loadArch(o.arch);
  const source = await networkSource(o);
  // Every layer maps before anything runs (docs/run.md), not only the ones reached.
  checkNetworkMappable(source, arch);
  const label = source.kind === 'file' ? source.loaded.name : source.network;
  const data = source.kind === 'file' ? [] : [...(source.variant === 'sparse' ? ['--sparse'] : []), '--seed', String(source.seed)];
  const command = [
    'npx tsx scripts/eyeriss.ts run --network',
    o.network,
    ...data,
    '--arch',
    o.arch,
    '--backend',
    o.backend,
    ...multicastFlags(o),
    '--out',
    o.out,
  ].join(' ');
  const summary = await withOutDir(o.out, commandLine(), { files: ['layers.md', 'summary.json'], dirs: ['outputs'] }, async (work) => {
    // An interactive terminal gets a bar; logs and pipes get one plain line per layer.
    const bar = process.stdout.isTTY
      ? new cliProgress.SingleBar(
          { format: `${label} {bar} {value}/{total} {layer}`, stream: process.stdout, hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
    bar?.start(0, 0, { layer: '' });
    try {
      const summary = await runNetwork({
        source,
        arch,
        backend: o.backend,
        program: programOptions(o),
        build,
        onLayer: (done, total, r, _sofar, output) => {
          if (source.kind === 'file') writeNetworkOutputs(work, done, r, output);
          if (bar === null) console.log(`[${done}/${total}] ${r.layer.name}: ${r.cycles} cycles, matched ${r.matched}`);
          else {
            bar.setTotal(total);
            bar.update(done, { layer: r.layer.name });
          }
        },
        onBuild: (message) => console.log(message),
      });
      await writeNetworkRun(work, summary, command);
      return summary;
    } finally {
      bar?.stop();
    }
  });
  const what = source.kind === 'file' ? summary.network : `${summary.network} (${source.variant})`;
  console.log(
    `${what} on '${summary.arch}': ${summary.cycles} cycles per inference, ${summary.inferences_per_second.toFixed(1)} inferences/s at ${summary.clock_mhz} MHz, ` +
      `${summary.inferences_per_joule.toFixed(1)} inferences/J (golden energy model), ${summary.layers} layers, all matched ${summary.all_matched}`,
  );
  console.log(`wrote ${rel(path.join(o.out, 'layers.md'))} and ${rel(path.join(o.out, 'summary.json'))}`);
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
    .requiredOption('--out <dir>', 'output folder');
  addMulticastOptions(run, 'with --backend rtl: ').action(async (o: RunOptions) => {
    const given = [o.layer, o.network, o.onnx].filter((v) => v !== undefined).length;
    if (given !== 1) throw new Error('run: give exactly one of --layer LAYER.json, --network NAME|NETWORK.json or --onnx MODEL.onnx');
    if (o.onnx === undefined && [o.input, o.inputShape, o.calibrate].some((v) => v !== undefined))
      throw new Error('run: --input, --input-shape and --calibrate apply to --onnx only');
    const build = rtlBuild(o);
    if (o.backend !== 'rtl' && multicastFlags(o).length > 0)
      throw new Error(`run: ${multicastFlags(o).join(' and ')} apply to --backend rtl only (the golden model has no program)`);
    if (o.network === undefined && (o.sparse === true || o.seed !== undefined))
      throw new Error('run: --sparse and --seed apply to --network only (a layer or ONNX file sets its own data)');
    if (o.onnx !== undefined) {
      const s = await runOnnxCommand({ ...o, onnx: o.onnx }, commandLine(), programOptions(o), build);
      console.log(
        `${s.network} on '${s.arch}': ${s.cycles} cycles per inference on the chip layers, all matched ${s.all_matched}; wrote ${rel(path.join(o.out, 'summary.json'))}`,
      );
      if (!s.all_matched) throw new Error(`layers ${s.mismatched_layers.join(', ')}: the ${o.backend} output differs from the functional reference`);
    } else if (o.layer !== undefined) {
      await runLayerCommand({ ...o, layer: o.layer }, build);
    } else {
      await runNetworkCommand({ ...o, network: o.network! }, build);
    }
  });
}
