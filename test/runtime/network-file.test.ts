import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeNpy } from '../../golden/npy.js';
import { LayerFileError } from '../../runtime/layer-file.js';
import { loadNetworkFile } from '../../runtime/network-file.js';
import { pwLayer, withTmp, writeJson } from './helpers.js';

/** The problems loadNetworkFile reports for this NETWORK.json body (the message names the file). */
async function problemsOf(body: unknown, setup?: (dir: string) => void): Promise<string[]> {
  return withTmp(async (dir) => {
    setup?.(dir);
    const file = await writeJson(path.join(dir, 'net.json'), body);
    const err = await loadNetworkFile(file).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(LayerFileError);
    expect((err as LayerFileError).message.startsWith(`${file}: `)).toBe(true);
    return (err as LayerFileError).problems;
  });
}

describe('NETWORK.json', () => {
  it('loads every layer in order; unnamed layers are L01, L02, ...; the network is named after the file by default', async () => {
    await withTmp(async (dir) => {
      const named = { ...pwLayer(), name: 'first' };
      const file = await writeJson(path.join(dir, 'my-net.json'), { layers: [named, pwLayer(), { ...pwLayer(), generate: { iactDensity: 1, weightDensity: 1, seed: 9 } }] });
      const net = await loadNetworkFile(file);
      expect(net.name).toBe('my-net');
      expect(net.layers.map((l) => l.layer.name)).toEqual(['first', 'L02', 'L03']);
      expect(net.layers[2]!.data.weights.every((w) => w !== 0)).toBe(true);
      expect(Array.from(net.layers[1]!.data.weights)).toEqual(Array.from(net.layers[0]!.data.weights));
    });
  });

  it('tensors come from .npy paths relative to the network file', async () => {
    await withTmp(async (dir) => {
      mkdirSync(path.join(dir, 'data'));
      writeNpy(path.join(dir, 'data', 'x.npy'), { dtype: 'uint8', shape: [1, 8, 5, 6], data: Int32Array.from({ length: 240 }, (_, i) => i % 7) });
      writeNpy(path.join(dir, 'data', 'w.npy'), { dtype: 'int8', shape: [12, 8, 1, 1], data: Int32Array.from({ length: 96 }, (_, i) => (i % 5) - 2) });
      const { generate: _, ...shapeOnly } = pwLayer();
      const file = await writeJson(path.join(dir, 'net.json'), { name: 'from-files', layers: [{ ...shapeOnly, iacts: 'data/x.npy', weights: 'data/w.npy' }] });
      const net = await loadNetworkFile(file);
      expect(net.name).toBe('from-files');
      expect(net.layers[0]!.data.iacts[8]).toBe(1);
      expect(net.layers[0]!.source).toEqual({ iacts: 'data/x.npy', weights: 'data/w.npy' });
    });
  });

  it('every problem of every layer is reported at once, each named by its place in the file', async () => {
    const bad = pwLayer();
    (bad['shape'] as Record<string, unknown>)['Cin'] = 3;
    const noData = pwLayer();
    delete noData['generate'];
    const problems = await problemsOf({ layers: [pwLayer(), bad, noData] });
    expect(problems).toEqual([
      'layers.1.shape.Cin: unknown field; fix: remove it or correct its spelling (allowed in layers.1.shape: N, C, M, H, W, R, S, stride, padding, groups)',
      'layers.2: the layer has no data; fix: add "iacts" and "weights" (.npy paths) or "generate": an object { "iactDensity": 0..1, "weightDensity": 0..1, "seed": integer 0..2^32-1 }',
    ]);
  });

  it('the file itself: unknown fields, no layers, an empty list, duplicate names, a missing tensor', async () => {
    expect(await problemsOf({ layers: [pwLayer()], layer: [] })).toEqual([
      'layer: unknown field; fix: remove it or correct its spelling (allowed at the top level: name, layers)',
    ]);
    expect(await problemsOf({ name: 'x' })).toEqual([
      'layers: missing; fix: add it: a non-empty array of layer objects, each with the fields of a LAYER.json (docs/run.md)',
    ]);
    const [empty] = await problemsOf({ layers: [] });
    expect(empty).toMatch(/^layers: .*; fix: set it to a non-empty array of layer objects/);
    expect(await problemsOf({ layers: [{ ...pwLayer(), name: 'a' }, pwLayer(), { ...pwLayer(), name: 'a' }] })).toEqual([
      "layers.2.name: 'a' is also the name of layers.0; fix: give every layer its own name (results are reported by name)",
    ]);
    const { generate: _, ...shapeOnly } = pwLayer();
    const [missing] = await problemsOf({ layers: [{ ...shapeOnly, iacts: 'x.npy', weights: 'w.npy' }] });
    expect(missing).toMatch(/^layers\.0\.iacts: \/.*\/x\.npy does not exist; fix: give the path relative to the folder of this JSON file$/);
    const [notObject] = await problemsOf([pwLayer()]);
    expect(notObject).toMatch(/^\(top level\): .*; fix: set it to a JSON object \{ "name", "layers" \}$/);
  });
});
