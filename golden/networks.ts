// Benchmark networks: layer shapes of the convolution / FC layers the chip runs (pooling is off
// chip, spec 3), with the per-layer densities of their dense and sparse versions. Sources and
// every assumption are listed in golden/README.md ("Networks").
import { macs, makeLayer, type Layer, type LayerInput } from './layers.js';
import { generateLayerData, type Densities } from './random.js';
import type { LayerData } from './layers.js';

export const NETWORK_NAMES = ['mobilenet-0.5-128', 'mobilenet-1.0-224', 'alexnet', 'googlenet'] as const;
export type NetworkName = (typeof NETWORK_NAMES)[number];

export interface NetworkLayer {
  layer: Layer;
  dense: Densities;
  sparse: Densities;
}

export interface Network {
  name: NetworkName;
  layers: NetworkLayer[];
}

/** Iact density of a post-ReLU feature map where no source gives one (spec 6.5: "roughly 0.6-0.9"). */
export const ASSUMED_RELU_IACT_DENSITY = 0.75;
/** Image input: 8-bit pixels, essentially never zero. */
const IMAGE_IACT_DENSITY = 1;

// Spec 6.5: sparse MobileNet 0.5-128 point-wise layers (1-based layer index -> densities).
const MOBILENET_PW: Record<number, Densities> = {
  7: { iact: 0.73, weight: 0.52 },
  9: { iact: 0.86, weight: 0.82 },
  13: { iact: 0.83, weight: 0.64 },
  19: { iact: 0.61, weight: 0.55 },
  21: { iact: 0.64, weight: 0.6 },
  23: { iact: 0.61, weight: 0.7 },
  25: { iact: 0.68, weight: 0.65 },
  27: { iact: 0.58, weight: 0.3 },
};
const round2 = (x: number): number => Math.round(x * 100) / 100;
const meanOfListed = (key: keyof Densities): number => round2(Object.values(MOBILENET_PW).reduce((s, d) => s + d[key], 0) / Object.keys(MOBILENET_PW).length);
/** Pruned layers with no published density: the mean weight density of the listed PW layers. */
export const ASSUMED_PRUNED_WEIGHT_DENSITY = meanOfListed('weight');
/** Iacts of MobileNet's unlisted pruned layers: the mean iact density of the listed PW layers. */
const ASSUMED_MOBILENET_PW_IACT_DENSITY = meanOfListed('iact');

/**
 * The same pruned MobileNet 0.5-128 in the Sparseloop artifact (Accelergy-Project/
 * micro22-sparseloop-artifact, evaluation_setups/fig12_eyerissv2_pe_setup/scripts/
 * ground_truth_cycles.yaml): the reference Eyeriss v2 PE's cycles for each whole layer, L01..L28,
 * at one MAC per cycle. On the eight listed layers they are 1.01-1.07x the non-zero MACs of the
 * spec's densities, so they stand for each layer's effectual work; golden/README.md ("Networks")
 * derives the unlisted layers' densities from them.
 */
export const MOBILENET_REFERENCE_PE_CYCLES: readonly number[] = [
  1769472, 544768, 461302, 278528, 873643, 513024, 1702140, 145920, 1499682, 270848, 2491491, 73728, 1144158, 147456, 2238663, 147456, 2173758, 124096, 1457458,
  147456, 1677684, 147456, 1821557, 36864, 948572, 73728, 775316, 95443,
];

/**
 * Sparse densities of MobileNet layer `index` (1-based) of the 0.5-128 shape `layer`: spec 6.5's
 * where it lists them; else the layer's effectual fraction (reference cycles / MACs) goes to the
 * iacts of the layers whose weights stay dense (first conv, depth-wise: spec 6.5) and to the
 * weights of the pruned ones, whose iacts take the listed mean.
 */
function mobilenetDensities(layer: Layer, index: number): Densities {
  const listed = MOBILENET_PW[index];
  if (listed) return listed;
  const work = MOBILENET_REFERENCE_PE_CYCLES[index - 1]! / macs(layer);
  const prunable = layer.type === 'pointwise' || layer.type === 'fc';
  if (!prunable) return { iact: round2(work), weight: 1 };
  return { iact: ASSUMED_MOBILENET_PW_IACT_DENSITY, weight: round2(work / ASSUMED_MOBILENET_PW_IACT_DENSITY) };
}

function mobilenetShapes(alpha: number, input: number): LayerInput[] {
  const ch = (c: number): number => Math.round(c * alpha);
  const layers: LayerInput[] = [];
  let H = input;
  layers.push({ name: 'L01-conv', type: 'conv', C: 3, M: ch(32), H, W: H, R: 3, S: 3, stride: 2, padding: 1 });
  H = H / 2;
  let C = ch(32);
  const blocks: [number, number][] = [
    [1, 64],
    [2, 128],
    [1, 128],
    [2, 256],
    [1, 256],
    [2, 512],
    [1, 512],
    [1, 512],
    [1, 512],
    [1, 512],
    [1, 512],
    [2, 1024],
    [1, 1024],
  ];
  for (const [stride, out] of blocks) {
    const i = layers.length + 1;
    layers.push({ name: `L${String(i).padStart(2, '0')}-dw`, type: 'depthwise', C, M: C, H, W: H, R: 3, S: 3, stride, padding: 1 });
    H = Math.floor((H + 2 - 3) / stride) + 1;
    layers.push({ name: `L${String(i + 1).padStart(2, '0')}-pw`, type: 'pointwise', C, M: ch(out), H, W: H });
    C = ch(out);
  }
  layers.push({ name: 'L28-fc', type: 'fc', C, M: 1000, H: 1, W: 1 });
  return layers;
}

/** Both widths take the 0.5-128 network's per-layer densities (same topology, same pruning). */
function mobilenet(alpha: number, input: number, name: NetworkName): Network {
  const reference = mobilenetShapes(0.5, 128);
  return {
    name,
    layers: mobilenetShapes(alpha, input).map((li, k) => {
      const sparse = mobilenetDensities(makeLayer(reference[k]!), k + 1);
      return { layer: makeLayer(li), dense: { iact: sparse.iact, weight: 1 }, sparse };
    }),
  };
}

// Han et al., "Learning both Weights and Connections", NIPS 2015, Table 4 (AlexNet weights kept
// after pruning). Used as the per-layer profile of a pruned AlexNet because the energy-aware
// pruned AlexNet of the paper publishes no per-layer table we could find.
export const ALEXNET_WEIGHT_DENSITY = [0.84, 0.38, 0.35, 0.37, 0.37, 0.09, 0.09, 0.25];
/**
 * Iact densities of AlexNet's CONV layers on real images: 1 - the "zeros in ifmaps" that Eyeriss
 * v1 measured (Chen et al., JSSC 2017, Table V: 0.01, 38.7, 72.5, 79.3, 77.6 %). The Sparseloop
 * artifact's reproduction of that chip (Accelergy-Project/micro22-sparseloop-artifact,
 * evaluation_setups/table7_eyeriss_setup/workload/alexnet_conv{1..5}.yaml) uses the same, rounded
 * (0.999, 0.6, 0.275, 0.207, 0.23).
 */
export const ALEXNET_CONV_IACT_DENSITY = [IMAGE_IACT_DENSITY, 0.613, 0.275, 0.207, 0.224];
/**
 * Iact density of AlexNet's FC layers: EIE (Han et al., ISCA 2016), whose benchmarks include
 * FC6-FC8, states that "skipping zero activations from ReLU saves another 3x", i.e. about a third
 * of the FC inputs are non-zero. An aggregate over its benchmarks, not a per-layer measurement.
 */
export const ALEXNET_FC_IACT_DENSITY = 0.33;

function alexnet(): Network {
  const shapes: LayerInput[] = [
    { name: 'CONV1', type: 'conv', C: 3, M: 96, H: 227, W: 227, R: 11, S: 11, stride: 4 },
    { name: 'CONV2', type: 'conv', C: 96, M: 256, H: 27, W: 27, R: 5, S: 5, padding: 2, groups: 2 },
    { name: 'CONV3', type: 'conv', C: 256, M: 384, H: 13, W: 13, R: 3, S: 3, padding: 1 },
    { name: 'CONV4', type: 'conv', C: 384, M: 384, H: 13, W: 13, R: 3, S: 3, padding: 1, groups: 2 },
    { name: 'CONV5', type: 'conv', C: 384, M: 256, H: 13, W: 13, R: 3, S: 3, padding: 1, groups: 2 },
    { name: 'FC6', type: 'fc', C: 9216, M: 4096, H: 1, W: 1 },
    { name: 'FC7', type: 'fc', C: 4096, M: 4096, H: 1, W: 1 },
    { name: 'FC8', type: 'fc', C: 4096, M: 1000, H: 1, W: 1 },
  ];
  return {
    name: 'alexnet',
    layers: shapes.map((s, k) => {
      const iact = ALEXNET_CONV_IACT_DENSITY[k] ?? ALEXNET_FC_IACT_DENSITY;
      return { layer: makeLayer(s), dense: { iact, weight: 1 }, sparse: { iact, weight: ALEXNET_WEIGHT_DENSITY[k]! } };
    }),
  };
}

function googlenet(): Network {
  const shapes: LayerInput[] = [
    { name: 'conv1', type: 'conv', C: 3, M: 64, H: 224, W: 224, R: 7, S: 7, stride: 2, padding: 3 },
    { name: 'conv2-reduce', type: 'pointwise', C: 64, M: 64, H: 56, W: 56 },
    { name: 'conv2', type: 'conv', C: 64, M: 192, H: 56, W: 56, R: 3, S: 3, padding: 1 },
  ];
  // [name, input channels, H, 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool proj]
  const inception: [string, number, number, number, number, number, number, number, number][] = [
    ['3a', 192, 28, 64, 96, 128, 16, 32, 32],
    ['3b', 256, 28, 128, 128, 192, 32, 96, 64],
    ['4a', 480, 14, 192, 96, 208, 16, 48, 64],
    ['4b', 512, 14, 160, 112, 224, 24, 64, 64],
    ['4c', 512, 14, 128, 128, 256, 24, 64, 64],
    ['4d', 512, 14, 112, 144, 288, 32, 64, 64],
    ['4e', 528, 14, 256, 160, 320, 32, 128, 128],
    ['5a', 832, 7, 256, 160, 320, 32, 128, 128],
    ['5b', 832, 7, 384, 192, 384, 48, 128, 128],
  ];
  for (const [n, C, H, c1, r3, c3, r5, c5, pp] of inception) {
    shapes.push(
      { name: `${n}-1x1`, type: 'pointwise', C, M: c1, H, W: H },
      { name: `${n}-3x3r`, type: 'pointwise', C, M: r3, H, W: H },
      { name: `${n}-3x3`, type: 'conv', C: r3, M: c3, H, W: H, R: 3, S: 3, padding: 1 },
      { name: `${n}-5x5r`, type: 'pointwise', C, M: r5, H, W: H },
      { name: `${n}-5x5`, type: 'conv', C: r5, M: c5, H, W: H, R: 5, S: 5, padding: 2 },
      { name: `${n}-pool`, type: 'pointwise', C, M: pp, H, W: H },
    );
  }
  shapes.push({ name: 'fc', type: 'fc', C: 1024, M: 1000, H: 1, W: 1 });
  return {
    name: 'googlenet',
    layers: shapes.map((s, k) => {
      const iact = k === 0 ? IMAGE_IACT_DENSITY : ASSUMED_RELU_IACT_DENSITY;
      return { layer: makeLayer(s), dense: { iact, weight: 1 }, sparse: { iact, weight: k === 0 ? 1 : ASSUMED_PRUNED_WEIGHT_DENSITY } };
    }),
  };
}

export function getNetwork(name: NetworkName): Network {
  switch (name) {
    case 'mobilenet-0.5-128':
      return mobilenet(0.5, 128, name);
    case 'mobilenet-1.0-224':
      return mobilenet(1, 224, name);
    case 'alexnet':
      return alexnet();
    case 'googlenet':
      return googlenet();
  }
}

export function parseNetworkName(s: string): NetworkName {
  if ((NETWORK_NAMES as readonly string[]).includes(s)) return s as NetworkName;
  throw new Error(`unknown network '${s}'; choose one of ${NETWORK_NAMES.join(', ')}`);
}

/** Which of a benchmark network's data sets: the dense network, or pruned weights and sparse iacts (spec 6.5). */
export type Sparsity = 'dense' | 'sparse';

/** Deterministic data of layer `index` (0-based): the same (seed, network, variant, index) always gives the same tensors. */
export function networkLayerData(net: Network, index: number, variant: Sparsity, seed: number): LayerData {
  const nl = net.layers[index];
  if (nl === undefined) throw new RangeError(`${net.name} has ${net.layers.length} layers, no index ${index}`);
  const mix = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + index * 0x27d4eb2f + (variant === 'sparse' ? 0x165667b1 : 0)) >>> 0;
  return generateLayerData(nl.layer, nl[variant], mix);
}
