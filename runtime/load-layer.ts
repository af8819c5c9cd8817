// Turns a LAYER.json file into a golden Layer plus its tensors: read from .npy files (checked
// against the layer's shape and dtypes) or generated from densities and a seed.
import { readJsonFile } from './json-file.js';
import path from 'node:path';
import { channelsPerGroup, makeLayer, type Layer, type LayerData } from '../golden/layers.js';
import { readNpy, type NpyArray, type NpyDtype } from '../golden/npy.js';
import type { Requant } from '../golden/numerics.js';
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

function readTensor(file: string, field: string, rel: string): NpyArray {
  const npyFile = path.resolve(path.dirname(file), rel);
  try {
    return readNpy(npyFile);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return fail(file, `${field}: ${npyFile} does not exist; fix: give the path relative to the folder of this JSON file`);
    return fail(file, `${field}: ${err.message}`);
  }
}

function checkTensor(file: string, field: string, a: NpyArray, dtype: NpyDtype, shape: number[], layout: string, dtypeFix: string): Int32Array {
  if (a.dtype !== dtype) fail(file, `${field}: dtype is ${a.dtype}, the layer needs ${dtype}; fix: ${dtypeFix}`);
  if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
    fail(file, `${field}: shape is [${a.shape.join(', ')}], the layer needs ${layout} = [${shape.join(', ')}]; fix: correct "shape" in the layer file or save the tensor as ${layout}`);
  }
  return Int32Array.from(a.data);
}

/** Reads and validates a LAYER.json; every error names the file, the field and the fix. */
export async function loadLayer(fileArg: string): Promise<LoadedLayer> {
  const file = path.resolve(fileArg);
  const json = await readJsonFile(file, 'layer file');
  const spec = parseLayerFile(json, file);
  if (spec.iacts === PREVIOUS) fail(file, 'iacts: "previous" takes the 8-bit outputs of the layer before, and a layer file has no layer before; fix: give a .npy path or "generate", or put the layer in a network file (docs/run.md)');
  return layerFromSpec(spec, file, path.basename(file, '.json'));
}

/**
 * The layer and tensors a validated layer spec describes. `file` is the JSON file it came from
 * (.npy paths are relative to its folder), `within` where the spec sits inside that file.
 */
export function layerFromSpec(spec: LayerFile, file: string, defaultName: string, within = ''): LoadedLayer {
  let layer: Layer;
  try {
    layer = makeLayer({
      ...spec.shape,
      name: spec.name ?? defaultName,
      type: spec.type,
      iactSigned: spec.iactSigned ?? false,
    });
  } catch (e) {
    return fail(file, `${fieldIn(within, 'shape')}: ${(e as Error).message}; fix: make "shape" consistent with type "${spec.type}" (docs/run.md, "Layer types")`);
  }
  const requant: Requant | null = spec.requant === undefined ? null : { shift: spec.requant.shift, activation: spec.requant.activation ?? 'relu' };

  const weightField = fieldIn(within, 'weights');
  const readWeights = (rel: string): Int32Array =>
    checkTensor(file, weightField, readTensor(file, weightField, rel), 'int8', [layer.M, channelsPerGroup(layer), layer.R, layer.S], 'MCRS (C/groups channels)',
      'save it with arr.astype(np.int8)');
  // The schema guarantees the data sources below: "previous" iacts with one weight source, else
  // generate (with an iact density) or both .npy paths.
  if (spec.iacts === PREVIOUS) {
    if (spec.generate !== undefined) {
      const { weightDensity, seed } = spec.generate;
      return { file, layer, data: { iacts: new Int32Array(0), weights: generateWeights(layer, weightDensity, seed) }, chained: true, requant, source: { iacts: PREVIOUS, weightDensity, seed } };
    }
    return { file, layer, data: { iacts: new Int32Array(0), weights: readWeights(spec.weights!) }, chained: true, requant, source: { iacts: PREVIOUS, weights: spec.weights! } };
  }
  if (spec.generate !== undefined) {
    const { weightDensity, seed } = spec.generate;
    const iactDensity = spec.generate.iactDensity!;
    const data = generateLayerData(layer, { iact: iactDensity, weight: weightDensity }, seed);
    return { file, layer, data, chained: false, requant, source: { iactDensity, weightDensity, seed } };
  }
  const iactsRel = spec.iacts!, weightsRel = spec.weights!;
  const { N, C, H, W } = layer;
  const iactDtype: NpyDtype = layer.iactSigned ? 'int8' : 'uint8';
  const iactField = fieldIn(within, 'iacts');
  const iacts = checkTensor(file, iactField, readTensor(file, iactField, iactsRel), iactDtype, [N, C, H, W], 'NCHW',
    layer.iactSigned
      ? 'save it with arr.astype(np.int8), or set "iactSigned": false for uint8 iacts'
      : 'save it with arr.astype(np.uint8), or set "iactSigned": true for int8 iacts');
  return { file, layer, data: { iacts, weights: readWeights(weightsRel) }, chained: false, requant, source: { iacts: iactsRel, weights: weightsRel } };
}
