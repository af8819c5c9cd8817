// The system top on the paper chip (docs/system.md, docs/rtl.md "Through memory"): a benchmark
// network run as ONE descriptor chain from memory, every layer checked bit for bit, first with a
// DRAM that never binds, then at --dram-bytes-per-cycle limits; beside it the core top's cycles
// (the harness feeding every stream at once: no memory port at all). Prints cycles, the ratios
// to the core top and to the unlimited DRAM, and what the memory port moved.
//   npx tsx scripts/bench-system.ts [--network mobilenet-0.5-128] [--sparse] [--conv-only] [--dependent] [--limits 128,64] [--json FILE]
// --json writes the figures (docs/rtl/system-*.json, which `npm run paper` quotes in its D2 note).
// --dependent runs the network as a dependent chain (golden/chain.ts): every layer after the first
// takes the previous layer's 8-bit outputs, which the chip gathers from memory itself; the core
// top then runs the same layers with the chain's iacts handed to it.
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { namedArchs } from '../spec/archs.js';
import { getNetwork, networkLayerData, type NetworkName, type Sparsity } from '../golden/networks.js';
import { networkChain } from '../golden/chain.js';
import { benchmarkRequant, referenceLayer, requantizeAll } from '../golden/reference.js';
import { mapForRun } from '../runtime/run-layer.js';
import { runChipModel } from '../golden/chip-model.js';
import { perfFromCounts } from '../golden/perf.js';
import { RtlSession } from '../runtime/rtl/session.js';
import { systemParamsFor } from '../spec/system.js';
import { chipParamsFromArch } from '../spec/chip/format.js';

const o = new Command()
  .option('--network <name>', 'benchmark network', 'mobilenet-0.5-128')
  .option('--sparse', 'the sparse version', false)
  .option('--conv-only', 'only the convolution layers', false)
  .option('--dependent', "each layer reads the previous layer's outputs from memory (with its pooling as a layer)", false)
  .option('--limits <list>', "DRAM bytes per cycle to try besides unlimited ('' for none)", '128')
  .option('--ports <n>', 'memory ports of the system top (1, 2 or 4; default: the default SystemParams)')
  .option('--json <file>', 'also write the figures as JSON')
  .parse()
  .opts<{ network: string; sparse: boolean; convOnly: boolean; dependent: boolean; limits: string; ports?: string; json?: string }>();
if (o.dependent && o.convOnly) throw new Error('--dependent runs the whole network (a chain needs every layer); leave out --conv-only');

const arch = namedArchs.paper!;
const ports = o.ports === undefined ? systemParamsFor(chipParamsFromArch(arch)).ports : Number(o.ports);
if (![1, 2, 4].includes(ports)) throw new Error(`--ports ${o.ports}: the system top has 1, 2 or 4 memory ports`);
const variant: Sparsity = o.sparse ? 'sparse' : 'dense';
const net = getNetwork(o.network as NetworkName);
const planned = o.dependent
  ? (() => {
      const chain = networkChain(net.name, variant, 1);
      return chain.layers.map((x, i) => ({ ...x, want: chain.outputs[i]! }));
    })()
  : net.layers
      .map((nl, i) => ({ nl, i }))
      .filter(({ nl }) => !o.convOnly || nl.layer.type !== 'fc')
      .map(({ nl, i }) => {
        const data = networkLayerData(net, i, variant, 1);
        const raw = referenceLayer(nl.layer, data);
        const requant = benchmarkRequant(raw);
        return { layer: nl.layer, data, requant, want: requantizeAll(nl.layer, raw, requant) };
      });
const layers = planned.map((x, i) => {
  const mapping = mapForRun(x.layer, x.data.weights, arch);
  const predictedCycles = perfFromCounts(x.layer, mapping, runChipModel(x.layer, x.data, { arch, mapping, mode: 'timing' }).counts, arch).cycles;
  return { ...x, mapping, predictedCycles, gather: o.dependent && i > 0 };
});

const core = await RtlSession.open(arch, { onBuild: (m) => console.error(m) });
let coreCycles = 0;
for (const l of layers) {
  const run = await core.runLayer(l.layer, l.data, l.mapping, l.predictedCycles, {}, l.requant);
  const bad = run.output.findIndex((v, k) => v !== l.want[k]);
  if (bad >= 0) throw new Error(`core top: layer ${l.layer.name} output ${bad} is ${run.output[bad]}, want ${l.want[bad]}`);
  coreCycles += run.cycles;
}
await core.close();

const rows: string[] = [];
const row = (what: string, cycles: number, read: number, write: number, base: number | null): void => {
  rows.push(
    `| ${what} | ${cycles.toLocaleString('en-US')} | ${(cycles / coreCycles).toFixed(3)} | ${base === null ? '-' : `${(((cycles - base) / cycles) * 100).toFixed(1)} %`} | ${(read / 1e6).toFixed(3)} | ${(write / 1e6).toFixed(3)} |`,
  );
};
rows.push(
  `| ${o.network} ${variant}${o.convOnly ? ' (conv layers)' : ''}${o.dependent ? ', dependent chain' : ''}, ${layers.length} layers | cycles | / core top | throughput lost vs unlimited | MB read | MB written |`,
);
rows.push('|---|---:|---:|---:|---:|---:|');
rows.push(`| core top: every stream fed at once by the harness (no memory port) | ${coreCycles.toLocaleString('en-US')} | 1.000 | - | - | - |`);
let unlimited = 0;
const runs: { bytesPerCycle: number | null; cycles: number; readBytes: number; writeBytes: number }[] = [];
for (const limit of [0, ...(o.limits === '' ? [] : o.limits.split(',').map(Number))]) {
  const session = await RtlSession.open(arch, {
    system: { params: { ports }, dram: limit === 0 ? {} : { bytesPerCycle: limit } },
    onBuild: (m) => console.error(m),
  });
  const started = performance.now();
  const chain = await session.runChain(layers);
  await session.close();
  chain.outputs.forEach((got, i) => {
    const want = layers[i]!.want;
    const bad = got.findIndex((v, k) => v !== want[k]);
    if (bad >= 0 || got.length !== want.length)
      throw new Error(`system top, ${limit || 'unlimited'} B/cycle: layer ${layers[i]!.layer.name} output ${bad} differs`);
  });
  if (limit === 0) unlimited = chain.cycles;
  runs.push({ bytesPerCycle: limit === 0 ? null : limit, cycles: chain.cycles, readBytes: chain.dramBytes.read, writeBytes: chain.dramBytes.write });
  row(
    `system top (${ports} memory port${ports > 1 ? 's' : ''}), one descriptor chain, DRAM ${limit === 0 ? 'unlimited' : `${limit} B/cycle`}`,
    chain.cycles,
    chain.dramBytes.read,
    chain.dramBytes.write,
    limit === 0 ? null : unlimited,
  );
  console.error(
    `DRAM ${limit || 'unlimited'}: ${chain.cycles} cycles, all ${layers.length} layers bit-exact, ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}
console.log(rows.join('\n'));
if (o.json !== undefined) {
  const command = `npx tsx scripts/bench-system.ts ${process.argv.slice(2).join(' ')}`;
  writeFileSync(
    o.json,
    `${JSON.stringify({ command, network: o.network, variant, convOnly: o.convOnly, dependent: o.dependent, layers: layers.length, ports, coreCycles, runs }, null, 2)}\n`,
  );
}
