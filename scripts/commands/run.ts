import path from 'node:path';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { loadArch } from '../../runtime/arch-file.js';
import { NETWORK_NAMES, type NetworkName } from '../../golden/networks.js';
import { BACKENDS, type BackendName } from '../../runtime/backend.js';
import { loadLayer } from '../../runtime/load-layer.js';
import { runNetwork, writeNetworkRun } from '../../runtime/network.js';
import { runLayer, UnmappableLayerError, writeLayerRun, type LayerRun } from '../../runtime/run-layer.js';

interface RunOptions {
  layer?: string;
  network?: NetworkName;
  sparse?: boolean;
  seed?: string;
  arch: string;
  backend: BackendName;
  out: string;
}

const rel = (f: string): string => path.relative(process.cwd(), f) || '.';

async function runLayerCommand(o: RunOptions & { layer: string }): Promise<void> {
  const arch = await loadArch(o.arch);
  const loaded = await loadLayer(o.layer);
  let run: LayerRun;
  try {
    if (o.backend === 'rtl') console.log(`simulating the chip RTL of arch '${arch.name}' (the first run builds it with Verilator, cached under build/)`);
    run = await runLayer(loaded.layer, loaded.data, arch, o.backend);
  } catch (e) {
    // The file is what the user edits, so an unmappable layer is reported against it.
    if (e instanceof UnmappableLayerError) throw new Error(`${loaded.file}: ${e.message}`);
    throw e;
  }
  await writeLayerRun(o.out, run, loaded.requant, { layer_file: loaded.file, data: loaded.source });
  const r = run.result;
  console.log(`${r.layer.name}: ${r.cycles} cycles (${r.backend}), ${r.macs} MACs, ${r.nonzero_macs} nonzero, utilization ${(r.utilization * 100).toFixed(1)}%, matched ${r.matched}`);
  console.log(`wrote ${rel(path.join(o.out, 'output.npy'))} and ${rel(path.join(o.out, 'result.json'))}`);
  if (!r.matched) throw new Error(`layer '${r.layer.name}': the ${r.backend} output differs from the functional reference (golden/reference.ts)`);
}

async function runNetworkCommand(o: RunOptions & { network: NetworkName }): Promise<void> {
  const arch = await loadArch(o.arch);
  const seedText = o.seed ?? '1';
  const seed = Number(seedText);
  if (!/^\d+$/.test(seedText) || seed > 2 ** 32 - 1) throw new Error(`--seed ${seedText}: must be a whole number in 0..${2 ** 32 - 1}`);
  const variant = o.sparse === true ? 'sparse' : 'dense';
  // An interactive terminal gets a bar; logs and pipes get one plain line per layer.
  const bar = process.stdout.isTTY
    ? new cliProgress.SingleBar({ format: `${o.network} {bar} {value}/{total} {layer}`, stream: process.stdout, hideCursor: true }, cliProgress.Presets.shades_classic)
    : null;
  bar?.start(0, 0, { layer: '' });
  const summary = await (async () => {
    try {
      return await runNetwork({
        network: o.network, variant, seed, arch, backend: o.backend,
        onLayer: (done, total, r) => {
          if (bar === null) console.log(`[${done}/${total}] ${r.layer.name}: ${r.cycles} cycles, matched ${r.matched}`);
          else {
            bar.setTotal(total);
            bar.update(done, { layer: r.layer.name });
          }
        },
        onBuild: (message) => console.log(message),
      });
    } finally {
      bar?.stop();
    }
  })();
  const command = ['npx tsx scripts/eyeriss.ts run --network', o.network, ...(o.sparse === true ? ['--sparse'] : []), '--seed', String(seed), '--arch', o.arch, '--backend', o.backend, '--out', o.out].join(' ');
  await writeNetworkRun(o.out, summary, command);
  console.log(`${summary.network} (${variant}) on '${summary.arch}': ${summary.cycles} cycles per inference, ${summary.inferences_per_second.toFixed(1)} inferences/s at ${summary.clock_mhz} MHz, ${summary.layers} layers, all matched ${summary.all_matched}`);
  console.log(`wrote ${rel(path.join(o.out, 'layers.md'))} and ${rel(path.join(o.out, 'summary.json'))}`);
  if (!summary.all_matched) throw new Error(`layers ${summary.mismatched_layers.join(', ')}: the ${o.backend} output differs from the functional reference`);
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run one layer (--layer) or a whole network (--network) on a backend; writes outputs and cycle figures to --out')
    .option('--layer <LAYER.json>', 'a layer file (docs/run.md)')
    .addOption(new Option('--network <name>', 'a benchmark network').choices(NETWORK_NAMES))
    .option('--sparse', 'with --network: the pruned weights and sparse iacts of golden/networks.ts (default dense)')
    .option('--seed <n>', 'with --network: seed of the generated layer data (default 1)')
    .option('--arch <name|file.json>', 'paper, small, or a JSON architecture file', 'paper')
    .addOption(new Option('--backend <name>', 'who computes the layer').choices(BACKENDS).default('golden'))
    .requiredOption('--out <dir>', 'output folder')
    .action(async (o: RunOptions) => {
      if ((o.layer === undefined) === (o.network === undefined)) throw new Error('run: give exactly one of --layer LAYER.json or --network NAME');
      if (o.layer !== undefined) {
        if (o.sparse === true || o.seed !== undefined) throw new Error('run: --sparse and --seed apply to --network only (a layer file sets its own densities and seed)');
        await runLayerCommand({ ...o, layer: o.layer });
      } else {
        await runNetworkCommand({ ...o, network: o.network! });
      }
    });
}
