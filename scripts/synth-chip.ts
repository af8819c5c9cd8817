// Yosys synthesis of the chip's blocks (lint first): cell and flip-flop counts, no latches.
// Not in CI: a whole cluster takes over ten minutes on two cores.
//   npm run synth:chip [-- --arch paper|small|ARCH.json] [--top PeShell,Cluster]
import { Command } from 'commander';
import { loadArch } from '../runtime/arch-file.js';
import { emitForSim } from '../tb/dsl.js';
import { assertGatesPass } from '../tb/lint.js';
import { Cluster, PeShell, chipParamsFromArch, clusterParams, peShellParams } from '../generator/eyeriss/chip/index.js';

const o = new Command('synth-chip')
  .option('--arch <name|file.json>', 'architecture', 'paper')
  .option('--top <list>', 'blocks to synthesize', 'PeShell,Cluster')
  .parse()
  .opts<{ arch: string; top: string }>();
const chip = chipParamsFromArch(await loadArch(o.arch));
const blocks = {
  PeShell: () => emitForSim(PeShell, peShellParams(chip)),
  Cluster: () => emitForSim(Cluster, clusterParams(chip)),
};
for (const name of o.top.split(',')) {
  const make = blocks[name as keyof typeof blocks];
  if (make === undefined) throw new Error(`--top ${name}: use ${Object.keys(blocks).join(', ')}`);
  const started = performance.now();
  const r = await assertGatesPass(await make());
  const ffs = Object.entries(r.cellTypes).filter(([t]) => /DFF/i.test(t)).reduce((a, [, n]) => a + n, 0);
  console.log(`${name}: ${r.cells} cells (${ffs} flip-flops), 0 latches, lint clean; yosys ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
