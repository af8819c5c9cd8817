// Yosys synthesis of the chip's blocks (lint first): cell and flip-flop counts, no latches.
// With --macros the SRAMs stay black boxes, as an ASIC flow keeps them: the flip-flops counted
// are then the ones the chip clocks outside its SRAM macros (the energy model's clock counts,
// golden/energy.ts). Not in CI: a whole cluster takes five to ten minutes on two cores.
//   npm run synth:chip [-- --arch paper|small|ARCH.json] [--top SparsePe,PeShell,Cluster] [--macros]
import { Command } from 'commander';
import { loadArch } from '../runtime/arch-file.js';
import { emitForSim } from '../tb/dsl.js';
import { assertGatesPass, flipFlops } from '../tb/lint.js';
import { Cluster, PeShell, chipParamsFromArch, clusterParams, peShellParams } from '../generator/eyeriss/chip/index.js';
import { SparsePe } from '../generator/eyeriss/pe/pe.js';

const o = new Command('synth-chip')
  .option('--arch <name|file.json>', 'architecture', 'paper')
  .option('--top <list>', 'blocks to synthesize', 'SparsePe,PeShell,Cluster')
  .option('--macros', 'keep the SRAMs as black boxes (macros) instead of synthesizing them to flip-flops')
  .parse()
  .opts<{ arch: string; top: string; macros?: boolean }>();
const chip = chipParamsFromArch(await loadArch(o.arch));
const blocks = {
  SparsePe: () => emitForSim(SparsePe, chip.pe),
  PeShell: () => emitForSim(PeShell, peShellParams(chip)),
  Cluster: () => emitForSim(Cluster, clusterParams(chip)),
};
const sram = o.macros === true ? 'SRAMs kept as macros' : 'SRAMs as flip-flops';
const names = o.top.split(',');
for (const name of names) {
  if (!(name in blocks)) throw new Error(`--top ${name}: use ${Object.keys(blocks).join(', ')}`);
}
for (const [i, name] of names.entries()) {
  const make = blocks[name as keyof typeof blocks];
  console.log(`[${i + 1}/${names.length}] ${name}: lint, then yosys synth (${sram}); a cluster takes minutes`);
  const started = performance.now();
  const r = await assertGatesPass(await make(), o.macros === true ? { blackbox: ['SRAM_*'] } : {});
  console.log(
    `${name}: ${r.cells} cells (${flipFlops(r)} flip-flops; ${sram}), 0 latches, lint clean; yosys ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}
