// Turns a LAYER.json file into a golden Layer plus its tensors: read from .npy files (checked
// against the layer's shape and dtypes) or generated from densities and a seed.
import { readJsonFile } from './json-file.js';
import path from 'node:path';
import { channelsPerGroup, makeLayer, outH, outW, type Layer, type LayerData } from '../golden/layers.js';
import { NpyDtypeError, readNpy, type NpyArray, type NpyDtype } from '../golden/npy.js';
import type { Requant } from '../spec/numerics.js';
import { generateLayerData, generateWeights } from '../golden/random.js';
import { LayerFileError, parseLayerFile, PREVIOUS, type LayerFile } from './layer-file.js';

export interface LoadedLayer {
  file: string;
  layer: Layer;
  /** The tensors; when `chained`, `iacts` is empty until the layer before has run. */
  data: LayerData;
  /** The iacts are the 8-bit outputs of the layer before (network files only). */
  chained: boolean;
  /** Set when the file asks for 8-bit outputs besides the raw psums. */
  requant: Requant | null;
  /** Where the tensors came from, recorded in result.json. */
  source:
    | { iacts: string; weights: string }
    | { iactDensity: number; weightDensity: number; seed: number }
    | { iacts: typeof PREVIOUS; weights: string }
    | { iacts: typeof PREVIOUS; weightDensity: number; seed: number };
}

const fail = (file: string, problem: string): never => {
  throw new LayerFileError(file, [problem]);
};

/** "iacts" at the top of a layer file, "layers.2.iacts" inside a network file. */
const fieldIn = (within: string, field: string): string => (within === '' ? field : `${within}.${field}`);

/**
 * Reads the .npy at `rel` (relative to the JSON file's folder) and checks it against what the
 * layer needs; an unsupported dtype gets the same message and fix as a wrong supported one.
 */
function readTensor(file: string, field: string, rel: string, dtype: NpyDtype, shape: number[], layout: string, dtypeFix: string): Int32Array {
  const npyFile = path.resolve(path.dirname(file), rel);
  let a: NpyArray;
  try {
    a = readNpy(npyFile);
  } catch (e) {
    if (e instanceof NpyDtypeError) return fail(file, `${field}: dtype is '${e.descr}', the layer needs ${dtype}; fix: ${dtypeFix}`);
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return fail(file, `${field}: ${npyFile} does not exist; fix: give the path relative to the folder of this JSON file`);
    if (err.code === 'EISDIR')
      return fail(file, `${field}: ${npyFile} is a folder, not a .npy file; fix: give the path of the .npy file, relative to the folder of this JSON file`);
    if (err.code !== undefined) return fail(file, `${field}: cannot read ${npyFile} (${err.message}); fix: check the file's permissions`);
    return fail(file, `${field}: ${err.message}`);
  }
  if (a.dtype !== dtype) fail(file, `${field}: dtype is ${a.dtype}, the layer needs ${dtype}; fix: ${dtypeFix}`);
  if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
    fail(
      file,
      `${field}: shape is [${a.shape.join(', ')}], the layer needs ${layout} = [${shape.join(', ')}]; fix: correct "shape" in the layer file or save the tensor as ${layout}`,
    );
  }
  return Int32Array.from(a.data);
}

/** Reads and validates a LAYER.json; every error names the file, the field and the fix. */
export async function loadLayer(fileArg: string): Promise<LoadedLayer> {
  const file = path.resolve(fileArg);
  const json = await readJsonFile(file, 'layer file');
  const spec = parseLayerFile(json, file);
  if (spec.iacts === PREVIOUS)
    fail(
      file,
      'iacts: "previous" takes the 8-bit outputs of the layer before, and a layer file has no layer before; fix: give a .npy path or "generate", or put the layer in a network file (docs/run.md)',
    );
  return layerFromSpec(spec, file, path.basename(file, '.json'));
}

/**
 * Limits of one run, checked before any tensor is read or generated: beyond them a run does not
 * fail but grows past the machine's memory or runs for hours (a 2000-channel layer on a
 * 1000x1000 map, C = M = 100000 weights).
 */
export const LAYER_LIMITS = { bytes: 2 * 2 ** 30, macs: 1e10 } as const;

/** Bytes a loaded layer's tensors hold in memory (Int32 values), while it waits to run. */
export const heldBytes = (l: Layer): number => 4 * (l.N * l.C * l.H * l.W + l.M * channelsPerGroup(l) * l.R * l.S);

/**
 * Estimated peak memory of running the layer: its tensors, the .npy and CSC copies made of them,
 * the backend's and the reference's outputs and their encodings.
 */
export function layerMemoryBytes(l: Layer): number {
  const outputs = l.N * l.M * outH(l) * outW(l);
  return 2 * heldBytes(l) + 12 * outputs;
}

const gb = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(bytes < 2 ** 30 ? 3 : 1)} GB`;

function sizeProblem(l: Layer, within: string, alreadyHeld: number): string | null {
  const bytes = layerMemoryBytes(l) + alreadyHeld;
  const macs = l.N * l.M * outH(l) * outW(l) * channelsPerGroup(l) * l.R * l.S;
  const held = alreadyHeld > 0 ? ` (${gb(alreadyHeld)} of it the tensors of the layers before, held for the run)` : '';
  if (bytes > LAYER_LIMITS.bytes) {
    return `${fieldIn(within, 'shape')}: the run would need about ${gb(bytes)} of memory${held}, over the limit of ${gb(LAYER_LIMITS.bytes)}; fix: make the layer smaller (fewer channels or a smaller map), or split it into several layers`;
  }
  if (macs > LAYER_LIMITS.macs) {
    return `${fieldIn(within, 'shape')}: ${macs.toExponential(2)} MACs, over the limit of ${LAYER_LIMITS.macs.toExponential(0)} (the golden model computes about 10^7 per second; about ${gb(bytes)} of memory); fix: make the layer smaller, or split it into several layers`;
  }
  return null;
}

/**
 * The layer and tensors a validated layer spec describes. `file` is the JSON file it came from
 * (.npy paths are relative to its folder), `within` where the spec sits inside that file, and
 * `alreadyHeld` the bytes earlier layers of the same file keep in memory (counted in the limit).
 */
export function layerFromSpec(spec: LayerFile, file: string, defaultName: string, within = '', alreadyHeld = 0): LoadedLayer {
  let layer: Layer;
  try {
    layer = makeLayer({
      ...spec.shape,
      name: spec.name ?? defaultName,
      type: spec.type,
      iactSigned: spec.iactSigned ?? false,
    });
  } catch (e) {
    return fail(
      file,
      `${fieldIn(within, 'shape')}: ${(e as Error).message}; fix: make "shape" consistent with type "${spec.type}" (docs/run.md, "Layer types")`,
    );
  }
  const tooBig = sizeProblem(layer, within, alreadyHeld);
  if (tooBig !== null) fail(file, tooBig);
  const q = spec.requant;
  const requant: Requant | null =
    q === undefined ? null : { shift: q.shift, activation: q.activation ?? 'relu', ...(q.multipliers && { multipliers: q.multipliers }) };

  const weightField = fieldIn(within, 'weights');
  const readWeights = (rel: string): Int32Array =>
    readTensor(
      file,
      weightField,
      rel,
      'int8',
      [layer.M, channelsPerGroup(layer), layer.R, layer.S],
      'MCRS (C/groups channels)',
      'save it with arr.astype(np.int8)',
    );
  // The schema guarantees the data sources below: "previous" iacts with one weight source, else
  // generate (with an iact density) or both .npy paths.
  if (spec.iacts === PREVIOUS) {
    if (spec.generate !== undefined) {
      const { weightDensity, seed } = spec.generate;
      return {
        file,
        layer,
        data: { iacts: new Int32Array(0), weights: generateWeights(layer, weightDensity, seed) },
        chained: true,
        requant,
        source: { iacts: PREVIOUS, weightDensity, seed },
      };
    }
    return {
      file,
      layer,
      data: { iacts: new Int32Array(0), weights: readWeights(spec.weights!) },
      chained: true,
      requant,
      source: { iacts: PREVIOUS, weights: spec.weights! },
    };
  }
  if (spec.generate !== undefined) {
    const { weightDensity, seed } = spec.generate;
    const iactDensity = spec.generate.iactDensity!;
    const data = generateLayerData(layer, { iact: iactDensity, weight: weightDensity }, seed);
    return { file, layer, data, chained: false, requant, source: { iactDensity, weightDensity, seed } };
  }
  const iactsRel = spec.iacts!,
    weightsRel = spec.weights!;
  const { N, C, H, W } = layer;
  const iactDtype: NpyDtype = layer.iactSigned ? 'int8' : 'uint8';
  const iactField = fieldIn(within, 'iacts');
  const iacts = readTensor(
    file,
    iactField,
    iactsRel,
    iactDtype,
    [N, C, H, W],
    'NCHW',
    layer.iactSigned
      ? 'save it with arr.astype(np.int8), or set "iactSigned": false for uint8 iacts'
      : 'save it with arr.astype(np.uint8), or set "iactSigned": true for int8 iacts',
  );
  return { file, layer, data: { iacts, weights: readWeights(weightsRel) }, chained: false, requant, source: { iacts: iactsRel, weights: weightsRel } };
}
