// `eyeriss run`'s switches for the system top: which top runs the layers, and the DRAM behind its memory port.
import { Option, type Command } from 'commander';
import type { RtlSessionOptions } from '../../runtime/rtl/session.js';

export const TOPS = ['core', 'system'] as const;

export interface SystemSwitches {
  top: (typeof TOPS)[number];
  dramBytesPerCycle?: string;
  dramLatency?: string;
}

export function addSystemOptions(cmd: Command, when = ''): Command {
  return cmd
    .addOption(
      new Option(
        '--top <name>',
        `${when}core: the harness feeds the chip top's per-cluster streams; system: the system top reads descriptors and streams from memory over its AXI port, the harness is the DRAM (docs/system.md)`,
      )
        .choices(TOPS)
        .default('core'),
    )
    .option('--dram-bytes-per-cycle <B>', `${when}with --top system: the DRAM moves at most B bytes per cycle, reads and writes together (default: no limit)`)
    .option('--dram-latency <N>', `${when}with --top system: cycles from a DRAM request to its first beat (default 1)`);
}

const positive = (v: string, flag: string): number => {
  if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) throw new Error(`run: ${flag} ${v} must be a positive integer`);
  return Number(v);
};

/** The session's system-top option, checked before any work; undefined for the core top. */
export function systemOption(o: SystemSwitches, backend: string): RtlSessionOptions['system'] {
  const dramFlags = [o.dramBytesPerCycle !== undefined ? '--dram-bytes-per-cycle' : '', o.dramLatency !== undefined ? '--dram-latency' : ''].filter(
    (f) => f !== '',
  );
  if (o.top === 'system' && backend !== 'rtl') throw new Error('run: --top system applies to --backend rtl only (the golden model simulates no RTL)');
  if (o.top !== 'system') {
    if (dramFlags.length > 0)
      throw new Error(`run: ${dramFlags.join(' and ')} apply to --top system only (the core top has no memory port; add --backend rtl --top system)`);
    return undefined;
  }
  return {
    dram: {
      ...(o.dramBytesPerCycle !== undefined ? { bytesPerCycle: positive(o.dramBytesPerCycle, '--dram-bytes-per-cycle') } : {}),
      ...(o.dramLatency !== undefined ? { latency: positive(o.dramLatency, '--dram-latency') } : {}),
    },
  };
}

/** The switches as flags, for the command line a result file records. */
export const systemFlags = (o: SystemSwitches): string[] => [
  ...(o.top === 'system' ? ['--top', 'system'] : []),
  ...(o.dramBytesPerCycle !== undefined ? ['--dram-bytes-per-cycle', o.dramBytesPerCycle] : []),
  ...(o.dramLatency !== undefined ? ['--dram-latency', o.dramLatency] : []),
];
