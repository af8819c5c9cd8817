import type { Expr, Signal } from './expr.js';
import type { AnyHandle } from './handles.js';
import type { Site } from './site.js';
import type { GroundType, HwType } from './types.js';

/**
 * The DSL's intermediate representation: what a module body leaves behind once it has run,
 * as plain readonly data. The builder (module.ts) produces it; the checks (checks.ts) and the
 * emitter (emit.ts) read only these types, so neither depends on the builder.
 */

/** A register file as declared: the builder's Mem satisfies this. */
export interface MemDecl {
  readonly name: string;
  readonly depth: number;
  readonly elem: GroundType;
  readonly addrWidth: number;
  readonly site: Site;
}

/** The body of a module as the designer wrote it: connects and memory writes under nested whens. */
export type Stmt =
  | { kind: 'connect'; target: Signal; value: Expr; site: Site }
  | { kind: 'memwrite'; mem: MemDecl; addr: Expr; data: Expr; site: Site }
  | { kind: 'when'; branches: Branch[]; otherwise?: Stmt[]; site: Site };

export interface Branch {
  cond: Expr;
  body: Stmt[];
}

/** One flattened port: one Verilog vector per leaf of a declared aggregate. */
export interface PortLeaf {
  readonly name: string;
  readonly direction: 'input' | 'output';
  readonly type: GroundType;
  readonly signal: Signal;
}

export interface InstanceRecord {
  readonly name: string;
  readonly module: ElaboratedModule;
  /** Child port name -> the parent's signal standing for it. */
  readonly ports: readonly { readonly port: PortLeaf; readonly signal: Signal }[];
  /** The parent's 1-bit signal on the child's reset, when not the parent's own reset. */
  readonly reset?: Signal;
}

/** A port declaration as written (before flattening), to rebuild handles in a parent. */
export interface IoDecl {
  readonly name: string;
  readonly type: HwType;
  readonly direction: 'input' | 'output';
  readonly handle: AnyHandle;
  readonly site: Site;
}

/** What a module body declared and connected, before any fact is derived from it. */
export interface ModuleBody {
  readonly name: string;
  readonly ports: readonly PortLeaf[];
  readonly signals: readonly Signal[];
  readonly mems: readonly MemDecl[];
  readonly instances: readonly InstanceRecord[];
  readonly io: readonly IoDecl[];
  readonly body: Stmt[];
}

/** For each output port, the input ports that reach it without passing a register. */
export type CombDeps = ReadonlyMap<string, ReadonlySet<string>>;

/** The result of elaborating one definition with one parameter set: the body plus its derived facts. */
export interface ElaboratedModule extends ModuleBody {
  readonly key: string;
  /**
   * For each driven signal (every signal but inputs and child outputs), in declaration order,
   * the part of the body that drives it: the checks reason about coverage on it, the emitter
   * prints one assign or always block per entry.
   */
  readonly drivers: ReadonlyMap<Signal, Stmt[]>;
  /** For each memory, the part of the body that writes it. */
  readonly memWrites: ReadonlyMap<MemDecl, Stmt[]>;
  readonly usesClock: boolean;
  readonly usesReset: boolean;
  readonly combDeps: CombDeps;
  /** Marked by its definition as a repeated block for Verilator's hierarchical builds. */
  readonly hierBlock: boolean;
}
