// The files `generate` writes for other tools, each run through the tool (or a real parser)
// from a working directory other than the folder's (issue 23, item 1).
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperArch } from '../../spec/arch.js';
import { namedArchs } from '../../spec/archs.js';
import { generateRtl, rtlTops, type GenerateResult } from '../../generator/eyeriss/generate.js';
import type { MemoryList } from '../../generator/dsl/index.js';
import { repoRoot } from '../../tb/paths.js';

const roots: string[] = [];
const fresh = async (tag: string) => {
  const d = await mkdtemp(path.join(tmpdir(), `eyeriss-handoff-${tag}-`));
  roots.push(d);
  return d;
};
afterAll(async () => {
  for (const d of roots) await rm(d, { recursive: true, force: true });
});

/** Another folder to run every tool from, so nothing resolves by accident from the output folder. */
let elsewhere: string;
const run = (cmd: string, args: string[]) => execa(cmd, args, { cwd: elsewhere, reject: false, all: true });

let small: GenerateResult;
let paper: GenerateResult;
beforeAll(async () => {
  elsewhere = await fresh('cwd');
  small = await generateRtl(namedArchs.small!, path.join(await fresh('small'), 'rtl'));
  paper = await generateRtl(paperArch, path.join(await fresh('paper'), 'rtl'));
});

const fileOf = (g: GenerateResult, top: string, suffix: string) => path.join(g.dir, `${top}${suffix}`);

/** The SRAM modules a top's memory list names. */
async function sramModulesOf(g: GenerateResult, top: string): Promise<Set<string>> {
  const list = JSON.parse(await readFile(fileOf(g, top, '.memories.json'), 'utf8')) as MemoryList;
  return new Set(list.macros.map((m) => m.module));
}

/**
 * `yosys -q -c TOP.yosys.tcl`, run as a user runs it from another folder. For a top with SRAMs the same run goes on to write
 * the netlist the memory-list test walks (yosys runs -p's commands after the -c script): the SRAMs black boxes, the processes
 * deleted, not lowered by proc (which took most of the time on the paper system), so write_json takes the design. One read of
 * each top serves the filelist test and the memory-list test (reading the tops twice took 5-10 s), whichever runs first.
 */
const yosysRuns = new Map<string, Promise<{ all: string; exitCode: number | undefined; json: string | undefined }>>();
function yosysRead(g: GenerateResult, top: string): Promise<{ all: string; exitCode: number | undefined; json: string | undefined }> {
  const key = path.join(g.dir, top);
  let r = yosysRuns.get(key);
  if (!r) {
    r = (async () => {
      const srams = await sramModulesOf(g, top);
      const json = srams.size > 0 ? path.join(elsewhere, `${path.basename(path.dirname(g.dir))}-${top}.json`) : undefined;
      const netlist = json ? ['-p', `blackbox ${[...srams].join(' ')}; delete */p:*; write_json ${json}`] : [];
      const res = await run('yosys', ['-q', '-c', fileOf(g, top, '.yosys.tcl'), ...netlist]);
      return { all: res.all, exitCode: res.exitCode, json };
    })();
    yosysRuns.set(key, r);
  }
  return r;
}

/** Icarus command files hold absolute paths, so they are tied to their folder and not kept in git. */
const machineBound = (f: string) => f.endsWith('.icarus.f');

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir)).sort()) if (!machineBound(f)) out[f] = await readFile(path.join(dir, f), 'utf8');
  return out;
}

// The committed folders are what the generator writes (the same generation the hand-off checks below read; test/cli/generate
// checks that the CLI writes rtl-out/small/).
describe('rtl-out', () => {
  for (const arch of [paperArch, namedArchs.small!]) {
    it(`rtl-out/${arch.name}/ is what the generator writes for the ${arch.name} configuration (regenerate with \`npx tsx scripts/eyeriss.ts generate --arch ${arch.name}\`)`, async () => {
      const fresh = await snapshot((arch === paperArch ? paper : small).dir);
      const committed = await snapshot(path.join(repoRoot, 'rtl-out', arch.name));
      expect(Object.keys(committed)).toEqual(Object.keys(fresh));
      for (const [f, text] of Object.entries(fresh)) expect(committed[f], `rtl-out/${arch.name}/${f} is stale`).toBe(text);
    });
  }
});
// Elaborated once, when the file is collected (the cases below are made from it); the first test checks the generated tops against it.
const chipTopNames = rtlTops(namedArchs.small!).map((t) => t.design.top!.name);

describe('filelists, each through its own tool from another working directory', () => {
  it('the tops are the fixed-name wrappers', () => {
    expect(small.tops.map((t) => t.top)).toEqual(chipTopNames);
  });
  const cases = [...chipTopNames.map((top) => ({ arch: 'small', top })), { arch: 'paper', top: 'eyeriss_chip' }];
  // The paper chip takes about a minute (mostly the Verilator lint); under a loaded CI several. Its
  // Icarus run elaborates (-t null) and writes no vvp code: that code generation took 56 of its 66
  // CPU seconds, and the small chip's code, compiled here and run in test/chip/icarus.test.ts, is made
  // by the same modules.
  for (const { arch, top } of cases) {
    const icarusStep = arch === 'paper' ? 'elaborates' : 'compiles';
    it(`${arch} ${top}: verilator -F lints clean, iverilog -c ${icarusStep}, yosys -c reads the hierarchy`, { timeout: 900_000 }, async () => {
      const g = arch === 'small' ? small : paper;
      const lint = await run('verilator', ['--lint-only', '-Wall', '--top-module', top, '-F', fileOf(g, top, '.f')]);
      expect(lint.all, 'verilator').toBe('');
      expect(lint.exitCode).toBe(0);
      const output = arch === 'paper' ? ['-t', 'null'] : ['-o', path.join(elsewhere, `${arch}-${top}.vvp`)];
      const icarus = await run('iverilog', ['-g2005', '-s', top, ...output, '-c', fileOf(g, top, '.icarus.f')]);
      expect(icarus.all, 'iverilog').toBe('');
      expect(icarus.exitCode).toBe(0);
      const yosys = await yosysRead(g, top);
      expect(yosys.all, 'yosys').toBe('');
      expect(yosys.exitCode).toBe(0);
    });
  }
});

// The part of CAPI2 (FuseSoC's core format) the cores use, strict so a misspelt key fails.
const fileset = z.strictObject({ file_type: z.string(), files: z.array(z.string()).min(1) });
const target = z.strictObject({
  description: z.string().optional(),
  default_tool: z.enum(['verilator', 'icarus', 'yosys']).optional(),
  filesets: z.array(z.string()).min(1),
  toplevel: z.string(),
  tools: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});
const capi2 = z.strictObject({
  // FuseSoC tells a CAPI2 file by this first line, which YAML reads as a key with no value.
  'CAPI=2': z.null(),
  name: z.string().regex(/^[^:\s]+:[^:\s]+:[^:\s]+:\d+\.\d+\.\d+$/),
  description: z.string(),
  filesets: z.record(z.string(), fileset),
  targets: z.strictObject({ default: target, lint: target, sim: target, synth: target }),
});

describe('FuseSoC cores', () => {
  it('each .core is CAPI2 YAML whose file sets name existing files (relative to the core) and whose targets use them', async () => {
    for (const g of [small, paper]) {
      for (const { top } of g.tops) {
        const text = await readFile(fileOf(g, top, '.core'), 'utf8');
        expect(text.split('\n')[0]).toBe('CAPI=2:');
        const core = capi2.parse(parse(text));
        expect(core.name).toBe(`eyeriss-ts:${g === small ? 'small' : 'paper'}:${top}:0.1.0`);
        for (const set of Object.values(core.filesets)) for (const f of set.files) expect(existsSync(path.join(g.dir, f)), f).toBe(true);
        for (const t of Object.values(core.targets)) {
          expect(t.toplevel).toBe(top);
          for (const s of t.filesets) expect(core.filesets[s], `${top}: fileset ${s}`).toBeDefined();
        }
        const verilog = (await readFile(fileOf(g, top, '.f'), 'utf8')).split('\n').filter((l) => l.endsWith('.v'));
        expect(core.filesets.rtl!.files).toEqual(verilog);
        expect(core.targets.lint.tools?.verilator).toEqual({ mode: 'lint-only', verilator_options: ['-Wall'] });
      }
    }
  });
});

/** Tcl stand-ins for the SDC commands: each checks its arguments and records what it constrains. */
const SDC_STUBS = String.raw`
set ports [split [read [open [lindex $argv 0]]] "\n"]
set constrained [dict create]
set clocks [dict create]
proc get_ports {names} {
  foreach n $names { if {[lsearch -exact $::ports $n] < 0} { error "get_ports: no port $n" } }
  return $names
}
proc create_clock {args} {
  array set a {-name "" -period ""}
  set target [lindex $args end]
  if {[llength $args] % 2 == 1} { set args [lrange $args 0 end-1] } else { set target "" }
  array set a $args
  if {![string is double -strict $a(-period)]} { error "create_clock: bad period" }
  dict set ::clocks $a(-name) [list $a(-period) $target]
}
proc delay {kind args} {
  if {[llength $args] != 4 || [lindex $args 1] ne "-clock"} { error "$kind: want DELAY -clock CLK PORTS" }
  if {![dict exists $::clocks [lindex $args 2]]} { error "$kind: unknown clock [lindex $args 2]" }
  foreach p [lindex $args 3] {
    if {[dict exists $::constrained $p]} { error "$kind: $p constrained twice" }
    dict set ::constrained $p [list $kind [lindex $args 0]]
  }
}
proc set_input_delay {args} { delay input {*}$args }
proc set_output_delay {args} { delay output {*}$args }
source [lindex $argv 1]
puts "clocks $clocks"
dict for {p v} $constrained { puts "$p $v" }
`;

/** The wrapper's ports as the tools read them, from its Verilog header: name and direction, in order. */
async function wrapperPorts(g: GenerateResult, top: string): Promise<{ name: string; direction: string }[]> {
  const text = await readFile(fileOf(g, top, '.v'), 'utf8');
  const start = text.indexOf(`module ${top} (\n`);
  expect(start, `${top}.v declares module ${top}`).toBeGreaterThanOrEqual(0);
  const header = text.slice(start, text.indexOf('\n);', start)).split('\n').slice(1);
  return header.map((line) => {
    const m = /^ {2}(input|output)(?: \[\d+:0\])? (\w+),?$/.exec(line);
    expect(m, `${top}.v port line: ${line}`).not.toBeNull();
    return { name: m![2]!, direction: m![1]! };
  });
}

describe('SDC', () => {
  it('each SDC runs in Tcl against the top: one clock at arch.clockMHz, every other port delayed once, in its own direction', async () => {
    const stubs = path.join(elsewhere, 'sdc-stubs.tcl');
    await writeFile(stubs, SDC_STUBS);
    for (const g of [small, paper]) {
      for (const { top } of g.tops) {
        // Ports from the wrapper's Verilog (elaborating the paper design again took longer than the rest of this test).
        const ports = await wrapperPorts(g, top);
        expect(ports.length, top).toBeGreaterThan(2);
        const usesClock = ports.some((p) => p.name === 'clock');
        const list = path.join(elsewhere, `${top}.ports`);
        await writeFile(list, ports.map((p) => p.name).join('\n'));
        const r = await run('tclsh', [stubs, list, fileOf(g, top, '.sdc')]);
        expect(r.exitCode, r.all).toBe(0);
        const [clockLine, ...rest] = r.stdout.trim().split('\n');
        expect(clockLine).toBe(usesClock ? 'clocks clock {5.000 clock}' : 'clocks clock {5.000 {}}');
        const got = new Map(rest.map((l) => [l.split(' ')[0]!, l.split(' ').slice(1).join(' ')]));
        const want = new Map(ports.filter((p) => p.name !== 'clock').map((p) => [p.name, `${p.direction} 1.000`]));
        expect(got).toEqual(want);
      }
    }
  });
});

interface YosysJson {
  modules: Record<string, { attributes?: Record<string, string>; cells: Record<string, { type: string }> }>;
}

/** SRAM instance paths in the netlist yosys reads (SRAMs as black boxes, yosysRead), walked from the top; the instances are there as read. */
async function yosysSramPaths(g: GenerateResult, top: string, sramModules: Set<string>): Promise<string[]> {
  const r = await yosysRead(g, top);
  expect(r.exitCode, r.all).toBe(0);
  expect(r.json, `${top}: yosysRead wrote no netlist`).toBeDefined();
  const netlist = JSON.parse(await readFile(r.json!, 'utf8')) as YosysJson;
  const paths: string[] = [];
  const walk = (mod: string, at: string): void => {
    if (sramModules.has(mod)) return void paths.push(at);
    for (const [cell, { type }] of Object.entries(netlist.modules[mod]?.cells ?? {})) if (netlist.modules[type]) walk(type, `${at}.${cell}`);
  };
  walk(top, top);
  return paths.sort();
}

describe('memory lists', () => {
  it("memories.json names every SRAM instance of the netlist yosys reads, by path; its counts and the CSV's rows agree", async () => {
    for (const g of [small, paper]) {
      for (const { top, memories } of g.tops) {
        const list = JSON.parse(await readFile(fileOf(g, top, '.memories.json'), 'utf8')) as MemoryList;
        const listed = list.macros.flatMap((m) => m.instances).sort();
        for (const m of list.macros) expect(m.count).toBe(m.instances.length);
        expect(list.totalInstances).toBe(listed.length);
        expect(memories).toBe(listed.length);
        if (top === 'eyeriss_chip' || top === 'eyeriss_cluster' || top === 'eyeriss_pe' || top === 'eyeriss_glb_cluster')
          expect(listed.length).toBeGreaterThan(0);
        const sramModules = await sramModulesOf(g, top);
        if (sramModules.size > 0) expect(await yosysSramPaths(g, top, sramModules)).toEqual(listed);
        const csv = (await readFile(fileOf(g, top, '.memories.csv'), 'utf8')).trim().split('\n');
        expect(
          csv
            .slice(1)
            .map((row) => row.split(',').at(-1))
            .sort(),
        ).toEqual(listed);
      }
    }
    // The paper's chip: 16 clusters of 12 PEs with 1 weight SPad each, 3 iact and 4 psum GLB banks per cluster.
    const chip = JSON.parse(await readFile(fileOf(paper, 'eyeriss_chip', '.memories.json'), 'utf8')) as MemoryList;
    expect(Object.fromEntries(chip.macros.map((m) => [m.module, m.count]))).toEqual({ SRAM_d96_w24: 192, SRAM_d512_w24: 48, SRAM_d384_w40: 64 });
  });
});

describe('--prefix and the fixed-name wrappers', () => {
  it('every module (wrappers and SRAMs included) carries the prefix; the prefixed chip lints clean next to the unprefixed one', async () => {
    const g = await generateRtl(namedArchs.small!, path.join(await fresh('prefix'), 'rtl'), { prefix: 'soc0_' });
    const names = (await readdir(g.dir)).filter((f) => f.endsWith('.v'));
    const modules = await Promise.all(names.map(async (f) => /^module (\w+)/m.exec(await readFile(path.join(g.dir, f), 'utf8'))![1]!));
    expect(modules.every((m) => m.startsWith('soc0_'))).toBe(true);
    expect(modules).toContain('soc0_eyeriss_chip');
    expect(modules.some((m) => m.startsWith('soc0_SRAM_d'))).toBe(true);
    // Both chips in one compile: no module name is shared.
    const both = await run('verilator', [
      '--lint-only',
      '-Wall',
      '-Wno-MULTITOP',
      '-F',
      fileOf(g, 'soc0_eyeriss_chip', '.f'),
      '-F',
      fileOf(small, 'eyeriss_chip', '.f'),
    ]);
    expect(both.all).toBe('');
    // The wrapper's ports are the wrapped module's, so an SoC sees the same interface under a fixed name.
    const wrapper = await readFile(fileOf(small, 'eyeriss_chip', '.v'), 'utf8');
    const core = small.tops.find((t) => t.top === 'eyeriss_chip')!.core;
    const ports = (text: string) => [...text.matchAll(/^ {2}(input|output)( \[\d+:0\])? (\w+)/gm)].map((m) => m.slice(1).join('')).sort();
    expect(ports(wrapper)).toEqual(ports(await readFile(path.join(small.dir, `${core}.v`), 'utf8')));
  });

  it('a second generate removes hand-off files of tops it no longer writes, and leaves the same kinds of files the user made', async () => {
    const dir = path.join(await fresh('stale'), 'rtl');
    await generateRtl(namedArchs.small!, dir, { prefix: 'old_' });
    await writeFile(path.join(dir, 'user.sdc'), 'create_clock -period 10 [get_ports clk]\n');
    await writeFile(path.join(dir, 'user.core'), 'CAPI=2:\nname: me:my:core:1\n');
    const manifest = path.join(dir, '.eyeriss-files');
    await writeFile(manifest, `${await readFile(manifest, 'utf8')}user.sdc\nuser.core\n`);
    await generateRtl(namedArchs.small!, dir);
    const left = await readdir(dir);
    expect(left.filter((f) => f.startsWith('old_'))).toEqual([]);
    expect(left).toContain('user.sdc');
    expect(left).toContain('user.core');
    expect(left).toContain('eyeriss_chip.core');
  });
});
