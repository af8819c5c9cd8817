// Dependent chains on the golden side (golden/chain.ts): each layer reads the one before it, the
// shifts are the calibrated ones, and a network's global pooling is a layer that averages.
import { describe, expect, it } from 'vitest';
import { chainReference, globalPoolLayer, networkChain } from '../../golden/chain.js';
import { getNetwork } from '../../golden/networks.js';
import { makeLayer, outH, outW } from '../../golden/layers.js';
import { referenceLayer, requantizeAll } from '../../golden/reference.js';
import { generateLayerData } from '../../golden/random.js';

describe('dependent chains (golden/chain.ts)', () => {
  it("sparse MobileNet 0.5-128: 28 layers and its pooling, each reading the previous layer's 8-bit outputs", () => {
    const { layers, outputs } = networkChain('mobilenet-0.5-128', 'sparse', 1);
    const net = getNetwork('mobilenet-0.5-128');
    expect(layers.map((x) => x.layer.name)).toEqual([...net.layers.slice(0, 27).map((x) => x.layer.name), 'L27-pw-pool', 'L28-fc']);
    layers.forEach((x, i) => {
      if (i > 0) {
        expect(
          x.data.iacts.every((v, k) => v === outputs[i - 1]![k]) && x.data.iacts.length === outputs[i - 1]!.length,
          `${x.layer.name} reads the outputs before it`,
        ).toBe(true);
        expect(x.layer.iactSigned).toBe(false);
      }
      const want = requantizeAll(x.layer, referenceLayer(x.layer, x.data), x.requant);
      expect(want.every((v, k) => v === outputs[i]![k])).toBe(true);
      // Calibrated: the largest output is in the upper half of the byte, none saturates needlessly.
      expect(
        outputs[i]!.reduce((a, v) => Math.max(a, v), 0),
        x.layer.name,
      ).toBeGreaterThan(x.layer.name.endsWith('pool') ? 0 : 127);
    });
    const pool = layers[27]!;
    expect([pool.layer.type, pool.layer.R, pool.layer.S, outH(pool.layer), outW(pool.layer), pool.requant.shift]).toEqual(['depthwise', 4, 4, 1, 1, 4]);
  });

  it('global pooling averages each channel, rounding half up', () => {
    const { layer, weights, requant } = globalPoolLayer('pool', 3, 2, 4);
    const iacts = Int32Array.from({ length: 24 }, (_, i) => (i * 37) % 256);
    const got = requantizeAll(layer, referenceLayer(layer, { iacts, weights }), requant);
    for (let c = 0; c < 3; c++) {
      const sum = iacts.slice(c * 8, c * 8 + 8).reduce((a, v) => a + v, 0);
      expect(got[c]).toBe(Math.floor((sum + 4) / 8));
    }
    expect(() => globalPoolLayer('pool', 3, 3, 3)).toThrow(/power of two/);
  });

  it('refuses a layer whose input shape is not the previous output shape', () => {
    const a = makeLayer({ name: 'a', type: 'pointwise', C: 4, M: 8, H: 4, W: 4 });
    const b = makeLayer({ name: 'b', type: 'pointwise', C: 6, M: 8, H: 4, W: 4, iactSigned: false });
    const d = generateLayerData(a, { iact: 1, weight: 1 }, 1);
    expect(() =>
      chainReference(d.iacts, [
        { layer: a, weights: d.weights },
        { layer: b, weights: generateLayerData(b, { iact: 1, weight: 1 }, 2).weights },
      ]),
    ).toThrow(/'b' takes 1x6x4x4 iacts \(NCHW\), 'a' before it gives 1x8x4x4/);
  });
});
