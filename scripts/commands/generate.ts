import path from 'node:path';
import type { Command } from 'commander';
import { loadArch } from '../../runtime/arch-file.js';
import { prepareFolder } from '../../runtime/out-dir.js';
import { generateRtl } from '../../generator/eyeriss/generate.js';

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description(
      'write the Verilog of an architecture: one .v per module, a .f filelist per top and, for tops with repeated blocks, a Verilator .vlt naming them as hierarchical blocks',
    )
    .option('--arch <name|file.json>', 'paper, small, or a JSON architecture file', 'paper')
    .option('--out <dir>', 'output folder (default rtl-out/<arch name>)')
    .option(
      '--no-hier-blocks',
      'write no <top>.vlt: Verilator then inlines the repeated clusters into one flat model (a paper-chip build takes about 25 minutes instead of under one)',
    )
    .action(async (opts: { arch: string; out?: string; hierBlocks: boolean }) => {
      const arch = await loadArch(opts.arch);
      const out = opts.out ?? path.join('rtl-out', arch.name);
      prepareFolder(out);
      const result = await generateRtl(arch, out, { hierBlocks: opts.hierBlocks });
      const rel = (f: string) => path.relative(process.cwd(), f) || '.';
      for (const t of result.tops) {
        console.log(`${t.top}: ${t.files.length} modules, filelist ${rel(t.filelist)}`);
      }
      console.log(`${result.modules} distinct modules, ${result.lines} lines of Verilog in ${rel(result.dir)} (arch '${arch.name}')`);
    });
}
