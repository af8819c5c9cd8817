// Runs a benchmark network's layers on the chip RTL (the paper configuration by default) and
// writes the per-layer table: RTL cycles, golden-model cycles for the same mapping, ideal cycles
// (nonzero MACs / MACs per cycle), their ratios, simulation time, bit-exact match. Not part of
// CI: the paper chip's Verilator build takes about half an hour the first time (then cached),
// and big networks simulate for a long time.
//
//   npm run rtl:network -- --network mobilenet-0.5-128 --sparse --out docs/rtl/mobilenet-0.5-128-sparse.md
//   npm run rtl:network -- --network alexnet --sparse --conv-only --out docs/rtl/alexnet-sparse-conv.md
import { writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { NETWORK_NAMES, type NetworkName } from '../golden/networks.js';
import { loadArch } from '../runtime/arch-file.js';
import { layersMarkdown, runNetwork } from '../runtime/network.js';
import { addMulticastOptions, multicastFlags, programOptions, type MulticastSwitches } from './commands/multicast.js';

const program = new Command('rtl-network')
  .description('run a network on the chip RTL and write its per-layer table')
  .addOption(new Option('--network <name>', 'benchmark network').choices(NETWORK_NAMES).makeOptionMandatory())
  .option('--sparse', 'pruned weights and sparse iacts (default dense)')
  .option('--conv-only', 'only the convolution layers (conv, depthwise, pointwise), not the fully connected ones')
  .option('--only <names>', 'comma-separated layer names')
  .option('--arch <name|file.json>', 'paper, small, or a JSON architecture file', 'paper')
  .option('--seed <n>', 'seed of the generated layer data', '1')
  .requiredOption('--out <file.md>', 'where to write the table');
addMulticastOptions(program).parse();
const o = program.opts<
  { network: NetworkName; sparse?: boolean; convOnly?: boolean; only?: string; arch: string; seed: string; out: string } & MulticastSwitches
>();

const arch = await loadArch(o.arch);
const command = [
  'npm run rtl:network --',
  '--network',
  o.network,
  ...(o.sparse === true ? ['--sparse'] : []),
  ...(o.convOnly === true ? ['--conv-only'] : []),
  ...(o.only !== undefined ? ['--only', o.only] : []),
  '--arch',
  o.arch,
  '--seed',
  o.seed,
  ...multicastFlags(o),
  '--out',
  o.out,
].join(' ');
await mkdir(path.dirname(path.resolve(o.out)), { recursive: true });
const only = o.only?.split(',').map((s) => s.trim());
const summary = await runNetwork({
  source: { kind: 'benchmark', network: o.network, variant: o.sparse === true ? 'sparse' : 'dense', seed: Number(o.seed) },
  arch,
  backend: 'rtl',
  layers: (l) => (only === undefined || only.includes(l.name)) && (o.convOnly !== true || l.type !== 'fc'),
  onBuild: (m) => console.log(m),
  program: programOptions(o),
  onLayer: (done, total, r, sofar) => {
    console.log(
      `[${done}/${total}] ${r.layer.name}: rtl ${r.cycles} cycles, golden ${r.golden_predicted_cycles}, ideal ${r.ideal_cycles}, ${r.rtl?.sim_seconds.toFixed(1)} s simulated, matched ${r.matched}`,
    );
    // A long run leaves a table of the layers so far, marked as partial until the last layer.
    if (done < total) writeFileSync(o.out, `${layersMarkdown(sofar, command)}\n**Partial: ${done} of ${total} layers so far.**\n`);
  },
});
await writeFile(o.out, layersMarkdown(summary, command));
console.log(
  `${summary.cycles} RTL cycles per inference (golden ${summary.golden_predicted_cycles}), ${summary.inferences_per_second.toFixed(1)} inferences/s at ${summary.clock_mhz} MHz; all matched ${summary.all_matched}; wall ${summary.wall_seconds} s`,
);
console.log(`wrote ${o.out}`);
if (!summary.all_matched) process.exitCode = 1;
