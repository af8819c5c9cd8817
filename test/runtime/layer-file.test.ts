import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { paperArch } from '../../spec/arch.js';
import { writeNpy } from '../../golden/npy.js';
import { LayerFileError } from '../../runtime/layer-file.js';
import { loadLayer } from '../../runtime/load-layer.js';
import { runLayer, UnmappableLayerError } from '../../runtime/run-layer.js';
import { pwLayer, withTmp, writeJson } from './helpers.js';
import { GoldenBackend } from '../../runtime/golden-backend.js';

/** The LayerFileError loadLayer throws for this file body. */
async function problemsOf(body: unknown, setup?: (dir: string) => void): Promise<LayerFileError> {
  return withTmp(async (dir) => {
    setup?.(dir);
    const file = await writeJson(path.join(dir, 'LAYER.json'), body);
    const err = await loadLayer(file).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LayerFileError);
    const e = err as LayerFileError;
    expect(e.file).toBe(file);
    expect(e.message.startsWith(`${file}: `)).toBe(true);
    return e;
  });
}

describe('LAYER.json schema', () => {
  it('a valid generated-data file loads with the defaults filled in', async () => {
    await withTmp(async (dir) => {
      const loaded = await loadLayer(await writeJson(path.join(dir, 'pw8.json'), pwLayer()));
      expect(loaded.layer).toMatchObject({ name: 'pw8', type: 'pointwise', N: 1, C: 8, M: 12, iactSigned: false });
      expect(loaded.data.iacts.length).toBe(8 * 5 * 6);
      expect(loaded.data.weights.length).toBe(12 * 8);
      expect(loaded.requant).toBeNull();
      // Same seed, same tensors: a layer file describes one exact run.
      const again = await loadLayer(path.join(dir, 'pw8.json'));
      expect(Array.from(again.data.weights)).toEqual(Array.from(loaded.data.weights));
    });
  });

  it('unknown fields, at the top level and nested, are named with the allowed ones', async () => {
    const body = pwLayer();
    body['colour'] = 'red';
    (body['shape'] as Record<string, unknown>)['dilation'] = 2;
    const e = await problemsOf(body);
    expect(e.problems).toEqual([
      'shape.dilation: unknown field; fix: remove it or correct its spelling (allowed in shape: N, C, M, H, W, R, S, stride, padding, groups)',
      'colour: unknown field; fix: remove it or correct its spelling (allowed at the top level: name, type, shape, iactSigned, requant, iacts, weights, generate)',
    ]);
  });

  it('a missing field says what to add', async () => {
    const body = pwLayer();
    delete (body['shape'] as Record<string, unknown>)['M'];
    const e = await problemsOf(body);
    expect(e.problems).toEqual(['shape.M: missing; fix: add it: a positive integer, the output channels of all groups']);
  });

  it('a value of the wrong type or range says what it must be', async () => {
    const body = pwLayer();
    (body['shape'] as Record<string, unknown>)['H'] = '5';
    body['type'] = 'convolution';
    (body['generate'] as Record<string, unknown>)['iactDensity'] = 1.5;
    const e = await problemsOf(body);
    expect(e.problems).toHaveLength(3);
    expect(e.problems[0]).toMatch(/^type: .*expected one of .*; fix: set it to one of "conv", "depthwise", "pointwise", "fc"$/);
    expect(e.problems[1]).toMatch(/^shape\.H: .*expected number, received string; fix: set it to a positive integer, the input height$/);
    expect(e.problems[2]).toMatch(/^generate\.iactDensity: .*<=1; fix: set it to a number in 0\.\.1/);
    expect(e.message).toMatch(/LAYER\.json: 3 problems\n {2}type: /);
  });

  it('requant multipliers: one per output channel, each 16 bits at most; shifts past 19 only with them', async () => {
    await withTmp(async (dir) => {
      const multipliers = Array.from({ length: 12 }, (_, m) => m + 1);
      const loaded = await loadLayer(await writeJson(path.join(dir, 'pw8.json'), { ...pwLayer(), requant: { shift: 25, multipliers } }));
      expect(loaded.requant).toEqual({ shift: 25, activation: 'relu', multipliers });
    });
    const e = await problemsOf({ ...pwLayer(), requant: { shift: 20, multipliers: [1, 2, 65536] } });
    expect(e.problems).toHaveLength(2);
    expect(e.problems[0]).toMatch(/^requant\.multipliers\.2: .*<=65535; fix: set it to an array of shape\.M integers 0\.\.65535/);
    expect(e.problems[1]).toBe("requant.multipliers: has 3 entries for the layer's 12 output channels (shape.M); fix: give one multiplier per output channel");
    const deep = await problemsOf({ ...pwLayer(), requant: { shift: 20 } });
    expect(deep.problems).toEqual(['requant.shift: 20 passes the psum\'s 20 bits; fix: use 0..19, or 0..31 with "multipliers"']);
  });

  it('data comes from exactly one source', async () => {
    const both = { ...pwLayer(), iacts: 'i.npy', weights: 'w.npy' };
    expect((await problemsOf(both)).problems).toEqual([
      'generate: the layer gives both .npy files (iacts/weights) and generate; fix: keep either "iacts" + "weights" or "generate", not both',
    ]);
    const { generate: _g, ...none } = pwLayer();
    expect((await problemsOf(none)).problems[0]).toMatch(/^\(top level\): the layer has no data; fix: add "iacts" and "weights" \(\.npy paths\) or "generate"/);
    expect((await problemsOf({ ...none, iacts: 'i.npy' })).problems).toEqual([
      'weights: missing; fix: add it: the path, relative to the folder of this JSON file, of a .npy file of int8 MCRS weights (C/groups channels)',
    ]);
    // "previous" iacts are the layer before's outputs: a lone layer file has none.
    const chained = { ...none, iacts: 'previous', generate: { weightDensity: 1, seed: 1 } };
    expect((await problemsOf(chained)).problems).toEqual([
      'iacts: "previous" takes the 8-bit outputs of the layer before, and a layer file has no layer before; fix: give a .npy path or "generate", or put the layer in a network file (docs/run.md)',
    ]);
  });

  it('a shape inconsistent with its type is reported by the golden layer check', async () => {
    const body = pwLayer();
    (body['shape'] as Record<string, unknown>)['R'] = 3;
    const e = await problemsOf(body);
    expect(e.message).toMatch(
      /: shape: layer 'LAYER' \(pointwise\): point-wise needs R = S = 1 \(got 3x1\); fix: make "shape" consistent with type "pointwise"/,
    );
  });

  it('not JSON at all', async () => {
    await withTmp(async (dir) => {
      const file = path.join(dir, 'x.json');
      writeFileSync(file, '{"type": ');
      await expect(loadLayer(file)).rejects.toThrow(new RegExp(`^${file}: not valid JSON .*; fix: correct the syntax`));
    });
  });
});

describe('LAYER.json tensors (.npy)', () => {
  const npyBody = { ...pwLayer(), generate: undefined, iacts: 'data/iacts.npy', weights: 'data/weights.npy' };
  const goodIacts = { dtype: 'uint8' as const, shape: [1, 8, 5, 6], data: new Uint8Array(240) };
  const goodWeights = { dtype: 'int8' as const, shape: [12, 8, 1, 1], data: new Int8Array(96) };
  const write = (dir: string, iacts: Parameters<typeof writeNpy>[1], weights: Parameters<typeof writeNpy>[1]): void => {
    // Paths are relative to the layer file, so the tensors live in a sub-folder here.
    mkdirSync(path.join(dir, 'data'), { recursive: true });
    writeNpy(path.join(dir, 'data', 'iacts.npy'), iacts);
    writeNpy(path.join(dir, 'data', 'weights.npy'), weights);
  };

  it('a tensor whose shape does not match the layer names layout, both shapes and the fix', async () => {
    const e = await problemsOf(npyBody, (d) => write(d, { ...goodIacts, shape: [1, 8, 6, 5] }, goodWeights));
    expect(e.problems).toEqual([
      'iacts: shape is [1, 8, 6, 5], the layer needs NCHW = [1, 8, 5, 6]; fix: correct "shape" in the layer file or save the tensor as NCHW',
    ]);
    const w = await problemsOf(npyBody, (d) => write(d, goodIacts, { ...goodWeights, shape: [12, 8] }));
    expect(w.problems).toEqual([
      'weights: shape is [12, 8], the layer needs MCRS (C/groups channels) = [12, 8, 1, 1]; fix: correct "shape" in the layer file or save the tensor as MCRS (C/groups channels)',
    ]);
  });

  it('wrong dtypes name the expected dtype and the fix', async () => {
    const i32 = await problemsOf(npyBody, (d) => write(d, { dtype: 'int32', shape: [1, 8, 5, 6], data: new Int32Array(240) }, goodWeights));
    expect(i32.problems).toEqual([
      'iacts: dtype is int32, the layer needs uint8; fix: save it with arr.astype(np.uint8), or set "iactSigned": true for int8 iacts',
    ]);
    const signed = await problemsOf({ ...npyBody, iactSigned: true }, (d) => write(d, goodIacts, goodWeights));
    expect(signed.problems).toEqual([
      'iacts: dtype is uint8, the layer needs int8; fix: save it with arr.astype(np.int8), or set "iactSigned": false for uint8 iacts',
    ]);
    const w = await problemsOf(npyBody, (d) => write(d, goodIacts, { dtype: 'uint8', shape: [12, 8, 1, 1], data: new Uint8Array(96) }));
    expect(w.problems).toEqual(['weights: dtype is uint8, the layer needs int8; fix: save it with arr.astype(np.int8)']);
  });

  it('a missing tensor file says paths are relative to the layer file', async () => {
    const e = await problemsOf(npyBody);
    expect(e.problems[0]).toMatch(/^iacts: \/.*\/data\/iacts\.npy does not exist; fix: give the path relative to the folder of this JSON file$/);
  });
});

describe('unmappable layers', () => {
  it('report the mapper limit against the architecture, with the fix', async () => {
    await withTmp(async (dir) => {
      const file = await writeJson(path.join(dir, 'wide.json'), {
        type: 'conv',
        shape: { C: 1, M: 2, H: 3, W: 20, R: 1, S: 17, stride: 1, padding: 0, groups: 1 },
        generate: { iactDensity: 1, weightDensity: 1, seed: 1 },
      });
      const { layer, data } = await loadLayer(file);
      const err = await runLayer(layer, data, paperArch, new GoldenBackend()).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UnmappableLayerError);
      expect((err as UnmappableLayerError).limit).toBe('spads.weightAddr.depth');
      expect((err as Error).message).toBe(
        "architecture 'paper': cannot map layer 'wide': filter width S=17 needs 17 weight columns even with C0=1, the weight address SPad has 16 (limit: spads.weightAddr.depth); fix: change the layer, or use an --arch ARCH.json with a larger spads.weightAddr.depth",
      );
    });
  });
});
