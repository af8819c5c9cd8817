import { leavesOf } from '../handles.js';
import type { ElaboratedModule } from '../ir.js';
import { HASH_HEADER } from './filelists.js';

export interface SdcOptions {
  clockMHz: number;
  /**
   * The share of the clock period that the logic outside the top takes on each side: an input
   * arrives this long after the edge, an output must be valid this long before the next one.
   */
  ioDelayFraction?: number;
}

const ns = (v: number) => v.toFixed(3);

/**
 * Timing constraints for a top: its clock, and an input or output delay on every other port,
 * one block per declared interface (a ready/valid bundle's ready is constrained in its own
 * direction). Plain SDC, no Tcl beyond the commands, so every STA tool and yosys-abc read it.
 */
export function sdcFor(top: ElaboratedModule, opts: SdcOptions): string {
  if (!(opts.clockMHz > 0)) throw new Error(`sdcFor: the clock must be a positive frequency, got ${opts.clockMHz} MHz`);
  const fraction = opts.ioDelayFraction ?? 0.2;
  const period = 1000 / opts.clockMHz;
  const io = ns(period * fraction);
  const direction = new Map(top.ports.map((p) => [p.name, p.direction]));
  const lines = [
    HASH_HEADER,
    `# ${top.name}: one clock, ${opts.clockMHz} MHz; inputs arrive and outputs are needed ${ns(period * fraction)} ns (${fraction * 100} % of the period)`,
    '# from the clock edge: a budget for the logic around the top, to be edited to match it.',
    '',
  ];
  if (!top.usesClock) {
    lines.push(`# ${top.name} is combinational: a virtual clock times its paths.`, `create_clock -name clock -period ${ns(period)}`);
  } else {
    lines.push(`create_clock -name clock -period ${ns(period)} [get_ports clock]`);
  }
  if (top.usesReset) lines.push('', '# reset: synchronous, active high', `set_input_delay ${io} -clock clock [get_ports {reset}]`);
  for (const decl of top.io) {
    const names = leavesOf(decl.handle).map((l) => l.sig.name);
    const inputs = names.filter((n) => direction.get(n) === 'input');
    const outputs = names.filter((n) => direction.get(n) === 'output');
    lines.push('', `# ${decl.name}: ${decl.direction} ${decl.type.toString()}`);
    if (inputs.length > 0) lines.push(`set_input_delay ${io} -clock clock [get_ports {${inputs.join(' ')}}]`);
    if (outputs.length > 0) lines.push(`set_output_delay ${io} -clock clock [get_ports {${outputs.join(' ')}}]`);
  }
  return lines.join('\n') + '\n';
}
