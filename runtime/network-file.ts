// NETWORK.json: a user's own network, its layers in the order they run (docs/run.md). Each entry
// of "layers" is a LAYER.json body, so the rules, messages and data sources are the layer file's;
// every problem of every layer is reported at once, named by its place in the file.
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile } from './json-file.js';
import { describeIssues, LayerFileError, parseLayerFile } from './layer-file.js';
import { heldBytes, layerFromSpec, type LoadedLayer } from './load-layer.js';
import { outH, outW } from '../golden/layers.js';

const NetworkFileSchema = z
  .object({
    name: z.string().min(1).optional(),
    layers: z.array(z.unknown()).min(1),
  })
  .strict();

export interface LoadedNetwork {
  file: string;
  name: string;
  layers: LoadedLayer[];
}

const HELP: Record<string, string> = {
  name: 'a non-empty string (default: the file name without .json)',
  layers: 'a non-empty array of layer objects, each with the fields of a LAYER.json (docs/run.md)',
};

/** Default name of the i-th layer (0-based) when its entry has none: L01, L02, ... */
export const defaultLayerName = (i: number): string => `L${String(i + 1).padStart(2, '0')}`;

/**
 * Why layer i cannot take the 8-bit outputs of `prev` (layer i - 1) as its iacts; empty when it
 * can. A layer before that failed to load (prev undefined) has its own problems reported.
 */
function chainProblems(prev: LoadedLayer | undefined, cur: LoadedLayer, i: number): string[] {
  const at = `layers.${i}.iacts`;
  const prevIndex = i - 1;
  if (i === 0) return [`${at}: "previous" in the first layer, which has no layer before; fix: give the first layer its own iacts (.npy or generate)`];
  if (prev === undefined) return [];
  const p = prev.layer,
    l = cur.layer;
  const out: string[] = [];
  if (prev.requant === null)
    out.push(
      `${at}: "previous" needs the 8-bit outputs of layers.${prevIndex}, which has no "requant"; fix: add "requant": { "shift": ... } to layers.${prevIndex}`,
    );
  if (l.iactSigned) out.push(`${at}: "previous" gives uint8 iacts (ReLU outputs) but the layer has "iactSigned": true; fix: remove "iactSigned"`);
  const have = [p.N, p.M, outH(p), outW(p)],
    need = [l.N, l.C, l.H, l.W];
  if (have.some((d, k) => d !== need[k])) {
    out.push(
      `${at}: layers.${prevIndex} outputs NCHW [${have.join(', ')}], this layer takes [${need.join(', ')}]; fix: make "shape" N, C, H, W match the layer before (the chip has no pooling: give this layer its own iacts if the network pools in between)`,
    );
  }
  return out;
}

/** Reads and validates a NETWORK.json; throws LayerFileError listing every problem in the file. */
export async function loadNetworkFile(fileArg: string): Promise<LoadedNetwork> {
  const file = path.resolve(fileArg);
  const json = await readJsonFile(file, 'network file');
  const top = NetworkFileSchema.safeParse(json);
  if (!top.success) throw new LayerFileError(file, describeIssues(json, top.error.issues, { help: HELP, fallback: 'a JSON object { "name", "layers" }' }));
  const problems: string[] = [];
  // Indexed by position: a chained layer is checked against the entry just before it.
  const layers: (LoadedLayer | undefined)[] = [];
  const seen = new Map<string, number>();
  // Every layer's tensors stay in memory until the run: the size limit counts them all.
  let held = 0;
  top.data.layers.forEach((entry, i) => {
    let loaded: LoadedLayer;
    try {
      loaded = layerFromSpec(parseLayerFile(entry, file, `layers.${i}`), file, defaultLayerName(i), `layers.${i}`, held);
    } catch (e) {
      if (!(e instanceof LayerFileError)) throw e;
      problems.push(...e.problems);
      return;
    }
    layers[i] = loaded;
    held += heldBytes(loaded.layer);
    if (loaded.chained) problems.push(...chainProblems(layers[i - 1], loaded, i));
    const first = seen.get(loaded.layer.name);
    if (first !== undefined) {
      problems.push(
        `layers.${i}.name: '${loaded.layer.name}' is also the name of layers.${first}; fix: give every layer its own name (results are reported by name)`,
      );
    }
    seen.set(loaded.layer.name, first ?? i);
  });
  // Every entry loaded when nothing was reported.
  if (problems.length > 0) throw new LayerFileError(file, problems);
  return { file, name: top.data.name ?? path.basename(file, '.json'), layers: layers as LoadedLayer[] };
}
