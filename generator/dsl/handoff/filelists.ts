import path from 'node:path';
import { GENERATED_BY } from '../emit.js';

/** The first line of every hand-off file written as a `#`-commented text (command files, Tcl, SDC). */
export const HASH_HEADER = `# ${GENERATED_BY}`;

/**
 * An Icarus Verilog command file (`iverilog -c`). Icarus reads a command file's paths from the
 * working directory, not from the file's folder, so only absolute paths work from anywhere;
 * the file is therefore tied to where it was written (and not kept in git).
 */
export function icarusCommandFile(dir: string, top: string, sources: readonly string[]): string {
  return [
    HASH_HEADER,
    `# Icarus Verilog command file for ${top}: iverilog -g2005 -s ${top} -c ${top}.icarus.f`,
    `# The paths are absolute (Icarus resolves them from the working directory): generate again after moving ${path.basename(dir)}/.`,
    ...sources.map((f) => path.join(path.resolve(dir), f)),
    '',
  ].join('\n');
}

/**
 * A yosys read script in Tcl: it finds the sources next to itself (`info script`), so
 * `yosys -c DIR/<top>.yosys.tcl` and `source DIR/<top>.yosys.tcl` in a user's own Tcl flow work
 * from any working directory; it ends with the hierarchy checked and the top selected.
 */
export function yosysReadScript(top: string, sources: readonly string[]): string {
  return [
    HASH_HEADER,
    `# yosys read script for ${top}: yosys -c ${top}.yosys.tcl, or source it from a Tcl flow (yosys -c flow.tcl), then synthesize.`,
    'set eyeriss_dir [file dirname [file normalize [info script]]]',
    `foreach eyeriss_file {${sources.join(' ')}} {`,
    '  yosys read_verilog [file join $eyeriss_dir $eyeriss_file]',
    '}',
    `yosys hierarchy -check -top ${top}`,
    '',
  ].join('\n');
}
