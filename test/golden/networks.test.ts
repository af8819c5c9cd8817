import { describe, expect, it } from 'vitest';
import {
  ALEXNET_CONV_IACT_DENSITY,
  ALEXNET_FC_IACT_DENSITY,
  getNetwork,
  MOBILENET_REFERENCE_PE_CYCLES,
  NETWORK_NAMES,
  networkLayerData,
  parseNetworkName,
} from '../../golden/networks.js';
import { generateLayerData } from '../../golden/random.js';
import { nonzeroMacs } from '../../golden/nonzero-macs.js';
import { macs, makeLayer, outH } from '../../golden/layers.js';
import { mapLayer, MappingError } from '../../golden/mapper.js';
import { paperArch, parseArch, totalPes } from '../../spec/arch.js';

const density = (x: Int32Array): number => x.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0) / x.length;

describe('network definitions', () => {
  it('match the paper MAC counts and the spec 6.5 layer shapes', () => {
    const mn = getNetwork('mobilenet-0.5-128');
    expect(mn.layers.length).toBe(28);
    expect(mn.layers.reduce((s, l) => s + macs(l.layer), 0)).toBe(49_160_192);
    const ax = getNetwork('alexnet');
    expect(ax.layers.reduce((s, l) => s + macs(l.layer), 0)).toBe(724_406_816);
    const shapes: [number, number, number, number][] = [
      [7, 64, 64, 32],
      [9, 64, 128, 16],
      [13, 128, 256, 8],
      [19, 256, 256, 8],
      [21, 256, 256, 8],
      [23, 256, 256, 8],
      [25, 256, 512, 4],
      [27, 512, 512, 4],
    ];
    for (const [idx, C, M, E] of shapes) {
      const l = mn.layers[idx - 1]!;
      expect([l.layer.type, l.layer.C, l.layer.M, outH(l.layer)], `L${idx}`).toEqual(['pointwise', C, M, E]);
    }
    expect(mn.layers[26]!.sparse).toEqual({ iact: 0.58, weight: 0.3 });
    expect(mn.layers[27]!.layer.type).toBe('fc');
    const mn1 = getNetwork('mobilenet-1.0-224');
    expect(mn1.layers.reduce((s, l) => s + macs(l.layer), 0)).toBe(568_740_352);
    expect(getNetwork('googlenet').layers.length).toBe(58);
    expect(() => parseNetworkName('resnet')).toThrow(/unknown network 'resnet'; choose one of/);
  });

  it('generates the same data from the same seed and the requested densities', () => {
    const net = getNetwork('mobilenet-0.5-128');
    const a = networkLayerData(net, 6, 'sparse', 3),
      b = networkLayerData(net, 6, 'sparse', 3),
      c = networkLayerData(net, 6, 'sparse', 4);
    expect(a).toEqual(b);
    expect(a.weights).not.toEqual(c.weights);
    expect(density(a.weights)).toBeCloseTo(0.52, 1);
    expect(density(a.iacts)).toBeCloseTo(0.73, 1);
    expect(density(networkLayerData(net, 6, 'dense', 3).weights)).toBe(1);
  });

  it("gives AlexNet's CONV layers the iact densities Eyeriss v1 measured on real images, its FC layers EIE's", () => {
    const net = getNetwork('alexnet');
    expect(ALEXNET_CONV_IACT_DENSITY).toEqual([1, 0.613, 0.275, 0.207, 0.224]);
    const wanted = net.layers.map((_, k) => ALEXNET_CONV_IACT_DENSITY[k] ?? ALEXNET_FC_IACT_DENSITY);
    wanted.forEach((want, k) => {
      for (const variant of ['sparse', 'dense'] as const) {
        expect(Math.abs(density(networkLayerData(net, k, variant, 1).iacts) - want), `${net.layers[k]!.layer.name} ${variant}`).toBeLessThan(0.01);
      }
    });
  });

  it("gives every sparse MobileNet layer the effectual fraction of the Sparseloop artifact's reference PE", () => {
    // The listed layers (spec 6.5) are independent of the artifact, so they check that its cycles
    // measure effectual MACs; the other layers check the derivation and the generated data.
    const net = getNetwork('mobilenet-0.5-128');
    net.layers.forEach((nl, i) => {
      const effectual = nonzeroMacs(nl.layer, networkLayerData(net, i, 'sparse', 1));
      const inBounds = nonzeroMacs(nl.layer, generateLayerData(nl.layer, { iact: 1, weight: 1 }, 1));
      const reference = MOBILENET_REFERENCE_PE_CYCLES[i]! / macs(nl.layer);
      expect(Math.abs(effectual / inBounds - reference), nl.layer.name).toBeLessThan(0.03);
    });
    expect(getNetwork('mobilenet-1.0-224').layers.map((l) => l.sparse)).toEqual(net.layers.map((l) => l.sparse));
  });
});

describe('RS+ mapper', () => {
  it('maps every layer of the four networks on the paper configuration, within every SPad limit', () => {
    for (const name of NETWORK_NAMES) {
      for (const { layer } of getNetwork(name).layers) {
        const m = mapLayer(layer);
        expect(m.pe.M0).toBeLessThanOrEqual(paperArch.spads.psum.depth);
        expect(m.pe.cols).toBeLessThanOrEqual(paperArch.spads.weightAddr.depth);
        expect(m.pe.segmentLength * m.pe.segmentsPerWindow).toBeLessThanOrEqual(paperArch.spads.iactData.depth);
        expect(m.pe.segmentLength).toBeLessThan(paperArch.spads.iactData.depth);
        expect(m.maxWeightWords).toBeLessThanOrEqual(paperArch.spads.weightData.depth);
        expect(m.stacksUsed * m.stack.height).toBeLessThanOrEqual(totalPes(paperArch));
        expect(m.stacksUsed).toBeLessThanOrEqual(m.stacksAvailable);
      }
    }
  });

  it('names the limit when a layer cannot be mapped', () => {
    const wide = makeLayer({ name: 'wide-filter', type: 'conv', C: 3, M: 8, H: 40, W: 40, R: 3, S: 17 });
    expect(() => mapLayer(wide)).toThrow(MappingError);
    expect(() => mapLayer(wide)).toThrow(/cannot map layer 'wide-filter': filter width S=17 .* \(limit: spads\.weightAddr\.depth\)/);
    const tiny = parseArch({ ...paperArch, name: 'tiny', spads: { ...paperArch.spads, iactData: { depth: 4, width: 12 }, iactAddr: { depth: 9, width: 2 } } });
    const l = makeLayer({ name: 'k5', type: 'conv', C: 3, M: 8, H: 20, W: 20, R: 5, S: 5 });
    expect(() => mapLayer(l, { arch: tiny })).toThrow(/limit: spads\.iactData\.depth/);
    const shallow = parseArch({ ...paperArch, name: 'shallow', spads: { ...paperArch.spads, iactAddr: { depth: 2, width: 4 } } });
    expect(() => mapLayer(makeLayer({ name: 'k3', type: 'depthwise', C: 4, M: 4, H: 8, W: 8 }), { arch: shallow })).toThrow(/limit: spads\.iactAddr\.depth/);
    const narrow = parseArch({ ...paperArch, name: 'narrow', spads: { ...paperArch.spads, weightData: { depth: 2, width: 24 } } });
    expect(() => mapLayer(makeLayer({ name: 'k3', type: 'conv', C: 4, M: 4, H: 8, W: 8 }), { arch: narrow })).toThrow(/limit: spads\.weightData\.depth/);
  });

  it('counts a weight column per window position, past the filter when the stride does not divide S', () => {
    // A 32-entry iact SPad lets a window of C0 = 3 (3 segments of 6) in; its 18 columns would
    // not fit the 16-entry weight address SPad although C0*S = 15 does.
    const deep = parseArch({
      ...paperArch,
      name: 'deep-iact',
      spads: { ...paperArch.spads, iactData: { depth: 32, width: 12 }, iactAddr: { depth: 9, width: 5 } },
    });
    const l = makeLayer({ name: 's5u2', type: 'conv', C: 21, M: 30, H: 3, W: 7, R: 1, S: 5, stride: 2, groups: 3 });
    const m = mapLayer(l, { arch: deep });
    expect(m.pe.segmentLength * m.pe.segmentsPerWindow).toBe(m.pe.C0 * 2 * 3);
    expect(m.pe.C0 * 2 * 3).toBeLessThanOrEqual(deep.spads.weightAddr.depth);
    const narrow = parseArch({ ...paperArch, name: 'narrow-addr', spads: { ...paperArch.spads, weightAddr: { depth: 5, width: 7 } } });
    expect(() => mapLayer(l, { arch: narrow })).toThrow(/S=5 at stride 2 needs 6 weight columns even with C0=1.*limit: spads\.weightAddr\.depth/);
  });

  it('packs sparse weights into nominally larger tiles than dense ones', () => {
    const net = getNetwork('alexnet');
    const i = 7; // FC8: weight density 0.25
    const dense = mapLayer(net.layers[i]!.layer);
    const sparse = mapLayer(net.layers[i]!.layer, { weights: networkLayerData(net, i, 'sparse', 1).weights });
    expect(dense.pe.M0 * dense.pe.cols).toBeLessThanOrEqual(192);
    expect(sparse.pe.M0 * sparse.pe.cols).toBeGreaterThan(192);
    expect(sparse.maxWeightWords).toBeLessThanOrEqual(96);
  });

  it('a layer whose psums cannot wait in the GLB between reduction passes is unmappable, naming the limit', () => {
    // One cluster row: a stack cannot borrow psum banks from clusters below it.
    const tiny = parseArch({ ...paperArch, name: 'tiny-glb', clusterRows: 1, glb: { ...paperArch.glb, psumBankBytes: 1 } });
    const l = makeLayer({ name: 'deep', type: 'pointwise', C: 2000, M: 32, H: 4, W: 4 });
    let err: unknown;
    try {
      mapLayer(l, { arch: tiny });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MappingError);
    expect((err as MappingError).limit).toBe('glb.psumBankBytes');
    expect(() => mapLayer(l)).not.toThrow();
  });
});
