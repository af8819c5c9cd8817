// Typed reads of ONNX attributes and inputs. The ONNX reader hands every attribute over as a loose
// AttrValue; these turn a wrong type or a missing required value into a HostOpError naming it.
import { HostOpError, type Tensor } from './tensor.js';

export type AttrValue = number | string | number[] | Tensor;
export type Attrs = Readonly<Record<string, AttrValue>>;

const isTensor = (v: AttrValue): v is Tensor => typeof v === 'object' && !Array.isArray(v);

export function attrInt(op: string, attrs: Attrs, name: string, dflt: number): number {
  const v = attrs[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new HostOpError(`${op}: attribute ${name} must be an integer, got ${describe(v)}`);
  return v;
}

export function attrFloat(op: string, attrs: Attrs, name: string, dflt: number): number {
  const v = attrs[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number') throw new HostOpError(`${op}: attribute ${name} must be a number, got ${describe(v)}`);
  return v;
}

export function attrString(op: string, attrs: Attrs, name: string, dflt: string): string {
  const v = attrs[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'string') throw new HostOpError(`${op}: attribute ${name} must be a string, got ${describe(v)}`);
  return v;
}

/** An INTS attribute, or undefined when absent. A single number is accepted as a one-element list. */
export function attrInts(op: string, attrs: Attrs, name: string): number[] | undefined {
  const v = attrs[name];
  if (v === undefined) return undefined;
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list) || !list.every(Number.isInteger)) throw new HostOpError(`${op}: attribute ${name} must be a list of integers, got ${describe(v)}`);
  return list;
}

/** Values of a constant integer input (axes, pads, shape, indices): each must be an integer. */
export function intValues(op: string, what: string, t: Tensor): number[] {
  const out = Array.from(t.data);
  if (!out.every(Number.isInteger)) throw new HostOpError(`${op}: ${what} must hold integers, got [${out.join(',')}]`);
  return out;
}

/** Input `i`, which the op cannot do without. */
export function required<T>(op: string, inputs: readonly (T | null | undefined)[], i: number, what: string): T {
  const v = inputs[i];
  if (v === null || v === undefined) throw new HostOpError(`${op}: input ${i} (${what}) is missing`);
  return v;
}

/** Input `i` of a shape-inference call when its value must be known: a constant. */
export function requiredConst(op: string, consts: readonly (Tensor | null)[], i: number, what: string): Tensor {
  const v = consts[i];
  if (v === null || v === undefined)
    throw new HostOpError(`${op}: input ${i} (${what}) must be a constant (an initializer or folded) to infer the output shape`);
  return v;
}

function describe(v: AttrValue): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.join(',')}]`;
  return isTensor(v) ? `a tensor of shape [${v.shape.join(',')}]` : String(v);
}
