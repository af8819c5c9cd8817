import { describe, expect, it } from 'vitest';
import { paperArch, parseArch } from '../../golden/arch.js';
import { encodeIactFlat } from '../../golden/csc.js';
import { makeLayer } from '../../golden/layers.js';
import { MappingError, mapLayer } from '../../golden/mapper.js';
import { decodeNpy, encodeNpy } from '../../golden/npy.js';
import { runArchitectural } from '../../golden/archpath.js';
import { generateLayerData } from '../../golden/random.js';

describe('limits and malformed input found in review', () => {
  it('a layer whose psums cannot wait in the GLB between reduction passes is unmappable, naming the limit', () => {
    // One cluster row: a stack cannot borrow psum banks from clusters below it.
    const tiny = parseArch({ ...paperArch, name: 'tiny-glb', clusterRows: 1, glb: { ...paperArch.glb, psumBankBytes: 1 } });
    const l = makeLayer({ name: 'deep', type: 'pointwise', C: 2000, M: 32, H: 4, W: 4 });
    let err: unknown;
    try {
      mapLayer(l, { arch: tiny });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MappingError);
    expect((err as MappingError).limit).toBe('glb.psumBankBytes');
    expect(() => mapLayer(l)).not.toThrow();
  });

  it('iact DRAM bytes count every input row once even when padding exceeds the filter', () => {
    const base = { type: 'conv' as const, N: 1, C: 4, M: 8, H: 6, W: 6, R: 1, S: 1 };
    const data = (p: number) => generateLayerData(makeLayer({ ...base, name: `p${p}`, padding: p }), { iact: 1, weight: 1 }, 3);
    const bytes = (p: number) =>
      runArchitectural(makeLayer({ ...base, name: `p${p}`, padding: p }), data(p), { mode: 'timing' }).counts.dramIactBytes;
    // Padding adds only zero rows: the real input is the same, so at least as many bytes are fetched.
    expect(bytes(3)).toBeGreaterThanOrEqual(bytes(0));
  });

  it('.npy files that are truncated or have negative dimensions are rejected by name', () => {
    const good = encodeNpy({ dtype: 'int8', shape: [2, 3], data: new Int32Array(6) });
    expect(() => decodeNpy(good.subarray(0, 11), 'x.npy')).toThrow(/x\.npy: truncated \.npy file/);
    const v2 = new Uint8Array(12);
    v2.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
    new DataView(v2.buffer).setUint32(8, 1000, true);
    expect(() => decodeNpy(v2, 'y.npy')).toThrow(/y\.npy: truncated \.npy file \(header runs past the end\)/);
    // Same header length: '(2, 3)' -> '(-1,3)'.
    const neg = good.slice();
    const at = Buffer.from(neg).indexOf('(2, 3)');
    neg.set(new TextEncoder().encode('(-1,3)'), at);
    expect(() => decodeNpy(neg, 'z.npy')).toThrow(/z\.npy: shape \(-1,3\) must list non-negative integers/);
  });

  it('an iact stream that is not a whole number of segments is an error that says so', () => {
    expect(() => encodeIactFlat([1, 2, 3, 4, 5], 2, false)).toThrow(/5 iact values do not split into segments of 2/);
  });
});
