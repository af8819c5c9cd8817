// A dependent chain: each layer's iacts are the previous layer's 8-bit outputs, as the system top
// runs a network with no host work between layers (docs/system.md, "Dependent layers"). The
// golden side of it: a benchmark network made into such a chain (its pooling, which the network
// list leaves off chip, becomes a layer the chip runs) and the chain's expected outputs.
import { makeLayer, outH, outW, type Layer, type LayerData } from './layers.js';
import { getNetwork, networkLayerData, type NetworkName, type Sparsity } from './networks.js';
import { benchmarkRequant, referenceLayer, requantizeAll } from './reference.js';
import type { Requant } from '../spec/numerics.js';

export interface ChainLayer {
  layer: Layer;
  /** The layer's weights; the first layer's iacts (later layers take the previous outputs). */
  data: LayerData;
  requant: Requant;
}

/**
 * Global average pooling of a C x H x W map as a depth-wise layer the chip runs: an H x W window
 * of weights 1, then the output stage's rounding shift by log2(H*W), so each output is the
 * window's mean rounded half up. H*W must be a power of two.
 */
export function globalPoolLayer(name: string, C: number, H: number, W: number): { layer: Layer; weights: Int32Array; requant: Requant } {
  const shift = Math.log2(H * W);
  if (!Number.isInteger(shift))
    throw new Error(`${name}: average pooling over ${H}x${W} divides by ${H * W}, not a power of two; the output stage only shifts`);
  const layer = makeLayer({ name, type: 'depthwise', C, M: C, H, W, R: H, S: W });
  return { layer, weights: new Int32Array(C * H * W).fill(1), requant: { activation: 'relu', shift } };
}

/** NCHW output shape of a layer as the next one's input shape reads it. */
const outShape = (l: Layer): string => `${l.N}x${l.M}x${outH(l)}x${outW(l)}`;
const inShape = (l: Layer): string => `${l.N}x${l.C}x${l.H}x${l.W}`;

/**
 * A dependent chain's layers and outputs: `iacts` into the first layer, each layer's 8-bit outputs
 * into the next. A layer without a requant gets the smallest shift at which none of its outputs
 * saturates on the chain's own data (benchmarkRequant), a calibration made before the chain runs.
 * Throws when a layer's input shape is not the previous layer's output shape.
 */
export function chainReference(
  iacts: Int32Array,
  layers: readonly { layer: Layer; weights: Int32Array; requant?: Requant }[],
): { layers: ChainLayer[]; outputs: Uint8Array[] } {
  const out: { layers: ChainLayer[]; outputs: Uint8Array[] } = { layers: [], outputs: [] };
  let prev: Layer | undefined;
  for (const x of layers) {
    if (prev !== undefined && outShape(prev) !== inShape(x.layer))
      throw new Error(`'${x.layer.name}' takes ${inShape(x.layer)} iacts (NCHW), '${prev.name}' before it gives ${outShape(prev)}`);
    const data = { iacts, weights: x.weights };
    const raw = referenceLayer(x.layer, data);
    const requant = x.requant ?? benchmarkRequant(raw);
    const o = requantizeAll(x.layer, raw, requant);
    out.layers.push({ layer: x.layer, data, requant });
    out.outputs.push(o);
    iacts = Int32Array.from(o);
    prev = x.layer;
  }
  return out;
}

/**
 * A benchmark network as a dependent chain: the first layer's data as the benchmark draws it, every
 * later layer's weights as drawn (its iacts the chain's, unsigned after the ReLU). Where a map
 * meets a 1x1 input (the classifier after global pooling) a pooling layer goes between.
 */
export function networkChain(name: NetworkName, variant: Sparsity, seed: number): { layers: ChainLayer[]; outputs: Uint8Array[] } {
  const net = getNetwork(name);
  const layers: { layer: Layer; weights: Int32Array; requant?: Requant }[] = [];
  net.layers.forEach((nl, i) => {
    const prev = layers.at(-1)?.layer;
    if (prev !== undefined && outShape(prev) !== inShape(nl.layer) && nl.layer.H === 1 && nl.layer.W === 1 && prev.M === nl.layer.C) {
      const pool = globalPoolLayer(`${prev.name}-pool`, prev.M, outH(prev), outW(prev));
      layers.push(pool);
    }
    layers.push({ layer: i === 0 ? nl.layer : { ...nl.layer, iactSigned: false }, weights: networkLayerData(net, i, variant, seed).weights });
  });
  return chainReference(networkLayerData(net, 0, variant, seed).iacts, layers);
}
