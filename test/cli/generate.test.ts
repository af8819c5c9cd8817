import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperArch } from '../../spec/arch.js';
import { GENERATED_HEADER } from '../../generator/dsl/emit.js';
import { repoRoot } from '../../tb/paths.js';

// Node with tsx's loader, no npx or tsx wrapper process in between (half a second less per run).
const cli = ['--import', 'tsx', path.join(repoRoot, 'scripts', 'eyeriss.ts')];

/** Icarus command files hold absolute paths, so they are tied to their folder and not kept in git. */
const machineBound = (f: string) => f.endsWith('.icarus.f');

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir)).sort()) if (!machineBound(f)) out[f] = await readFile(path.join(dir, f), 'utf8');
  return out;
}

describe('generate', () => {
  // One CLI run into a folder holding a file of the user's, shared by the tests below.
  let out: string;
  let once: Record<string, string>;
  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'eyeriss-cli-'));
    await writeFile(path.join(out, 'user-notes.txt'), 'not ours');
    const first = await execa(process.execPath, [...cli, 'generate', '--arch', 'small', '--out', out], { cwd: repoRoot });
    expect(first.stdout).toMatch(/distinct modules, \d+ lines of Verilog/);
    once = await snapshot(out);
  });
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('the CLI writes the committed (lint-clean) design, deterministically, and removes files it no longer produces', async () => {
    // What the CLI wrote is rtl-out/small/ (the generator's output: test/handoff checks), whose every top test/handoff lints clean with
    // verilator -F, compiles with iverilog and reads with yosys.
    const { 'user-notes.txt': notes, ...written } = once;
    expect(notes).toBe('not ours');
    expect(written).toEqual(await snapshot(path.join(repoRoot, 'rtl-out', 'small')));
    // The chip's filelist starts with the Verilator config that builds its clusters as hierarchical blocks (so does the
    // cluster's: under its wrapper the cluster is a block too; and the system top's, whose core holds the clusters); no other top has one.
    const chipList = 'eyeriss_chip.f';
    const vlt = once[chipList]!.split('\n')[0]!;
    expect(vlt).toBe(`${chipList.slice(0, -2)}.vlt`);
    expect(once[vlt]).toMatch(/^`verilator_config\nhier_block -module "Cluster_[A-Za-z0-9_]+"\n$/);
    expect(Object.keys(once).filter((f) => f.endsWith('.vlt'))).toEqual([vlt, 'eyeriss_cluster.vlt', 'eyeriss_system.vlt']);
    // A file this writer made earlier, no longer part of any filelist, is removed; the user's file stays.
    await writeFile(path.join(out, 'Stale_x.v'), `${GENERATED_HEADER}\nmodule Stale_x; endmodule\n`);
    // ... and so is a top that is no longer generated (renamed by a new parameter), with its filelist.
    await writeFile(path.join(out, 'OldTop_p1.v'), `${GENERATED_HEADER}\nmodule OldTop_p1; endmodule\n`);
    await writeFile(path.join(out, 'OldTop_p1.f'), 'OldTop_p1.vlt\nOldTop_p1.v\n');
    await writeFile(path.join(out, 'OldTop_p1.vlt'), '`verilator_config\nhier_block -module "Old_p1"\n');
    // A Verilator config the user wrote is never taken for ours, even when a manifest lists it.
    await writeFile(path.join(out, 'user.vlt'), '`verilator_config\nlint_off -rule UNUSED\n');
    const manifest = path.join(out, '.eyeriss-files');
    await writeFile(manifest, (await readFile(manifest, 'utf8')) + 'Stale_x.v\nOldTop_p1.f\nOldTop_p1.v\nOldTop_p1.vlt\nuser.vlt\n');
    await execa(process.execPath, [...cli, 'generate', '--arch', 'small', '--out', out], { cwd: repoRoot });
    const { 'user.vlt': userConfig, ...twice } = await snapshot(out);
    expect(userConfig).toBe('`verilator_config\nlint_off -rule UNUSED\n');
    expect(twice).toEqual(once);
    expect(twice['user-notes.txt']).toBe('not ours');
  });

  it('--no-hier-blocks writes the same Verilog with no Verilator config, for a flat build', async () => {
    const flat = await mkdtemp(path.join(tmpdir(), 'eyeriss-flat-'));
    try {
      await execa(process.execPath, [...cli, 'generate', '--arch', 'small', '--no-hier-blocks', '--out', flat], { cwd: repoRoot });
      const [h, f] = [once, await snapshot(flat)];
      expect(Object.keys(f).filter((n) => n.endsWith('.vlt'))).toEqual([]);
      expect(Object.keys(f).filter((n) => n.endsWith('.v'))).toEqual(Object.keys(h).filter((n) => n.endsWith('.v')));
      for (const [name, text] of Object.entries(f)) {
        if (name.endsWith('.v')) expect(text, name).toBe(h[name]);
        if (name.endsWith('.f'))
          expect(
            text.split('\n').every((l) => l === '' || l.endsWith('.v')),
            name,
          ).toBe(true);
      }
    } finally {
      await rm(flat, { recursive: true, force: true });
    }
  });

  it('bad architecture input gets a clear error and a non-zero exit', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'eyeriss-arch-'));
    try {
      const bad = path.join(dir, 'bad.json');
      await writeFile(bad, JSON.stringify({ ...paperArch, peRows: 0, extra: 1 }));
      const r = await execa(process.execPath, [...cli, 'generate', '--arch', bad, '--out', dir], { cwd: repoRoot, reject: false });
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toMatch(/invalid architecture file .*bad\.json/);
      expect(r.stderr).toMatch(/peRows/);
      expect(r.stderr).toMatch(/extra/);
      for (const name of ['huge', 'constructor']) {
        const unknown = await execa(process.execPath, [...cli, 'generate', '--arch', name], { cwd: repoRoot, reject: false });
        expect(unknown.exitCode).not.toBe(0);
        expect(unknown.stderr).toMatch(new RegExp(`unknown architecture '${name}': use one of paper, small or the path of a \\.json file`));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
