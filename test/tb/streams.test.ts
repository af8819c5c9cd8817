import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator, StreamDeadlockError } from '../../tb/sim.js';
import { makeRng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { fifo, stuck } from './fixtures.js';
import { rejection } from './rejection.js';

describe('ready/valid streams through a FIFO', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await Simulator.start(fifo);
  });
  afterAll(async () => {
    await sim?.close();
  });

  for (const [validProbability, readyProbability] of [
    [0.7, 0.5],
    [1, 0.1],
    [0.2, 1],
  ] as const) {
    it(`loses, duplicates and reorders nothing with valid p=${validProbability}, ready p=${readyProbability}`, async (ctx) => {
      const seed = testSeed(ctx);
      const r = makeRng(seed);
      await sim.reset();
      const data = Array.from({ length: 2000 }, () => [r.bits(70), r.bits(4)]);
      const start = sim.cycle;
      const res = await sim.runStreams({
        sources: [{ port: 'enq', data, validProbability }],
        sinks: [{ port: 'deq', count: data.length, readyProbability }],
        seed,
      });
      const deq = res.received.deq!;
      expect(res.sent).toEqual({ enq: data.length });
      expect(deq.fields).toEqual(['deq_bits_data', 'deq_bits_tag']);
      expect(deq.rows).toEqual(data);
      expect(deq.values).toEqual(data.map((row) => row[0]));
      for (let i = 1; i < deq.cycles.length; i++) expect(deq.cycles[i]!).toBeGreaterThan(deq.cycles[i - 1]!);
      expect(deq.cycles[0]!).toBeGreaterThanOrEqual(start);
      // Backpressure below 1 must cost cycles beyond one per item.
      expect(res.cycles).toBeGreaterThan(data.length);
      expect(sim.cycle - start).toBe(res.cycles);
      expect(await sim.peek('occupancy')).toBe(0n);
    });
  }

  it('replays the same handshake timing for the same seed', async () => {
    const data = Array.from({ length: 300 }, (_, i) => [BigInt(i), BigInt(i % 16)]);
    const run = async () => {
      await sim.reset();
      const res = await sim.runStreams({
        sources: [{ port: 'enq', data, validProbability: 0.5 }],
        sinks: [{ port: 'deq', count: data.length, readyProbability: 0.5 }],
        seed: 5,
      });
      const first = res.received.deq!.cycles[0]!;
      return res.received.deq!.cycles.map((c) => c - first);
    };
    const a = await run();
    expect(await run()).toEqual(a);
  });

  it('fills the FIFO from a source alone and leaves the bus idle for manual pokes', async () => {
    await sim.reset();
    const res = await sim.runStreams({
      sources: [
        {
          port: 'enq',
          data: [
            [1n, 1n],
            [2n, 2n],
            [3n, 3n],
          ],
        },
      ],
    });
    expect(res.cycles).toBe(3);
    expect(await sim.peek('occupancy')).toBe(3n);
    expect(await sim.peek('enq_valid')).toBe(0n);
    sim.poke('deq_ready', 1);
    const got = await sim.batch((b) => {
      for (let i = 0; i < 3; i++) {
        b.peek('deq_bits_data');
        b.step();
      }
    });
    expect(got).toEqual([1n, 2n, 3n]);
  });

  it('rejects rows that do not match the payload ports', async () => {
    await expect(sim.runStreams({ sources: [{ port: 'enq', data: [5n] }] })).rejects.toThrow(
      /row 0 has 1 values but the bundle has 2 payload ports \(enq_bits_data, enq_bits_tag\)/,
    );
    await expect(sim.runStreams({ sinks: [{ port: 'enq', count: 1 }] })).rejects.toThrow(/port 'enq_valid' must be a 1-bit output/);
  });
});

describe('a stream that can never complete', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await Simulator.start(stuck);
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('reports a deadlock naming the stuck ports and their valid/ready', async () => {
    await sim.reset();
    const err = await rejection(sim.runStreams({ sources: [{ port: 'enq', data: [1, 2, 3] }], sinks: [{ port: 'deq', count: 3 }], maxCycles: 200, seed: 9 }));
    expect(err).toBeInstanceOf(StreamDeadlockError);
    const msg = err.message;
    expect(msg).toMatch(/stream deadlock in 'stuck': no completion within maxCycles=200/);
    expect(msg).toContain('sinks still waiting: deq received 0 of 3 (deq_valid=0, deq_ready=1)');
    expect(msg).toContain('sources still holding data: enq sent 0 of 3 (enq_valid=1, enq_ready=0)');
    expect((err as StreamDeadlockError).result.cycles).toBe(200);
  });

  it('kills a simulator that stops answering and names the last command', async () => {
    const slow = await Simulator.start(stuck, { timeoutMs: 500 });
    const started = Date.now();
    const err = await rejection(slow.runStreams({ sources: [{ port: 'enq', data: [1] }], sinks: [{ port: 'deq', count: 1 }], maxCycles: 1e13 }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err.message).toMatch(/simulator 'stuck' stopped answering within 500 ms; the watchdog killed it/);
    expect(err.message).toMatch(/last command: S \d+ 10000000000000 1 1/);
    await expect(slow.peek('deq_valid')).rejects.toThrow(/stopped answering/);
    await slow.close();
  });
});
