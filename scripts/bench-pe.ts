/**
 * Sparse PE utilization versus density: cycles per non-zero MAC pair (SIMD-2 ideal = 1.0),
 * measured on the RTL and predicted by the golden model, plus the PE's yosys cell count.
 * Usage: npm run bench:pe [-- --tiles N --seed S]
 */
import { Command } from 'commander';
import { elaborate, writeDesign } from '../generator/dsl/index.js';
import { SparsePe } from '../generator/eyeriss/pe/pe.js';
import { paperPeParams } from '../spec/pe/params.js';
import type { WeightMatrix } from '../spec/csc.js';
import { makePeJob, type PeTile } from '../golden/pe/job.js';
import { PeModel } from '../golden/pe/model.js';
import { makeRng, type Rng } from '../tb/seed.js';
import { yosysSynth } from '../tb/lint.js';
import { FULL_SPEED, runPeJobs, startPe } from '../test/pe/pe-rtl.js';
import { sparseValues } from '../test/pe/random-tiles.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DENSITIES = [0.1, 0.25, 0.5, 0.75, 1];

/**
 * A 3x3-convolution PE tile: M0=16 output channels, C0=4 channels x S=3 taps, 2 output columns.
 * With `resident` it reuses the given weights (weight-stationary) and loads none.
 */
function convTile(r: Rng, d: number, resident?: WeightMatrix): PeTile {
  const m0 = 16,
    segLen = 4,
    winSegs = 3,
    nWin = 2;
  const segs = nWin - 1 + winSegs;
  return {
    m0,
    segLen,
    winSegs,
    strideSegs: 1,
    nWin,
    segments: Array.from({ length: segs }, () => sparseValues(r, segLen, d, 0, 255)),
    weights: resident ?? { rows: m0, cols: segLen * winSegs, data: sparseValues(r, m0 * segLen * winSegs, d, -128, 127) },
    iactDense: false,
    weightDense: false,
    iactSigned: false,
    keepWeights: resident !== undefined,
    keepPsums: false,
    psumOut: true,
  };
}

const opts = new Command()
  .option('--tiles <n>', 'tiles per density', '400')
  .option('--seed <n>', 'data seed', '1')
  .parse()
  .opts<{ tiles: string; seed: string }>();
const tiles = Number(opts.tiles);
const seed = Number(opts.seed);

const sim = await startPe(paperPeParams, { seed });
const rows: string[] = [];
try {
  for (const d of DENSITIES) {
    const r = makeRng(seed);
    const jobs = Array.from({ length: tiles }, () => makePeJob(convTile(r, d)));
    const model = new PeModel();
    const predicted = jobs.map((j) => model.run(j));
    const { results, cycles } = await runPeJobs(sim, jobs, FULL_SPEED, seed, paperPeParams.psumLanes);
    const pairs = predicted.reduce((a, p) => a + p.nonzeroMacs, 0) / 2;
    const rtl = results.reduce((a, x) => a + x.active, 0);
    const gold = predicted.reduce((a, p) => a + p.activeCycles, 0);
    const starved = results.reduce((a, x) => a + x.starved, 0);
    // The same iact density streamed past one resident weight tile, as a weight-stationary PE runs.
    const first = convTile(r, d);
    const stationary = [makePeJob(first), ...Array.from({ length: tiles - 1 }, () => makePeJob(convTile(r, d, first.weights)))];
    const stationaryModel = new PeModel();
    const stationaryPairs = stationary.reduce((a, j) => a + stationaryModel.run(j).nonzeroMacs, 0) / 2;
    const stationaryRun = await runPeJobs(sim, stationary, FULL_SPEED, seed, paperPeParams.psumLanes);
    const fmt = (x: number, per = pairs) => (per > 0 ? (x / per).toFixed(3) : 'n/a');
    rows.push(
      [
        `${(d * 100).toFixed(0).padStart(4)}%`,
        String(pairs).padStart(9),
        fmt(rtl).padStart(10),
        fmt(gold).padStart(10),
        fmt(rtl + starved).padStart(10),
        fmt(cycles).padStart(10),
        fmt(stationaryRun.cycles, stationaryPairs).padStart(13),
      ].join('  '),
    );
  }
} finally {
  await sim.close();
}

const dir = await mkdtemp(join(tmpdir(), 'bench-pe-'));
let cells: string;
try {
  const written = await writeDesign(elaborate(SparsePe, paperPeParams), dir);
  const synth = await yosysSynth(written.files, elaborate(SparsePe, paperPeParams).top!.name);
  cells = synth.ok ? `${synth.cells} cells (${synth.latches} latches)` : `synthesis failed: ${synth.messages.join('; ')}`;
} finally {
  await rm(dir, { recursive: true, force: true });
}

console.log(`Sparse PE, paper SPads; ${tiles} random tiles per density (iacts and weights at the same density),`);
console.log('tile: M0=16, C0=4, S=3, 2 windows, CSC iacts and weights, all ports at full speed.');
console.log('cycles per non-zero MAC pair (1.000 = both SIMD lanes busy every cycle):');
console.log('  active = compute cycles the RTL reports, model = golden prediction,');
console.log('  +starved = active + cycles waiting for iacts, end-to-end = whole stream run incl. loads and drain,');
console.log('  stationary = end-to-end with one weight tile resident (keepWeights) and only iacts streamed');
console.log('density  MAC pairs  RTL active       model    +starved  end-to-end     stationary');
for (const r of rows) console.log(r);
console.log(`yosys synth (flattened, SRAM as flops): ${cells}`);
