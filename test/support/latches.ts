import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { verilatorLint, type SynthOptions } from '../../tb/lint.js';

/**
 * The latch half of the synthesis gate, without the synthesis: yosys infers every latch in `proc`
 * (proc_dlatch), before any mapping, so reading the design, `hierarchy -check` and `proc` find each
 * latch that `synth` would report (and any that synth's clean-up would drop). For the big tops,
 * where no cell count is checked, this takes seconds where `synth` (techmap and abc) takes minutes.
 * Returns the latch cells as yosys lists them (module/cell); throws when yosys cannot read the design.
 */
export async function yosysLatches(files: string[], top: string, opts: SynthOptions = {}): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'eyeriss-latches-'));
  const list = path.join(dir, 'latches.txt');
  const script = [
    ...files.map((f) => `read_verilog "${f}"`),
    ...(opts.blackbox ?? []).map((m) => `blackbox ${m}`),
    `hierarchy -check -top ${top}`,
    'proc',
    `tee -q -o ${list} select -list t:$dlatch t:$adlatch t:$dlatchsr`,
  ].join('; ');
  try {
    const r = await execa('yosys', ['-q', '-p', script], { reject: false, all: true });
    if (r.exitCode !== 0) throw new Error(`${top}: yosys could not read the design:\n${(r.all ?? '').split('\n').slice(-20).join('\n')}`);
    return (await readFile(list, 'utf8')).split('\n').filter((l) => l.includes('/'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Verilator's full lint (-Wall) clean and no latch inferred: throws with every message otherwise. */
export async function assertLintCleanWithoutLatches(design: { files: string[]; top: string }, opts: SynthOptions = {}): Promise<void> {
  const lint = await verilatorLint(design.files, design.top);
  if (!lint.ok) {
    throw new Error(`${design.top} is not lint-clean (verilator --lint-only -Wall):\n${lint.messages.join('\n') || '(exit code only)'}`);
  }
  const latches = await yosysLatches(design.files, design.top, opts);
  if (latches.length > 0) throw new Error(`${design.top}: latches inferred: ${latches.join(', ')}`);
}
