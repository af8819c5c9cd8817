import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeNpy } from '../../golden/npy.js';
import { LayerFileError } from '../../runtime/layer-file.js';
import { loadNetworkFile } from '../../runtime/network-file.js';
import { generateWeights } from '../../golden/random.js';
import { pwLayer, withTmp, writeJson } from './helpers.js';

/** The problems loadNetworkFile reports for this NETWORK.json body (the message names the file). */
async function problemsOf(body: unknown, setup?: (dir: string) => void): Promise<string[]> {
  return withTmp(async (dir) => {
    setup?.(dir);
    const file = await writeJson(path.join(dir, 'net.json'), body);
    const err = await loadNetworkFile(file).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LayerFileError);
    expect((err as LayerFileError).message.startsWith(`${file}: `)).toBe(true);
    return (err as LayerFileError).problems;
  });
}

describe('NETWORK.json', () => {
  it('loads every layer in order; unnamed layers are L01, L02, ...; the network is named after the file by default', async () => {
    await withTmp(async (dir) => {
      const named = { ...pwLayer(), name: 'first' };
      const file = await writeJson(path.join(dir, 'my-net.json'), {
        layers: [named, pwLayer(), { ...pwLayer(), generate: { iactDensity: 1, weightDensity: 1, seed: 9 } }],
      });
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

  it('"iacts": "previous" chains a layer to the 8-bit outputs of the one before; its weights come from their own source', async () => {
    await withTmp(async (dir) => {
      const first = { ...pwLayer(), requant: { shift: 6 } };
      const second = {
        type: 'pointwise',
        shape: { C: 12, M: 4, H: 5, W: 6, R: 1, S: 1, stride: 1, padding: 0, groups: 1 },
        iacts: 'previous',
        generate: { weightDensity: 0.5, seed: 7 },
      };
      const net = await loadNetworkFile(await writeJson(path.join(dir, 'net.json'), { layers: [first, second] }));
      expect(net.layers.map((l) => l.chained)).toEqual([false, true]);
      expect(net.layers[1]!.data.iacts.length).toBe(0);
      expect(Array.from(net.layers[1]!.data.weights)).toEqual(Array.from(generateWeights(net.layers[1]!.layer, 0.5, 7)));
      expect(net.layers[1]!.source).toEqual({ iacts: 'previous', weightDensity: 0.5, seed: 7 });
    });
  });

  it('a chain that cannot work is named: first layer, no requant before, shapes, signed iacts, iact density, no weights', async () => {
    const chained = (shape: Record<string, number>, extra: Record<string, unknown> = {}) => ({
      type: 'pointwise',
      shape: { H: 5, W: 6, R: 1, S: 1, stride: 1, padding: 0, groups: 1, ...shape },
      iacts: 'previous',
      generate: { weightDensity: 1, seed: 1 },
      ...extra,
    });
    expect(await problemsOf({ layers: [chained({ C: 8, M: 4 })] })).toEqual([
      'layers.0.iacts: "previous" in the first layer, which has no layer before; fix: give the first layer its own iacts (.npy or generate)',
    ]);
    expect(await problemsOf({ layers: [pwLayer(), chained({ C: 12, M: 4 })] })).toEqual([
      'layers.1.iacts: "previous" needs the 8-bit outputs of layers.0, which has no "requant"; fix: add "requant": { "shift": ... } to layers.0',
    ]);
    const withRequant = { ...pwLayer(), requant: { shift: 4 } };
    expect(await problemsOf({ layers: [withRequant, chained({ C: 10, M: 4 }, { iactSigned: true })] })).toEqual([
      'layers.1.iacts: "previous" gives uint8 iacts (ReLU outputs) but the layer has "iactSigned": true; fix: remove "iactSigned"',
      'layers.1.iacts: layers.0 outputs NCHW [1, 12, 5, 6], this layer takes [1, 10, 5, 6]; fix: make "shape" N, C, H, W match the layer before (the chip has no pooling: give this layer its own iacts if the network pools in between)',
    ]);
    expect(await problemsOf({ layers: [withRequant, chained({ C: 12, M: 4 }, { generate: { iactDensity: 0.5, weightDensity: 1, seed: 1 } })] })).toEqual([
      'layers.1.generate.iactDensity: the iacts are "previous" (the outputs of the layer before); fix: remove it, or give the layer its own iacts instead of "previous"',
    ]);
    const { generate: _, ...noWeights } = chained({ C: 12, M: 4 });
    expect(await problemsOf({ layers: [withRequant, noWeights] })).toEqual([
      'layers.1: the layer has no weights; fix: add "weights" (a .npy path) or "generate": { "weightDensity": 0..1, "seed": integer 0..2^32-1 }',
    ]);
    const { iactDensity: __, ...weightsOnly } = pwLayer()['generate'] as Record<string, number>;
    expect(await problemsOf({ layers: [{ ...pwLayer(), generate: weightsOnly }] })).toEqual([
      'layers.0.generate.iactDensity: missing; fix: add it: a number in 0..1, the fraction of non-zero iacts (leave it out when the iacts are "previous")',
    ]);
  });
});
