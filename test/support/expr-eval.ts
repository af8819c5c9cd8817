import type { Expr, Signal } from '../../generator/dsl/index.js';

/**
 * An independent interpreter of DSL expressions over bit patterns: the reference the
 * emitter's Verilog is fuzzed against. Values are unsigned patterns of the node's width.
 */
export function evalExpr(e: Expr, env: Map<Signal, bigint>): bigint {
  const w = e.width;
  const mask = (1n << BigInt(w)) - 1n;
  const n = e.node;
  switch (n.op) {
    case 'ref': {
      const v = env.get(n.sig);
      if (v === undefined) throw new Error(`no value for ${n.sig.name}`);
      return v & mask;
    }
    case 'lit':
      return n.value & mask;
    case 'bin': {
      const a = evalExpr(n.a, env);
      const b = evalExpr(n.b, env);
      const r = n.fn === '+' ? a + b : n.fn === '-' ? a - b : n.fn === '*' ? a * b : n.fn === '&' ? a & b : n.fn === '|' ? a | b : a ^ b;
      return ((r % (mask + 1n)) + (mask + 1n)) & mask;
    }
    case 'cmp': {
      let a = evalExpr(n.a, env);
      let b = evalExpr(n.b, env);
      if (n.a.signed) {
        a = toSigned(a, n.a.width);
        b = toSigned(b, n.b.width);
      }
      const r = { '==': a === b, '!=': a !== b, '<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b }[n.fn];
      return r ? 1n : 0n;
    }
    case 'not':
      return ~evalExpr(n.a, env) & mask;
    case 'reduce': {
      const a = evalExpr(n.a, env);
      const full = (1n << BigInt(n.a.width)) - 1n;
      if (n.fn === '|') return a !== 0n ? 1n : 0n;
      if (n.fn === '&') return a === full ? 1n : 0n;
      return BigInt(
        a
          .toString(2)
          .split('')
          .filter((c) => c === '1').length & 1,
      );
    }
    case 'mux':
      return evalExpr(n.c, env) ? evalExpr(n.t, env) : evalExpr(n.f, env);
    case 'cat':
      return n.parts.reduce((acc, p) => (acc << BigInt(p.width)) | evalExpr(p, env), 0n);
    case 'slice':
      return (evalExpr(n.a, env) >> BigInt(n.lo)) & mask;
    case 'ext': {
      const a = evalExpr(n.a, env);
      return n.a.signed ? toSigned(a, n.a.width) & mask : a;
    }
    case 'dshr': {
      const a = evalExpr(n.a, env);
      const amt = evalExpr(n.amount, env);
      return n.a.signed ? (toSigned(a, w) >> amt) & mask : a >> amt;
    }
    case 'cast':
      return evalExpr(n.a, env) & mask;
    case 'memread':
      throw new Error('memory reads are not part of the expression fuzz');
  }
}

export function toSigned(v: bigint, w: number): bigint {
  return v & (1n << BigInt(w - 1)) ? v - (1n << BigInt(w)) : v;
}
