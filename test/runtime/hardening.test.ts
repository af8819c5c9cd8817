// A hostile user's inputs and outputs (issue 24): --out checked before any work, runs that
// never leave a folder looking complete or mixed, every layer mapped up front, size limits.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../golden/npy.js';
import { namedArchs } from '../../spec/archs.js';
import { repoRoot } from '../../tb/paths.js';
import { loadArch } from '../../runtime/arch-file.js';
import { loadLayer } from '../../runtime/load-layer.js';
import type { NetworkSummary } from '../../runtime/network.js';
import { SIMULATOR_TIMEOUT_MS } from '../../runtime/rtl/session.js';
import { pwLayer, withTmp, writeJson } from './helpers.js';

const script = path.join(repoRoot, 'scripts', 'eyeriss.ts');
// One node process (no npx or tsx wrapper in between), so a signal reaches the CLI itself.
const cli = (...args: string[]) => execa(process.execPath, ['--import', 'tsx', script, ...args], { cwd: repoRoot, reject: false });
const example = path.join(repoRoot, 'examples', 'layers', 'pw-small.json');

/** A layer the golden backend takes a few seconds over (151M MACs), so a test can act while it runs. */
const slowLayer = (seed: number): Record<string, unknown> => ({
  name: 'slow',
  type: 'conv',
  shape: { C: 128, M: 128, H: 32, W: 32, R: 3, S: 3, stride: 1, padding: 1, groups: 1 },
  generate: { iactDensity: 0.7, weightDensity: 0.5, seed },
});

/** A network file: a quick first layer, then the slow one. */
const slowNetwork = (dir: string, name: string, seed: number): Promise<string> =>
  writeJson(path.join(dir, `${name}.json`), {
    name,
    layers: [{ ...pwLayer(), name: 'quick', generate: { iactDensity: 0.7, weightDensity: 0.5, seed } }, slowLayer(seed)],
  });

/** Resolves once the process has printed `text` on stdout. */
function printed(p: ResultPromise, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    p.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes(text)) resolve();
    });
    p.once('exit', () => reject(new Error(`exited before printing '${text}': ${out}`)));
  });
}

/** Files under dir, relative, sorted. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const leftovers = async (parent: string): Promise<string[]> => (await readdir(parent)).filter((f) => /eyeriss-(tmp|lock)/.test(f));

describe('D3: --out is checked before any work', () => {
  it('a file, a folder under a file, an unwritable place: named with the fix, nothing computed', async () => {
    await withTmp(async (dir) => {
      const file = path.join(dir, 'taken');
      await writeFile(file, 'mine');
      const busy = path.join(dir, 'busy');
      await mkdir(path.join(busy, 'result.json'), { recursive: true });
      const [isFile, underFile, proc, resultDir] = await Promise.all([
        cli('run', '--layer', example, '--arch', 'small', '--out', file),
        cli('run', '--layer', example, '--arch', 'small', '--out', path.join(file, 'sub')),
        cli('run', '--layer', example, '--arch', 'small', '--out', '/proc/eyeriss-out'),
        cli('run', '--layer', example, '--arch', 'small', '--out', busy),
      ]);
      for (const r of [isFile, underFile, proc, resultDir]) {
        expect(r.exitCode).not.toBe(0);
        expect(r.stdout).not.toMatch(/cycles/);
        expect(r.stderr).not.toMatch(/EEXIST|ENOTDIR|ENOENT.*mkdir|at .*\.ts:\d+/);
      }
      expect(isFile.stderr).toContain(`error: --out ${file}: ${file} exists and is not a folder; fix: give the path of a folder`);
      expect(underFile.stderr).toContain(
        `error: --out ${file}/sub: ${file} is a file, so no folder can be made inside it; fix: give an --out whose parent folders are folders`,
      );
      expect(proc.stderr).toMatch(
        /error: --out \/proc\/eyeriss-out: cannot (create the lock file|write in).*; fix: choose an --out in a folder you can write to/,
      );
      expect(resultDir.stderr).toMatch(/busy\/result\.json is a folder, where this run writes a file; fix: move it away or give another --out/);
      expect(await readFile(file, 'utf8')).toBe('mine');
      expect(await leftovers(dir)).toEqual([]);
    });
  });

  it('with the rtl backend the refusal comes before the simulator is built', async () => {
    await withTmp(async (dir) => {
      const file = path.join(dir, 'taken');
      await writeFile(file, 'mine');
      const r = await cli('run', '--layer', example, '--arch', 'small', '--backend', 'rtl', '--out', file);
      expect(r.exitCode).not.toBe(0);
      expect(r.stdout).not.toMatch(/simulating|starting the/);
      expect(r.stderr).toContain(`--out ${file}: ${file} exists and is not a folder`);
    });
  });
});

describe('D4, D5: a stopped run and a second run into the same --out', () => {
  it('Ctrl-C: says the run stopped and that --out is unchanged; the earlier complete run is all there is', async () => {
    await withTmp(async (dir) => {
      const out = path.join(dir, 'out');
      const first = await cli('run', '--network', await slowNetwork(dir, 'net', 1), '--arch', 'small', '--out', out);
      expect(first.exitCode, first.stderr).toBe(0);
      const before = await tree(out);
      const snapshot = await Promise.all(before.map((f) => readFile(path.join(out, f))));
      const second = cli('run', '--network', await slowNetwork(dir, 'net2', 2), '--arch', 'small', '--out', out);
      await printed(second, '[1/2]');
      second.kill('SIGINT');
      const r = await second;
      expect(r.exitCode).toBe(130);
      expect(r.stderr).toContain(`run stopped (SIGINT): nothing was written to ${out}; what it held before is unchanged`);
      expect(await tree(out)).toEqual(before);
      expect(await Promise.all(before.map((f) => readFile(path.join(out, f))))).toEqual(snapshot);
      expect(JSON.parse(await readFile(path.join(out, '.eyeriss-run.json'), 'utf8'))).toMatchObject({ complete: true });
      expect(await leftovers(dir)).toEqual([]);
    });
  }, 120_000);

  it('a second run into a folder that a run is writing stops at once, naming the first; the first is not disturbed', async () => {
    await withTmp(async (dir) => {
      const out = path.join(dir, 'out');
      const a = cli('run', '--network', await slowNetwork(dir, 'net-a', 1), '--arch', 'small', '--out', out);
      await printed(a, '[1/2]');
      // Stopped, the first run holds its lock however long the second takes to start on a loaded machine.
      a.kill('SIGSTOP');
      const b = await cli('run', '--network', await slowNetwork(dir, 'net-b', 2), '--arch', 'small', '--out', out).finally(() => a.kill('SIGCONT'));
      expect(b.exitCode).not.toBe(0);
      expect(b.stderr).toMatch(
        new RegExp(
          `--out ${out}: another run \\(pid ${a.pid}, started .*net-a\\.json.*\\) is writing this folder; fix: wait for it to finish or give another --out`,
        ),
      );
      const ra = await a;
      expect(ra.exitCode, ra.stderr).toBe(0);
      const s = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as NetworkSummary;
      expect(s.network).toBe('net-a');
      expect(await tree(out)).toEqual([
        '.eyeriss-run.json',
        'layers.csv',
        'layers.md',
        'outputs/01-quick-iacts.npy',
        'outputs/01-quick-weights.npy',
        'outputs/01-quick.npy',
        'outputs/02-slow-iacts.npy',
        'outputs/02-slow-weights.npy',
        'outputs/02-slow.npy',
        'report.html',
        'summary.json',
      ]);
      expect(await leftovers(dir)).toEqual([]);
    });
  }, 120_000);
});

describe('a run killed outright (SIGKILL)', () => {
  it('leaves a lock and a work folder that the next run into the same --out takes over and removes', async () => {
    await withTmp(async (dir) => {
      const out = path.join(dir, 'out');
      await mkdir(path.join(dir, '.out.eyeriss-tmp-999999', 'outputs'), { recursive: true });
      // A process id no process has (above the kernel's pid_max).
      await writeJson(path.join(dir, '.out.eyeriss-lock'), { pid: 2 ** 22 + 1, command: 'eyeriss run', started: 'earlier' });
      const r = await cli('run', '--layer', example, '--arch', 'small', '--out', out);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(await leftovers(dir)).toEqual([]);
      expect(await tree(out)).toEqual([
        '.eyeriss-run.json',
        'iacts.npy',
        'layers.csv',
        'output-u8.npy',
        'output.npy',
        'report.html',
        'result.json',
        'weights.npy',
      ]);
    });
  });
});

describe('D6: every layer of a network file is mapped before any runs', () => {
  it('an unmappable second layer is reported before the first runs', async () => {
    await withTmp(async (dir) => {
      const wide = {
        name: 'wide',
        type: 'conv',
        shape: { C: 1, M: 1, H: 1, W: 40, R: 1, S: 33, stride: 1, padding: 0, groups: 1 },
        generate: { iactDensity: 1, weightDensity: 1, seed: 1 },
      };
      const net = await writeJson(path.join(dir, 'net.json'), { layers: [pwLayer(), wide] });
      const out = path.join(dir, 'out');
      const r = await cli('run', '--network', net, '--arch', 'small', '--out', out);
      expect(r.exitCode).not.toBe(0);
      expect(r.stdout).not.toMatch(/\[1\/2\]/);
      expect(r.stderr).toContain(`error: ${net}: layers.1: architecture 'small': cannot map layer 'wide'`);
      expect(r.stderr).toContain('(limit: spads.weightAddr.depth)');
      expect(existsSync(out)).toBe(false);
    });
  });

  it('a later layer whose requant multipliers the chip cannot apply is reported before the first runs', async () => {
    await withTmp(async (dir) => {
      const scaled = { ...pwLayer(), name: 'scaled', requant: { shift: 12, multipliers: Array.from({ length: 12 }, () => 300) } };
      const net = await writeJson(path.join(dir, 'net.json'), { layers: [pwLayer(), scaled] });
      const out = path.join(dir, 'out');
      const r = await cli('run', '--network', net, '--arch', 'small', '--out', out);
      expect(r.exitCode).not.toBe(0);
      expect(r.stdout).not.toMatch(/\[1\/2\]/);
      expect(r.stderr).toContain(
        `layers.1.requant: layer 'scaled': its requant has per-channel multipliers, but architecture 'small' has no output multiplier`,
      );
      expect(existsSync(out)).toBe(false);
    });
  });
});

describe('D7: a run removes only the outputs an earlier run of the tool wrote', () => {
  it("the user's files and folders in DIR/outputs stay; the earlier run's layer files that this run does not write go", async () => {
    await withTmp(async (dir) => {
      const out = path.join(dir, 'out');
      await mkdir(path.join(out, 'outputs', 'mine'), { recursive: true });
      await writeFile(path.join(out, 'outputs', 'mine', 'keep.txt'), 'keep');
      await writeFile(path.join(out, 'outputs', 'notes.txt'), 'notes');
      const two = await writeJson(path.join(dir, 'two.json'), { layers: [pwLayer(), { ...pwLayer(), name: 'second' }] });
      const one = await writeJson(path.join(dir, 'one.json'), { layers: [pwLayer()] });
      expect((await cli('run', '--network', two, '--arch', 'small', '--out', out)).exitCode).toBe(0);
      const layerFiles = (stem: string): string[] => [`${stem}-iacts.npy`, `${stem}-weights.npy`, `${stem}.npy`];
      expect(await tree(path.join(out, 'outputs'))).toEqual([...layerFiles('01-L01'), ...layerFiles('02-second'), 'mine/keep.txt', 'notes.txt']);
      expect((await cli('run', '--network', one, '--arch', 'small', '--out', out)).exitCode).toBe(0);
      expect(await tree(path.join(out, 'outputs'))).toEqual([...layerFiles('01-L01'), 'mine/keep.txt', 'notes.txt']);
      expect(JSON.parse(await readFile(path.join(out, '.eyeriss-run.json'), 'utf8'))).toMatchObject({
        complete: true,
        files: ['layers.csv', 'layers.md', ...layerFiles('outputs/01-L01'), 'report.html', 'summary.json'],
      });
    });
  });
});

describe('D8: sizes are checked against limits before any tensor is made', () => {
  const layerOf = (shape: Record<string, number>, type = 'pointwise') => ({
    type,
    shape: { R: 1, S: 1, stride: 1, padding: 0, groups: 1, ...shape },
    generate: { iactDensity: 1, weightDensity: 1, seed: 1 },
  });

  it('C = M = 100000: the memory it would need, not "Invalid typed array length"', async () => {
    await withTmp(async (dir) => {
      const f = await writeJson(path.join(dir, 'wide.json'), layerOf({ C: 100_000, M: 100_000, H: 1, W: 1 }));
      await expect(loadLayer(f)).rejects.toThrow(/shape: the run would need about 74\.5 GB of memory, over the limit of 2\.0 GB; fix: make the layer smaller/);
    });
  });

  it('a 2000-channel layer on a 1000x1000 map is refused at once', async () => {
    await withTmp(async (dir) => {
      const f = await writeJson(path.join(dir, 'big.json'), layerOf({ C: 2000, M: 2000, H: 1000, W: 1000 }));
      await expect(loadLayer(f)).rejects.toThrow(/shape: the run would need about \d+\.\d GB of memory, over the limit of 2\.0 GB/);
    });
  });

  it('a layer that fits in memory but would compute for hours is refused, with its MACs', async () => {
    await withTmp(async (dir) => {
      const f = await writeJson(path.join(dir, 'long.json'), layerOf({ C: 2000, M: 2000, H: 100, W: 100, R: 3, S: 3, padding: 1 }, 'conv'));
      await expect(loadLayer(f)).rejects.toThrow(/shape: 3\.60e\+11 MACs, over the limit of 1e\+10 .*about 0\.\d+ GB of memory\); fix: make the layer smaller/);
    });
  });
});

describe('minor input problems', () => {
  it('a frozen simulator is killed after the hour docs/run.md gives, not 6 hours', async () => {
    expect(SIMULATOR_TIMEOUT_MS).toBe(60 * 60_000);
    expect(await readFile(path.join(repoRoot, 'docs', 'run.md'), 'utf8')).toContain('answers nothing for 60 minutes');
  });

  it('simd says what it may be', async () => {
    await withTmp(async (dir) => {
      const f = await writeJson(path.join(dir, 'simd3.json'), { ...namedArchs.small!, name: 'simd3', simd: 3 });
      await expect(loadArch(f)).rejects.toThrow(/simd: must be 1 or 2/);
    });
  });

  it('the arch rules the generator needs hold for the golden backend too', async () => {
    await withTmp(async (dir) => {
      const f = await writeJson(path.join(dir, 'odd.json'), {
        ...namedArchs.small!,
        name: 'odd',
        glb: { ...namedArchs.small!.glb, psumBanks: 3, psumBankBytes: 1921 },
      });
      const err = await loadArch(f).then(
        () => null,
        (e: Error) => e.message,
      );
      expect(err).toMatch(/glb\.psumBanks: 3 psum banks for 4 PE columns: each psum router ties one bank to one column; fix: make glb\.psumBanks equal peCols/);
      expect(err).toMatch(/glb\.psumBankBytes: a bank of 1921 B is not a whole number of 40-bit words \(noc\.psumPortBits\); fix:/);
    });
  });

  it('a folder named x.npy, a BOM, a big-endian .npy: each named with its fix', async () => {
    await withTmp(async (dir) => {
      await mkdir(path.join(dir, 'x.npy'));
      const { generate: _, ...noData } = pwLayer();
      const folder = await writeJson(path.join(dir, 'folder.json'), { ...noData, iacts: 'x.npy', weights: 'x.npy' });
      await expect(loadLayer(folder)).rejects.toThrow(/iacts: .*x\.npy is a folder, not a \.npy file; fix: give the path of the \.npy file/);
      const bom = path.join(dir, 'bom.json');
      await writeFile(bom, `\uFEFF${JSON.stringify(pwLayer())}`);
      expect((await loadLayer(bom)).layer.C).toBe(8);
      const bytes = encodeNpy({ dtype: 'uint8', shape: [1, 8, 5, 6], data: new Uint8Array(240) });
      const header = Buffer.from(bytes).toString('latin1').replace("'|u1'", "'>i4'");
      await writeFile(path.join(dir, 'be.npy'), Buffer.from(header, 'latin1'));
      const be = await writeJson(path.join(dir, 'be.json'), { ...noData, iacts: 'be.npy', weights: 'x.npy' });
      const err = await loadLayer(be).then(
        () => null,
        (e: Error) => e.message,
      );
      expect(err).toMatch(/iacts: dtype is '>i4', the layer needs uint8; fix: save it with arr\.astype\(np\.uint8\)/);
      expect(err).not.toMatch(/int32/);
    });
  });
});
