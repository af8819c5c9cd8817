import { describe, expect, it } from 'vitest';
import { Bool, Bundle, UInt, Vec, defineModule } from '../../generator/dsl/index.js';
import { Fifo } from '../../generator/demos/fifo.js';
import { buildSimIo, bundleName, type IoOf, type PortHandle, type Value } from '../../tb/io.js';
import { emitForSim } from '../../tb/dsl.js';
import { useSimulator } from '../support/sim.js';

describe('buildSimIo', () => {
  const Nested = defineModule('IoNested', (m) => {
    const a = m.input('a', Vec(2, Bundle({ x: UInt(4), y: Bool() })));
    const o = m.output('o', UInt(4));
    o.set(a.get(1).x);
    return { a, o };
  });

  it('names every leaf as the emitter flattens it', async () => {
    const src = await emitForSim(Nested, undefined);
    const pokes: [string, Value][] = [];
    const io = buildSimIo<IoOf<typeof Nested>>(src.io, { poke: (p, v) => pokes.push([p, v]), peek: (p) => Promise.resolve(BigInt(p.length)) });
    const leaves: PortHandle[] = [io.a[0]!.x, io.a[0]!.y, io.a[1]!.x, io.a[1]!.y, io.o];
    expect(leaves.map((l) => l.name)).toEqual(src.ports.map((p) => p.name));
    io.a[1]!.y.poke(1);
    expect(pokes).toEqual([['a_1_y', 1]]);
    expect(await io.o.peek()).toBe(1n);
  });

  it('finds the bundle name of a ready/valid handle', () => {
    const h = (name: string): PortHandle => ({ name, poke: () => {}, peek: () => Promise.resolve(0n) });
    expect(bundleName({ valid: h('c0_0_iact_1_valid'), ready: h('c0_0_iact_1_ready') })).toBe('c0_0_iact_1');
    expect(bundleName('cfg')).toBe('cfg');
    expect(() => bundleName({ valid: h('v'), ready: h('r') })).toThrow(/not the valid port/);
  });
});

describe('sim.io on a running simulator', () => {
  // test/demos/fifo.test.ts's FIFO, so both files share one build (the handles below need only depth >= 4 and 8 bits).
  const sim = useSimulator(Fifo, { depth: 5, width: 16 }, 'io-fifo');

  it('pokes, peeks and streams through typed handles', async () => {
    const s = sim();
    await s.reset();
    expect(await s.io.count.peek()).toBe(0n);
    s.io.enq.valid.poke(1);
    s.io.enq.bits.poke(42);
    await s.step();
    s.io.enq.valid.poke(0);
    expect(await s.io.count.peek()).toBe(1n);
    expect(await s.io.deq.bits.peek()).toBe(42n);
    const res = await s.runStreams({ sources: [{ port: s.io.enq, data: [1, 2, 3] }], sinks: [{ port: s.io.deq, count: 4 }] });
    expect(res.received['deq']!.values).toEqual([42n, 1n, 2n, 3n]);
    expect(res.sent['enq']).toBe(3);
  });
});
