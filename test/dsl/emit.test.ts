import { describe, expect, it } from 'vitest';
import { defineModule, elaborate, emitDesign, SRAM, UInt } from '../../generator/dsl/index.js';
import { Counter, Fifo, RoundRobinArbiter, SramWrapper } from '../../generator/demos/index.js';
import { emitForSim } from '../../tb/dsl.js';
import { assertGatesPass } from '../../tb/lint.js';

describe('module identity', () => {
  it('same parameters give one module, different parameters distinct stable names', () => {
    const Top = defineModule('Top', (m) => {
      const a = m.instance('a', Fifo, { depth: 4, width: 8 });
      const b = m.instance('b', Fifo, { width: 8, depth: 4 });
      const c = m.instance('c', Fifo, { depth: 2, width: 8 });
      for (const f of [a, b, c]) {
        f.enq.valid.set(0);
        f.enq.bits.set(0);
        f.deq.ready.set(1);
      }
      m.output('y', UInt(8)).set(a.deq.bits.xor(b.deq.bits).xor(c.deq.bits));
      return {};
    });
    const d = elaborate(Top, {});
    expect(d.modules.map((m) => m.name)).toEqual(['Fifo_depth4_width8', 'Fifo_depth2_width8', 'Top']);
  });

  it('long or structured parameters fall back to a hash', () => {
    const Wide = defineModule('Wide', (m, p: { shape: number[] }) => {
      m.output('y', UInt(8)).set(p.shape.length);
      return {};
    });
    const n1 = elaborate(Wide, { shape: [1, 2] }).top!.name;
    const n2 = elaborate(Wide, { shape: [2, 1] }).top!.name;
    expect(n1).toMatch(/^Wide_[0-9a-f]{8}$/);
    expect(n1).not.toBe(n2);
    expect(elaborate(Wide, { shape: [1, 2] }).top!.name).toBe(n1);
  });

  it('emission is deterministic: same input, same bytes', () => {
    const once = [...emitDesign(elaborate(SramWrapper, { depth: 16, width: 8 }))];
    const twice = [...emitDesign(elaborate(SramWrapper, { depth: 16, width: 8 }))];
    expect(twice).toEqual(once);
  });
});

const examples = [
  ['Counter', () => emitForSim(Counter, { width: 8, max: 200 })],
  ['Fifo (depth 5)', () => emitForSim(Fifo, { depth: 5, width: 8 })],
  ['Fifo (depth 1)', () => emitForSim(Fifo, { depth: 1, width: 3 })],
  ['RoundRobinArbiter', () => emitForSim(RoundRobinArbiter, { inputs: 4, width: 16 })],
  ['SRAM', () => emitForSim(SRAM, { depth: 64, width: 24 })],
  ['SramWrapper', () => emitForSim(SramWrapper, { depth: 32, width: 12 })],
] as const;

describe.concurrent('every example module is lint-clean and synthesizes without latches', () => {
  for (const [name, make] of examples) {
    it(name, async () => {
      const synth = await assertGatesPass(await make());
      expect(synth.latches).toBe(0);
    });
  }
});
