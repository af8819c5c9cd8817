import { describe, it } from 'vitest';
import { SInt, UInt, defineModule, type Expr, type Signal } from '../../generator/dsl/index.js';
import type { ModuleBuilder } from '../../generator/dsl/module.js';
import { makeRng, type Rng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { evalExpr, toSigned } from '../support/expr-eval.js';
import { randomExpr } from '../support/random-expr.js';
import { expectSameTrace, runCycles } from '../support/cycles.js';
import { useSimulator } from '../support/sim.js';

/**
 * Fuzzes when/elsewhen/otherwise, last-connect-wins, registers with and without reset and
 * wires with defaults: a random module is simulated by Verilator and by a small independent
 * interpreter of the same statement tree, cycle by cycle.
 */
type Node = { kind: 'set'; target: Signal; value: Expr } | { kind: 'when'; branches: { cond: Expr; body: Node[] }[]; otherwise?: Node[] };

const shape = makeRng(777);
const tree = { inputs: [] as Signal[], regs: [] as Signal[], wires: [] as Signal[], wireBody: [] as Node[], regBody: [] as Node[] };

function randomBody(rng: Rng, m: ModuleBuilder, readable: Expr[], targets: Signal[], depth: number): Node[] {
  const out: Node[] = [];
  const n = rng.int(1, 3);
  // A block connects each target at most once (twice is an elaboration error by design).
  const free = [...targets];
  for (let k = 0; k < n; k++) {
    if (free.length === 0 && depth === 0) break;
    if (depth > 0 && (free.length === 0 || rng.chance(0.45))) {
      const branches: { cond: Expr; body: Node[] }[] = [];
      const cond = () => randomExpr(rng, readable, 2).orR();
      const node: Node = { kind: 'when', branches };
      let body: Node[] = [];
      const c0 = cond();
      const chain = m.when(c0, () => (body = randomBody(rng, m, readable, targets, depth - 1)));
      branches.push({ cond: c0, body });
      while (rng.chance(0.4)) {
        let b: Node[] = [];
        const c = cond();
        chain.elsewhen(c, () => (b = randomBody(rng, m, readable, targets, depth - 1)));
        branches.push({ cond: c, body: b });
      }
      if (rng.chance(0.5)) {
        let o: Node[] = [];
        chain.otherwise(() => (o = randomBody(rng, m, readable, targets, depth - 1)));
        node.otherwise = o;
      }
      out.push(node);
    } else {
      const target = free.splice(rng.int(0, free.length - 1), 1)[0]!;
      const e = randomExpr(rng, readable, 2);
      const v = fit(e, target);
      target.set(v);
      out.push({ kind: 'set', target, value: v });
    }
  }
  return out;
}

function fit(e: Expr, t: Signal): Expr {
  const s = t.signed ? e.asSInt() : e.asUInt();
  return s.width > t.width ? s.trunc(t.width) : s;
}

const Fuzz = defineModule('WhenFuzz', (m) => {
  tree.inputs = [m.input('a', UInt(8)), m.input('b', SInt(6)), m.input('c', UInt(1)), m.input('d', UInt(13))];
  tree.regs = [m.reg('r0', UInt(8), { init: 5 }), m.reg('r1', SInt(10), { init: -3 }), m.reg('r2', UInt(1), { init: 1 }), m.reg('r3', UInt(16), { init: 0 })];
  const w0 = m.wire('w0', UInt(9));
  const w1 = m.wire('w1', SInt(7));
  tree.wires = [w0, w1];
  // Wires: a default, then random overrides that read only inputs and registers (no loops).
  w0.set(tree.inputs[0]!);
  w1.set(tree.inputs[1]!);
  const base = [...tree.inputs, ...tree.regs];
  tree.wireBody = [
    { kind: 'set', target: w0, value: fit(tree.inputs[0]!, w0) },
    { kind: 'set', target: w1, value: fit(tree.inputs[1]!, w1) },
  ];
  // Overrides nest inside a when, so they never repeat a connect of the root block.
  const wc = tree.inputs[2]!.or(tree.inputs[3]!.orR());
  m.when(wc, () => {
    tree.wireBody.push({ kind: 'when', branches: [{ cond: wc, body: randomBody(shape, m, base, [w0, w1], 3) }] });
  });
  // Registers read everything, wires included.
  for (let k = 0; k < 3; k++) {
    const rc = randomExpr(shape, base, 1).orR();
    m.when(rc, () => {
      tree.regBody.push({ kind: 'when', branches: [{ cond: rc, body: randomBody(shape, m, [...base, w0, w1], tree.regs, 3) }] });
    });
  }
  for (const s of [...tree.regs, w0, w1]) m.output(`o_${s.name}`, s.type).set(s);
  return {};
});

function run(block: Node[], env: Map<Signal, bigint>, writes: Map<Signal, bigint>): void {
  for (const n of block) {
    if (n.kind === 'set') {
      // A narrower value widens by its own signedness.
      const v = evalExpr(n.value, env);
      const t = n.target;
      writes.set(t, n.value.signed ? toSigned(v, n.value.width) & ((1n << BigInt(t.width)) - 1n) : v);
      continue;
    }
    const hit = n.branches.find((b) => evalExpr(b.cond, env) !== 0n);
    if (hit) run(hit.body, env, writes);
    else if (n.otherwise) run(n.otherwise, env, writes);
  }
}

describe('when/elsewhen/otherwise semantics in the emitted Verilog', () => {
  const sim = useSimulator(Fuzz, {}, 'when-fuzz');

  it('3000 random cycles match the interpreter', async (ctx) => {
    const rng = makeRng(testSeed(ctx));
    await sim().reset();
    const inits = [5n, 1021n, 1n, 0n];
    const regs = new Map(tree.regs.map((r, i) => [r, inits[i]!]));
    const inputs: Record<string, bigint>[] = [];
    const model: Record<string, bigint>[] = [];
    for (let c = 0; c < 3000; c++) {
      const iv = tree.inputs.map((s) => rng.bits(s.width));
      inputs.push(Object.fromEntries(tree.inputs.map((s, i) => [s.name, iv[i]!])));
      const env = new Map<Signal, bigint>([...tree.inputs.map((s, i) => [s, iv[i]!] as const), ...regs]);
      // Wires first (their statements read only inputs and registers), then the register updates.
      const wires = new Map<Signal, bigint>();
      run(tree.wireBody, env, wires);
      for (const w of tree.wires) env.set(w, wires.get(w)!);
      const writes = new Map<Signal, bigint>();
      run(tree.regBody, env, writes);
      const row: Record<string, bigint> = {};
      for (const s of [...tree.regs, ...tree.wires]) row[`o_${s.name}`] = env.get(s)!;
      model.push(row);
      for (const r of tree.regs) if (writes.has(r)) regs.set(r, writes.get(r)!);
    }
    const hw = await runCycles(sim(), inputs, Object.keys(model[0]!));
    expectSameTrace(hw, model, `seed ${rng.seed}`);
  });
});
