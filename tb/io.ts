/**
 * Typed simulator handles: `sim.io` mirrors the DSL module's IO bundle (bundles as records,
 * Vecs as arrays, ground ports as PortHandle), so a renamed port breaks the TypeScript build
 * instead of a run. Leaf names come from the emitter's own flatName, never rebuilt by hand.
 */
import type { ModuleDef, Signal, VecHandle } from '../generator/dsl/index.js';
import { flatName } from '../generator/dsl/naming.js';
import { BundleType, Flipped, GroundType, type HwType } from '../generator/dsl/types.js';
import type { DesignSources } from './design.js';

export type Value = number | bigint;

/** One flattened Verilog port of a running simulator. */
export interface PortHandle {
  readonly name: string;
  /** Sets an input; sent with the next peek, step or batch. */
  poke(value: Value): void;
  /** Reads the port after evaluating combinational logic. */
  peek(): Promise<bigint>;
}

/** The simulator-side shape of a DSL handle type. */
export type SimIo<H> = H extends Signal ? PortHandle : H extends VecHandle<infer E> ? SimIo<E>[] : { readonly [K in keyof H]: SimIo<H[K]> };

/** A ready/valid bundle handle: what stream sources and sinks accept in place of a bundle name. */
export interface DecoupledPort {
  readonly valid: PortHandle;
  readonly ready: PortHandle;
}

/** A top-level port as declared, before flattening. */
export interface PortDecl {
  readonly name: string;
  readonly type: HwType;
}

/** Emitted sources that remember the module's IO type and declarations. */
export interface TypedSources<IO> extends DesignSources {
  readonly io: readonly PortDecl[];
  /** Type-only marker carrying IO; never set at run time. */
  readonly ioType?: IO;
}

/** What a handle needs from the simulator it belongs to. */
export interface PortAccess {
  poke(port: string, value: Value): void;
  peek(port: string): Promise<bigint>;
}

/** Builds `sim.io` from the top's port declarations, naming each leaf as the emitter does. */
export function buildSimIo<IO>(decls: readonly PortDecl[], sim: PortAccess): SimIo<IO> {
  const io: Record<string, unknown> = {};
  for (const d of decls) io[d.name] = handleFor(d.type, d.name, sim);
  return io as SimIo<IO>;
}

function handleFor(type: HwType, name: string, sim: PortAccess): unknown {
  if (type instanceof GroundType) {
    return { name, poke: (v: Value) => sim.poke(name, v), peek: () => sim.peek(name) } satisfies PortHandle;
  }
  if (!(type instanceof BundleType)) {
    return Array.from({ length: type.length }, (_, i) => handleFor(type.element, flatName(name, i), sim));
  }
  const rec: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(type.fields)) {
    rec[field] = handleFor(spec instanceof Flipped ? spec.type : spec, flatName(name, field), sim);
  }
  return rec;
}

/** The bundle name behind a stream endpoint: `x` for the handle whose valid port is `x_valid`. */
export function bundleName(port: string | DecoupledPort): string {
  if (typeof port === 'string') return port;
  const suffix = flatName('', 'valid');
  if (!port.valid.name.endsWith(suffix)) throw new Error(`'${port.valid.name}' is not the valid port of a ready/valid bundle`);
  return port.valid.name.slice(0, -suffix.length);
}

/** The IO handle type of a DSL module definition, for typing `Simulator<IoOf<typeof Def>>`. */
export type IoOf<D> = D extends ModuleDef<never, infer IO> ? IO : never;
