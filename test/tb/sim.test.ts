import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../../tb/sim.js';
import { makeRng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { pipeline, wideAdder } from './fixtures.js';

describe('combinational design without a clock', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await Simulator.start(wideAdder);
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('adds 100-bit values and reflects pokes on peek without a step', async (ctx) => {
    const r = makeRng(testSeed(ctx));
    for (let i = 0; i < 50; i++) {
      const a = r.bits(100);
      const b = r.bits(100);
      sim.poke('a', a);
      sim.poke('b', b);
      expect(await sim.peek('sum')).toBe(a + b);
    }
    const max = (1n << 100n) - 1n;
    sim.poke('a', max);
    sim.poke('b', max);
    expect(await sim.peek('sum')).toBe(2n * max);
  });

  it('packs ports of 40 and 8 bits into a 48-bit output', async () => {
    sim.poke('c', 0xabcdef0123n);
    sim.poke('d', 0x45);
    expect(await sim.peek('cd')).toBe(0xabcdef012345n);
    sim.poke('d', -1);
    expect(await sim.peek('cd')).toBe(0xabcdef0123ffn);
  });

  it('rejects unknown ports, pokes of outputs and values too wide', async () => {
    expect(() => sim.poke('nope', 1)).toThrow(/has no port 'nope'; its ports are: a, b, c, d, sum, cd/);
    expect(() => sim.poke('sum', 1)).toThrow(/'sum' of 'wide_adder' is an output/);
    expect(() => sim.poke('d', 256)).toThrow(/value 256 is wider than the 8-bit port 'd' \(max 255\)/);
    expect(() => sim.poke('d', -129)).toThrow(/does not fit the 8-bit port 'd'/);
    expect(() => sim.poke('a', 2 ** 60)).toThrow(/not a safe integer/);
    await expect(sim.peek('nope')).rejects.toThrow(/no port 'nope'/);
  });
});

describe('clocked pipeline', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await Simulator.start(pipeline);
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('delays by three register stages and counts cycles after reset', async () => {
    await sim.reset(2);
    expect(await sim.peek('count')).toBe(0n);
    const start = sim.cycle;
    sim.poke('in', 10);
    await sim.step();
    sim.poke('in', 20);
    await sim.step();
    // Stages start from reset's zeros, each adding one, until the first input arrives.
    expect(await sim.peek('out')).toBe(2n);
    await sim.step();
    expect(await sim.peek('out')).toBe(13n);
    await sim.step();
    expect(await sim.peek('out')).toBe(23n);
    await sim.step(10);
    expect(await sim.peek('count')).toBe(14n);
    expect(sim.cycle - start).toBe(14);
  });

  it('runs a batch of pokes, steps and peeks in one round trip, matching a model', async (ctx) => {
    const r = makeRng(testSeed(ctx));
    await sim.reset();
    const inputs = Array.from({ length: 3000 }, () => r.int(0, 0xffff));
    const slots: number[] = [];
    const values = await sim.batch((b) => {
      for (const v of inputs) {
        b.poke('in', v);
        b.step();
        slots.push(b.peek('out'));
      }
      b.peek('count');
    });
    expect(values).toHaveLength(inputs.length + 1);
    // After step k+1 the output shows input k-2 plus three, or the reset zeros plus k+1 before that.
    inputs.forEach((_, k) => {
      const expected = k >= 2 ? BigInt((inputs[k - 2]! + 3) & 0xffff) : BigInt(k + 1);
      expect(values[slots[k]!]).toBe(expected);
    });
    expect(values[inputs.length]).toBe(3000n);
  });

  it('refuses to let a test poke the clock', () => {
    expect(() => sim.poke('clock', 1)).toThrow(/harness drives the clock 'clock'; use step\(\)/);
  });

  it('reuses the cached build when the same design starts again', async () => {
    const again = await Simulator.start(pipeline);
    try {
      expect(again.build.cached).toBe(true);
      expect(again.build.binary).toBe(sim.build.binary);
    } finally {
      await again.close();
    }
  });
});
