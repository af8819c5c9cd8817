// Shared by the network arch-path tests: one layer through the chip model, compared with
// the functional reference (all outputs, or the sampled ones for the big networks).
import { expect } from 'vitest';
import { runChipModel } from '../../golden/chip-model.js';
import { referenceLayer, referenceOutputs } from '../../golden/reference.js';
import { mapLayer } from '../../golden/mapper.js';
import type { Network, Sparsity } from '../../golden/networks.js';
import { networkLayerData } from '../../golden/networks.js';

/** GOLDEN_FULL=1 checks every output of every layer (minutes); otherwise big layers are sampled. */
export const FULL = process.env.GOLDEN_FULL === '1';

export function checkNetworkLayer(net: Network, index: number, variant: Sparsity, stackTasksPerLayer: number | null): void {
  const { layer } = net.layers[index]!;
  const d = networkLayerData(net, index, variant, 1);
  const mapping = mapLayer(layer, { weights: d.weights });
  const where = `${net.name} ${variant} ${layer.name}`;
  if (stackTasksPerLayer === null || FULL) {
    const run = runChipModel(layer, d, { mapping });
    expect(run.output, where).toEqual(referenceLayer(layer, d));
    return;
  }
  const t = mapping.temporal;
  const tasks = t.g * t.m * t.n * t.e * t.f * mapping.stacksUsed;
  const sample = Math.max(1, Math.floor(tasks / stackTasksPerLayer));
  const run = runChipModel(layer, d, { mapping, sample });
  const idx: number[] = [];
  run.computed.forEach((c, i) => {
    if (c === 1) idx.push(i);
  });
  expect(idx.length, `${where}: sampled outputs`).toBeGreaterThan(0);
  const ref = referenceOutputs(layer, d, idx);
  const got = Int32Array.from(idx, (i) => run.output[i]!);
  expect(got, where).toEqual(ref);
}
