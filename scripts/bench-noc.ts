/**
 * Delivered NoC bandwidth per network and per network-level mode, on the RTL of a mesh of
 * router clusters with no backpressure: every source offers a word each cycle and every sink
 * is always ready. "delivered" counts words arriving at destinations (a word multicast to 12
 * PEs counts 12); "ideal" is what the mode would deliver if every source sent one word per
 * cycle with no fill or drain, i.e. delivered words over the longest source stream.
 *
 *   npm run bench:noc -- [--rows 8] [--cols 2] [--words 2000] [--seed 1]
 *
 * The first run builds the paper's 8x2 mesh with Verilator, which takes several minutes on two
 * cores (cached afterwards); --rows 2 gives a quick look.
 */
import { Command } from 'commander';
import { paperArch } from '../spec/arch.js';
import { consumedSources, deliver } from '../golden/noc/delivery.js';
import { modeName, modesFor, planMode } from '../golden/noc/modes.js';
import { paperNoc } from '../spec/noc/params.js';
import { encodeClusterRouting } from '../spec/noc/cfg-layout.js';
import { RouterMesh } from '../generator/eyeriss/noc/router-mesh.js';
import { emitForSim } from '../tb/dsl.js';
import { makeRng } from '../tb/seed.js';
import { Simulator } from '../tb/sim.js';

const opts = new Command()
  .description('delivered NoC bandwidth per network and mode (no backpressure) next to the ideal')
  .option('--rows <n>', 'cluster rows of the mesh', String(paperArch.clusterRows))
  .option('--cols <n>', 'cluster columns of the mesh (1 or 2)', String(paperArch.clusterCols))
  .option('--words <n>', 'words injected per source', '2000')
  .option('--seed <n>', 'payload seed', '1')
  .parse()
  .opts<{ rows: string; cols: string; words: string; seed: string }>();

const rows = Number(opts.rows);
const cols = Number(opts.cols);
const words = Number(opts.words);
for (const [name, v] of [
  ['--rows', rows],
  ['--cols', cols],
  ['--words', words],
  ['--seed', Number(opts.seed)],
] as const) {
  if (!Number.isInteger(v) || v < (name === '--seed' ? 0 : 1)) throw new Error(`${name} must be a positive integer, got '${v}'`);
}
const p = paperNoc;
const rng = makeRng(Number(opts.seed));
const widthOf = { iact: p.iactWidth, weight: p.weightWidth, psum: p.psumWidth } as const;

const started = Date.now();
const sim = await Simulator.start(await emitForSim(RouterMesh, { rows, cols, noc: p }), { seed: Number(opts.seed) });
console.log(`RouterMesh ${rows}x${cols} of paper router clusters (${rows * cols * 12} PEs), ${words} words per source, no backpressure`);
console.log(`build/load ${((Date.now() - started) / 1000).toFixed(1)} s${sim.build.cached ? ' (cached)' : ''}\n`);

const rowsOut: string[][] = [['network', 'mode', 'sources', 'sinks fed', 'cycles', 'delivered w/c', 'ideal w/c', 'efficiency']];
for (const net of ['iact', 'weight', 'psum'] as const) {
  for (const mode of modesFor(p, rows, cols, net)) {
    const mesh = planMode(p, rows, cols, net, mode);
    const injected: Record<string, bigint[]> = {};
    for (const s of consumedSources(p, mesh, net)) injected[s] = Array.from({ length: words }, () => rng.bits(widthOf[net]));
    const expected = deliver(p, mesh, net, injected);
    const sinks = Object.entries(expected).filter(([, v]) => v.length > 0);
    await sim.batch((b) => {
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) b.poke(`c${i}_${j}_cfg`, encodeClusterRouting(p, mesh.clusters[i]![j]!));
      b.reset(2);
    });
    const r = await sim.runStreams({
      sources: Object.entries(injected).map(([port, data]) => ({ port, data })),
      sinks: sinks.map(([port, v]) => ({ port, count: v.length })),
      maxCycles: words * 20,
    });
    for (const [port, v] of sinks) {
      const got = r.received[port]!.values;
      if (got.length !== v.length || got.some((x, k) => x !== v[k]))
        throw new Error(`${net} ${modeName(mode)}: ${port} received other packets than the golden model says`);
    }
    const delivered = sinks.reduce((a, [, v]) => a + v.length, 0);
    const ideal = delivered / words;
    const got = delivered / r.cycles;
    rowsOut.push([
      net,
      modeName(mode),
      String(Object.keys(injected).length),
      String(sinks.length),
      String(r.cycles),
      got.toFixed(2),
      ideal.toFixed(2),
      `${((100 * got) / ideal).toFixed(1)} %`,
    ]);
  }
}
await sim.close();
const widths = rowsOut[0]!.map((_, c) => Math.max(...rowsOut.map((r) => r[c]!.length)));
for (const r of rowsOut) console.log(r.map((x, c) => (c < 2 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('  '));
console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s`);
