// Input fuzzing (issue 24): whatever a LAYER, NETWORK or ARCH file or a .npy holds, the reader
// gives a result or an Error with a message: never a TypeError or RangeError from deep inside,
// never a stack trace as the message, never a hang (a file read taking over 10 s fails the property).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, NpyDtypeError } from '../../golden/npy.js';
import { namedArchs } from '../../spec/archs.js';
import { chipParamsFromArch } from '../../generator/eyeriss/chip/index.js';
import { loadArch } from '../../runtime/arch-file.js';
import { loadLayer } from '../../runtime/load-layer.js';
import { loadNetworkFile } from '../../runtime/network-file.js';
import { pwLayer } from './helpers.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'eyeriss-fuzz-'));
  await writeFile(path.join(dir, 'w.npy'), encodeNpy({ dtype: 'int8', shape: [12, 8, 1, 1], data: new Int8Array(96) }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** An error a user can read: one of ours (plain Error or a named subclass), with a message and no stack lines. */
function readable(e: unknown): void {
  expect(e).toBeInstanceOf(Error);
  const err = e as Error;
  expect(
    [TypeError, RangeError, SyntaxError, ReferenceError].some((c) => err.constructor === c),
    `${err.name}: ${err.message}`,
  ).toBe(false);
  expect(err.message.length).toBeGreaterThan(0);
  expect(err.message).not.toMatch(/\n\s+at .*:\d+:\d+/);
}

/** Values that break schemas: wrong types, edges, huge numbers, paths out of the folder. */
const nasty = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 40 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 6 }),
  fc.constantFrom(1e300, 2 ** 53, 2 ** 32, 0.5, -0.5, 'previous', 'x.npy', '../w.npy', '/etc/passwd.npy', 'w.npy', ''),
  fc.array(fc.integer({ min: -2, max: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 9 }), { maxKeys: 2 }),
);

/** Every path into a JSON value (objects and arrays), the root excluded. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, c]) => {
    const p = [...at, Array.isArray(v) ? Number(k) : k];
    return [p, ...paths(c, p)];
  });
}

/** `base` with 1-3 of its values (or new fields) replaced by nasty ones; undefined removes the field. */
const mutated = (base: unknown): fc.Arbitrary<unknown> =>
  fc.array(fc.tuple(fc.nat(), nasty, fc.boolean()), { minLength: 1, maxLength: 3 }).map((edits) => {
    const v = structuredClone(base) as Record<string | number, unknown>;
    for (const [i, value, addField] of edits) {
      const all = paths(v);
      if (all.length === 0) break;
      const p = all[i % all.length]!;
      let parent = v;
      for (const k of p.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
      const key = addField && typeof parent === 'object' && !Array.isArray(parent) ? 'extra' : p[p.length - 1]!;
      if (value === undefined) delete parent[key];
      else parent[key] = value;
    }
    return v;
  });

/** Raw file text: arbitrary text, JSON of anything, or a BOM before JSON. */
const text = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.jsonValue({ maxDepth: 3 }).map((j) => JSON.stringify(j)),
    valid.map((j) => JSON.stringify(j) ?? ''),
    valid.map((j) => `\uFEFF${JSON.stringify(j) ?? ''}`),
    valid.map((j) => (JSON.stringify(j) ?? '').slice(0, -1)),
  );

/** Writes `content` to a fresh file in the fuzz folder and gives `read` its path. */
async function readsCleanly(content: string, read: (file: string) => Promise<unknown>): Promise<void> {
  const file = path.join(dir, `in-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, content);
  try {
    await read(file);
  } catch (e) {
    readable(e);
  } finally {
    await rm(file, { force: true });
  }
}

const layer = { ...pwLayer(), requant: { shift: 4 } };
const network = {
  name: 'n',
  layers: [layer, { ...pwLayer(), shape: { C: 12, M: 8, H: 5, W: 6, R: 1, S: 1, stride: 1, padding: 0, groups: 1 }, iacts: 'previous', weights: 'w.npy' }],
};
const arch = namedArchs.small!;

describe('input fuzzing', () => {
  it('LAYER.json: any content loads or is an error naming the problem', async () => {
    await fc.assert(
      fc.asyncProperty(text(mutated(layer)), (t) => readsCleanly(t, loadLayer)),
      { numRuns: 300, timeout: 10_000 },
    );
  });

  it('NETWORK.json: any content loads or is an error naming the problem', async () => {
    await fc.assert(
      fc.asyncProperty(text(mutated(network)), (t) => readsCleanly(t, loadNetworkFile)),
      { numRuns: 300, timeout: 10_000 },
    );
  });

  it('ARCH.json: any content loads or is an error naming the problem', async () => {
    await fc.assert(
      fc.asyncProperty(text(mutated(arch)), (t) => readsCleanly(t, loadArch)),
      { numRuns: 300, timeout: 10_000 },
    );
  });

  it('the golden backend and the generator share the arch rules: an arch file that loads with simd 2 gives chip parameters', async () => {
    // Biased towards archs that pass (psum banks = PE columns, bank sizes in whole words) so
    // the property sees many accepted ones, with every rule sometimes broken.
    const often = <T>(good: fc.Arbitrary<T>, any: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.oneof({ arbitrary: good, weight: 4 }, { arbitrary: any, weight: 1 });
    const sizes = fc.record({
      clusterRows: fc.integer({ min: 1, max: 20 }),
      clusterCols: fc.integer({ min: 1, max: 20 }),
      peRows: fc.integer({ min: 1, max: 9 }),
      peCols: fc.integer({ min: 1, max: 9 }),
      iactAddrWidth: fc.integer({ min: 1, max: 8 }),
      iactAddrDepth: fc.integer({ min: 1, max: 40 }),
      weightAddr: fc.record({ depth: fc.integer({ min: 1, max: 40 }), width: fc.integer({ min: 1, max: 26 }) }),
      weightDataDepth: fc.integer({ min: 1, max: 300 }),
      psumDepth: fc.integer({ min: 1, max: 64 }),
      iactBanks: fc.integer({ min: 1, max: 18 }),
      psumBanksAsCols: often(fc.constant(true), fc.constant(false)),
      psumBanks: fc.integer({ min: 1, max: 9 }),
      // 240 bits hold a whole number of words of every psum port below.
      iactBankBytes: often(
        fc.integer({ min: 1, max: 1300 }).map((k) => 3 * k),
        fc.integer({ min: 1, max: 4000 }),
      ),
      psumBankBytes: often(
        fc.integer({ min: 1, max: 130 }).map((k) => 30 * k),
        fc.integer({ min: 1, max: 4000 }),
      ),
      ports: fc.record({
        iactPortBits: often(fc.constant(24), fc.constantFrom(12, 48)),
        weightPortBits: often(fc.constant(24), fc.constantFrom(12, 36)),
        psumPortBits: often(fc.constantFrom(20, 40, 60, 80), fc.constantFrom(30, 50)),
      }),
    });
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(sizes, async (s) => {
        const candidate = {
          ...arch,
          name: 'fuzz',
          clusterRows: s.clusterRows,
          clusterCols: s.clusterCols,
          peRows: s.peRows,
          peCols: s.peCols,
          spads: {
            iactAddr: { depth: s.iactAddrDepth, width: s.iactAddrWidth },
            iactData: { depth: 2 ** s.iactAddrWidth, width: 12 },
            weightAddr: s.weightAddr,
            weightData: { depth: s.weightDataDepth, width: 24 },
            psum: { depth: s.psumDepth, width: 20 },
          },
          glb: {
            iactBanks: s.iactBanks,
            iactBankBytes: s.iactBankBytes,
            psumBanks: s.psumBanksAsCols ? s.peCols : s.psumBanks,
            psumBankBytes: s.psumBankBytes,
          },
          noc: s.ports,
        };
        const file = path.join(dir, 'fuzz.json');
        await writeFile(file, JSON.stringify(candidate));
        let loaded;
        try {
          loaded = await loadArch(file);
        } catch (e) {
          readable(e);
          return;
        }
        accepted++;
        expect(() => chipParamsFromArch(loaded)).not.toThrow();
      }),
      { numRuns: 400 },
    );
    // About 12 % of these archs load (476 of 4,000 measured), so 400 runs accept about 48 with a
    // standard deviation near 6.5; 15 is five deviations below, so this fails only when the bias
    // above is broken, not by an unlucky seed.
    expect(accepted).toBeGreaterThan(15);
  });

  it('.npy: any bytes, and valid files with flipped, cut or rewritten bytes, decode or are an error naming the problem', () => {
    const valid = fc
      .record({
        dtype: fc.constantFrom('int32', 'uint8', 'int8' as const),
        shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }),
      })
      .map(({ dtype, shape }) => encodeNpy({ dtype, shape, data: new Int32Array(shape.reduce((p, d) => p * d, 1)) }));
    const damaged = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.tuple(valid, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })).map(([b, flips]) => {
        const out = b.slice();
        for (const [i, v] of flips) out[i % out.length] = v;
        return out;
      }),
      fc.tuple(valid, fc.nat()).map(([b, n]) => b.slice(0, n % (b.length + 1))),
      fc
        .tuple(valid, fc.string({ unit: 'binary-ascii', maxLength: 30 }), fc.constantFrom("'descr'", "'shape'", "'fortran_order'", '<i4', '|u1', '(', ')', ','))
        .map(([b, s, target]) => {
          const t = Buffer.from(b).toString('latin1');
          return new Uint8Array(Buffer.from(t.replace(target, s), 'latin1'));
        }),
    );
    fc.assert(
      fc.property(damaged, (bytes) => {
        try {
          const a = decodeNpy(bytes, 'x.npy');
          expect(a.data.length).toBe(a.shape.reduce((p, d) => p * d, 1));
        } catch (e) {
          readable(e);
          expect(e instanceof NpyDtypeError || (e as Error).constructor === Error).toBe(true);
          expect((e as Error).message).toMatch(/^x\.npy: /);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
