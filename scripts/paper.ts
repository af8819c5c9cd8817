// `npm run paper`: the golden model's performance and energy model against every figure of the
// spec's section 6 that it can express. Prints a markdown table (paper, model, ratio, notes);
// `npm run paper -- --out docs/paper.md` also writes it to a file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { progress } from './progress.js';
import { Command } from 'commander';
import { paperArch, parseArch, totalMacsPerCycle, totalPes } from '../spec/arch.js';
import { V1_BUS_VALUES, type ChipVariant } from '../golden/chip-model.js';
import type { LayerData } from '../golden/layers.js';
import {
  ALEXNET_CONV_IACT_DENSITY,
  ALEXNET_FC_IACT_DENSITY,
  ALEXNET_WEIGHT_DENSITY,
  getNetwork,
  networkLayerData,
  type Network,
  type NetworkName,
  type Sparsity,
} from '../golden/networks.js';
import { layerPerf, type LayerPerf } from '../golden/perf.js';
import { nonzeroMacs } from '../golden/nonzero-macs.js';
import {
  FIG14_HM_OVER_FLAT,
  FIG22_GOPS_PER_WATT,
  PAPER_FIGURES,
  PAPER_RATES,
  V1_ALEXNET_CONV_MEASURED,
  meets,
  ratioTo,
  type PaperFigureKey,
  type Published,
} from '../spec/paper-figures.js';

const program = new Command()
  .name('paper')
  .description('Compare the golden performance/energy model with the Eyeriss v2 paper figures (spec section 6)')
  .option('--out <file>', 'also write the markdown report to this file')
  .option('--seed <n>', 'seed of the generated network data', '1');
program.parse();
const opts = program.opts<{ out?: string; seed: string }>();
const seed = Number(opts.seed);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got '${opts.seed}'`);

const started = Date.now();
const clockHz = paperArch.clockMHz * 1e6;

interface Run {
  layers: LayerPerf[];
  cycles: number;
  /** Nominal MACs per inference. */
  macs: number;
  energyPJ: number;
  ips: number;
  ipj: number;
}

const dataCache = new Map<string, LayerData[]>();
function data(net: Network, variant: Sparsity): LayerData[] {
  const key = `${net.name}/${variant}`;
  let d = dataCache.get(key);
  if (d === undefined) {
    d = net.layers.map((_, i) => networkLayerData(net, i, variant, seed));
    dataCache.set(key, d);
  }
  return d;
}

let runsDone = 0;
function run(name: NetworkName, variant: Sparsity, chip: ChipVariant, arch = paperArch): Run {
  const t = Date.now();
  const net = getNetwork(name);
  // Progress goes to stderr: stdout is the report, which must equal docs/paper.md. A terminal
  // sees the layers of the run go by (AlexNet and the 32x32 study take seconds each).
  const bar = progress(`[paper] run ${runsDone + 1}: ${name} ${variant} on ${chip} (${arch.name})`, process.stderr);
  const d = data(net, variant);
  const layers = net.layers.map((nl, i) => {
    bar.update(i, net.layers.length, nl.layer.name);
    return layerPerf(nl.layer, d[i]!, chip, arch);
  });
  bar.stop();
  process.stderr.write(
    `[paper] run ${++runsDone}: ${name} ${variant} on ${chip} (${arch.name}) in ${((Date.now() - t) / 1000).toFixed(1)} s, ${((Date.now() - started) / 1000).toFixed(0)} s so far\n`,
  );
  return summarize(layers);
}

/** The dense network on the dense PE: over the HM-NoC with RS+ (v1.5) and the flat NoC with RS (v1). */
function runDensePair(name: NetworkName, arch = paperArch): { hm: Run; flat: Run } {
  return { hm: run(name, 'dense', 'v1.5', arch), flat: run(name, 'dense', 'v1', arch) };
}

function summarize(layers: LayerPerf[]): Run {
  const cycles = layers.reduce((s, l) => s + l.cycles, 0);
  const energyPJ = layers.reduce((s, l) => s + l.energy.totalPJ, 0);
  const macs = layers.reduce((s, l) => s + l.macs, 0);
  return { layers, cycles, macs, energyPJ, ips: clockHz / cycles, ipj: 1e12 / energyPJ };
}

const mnS = run('mobilenet-0.5-128', 'sparse', 'v2');
const mnD = run('mobilenet-0.5-128', 'dense', 'v2');
const { hm: mnD15, flat: mnD1 } = runDensePair('mobilenet-0.5-128');
const axS = run('alexnet', 'sparse', 'v2');
const axD = run('alexnet', 'dense', 'v2');
const axD1 = run('alexnet', 'dense', 'v1');

const layer = (r: Run, name: string): LayerPerf => {
  const l = r.layers.find((x) => x.layer.name === name);
  if (l === undefined) throw new Error(`no layer ${name}`);
  return l;
};
const convLayers = (r: Run): LayerPerf[] => r.layers.filter((l) => l.layer.type !== 'fc');
const dramMB = (layers: LayerPerf[]): number => layers.reduce((s, l) => s + l.dramBytes, 0) / 1e6;
const convDramMB = (r: Run): number => dramMB(convLayers(r));
// D1: the same traffic if every weight tile and iact stream crossed from DRAM once (no reloads).
const convDramOnceMB = (r: Run): number =>
  convLayers(r).reduce((s, l) => s + l.counts.dramWeightBytesOnce + l.counts.dramIactBytesOnce + l.counts.dramOutputBytes, 0) / 1e6;
// 25,600 MB/s at 200 MHz = 128 bytes per cycle (spec 6.4).
const dramArch = { ...paperArch, dramBytesPerCycle: 25_600e6 / clockHz };
const mnSbw = run('mobilenet-0.5-128', 'sparse', 'v2', dramArch);
// D2: the bound if none of the model's DRAM traffic overlapped compute (every byte serialized).
const mnSdramMB = dramMB(mnS.layers);
const mnSserialized = mnS.cycles / (mnS.cycles + (mnSdramMB * 1e6) / dramArch.dramBytesPerCycle);
const axSbw = run('alexnet', 'sparse', 'v2', dramArch);

// D2 on the RTL: what `npm run bench:system -- --json` measured on the system top (docs/rtl.md, "Through memory").
interface SystemBench {
  command: string;
  layers: number;
  ports?: number;
  coreCycles: number;
  runs: { bytesPerCycle: number | null; cycles: number }[];
}
const systemBench = (file: string): SystemBench | null => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SystemBench) : null);
function rtlD2(what: string, file: string): string {
  const b = systemBench(file);
  if (b === null) return `${what}: not measured (${file} is missing; \`npm run bench:system -- --json ${file}\` writes it)`;
  const cycles = (limit: number | null): number => b.runs.find((r) => r.bytesPerCycle === limit)!.cycles;
  const lost = (from: number, to: number): string => `${(((to - from) / to) * 100).toFixed(1)} %`;
  return (
    `${what}${b.ports === undefined ? '' : ` (${b.ports} memory port${b.ports > 1 ? 's' : ''})`}: ${cycles(null).toLocaleString('en-US')} cycles with a DRAM that never binds, ${cycles(128).toLocaleString('en-US')} at 128 B/cycle ` +
    `(-${lost(cycles(null), cycles(128))} throughput); against the core top fed without a memory port (${b.coreCycles.toLocaleString('en-US')}), ` +
    `-${lost(b.coreCycles, cycles(128))} at 128 B/cycle`
  );
}

// A1: how much effectual work the paper's sparse AlexNet rate implies, at the model's own
// efficiency (cycles per ideal cycle = non-zero MACs / MACs per cycle).
const nonzero = (name: NetworkName, variant: Sparsity): number => {
  const net = getNetwork(name);
  const d = data(net, variant);
  return net.layers.reduce((s, nl, i) => s + nonzeroMacs(nl.layer, d[i]!), 0);
};
const axNonzero = nonzero('alexnet', 'sparse');
const axPerIdeal = axS.cycles / (axNonzero / totalMacsPerCycle(paperArch));
const mnPerIdeal = mnS.cycles / (nonzero('mobilenet-0.5-128', 'sparse') / totalMacsPerCycle(paperArch));
const axImpliedNonzero = (clockHz / PAPER_RATES.sparseAlexnetIps / axPerIdeal) * totalMacsPerCycle(paperArch);

// S1: the scalability study of Fig. 14 (spec 6.4): dense MobileNet 1.0-224 on clusters of 4x4
// PEs at 1 MAC per PE per cycle, 4x4 / 8x8 / 32x32 clusters, unlimited DRAM; the HM-NoC with
// dense PEs (v1.5 here) against the flat NoC (v1).
const fig14 = [4, 8, 32].map((k) => {
  const arch = parseArch({ ...paperArch, name: `fig14-${k}x${k}`, clusterRows: k, clusterCols: k, peRows: 4, peCols: 4, simd: 1 });
  return { pes: totalPes(arch), ...runDensePair('mobilenet-1.0-224', arch) };
});
const [s256, s1024, s16k] = fig14 as [(typeof fig14)[0], (typeof fig14)[0], (typeof fig14)[0]];
const macsPerCycle = (r: Run): number => r.macs / r.cycles;
// The paper's v1 rates follow from its own ratios (PAPER_RATES): v1 MobileNet = 1470.6 / 12.6 inferences/s,
// v1 AlexNet = 1470.6 / 225.1 (both against sparse MobileNet, spec 6.2).
const paperV1Rate = (net: Run, ips: number): number => (net.macs * ips) / clockHz;
const paperV1Mn = paperV1Rate(mnD1, PAPER_RATES.sparseMobilenetIps / PAPER_RATES.v2OverV1Mobilenet);
const PAPER_V1_ALEXNET_IPS = PAPER_RATES.sparseMobilenetIps / PAPER_RATES.v2OverV1Alexnet;
const paperV1Ax = paperV1Rate(axD1, PAPER_V1_ALEXNET_IPS);
// V1: Eyeriss v1's measured CONV rate on AlexNet (JSSC 2017, Table V: 2.666G MACs of a batch of
// 4 in 103.5 ms of processing at 200 MHz, 168 PEs), scaled to 192 PEs, against the paper's v1.
const V1_MEASURED_CONV_MACS_PER_CYCLE = V1_ALEXNET_CONV_MEASURED.macs / (V1_ALEXNET_CONV_MEASURED.seconds * V1_ALEXNET_CONV_MEASURED.clockHz);
const isFc = (l: LayerPerf): boolean => l.layer.type === 'fc';
// P1: the mapper's ranking estimate against the timed cycles of the mapping it chose.
const estimateRange = (r: Run, fc: boolean): string => {
  const q = r.layers.filter((l) => isFc(l) === fc).map((l) => l.mapping.estimatedCycles / l.counts.cycles);
  return `${Math.min(...q).toFixed(2)}-${Math.max(...q).toFixed(2)}`;
};
const v1AxConv = summarize(axD1.layers.filter((l) => !isFc(l)));
const v1AxFc = summarize(axD1.layers.filter(isFc));
const v1ConvScaled = v1AxConv.macs / (V1_MEASURED_CONV_MACS_PER_CYCLE * (totalPes(paperArch) / V1_ALEXNET_CONV_MEASURED.pes));
const paperV1AxCycles = clockHz / PAPER_V1_ALEXNET_IPS;
// A dense FC layer does one MAC per weight.
const v1FcRate = v1AxFc.macs / (paperV1AxCycles - v1ConvScaled);

// The model's value of every published figure (spec/paper-figures.ts), by the same key.
const model: Record<PaperFigureKey, number> = {
  sparseMobilenetIps: mnS.ips,
  sparseMobilenetIpj: mnS.ipj,
  sparseAlexnetIps: axS.ips,
  sparseAlexnetIpj: axS.ipj,
  denseMobilenetIps: mnD.ips,
  denseMobilenetIpj: mnD.ipj,
  denseAlexnetIps: axD.ips,
  v15OverV1MobilenetIps: mnD15.ips / mnD1.ips,
  v15OverV1MobilenetIpj: mnD15.ipj / mnD1.ipj,
  sparseOverDenseMobilenetIps: mnS.ips / mnD.ips,
  sparseOverDenseMobilenetIpj: mnS.ipj / mnD.ipj,
  v2OverV1MobilenetIps: mnS.ips / mnD1.ips,
  v2OverV1MobilenetIpj: mnS.ipj / mnD1.ipj,
  v2OverV1AlexnetIps: axS.ips / axD1.ips,
  v2OverV1AlexnetIpj: axS.ipj / axD1.ipj,
  v2MobilenetOverV1AlexnetIps: mnS.ips / axD1.ips,
  v2MobilenetOverV1AlexnetIpj: mnS.ipj / axD1.ipj,
  mobilenetOverAlexnetIps: mnS.ips / axS.ips,
  mobilenetOverAlexnetIpj: mnS.ipj / axS.ipj,
  alexnetConv1GopsW: layer(axD, 'CONV1').gopsPerWatt,
  alexnetConv3GopsW: layer(axD, 'CONV3').gopsPerWatt,
  sparseAlexnetConv3GopsW: layer(axS, 'CONV3').gopsPerWatt,
  mobilenetDw13GopsW: layer(mnS, 'L26-dw').gopsPerWatt,
  sparseAlexnetFc8GopsW: layer(axS, 'FC8').gopsPerWatt,
  alexnetConvDramMB: convDramMB(axD),
  sparseAlexnetConvDramMB: convDramMB(axS),
  sparseAlexnetKeptAtDram: axSbw.ips / axS.ips,
  sparseMobilenetKeptAtDram: mnSbw.ips / mnS.ips,
  fig14Hm1024Over256: s1024.hm.ips / s256.hm.ips,
  fig14Hm16384ShareOfLinear: s16k.hm.ips / s256.hm.ips / (s16k.pes / s256.pes),
  fig14HmOverFlat256: s256.hm.ips / s256.flat.ips,
  fig14HmOverFlat1024: s1024.hm.ips / s1024.flat.ips,
  fig14HmOverFlat16384: s16k.hm.ips / s16k.flat.ips,
};
const rows = (Object.keys(PAPER_FIGURES) as PaperFigureKey[]).map((k) => ({ ...PAPER_FIGURES[k], model: model[k] }));

const fmt = (x: number): string => (x >= 100 ? x.toFixed(1) : x >= 10 ? x.toFixed(2) : x.toFixed(3));
const showPaper = (p: Published): string => (typeof p === 'number' ? fmt(p) : 'atLeast' in p ? `≥ ${fmt(p.atLeast)}` : `${fmt(p.from)}-${fmt(p.to)}`);
const lines: string[] = [];
lines.push('| figure | source | paper | model | model/paper | in 0.85-1.15 | notes |');
lines.push('|---|---|---:|---:|---:|:-:|---|');
let inRange = 0;
for (const r of rows) {
  const ratio = ratioTo(r.paper, r.model);
  const ok = meets(r.paper, ratio);
  if (ok) inRange++;
  lines.push(`| ${r.figure} | ${r.source} | ${showPaper(r.paper)} | ${fmt(r.model)} | ${ratio.toFixed(2)} | ${ok ? 'yes' : 'no'} | ${r.note} |`);
}
lines.push('');
lines.push(
  `${inRange} of ${rows.length} figures met: ratios within 0.85-1.15 (for a published range, the ratio is to its nearer end); a lower bound met when reached. Seed ${seed}, paper architecture unless the row says otherwise, ${paperArch.clockMHz} MHz.`,
);
lines.push('');
lines.push(
  'Model cycles per inference: ' +
    [
      ['sparse MobileNet', mnS],
      ['dense MobileNet', mnD],
      ['dense MobileNet v1.5', mnD15],
      ['dense MobileNet v1', mnD1],
      ['sparse AlexNet', axS],
      ['dense AlexNet', axD],
      ['dense AlexNet v1', axD1],
    ]
      .map(([n, r]) => `${n as string} ${(r as Run).cycles}`)
      .join('; ') +
    ' (paper, sparse MobileNet: about 136,000). ' +
    `Fig. 14, dense MobileNet 1.0-224 on ${fig14.map((f) => f.pes).join(' / ')} PEs: HM-NoC ${fig14.map((f) => f.hm.cycles).join(' / ')}, ` +
    `flat NoC ${fig14.map((f) => f.flat.cycles).join(' / ')}.`,
);
const table = lines.join('\n');

/** The parts of EnergyBreakdown, in the breakdown tables' column order. */
const PARTS = { mac: 'macPJ', spad: 'spadPJ', noc: 'nocPJ', glb: 'glbPJ', clock: 'clockPJ', leak: 'leakagePJ' } as const;
type Part = keyof typeof PARTS;
const PART_KEYS = Object.keys(PARTS) as Part[];
type Shares = { totalPJ: number } & Record<Part, number>;
/** Energy of a set of layers and each part's share of it. */
function shares(layers: LayerPerf[]): Shares {
  const totalPJ = layers.reduce((s, l) => s + l.energy.totalPJ, 0);
  const part = (k: Part): number => layers.reduce((s, l) => s + l.energy[PARTS[k]], 0) / totalPJ;
  return { totalPJ, ...(Object.fromEntries(PART_KEYS.map((k) => [k, part(k)])) as Record<Part, number>) };
}
const breakdown = (name: string, sh: Shares, extra = ''): string =>
  `| ${name} | ${(sh.totalPJ / 1e6).toFixed(1)} | ${PART_KEYS.map((k) => `${(100 * sh[k]).toFixed(0)} %`).join(' | ')} |${extra}`;

// Fig. 22's layers: the paper describes their power breakdowns in words (spec 6.3); each
// description is checked against the model's shares.
const f22 = {
  conv1: shares([layer(axD, 'CONV1')]),
  conv3: shares([layer(axD, 'CONV3')]),
  sconv3: shares([layer(axS, 'CONV3')]),
  dw: shares([layer(mnS, 'L26-dw')]),
  fc8: shares([layer(axS, 'FC8')]),
};
const f22All = Object.values(f22);
const yn = (b: boolean): string => (b ? 'yes' : 'no');
const largestPart = (sh: Shares, k: Part): boolean => PART_KEYS.every((o) => sh[k] >= sh[o]);
const fig22Rows: [string, Shares, string, string][] = [
  [
    'AlexNet CONV1',
    f22.conv1,
    'largest MAC share, small clock share',
    `largest MAC and smallest clock share of the five: ${yn(f22All.every((o) => f22.conv1.mac >= o.mac && f22.conv1.clock <= o.clock))}; MAC its largest part: ${yn(largestPart(f22.conv1, 'mac'))}`,
  ],
  ['AlexNet CONV3', f22.conv3, 'dense reference for the next row', ''],
  [
    'sparse AlexNet CONV3',
    f22.sconv3,
    'imbalance raises the clock, NoC and GLB shares',
    `above dense CONV3 in clock / NoC / GLB share: ${yn(f22.sconv3.clock > f22.conv3.clock)} / ${yn(f22.sconv3.noc > f22.conv3.noc)} / ${yn(f22.sconv3.glb > f22.conv3.glb)}`,
  ],
  ['MobileNet L26-dw (CONV13 DW)', f22.dw, 'clock dominates', `clock its largest part: ${yn(largestPart(f22.dw, 'clock'))}`],
  [
    'sparse AlexNet FC8',
    f22.fc8,
    'largest clock share, high NoC share',
    `largest clock share of the five: ${yn(f22All.every((o) => f22.fc8.clock >= o.clock))}; NoC share above both CONV3s: ${yn(f22.fc8.noc > f22.conv3.noc && f22.fc8.noc > f22.sconv3.noc)}`,
  ],
];

const notes = `
Notes

- **P1 (throughput).** The PE part of the model is the RTL PE's own timing: each PE task runs as
  jobs of the windows the psum SPad holds (32 / M0), each job timed by the RTL's job formula
  (accept, weight load, active cycles of stages A and C, psums read out two per cycle, done), and
  test/golden/pe.test.ts checks it equals the cycle-exact PE model on random tasks. What the model
  leaves out is the chip around the PEs, which makes it faster than the chip: it bounds iact
  delivery per cluster by its words spread evenly over all three GLB iact ports, where the RTL
  runtime gives each PE's class one port; it has no alignment pads in interleaved streams, no
  controller handshakes between jobs and no configuration time per layer. docs/rtl.md measures
  that gap on the RTL chip layer by layer with the same mappings. The mapper ranks its candidates
  with a closed-form estimate built on the same PE job formula, not with the timing run, and it
  sees the weights but takes every iact as non-zero: its estimate is ${estimateRange(mnS, false)}x the timed cycles
  on sparse MobileNet's convolutions, ${estimateRange(axS, false)}x on sparse AlexNet's (sparser iacts) and ${estimateRange(axS, true)}x on
  sparse AlexNet's FC layers, so a faster mapping may go unranked. Ranking with the iact density as
  well was tried: sparse AlexNet 3 % fewer cycles, dense MobileNet 1 % more; not kept. The paper's
  per-layer mappings are not published.
- **E1 (energy).** Every per-operation energy is derived from public figures and the clocked flip-flops
  are counted on the generated RTL (golden/README.md, "Energy model"); none is fitted to a paper
  number. The model has no top-level controller, no per-layer 2134-bit configuration load, no I/O, no
  clock-tree buffers above the local wiring and no glitch power, and uses typical rather than the
  paper's worst-case PVT; the paper's numbers come from post-layout gate-level simulation. Clocking
  dominates the model's energy (table below), so the energy ratios move with the cycle ratios. On
  the dense, well-used AlexNet CONV1 and CONV3 the model's GOPS/W are ${(layer(axD, 'CONV1').gopsPerWatt / FIG22_GOPS_PER_WATT.conv1).toFixed(2)}x and ${(layer(axD, 'CONV3').gopsPerWatt / FIG22_GOPS_PER_WATT.conv3).toFixed(2)}x the
  paper's: on both alike it spends about ${((FIG22_GOPS_PER_WATT.conv1 / layer(axD, 'CONV1').gopsPerWatt + FIG22_GOPS_PER_WATT.conv3 / layer(axD, 'CONV3').gopsPerWatt) / 2).toFixed(2)} of the chip's energy per operation (what it leaves
  out, above, would add energy; no source gives how much). The sparse AlexNet rows also need the
  paper's pruned weights (A1).
- **A1 (AlexNet).** The paper's sparse AlexNet is energy-aware pruned (Yang et al. 2017), whose per-layer
  weight densities we could not find; the model uses those of Han et al. 2015. The CONV layers'
  iacts take the densities Eyeriss v1 measured on real images (${ALEXNET_CONV_IACT_DENSITY.join(', ')}: JSSC 2017,
  Table V), the FC layers' ${ALEXNET_FC_IACT_DENSITY} (EIE, ISCA 2016: skipping zero activations "saves another 3x"
  on its benchmarks, FC6-FC8 among them; golden/README.md, "Networks"); dense AlexNet
  (unpruned weights) takes the same iacts, as the chip skips real post-ReLU zeros in both. On that
  data the model takes ${axPerIdeal.toFixed(2)} cycles per ideal cycle (non-zero MACs / ${totalMacsPerCycle(paperArch)}), against ${mnPerIdeal.toFixed(2)} on sparse
  MobileNet, whose densities come from the paper's own pruned network (golden/README.md); at that
  efficiency the paper's ${PAPER_RATES.sparseAlexnetIps} inferences/s would need ${(axImpliedNonzero / 1e6).toFixed(0)}M non-zero MACs, ${(axImpliedNonzero / axNonzero).toFixed(2)} of the
  ${(axNonzero / 1e6).toFixed(0)}M these densities give. The dense CONV layers bear the iact densities out: the
  paper's AlexNet CONV3 is ${(FIG22_GOPS_PER_WATT.conv3 / FIG22_GOPS_PER_WATT.conv1).toFixed(2)}x as efficient as CONV1 (${FIG22_GOPS_PER_WATT.conv3.toFixed(1)} / ${FIG22_GOPS_PER_WATT.conv1} GOPS/W), the model's
  ${(layer(axD, 'CONV3').gopsPerWatt / layer(axD, 'CONV1').gopsPerWatt).toFixed(2)}x (both layers off by about the same factor, E1). The pruning does not: the paper's sparse
  CONV3 is ${(FIG22_GOPS_PER_WATT.sparseConv3 / FIG22_GOPS_PER_WATT.conv3).toFixed(2)}x as efficient as its dense one, the model's ${(layer(axS, 'CONV3').gopsPerWatt / layer(axD, 'CONV3').gopsPerWatt).toFixed(2)}x, so the energy-aware pruned
  CONV3 keeps far fewer weights than Han et al.'s ${ALEXNET_WEIGHT_DENSITY[2]}. The gap is the pruned network's effectual
  work, which the model cannot know, more than the chip's efficiency on it. The dense-AlexNet
  inferences/s figure is itself uncertain (spec 6.1).
- **V1 (Eyeriss v1).** v1 is modelled as the dense PE (no zero skipping, no SIMD, uncompressed data) on a
  flat multicast NoC with one bus per data type for the whole array, of the original chip's widths
  (Chen et al., JSSC 2017: ifmap 16 b, filter 64 b, psum 64 b; at v2's precision ${V1_BUS_VALUES.iacts} iacts,
  ${V1_BUS_VALUES.weights} weights and ${V1_BUS_VALUES.psums} psums per cycle); what a step needs crosses it once, multicast included.
  So modelled, v1 runs MobileNet 0.5-128 at ${macsPerCycle(mnD1).toFixed(1)} MACs per cycle, the paper's v1 at ${paperV1Mn.toFixed(1)} (from its
  ${PAPER_RATES.v2OverV1Mobilenet}x). An earlier version gave v1 buses as wide as one cluster's GLB ports (72 b iact, 72 b
  weight, 160 b psum), and its v1 ran MobileNet about 3x faster than the paper's. v1 maps with row
  stationary, RS+ without its spatial g1 and n1 loops (spec 5.2): a depth-wise layer's channels
  run one after another. The model's v1 runs AlexNet at ${macsPerCycle(axD1).toFixed(1)} MACs per cycle, the paper's at ${paperV1Ax.toFixed(1)}
  (from its ${PAPER_RATES.v2OverV1Alexnet}x), and the FC layers carry the gap. Eyeriss v1 itself processes AlexNet's CONV
  layers at ${V1_MEASURED_CONV_MACS_PER_CYCLE.toFixed(1)} MACs per cycle on 168 PEs (JSSC 2017, Table V: 2.666G MACs in 103.5 ms at
  200 MHz, batch 4), ${(v1ConvScaled / 1e6).toFixed(1)}M cycles per image at that rate on 192 PEs; the model's v1 takes
  ${(v1AxConv.cycles / 1e6).toFixed(1)}M there (so v1's CONV is not where it is too fast) and ${(v1AxFc.cycles / 1e6).toFixed(1)}M on FC6-FC8. The paper's v1
  AlexNet, ${(paperV1AxCycles / 1e6).toFixed(1)}M cycles, then leaves ${((paperV1AxCycles - v1ConvScaled) / 1e6).toFixed(1)}M for the FC layers' ${(v1AxFc.macs / 1e6).toFixed(1)}M weights: ${v1FcRate.toFixed(1)} weights a
  cycle, where the model's v1 streams ${V1_BUS_VALUES.weights} over the 64-bit filter bus. What holds the paper's v1 to
  that rate is not published.
  On Fig. 14's MobileNet 1.0-224 at 256 PEs the paper's speedups imply a v1 of ${(macsPerCycle(s256.hm) / FIG14_HM_OVER_FLAT.pes256.to).toFixed(1)}-${(macsPerCycle(s256.hm) / FIG14_HM_OVER_FLAT.pes256.from).toFixed(1)} MACs per
  cycle if its HM-NoC runs as the model's does; the model's v1 sustains ${macsPerCycle(s256.flat).toFixed(1)} (note S1).
  Energy: the model clocks a PE that waits for data, so a starved v1 burns clock energy (on
  MobileNet it takes ${(mnD1.cycles / mnD15.cycles).toFixed(1)}x v1.5's cycles and ${(mnD1.energyPJ / mnD15.energyPJ).toFixed(1)}x its energy; the paper's v1 5.6x and 1.8x), and
  it clocks v1's dense PE with the flip-flops of v2's PE, which the paper puts at about 1.73x v1's
  in area (spec 6.2; there is no v1 RTL here to count): the paper's v1 energy figures suggest its
  waiting PEs cost far less, hence the energy ratios against v1.
- **S1 (scalability, Fig. 14).** The study runs dense MobileNet 1.0-224 on PEs doing 1 MAC per cycle,
  4x4 PEs per cluster, 4x4, 8x8 and 32x32 clusters and unlimited DRAM bandwidth. It gives no SPad,
  GLB or port sizes, so the model keeps the paper chip's per cluster. Its "v2" is the HM-NoC with
  dense PEs (the model's v1.5), its v1 the flat NoC with row stationary (the model's v1, note V1).
  The model's HM-NoC runs the network at ${macsPerCycle(s256.hm).toFixed(0)}, ${macsPerCycle(s1024.hm).toFixed(0)} and ${macsPerCycle(s16k.hm).toFixed(0)} MACs per cycle on 256, 1024 and
  16384 PEs: its NoC bounds are per cluster, so each added cluster brings its own bandwidth, and
  what is lost is mapping fragmentation. The spec gives the speedups over v1 as
  ranges without saying what they range over; the flat NoC in the model gains ${(s1024.flat.ips / s256.flat.ips).toFixed(2)}x from 256 to
  1024 PEs and ${(s16k.flat.ips / s256.flat.ips).toFixed(2)}x to 16384, because one multicast word reaches more PEs, where the paper's v1
  "barely improves".
- **L1.** The paper does not define "MobileNet CONV13 (DW)". The model reads it as MobileNet's usual
  block numbering (TF-slim \`Conv2d_13_depthwise\`, Keras \`conv_dw_13\`): the depth-wise half of the
  13th separable block, L26 here; "(DW)" would be redundant if the number counted all layers. The
  other reading, the 13th layer counting from 0 (L14, also depth-wise), is listed below.
- **D1 (DRAM).** Weights never stay in the GLB, so each weight tile is fetched once per iteration that
  uses it (as CSC or raw, whichever is smaller); iacts as the mapping's staging plan (mapping.staging,
  golden/staging-plan.ts) and the RTL run them: a layer with tm > 1 stages them in the GLB iact banks,
  so they come once when the layer input fits the banks, else the part that does not fit once per
  window; a layer with tm = 1 keeps its GLB iact ports in bypass, so every iact stream comes once per
  iteration that reads it (an input row that several iterations read, another psum chunk or another
  reduction pass reaching it through another filter row, comes once per iteration: this is what
  moved AlexNet CONV from 6.46 to 6.84 MB dense and 11.76 to 12.14 MB sparse when the model began
  to follow the RTL's staging); outputs leave as 8-bit values. Psums
  never spill off chip in the model's mappings. The mapper counts weight reloads by their cycles, not
  by DRAM bytes, and the paper's mappings are unknown, so these figures depend on the mapping chosen:
  with every weight tile and iact stream fetched once, the same CONV layers would move
  ${convDramOnceMB(axD).toFixed(2)} MB (dense) and ${convDramOnceMB(axS).toFixed(2)} MB (sparse); the rest is the reloads of the chosen mappings
  (weights once per psum chunk, as the GLB psum banks bound how many output rows a pass can hold).
- **D2 (DRAM bound).** The model charges each iteration's weight burst (weights are not double-buffered
  in the SPads) and a per-layer average bound for all traffic; iact and psum bursts and DRAM latency
  are not modelled, so it loses less than the paper. Even with none of its ${mnSdramMB.toFixed(2)} MB of DRAM
  traffic per sparse MobileNet inference overlapping compute, it would keep ${mnSserialized.toFixed(2)} of its throughput:
  the paper's -24 % needs more traffic than the model's mappings move, or a DRAM that delivers well
  below its peak on these bursts. Measured on the RTL's system top (one descriptor chain through its
  1024-bit AXI ports, the harness as one DRAM behind them; docs/rtl.md, "Through memory"): ${rtlD2('sparse MobileNet', 'docs/rtl/system-mobilenet-0.5-128-sparse.json')};
  ${rtlD2("sparse AlexNet's convolutions", 'docs/rtl/system-alexnet-sparse-conv.json')}. The RTL moves more bytes than the model
  (its iact streams, 32-bit slots).

Energy breakdown (share of the model's energy per inference)

| run | µJ | MAC | SPads | NoC | GLB | clock+control | leakage |
|---|---:|---:|---:|---:|---:|---:|---:|
${breakdown('sparse MobileNet', shares(mnS.layers))}
${breakdown('dense MobileNet', shares(mnD.layers))}
${breakdown('sparse AlexNet', shares(axS.layers))}
${breakdown('dense AlexNet', shares(axD.layers))}

The layers of Fig. 22 (spec 6.3): the paper describes their power breakdowns in words; the last
column checks each description against the model's shares (note E1 on why the clock share is
large everywhere in the model).

| layer | µJ | MAC | SPads | NoC | GLB | clock+control | leakage | paper | model agrees |
|---|---:|---:|---:|---:|---:|---:|---:|---|---|
${fig22Rows.map(([name, sh, paper, check]) => breakdown(name, sh, ` ${paper} | ${check} |`)).join('\n')}

MobileNet L14-dw (the 13th layer counting from 0, the other reading of L1): ${layer(mnS, 'L14-dw').gopsPerWatt.toFixed(1)} GOPS/W.
`;

const elapsed = ((Date.now() - started) / 1000).toFixed(1);
const report = `${table}\n${notes}\nGenerated by \`npm run paper -- --out docs/paper.md\` in ${elapsed} s.\n`;
console.log(report);
if (opts.out !== undefined) {
  writeFileSync(
    opts.out,
    `# Golden model vs the Eyeriss v2 paper\n\nGenerated by \`npm run paper -- --out docs/paper.md\` (scripts/paper.ts); do not edit by hand.\nPaper figures and their provenance tags are from the spec, section 6.\n\n${report}`,
  );
}
