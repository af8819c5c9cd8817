// NumPy .npy (format 1.0/2.0/3.0) for the three dtypes the chip uses, and float32 for the float
// tensors of ONNX networks (inputs, dequantized outputs). C order only: that is what
// numpy.save and torch.Tensor.numpy() write by default, and what NCHW / MCRS mean here.
import { readFileSync, writeFileSync } from 'node:fs';

export type NpyDtype = 'int32' | 'uint8' | 'int8' | 'float32';
export type NpyData = Int32Array | Uint8Array | Int8Array | Float32Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData;
}

const DESCR: Record<NpyDtype, string> = { int32: '<i4', uint8: '|u1', int8: '|i1', float32: '<f4' };
const FROM_DESCR: Record<string, NpyDtype> = {
  '<i4': 'int32',
  '|i4': 'int32',
  '|u1': 'uint8',
  '<u1': 'uint8',
  '|i1': 'int8',
  '<i1': 'int8',
  '<f4': 'float32',
};
const RANGE: Record<Exclude<NpyDtype, 'float32'>, [number, number]> = { int32: [-(2 ** 31), 2 ** 31 - 1], uint8: [0, 255], int8: [-128, 127] };
const TYPED = { int32: Int32Array, uint8: Uint8Array, int8: Int8Array, float32: Float32Array } as const;
const ITEM_BYTES: Record<NpyDtype, number> = { int32: 4, uint8: 1, int8: 1, float32: 4 };

/**
 * The data as the typed array of `dtype`: callers may hold, say, uint8 values in an Int32Array.
 * A value the dtype cannot hold is an error, never a silent wrap.
 */
function dataAs(a: NpyArray): NpyData {
  const Typed = TYPED[a.dtype];
  if (a.dtype === 'float32') return a.data instanceof Typed ? a.data : Typed.from(a.data);
  const [lo, hi] = RANGE[a.dtype];
  for (let i = 0; i < a.data.length; i++) {
    const v = a.data[i]!;
    if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`npy: element ${i} is ${v}, outside ${a.dtype} (${lo}..${hi})`);
  }
  return a.data instanceof Typed ? a.data : Typed.from(a.data);
}

/** A .npy dtype this reader does not take; `descr` is the header's, e.g. '>i4' (big-endian). */
export class NpyDtypeError extends Error {
  constructor(
    source: string,
    readonly descr: string,
  ) {
    // Which of the three the file must hold is the caller's to say (a layer's iacts are never int32).
    super(
      descr.startsWith('>')
        ? `${source}: dtype '${descr}' is big-endian, which is not supported; save it little-endian (arr.astype(arr.dtype.newbyteorder('<')))`
        : `${source}: dtype '${descr}' is not supported; save as int32 ('<i4'), uint8, int8 (e.g. arr.astype(np.int8)) or float32 ('<f4')`,
    );
    this.name = 'NpyDtypeError';
  }
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function encodeNpy(a: NpyArray): Uint8Array {
  const count = a.shape.reduce((p, d) => p * d, 1);
  if (count !== a.data.length) {
    throw new RangeError(`npy: shape [${a.shape.join(', ')}] holds ${count} elements but data has ${a.data.length}`);
  }
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  let header = `{'descr': '${DESCR[a.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  // Header (incl. 10-byte preamble and trailing newline) padded to a multiple of 64 bytes.
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const data = dataAs(a);
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

export function decodeNpy(bytes: Uint8Array, source = '.npy data'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new Error(`${source}: not a .npy file (it does not start with \\x93NUMPY); save the array with numpy.save`);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new Error(`${source}: unsupported .npy version ${major}; save it with numpy.save`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hstart = major === 1 ? 10 : 12;
  if (bytes.length < hstart) throw new Error(`${source}: truncated .npy file (no complete header); save it again with numpy.save`);
  const hlen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (hstart + hlen > bytes.length) throw new Error(`${source}: truncated .npy file (header runs past the end); save it again with numpy.save`);
  const header = new TextDecoder().decode(bytes.subarray(hstart, hstart + hlen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new Error(`${source}: malformed .npy header ${JSON.stringify(header)}`);
  }
  const dtype = FROM_DESCR[descr];
  if (dtype === undefined) throw new NpyDtypeError(source, descr);
  if (fortran === 'True') throw new Error(`${source}: Fortran-order array; save a C-order array (np.ascontiguousarray)`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`${source}: shape (${shapeText}) must list non-negative integers`);
  const count = shape.reduce((p, d) => p * d, 1);
  const body = bytes.slice(hstart + hlen);
  const size = ITEM_BYTES[dtype];
  if (body.length !== count * size) {
    throw new Error(`${source}: shape [${shape.join(', ')}] needs ${count * size} data bytes, file has ${body.length}`);
  }
  const data = new TYPED[dtype](body.buffer, body.byteOffset, count);
  return { dtype, shape, data };
}

export const readNpy = (path: string): NpyArray => decodeNpy(new Uint8Array(readFileSync(path)), path);
export const writeNpy = (path: string, a: NpyArray): void => writeFileSync(path, encodeNpy(a));
