/**
 * Hardware types. Ground types (Bool, UInt, SInt) become one Verilog vector;
 * Vec and Bundle are flattened by the emitter into one vector per leaf, named
 * `<parent>_<field>` / `<parent>_<index>`, so that every Verilog tool sees plain ports.
 */

export { log2Ceil, widthOf } from '../../spec/bits.js';

export type GroundKind = 'uint' | 'sint';

export class GroundType {
  readonly tag = 'ground' as const;
  constructor(
    readonly kind: GroundKind,
    readonly width: number,
    /** Bool is UInt<1> that reads as a condition; kept apart only for documentation and printing. */
    readonly isBool = false,
  ) {
    if (!Number.isInteger(width) || width < 1) {
      throw new Error(`hardware types need an integer width >= 1, got ${width}`);
    }
  }
  get signed(): boolean {
    return this.kind === 'sint';
  }
  toString(): string {
    if (this.isBool) return 'Bool';
    return `${this.kind === 'sint' ? 'SInt' : 'UInt'}<${this.width}>`;
  }
}

export class VecType<E extends HwType = HwType> {
  readonly tag = 'vec' as const;
  constructor(
    readonly length: number,
    readonly element: E,
  ) {
    if (!Number.isInteger(length) || length < 1) {
      throw new Error(`Vec needs an integer length >= 1, got ${length}`);
    }
  }
  toString(): string {
    return `Vec<${this.length}, ${this.element.toString()}>`;
  }
}

/** Marks a bundle field whose direction is the opposite of the bundle's (ready in Decoupled). */
export class Flipped<T extends HwType = HwType> {
  readonly tag = 'flipped' as const;
  constructor(readonly type: T) {}
}

export type FieldSpec = HwType | Flipped;
export type Fields = Record<string, FieldSpec>;

export class BundleType<F extends Fields = Fields> {
  readonly tag = 'bundle' as const;
  constructor(readonly fields: F) {
    for (const name of Object.keys(fields)) {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
        throw new Error(`bundle field name '${name}' is not a legal Verilog identifier`);
      }
    }
  }
  toString(): string {
    const inner = Object.entries(this.fields)
      .map(([k, v]) => (v instanceof Flipped ? `${k}: Flipped(${v.type.toString()})` : `${k}: ${v.toString()}`))
      .join(', ');
    return `{ ${inner} }`;
  }
}

export type HwType = GroundType | VecType | BundleType;

export const Bool = (): GroundType => new GroundType('uint', 1, true);
export const UInt = (width: number): GroundType => new GroundType('uint', width);
export const SInt = (width: number): GroundType => new GroundType('sint', width);
export const Vec = <E extends HwType>(length: number, element: E): VecType<E> => new VecType(length, element);
export const Bundle = <F extends Fields>(fields: F): BundleType<F> => new BundleType(fields);
export const flip = <T extends HwType>(t: T): Flipped<T> => new Flipped(t);

/**
 * The ready/valid interface every Eyeriss link uses. Seen from the producer:
 * valid and bits go out, ready comes back. Declaring it as a module input gives
 * the consumer (enqueue) view, as an output the producer (dequeue) view.
 */
export const Decoupled = <T extends HwType>(bits: T) => Bundle({ valid: Bool(), ready: flip(Bool()), bits });

/** Same flattened shape (Bool and UInt<1> are the same hardware), for bulk connects. */
export function sameShape(a: HwType, b: HwType): boolean {
  if (a instanceof GroundType || b instanceof GroundType) {
    return a instanceof GroundType && b instanceof GroundType && a.kind === b.kind && a.width === b.width;
  }
  if (a instanceof VecType || b instanceof VecType) {
    return a instanceof VecType && b instanceof VecType && a.length === b.length && sameShape(a.element, b.element);
  }
  const fa = Object.entries(a.fields);
  const fb = b.fields;
  return (
    fa.length === Object.keys(fb).length &&
    fa.every(([k, spec]) => {
      const other = fb[k];
      if (other === undefined || spec instanceof Flipped !== other instanceof Flipped) return false;
      return sameShape(spec instanceof Flipped ? spec.type : spec, other instanceof Flipped ? other.type : other);
    })
  );
}
