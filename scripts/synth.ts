// Hierarchical yosys gate counts of the chip's blocks: cells, flip-flop bits and NAND-2
// equivalents (tb/synth.ts documents the method), SRAMs kept as macros, the chip's logic
// against the paper's 2,695k NAND-2. Writes out/synth/report.json and report.md.
//   npm run synth [-- --arch paper|small|ARCH.json]
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { loadArch } from '../runtime/arch-file.js';
import { emitForSim } from '../tb/dsl.js';
import { blockCount, findNode, parseHierStat, yosysDepths, yosysHierStat, type BlockCount } from '../tb/synth.js';
import { EyerissTop, chipParamsFromArch } from '../generator/eyeriss/chip/index.js';

const PAPER_NAND2 = 2_695_000;
const BLOCKS = ['SparsePe', 'PeShell', 'RouterCluster', 'GlbCluster', 'Cluster', 'EyerissTop'];

const o = new Command('synth')
  .option('--arch <name|file.json>', 'architecture', 'paper')
  .option('--out <dir>', 'report folder', 'out/synth')
  .parse()
  .opts<{ arch: string; out: string }>();
const arch = await loadArch(o.arch);
const started = performance.now();
const design = await emitForSim(EyerissTop, chipParamsFromArch(arch));
console.log(`${design.top}: yosys synth (hierarchical, SRAM_* as macros)`);
const stat = parseHierStat(await yosysHierStat(design.files, design.top));
if (!stat.tree) throw new Error('yosys stat printed no design hierarchy');
const nodes = BLOCKS.map((b) => {
  const node = findNode(stat.tree!, b);
  if (!node) throw new Error(`block ${b} not found in the design hierarchy`);
  return node;
});
console.log(`${design.top}: logic depth of every block (abc two-input gates, hierarchical)`);
const depths = await yosysDepths(
  design.files,
  design.top,
  nodes.map((n) => n.name),
);
const blocks: Record<string, BlockCount & { module: string; depth: number }> = {};
BLOCKS.forEach((b, i) => {
  const node = nodes[i]!;
  blocks[b] = { module: node.name, depth: depths.get(node.name)!, ...blockCount(stat, node, (m) => m.startsWith('SRAM_')) };
});
const seconds = (performance.now() - started) / 1000;
const chip = blocks.EyerissTop!;
const ratio = chip.nand2 / PAPER_NAND2;
const report = { arch: o.arch, top: design.top, seconds, paperNand2: PAPER_NAND2, chipRatio: ratio, blocks };
const rows = BLOCKS.map((b) => {
  const r = blocks[b]!;
  const macros =
    Object.entries(r.macros)
      .map(([m, n]) => `${m} x${n}`)
      .join(', ') || '-';
  return `| ${b} | ${r.cells.toLocaleString('en')} | ${r.flipFlopBits.toLocaleString('en')} | ${Math.round(r.nand2).toLocaleString('en')} | ${r.depth} | ${macros} |`;
});
const md = [
  `# Gate counts, arch ${o.arch}`,
  '',
  `\`npm run synth -- --arch ${o.arch}\`: yosys \`synth\` without flattening, SRAM_* as macros; NAND-2 eq = CMOS transistors / 4 (tb/synth.ts); logic depth = the longest path in gate levels between flip-flops, SRAM macros and ports after \`abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX\`, from the hierarchical netlist (tb/depth.ts: each module analysed once, paths through instances counted whole).`,
  '',
  '| block | cells | flip-flop bits | NAND-2 eq | logic depth | SRAM macros |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
  `Chip logic ${Math.round(chip.nand2).toLocaleString('en')} NAND-2 eq vs the paper's ${PAPER_NAND2.toLocaleString('en')}: ratio ${ratio.toFixed(3)}.`,
  `Elapsed ${seconds.toFixed(0)} s.`,
  '',
].join('\n');
await mkdir(o.out, { recursive: true });
await writeFile(path.join(o.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
await writeFile(path.join(o.out, 'report.md'), md);
console.log(md);
