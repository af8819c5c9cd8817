import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeNpy, encodeNpy, readNpy, writeNpy } from '../../golden/npy.js';

describe('.npy', () => {
  it('round-trips int32 / uint8 / int8 through a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    const cases = [
      { dtype: 'int32' as const, shape: [1, 2, 2, 3], data: Int32Array.from({ length: 12 }, (_, i) => (i - 6) * 100_000) },
      { dtype: 'uint8' as const, shape: [2, 3], data: Uint8Array.from([0, 1, 127, 128, 254, 255]) },
      { dtype: 'int8' as const, shape: [3], data: Int8Array.from([-128, 0, 127]) },
    ];
    for (const c of cases) {
      const path = join(dir, `${c.dtype}.npy`);
      writeNpy(path, c);
      const back = readNpy(path);
      expect(back.dtype).toBe(c.dtype);
      expect(back.shape).toEqual(c.shape);
      expect(Array.from(back.data)).toEqual(Array.from(c.data));
    }
  });

  it('writes the dtype it names whatever array holds the values; a value the dtype cannot hold is an error', () => {
    // Layer tensors live in Int32Arrays: written as uint8 they must take one byte each.
    const bytes = encodeNpy({ dtype: 'uint8', shape: [3], data: Int32Array.from([0, 200, 255]) });
    const back = decodeNpy(bytes);
    expect(back.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.data)).toEqual([0, 200, 255]);
    expect(() => encodeNpy({ dtype: 'int8', shape: [2], data: Int32Array.from([5, 128]) })).toThrow('npy: element 1 is 128, outside int8 (-128..127)');
    expect(() => encodeNpy({ dtype: 'uint8', shape: [1], data: Int32Array.from([-1]) })).toThrow(/outside uint8/);
  });

  it('writes the header numpy writes (v1.0, 64-byte aligned)', () => {
    const bytes = encodeNpy({ dtype: 'int8', shape: [2, 1], data: Int8Array.from([1, -1]) });
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + (bytes[8]! | (bytes[9]! << 8))));
    expect(header).toMatch(/^\{'descr': '\|i1', 'fortran_order': False, 'shape': \(2, 1\), \} *\n$/);
    expect((10 + header.length) % 64).toBe(0);
    expect(Array.from(bytes.subarray(bytes.length - 2))).toEqual([1, 255]);
  });

  it('reads a file as numpy.save writes it (1-D shape, float32 read, float64 rejected with the fix)', () => {
    const hdr = "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }";
    const pad = ' '.repeat(64 - ((10 + hdr.length + 1) % 64));
    const text = hdr + pad + '\n';
    const bytes = new Uint8Array(10 + text.length + 12);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length & 0xff, text.length >> 8]);
    bytes.set(new TextEncoder().encode(text), 10);
    new DataView(bytes.buffer).setInt32(10 + text.length + 4, -7, true);
    expect(Array.from(decodeNpy(bytes).data)).toEqual([0, -7, 0]);
    const f = new TextEncoder().encode(text.replace('<i4', '<f4'));
    const fb = new Uint8Array(bytes.length);
    fb.set(bytes);
    fb.set(f, 10);
    new DataView(fb.buffer).setFloat32(10 + text.length + 4, 2.5, true);
    new DataView(fb.buffer).setFloat32(10 + text.length + 8, 1.5, true);
    expect(decodeNpy(fb, 'x.npy')).toMatchObject({ dtype: 'float32', shape: [3] });
    expect(Array.from(decodeNpy(fb, 'x.npy').data)).toEqual([0, 2.5, 1.5]);
    const d = new TextEncoder().encode(text.replace('<i4', '<f8'));
    fb.set(d, 10);
    expect(() => decodeNpy(fb, 'x.npy')).toThrow(/x\.npy: dtype '<f8' is not supported; save as int32/);
    expect(() => decodeNpy(new Uint8Array(4), 'y.npy')).toThrow(/y\.npy: not a \.npy file/);
    expect(() => encodeNpy({ dtype: 'int8', shape: [3], data: new Int8Array(2) })).toThrow(/holds 3 elements but data has 2/);
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
});
