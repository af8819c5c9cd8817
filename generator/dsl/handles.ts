import { BundleType, Flipped, GroundType, VecType, type Fields, type HwType } from './types.js';
import { Expr, Signal, lit, mux, type Operand } from './expr.js';
import { flatName } from './naming.js';

/**
 * Handles are what a module body holds for a declared port, wire or register: a Signal for a
 * ground type, a VecHandle for a Vec and a plain record for a Bundle. Aggregates are flattened
 * into one Signal per leaf, so the emitted Verilog has only vectors.
 */
export type Handle<T> = T extends VecType<infer E> ? VecHandle<Handle<E>> : T extends BundleType<infer F> ? BundleHandle<F> : Signal;

export type BundleHandle<F extends Fields> = {
  [K in keyof F]: F[K] extends Flipped<infer U> ? Handle<U> : Handle<F[K]>;
};

export type AnyHandle = Signal | VecHandle<AnyHandle> | { [k: string]: AnyHandle };

const TYPE = Symbol('hwtype');

export class VecHandle<H> implements Iterable<H> {
  constructor(
    readonly elems: H[],
    readonly type: VecType,
  ) {}
  get length(): number {
    return this.elems.length;
  }
  get(i: number): H {
    const e = this.elems[i];
    if (e === undefined) throw new Error(`Vec index ${i} is out of range 0..${this.elems.length - 1}`);
    return e;
  }
  [Symbol.iterator](): Iterator<H> {
    return this.elems[Symbol.iterator]();
  }
  /**
   * Dynamic read of a Vec of ground values: a mux chain over the elements. An index past the
   * end reads the last element.
   */
  read(index: Expr): Expr {
    checkIndex(index, 'read');
    const leaves = this.groundElems('read');
    let out: Expr = leaves[leaves.length - 1]!;
    for (let i = leaves.length - 2; i >= 0; i--) out = mux(index.eq(i), leaves[i]!, out);
    return out;
  }
  /** Dynamic write of a Vec of ground values: element i is connected when index == i. */
  write(index: Expr, value: Operand): void {
    checkIndex(index, 'write');
    const leaves = this.groundElems('write');
    leaves.forEach((leaf, i) => {
      // Elements the index cannot reach are never written.
      if (BigInt(i) >= 1n << BigInt(index.width)) return;
      leaf.owner.when(index.eq(lit(i, index.width)), () => leaf.set(value));
    });
  }
  private groundElems(what: string): Signal[] {
    if (!(this.elems[0] instanceof Signal)) throw new Error(`Vec.${what} with a dynamic index needs ground elements`);
    return this.elems as unknown as Signal[];
  }
}

function checkIndex(index: Expr, what: string): void {
  if (index.signed) throw new Error(`Vec.${what}: the index must be a UInt, got ${index.type.toString()}`);
}

export function typeOfHandle(h: AnyHandle): HwType {
  if (h instanceof Signal) return h.type;
  if (h instanceof VecHandle) return h.type;
  return (h as Record<symbol, HwType>)[TYPE]!;
}

/** Builds a handle tree; `leaf` makes the Signal for each ground leaf, told whether it is flipped. */
export function buildHandle(type: HwType, name: string, flipped: boolean, leaf: (name: string, type: GroundType, flipped: boolean) => Signal): AnyHandle {
  if (type instanceof GroundType) return leaf(name, type, flipped);
  if (type instanceof VecType) {
    const elems = Array.from({ length: type.length }, (_, i) => buildHandle(type.element, flatName(name, i), flipped, leaf));
    return new VecHandle(elems, type);
  }
  const rec: Record<string, AnyHandle> = {};
  for (const [field, spec] of Object.entries(type.fields)) {
    const isFlip = spec instanceof Flipped;
    rec[field] = buildHandle(isFlip ? spec.type : spec, flatName(name, field), flipped !== isFlip, leaf);
  }
  Object.defineProperty(rec, TYPE, { value: type, enumerable: false });
  return rec;
}

/** Ground leaves of a handle with their flip parity, in declaration order. */
export function leavesOf(h: AnyHandle, flipped = false, out: { sig: Signal; flipped: boolean }[] = []) {
  if (h instanceof Signal) {
    out.push({ sig: h, flipped });
  } else if (h instanceof VecHandle) {
    for (const e of h.elems) leavesOf(e, flipped, out);
  } else {
    const t = typeOfHandle(h) as BundleType;
    for (const [field, spec] of Object.entries(t.fields)) {
      leavesOf((h as Record<string, AnyHandle>)[field]!, flipped !== spec instanceof Flipped, out);
    }
  }
  return out;
}
