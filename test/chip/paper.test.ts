// The configuration users get: sparse MobileNet 0.5-128, every layer, on the paper chip's RTL
// (8x2 clusters of 3x4 PEs), each output bit-exact with the functional reference and each
// layer's RTL cycles and off-chip bytes those docs/rtl publishes, so the published table cannot go stale.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { namedArchs } from '../../spec/archs.js';
import { runNetwork } from '../../runtime/network.js';
import { repoRoot } from '../../tb/paths.js';
import { EyerissTop, chipParamsFromArch } from '../../generator/eyeriss/chip/index.js';
import { prebuild } from '../support/sim.js';

/** Layer name -> [RTL cycles, off-chip kB], from the per-layer table (layers.md) that `run --network mobilenet-0.5-128 --sparse --backend rtl` wrote. */
async function published(): Promise<Map<string, [number, string]>> {
  const md = await readFile(path.join(repoRoot, 'docs', 'rtl', 'mobilenet-0.5-128-sparse.md'), 'utf8');
  // The per-layer table is the first one; the off-chip table after it has rows with the same names.
  const all = md.split('\n');
  const start = all.findIndex((l) => l.startsWith('|'));
  const end = all.findIndex((l, i) => i > start && !l.startsWith('|'));
  const lines = all.slice(start, end < 0 ? undefined : end);
  const header = lines[0]!.split('|').map((c) => c.trim());
  const cycles = header.indexOf('rtl cycles');
  const kB = header.indexOf('off-chip kB');
  const rows = lines.filter((l) => /^\| L\d\d-/.test(l)).map((l) => l.split('|').map((c) => c.trim()));
  return new Map(rows.map((r) => [r[1]!, [Number(r[cycles]), r[kB]!]]));
}

describe('the paper chip RTL (8x2 clusters, hierarchical Verilator build)', () => {
  // The run's session takes the simulator from the build cache; test/chip/mesh-modes and iact-staging start it too.
  beforeAll(() => prebuild(EyerissTop, chipParamsFromArch(namedArchs.paper!)), 900_000);

  it('runs all 28 layers of sparse MobileNet 0.5-128 bit-exactly, in the cycles and with the off-chip bytes docs/rtl publishes', async () => {
    const table = await published();
    expect(table.size).toBe(28);
    const s = await runNetwork({
      source: { kind: 'benchmark', network: 'mobilenet-0.5-128', variant: 'sparse', seed: 1 },
      arch: namedArchs.paper!,
      backend: 'rtl',
    });
    expect(s.layers).toBe(28);
    expect(s.mismatched_layers).toEqual([]);
    // One layer of each type at least: the network has conv, depth-wise, point-wise and FC.
    expect(new Set(s.layer_results.map((r) => r.layer.type))).toEqual(new Set(['conv', 'depthwise', 'pointwise', 'fc']));
    const got = new Map(s.layer_results.map((r) => [r.layer.name, [r.cycles, (r.rtl_offchip_bytes!.total / 1e3).toFixed(1)]]));
    expect(got).toEqual(table);
  }, 1_800_000);
});
