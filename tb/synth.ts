import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { DepthAnalysis, yosysGateLibrary, type Netlist } from './depth.js';

/**
 * Hierarchical gate counts: one `synth` of the design without flattening, so each distinct
 * module is synthesized once, then each block's counts are its own cells plus its submodules'
 * times their instance counts (yosys `stat`'s "design hierarchy" tree). SRAM_* stay macros.
 */

/**
 * NAND-2 equivalents per yosys generic cell: CMOS transistor counts / 4 (a NAND2 has 4).
 * Enable and sync-reset flip-flops are a DFF (16) plus the mux (12) or AND (6) they absorb,
 * because `stat -tech cmos` gives them no figure at all.
 */
const TRANSISTORS: [RegExp, number][] = [
  [/^\$_NOT_$/, 2],
  [/^\$_BUF_$/, 4],
  [/^\$_(NAND|NOR)_$/, 4],
  [/^\$_(AND|OR|ANDNOT|ORNOT)_$/, 6],
  [/^\$_(XOR|XNOR|MUX)_$/, 12],
  [/^\$_(AOI3|OAI3)_$/, 6],
  [/^\$_(AOI4|OAI4)_$/, 8],
  [/^\$_SDFFC?E_/, 28 + 6],
  [/^\$_SDFF_/, 16 + 6],
  [/^\$_DFFE_/, 28],
  [/^\$_DFF_/, 16],
];

export function nand2Eq(type: string): number | undefined {
  const hit = TRANSISTORS.find(([re]) => re.test(type));
  return hit ? hit[1] / 4 : undefined;
}

export interface ModuleStat {
  cells: Record<string, number>;
}

export interface HierNode {
  name: string;
  count: number;
  children: HierNode[];
}

export interface StatParse {
  modules: Map<string, ModuleStat>;
  tree: HierNode | undefined;
}

/** Parses `stat` output: per-module cell types and the design hierarchy tree. */
export function parseHierStat(text: string): StatParse {
  const modules = new Map<string, ModuleStat>();
  let current: ModuleStat | undefined;
  let inTree = false;
  const stack: { indent: number; node: HierNode }[] = [];
  let tree: HierNode | undefined;
  for (const line of text.split('\n')) {
    const head = /^=== (.+) ===$/.exec(line.trim());
    if (head) {
      inTree = head[1] === 'design hierarchy';
      current = inTree ? undefined : { cells: {} };
      if (current) modules.set(head[1]!, current);
      continue;
    }
    if (inTree && /Number of wires/.test(line)) inTree = false;
    const cell = /^\s+(\S+)\s+(\d+)$/.exec(line);
    if (inTree && cell && !/^\s+Number/.test(line) && !cell[1]!.startsWith('$')) {
      const indent = line.length - line.trimStart().length;
      const node: HierNode = { name: cell[1]!, count: Number(cell[2]), children: [] };
      while (stack.length && stack[stack.length - 1]!.indent >= indent) stack.pop();
      if (stack.length) stack[stack.length - 1]!.node.children.push(node);
      else tree = node;
      stack.push({ indent, node });
    } else if (current && cell && !/Number/.test(line)) {
      current.cells[cell[1]!] = Number(cell[2]);
    }
  }
  return { modules, tree };
}

export interface BlockCount {
  cells: number;
  flipFlopBits: number;
  nand2: number;
  /** SRAM macros (module name to instances) under the block. */
  macros: Record<string, number>;
  /** Cell types with no NAND2 figure (counted as 0). */
  unknown: string[];
}

/** A block's totals: its own cells plus every submodule's, times instance counts. */
export function blockCount(p: StatParse, node: HierNode, isMacro: (m: string) => boolean): BlockCount {
  const out: BlockCount = { cells: 0, flipFlopBits: 0, nand2: 0, macros: {}, unknown: [] };
  const submodules = new Set(node.children.map((c) => c.name));
  for (const [type, n] of Object.entries(p.modules.get(node.name)?.cells ?? {})) {
    if (submodules.has(type)) continue;
    if (isMacro(type)) {
      out.macros[type] = (out.macros[type] ?? 0) + n;
      continue;
    }
    out.cells += n;
    if (/DFF/i.test(type)) out.flipFlopBits += n;
    const eq = nand2Eq(type);
    if (eq === undefined) out.unknown.push(type);
    else out.nand2 += eq * n;
  }
  for (const c of node.children) {
    if (isMacro(c.name)) {
      out.macros[c.name] = (out.macros[c.name] ?? 0) + c.count;
      continue;
    }
    const sub = blockCount(p, c, isMacro);
    out.cells += sub.cells * c.count;
    out.flipFlopBits += sub.flipFlopBits * c.count;
    out.nand2 += sub.nand2 * c.count;
    for (const [m, k] of Object.entries(sub.macros)) out.macros[m] = (out.macros[m] ?? 0) + k * c.count;
    for (const u of sub.unknown) if (!out.unknown.includes(u)) out.unknown.push(u);
  }
  return out;
}

/** A block's cells by type, its submodules' included times their instance counts. */
export function cellTotals(p: StatParse, node: HierNode): Record<string, number> {
  const out: Record<string, number> = {};
  const submodules = new Set(node.children.map((c) => c.name));
  for (const [type, n] of Object.entries(p.modules.get(node.name)?.cells ?? {})) if (!submodules.has(type)) out[type] = (out[type] ?? 0) + n;
  for (const c of node.children) for (const [type, n] of Object.entries(cellTotals(p, c))) out[type] = (out[type] ?? 0) + n * c.count;
  return out;
}

/** Finds the first node of a module whose name starts with `prefix`. */
export function findNode(node: HierNode, prefix: string): HierNode | undefined {
  if (node.name.startsWith(prefix)) return node;
  for (const c of node.children) {
    const hit = findNode(c, prefix);
    if (hit) return hit;
  }
  return undefined;
}

/** yosys commands that read the files. */
export const readVerilog = (files: string[]): string[] => files.map((f) => `read_verilog "${f}"`);

/**
 * Runs a yosys script at low priority and returns what it printed; `quiet` (default) keeps only
 * warnings and what `tee` writes. A failure names `what` and ends with yosys's last lines.
 */
export async function runYosys(script: string, what: string, opts: { quiet?: boolean } = {}): Promise<string> {
  const r = await execa('nice', ['-n', '10', 'yosys', ...(opts.quiet === false ? [] : ['-q']), '-p', script], { reject: false });
  if (r.exitCode === 127 || /yosys.*(not found|No such file)/i.test(r.stderr)) {
    throw new Error('yosys not found on PATH; install it with `sudo apt-get install -y yosys`');
  }
  if (r.exitCode !== 0) throw new Error(`${what} failed:\n${`${r.stderr}\n${r.stdout}`.split('\n').slice(-20).join('\n')}`);
  return r.stdout;
}

/**
 * Runs a yosys synthesis without flattening and returns `stat`'s text: by default generic `synth`
 * with SRAM_* blackboxed; `flow` names another script (e.g. `synth_xilinx -noiopad`) that maps the
 * SRAMs' behavioural models itself.
 */
export async function yosysHierStat(files: string[], top: string, flow?: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'eyeriss-synth-'));
  const statFile = path.join(dir, 'stat.txt');
  const synth = flow === undefined ? ['blackbox SRAM_*', `synth -top ${top}`] : [`${flow} -top ${top}`];
  const script = [...readVerilog(files), ...synth, `tee -q -o ${statFile} stat`].join('; ');
  try {
    await runYosys(script, `yosys synth of ${top}`);
    return await readFile(statFile, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Logic depth in gate levels of each of `modules` (and everything under it) in `top`: one
 * hierarchical yosys synthesis with SRAM_* as blackboxes, mapped by abc to two-input gates and
 * muxes, written as JSON and analysed module by module (tb/depth.ts): the longest path between
 * flip-flops, macros and ports, as `ltp -noff` would count it on the block flattened.
 */
export async function yosysDepths(files: string[], top: string, modules: readonly string[]): Promise<Map<string, number>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'eyeriss-depth-'));
  const json = path.join(dir, 'mapped.json');
  const script = [...readVerilog(files), 'blackbox SRAM_*', `synth -top ${top}`, 'abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX', 'opt_clean', `write_json ${json}`].join(
    '; ',
  );
  try {
    await runYosys(script, `yosys gate mapping of ${top}`);
    const netlist = JSON.parse(await readFile(json, 'utf8')) as Netlist;
    const analysis = new DepthAnalysis(netlist, yosysGateLibrary(netlist));
    return new Map(
      modules.map((m) => {
        const d = analysis.depths(m);
        return [m, Math.max(...[d.regToReg, d.inToReg, d.regToOut, d.inToOut].map((x) => x ?? 0))];
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
