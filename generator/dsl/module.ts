import { GroundType, log2Ceil, sameShape, type HwType } from './types.js';
import {
  Expr,
  Signal,
  asCondition,
  memsOf,
  refsOf,
  toExpr,
  extendTo,
  lit,
  slit,
  type MemRef,
  type Operand,
  type SignalOwner,
  type SignalRole,
} from './expr.js';
import { buildHandle, leavesOf, typeOfHandle, type AnyHandle, type Handle } from './handles.js';
import { captureSite, ElaborationError, siteOfStack, type Site } from './site.js';
import type { ElaboratedModule, InstanceRecord, IoDecl, MemDecl, PortLeaf, Stmt } from './ir.js';
import { checkModule } from './checks.js';
import { moduleNameFor, paramKey } from './naming.js';

/**
 * A parameterised module: elaborating it with one parameter set gives one Verilog module.
 * The body returns its port handles; their TypeScript type is what a parent gets back from
 * `m.instance(...)`, so instance ports are type-checked.
 */
export interface ModuleDef<P, IO extends IoHandles = IoHandles> {
  readonly baseName: string;
  /** Tells apart two definitions that share a base name, so they are never merged. */
  readonly id: number;
  readonly build: (m: ModuleBuilder, params: P) => IO;
  readonly nameFor?: (params: P) => string;
  /** A block that repeats: Verilator builds it once as a hierarchical block (see emitVerilatorConfig). */
  readonly hierBlock?: boolean;
}

export type IoHandles = Record<string, unknown>;

let nextDefId = 0;

export function defineModule<P, IO extends IoHandles>(
  baseName: string,
  build: (m: ModuleBuilder, params: P) => IO,
  opts: { nameFor?: (params: P) => string; hierBlock?: boolean } = {},
): ModuleDef<P, IO> {
  const problem = identifierProblem(baseName);
  if (problem) throw new Error(`module name '${baseName}' ${problem}`);
  return { baseName, id: nextDefId++, build, nameFor: opts.nameFor, hierBlock: opts.hierBlock };
}

export class Mem implements MemRef, MemDecl {
  constructor(
    readonly name: string,
    readonly depth: number,
    readonly elem: GroundType,
    readonly owner: ModuleBuilder,
    readonly site: Site,
  ) {}
  get addrWidth(): number {
    return log2Ceil(this.depth);
  }
  /** Combinational read, as a register file has; use SRAM for a one-cycle synchronous read. */
  read(addr: Operand): Expr {
    return new Expr(this.elem, { op: 'memread', mem: this, addr: this.owner.memAddr(this, addr) });
  }
  /** Clocked write under the enclosing when conditions. */
  write(addr: Operand, data: Operand): void {
    this.owner.memWrite(this, addr, data, captureSite());
  }
}

/**
 * Words no emitted name may take: Verilog-2005 and SystemVerilog keywords (Verilator and yosys
 * parse with SystemVerilog keywords reserved) and C++ keywords (Verilator's C++ model renames
 * ports that collide, which breaks harness drivers).
 */
const RESERVED = new Set(
  // Verilog-2005 and IEEE 1800-2017
  (
    'accept_on alias always always_comb always_ff always_latch and assert assign assume automatic before begin bind ' +
    'bins binsof bit break buf bufif0 bufif1 byte case casex casez cell chandle checker class clocking cmos config ' +
    'const constraint context continue cover covergroup coverpoint cross deassign default defparam design disable ' +
    'dist do edge else end endcase endchecker endclass endclocking endconfig endfunction endgenerate endgroup ' +
    'endinterface endmodule endpackage endprimitive endprogram endproperty endspecify endsequence endtable endtask ' +
    'enum event eventually expect export extends extern final first_match for force foreach forever fork forkjoin ' +
    'function generate genvar global highz0 highz1 if iff ifnone ignore_bins illegal_bins implements implies import ' +
    'incdir include initial inout input inside instance int integer interconnect interface intersect join join_any ' +
    'join_none large let liblist library local localparam logic longint macromodule matches medium modport module ' +
    'nand negedge nettype new nexttime nmos nor noshowcancelled not notif0 notif1 null or output package packed ' +
    'parameter pmos posedge primitive priority program property protected pull0 pull1 pulldown pullup ' +
    'pulsestyle_ondetect pulsestyle_onevent pure rand randc randcase randsequence rcmos real realtime ref reg ' +
    'reject_on release repeat restrict return rnmos rpmos rtran rtranif0 rtranif1 s_always s_eventually s_nexttime ' +
    's_until s_until_with scalared sequence shortint shortreal showcancelled signed small soft solve specify ' +
    'specparam static string strong strong0 strong1 struct super supply0 supply1 sync_accept_on sync_reject_on ' +
    'table tagged task this throughout time timeprecision timeunit tran tranif0 tranif1 tri tri0 tri1 triand trior ' +
    'trireg type typedef union unique unique0 unsigned until until_with untyped use uwire var vectored virtual void ' +
    'wait wait_order wand weak weak0 weak1 while wildcard wire with within wor xnor xor ' +
    // C++
    'alignas alignof asm auto bool catch char char16_t char32_t char8_t co_await co_return co_yield concept ' +
    'const_cast constexpr consteval constinit decltype delete double dynamic_cast explicit false float friend goto ' +
    'inline long mutable namespace noexcept nullptr operator private public register reinterpret_cast requires ' +
    'short sizeof static_assert static_cast switch template thread_local throw true try typeid typename unsigned ' +
    'using volatile wchar_t ' +
    // the implicit ports
    'clock reset'
  ).split(' '),
);

/** Why a name cannot be a Verilog identifier here, or undefined when it can. */
function identifierProblem(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return 'is not a legal Verilog identifier (letters, digits, _; no leading _)';
  if (RESERVED.has(name)) return 'is a reserved word in Verilog, SystemVerilog or C++ (Verilator); rename it';
  return undefined;
}

/**
 * The object a module body talks to. Declarations return handles; `when` nests conditional
 * connects; everything is checked when the body returns.
 */
export class ModuleBuilder implements SignalOwner {
  readonly ports: PortLeaf[] = [];
  readonly signals: Signal[] = [];
  readonly mems: Mem[] = [];
  readonly instances: InstanceRecord[] = [];
  readonly body: Stmt[] = [];
  /** Port declarations as written (before flattening), to rebuild handles in a parent. */
  readonly io: IoDecl[] = [];
  private readonly names = new Map<string, Site>();
  private blocks: Stmt[][] = [this.body];
  private lastWhen: Stmt | undefined;
  /** Set once the body has returned: the module is checked and must not change afterwards. */
  closed = false;

  constructor(
    readonly name: string,
    private readonly design: Design,
  ) {
    for (const reserved of ['clock', 'reset']) this.names.set(reserved, 'the implicit clock and reset ports');
  }

  input<T extends HwType>(name: string, type: T): Handle<T> {
    return this.port(name, type, 'input');
  }

  output<T extends HwType>(name: string, type: T): Handle<T> {
    return this.port(name, type, 'output');
  }

  /** A combinational signal that must be driven on every path (no latches). */
  wire<T extends HwType>(name: string, type: T): Handle<T> {
    const site = captureSite();
    return buildHandle(type, name, false, (n, t) => this.addSignal(n, t, 'wire', site)) as Handle<T>;
  }

  /** Names an expression: emitted as a wire, so the Verilog shows the designer's name. */
  node(name: string, value: Expr): Signal {
    const site = captureSite();
    const sig = this.addSignal(name, value.type, 'node', site);
    this.checkOwnership(value, sig, site);
    this.body.push({ kind: 'connect', target: sig, value, site });
    return sig;
  }

  /**
   * A register clocked by the implicit clock. With `init` it takes that value while the
   * synchronous, active-high reset is asserted; without it, it has no reset.
   */
  reg<T extends HwType>(name: string, type: T, opts: { init?: number | bigint | boolean } = {}): Handle<T> {
    const site = captureSite();
    return buildHandle(type, name, false, (n, t) => {
      let init: bigint | undefined;
      if (opts.init !== undefined) {
        try {
          const e = t.signed ? slit(BigInt(opts.init), t.width) : lit(opts.init, t.width);
          init = (e.node as { value: bigint }).value;
        } catch (e) {
          throw new ElaborationError(this.name, n, site, `reset value: ${(e as Error).message}`);
        }
      }
      return this.addSignal(n, t, 'reg', site, init);
    }) as Handle<T>;
  }

  /** A register that loads `next` on every clock edge where `enable` (default: always) is high. */
  regNext(name: string, next: Expr, opts: { init?: number | bigint | boolean; enable?: Operand } = {}): Signal {
    // An expression's type is a ground type, so the register is one Signal.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    const r = this.reg(name, next.type, { init: opts.init }) as Signal;
    if (opts.enable === undefined) r.set(next);
    else this.when(opts.enable, () => r.set(next));
    return r;
  }

  /** A register-file memory: combinational read, write on the clock edge. */
  mem(name: string, depth: number, elem: GroundType): Mem {
    const site = captureSite();
    if (!Number.isInteger(depth) || depth < 1) {
      throw new ElaborationError(this.name, name, site, `memory depth must be a positive integer, got ${depth}`);
    }
    this.claimName(name, site);
    const mem = new Mem(name, depth, elem, this, site);
    this.mems.push(mem);
    return mem;
  }

  /**
   * Instantiates a child module; its ports appear here as `<name>_<port>` signals. `opts.reset`
   * drives the child's reset with a 1-bit signal of this module (a register, for a synchronous
   * soft reset) instead of this module's own reset.
   */
  instance<P, IO extends IoHandles>(name: string, def: ModuleDef<P, IO>, params: P, opts: { reset?: Signal } = {}): IO {
    const site = captureSite();
    this.claimName(name, site);
    if (opts.reset !== undefined && (opts.reset.width !== 1 || opts.reset.owner !== this))
      throw new ElaborationError(this.name, name, site, `the reset of instance '${name}' must be a 1-bit signal of module '${this.name}'`);
    const child = this.design.elaborate(def, params);
    const shape = child.io;
    const ports: { port: PortLeaf; signal: Signal }[] = [];
    const handles: Record<string, AnyHandle> = {};
    for (const decl of shape) {
      handles[decl.name] = buildHandle(decl.type, `${name}_${decl.name}`, decl.direction === 'output', (n, t, flipped) => {
        const sig = this.addSignal(n, t, flipped ? 'inst-out' : 'inst-in', site);
        const portName = n.slice(name.length + 1);
        const port = child.ports.find((p) => p.name === portName)!;
        ports.push({ port, signal: sig });
        return sig;
      });
    }
    this.instances.push({ name, module: child, ports, ...(opts.reset ? { reset: opts.reset } : {}) });
    return handles as IO;
  }

  /**
   * Conditional connects. The chain's elsewhen/otherwise must follow immediately.
   * Conditions are evaluated in order; the last connect to a signal wins.
   */
  when(cond: Operand, body: () => void): WhenChain {
    const site = captureSite();
    this.checkOpen(undefined, site);
    const stmt: Stmt = { kind: 'when', branches: [], site };
    this.current().push(stmt);
    this.addBranch(stmt, cond, body, site);
    this.lastWhen = stmt;
    return new WhenChain(this, stmt);
  }

  /** Connects two handles of the same shape; flipped fields (ready) go the other way. */
  connect(sink: AnyHandle | Signal, source: AnyHandle | Operand): void {
    const site = captureSite();
    if (sink instanceof Signal) {
      this.connectLeaf(sink, source as Operand, site);
      return;
    }
    const a = leavesOf(sink);
    const b = leavesOf(source as AnyHandle);
    const ta = typeOfHandle(sink);
    const tb = typeOfHandle(source as AnyHandle);
    if (!sameShape(ta, tb)) {
      const name = a[0]?.sig.name.replace(/_[^_]*$/, '');
      throw new ElaborationError(this.name, name, site, `connect: shapes differ (${ta.toString()} vs ${tb.toString()})`);
    }
    a.forEach((leaf, i) => {
      const other = b[i]!;
      if (leaf.flipped) this.connectLeaf(other.sig, leaf.sig, site);
      else this.connectLeaf(leaf.sig, other.sig, site);
    });
  }

  /** @internal used by when chains */
  addBranch(stmt: Extract<Stmt, { kind: 'when' }>, cond: Operand | undefined, body: () => void, site: Site): void {
    const block: Stmt[] = [];
    if (cond === undefined) stmt.otherwise = block;
    else {
      let c: Expr;
      try {
        c = asCondition(cond, 'when');
      } catch (e) {
        throw new ElaborationError(this.name, undefined, site, (e as Error).message);
      }
      this.checkOwnership(c, undefined, site);
      stmt.branches.push({ cond: c, body: block });
    }
    this.blocks.push(block);
    try {
      body();
    } finally {
      this.blocks.pop();
    }
    this.lastWhen = stmt;
  }

  /** @internal used by when chains to reject a dangling elsewhen */
  isLastStatement(stmt: Stmt): boolean {
    const blk = this.current();
    return blk[blk.length - 1] === stmt && this.lastWhen === stmt;
  }

  /** @internal SignalOwner: called by Signal.set */
  connectLeaf(target: Signal, value: Operand, site: Site): void {
    this.checkOpen(target.name, site);
    if (target.owner !== this) {
      throw new ElaborationError(this.name, target.name, site, `signal belongs to module ${target.owner.name}, not ${this.name}`);
    }
    const why = undrivable(target.role);
    if (why) throw new ElaborationError(this.name, target.name, site, `cannot be driven here: ${why}`);
    const v = this.coerce(target, value, site);
    const block = this.current();
    const earlier = block.find((s) => s.kind === 'connect' && s.target === target);
    if (earlier) {
      throw new ElaborationError(
        this.name,
        target.name,
        site,
        `driven from two places in the same block (first at ${earlier.site}); use when/otherwise for a conditional override`,
      );
    }
    block.push({ kind: 'connect', target, value: v, site });
    this.lastWhen = undefined;
  }

  /** @internal */
  memAddr(mem: Mem, addr: Operand): Expr {
    const site = captureSite();
    this.checkOpen(mem.name, site);
    const a = toExpr(addr);
    if (a.signed) throw new ElaborationError(this.name, mem.name, site, 'memory address must be a UInt');
    if (a.width > mem.addrWidth) {
      throw new ElaborationError(
        this.name,
        mem.name,
        site,
        `address is ${a.width} bits but the ${mem.depth}-entry memory takes ${mem.addrWidth}; trunc() it explicitly`,
      );
    }
    this.checkOwnership(a, undefined, site);
    return extendTo(a, mem.addrWidth);
  }

  /** @internal */
  memWrite(mem: Mem, addr: Operand, data: Operand, site: Site): void {
    const d = toExpr(data, mem.elem);
    if (d.width > mem.elem.width || d.signed !== mem.elem.signed) {
      throw new ElaborationError(this.name, mem.name, site, `write data ${d.type.toString()} does not fit ${mem.elem.toString()}`);
    }
    this.checkOwnership(d, undefined, site);
    this.current().push({ kind: 'memwrite', mem, addr: this.memAddr(mem, addr), data: extendTo(d, mem.elem.width), site });
    this.lastWhen = undefined;
  }

  private coerce(target: Signal, value: Operand, site: Site): Expr {
    const t = target.type;
    let v: Expr;
    try {
      v = toExpr(value, t);
      if (v.node.op === 'lit' && !(value instanceof Expr)) {
        v = t.signed ? slit(BigInt(value), t.width) : lit(value, t.width);
      }
    } catch (e) {
      throw new ElaborationError(this.name, target.name, site, `${(e as Error).message} (target is ${t.toString()})`);
    }
    if (v.signed !== t.signed) {
      throw new ElaborationError(
        this.name,
        target.name,
        site,
        `signedness mismatch: ${v.type.toString()} assigned to ${t.toString()}; convert with asSInt()/asUInt()`,
      );
    }
    if (v.width > t.width) {
      throw new ElaborationError(
        this.name,
        target.name,
        site,
        `width mismatch: a ${v.type.toString()} value would be truncated to ${t.toString()}; cut it explicitly with .trunc(${t.width}) (or use addWrap/subWrap)`,
      );
    }
    this.checkOwnership(v, target, site);
    return extendTo(v, t.width);
  }

  private checkOpen(signal: string | undefined, site: Site): void {
    if (this.closed) {
      throw new ElaborationError(
        this.name,
        signal,
        site,
        'the module was already elaborated; it cannot change after its body returned (a handle leaked out of its module?)',
      );
    }
  }

  private checkOwnership(e: Expr, target: Signal | undefined, site: Site): void {
    for (const mem of memsOf(e)) {
      if (mem.owner !== this) {
        throw new ElaborationError(
          this.name,
          target?.name,
          site,
          `reads memory '${mem.name}' of module ${mem.owner.name}; connect through that module's ports instead`,
        );
      }
    }
    for (const s of refsOf(e)) {
      if (s.owner !== this) {
        throw new ElaborationError(this.name, target?.name, site, `reads '${s.name}' of module ${s.owner.name}; connect through that module's ports instead`);
      }
    }
  }

  private current(): Stmt[] {
    return this.blocks[this.blocks.length - 1]!;
  }

  private port<T extends HwType>(name: string, type: T, direction: 'input' | 'output'): Handle<T> {
    const site = captureSite();
    const handle = buildHandle(type, name, false, (n, t, flipped) => {
      const dir = (direction === 'input') !== flipped ? 'input' : 'output';
      const sig = this.addSignal(n, t, dir, site);
      this.ports.push({ name: n, direction: dir, type: t, signal: sig });
      return sig;
    });
    this.io.push({ name, type, direction, handle, site });
    return handle as Handle<T>;
  }

  private addSignal(name: string, type: GroundType, role: SignalRole, site: Site, init?: bigint): Signal {
    this.claimName(name, site);
    const sig = new Signal(type, name, role, this, site, init);
    this.signals.push(sig);
    return sig;
  }

  private claimName(name: string, site: Site): void {
    const problem = identifierProblem(name);
    if (problem) throw new ElaborationError(this.name, name, site, problem);
    const prev = this.names.get(name);
    if (prev) throw new ElaborationError(this.name, name, site, `name already used (${prev})`);
    this.names.set(name, site);
  }
}

function undrivable(role: SignalRole): string | undefined {
  switch (role) {
    case 'input':
      return 'it is an input of this module (its parent drives it)';
    case 'inst-out':
      return 'it is an output of a child instance (the child drives it)';
    case 'node':
      return 'it is a named expression, already driven where it was declared';
    default:
      return undefined;
  }
}

export class WhenChain {
  constructor(
    private readonly m: ModuleBuilder,
    private readonly stmt: Extract<Stmt, { kind: 'when' }>,
  ) {}
  elsewhen(cond: Operand, body: () => void): WhenChain {
    this.guard('elsewhen');
    this.m.addBranch(this.stmt, cond, body, captureSite());
    return this;
  }
  otherwise(body: () => void): void {
    this.guard('otherwise');
    this.m.addBranch(this.stmt, undefined, body, captureSite());
  }
  private guard(what: string): void {
    const site = captureSite();
    if (this.stmt.otherwise) throw new ElaborationError(this.m.name, undefined, site, `${what} after otherwise`);
    if (!this.m.isLastStatement(this.stmt)) {
      throw new ElaborationError(this.m.name, undefined, site, `${what} must directly follow its when/elsewhen`);
    }
  }
}

/**
 * One elaboration: every (definition, parameters) pair becomes exactly one module with a
 * stable name; two different pairs that would share a name are an error.
 */
export class Design {
  readonly modules: ElaboratedModule[] = [];
  /**
   * Put before every module name, so two designs (or two configurations of one) can share
   * an SoC's name space; the top's name too, so a fixed-name wrapper stays unique.
   */
  readonly prefix: string;
  private readonly byKey = new Map<string, ElaboratedModule>();
  private readonly byName = new Map<string, string>();
  private readonly inProgress = new Set<string>();
  top?: ElaboratedModule;

  constructor(opts: ElaborateOptions = {}) {
    this.prefix = opts.prefix ?? '';
    const problem = this.prefix === '' ? undefined : identifierProblem(`${this.prefix}x`);
    if (problem) throw new Error(`module name prefix '${this.prefix}' ${problem}`);
  }

  elaborate<P, IO extends IoHandles>(def: ModuleDef<P, IO>, params: P): ElaboratedModule {
    const site = captureSite();
    const fail = (name: string, problem: string): never => {
      throw new ElaborationError(name, undefined, site, problem);
    };
    let pkey: string;
    try {
      pkey = paramKey(params);
    } catch (e) {
      return fail(def.baseName, (e as Error).message);
    }
    const key = `${def.baseName}#${def.id}:${pkey}`;
    const done = this.byKey.get(key);
    if (done) return done;
    let name = this.prefix + (def.nameFor ? def.nameFor(params) : moduleNameFor(def.baseName, params));
    // Two parameter sets whose readable names coincide fall back to the hashed form.
    if (!def.nameFor && this.byName.has(name)) name = this.prefix + moduleNameFor(def.baseName, params, true);
    const problem = identifierProblem(name);
    if (problem) fail(name, `module name ${problem}`);
    const clash = this.byName.get(name);
    if (clash !== undefined) {
      fail(name, `two different modules would both be named '${name}' (${clash} and ${key}); make nameFor() tell them apart`);
    }
    this.byName.set(name, key);
    this.inProgress.add(key);
    const m = new ModuleBuilder(name, this);
    let io: IO;
    try {
      io = def.build(m, params);
    } catch (e) {
      this.byName.delete(name);
      if (e instanceof ElaborationError) throw e;
      // Errors raised by expression helpers (widths, literals) get the module and the user's line.
      throw new ElaborationError(name, undefined, siteOfStack((e as Error).stack), (e as Error).message);
    } finally {
      this.inProgress.delete(key);
    }
    m.closed = true;
    checkReturnedIo(m, io);
    const result = checkModule(m, key, def.hierBlock ?? false);
    this.byKey.set(key, result);
    this.modules.push(result);
    return result;
  }
}

/**
 * A parent gets instance handles keyed by port name, so the body must return each port handle
 * under its own port name (or leave it out).
 */
function checkReturnedIo(m: ModuleBuilder, io: IoHandles): void {
  for (const [key, value] of Object.entries(io ?? {})) {
    const decl = m.io.find((d) => d.name === key);
    if (!decl || decl.handle !== value) {
      const port = m.io.find((d) => d.handle === value);
      throw new ElaborationError(
        m.name,
        key,
        port?.site ?? '<module body>',
        port
          ? `returned as '${key}' but the port is named '${port.name}'; return it as { ${port.name} }`
          : `returned '${key}' is not a port of this module; return only port handles, each under its port name`,
      );
    }
  }
}

export interface ElaborateOptions {
  /** Prepended to every module name (`--prefix`); must start like a Verilog identifier. */
  prefix?: string;
}

/** Elaborates a top module and everything below it; modules come out children first. */
export function elaborate<P, IO extends IoHandles>(def: ModuleDef<P, IO>, params: P, opts: ElaborateOptions = {}): Design {
  const d = new Design(opts);
  d.top = d.elaborate(def, params);
  return d;
}

export type { Site };
