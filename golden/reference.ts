// Functional reference: the layer computed directly from its definition, no tiling, no CSC.
// Everything else in golden/ (chip model, RTL) is checked against this.
import { MAX_SCALED_SHIFT, PSUM_BITS, checkRequant, wrapPsum, requantize, type Requant } from '../spec/numerics.js';
import { channelsPerGroup, checkLayerData, filtersPerGroup, outH, outW, type Layer, type LayerData } from './layers.js';

/** Raw output: 20-bit psums sign-extended to int32, NMEF. */
export function referenceLayer(l: Layer, d: LayerData): Int32Array {
  checkLayerData(l, d);
  const E = outH(l),
    F = outW(l),
    Cg = channelsPerGroup(l),
    Mg = filtersPerGroup(l);
  const { H, W, R, S, stride: U, padding: P } = l;
  const out = new Int32Array(l.N * l.M * E * F);
  for (let n = 0; n < l.N; n++) {
    for (let m = 0; m < l.M; m++) {
      const g = Math.floor(m / Mg);
      const obase = (n * l.M + m) * E * F;
      for (let c = 0; c < Cg; c++) {
        const ibase = (n * l.C + g * Cg + c) * H * W;
        for (let r = 0; r < R; r++) {
          for (let s = 0; s < S; s++) {
            const wv = d.weights[((m * Cg + c) * R + r) * S + s]!;
            if (wv === 0) continue;
            for (let e = 0; e < E; e++) {
              const h = e * U + r - P;
              if (h < 0 || h >= H) continue;
              const orow = obase + e * F;
              const irow = ibase + h * W;
              for (let f = 0; f < F; f++) {
                const w = f * U + s - P;
                if (w < 0 || w >= W) continue;
                // Int32 wrap-around is harmless: the final 20-bit wrap is modular too.
                out[orow + f] = (out[orow + f]! + wv * d.iacts[irow + w]!) | 0;
              }
            }
          }
        }
      }
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = wrapPsum(out[i]!);
  return out;
}

/** Only the outputs at `indices` (NMEF flat indices), for spot checks of big layers. */
export function referenceOutputs(l: Layer, d: LayerData, indices: ArrayLike<number>): Int32Array {
  const E = outH(l),
    F = outW(l),
    Cg = channelsPerGroup(l),
    Mg = filtersPerGroup(l);
  const { H, W, R, S, stride: U, padding: P } = l;
  const out = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const idx = indices[k]!;
    const f = idx % F,
      e = Math.floor(idx / F) % E,
      m = Math.floor(idx / (E * F)) % l.M,
      n = Math.floor(idx / (E * F * l.M));
    const g = Math.floor(m / Mg);
    let acc = 0;
    for (let c = 0; c < Cg; c++) {
      for (let r = 0; r < R; r++) {
        const h = e * U + r - P;
        if (h < 0 || h >= H) continue;
        for (let s = 0; s < S; s++) {
          const w = f * U + s - P;
          if (w < 0 || w >= W) continue;
          acc = (acc + d.weights[((m * Cg + c) * R + r) * S + s]! * d.iacts[((n * l.C + g * Cg + c) * H + h) * W + w]!) | 0;
        }
      }
    }
    out[k] = wrapPsum(acc);
  }
  return out;
}

/**
 * The output stage the benchmark networks run with (their layers are generated one by one, so no
 * scale chains them): ReLU and the smallest shift at which no output saturates. With `scaled`
 * (the layer and a multiplier per output channel), the same over the scaled psums, shifts 0..31.
 */
export function benchmarkRequant(raw: Int32Array, scaled?: { layer: Layer; multipliers: readonly number[] }): Requant {
  const plane = scaled === undefined ? 1 : outH(scaled.layer) * outW(scaled.layer);
  let top = 0;
  for (let i = 0; i < raw.length; i++) top = Math.max(top, raw[i]! * (scaled === undefined ? 1 : scaled.multipliers[Math.floor(i / plane) % scaled.layer.M]!));
  const rounded = (s: number): number => (s === 0 ? top : Math.floor((top + 2 ** (s - 1)) / 2 ** s));
  const most = scaled === undefined ? PSUM_BITS - 1 : MAX_SCALED_SHIFT;
  let shift = 0;
  while (shift < most && rounded(shift) > 255) shift++;
  return { activation: 'relu', shift, ...(scaled && { multipliers: [...scaled.multipliers] }) };
}

/** The 8-bit outputs of a layer's NMEF psums; output channel m takes multipliers[m] when the requant has them. */
export function requantizeAll(l: Layer, raw: Int32Array, q: Requant): Uint8Array {
  if (q.multipliers !== undefined && q.multipliers.length !== l.M)
    throw new RangeError(`layer '${l.name}' has ${l.M} output channels but its requant ${q.multipliers.length} multipliers`);
  checkRequant(q);
  const plane = outH(l) * outW(l);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = requantize(raw[i]!, q, Math.floor(i / plane) % l.M);
  return out;
}
