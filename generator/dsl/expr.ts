import { GroundType, SInt, UInt, widthOf } from './types.js';
import { captureSite, type Site } from './site.js';

/**
 * Expressions and their width rules. Every node has an exact width and signedness, and the
 * emitter equalises operand widths explicitly, so Verilog's context-dependent sizing never
 * changes a result and Verilator's WIDTH lint stays quiet.
 *
 * Width rules (a, b of widths wa, wb and equal signedness; mixing UInt and SInt is an error):
 *   add, sub           max(wa, wb) + 1   (never overflow)
 *   addWrap, subWrap   max(wa, wb)       (modular, like a hardware adder of that width)
 *   mul                wa + wb
 *   and, or, xor       max(wa, wb)       (narrower operand extended by its signedness)
 *   not                wa
 *   eq ne lt le gt ge  1                 (signed compare for SInt)
 *   shl(n)             wa + n            shr(n)  max(wa - n, 1) (arithmetic for SInt)
 *   dshr(e)            wa                (arithmetic for SInt)
 *   bits(hi, lo)       hi - lo + 1, UInt bit(i) 1
 *   trunc(w)           w, keeps signedness;  pad(w) w >= wa, extends by signedness
 *   zext(w), sext(w)   w, UInt / SInt, zero / sign extension of the bits
 *   cat(...)           sum of widths, UInt
 *   mux(c, a, b)       max(wa, wb)
 * A plain number next to an expression becomes a literal of that expression's signedness and
 * the smallest width that holds it (a signed literal keeps a sign bit, so slit(0) is 2 bits).
 * In cat() a bare number is a UInt literal of its minimal width: pass lit(v, w) to pad it.
 */

export type BinFn = '+' | '-' | '*' | '&' | '|' | '^';
export type CmpFn = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type ExprNode =
  | { op: 'ref'; sig: Signal }
  | { op: 'lit'; value: bigint }
  | { op: 'bin'; fn: BinFn; a: Expr; b: Expr }
  | { op: 'cmp'; fn: CmpFn; a: Expr; b: Expr }
  | { op: 'not'; a: Expr }
  | { op: 'reduce'; fn: '&' | '|' | '^'; a: Expr }
  | { op: 'mux'; c: Expr; t: Expr; f: Expr }
  | { op: 'cat'; parts: Expr[] }
  | { op: 'slice'; a: Expr; hi: number; lo: number }
  | { op: 'ext'; a: Expr }
  | { op: 'dshr'; a: Expr; amount: Expr }
  | { op: 'cast'; a: Expr }
  | { op: 'memread'; mem: MemRef; addr: Expr };

/** What a memory read needs to know about its memory (defined in module.ts). */
export interface MemRef {
  readonly name: string;
  readonly depth: number;
  readonly elem: GroundType;
  readonly owner: SignalOwner;
}

export type Operand = Expr | number | bigint | boolean;

export class Expr {
  constructor(
    readonly type: GroundType,
    readonly node: ExprNode,
  ) {}

  get width(): number {
    return this.type.width;
  }
  get signed(): boolean {
    return this.type.signed;
  }

  add(b: Operand): Expr {
    return arith('+', this, b, 1);
  }
  sub(b: Operand): Expr {
    return arith('-', this, b, 1);
  }
  addWrap(b: Operand): Expr {
    return arith('+', this, b, 0);
  }
  subWrap(b: Operand): Expr {
    return arith('-', this, b, 0);
  }
  mul(b: Operand): Expr {
    const [x, y] = pair(this, b, 'mul');
    const w = x.width + y.width;
    return new Expr(retype(x.type, w), { op: 'bin', fn: '*', a: extendTo(x, w), b: extendTo(y, w) });
  }
  and(b: Operand): Expr {
    return bitwise('&', this, b);
  }
  or(b: Operand): Expr {
    return bitwise('|', this, b);
  }
  xor(b: Operand): Expr {
    return bitwise('^', this, b);
  }
  not(): Expr {
    return new Expr(this.type, { op: 'not', a: this });
  }
  eq(b: Operand): Expr {
    return compare('==', this, b);
  }
  ne(b: Operand): Expr {
    return compare('!=', this, b);
  }
  lt(b: Operand): Expr {
    return compare('<', this, b);
  }
  le(b: Operand): Expr {
    return compare('<=', this, b);
  }
  gt(b: Operand): Expr {
    return compare('>', this, b);
  }
  ge(b: Operand): Expr {
    return compare('>=', this, b);
  }
  orR(): Expr {
    return new Expr(boolType, { op: 'reduce', fn: '|', a: this });
  }
  andR(): Expr {
    return new Expr(boolType, { op: 'reduce', fn: '&', a: this });
  }
  xorR(): Expr {
    return new Expr(boolType, { op: 'reduce', fn: '^', a: this });
  }
  shl(n: number): Expr {
    checkShift(n);
    if (n === 0) return this;
    const zeros = lit(0n, n);
    return cat(this, zeros).cast(this.type.kind);
  }
  shr(n: number): Expr {
    checkShift(n);
    if (n === 0) return this;
    if (n >= this.width) {
      return this.signed ? this.bit(this.width - 1).cast('sint') : lit(0n, 1);
    }
    return this.bits(this.width - 1, n).cast(this.type.kind);
  }
  dshr(amount: Expr): Expr {
    if (amount.signed) throw new Error(`dshr: the shift amount must be a UInt, got ${amount.type.toString()}`);
    return new Expr(this.type, { op: 'dshr', a: this, amount });
  }
  bits(hi: number, lo: number): Expr {
    if (!Number.isInteger(hi) || !Number.isInteger(lo) || lo < 0 || hi < lo || hi >= this.width) {
      throw new Error(`bits(${hi}, ${lo}) is out of range for a ${this.type.toString()}`);
    }
    if (lo === 0 && hi === this.width - 1 && !this.signed) return this;
    return new Expr(UInt(hi - lo + 1), { op: 'slice', a: this, hi, lo });
  }
  bit(i: number): Expr {
    return this.bits(i, i).asBool();
  }
  /** Keeps the low `w` bits: the one explicit way to narrow a value. */
  trunc(w: number): Expr {
    if (w > this.width) throw new Error(`trunc(${w}) of a ${this.type.toString()} would widen; use pad(${w})`);
    if (w === this.width) return this;
    return this.bits(w - 1, 0).cast(this.type.kind);
  }
  pad(w: number): Expr {
    if (w < this.width) throw new Error(`pad(${w}) of a ${this.type.toString()} would narrow; use trunc(${w})`);
    return extendTo(this, w);
  }
  /** Zero-extends the bits to `w` (UInt result), whatever the signedness. */
  zext(w: number): Expr {
    return this.asUInt().pad(w);
  }
  /** Sign-extends the bits to `w` (SInt result), whatever the signedness. */
  sext(w: number): Expr {
    return this.asSInt().pad(w);
  }
  asUInt(): Expr {
    return this.cast('uint');
  }
  asSInt(): Expr {
    return this.cast('sint');
  }
  asBool(): Expr {
    if (this.width !== 1) throw new Error(`asBool() needs a 1-bit value, got ${this.type.toString()}`);
    if (this.type.isBool) return this;
    return new Expr(boolType, { op: 'cast', a: this });
  }
  /** Reinterprets the same bits with another signedness. */
  cast(kind: 'uint' | 'sint'): Expr {
    if (this.type.kind === kind && !this.type.isBool) return this;
    const t = kind === 'sint' ? SInt(this.width) : UInt(this.width);
    if (this.node.op === 'cast') return new Expr(t, { op: 'cast', a: this.node.a });
    return new Expr(t, { op: 'cast', a: this });
  }
}

/** Anything that owns signals: a module under construction. */
export interface SignalOwner {
  readonly name: string;
  connectLeaf(target: Signal, value: Operand, site: Site): void;
  when(cond: Operand, body: () => void): unknown;
}

export type SignalRole = 'input' | 'output' | 'wire' | 'node' | 'reg' | 'inst-in' | 'inst-out';

/** A named leaf: a port, wire, register or an instance's port as seen from the parent. */
export class Signal extends Expr {
  constructor(
    type: GroundType,
    readonly name: string,
    readonly role: SignalRole,
    readonly owner: SignalOwner,
    readonly site: Site,
    /** Reset value of a register, or undefined for no reset. */
    readonly init?: bigint,
  ) {
    super(type, undefined as unknown as ExprNode);
    (this as { node: ExprNode }).node = { op: 'ref', sig: this };
  }

  /** Connects a value; inside `when` blocks the last connect wins, as in Chisel. */
  set(value: Operand): void {
    this.owner.connectLeaf(this, value, captureSite());
  }
}

const boolType = new GroundType('uint', 1, true);

function isExpr(v: unknown): v is Expr {
  return v instanceof Expr;
}

/** A UInt literal; width defaults to the smallest that holds the value. */
export function lit(value: number | bigint | boolean, width?: number): Expr {
  const v = toBig(value);
  if (v < 0n) throw new Error(`lit(${v}) is negative; use slit(value, width) for SInt literals`);
  const w = width ?? widthOf(v);
  if (v >= 1n << BigInt(w)) throw new Error(`literal ${v} does not fit in UInt<${w}>`);
  return new Expr(typeof value === 'boolean' && width === undefined ? boolType : UInt(w), { op: 'lit', value: v });
}

/** An SInt literal, stored as its two's-complement bit pattern. */
export function slit(value: number | bigint, width?: number): Expr {
  const v = toBig(value);
  const w = width ?? signedWidthOf(v);
  const min = -(1n << BigInt(w - 1));
  const max = (1n << BigInt(w - 1)) - 1n;
  if (v < min || v > max) throw new Error(`literal ${v} does not fit in SInt<${w}>`);
  return new Expr(SInt(w), { op: 'lit', value: v < 0n ? v + (1n << BigInt(w)) : v });
}

function signedWidthOf(v: bigint): number {
  if (v >= 0n) return v.toString(2).length + 1;
  return (-v - 1n).toString(2).length + 1;
}

export function mux(c: Operand, t: Operand, f: Operand): Expr {
  const cond = asCondition(c, 'mux');
  const [a, b] = pair(t, f, 'mux');
  const w = Math.max(a.width, b.width);
  return new Expr(retype(a.type, w, a.type.isBool && b.type.isBool), {
    op: 'mux',
    c: cond,
    t: extendTo(a, w),
    f: extendTo(b, w),
  });
}

/** Concatenation, most significant part first (as in Verilog). */
export function cat(...parts: Operand[]): Expr {
  if (parts.length === 0) throw new Error('cat() needs at least one part');
  const es = parts.map((p) => (isExpr(p) ? p : lit(toBig(p))));
  if (es.length === 1) return es[0]!.asUInt();
  const w = es.reduce((acc, e) => acc + e.width, 0);
  return new Expr(UInt(w), { op: 'cat', parts: es });
}

/** Literal-aware conversion of an operand next to an expression of type `like`. */
export function toExpr(v: Operand, like?: GroundType): Expr {
  if (isExpr(v)) return v;
  const b = toBig(v);
  if (like?.signed) return slit(b);
  if (b < 0n) {
    throw new Error(`negative literal ${b} next to a ${like?.toString() ?? 'UInt'}; use slit() and an SInt operand`);
  }
  return lit(v);
}

export function asCondition(c: Operand, what: string): Expr {
  const e = typeof c === 'boolean' ? lit(c) : toExpr(c);
  if (e.width !== 1 || e.signed) throw new Error(`${what}: the condition must be a Bool, got ${e.type.toString()}`);
  return e;
}

/** Extends by the expression's own signedness; a no-op when already `w` wide. */
export function extendTo(e: Expr, w: number): Expr {
  if (e.width === w) return e;
  if (e.width > w) throw new Error(`internal: extendTo(${w}) of a wider ${e.type.toString()}`);
  if (e.node.op === 'lit') {
    const v = e.signed ? fromPattern(e.node.value, e.width) : e.node.value;
    return e.signed ? slit(v, w) : lit(v, w);
  }
  return new Expr(retype(e.type, w), { op: 'ext', a: e });
}

function fromPattern(pattern: bigint, width: number): bigint {
  const sign = 1n << BigInt(width - 1);
  return pattern & sign ? pattern - (1n << BigInt(width)) : pattern;
}

function retype(t: GroundType, w: number, isBool = false): GroundType {
  if (isBool && w === 1) return boolType;
  return t.signed ? SInt(w) : UInt(w);
}

function toBig(v: number | bigint | boolean): bigint {
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number' && !Number.isInteger(v)) throw new Error(`literal ${v} is not an integer`);
  return BigInt(v);
}

function pair(a: Operand, b: Operand, what: string): [Expr, Expr] {
  const x = isExpr(a) ? a : undefined;
  const y = isExpr(b) ? b : undefined;
  const ea = x ?? toExpr(a, y?.type);
  const eb = y ?? toExpr(b, ea.type);
  if (ea.signed !== eb.signed) {
    throw new Error(
      `${what}: cannot mix ${ea.type.toString()} and ${eb.type.toString()}; convert one with asSInt()/asUInt() (after pad() if the value needs a sign bit)`,
    );
  }
  return [ea, eb];
}

function arith(fn: '+' | '-', a: Expr, b: Operand, grow: number): Expr {
  const [x, y] = pair(a, b, fn === '+' ? 'add' : 'sub');
  const w = Math.max(x.width, y.width) + grow;
  return new Expr(retype(x.type, w), { op: 'bin', fn, a: extendTo(x, w), b: extendTo(y, w) });
}

function bitwise(fn: '&' | '|' | '^', a: Expr, b: Operand): Expr {
  const [x, y] = pair(a, b, fn);
  const w = Math.max(x.width, y.width);
  return new Expr(retype(x.type, w, x.type.isBool && y.type.isBool), {
    op: 'bin',
    fn,
    a: extendTo(x, w),
    b: extendTo(y, w),
  });
}

function compare(fn: CmpFn, a: Expr, b: Operand): Expr {
  const [x, y] = pair(a, b, fn);
  const w = Math.max(x.width, y.width);
  return new Expr(boolType, { op: 'cmp', fn, a: extendTo(x, w), b: extendTo(y, w) });
}

function checkShift(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`shift amount must be a non-negative integer, got ${n}`);
}

/** Every signal an expression reads, in first-use order. */
export function refsOf(e: Expr, out: Set<Signal> = new Set()): Set<Signal> {
  if (e.node.op === 'ref') out.add(e.node.sig);
  for (const child of childrenOf(e.node)) refsOf(child, out);
  return out;
}

/** Every memory an expression reads, so ownership checks cover memories as well as signals. */
export function memsOf(e: Expr, out: Set<MemRef> = new Set()): Set<MemRef> {
  const n = e.node;
  if (n.op === 'memread') out.add(n.mem);
  for (const child of childrenOf(n)) memsOf(child, out);
  return out;
}

function childrenOf(n: ExprNode): Expr[] {
  switch (n.op) {
    case 'ref':
    case 'lit':
      return [];
    case 'bin':
    case 'cmp':
      return [n.a, n.b];
    case 'not':
    case 'reduce':
    case 'slice':
    case 'ext':
    case 'cast':
      return [n.a];
    case 'mux':
      return [n.c, n.t, n.f];
    case 'cat':
      return n.parts;
    case 'dshr':
      return [n.a, n.amount];
    case 'memread':
      return [n.addr];
  }
}
