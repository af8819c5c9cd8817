// NETWORK.json: a user's own network, its layers in the order they run (docs/run.md). Each entry
// of "layers" is a LAYER.json body, so the rules, messages and data sources are the layer file's;
// every problem of every layer is reported at once, named by its place in the file.
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile } from './json-file.js';
import { LayerFileError, parseLayerFile } from './layer-file.js';
import { layerFromSpec, type LoadedLayer } from './load-layer.js';

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

/** Reads and validates a NETWORK.json; throws LayerFileError listing every problem in the file. */
export async function loadNetworkFile(fileArg: string): Promise<LoadedNetwork> {
  const file = path.resolve(fileArg);
  const json = await readJsonFile(file, 'network file');
  const top = NetworkFileSchema.safeParse(json);
  if (!top.success) {
    const problems = top.error.issues.flatMap((iss) => {
      if (iss.code === 'unrecognized_keys') {
        return iss.keys.map((k) => `${k}: unknown field; fix: remove it or correct its spelling (allowed at the top level: ${Object.keys(HELP).join(', ')})`);
      }
      const at = iss.path.map(String).join('.') || '(top level)';
      const missing = iss.path.length > 0 && (json as Record<string, unknown> | null)?.[String(iss.path[0])] === undefined;
      return [`${at}: ${missing ? 'missing' : iss.message}; fix: ${missing ? 'add it: ' : 'set it to '}${HELP[at] ?? 'a JSON object { "name", "layers" }'}`];
    });
    throw new LayerFileError(file, problems);
  }
  const problems: string[] = [];
  const layers: LoadedLayer[] = [];
  const seen = new Map<string, number>();
  top.data.layers.forEach((entry, i) => {
    let loaded: LoadedLayer;
    try {
      loaded = layerFromSpec(parseLayerFile(entry, file, `layers.${i}`), file, defaultLayerName(i), `layers.${i}`);
    } catch (e) {
      if (!(e instanceof LayerFileError)) throw e;
      problems.push(...e.problems);
      return;
    }
    const first = seen.get(loaded.layer.name);
    if (first !== undefined) {
      problems.push(`layers.${i}.name: '${loaded.layer.name}' is also the name of layers.${first}; fix: give every layer its own name (results are reported by name)`);
    }
    seen.set(loaded.layer.name, first ?? i);
    layers.push(loaded);
  });
  if (problems.length > 0) throw new LayerFileError(file, problems);
  return { file, name: top.data.name ?? path.basename(file, '.json'), layers };
}
