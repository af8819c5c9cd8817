// `run --backend rtl` through the command line on the small chip: a benchmark's layers give the
// docs/rtl/ table (what `npm run rtl:network` made) and the measured off-chip columns of
// layers.csv; WAVES=1 puts the run's waveform under --out, named in result.json (not under the
// repository's waves/). The waveform run uses Icarus Verilog: its build takes seconds, where
// Verilator would build a traced chip for minutes.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../tb/paths.js';
import type { NetworkSummary } from '../../runtime/network.js';
import { pwLayer, withTmp, writeJson } from '../runtime/helpers.js';

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  execa(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'eyeriss.ts'), ...args], { cwd: repoRoot, env, reject: false });

describe('run --network NAME --backend rtl', () => {
  it('--conv-only --only: the docs/rtl/ table of the layers picked, and layers.csv with the measured off-chip bytes', async () => {
    await withTmp(async (dir) => {
      const r = await cli([
        'run',
        '--network',
        'mobilenet-0.5-128',
        '--sparse',
        '--conv-only',
        '--only',
        'L02-dw,L28-fc',
        '--backend',
        'rtl',
        '--arch',
        'small',
        '--out',
        dir,
      ]);
      expect(r.exitCode, r.stderr).toBe(0);
      const s = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8')) as NetworkSummary;
      expect(s.layer_results.map((l) => l.layer.name)).toEqual(['L02-dw']);
      const md = await readFile(path.join(dir, 'layers.md'), 'utf8');
      expect(md).toContain(
        '| layer | type | shape | MACs | nonzero MACs | rtl cycles | golden cycles | ideal cycles | rtl/golden | rtl/ideal | off-chip kB | golden DRAM kB | sim s | matched |',
      );
      expect(md).toContain('--sparse --seed 1 --conv-only --only L02-dw,L28-fc --arch small --backend rtl');
      const [header, row] = (await readFile(path.join(dir, 'layers.csv'), 'utf8')).split('\r\n').map((l) => l.split(','));
      const cell = (name: string): number => Number(row![header!.indexOf(name)]);
      const l = s.layer_results[0]!;
      expect(cell('cycles')).toBe(l.cycles);
      expect(cell('rtl_offchip_total_bytes')).toBe(l.rtl_offchip_bytes!.total);
      expect(cell('rtl_offchip_control_bytes')).toBe(l.rtl_offchip_bytes!.control);
      expect(cell('sim_seconds')).toBe(l.rtl!.sim_seconds);
      expect(await readFile(path.join(dir, 'report.html'), 'utf8')).toContain('RTL off-chip');
    });
  }, 300_000);
});

describe('run --backend rtl with WAVES=1', () => {
  it('writes DIR/waves.fst and names it in result.json and the manifest', async () => {
    await withTmp(async (dir) => {
      // 2880 MACs, not the documented example's 131072: Icarus writing every signal is slow, and the waveform's place is the check.
      const layer = await writeJson(path.join(dir, 'pw-tiny.json'), { ...pwLayer(), requant: { shift: 6, activation: 'relu' } });
      const out = path.join(dir, 'out');
      const r = await cli(['run', '--layer', layer, '--arch', 'small', '--backend', 'rtl', '--simulator', 'icarus', '--json', '--out', out], { WAVES: '1' });
      expect(r.exitCode, r.stderr).toBe(0);
      // The harness's "writing waveform" line went to stderr with the rest: stdout is the JSON.
      const result = JSON.parse(r.stdout) as { waves?: string; matched: boolean };
      expect(result).toMatchObject({ waves: 'waves.fst', matched: true });
      expect(r.stderr).toContain('writing waveform to');
      expect((await stat(path.join(out, 'waves.fst'))).size).toBeGreaterThan(1000);
      const manifest = JSON.parse(await readFile(path.join(out, '.eyeriss-run.json'), 'utf8')) as { files: string[] };
      expect(manifest.files).toContain('waves.fst');
    });
  }, 300_000);
});
