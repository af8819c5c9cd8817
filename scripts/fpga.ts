// FPGA figures of the chip's blocks (docs/synth.md, "FPGA"): yosys synth_xilinx resource counts per
// block and for the chip, hierarchical so repeated blocks are mapped once; then nextpnr-ice40
// places and routes each candidate block in a three-pin harness (tb/fpga.ts) and reports which fit
// the iCE40 and at what Fmax. Writes out/fpga/report.json and report.md.
//   npm run fpga [-- --arch paper|small|ARCH.json] [--device hx8k --package ct256] [--no-pnr]
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { loadArch } from '../runtime/arch-file.js';
import { emitForSim } from '../tb/dsl.js';
import { cellTotals, findNode, parseHierStat, yosysHierStat } from '../tb/synth.js';
import { ice40PlaceAndRoute, xilinxResources, type Ice40Result, type XilinxResources } from '../tb/fpga.js';
import { EyerissTop, chipParamsFromArch } from '../generator/eyeriss/chip/index.js';

const BLOCKS = ['SparsePe', 'PeShell', 'RouterCluster', 'GlbCluster', 'Cluster', 'EyerissTop'];
// A cluster is ten times an iCE40's logic and the chip more: only the blocks below are placed.
const PNR_BLOCKS = ['RouterCluster', 'GlbCluster', 'SparsePe', 'PeShell'];

// Capacities from the vendors' product tables (AMD DS180 7-series overview, DS890 UltraScale+):
// LUTs, flip-flops, 36-Kbit block RAMs, DSP slices.
const PARTS = [
  { part: 'XC7A35T', luts: 20_800, ffs: 41_600, bram36: 50, dsp: 90 },
  { part: 'XC7A100T', luts: 63_400, ffs: 126_800, bram36: 135, dsp: 240 },
  { part: 'XC7A200T', luts: 133_800, ffs: 267_600, bram36: 365, dsp: 740 },
  { part: 'XC7K325T', luts: 203_800, ffs: 407_600, bram36: 445, dsp: 840 },
  { part: 'XC7VX690T', luts: 433_200, ffs: 866_400, bram36: 1_470, dsp: 3_600 },
  { part: 'XCVU9P', luts: 1_182_240, ffs: 2_364_480, bram36: 2_160, dsp: 6_840 },
];

/** The smallest listed part whose LUTs (logic and RAM), flip-flops, BRAM and DSPs all hold the block. */
const smallestPart = (r: XilinxResources): string =>
  PARTS.find((p) => r.luts + r.lutram <= p.luts && r.flipFlops <= p.ffs && r.bram36 <= p.bram36 && r.dsp <= p.dsp)?.part ?? 'none listed';

const o = new Command('fpga')
  .option('--arch <name|file.json>', 'architecture', 'small')
  .option('--out <dir>', 'report folder', 'out/fpga')
  .option('--device <name>', 'nextpnr-ice40 device (hx8k, up5k, hx1k, ...)', 'hx8k')
  .option('--package <name>', 'nextpnr-ice40 package', 'ct256')
  .option('--no-pnr', 'synth_xilinx counts only')
  .parse()
  .opts<{ arch: string; out: string; device: string; package: string; pnr: boolean }>();
const arch = await loadArch(o.arch);
await mkdir(o.out, { recursive: true });
const started = performance.now();
const design = await emitForSim(EyerissTop, chipParamsFromArch(arch));
console.log(`${design.top}: yosys synth_xilinx -noiopad (hierarchical)`);
const stat = parseHierStat(await yosysHierStat(design.files, design.top, 'synth_xilinx -noiopad'));
if (!stat.tree) throw new Error('yosys stat printed no design hierarchy');
const xilinx: Record<string, XilinxResources & { module: string }> = {};
for (const b of BLOCKS) {
  const node = findNode(stat.tree, b);
  if (!node) throw new Error(`block ${b} not found in the design hierarchy`);
  xilinx[b] = { module: node.name, ...xilinxResources(cellTotals(stat, node)) };
}
const xilinxSeconds = (performance.now() - started) / 1000;
const pnr: Record<string, Ice40Result & { module: string }> = {};
if (o.pnr) {
  for (const b of PNR_BLOCKS) {
    console.log(`${b}: synth_ice40 in a three-pin harness, nextpnr-ice40 --${o.device} --package ${o.package}`);
    pnr[b] = { module: xilinx[b]!.module, ...(await ice40PlaceAndRoute(design.files, xilinx[b]!.module, 'clock', o.device, o.package)) };
  }
}
const fitting = Object.entries(pnr).filter(([, r]) => r.fits);
const largest = fitting.sort(([, a], [, b]) => (b.lcs?.used ?? 0) - (a.lcs?.used ?? 0))[0];
const seconds = (performance.now() - started) / 1000;
const fits = Object.fromEntries(BLOCKS.map((b) => [b, smallestPart(xilinx[b]!)]));
const report = {
  arch: o.arch,
  parts: PARTS,
  smallestPart: fits,
  top: design.top,
  device: `${o.device}/${o.package}`,
  seconds,
  xilinxSeconds,
  xilinx,
  pnr,
  largestFitting: largest?.[0],
};
await writeFile(path.join(o.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);

const n = (x: number): string => x.toLocaleString('en');
const others = (r: XilinxResources): string =>
  Object.entries(r.other)
    .filter(([t]) => !/^(MUXF[78]|INV|BUFG|VCC|GND|SRAM_.*)$/.test(t))
    .map(([t, k]) => `${t} ${k}`)
    .join(', ') || '-';
const md = [
  `# FPGA figures, arch ${o.arch}`,
  '',
  `\`npm run fpga -- --arch ${o.arch}\`: yosys \`synth_xilinx -noiopad\` without flattening (the SRAMs' behavioural models mapped to block or distributed RAM by yosys); ${xilinxSeconds.toFixed(0)} s.`,
  '',
  '| block | LUTs (logic) | LUTs as RAM/SRL | flip-flops | BRAM (RAMB36) | DSP48E1 | CARRY4 | other | smallest part that holds it |',
  '|---|---|---|---|---|---|---|---|---|',
  ...BLOCKS.map((b) => {
    const r = xilinx[b]!;
    return `| ${b} | ${n(r.luts)} | ${n(r.lutram)} | ${n(r.flipFlops)} | ${r.bram36} | ${r.dsp} | ${r.carry4} | ${others(r)} | ${smallestPart(r)} |`;
  }),
  '',
  ...(o.pnr
    ? [
        `nextpnr-ice40 --${o.device} --package ${o.package} --freq 12 --seed 1, each block between a serial-in shift register and a registered XOR of its outputs (tb/fpga.ts):`,
        '',
        '| block | fits | logic cells | block RAMs | Fmax (MHz) | seconds | note |',
        '|---|---|---|---|---|---|---|',
        ...PNR_BLOCKS.map((b) => {
          const r = pnr[b]!;
          const u = (x?: { used: number; available: number }): string => (x ? `${n(x.used)} / ${n(x.available)}` : '-');
          return `| ${b} | ${r.fits ? 'yes' : 'no'} | ${u(r.lcs)} | ${u(r.brams)} | ${r.fmaxMHz?.toFixed(1) ?? '-'} | ${r.seconds.toFixed(0)} | ${r.reason ?? ''} |`;
        }),
        '',
        largest ? `Largest block that fits the ${o.device}: ${largest[0]}.` : `No block fits the ${o.device}.`,
      ]
    : []),
  `Elapsed ${seconds.toFixed(0)} s.`,
  '',
].join('\n');
await writeFile(path.join(o.out, 'report.md'), md);
console.log(md);
