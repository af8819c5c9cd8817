// generate never deletes or writes what is not its own (issue 24, D1, D2, D8).
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { namedArchs } from '../../spec/archs.js';
import { generateRtl } from '../../generator/eyeriss/generate.js';
import { repoRoot } from '../../tb/paths.js';

// Node with tsx's loader, no npx or tsx wrapper process in between (half a second less per run).
const cli = (...args: string[]) =>
  execa(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'eyeriss.ts'), ...args], { cwd: repoRoot, reject: false });

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'eyeriss-gensafe-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('generate: what it deletes and where it writes', () => {
  it('D2: a manifest entry outside the folder, or naming a file the writer did not make, is never deleted', async () => {
    await withDir(async (dir) => {
      const out = path.join(dir, 'gm');
      await generateRtl(namedArchs.small!, out);
      await writeFile(path.join(dir, 'victim.txt'), 'x');
      await writeFile(path.join(out, 'notes.v'), 'module mine; endmodule\n');
      await writeFile(path.join(out, 'mine.txt'), 'mine');
      const manifest = path.join(out, '.eyeriss-files');
      await writeFile(manifest, `${await readFile(manifest, 'utf8')}../victim.txt\nnotes.v\nmine.txt\n${path.join(dir, 'victim.txt')}\n`);
      await generateRtl(namedArchs.small!, out);
      expect(await readFile(path.join(dir, 'victim.txt'), 'utf8')).toBe('x');
      expect(await readFile(path.join(out, 'notes.v'), 'utf8')).toBe('module mine; endmodule\n');
      expect(await readFile(path.join(out, 'mine.txt'), 'utf8')).toBe('mine');
      expect(await readFile(manifest, 'utf8')).not.toMatch(/victim/);
    });
  });

  it('D1: an arch file named like a shipped arch, or with a path in its name, is refused before anything is written', async () => {
    await withDir(async (dir) => {
      const before = await readdir(path.join(repoRoot, 'rtl-out', 'small'));
      const small = path.join(dir, 'small.json');
      await writeFile(small, JSON.stringify({ ...namedArchs.small!, clusterCols: 1 }));
      const escaping = path.join(dir, 'escaping.json');
      const target = path.join(dir, 'escaped');
      await writeFile(escaping, JSON.stringify({ ...namedArchs.small!, name: path.relative(path.join(repoRoot, 'rtl-out'), target) }));
      const [shipped, escaped] = await Promise.all([cli('generate', '--arch', small), cli('generate', '--arch', escaping)]);
      expect(shipped.exitCode).not.toBe(0);
      expect(shipped.stderr).toMatch(
        /name: 'small' is the shipped architecture of rtl-out\/small, and this file differs from it; fix: give your architecture its own name/,
      );
      expect(escaped.exitCode).not.toBe(0);
      expect(escaped.stderr).toMatch(/name: '.*escaped' cannot name a folder .*fix: use 1-64 letters/);
      expect(existsSync(target)).toBe(false);
      expect(await readdir(path.join(repoRoot, 'rtl-out', 'small'))).toEqual(before);
      const { stdout } = await execa('git', ['status', '--porcelain', 'rtl-out'], { cwd: repoRoot });
      expect(stdout).toBe('');
    });
  });

  it('--out that is a file, or under one that cannot be made, is refused before generating', async () => {
    await withDir(async (dir) => {
      const file = path.join(dir, 'taken');
      await writeFile(file, 'mine');
      const [isFile, proc] = await Promise.all([
        cli('generate', '--arch', 'small', '--out', file),
        cli('generate', '--arch', 'small', '--out', '/proc/eyeriss-gen/out'),
      ]);
      expect(isFile.stderr).toContain(`error: --out ${file}: ${file} exists and is not a folder; fix:`);
      expect(proc.stderr).toContain('error: --out /proc/eyeriss-gen/out: cannot create the folder /proc/eyeriss-gen (');
      for (const r of [isFile, proc]) expect(r.exitCode).not.toBe(0);
      expect(await readFile(file, 'utf8')).toBe('mine');
    });
  });

  it('D8: an arch of 1000 x 1000 clusters is refused at once, with the size it would have', async () => {
    await withDir(async (dir) => {
      const huge = path.join(dir, 'huge.json');
      await writeFile(huge, JSON.stringify({ ...namedArchs.small!, name: 'huge', clusterRows: 1000, clusterCols: 1000 }));
      const r = await execa(
        process.execPath,
        ['--import', 'tsx', path.join(repoRoot, 'scripts', 'eyeriss.ts'), 'generate', '--arch', huge, '--out', path.join(dir, 'o')],
        {
          cwd: repoRoot,
          reject: false,
          timeout: 60_000,
        },
      );
      expect(r.timedOut).toBe(false);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toMatch(
        /clusterRows: 1000 x 1000 = 1000000 clusters exceed the limit of 256: .*million lines of Verilog.*fix: use at most 256 clusters/,
      );
      expect(existsSync(path.join(dir, 'o'))).toBe(false);
    });
  });
});
