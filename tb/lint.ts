import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

/**
 * The two gates every emitted module must pass: Verilator's full lint (-Wall) and a yosys
 * synthesis with no latch inferred. Both report problems as data so tests can print them.
 */

export interface LintResult {
  ok: boolean;
  /** Verilator's %Warning / %Error lines (empty when clean). */
  messages: string[];
}

function missing(tool: string, pkg: string): Error {
  return new Error(`${tool} not found on PATH; install it with \`sudo apt-get install -y ${pkg}\``);
}

export async function verilatorLint(files: string[], top: string): Promise<LintResult> {
  const r = await execa('verilator', ['--lint-only', '-Wall', '--top-module', top, ...files], { reject: false });
  if ((r as { code?: string }).code === 'ENOENT') throw missing('verilator', 'verilator');
  const messages = `${r.stderr}\n${r.stdout}`.split('\n').filter((l) => /^%(Warning|Error)/.test(l));
  return { ok: r.exitCode === 0 && messages.length === 0, messages };
}

export interface SynthResult {
  ok: boolean;
  /** Total generic cells after `synth` (flip-flops included). */
  cells: number;
  /** Cells per type, e.g. { $_DFF_P_: 8, $_AND_: 12 }. */
  cellTypes: Record<string, number>;
  latches: number;
  /** yosys errors, or an explanation when latches were inferred. */
  messages: string[];
}

export interface SynthOptions {
  /**
   * Modules (yosys name patterns, e.g. "SRAM_*") kept as black boxes, as an ASIC flow keeps
   * macros: their instances stay single cells and their contents are not counted.
   */
  blackbox?: string[];
}

/**
 * Runs yosys on `files` (the `blackbox` modules kept as boxes) with `steps`, the last of which
 * writes what the caller reads into the file `out` names: that file's text, or yosys's last
 * messages when it failed.
 */
async function runYosys(
  files: string[],
  opts: SynthOptions,
  steps: (out: string) => string[],
): Promise<{ ok: true; text: string } | { ok: false; messages: string[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'eyeriss-yosys-'));
  const out = path.join(dir, 'out.txt');
  const script = [...files.map((f) => `read_verilog "${f}"`), ...(opts.blackbox ?? []).map((m) => `blackbox ${m}`), ...steps(out)].join('; ');
  try {
    const r = await execa('yosys', ['-q', '-p', script], { reject: false });
    if ((r as { code?: string }).code === 'ENOENT') throw missing('yosys', 'yosys');
    if (r.exitCode !== 0) return { ok: false, messages: `${r.stderr}\n${r.stdout}`.split('\n').filter(Boolean).slice(-20) };
    return { ok: true, text: await readFile(out, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `synth -top TOP`, then counts cells from `stat` of the flattened design. Latches are any
 * cell whose type names a latch. `flatten` makes the count cover the whole hierarchy.
 */
export async function yosysSynth(files: string[], top: string, opts: SynthOptions = {}): Promise<SynthResult> {
  const r = await runYosys(files, opts, (out) => [`synth -flatten -top ${top}`, `tee -q -o ${out} stat`]);
  return r.ok ? parseStat(r.text) : { ok: false, cells: 0, cellTypes: {}, latches: 0, messages: r.messages };
}

/**
 * The latch half of the synthesis gate, without the synthesis: yosys infers every latch in `proc`
 * (proc_dlatch), before any mapping, so reading the design, `hierarchy -check` and `proc` find each
 * latch that `synth` would report (and any that synth's clean-up would drop). For the big tops,
 * where no cell count is checked, this takes seconds where `synth` (techmap and abc) takes minutes.
 * Returns the latch cells as yosys lists them (module/cell); throws when yosys cannot read the design.
 */
export async function yosysLatches(files: string[], top: string, opts: SynthOptions = {}): Promise<string[]> {
  const r = await runYosys(files, opts, (out) => [`hierarchy -check -top ${top}`, 'proc', `tee -q -o ${out} select -list t:$dlatch t:$adlatch t:$dlatchsr`]);
  if (!r.ok) throw new Error(`${top}: yosys could not read the design:\n${r.messages.join('\n')}`);
  return r.text.split('\n').filter((l) => l.includes('/'));
}

/** Flip-flops of a synthesis result (every generic cell type naming a DFF). */
export const flipFlops = (r: SynthResult): number =>
  Object.entries(r.cellTypes)
    .filter(([t]) => /DFF/i.test(t))
    .reduce((a, [, n]) => a + n, 0);

function parseStat(text: string): SynthResult {
  const cellTypes: Record<string, number> = {};
  let cells = 0;
  for (const line of text.split('\n')) {
    const total = /^\s+Number of cells:\s+(\d+)/.exec(line);
    if (total) cells = Number(total[1]);
    const cell = /^\s+(\$\S+)\s+(\d+)$/.exec(line);
    if (cell) cellTypes[cell[1]!] = Number(cell[2]);
  }
  const latchTypes = Object.keys(cellTypes).filter((t) => /latch/i.test(t));
  const latches = latchTypes.reduce((a, t) => a + cellTypes[t]!, 0);
  return {
    ok: latches === 0,
    cells,
    cellTypes,
    latches,
    messages: latches ? [`latches inferred: ${latchTypes.map((t) => `${t} x${cellTypes[t]}`).join(', ')}`] : [],
  };
}

/**
 * Both gates at once: throws with every Verilator message, or the latch list, when a design
 * fails either. Returns the synthesis figures for reports (cell counts).
 */
export async function assertGatesPass(design: { files: string[]; top: string }, synthOptions: SynthOptions = {}): Promise<SynthResult> {
  await assertLintClean(design);
  const synth = await yosysSynth(design.files, design.top, synthOptions);
  if (!synth.ok) throw new Error(`${design.top} failed yosys synth:\n${synth.messages.join('\n')}`);
  return synth;
}

async function assertLintClean(design: { files: string[]; top: string }): Promise<void> {
  const lint = await verilatorLint(design.files, design.top);
  if (!lint.ok) {
    throw new Error(`${design.top} is not lint-clean (verilator --lint-only -Wall):\n${lint.messages.join('\n') || '(exit code only)'}`);
  }
}

/** Verilator's full lint (-Wall) clean and no latch inferred (yosysLatches, no synthesis): throws with every message otherwise. */
export async function assertLintCleanWithoutLatches(design: { files: string[]; top: string }, opts: SynthOptions = {}): Promise<void> {
  await assertLintClean(design);
  const latches = await yosysLatches(design.files, design.top, opts);
  if (latches.length > 0) throw new Error(`${design.top}: latches inferred: ${latches.join(', ')}`);
}
