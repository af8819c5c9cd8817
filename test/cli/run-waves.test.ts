// WAVES=1 on the rtl backend: the run's waveform is one of its outputs, under --out, named in
// result.json (not under the repository's waves/). Icarus Verilog: its build takes seconds,
// where Verilator would build a traced chip for minutes.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../tb/paths.js';
import { withTmp } from '../runtime/helpers.js';

describe('run --backend rtl with WAVES=1', () => {
  it('writes DIR/waves.fst and names it in result.json and the manifest', async () => {
    await withTmp(async (dir) => {
      const layer = path.join(repoRoot, 'examples', 'layers', 'pw-small.json');
      const args = ['run', '--layer', layer, '--arch', 'small', '--backend', 'rtl', '--simulator', 'icarus', '--json', '--out', dir];
      const r = await execa(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'eyeriss.ts'), ...args], {
        cwd: repoRoot,
        env: { WAVES: '1' },
        reject: false,
      });
      expect(r.exitCode, r.stderr).toBe(0);
      // The harness's "writing waveform" line went to stderr with the rest: stdout is the JSON.
      const result = JSON.parse(r.stdout) as { waves?: string; matched: boolean };
      expect(result).toMatchObject({ waves: 'waves.fst', matched: true });
      expect(r.stderr).toContain('writing waveform to');
      expect((await stat(path.join(dir, 'waves.fst'))).size).toBeGreaterThan(1000);
      const manifest = JSON.parse(await readFile(path.join(dir, '.eyeriss-run.json'), 'utf8')) as { files: string[] };
      expect(manifest.files).toContain('waves.fst');
    });
  }, 300_000);
});
