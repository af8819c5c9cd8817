import { describe, expect, it } from 'vitest';
import { Bool, defineModule, elaborate, UInt } from '../../generator/dsl/index.js';

// A small module touching every IR part: ports, a wire under a when, a register with reset,
// a memory, and a child instance whose output depends combinationally on its input.
const Inv = defineModule('IrInv', (m) => {
  const a = m.input('a', Bool());
  const y = m.output('y', Bool());
  y.set(a.not());
  return { a, y };
});

const Small = defineModule('IrSmall', (m) => {
  const sel = m.input('sel', Bool());
  const d = m.input('d', UInt(4));
  const q = m.output('q', UInt(4));
  const w = m.output('w', Bool());
  const inv = m.instance('inv', Inv, {});
  inv.a.set(sel);
  w.set(inv.y);
  const acc = m.reg('acc', UInt(4), { init: 0 });
  acc.set(d);
  const mem = m.mem('ram', 4, UInt(4));
  mem.write(2, d);
  const pick = m.wire('pick', UInt(4));
  pick.set(0);
  m.when(sel, () => pick.set(mem.read(0)));
  q.set(pick.xor(acc));
  return { sel, d, q, w };
});

describe('the IR a module elaborates to', () => {
  const design = elaborate(Small, {});
  const top = design.top!;

  it('lists the children first and keeps the body as declared', () => {
    expect(design.modules.map((m) => m.name)).toEqual(['IrInv', 'IrSmall']);
    expect(top.ports.map((p) => [p.name, p.direction, p.type.width])).toEqual([
      ['sel', 'input', 1],
      ['d', 'input', 4],
      ['q', 'output', 4],
      ['w', 'output', 1],
    ]);
    expect(top.mems.map((m) => [m.name, m.depth, m.addrWidth, m.elem.width])).toEqual([['ram', 4, 2, 4]]);
    expect(top.instances.map((i) => [i.name, i.module.name, i.ports.map((p) => p.signal.name)])).toEqual([['inv', 'IrInv', ['inv_a', 'inv_y']]]);
    expect(top.io.map((d) => d.name)).toEqual(['sel', 'd', 'q', 'w']);
  });

  it('derives the drivers of every driven signal once, in declaration order', () => {
    const driven = [...top.drivers.keys()].map((s) => [s.name, s.role]);
    expect(driven).toEqual([
      ['q', 'output'],
      ['w', 'output'],
      ['inv_a', 'inst-in'],
      ['acc', 'reg'],
      ['pick', 'wire'],
    ]);
    const pick = [...top.drivers].find(([s]) => s.name === 'pick')![1];
    expect(pick.map((s) => s.kind)).toEqual(['connect', 'when']);
    const ram = top.mems[0]!;
    expect(top.memWrites.get(ram)!.map((s) => s.kind)).toEqual(['memwrite']);
  });

  it('derives clock and reset use and the combinational input->output paths', () => {
    expect(top.usesClock).toBe(true);
    expect(top.usesReset).toBe(true);
    expect([...top.combDeps.get('w')!]).toEqual(['sel']);
    expect([...top.combDeps.get('q')!]).toEqual(['sel']);
    const child = design.modules[0]!;
    expect(child.usesClock).toBe(false);
    expect(child.usesReset).toBe(false);
    expect([...child.combDeps.get('y')!]).toEqual(['a']);
    expect(child.hierBlock).toBe(false);
  });
});
