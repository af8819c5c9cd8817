import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { paperArch } from '../../spec/arch.js';
import { readNpy } from '../../golden/npy.js';
import { getNetwork, networkLayerData } from '../../golden/networks.js';
import { layerPerf } from '../../golden/perf.js';
import { referenceLayer } from '../../golden/reference.js';
import { namedArchs } from '../../spec/archs.js';
import { repoRoot } from '../../tb/paths.js';
import { loadLayer } from '../../runtime/load-layer.js';
import { loadNetworkFile } from '../../runtime/network-file.js';
import { networkOutputStem, type NetworkSummary } from '../../runtime/network.js';
import type { LayerResult } from '../../runtime/run-layer.js';
import { pwLayer, withTmp, writeJson } from './helpers.js';
import { EyerissTop, chipParamsFromArch } from '../../generator/eyeriss/chip/index.js';
import { EyerissSystem } from '../../generator/eyeriss/system/system.js';
import { systemParamsFor } from '../../spec/system.js';
import { prebuild } from '../support/sim.js';

// Node with tsx's loader, no npx or tsx wrapper process in between (half a second less per run).
const cli = (...args: string[]) =>
  execa(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'eyeriss.ts'), ...args], { cwd: repoRoot, reject: false });
const example = path.join(repoRoot, 'examples', 'layers', 'pw-small.json');

describe('eyeriss run', () => {
  // The rtl runs below find the small chip's and its system top's simulators in the build cache, built under the lock
  // test/system and the chip suites take, so no two test files build one of them side by side.
  beforeAll(async () => {
    const chip = chipParamsFromArch(namedArchs['small']!);
    await prebuild(EyerissTop, chip);
    await prebuild(EyerissSystem, systemParamsFor(chip));
  }, 900_000);

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
        backend: 'golden',
        arch: 'small',
        matched: true,
        macs: 131072,
        cycles: layerPerf(loaded.layer, loaded.data, 'v2', namedArchs['small']).cycles,
      });
      expect(readNpy(path.join(dir, 'output-u8.npy')).dtype).toBe('uint8');
    });
  });

  it('bad input: a clear message and a non-zero exit', async () => {
    await withTmp(async (dir) => {
      const body = pwLayer();
      (body['shape'] as Record<string, unknown>)['Cin'] = 3;
      const bad = await writeJson(path.join(dir, 'bad.json'), body);
      const wide = await writeJson(path.join(dir, 'wide.json'), {
        ...pwLayer(),
        type: 'conv',
        shape: { C: 1, M: 1, H: 1, W: 40, R: 1, S: 33, stride: 1, padding: 0, groups: 1 },
      });
      // Independent processes: run them side by side to keep the suite short.
      const [unknown, unmappable, neither, sparseLayer, goldenSwitch, goldenSystem, dramOnCore, badDram] = await Promise.all([
        cli('run', '--layer', bad, '--out', dir),
        cli('run', '--layer', wide, '--arch', 'small', '--out', dir),
        cli('run', '--out', dir),
        cli('run', '--layer', example, '--sparse', '--out', dir),
        cli('run', '--layer', example, '--no-iact-multicast', '--out', dir),
        cli('run', '--layer', example, '--top', 'system', '--out', dir),
        cli('run', '--layer', example, '--backend', 'rtl', '--dram-bytes-per-cycle', '64', '--out', dir),
        cli('run', '--layer', example, '--backend', 'rtl', '--top', 'system', '--dram-bytes-per-cycle', 'lots', '--out', dir),
      ]);
      for (const r of [unknown, unmappable, neither, sparseLayer, goldenSwitch, goldenSystem, dramOnCore, badDram]) expect(r.exitCode).not.toBe(0);
      expect(goldenSystem.stderr).toMatch(/--top system applies to --backend rtl only/);
      expect(dramOnCore.stderr).toMatch(/--dram-bytes-per-cycle apply to --top system only/);
      expect(badDram.stderr).toMatch(/--dram-bytes-per-cycle lots must be a positive integer/);
      expect(goldenSwitch.stderr).toMatch(/--no-iact-multicast apply to --backend rtl only/);
      expect(unknown.stderr).toContain(`error: ${bad}: shape.Cin: unknown field; fix: remove it`);
      expect(unmappable.stderr).toContain(`error: ${wide}: architecture 'small': cannot map layer 'wide'`);
      expect(unmappable.stderr).toContain('(limit: spads.weightAddr.depth)');
      expect(neither.stderr).toMatch(/give exactly one of --layer LAYER\.json, --network NAME\|NETWORK\.json or --onnx MODEL\.onnx/);
      expect(sparseLayer.stderr).toMatch(/--sparse and --seed apply to --network only/);
    });
  });

  it('--backend rtl --top system --arch small: the layer runs from memory through the system top, result.json has the memory traffic', async () => {
    await withTmp(async (dir) => {
      const r = await cli('run', '--layer', example, '--arch', 'small', '--backend', 'rtl', '--top', 'system', '--dram-latency', '20', '--out', dir);
      expect(r.stderr).not.toMatch(/error/);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/cycles \(rtl\), .* matched true/);
      const res = JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8')) as {
        rtl: { dram_bytes: { read: number; write: number }; offchip_words: { iact: number } };
      };
      expect(res.rtl.offchip_words.iact).toBeGreaterThan(0);
      // The memory port reads at least every iact slot, and the descriptor besides.
      expect(res.rtl.dram_bytes.read).toBeGreaterThan(4 * res.rtl.offchip_words.iact);
      expect(res.rtl.dram_bytes.write).toBeGreaterThan(0);
    });
  }, 900_000);

  it('--backend rtl --arch small: the chip RTL computes the example layer, result.json says so', async () => {
    await withTmp(async (dir) => {
      const r = await cli('run', '--layer', example, '--arch', 'small', '--backend', 'rtl', '--out', dir);
      expect(r.stderr).not.toMatch(/error/);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/cycles \(rtl\), .* matched true/);
      const result = JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8')) as Record<string, unknown>;
      expect(result).toMatchObject({ backend: 'rtl', arch: 'small', matched: true });
      expect(result['golden_predicted_cycles']).toBeGreaterThan(0);
      // The multicast switches: the same layer, every cluster and PE row on its own streams.
      const offDir = path.join(dir, 'off');
      const off = await cli('run', '--layer', example, '--arch', 'small', '--backend', 'rtl', '--no-weight-multicast', '--no-iact-multicast', '--out', offDir);
      expect(off.exitCode, off.stderr).toBe(0);
      const offResult = JSON.parse(await readFile(path.join(offDir, 'result.json'), 'utf8')) as LayerResult;
      expect(offResult).toMatchObject({ backend: 'rtl', matched: true, rtl: { multicast_weight_words: 0, multicast_iact_words: 0 } });
      expect((result as unknown as LayerResult).rtl!.multicast_weight_words).toBeGreaterThan(0);
      // A network file on the same (now cached) simulator: every layer of it on the chip RTL.
      const netDir = path.join(dir, 'net');
      const n = await cli(
        'run',
        '--network',
        path.join(repoRoot, 'examples', 'networks', 'mobile-block.json'),
        '--arch',
        'small',
        '--backend',
        'rtl',
        '--out',
        netDir,
      );
      expect(n.stderr).not.toMatch(/error/);
      expect(n.exitCode).toBe(0);
      const s = JSON.parse(await readFile(path.join(netDir, 'summary.json'), 'utf8')) as NetworkSummary;
      expect(s).toMatchObject({ backend: 'rtl', network: 'mobile-block', layers: 6, all_matched: true });
      for (const l of s.layer_results) expect(l.rtl?.sim_seconds).toBeGreaterThanOrEqual(0);
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
      expect(s).toMatchObject({
        network: 'mobilenet-0.5-128',
        network_file: null,
        variant: 'sparse',
        seed: 1,
        arch: 'paper',
        backend: 'golden',
        all_matched: true,
        macs: 49_160_192,
        macs_per_cycle: 384,
      });
      expect(s.cycles).toBe(s.layer_results.reduce((a, l) => a + l.cycles, 0));
      expect(s.inferences_per_second).toBeCloseTo(200e6 / s.cycles, 6);
      const md = await readFile(path.join(dir, 'layers.md'), 'utf8');
      const rows = md.split('\n').filter((l) => /^\| (L\d\d|\*\*total)/.test(l));
      expect(rows).toHaveLength(29);
      const l01 = s.layer_results[0]!;
      const uj = (pj: number): string => (pj / 1e6).toFixed(2);
      const kb = (b: number): string => (b / 1e3).toFixed(1);
      expect(rows[0]).toBe(
        `| L01-conv | conv | C3 M16 128x128 k3x3 s2 p1 | 1769472 | ${l01.nonzero_macs} | ${l01.cycles} | ${l01.ideal_cycles} | ${(l01.cycles / l01.ideal_cycles).toFixed(2)} | ${uj(l01.energy_pj)} | ${kb(l01.dram_bytes)} | yes |`,
      );
      expect(rows[28]).toBe(
        `| **total** | | | 49160192 | ${s.nonzero_macs} | ${s.cycles} | ${s.ideal_cycles} | ${(s.cycles / s.ideal_cycles).toFixed(2)} | ${uj(s.energy_pj)} | ${kb(s.dram_bytes)} | yes |`,
      );
      // The energy and traffic totals are the golden model's, summed over the layers.
      const perf = net.layers.map((nl, i) => layerPerf(nl.layer, networkLayerData(net, i, 'sparse', 1), 'v2', paperArch));
      expect(s.energy_pj).toBeCloseTo(
        perf.reduce((a, p) => a + p.energy.totalPJ, 0),
        3,
      );
      expect(s.dram_bytes).toBe(perf.reduce((a, p) => a + p.dramBytes, 0));
      expect(s.inferences_per_joule).toBeCloseTo(1e12 / s.energy_pj, 6);
      expect(s.layer_results.map((l) => l.cycles)).toEqual(perf.map((p) => p.cycles));
      expect(md).toContain('`npx tsx scripts/eyeriss.ts run --network mobilenet-0.5-128 --sparse --seed 1 --arch paper --backend golden');
    });
  });

  it("--network NETWORK.json: a user's network runs layer by layer with its own data; bad files and options are named", async () => {
    await withTmp(async (dir) => {
      const file = path.join(repoRoot, 'examples', 'networks', 'mobile-block.json');
      // A file an earlier run into the same folder wrote (its manifest says so) must not survive this one.
      await mkdir(path.join(dir, 'outputs'), { recursive: true });
      await writeFile(path.join(dir, 'outputs', '01-old.npy'), '');
      await writeJson(path.join(dir, '.eyeriss-run.json'), { complete: true, command: 'eyeriss run', files: ['outputs/01-old.npy'] });
      const r = await cli('run', '--network', file, '--out', dir);
      expect(r.stderr).not.toMatch(/error/);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(
        /^mobile-block on 'paper': \d+ cycles per inference, [\d.]+ inferences\/s at 200 MHz, [\d.]+ inferences\/J \(golden energy model\), 6 layers, all matched true$/m,
      );
      const s = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8')) as NetworkSummary;
      expect(s).toMatchObject({ network: 'mobile-block', network_file: file, variant: null, seed: null, layers: 6, all_matched: true });
      const net = await loadNetworkFile(file);
      expect(s.layer_results.map((l) => l.layer.name)).toEqual(['conv1', 'dw2', 'pw2', 'dw3', 'pw3', 'fc']);
      // Chained end to end: each layer's iacts are the 8-bit outputs the layer before wrote, and
      // its raw outputs and cycles are the reference's and the golden model's on those iacts.
      // Besides the outputs, the generated tensors: conv1's iacts and weights, the others' weights (their iacts are "previous").
      expect((await readdir(path.join(dir, 'outputs'))).sort()).toEqual(
        ['01-conv1', '02-dw2', '03-pw2', '04-dw3', '05-pw3']
          .flatMap((s) => [`${s}-u8.npy`, `${s}.npy`, `${s}-weights.npy`])
          .concat(['06-fc.npy', '06-fc-weights.npy', '01-conv1-iacts.npy'])
          .sort(),
      );
      let previous: Int32Array | null = null;
      for (const [i, l] of net.layers.entries()) {
        const stem = networkOutputStem(dir, i + 1, l.layer.name);
        const data = l.chained ? { iacts: previous!, weights: l.data.weights } : l.data;
        expect(Array.from(readNpy(`${stem}.npy`).data)).toEqual(Array.from(referenceLayer(l.layer, data)));
        expect(s.layer_results[i]!.cycles).toBe(layerPerf(l.layer, data, 'v2', paperArch).cycles);
        previous = l.requant === null ? null : Int32Array.from(readNpy(`${stem}-u8.npy`).data);
        if (i < net.layers.length - 1) expect(net.layers[i + 1]!.chained).toBe(true);
      }
      const md = await readFile(path.join(dir, 'layers.md'), 'utf8');
      expect(md).toContain("# mobile-block on 'paper', golden backend");
      expect(md).toContain(`${(s.energy_pj / 1e6).toFixed(2)} µJ per inference = ${s.inferences_per_joule.toFixed(1)} inferences/J`);

      const bad = await writeJson(path.join(dir, 'bad-net.json'), {
        layers: [pwLayer(), { ...pwLayer(), type: 'conv', shape: { C: 1, M: 1, H: 1, W: 40, R: 1, S: 33, stride: 1, padding: 0, groups: 1 } }],
      });
      const typo = await writeJson(path.join(dir, 'typo-net.json'), { layers: [{ ...pwLayer(), shape: { C: 8 } }] });
      const [unmappable, invalid, sparse, unknown] = await Promise.all([
        cli('run', '--network', bad, '--arch', 'small', '--out', dir),
        cli('run', '--network', typo, '--out', dir),
        cli('run', '--network', file, '--sparse', '--out', dir),
        cli('run', '--network', 'resnet50', '--out', dir),
      ]);
      for (const x of [unmappable, invalid, sparse, unknown]) expect(x.exitCode).not.toBe(0);
      expect(unmappable.stderr).toContain(`error: ${bad}: layers.1: architecture 'small': cannot map layer 'L02'`);
      expect(invalid.stderr).toContain(`${typo}: 8 problems`);
      expect(invalid.stderr).toContain('layers.0.shape.M: missing; fix: add it');
      expect(sparse.stderr).toMatch(/--sparse and --seed apply to benchmark networks only/);
      expect(unknown.stderr).toContain(
        "--network: unknown network 'resnet50'; choose one of mobilenet-0.5-128, mobilenet-1.0-224, alexnet, googlenet, or give a NETWORK.json file",
      );
    });
  });
});
