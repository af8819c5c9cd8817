import { stringify } from 'yaml';
import { GENERATED_BY } from '../emit.js';

/** What FuseSoC requires on a core file's first line, followed by our own mark. */
export const CORE_HEADER = `CAPI=2:\n# ${GENERATED_BY}`;

export interface CoreFileInput {
  /** `vendor:library:name:version`. */
  vlnv: string;
  description: string;
  top: string;
  /** Verilog sources, relative to the core file, children first. */
  sources: readonly string[];
  /** The Verilator configuration naming hierarchical blocks, when the top has any. */
  verilatorConfig?: string;
  sdc: string;
}

/**
 * A FuseSoC CAPI2 core: file sets for the Verilog, the Verilator configuration and the SDC, and
 * lint (Verilator -Wall), sim (Icarus) and synth (yosys) targets, all on the fixed-name top.
 * Paths are relative to the core file, as CAPI2 defines them, so the folder can move.
 */
export function coreFile(c: CoreFileInput): string {
  const filesets: Record<string, { file_type: string; files: string[] }> = {
    rtl: { file_type: 'verilogSource', files: [...c.sources] },
    constraints: { file_type: 'SDC', files: [c.sdc] },
  };
  if (c.verilatorConfig) filesets.verilator_config = { file_type: 'vlt', files: [c.verilatorConfig] };
  const lintSets = c.verilatorConfig ? ['verilator_config', 'rtl'] : ['rtl'];
  const body = {
    name: c.vlnv,
    description: c.description,
    filesets,
    targets: {
      default: { filesets: ['rtl'], toplevel: c.top },
      lint: {
        description: 'Verilator lint, all warnings',
        default_tool: 'verilator',
        filesets: lintSets,
        toplevel: c.top,
        tools: { verilator: { mode: 'lint-only', verilator_options: ['-Wall'] } },
      },
      sim: {
        description: 'Icarus Verilog elaboration of the top (the stimulus comes from a testbench core that depends on this one)',
        default_tool: 'icarus',
        filesets: ['rtl'],
        toplevel: c.top,
        tools: { icarus: { iverilog_options: ['-g2005'] } },
      },
      synth: {
        description: 'yosys synthesis with the clock and I/O constraints',
        default_tool: 'yosys',
        filesets: ['rtl', 'constraints'],
        toplevel: c.top,
        tools: { yosys: { arch: 'xilinx' } },
      },
    },
  };
  return `${CORE_HEADER}\n${stringify(body, { lineWidth: 0 })}`;
}
