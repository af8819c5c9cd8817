// The tensors a run generated (LAYER.json "generate", benchmark data), saved beside its outputs
// as .npy files in the layouts and dtypes a LAYER.json reads back (docs/run.md, "Tensors"), so
// a run can be repeated, or checked elsewhere, on exactly the data it ran.
import { channelsPerGroup, type Layer } from '../golden/layers.js';
import { writeNpy } from '../golden/npy.js';
import type { LoadedLayer } from './load-layer.js';

/** The generated tensors of one layer; a tensor read from a file (or chained) is absent. */
export interface GeneratedTensors {
  iacts?: Int32Array;
  weights?: Int32Array;
}

/**
 * Writes `file('iacts')` ([N, C, H, W], uint8 or int8 when iactSigned) and `file('weights')`
 * ([M, C/groups, R, S], int8) for the tensors present; returns the files written.
 */
export function writeGeneratedTensors(layer: Layer, t: GeneratedTensors, file: (which: 'iacts' | 'weights') => string): string[] {
  const written: string[] = [];
  if (t.iacts !== undefined) {
    writeNpy(file('iacts'), { dtype: layer.iactSigned ? 'int8' : 'uint8', shape: [layer.N, layer.C, layer.H, layer.W], data: t.iacts });
    written.push(file('iacts'));
  }
  if (t.weights !== undefined) {
    writeNpy(file('weights'), { dtype: 'int8', shape: [layer.M, channelsPerGroup(layer), layer.R, layer.S], data: t.weights });
    written.push(file('weights'));
  }
  return written;
}

/** Which of a loaded layer's tensors were generated, from where result.json says its data came from. */
export function generatedOf(source: LoadedLayer['source'], data: { iacts: Int32Array; weights: Int32Array }): GeneratedTensors {
  return {
    ...('iactDensity' in source ? { iacts: data.iacts } : {}),
    ...('weightDensity' in source ? { weights: data.weights } : {}),
  };
}
