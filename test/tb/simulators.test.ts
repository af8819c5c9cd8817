// The second simulator and the X checks (issue 23, item 4): Icarus behind the same protocol,
// and a design that depends on start values caught by both of them.
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../tb/seed.js';
import { Simulator } from '../../tb/sim.js';
import { testSeed } from '../../tb/testing.js';
import { wavesDir } from '../../tb/paths.js';
import { rejection } from './rejection.js';
import { fifo, unreset, wideAdder } from './fixtures.js';

describe('Icarus Verilog behind the driver protocol', () => {
  it('gives the same stream traffic as Verilator, cycle for cycle, on 70-bit payloads under backpressure', async (ctx) => {
    const seed = testSeed(ctx);
    const r = makeRng(seed);
    const data = Array.from({ length: 300 }, () => [r.bits(70), r.bits(4)]);
    const results = [];
    for (const simulator of ['verilator', 'icarus'] as const) {
      const sim = await Simulator.start(fifo, { name: `fifo-${simulator}`, simulator });
      await sim.reset();
      results.push(
        await sim.runStreams({
          sources: [{ port: 'enq', data, validProbability: 0.6 }],
          sinks: [{ port: 'deq', count: data.length, readyProbability: 0.5 }],
          maxCycles: 10_000,
          seed,
        }),
      );
      await sim.close();
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]?.received.deq?.values.length).toBe(data.length);
  });

  it('settles pokes before a peek without a clock', async (ctx) => {
    const r = makeRng(testSeed(ctx));
    const sim = await Simulator.start(wideAdder, { simulator: 'icarus' });
    for (let i = 0; i < 20; i++) {
      const [a, b] = [r.bits(100), r.bits(100)];
      sim.poke('a', a);
      sim.poke('b', b);
      expect(await sim.peek('sum')).toBe(a + b);
    }
    await sim.close();
  });

  it('stops a run that reads X, naming the port and the cycle', async () => {
    const sim = await Simulator.start(unreset, { name: 'unreset-icarus', simulator: 'icarus' });
    await sim.reset();
    const err = await rejection(sim.peek('count'));
    expect(err.message).toContain('a port the harness read was X or Z (Icarus)');
    expect(err.message).toContain('harness: port count is X or Z at cycle 1');
    await sim.close();
  });

  it('writes an FST waveform on demand', async () => {
    const path = join(wavesDir, 'tb-icarus-waves-seed7.fst');
    rmSync(path, { force: true });
    const sim = await Simulator.start(fifo, { name: 'tb-icarus-waves', seed: 7, simulator: 'icarus', waves: true });
    await sim.reset();
    await sim.step(20);
    await sim.close();
    expect(existsSync(path)).toBe(true);
    expect(statSync(path).size).toBeGreaterThan(100);
    rmSync(path);
  });

  it('names the missing tool and the package', async () => {
    const err = await rejection(Simulator.start(fifo, { simulator: 'icarus', env: { ...process.env, PATH: '/nonexistent' } }));
    expect(err.message).toBe('iverilog not found on PATH; install it with `sudo apt-get install -y iverilog g++`');
  });
});

describe('Verilator with random X and start values', () => {
  it('starts an unreset register from a value drawn with the seed; plain builds start it at zero', async () => {
    const after = async (randomInit: number | undefined): Promise<bigint> => {
      const sim = await Simulator.start(unreset, { name: 'unreset', randomInit });
      await sim.reset();
      const v = await sim.peek('count');
      await sim.close();
      return v;
    };
    expect(await after(undefined)).toBe(1n);
    // The first seeded start builds the random-init model; the other three take it from the build cache (started all at
    // once, each built the same model beside the others: the cache entry appears only when a build ends).
    const first = await after(1);
    const drawn = [first, ...(await Promise.all([2, 3, 1].map(after)))];
    expect(drawn[3]).toBe(drawn[0]);
    expect(new Set(drawn).size).toBeGreaterThan(1);
  });

  it('refuses a seed Verilator cannot take, and the option under Icarus', async () => {
    expect((await rejection(Simulator.start(unreset, { randomInit: 0 }))).message).toBe(
      "randomInit must be a whole number from 1 to 2147483647 (Verilator's +verilator+seed+), got 0",
    );
    expect((await rejection(Simulator.start(unreset, { randomInit: 2 ** 31 }))).message).toContain('got 2147483648');
    expect((await rejection(Simulator.start(unreset, { randomInit: 3, simulator: 'icarus' }))).message).toBe(
      'randomInit is a Verilator option: Icarus starts every register at X already',
    );
  });
});
