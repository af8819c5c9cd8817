import { refsOf, type Signal } from './expr.js';
import { ElaborationError } from './site.js';
import { covers, forEachExpr, project } from './stmt.js';
import type { CombDeps, ElaboratedModule, MemDecl, ModuleBody, Stmt } from './ir.js';

/**
 * The checks that run when a module body returns: every combinational signal driven on
 * every path (so no latch can be inferred), every register assigned, every memory written,
 * no combinational loop (through child instances too). Then computes what the parent
 * needs: clock/reset use and the input->output combinational paths.
 */
export function checkModule(m: ModuleBody, key: string, hierBlock: boolean): ElaboratedModule {
  const instOf = new Map<Signal, { inst: string; port: string }>();
  for (const inst of m.instances) for (const p of inst.ports) instOf.set(p.signal, { inst: inst.name, port: p.port.name });

  const blocks = new Map<Signal, Stmt[]>();
  for (const sig of m.signals) {
    if (sig.role === 'input' || sig.role === 'inst-out') continue;
    const block = project(m.body, (s) => s.kind === 'connect' && s.target === sig);
    blocks.set(sig, block);
    if (block.length === 0) {
      const what =
        sig.role === 'inst-in'
          ? `input port '${instOf.get(sig)!.port}' of instance '${instOf.get(sig)!.inst}' is not connected`
          : sig.role === 'reg'
            ? 'register is never assigned'
            : `${sig.role} is never driven`;
      throw new ElaborationError(m.name, sig.name, sig.site, what);
    }
    if (sig.role !== 'reg' && !covers(block)) {
      throw new ElaborationError(
        m.name,
        sig.name,
        sig.site,
        'not driven on every path (it would be a latch); connect a default before the when, or add an otherwise',
      );
    }
  }
  const memWrites = new Map<MemDecl, Stmt[]>();
  for (const mem of m.mems) {
    const block = project(m.body, (s) => s.kind === 'memwrite' && s.mem === mem);
    if (block.length === 0) throw new ElaborationError(m.name, mem.name, mem.site, 'memory is never written');
    memWrites.set(mem, block);
  }

  const deps = combGraph(m, blocks);
  findLoop(m, deps);

  const usesClock = m.signals.some((s) => s.role === 'reg') || m.mems.length > 0 || m.instances.some((i) => i.module.usesClock);
  const usesReset = m.signals.some((s) => s.role === 'reg' && s.init !== undefined) || m.instances.some((i) => i.module.usesReset);

  return {
    name: m.name,
    key,
    ports: m.ports,
    signals: m.signals,
    mems: m.mems,
    instances: m.instances,
    io: m.io,
    body: m.body,
    drivers: blocks,
    memWrites,
    usesClock,
    usesReset,
    combDeps: outputDeps(m, deps),
    hierBlock,
  };
}

/** Edges from each signal to the signals it reads combinationally. */
function combGraph(m: ModuleBody, blocks: Map<Signal, Stmt[]>): Map<Signal, Set<Signal>> {
  const deps = new Map<Signal, Set<Signal>>();
  for (const [sig, block] of blocks) {
    if (sig.role === 'reg') continue;
    const reads = new Set<Signal>();
    forEachExpr(block, (e) => refsOf(e, reads));
    deps.set(sig, reads);
  }
  for (const inst of m.instances) {
    const byPort = new Map(inst.ports.map((p) => [p.port.name, p.signal]));
    for (const p of inst.ports) {
      if (p.port.direction !== 'output') continue;
      const from = inst.module.combDeps.get(p.port.name) ?? new Set<string>();
      deps.set(p.signal, new Set([...from].map((n) => byPort.get(n)!)));
    }
  }
  return deps;
}

function findLoop(m: ModuleBody, deps: Map<Signal, Set<Signal>>): void {
  const state = new Map<Signal, 'open' | 'done'>();
  const stack: Signal[] = [];
  const visit = (s: Signal): void => {
    const st = state.get(s);
    if (st === 'done') return;
    if (st === 'open') {
      const cycle = stack.slice(stack.indexOf(s)).concat(s);
      throw new ElaborationError(
        m.name,
        s.name,
        s.site,
        `combinational loop: ${cycle
          .reverse()
          .map((c) => c.name)
          .join(' -> ')}; break it with a register`,
      );
    }
    state.set(s, 'open');
    stack.push(s);
    for (const d of deps.get(s) ?? []) visit(d);
    stack.pop();
    state.set(s, 'done');
  };
  for (const s of deps.keys()) visit(s);
}

function outputDeps(m: ModuleBody, deps: Map<Signal, Set<Signal>>): CombDeps {
  const memo = new Map<Signal, Set<string>>();
  const inputsOf = (s: Signal): Set<string> => {
    const known = memo.get(s);
    if (known) return known;
    const out = new Set<string>();
    memo.set(s, out);
    if (s.role === 'input') out.add(s.name);
    for (const d of deps.get(s) ?? []) for (const i of inputsOf(d)) out.add(i);
    return out;
  };
  const result = new Map<string, Set<string>>();
  for (const p of m.ports) if (p.direction === 'output') result.set(p.name, inputsOf(p.signal));
  return result;
}
