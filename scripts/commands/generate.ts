import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { loadArch } from '../../runtime/arch-file.js';
import { prepareFolder } from '../../runtime/out-dir.js';
import { generateRtl } from '../../generator/eyeriss/generate.js';

/** Checked before anything is elaborated or written, so a bad prefix costs nothing. */
function modulePrefix(value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(value)) {
    throw new InvalidArgumentError(`'${value}' cannot start a Verilog module name; fix: use letters, digits and '_', starting with a letter (e.g. soc0_)`);
  }
  return value;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description(
      'write the Verilog of an architecture, one .v per module, and per top (a fixed-name wrapper: eyeriss_chip, eyeriss_cluster, ...) ' +
        'the files other tools take: a Verilator -F filelist (and .vlt naming the hierarchical blocks), an Icarus -c command file, ' +
        'a yosys read script, a FuseSoC .core, an SDC and the SRAM macro list (.memories.json, .memories.csv)',
    )
    .option('--arch <name|file.json>', 'paper, small, or a JSON architecture file', 'paper')
    .option('--out <dir>', 'output folder (default rtl-out/<arch name>)')
    .option('--prefix <P>', 'put P before every module name, the wrappers and SRAM macros included, so the design shares an SoC without clashes', modulePrefix)
    .option(
      '--no-hier-blocks',
      'write no <top>.vlt: Verilator then inlines the repeated clusters into one flat model (a paper-chip build takes about 25 minutes instead of under one)',
    )
    .action(async (opts: { arch: string; out?: string; prefix?: string; hierBlocks: boolean }) => {
      const arch = await loadArch(opts.arch);
      const out = opts.out ?? path.join('rtl-out', arch.name);
      prepareFolder(out);
      const result = await generateRtl(arch, out, { hierBlocks: opts.hierBlocks, prefix: opts.prefix });
      const rel = (f: string) => path.relative(process.cwd(), f) || '.';
      for (const t of result.tops) {
        console.log(`${t.top} (${t.core}): ${t.files.length} modules, ${t.memories} SRAM macros, filelist ${rel(t.filelist)}`);
      }
      console.log(`${result.modules} distinct modules, ${result.lines} lines of Verilog in ${rel(result.dir)} (arch '${arch.name}')`);
      console.log(
        `per top: <top>.f (verilator -F), <top>.icarus.f (iverilog -c), <top>.yosys.tcl (yosys -c), <top>.core (FuseSoC), <top>.sdc, <top>.memories.json/.csv`,
      );
    });
}
