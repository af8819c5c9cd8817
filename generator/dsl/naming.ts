import { createHash } from 'node:crypto';

/** Canonical text of a parameter object: key order never changes a module's identity. */
export function paramKey(params: unknown): string {
  return JSON.stringify(canonical(params));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const proto = Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null;
    if (proto !== Object.prototype && proto !== null) {
      throw new Error(
        `module parameters must be plain data (objects, arrays, numbers, strings, booleans); got a ${proto?.constructor?.name ?? 'non-plain object'}`,
      );
    }
    return Object.fromEntries(
      Object.keys(v)
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function') throw new Error('module parameters must be plain data, not functions');
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`module parameters must be finite numbers, got ${v}`);
  return v;
}

/**
 * A readable, stable module name: `Fifo_depth4_width8` while the parameters are a few short
 * scalars, else the base name plus a hash of the canonical parameters.
 */
export function moduleNameFor(base: string, params: unknown, hashed = false): string {
  if (params === undefined || params === null) return base;
  if (typeof params !== 'object') throw new Error(`module parameters must be an object, got ${typeof params}`);
  const entries = Object.entries(params as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.length === 0) return base;
  const simple = entries.every(([, v]) => typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string');
  if (simple && !hashed) {
    const parts = entries.map(([k, v]) => `${k}${typeof v === 'boolean' ? (v ? 'T' : 'F') : String(v)}`);
    const name = `${base}_${parts.join('_')}`;
    if (name.length <= 60 && /^[A-Za-z0-9_]+$/.test(name)) return name;
  }
  const hash = createHash('sha256').update(paramKey(params)).digest('hex').slice(0, 8);
  return `${base}_${hash}`;
}

/** The Verilog name of a Vec element or Bundle field once the emitter flattens its parent. */
export function flatName(parent: string, key: string | number): string {
  return `${parent}_${key}`;
}
