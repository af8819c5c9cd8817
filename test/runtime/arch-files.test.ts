import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeLayer } from '../../golden/layers.js';
import { generateLayerData } from '../../golden/random.js';
import { chipParamsFromArch } from '../../generator/eyeriss/chip/index.js';
import { loadArch } from '../../runtime/arch-file.js';
import { buildProgram } from '../../runtime/rtl/program.js';

const dir = path.resolve(import.meta.dirname, '../../examples/archs');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

/** The architecture files docs/rtl.md runs ("Other chip sizes") stay valid and generate. */
describe('examples/archs', () => {
  it('holds every chip docs/rtl.md names', () => {
    const doc = readFileSync(path.resolve(dir, '../../docs/rtl.md'), 'utf8');
    const named = [...doc.matchAll(/`(clusters-[\w-]+)`/g)].map((m) => `${m[1]}.json`);
    expect(named.length).toBeGreaterThan(0);
    for (const n of named) expect(files, `docs/rtl.md names ${n}`).toContain(n);
  });
  for (const f of files) {
    it(`${f}: loads, gives chip parameters, and a layer programs onto it`, async () => {
      const arch = await loadArch(path.join(dir, f));
      expect(arch.name).toBe(f.replace(/\.json$/, ''));
      const p = chipParamsFromArch(arch);
      expect([p.rows, p.cols, p.noc.eastWest]).toEqual([arch.clusterRows, arch.clusterCols, arch.clusterCols > 2]);
      const l = makeLayer({ name: 'pw', type: 'pointwise', C: 32, M: 32, H: 8, W: 8 });
      const prog = buildProgram(l, generateLayerData(l, { iact: 0.6, weight: 0.5 }, 7), arch);
      expect(prog.clusters).toHaveLength(arch.clusterRows * arch.clusterCols);
    });
  }
});
