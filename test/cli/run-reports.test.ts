// What every `run` writes besides its results (issue 25): layers.csv read back equal to the
// JSON, --json alone on stdout, --version, the package's bin launcher, and the generated input
// tensors, which run again from a LAYER.json give the same outputs byte for byte.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../tb/paths.js';
import { csvField } from '../../runtime/report/csv.js';
import type { NetworkSummary } from '../../runtime/network.js';
import type { LayerResult } from '../../runtime/run-layer.js';
import { pwLayer, withTmp, writeJson } from '../runtime/helpers.js';

const script = path.join(repoRoot, 'scripts', 'eyeriss.ts');
const cli = (args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  execa(process.execPath, ['--import', 'tsx', script, ...args], { cwd: opts.cwd ?? repoRoot, env: opts.env, reject: false });
const mobileBlock = path.join(repoRoot, 'examples', 'networks', 'mobile-block.json');

/** RFC 4180: CRLF rows, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  expect(field, 'the file ends with CRLF').toBe('');
  return rows;
}

/** The CSV as one object per row, keyed by the header. */
async function readCsv(file: string): Promise<Record<string, string>[]> {
  const [header, ...rows] = parseCsv(await readFile(file, 'utf8'));
  for (const r of rows) expect(r).toHaveLength(header!.length);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

/** Every numeric column of a row equals the layer's result.json figure. */
function expectRowIs(row: Record<string, string>, r: LayerResult): void {
  const e = r.energy_breakdown_pj;
  expect(row).toMatchObject({ layer: r.layer.name, type: r.layer.type, backend: r.backend, matched: String(r.matched) });
  const numbers: [string, number][] = [
    ['cycles', r.cycles],
    ['golden_cycles', r.golden_predicted_cycles],
    ['ideal_cycles', r.ideal_cycles],
    ['utilization', r.utilization],
    ['time_us', r.time_us],
    ['macs', r.macs],
    ['nonzero_macs', r.nonzero_macs],
    ['dram_bytes', r.dram_bytes],
    ['energy_mac_pj', e.mac],
    ['energy_spad_pj', e.spad],
    ['energy_noc_pj', e.noc],
    ['energy_glb_pj', e.glb],
    ['energy_clock_pj', e.clock],
    ['energy_leakage_pj', e.leakage],
    ['energy_total_pj', r.energy_pj],
  ];
  for (const [k, v] of numbers) expect(Number(row[k]), k).toBe(v);
  expect([row['noc_iact'], row['noc_weight'], row['mesh_iact'], row['mesh_weight'], row['noc_psum']]).toEqual([
    r.mapping.noc.iact,
    r.mapping.noc.weight,
    r.mapping.noc.mesh.iact.mode,
    r.mapping.noc.mesh.weight.mode,
    r.mapping.noc.psum,
  ]);
  expect(e.mac + e.spad + e.noc + e.glb + e.clock + e.leakage).toBeCloseTo(r.energy_pj, 6);
}

describe('run --network: layers.csv and --json', () => {
  it('--json prints summary.json alone on stdout; layers.csv reads back to its layer results', async () => {
    await withTmp(async (dir) => {
      const r = await cli(['run', '--network', mobileBlock, '--json', '--out', dir]);
      expect(r.exitCode, r.stderr).toBe(0);
      const summary = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8')) as NetworkSummary;
      expect(JSON.parse(r.stdout)).toEqual(summary);
      // The progress and the closing lines went to stderr.
      expect(r.stderr).toMatch(/^\[1\/6\] conv1: \d+ cycles, matched true$/m);
      expect(r.stderr).toMatch(/^mobile-block on 'paper': /m);
      const rows = await readCsv(path.join(dir, 'layers.csv'));
      expect(rows).toHaveLength(6);
      rows.forEach((row, i) => expectRowIs(row, summary.layer_results[i]!));
      expect(rows[0]!['shape']).toBe('C3 M16 32x32 k3x3 s2 p1');
      expect(summary.eyeriss).toEqual(summary.layer_results[0]!.eyeriss);
    });
  });

  it('a layer name holding a comma, quotes and markup is quoted in the CSV and escaped in the HTML', async () => {
    await withTmp(async (dir) => {
      const name = 'a,"b" <script>alert(1)</script>';
      const net = await writeJson(path.join(dir, 'net.json'), { layers: [{ ...pwLayer(), name }] });
      const out = path.join(dir, 'out');
      const r = await cli(['run', '--network', net, '--arch', 'small', '--out', out]);
      expect(r.exitCode, r.stderr).toBe(0);
      const csv = await readFile(path.join(out, 'layers.csv'), 'utf8');
      expect(csv.split('\r\n')[1]!.startsWith(`${csvField(name)},pointwise,`)).toBe(true);
      expect((await readCsv(path.join(out, 'layers.csv')))[0]!['layer']).toBe(name);
      const html = await readFile(path.join(out, 'report.html'), 'utf8');
      expect(html).not.toContain('<script');
      expect(html).toContain('a,&quot;b&quot; &lt;script&gt;alert(1)&lt;/script&gt;');
    });
  });

  it('csvField quotes only what RFC 4180 requires', () => {
    expect(['plain', 3.5, true, 'a,b', 'say "hi"', 'two\nlines', 'cr\r'].map(csvField)).toEqual([
      'plain',
      '3.5',
      'true',
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      '"cr\r"',
    ]);
  });

  it('--only and --conv-only pick benchmark layers; on a network file or a layer, or with an unknown name, they are refused before work', async () => {
    await withTmp(async (dir) => {
      const [only, onFile, unknown, onLayer] = await Promise.all([
        cli(['run', '--network', 'mobilenet-0.5-128', '--only', 'L01-conv,L28-fc', '--conv-only', '--json', '--out', path.join(dir, 'a')]),
        cli(['run', '--network', mobileBlock, '--conv-only', '--out', path.join(dir, 'b')]),
        cli(['run', '--network', 'alexnet', '--only', 'CONV9', '--out', path.join(dir, 'c')]),
        cli(['run', '--layer', path.join(repoRoot, 'examples', 'layers', 'pw-small.json'), '--conv-only', '--out', path.join(dir, 'd')]),
      ]);
      expect(only.exitCode, only.stderr).toBe(0);
      expect((JSON.parse(only.stdout) as NetworkSummary).layer_results.map((l) => l.layer.name)).toEqual(['L01-conv']);
      expect(onFile.exitCode).not.toBe(0);
      expect(onFile.stderr).toContain('--conv-only and --only apply to benchmark networks only');
      expect(unknown.exitCode).not.toBe(0);
      expect(unknown.stderr).toMatch(/--only: alexnet has no layer CONV9; its layers are CONV1, /);
      expect(onLayer.exitCode).not.toBe(0);
      expect(onLayer.stderr).toContain('--conv-only and --only apply to benchmark networks only');
    });
  });
});

describe('run --network: the table of the layers so far', () => {
  it('while the run works, its work folder holds layers.md of the layers done, marked partial; --out gets the whole table', async () => {
    await withTmp(async (dir) => {
      const out = path.join(dir, 'out');
      const run = cli(['run', '--network', 'mobilenet-0.5-128', '--sparse', '--out', out]);
      let finished = false;
      void run.finally(() => (finished = true));
      let partial: string | null = null;
      while (partial === null && !finished) {
        for (const work of (await readdir(dir)).filter((f) => f.startsWith('.out.eyeriss-tmp-'))) {
          const md = await readFile(path.join(dir, work, 'layers.md'), 'utf8').catch(() => null);
          if (md?.includes('**Partial:') === true) partial = md;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const r = await run;
      expect(r.exitCode, r.stderr).toBe(0);
      expect(partial).toMatch(/\*\*Partial: \d+ of 28 layers so far\.\*\*/);
      expect(partial).toContain('| L01-conv | conv |');
      const whole = await readFile(path.join(out, 'layers.md'), 'utf8');
      expect(whole).not.toContain('Partial');
      expect(whole).toContain('| L28-fc | fc |');
    });
  });
});

describe('run --layer: reports, --json and the generated tensors', () => {
  it('--json prints result.json; iacts.npy and weights.npy run again from a LAYER.json give the same output.npy bytes', async () => {
    await withTmp(async (dir) => {
      const layer = await writeJson(path.join(dir, 'gen.json'), { ...pwLayer(), name: 'gen', requant: { shift: 6 } });
      const first = path.join(dir, 'first');
      const r = await cli(['run', '--layer', layer, '--arch', 'small', '--json', '--out', first]);
      expect(r.exitCode, r.stderr).toBe(0);
      const result = JSON.parse(await readFile(path.join(first, 'result.json'), 'utf8')) as LayerResult & { generated_tensors: string[] };
      expect(JSON.parse(r.stdout)).toEqual(result);
      expect(result.generated_tensors).toEqual(['iacts.npy', 'weights.npy']);
      const [row] = await readCsv(path.join(first, 'layers.csv'));
      expectRowIs(row!, result);
      // The same layer, its data now the files the first run saved.
      const { generate: _generate, ...body } = pwLayer();
      const fromFiles = await writeJson(path.join(dir, 'files.json'), {
        ...body,
        name: 'gen',
        requant: { shift: 6 },
        iacts: 'first/iacts.npy',
        weights: 'first/weights.npy',
      });
      const second = path.join(dir, 'second');
      const again = await cli(['run', '--layer', fromFiles, '--arch', 'small', '--out', second]);
      expect(again.exitCode, again.stderr).toBe(0);
      for (const f of ['output.npy', 'output-u8.npy']) expect(await readFile(path.join(second, f))).toEqual(await readFile(path.join(first, f)));
      const result2 = JSON.parse(await readFile(path.join(second, 'result.json'), 'utf8')) as Record<string, unknown>;
      // Data read from files is not saved again.
      expect(result2['generated_tensors']).toBeUndefined();
      expect(result2['cycles']).toBe(result.cycles);
    });
  });

  it("a network file's generated tensors (outputs/NN-name-iacts.npy, -weights.npy) run the layer again to its outputs", async () => {
    await withTmp(async (dir) => {
      const r = await cli(['run', '--network', mobileBlock, '--out', dir]);
      expect(r.exitCode, r.stderr).toBe(0);
      const net = JSON.parse(await readFile(mobileBlock, 'utf8')) as { layers: Record<string, unknown>[] };
      // conv1 generates both tensors; dw2 chains its iacts (the -u8 outputs of conv1) and generates its weights.
      const { generate: _g1, ...conv1 } = net.layers[0]!;
      const { generate: _g2, ...dw2 } = net.layers[1]!;
      const again = await writeJson(path.join(dir, 'again.json'), {
        layers: [
          { ...conv1, iacts: 'outputs/01-conv1-iacts.npy', weights: 'outputs/01-conv1-weights.npy' },
          { ...dw2, iacts: 'previous', weights: 'outputs/02-dw2-weights.npy' },
        ],
      });
      const out = path.join(dir, 'again');
      const r2 = await cli(['run', '--network', again, '--out', out]);
      expect(r2.exitCode, r2.stderr).toBe(0);
      for (const f of ['01-conv1.npy', '01-conv1-u8.npy', '02-dw2.npy'])
        expect(await readFile(path.join(out, 'outputs', f)), f).toEqual(await readFile(path.join(dir, 'outputs', f)));
    });
  });
});

describe('--version and the bin launcher', () => {
  const VERSION = /^eyeriss-ts \d+\.\d+\.\d+ \(commit ([0-9a-f]{7,}(-dirty)?|unknown)\)\n?$/;

  it('--version prints the package version and the commit; outside a git checkout the commit is unknown, not a crash', async () => {
    const pkg = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const [here, noGit] = await Promise.all([cli(['--version']), cli(['--version'], { env: { GIT_DIR: path.join(repoRoot, 'no-such-git-dir') } })]);
    expect(here.exitCode).toBe(0);
    expect(here.stdout).toMatch(VERSION);
    expect(here.stdout).toContain(`eyeriss-ts ${pkg.version} (commit `);
    expect(here.stdout).not.toContain('unknown');
    expect(noGit.exitCode).toBe(0);
    expect(noGit.stdout.trim()).toBe(`eyeriss-ts ${pkg.version} (commit unknown)`);
  });

  it("package.json's bin runs under plain node from another folder, and as `npx eyeriss` in the repo", async () => {
    const pkg = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const bin = path.join(repoRoot, pkg.bin['eyeriss']!);
    await withTmp(async (dir) => {
      const [plain, npx] = await Promise.all([
        execa(process.execPath, [bin, '--help'], { cwd: dir, reject: false }),
        execa('npx', ['eyeriss', '--version'], { cwd: repoRoot, reject: false }),
      ]);
      expect(plain.exitCode, plain.stderr).toBe(0);
      expect(plain.stdout).toMatch(/^Usage: eyeriss \[options\] \[command\]/);
      expect(plain.stdout).toMatch(/^\s+run \[options\]/m);
      expect(npx.exitCode, npx.stderr).toBe(0);
      expect(npx.stdout).toMatch(VERSION);
    });
  });
});
