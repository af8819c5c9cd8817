import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { benchmarkRequant, referenceLayer, requantizeAll } from '../../golden/reference.js';
import { channelsPerGroup, filtersPerGroup, makeLayer, outH, outW, type Layer, type LayerData, type LayerType } from '../../golden/layers.js';
import { generateLayerData } from '../../golden/random.js';
import { wrapPsum, requantize } from '../../spec/numerics.js';
import { randomSmallLayer } from '../../golden/random-layer.js';

await tf.setBackend('cpu');

/** The same layer through tfjs (float32 is exact: every |sum| < 2^24 here), NMEF, wrapped to 20 bits. */
function tfjsLayer(l: Layer, d: LayerData): Int32Array {
  const E = outH(l),
    F = outW(l),
    Cg = channelsPerGroup(l),
    Mg = filtersPerGroup(l);
  const P = l.padding;
  return tf.tidy(() => {
    const x = tf.transpose(tf.tensor4d(Float32Array.from(d.iacts), [l.N, l.C, l.H, l.W]), [0, 2, 3, 1]);
    const xp = tf.pad(x, [
      [0, 0],
      [P, P],
      [P, P],
      [0, 0],
    ]);
    const w = tf.transpose(tf.tensor4d(Float32Array.from(d.weights), [l.M, Cg, l.R, l.S]), [2, 3, 1, 0]); // R S Cg M
    let y: tf.Tensor4D;
    if (l.type === 'depthwise') {
      y = tf.depthwiseConv2d(xp, tf.reshape<tf.Rank.R4>(w, [l.R, l.S, l.C, 1]), l.stride, 'valid');
    } else {
      const parts: tf.Tensor4D[] = [];
      for (let g = 0; g < l.groups; g++) {
        const xg = tf.slice(xp, [0, 0, 0, g * Cg], [-1, -1, -1, Cg]);
        const wg = tf.slice(w, [0, 0, 0, g * Mg], [-1, -1, -1, Mg]);
        parts.push(tf.conv2d(xg, wg, l.stride, 'valid'));
      }
      y = parts.length === 1 ? parts[0]! : tf.concat(parts, 3);
    }
    expect(y.shape).toEqual([l.N, E, F, l.M]);
    const vals = tf.transpose(y, [0, 3, 1, 2]).dataSync();
    return Int32Array.from(vals, (v) => wrapPsum(v));
  });
}

describe('functional reference vs tfjs', () => {
  const types: LayerType[] = ['conv', 'depthwise', 'pointwise', 'fc'];
  for (const type of types) {
    it(`agrees on 100 random ${type} layers (densities 0..1, batch 1-2)`, () => {
      for (let i = 0; i < 100; i++) {
        const seed = 1000 * types.indexOf(type) + i;
        const l = randomSmallLayer(seed, type);
        const d = generateLayerData(l, { iact: (i % 5) / 4, weight: ((i * 3) % 5) / 4 }, seed);
        expect(referenceLayer(l, d), `${type} seed ${seed}`).toEqual(tfjsLayer(l, d));
      }
    });
  }
});

describe('numerics', () => {
  it('wraps psums as a 20-bit adder (not saturating)', () => {
    // 64 products of 255*127 = 2,072,640 overflow 20 bits.
    const l = makeLayer({ type: 'fc', C: 64, M: 1, H: 1, W: 1 });
    const out = referenceLayer(l, { iacts: new Int32Array(64).fill(255), weights: new Int32Array(64).fill(127) });
    expect(out[0]).toBe(2072640 - 2 * 2 ** 20);
    expect(wrapPsum(2 ** 19)).toBe(-(2 ** 19));
    expect(wrapPsum(2 ** 19 - 1)).toBe(2 ** 19 - 1);
    expect(wrapPsum(-(2 ** 19) - 1)).toBe(2 ** 19 - 1);
  });

  it('requantizes with ReLU, round-half-up shift and uint8 saturation', () => {
    const relu = (shift: number) => ({ activation: 'relu' as const, shift });
    expect(requantize(-5, relu(0))).toBe(0);
    expect(requantize(300, relu(0))).toBe(255);
    expect(requantize(6, relu(2))).toBe(2); // 1.5 -> 2
    expect(requantize(5, relu(2))).toBe(1); // 1.25 -> 1
    expect(requantize(-7, { activation: 'relu', shift: 1 })).toBe(0);
    expect(requantize(2 ** 19 - 1, relu(11))).toBe(255);
    expect(requantize(2 ** 19 - 1, relu(12))).toBe(128);
    expect(() => requantize(1, relu(20))).toThrow(/shift 20/);
    const fc4 = makeLayer({ type: 'fc', C: 1, M: 4, H: 1, W: 1 });
    expect(Array.from(requantizeAll(fc4, Int32Array.from([-1, 1, 3, 510]), relu(1)))).toEqual([0, 1, 2, 255]);
  });

  it('multiplies each output channel by its multiplier before the shift (the optional output multiplier)', () => {
    const q = (shift: number, multipliers: number[]) => ({ activation: 'relu' as const, shift, multipliers });
    expect(requantize(3, q(2, [1, 5]), 1)).toBe(4); // 15 / 4 = 3.75 -> 4
    expect(requantize(-3, q(0, [7]), 0)).toBe(0); // ReLU first
    expect(requantize(2 ** 19 - 1, q(31, [2 ** 16 - 1]), 0)).toBe(16); // the widest product, 34.99 bits: 15.99.. rounds to 16
    expect(requantize(100, q(25, [1]), 0)).toBe(0); // shifts past the psum's width are allowed with multipliers
    expect(requantize(200, q(0, [0]), 0)).toBe(0);
    expect(() => requantize(1, q(32, [1]), 0)).toThrow(/shift 32/);
    expect(() => requantize(1, q(3, [1]), 1)).toThrow(/channel 1 has no multiplier/);
    expect(() => requantizeAll(makeLayer({ type: 'fc', C: 1, M: 2, H: 1, W: 1 }), Int32Array.from([1, 2]), q(1, [1, 2 ** 16]))).toThrow(
      /multipliers\[1\] = 65536/,
    );
    // NMEF: channel m's plane takes multipliers[m].
    const l = makeLayer({ type: 'conv', C: 1, M: 2, H: 2, W: 2, R: 1, S: 1 });
    const raw = Int32Array.from([4, 8, 12, 16, 4, 8, 12, 16]);
    expect(Array.from(requantizeAll(l, raw, q(2, [1, 3])))).toEqual([1, 2, 3, 4, 3, 6, 9, 12]);
    expect(() => requantizeAll(l, raw, q(2, [1]))).toThrow(/2 output channels but its requant 1 multipliers/);
    // The benchmark's shift over scaled psums: channel 1's 1000 * 200 needs 10 (195), 9 would saturate (391).
    const scaled = benchmarkRequant(Int32Array.from([4, 8, 12, 16, 4, 8, 12, 1000]), { layer: l, multipliers: [1, 200] });
    expect(scaled).toEqual(q(10, [1, 200]));
    expect(Math.max(...requantizeAll(l, Int32Array.from([4, 8, 12, 16, 4, 8, 12, 1000]), scaled))).toBe(195);
  });
});
