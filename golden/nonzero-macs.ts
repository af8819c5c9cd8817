import { channelsPerGroup, filtersPerGroup, outH, outW, type Layer, type LayerData } from './layers.js';

/**
 * Products of a non-zero iact and a non-zero weight (padding excluded): the work a zero-skipping
 * PE cannot avoid, hence the numerator of the ideal cycle count. Counted per (g, c, r, s) as
 * (non-zero weights over m) x (non-zero iacts that weight position meets over n, e, f), which is
 * C*R*S*N*E*F steps instead of the M times larger MAC loop.
 */
export function nonzeroMacs(l: Layer, d: LayerData): number {
  const E = outH(l),
    F = outW(l),
    Cg = channelsPerGroup(l),
    Mg = filtersPerGroup(l);
  const { N, C, H, W, R, S, stride: U, padding: P } = l;
  let total = 0;
  for (let g = 0; g < l.groups; g++) {
    for (let c = 0; c < Cg; c++) {
      for (let r = 0; r < R; r++) {
        for (let s = 0; s < S; s++) {
          let wnz = 0;
          for (let mg = 0; mg < Mg; mg++) if (d.weights[(((g * Mg + mg) * Cg + c) * R + r) * S + s] !== 0) wnz++;
          if (wnz === 0) continue;
          let inz = 0;
          for (let n = 0; n < N; n++) {
            const plane = (n * C + g * Cg + c) * H;
            for (let e = 0; e < E; e++) {
              const h = e * U + r - P;
              if (h < 0 || h >= H) continue;
              for (let f = 0; f < F; f++) {
                const x = f * U + s - P;
                if (x >= 0 && x < W && d.iacts[(plane + h) * W + x] !== 0) inz++;
              }
            }
          }
          total += wnz * inz;
        }
      }
    }
  }
  return total;
}
