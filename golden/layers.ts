// Layer shapes. Every type is a grouped convolution underneath (spec 5.3): depth-wise has
// groups = C = M, point-wise R = S = 1, fully connected R = H and S = W so that E = F = 1.
// Tensors: iacts NCHW, weights MCRS with C = channels per group (PyTorch layout), outputs NMEF.

export type LayerType = 'conv' | 'depthwise' | 'pointwise' | 'fc';

export interface Layer {
  name: string;
  type: LayerType;
  /** Batch. */
  N: number;
  /** Input channels (all groups). */
  C: number;
  /** Output channels (all groups). */
  M: number;
  H: number;
  W: number;
  R: number;
  S: number;
  stride: number;
  padding: number;
  groups: number;
  /** Iacts are uint8 unless set (the chip's signed/unsigned iact mode). */
  iactSigned: boolean;
}

export type LayerInput = Pick<Layer, 'type' | 'C' | 'M' | 'H' | 'W'> & Partial<Layer>;

/** Fills the defaults of a layer type and rejects inconsistent shapes with a message naming the field. */
export function makeLayer(input: LayerInput): Layer {
  const t = input.type;
  const l: Layer = {
    name: input.name ?? t,
    type: t,
    N: input.N ?? 1,
    C: input.C,
    M: input.M,
    H: input.H,
    W: input.W,
    R: input.R ?? (t === 'pointwise' ? 1 : t === 'fc' ? input.H : 3),
    S: input.S ?? (t === 'pointwise' ? 1 : t === 'fc' ? input.W : 3),
    stride: input.stride ?? 1,
    padding: input.padding ?? 0,
    groups: input.groups ?? (t === 'depthwise' ? input.C : 1),
    iactSigned: input.iactSigned ?? false,
  };
  const where = `layer '${l.name}' (${t})`;
  for (const k of ['N', 'C', 'M', 'H', 'W', 'R', 'S', 'stride', 'groups'] as const) {
    if (!Number.isInteger(l[k]) || l[k] < 1) throw new RangeError(`${where}: ${k} = ${l[k]} must be a positive integer`);
  }
  if (!Number.isInteger(l.padding) || l.padding < 0) throw new RangeError(`${where}: padding = ${l.padding} must be a non-negative integer`);
  if (l.C % l.groups !== 0 || l.M % l.groups !== 0) {
    throw new RangeError(`${where}: groups = ${l.groups} must divide C = ${l.C} and M = ${l.M}`);
  }
  if (t === 'depthwise' && !(l.groups === l.C && l.M === l.C)) {
    throw new RangeError(`${where}: depth-wise needs groups = C = M (got groups ${l.groups}, C ${l.C}, M ${l.M})`);
  }
  if (t === 'pointwise' && (l.R !== 1 || l.S !== 1)) throw new RangeError(`${where}: point-wise needs R = S = 1 (got ${l.R}x${l.S})`);
  if (t === 'fc' && (l.R !== l.H || l.S !== l.W || l.stride !== 1 || l.padding !== 0 || l.groups !== 1)) {
    throw new RangeError(`${where}: fully connected needs R = H, S = W, stride 1, padding 0, groups 1 (a C*H*W -> M matrix product)`);
  }
  if (l.H + 2 * l.padding < l.R || l.W + 2 * l.padding < l.S) {
    throw new RangeError(`${where}: filter ${l.R}x${l.S} is larger than the padded input ${l.H + 2 * l.padding}x${l.W + 2 * l.padding}`);
  }
  return l;
}

export const outH = (l: Layer): number => Math.floor((l.H + 2 * l.padding - l.R) / l.stride) + 1;
export const outW = (l: Layer): number => Math.floor((l.W + 2 * l.padding - l.S) / l.stride) + 1;
export const channelsPerGroup = (l: Layer): number => l.C / l.groups;
export const filtersPerGroup = (l: Layer): number => l.M / l.groups;
export const iactCount = (l: Layer): number => l.N * l.C * l.H * l.W;
export const weightCount = (l: Layer): number => l.M * channelsPerGroup(l) * l.R * l.S;
export const outputCount = (l: Layer): number => l.N * l.M * outH(l) * outW(l);
/** Nominal MACs (zeros included), as the paper counts operations. */
export const macs = (l: Layer): number => outputCount(l) * channelsPerGroup(l) * l.R * l.S;

/** The data of one layer: iacts NCHW (uint8 or int8 values), weights MCRS (int8 values). */
export interface LayerData {
  iacts: Int32Array;
  weights: Int32Array;
}

export function checkLayerData(l: Layer, d: LayerData): void {
  if (d.iacts.length !== iactCount(l)) {
    throw new RangeError(`layer '${l.name}': iacts have ${d.iacts.length} values, N*C*H*W = ${iactCount(l)}`);
  }
  if (d.weights.length !== weightCount(l)) {
    throw new RangeError(`layer '${l.name}': weights have ${d.weights.length} values, M*(C/groups)*R*S = ${weightCount(l)}`);
  }
  const [lo, hi] = l.iactSigned ? [-128, 127] : [0, 255];
  const ia = d.iacts,
    wa = d.weights;
  for (let i = 0; i < ia.length; i++) {
    const v = ia[i]!;
    if (v < lo || v > hi) throw new RangeError(`layer '${l.name}': iact ${v} outside ${l.iactSigned ? 'int8' : 'uint8'} range; set iactSigned or fix the data`);
  }
  for (let i = 0; i < wa.length; i++) {
    const v = wa[i]!;
    if (v < -128 || v > 127) throw new RangeError(`layer '${l.name}': weight ${v} outside int8 range`);
  }
}
