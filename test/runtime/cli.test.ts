import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { paperArch } from '../../golden/arch.js';
import { readNpy } from '../../golden/npy.js';
import { getNetwork, networkLayerData } from '../../golden/networks.js';
import { layerPerf } from '../../golden/perf.js';
import { referenceLayer } from '../../golden/reference.js';
import { namedArchs } from '../../generator/eyeriss/archs.js';
import { repoRoot } from '../../tb/paths.js';
import { loadLayer } from '../../runtime/load-layer.js';
import type { NetworkSummary } from '../../runtime/network.js';
import type { LayerResult } from '../../runtime/run-layer.js';
import { pwLayer, withTmp, writeJson } from './helpers.js';

const cli = (...args: string[]) => execa('npx', ['tsx', path.join(repoRoot, 'scripts', 'eyeriss.ts'), ...args], { cwd: repoRoot, reject: false });
const example = path.join(repoRoot, 'examples', 'layers', 'pw-small.json');

describe('eyeriss run', () => {
  it('--layer: the documented example runs on the small arch; output.npy is the reference, result.json the figures', async () => {
    await withTmp(async (dir) => {
      const r = await cli('run', '--layer', example, '--arch', 'small', '--out', dir);
      expect(r.stderr).not.toMatch(/error/);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/^pw-small: \d+ cycles \(golden\), 131072 MACs, \d+ nonzero, utilization [\d.]+%, matched true$/m);
      const loaded = await loadLayer(example);
      expect(Array.from(readNpy(path.join(dir, 'output.npy')).data)).toEqual(Array.from(referenceLayer(loaded.layer, loaded.data)));
      const result = JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8')) as LayerResult;
      expect(result).toMatchObject({
        backend: 'golden', arch: 'small', matched: true, macs: 131072,
        cycles: layerPerf(loaded.layer, loaded.data, 'v2', namedArchs['small']!).cycles,
      });
      expect(readNpy(path.join(dir, 'output-u8.npy')).dtype).toBe('uint8');
    });
  });

  it('bad input: a clear message and a non-zero exit', async () => {
    await withTmp(async (dir) => {
      const body = pwLayer();
      (body['shape'] as Record<string, unknown>)['Cin'] = 3;
      const bad = await writeJson(path.join(dir, 'bad.json'), body);
      const wide = await writeJson(path.join(dir, 'wide.json'), { ...pwLayer(), type: 'conv', shape: { C: 1, M: 1, H: 1, W: 40, R: 1, S: 33, stride: 1, padding: 0, groups: 1 } });
      // Independent processes: run them side by side to keep the suite short.
      const [unknown, unmappable, neither, sparseLayer] = await Promise.all([
        cli('run', '--layer', bad, '--out', dir),
        cli('run', '--layer', wide, '--arch', 'small', '--out', dir),
        cli('run', '--out', dir),
        cli('run', '--layer', example, '--sparse', '--out', dir),
      ]);
      for (const r of [unknown, unmappable, neither, sparseLayer]) expect(r.exitCode).not.toBe(0);
      expect(unknown.stderr).toContain(`error: ${bad}: shape.Cin: unknown field; fix: remove it`);
      expect(unmappable.stderr).toContain(`error: ${wide}: architecture 'small': cannot map layer 'wide'`);
      expect(unmappable.stderr).toContain('(limit: spads.weightAddr.depth)');
      expect(neither.stderr).toMatch(/give exactly one of --layer LAYER\.json or --network NAME/);
      expect(sparseLayer.stderr).toMatch(/--sparse and --seed apply to --network only/);
    });
  });

  it('--backend rtl --arch small: the chip RTL computes the example layer, result.json says so', async () => {
    await withTmp(async (dir) => {
      const r = await cli('run', '--layer', example, '--arch', 'small', '--backend', 'rtl', '--out', dir);
      expect(r.stderr).not.toMatch(/error/);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/cycles \(rtl\), .* matched true/);
      const result = JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8')) as Record<string, unknown>;
      expect(result).toMatchObject({ backend: 'rtl', arch: 'small', matched: true });
      expect(result['golden_predicted_cycles']).toBeGreaterThan(0);
    });
  }, 600_000);

  it('--network mobilenet-0.5-128 --sparse: every layer matches, the table and the totals agree', async () => {
    await withTmp(async (dir) => {
      const r = await cli('run', '--network', 'mobilenet-0.5-128', '--sparse', '--out', dir);
      expect(r.stderr).not.toMatch(/error/);
      expect(r.exitCode).toBe(0);
      // stdout is a pipe here: no progress bar, one line per layer.
      expect(r.stdout).not.toContain('\u001b[');
      expect(r.stdout).toMatch(/^\[28\/28\] L28-fc: \d+ cycles, matched true$/m);
      const s = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8')) as NetworkSummary;
      const net = getNetwork('mobilenet-0.5-128');
      expect(s.layer_results.map((l) => l.layer.name)).toEqual(net.layers.map((l) => l.layer.name));
      expect(s).toMatchObject({ network: 'mobilenet-0.5-128', variant: 'sparse', arch: 'paper', backend: 'golden', all_matched: true, macs: 49_160_192, macs_per_cycle: 384 });
      expect(s.cycles).toBe(s.layer_results.reduce((a, l) => a + l.cycles, 0));
      expect(s.inferences_per_second).toBeCloseTo(200e6 / s.cycles, 6);
      // Spot check one layer against the golden model run in-process on the same data.
      const last = net.layers.length - 1;
      expect(s.layer_results[last]!.cycles).toBe(layerPerf(net.layers[last]!.layer, networkLayerData(net, last, 'sparse', 1), 'v2', paperArch).cycles);
      const md = await readFile(path.join(dir, 'layers.md'), 'utf8');
      const rows = md.split('\n').filter((l) => /^\| (L\d\d|\*\*total)/.test(l));
      expect(rows).toHaveLength(29);
      const l01 = s.layer_results[0]!;
      expect(rows[0]).toBe(`| L01-conv | conv | C3 M16 128x128 k3x3 s2 p1 | 1769472 | ${l01.nonzero_macs} | ${l01.cycles} | ${l01.ideal_cycles} | ${(l01.cycles / l01.ideal_cycles).toFixed(2)} | yes |`);
      expect(rows[28]).toBe(`| **total** | | | 49160192 | ${s.nonzero_macs} | ${s.cycles} | ${s.ideal_cycles} | ${(s.cycles / s.ideal_cycles).toFixed(2)} | yes |`);
      expect(md).toContain('`npx tsx scripts/eyeriss.ts run --network mobilenet-0.5-128 --sparse --seed 1 --arch paper --backend golden');
    });
  });
});
