import path from 'node:path';
import type { Command } from 'commander';
import { loadArch } from '../../runtime/arch-file.js';
import { generateRtl } from '../../generator/eyeriss/generate.js';

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write the Verilog of an architecture: one .v per module and a .f filelist per top')
    .option('--arch <name|file.json>', 'paper, small, or a JSON architecture file', 'paper')
    .option('--out <dir>', 'output folder (default rtl-out/<arch name>)')
    .action(async (opts: { arch: string; out?: string }) => {
      const arch = await loadArch(opts.arch);
      const result = await generateRtl(arch, opts.out ?? path.join('rtl-out', arch.name));
      const rel = (f: string) => path.relative(process.cwd(), f) || '.';
      for (const t of result.tops) {
        console.log(`${t.top}: ${t.files.length} modules, filelist ${rel(t.filelist)}`);
      }
      console.log(`${result.modules} distinct modules, ${result.lines} lines of Verilog in ${rel(result.dir)} (arch '${arch.name}')`);
    });
}
