import { describe, expect, it } from 'vitest';
import { Fifo } from '../../generator/demos/index.js';
import { makeRng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { expectSameTrace, runCycles } from '../support/cycles.js';
import { useSimulator } from '../support/sim.js';

const P = { depth: 5, width: 16 };

describe('Fifo against its TypeScript model', () => {
  const sim = useSimulator(Fifo, P, 'fifo');

  it('cycle-exact over 6000 cycles of random valid/ready', async (ctx) => {
    const rng = makeRng(testSeed(ctx));
    await sim().reset();
    const queue: number[] = [];
    let offered: number | undefined;
    const inputs: Record<string, number>[] = [];
    const model: Record<string, bigint>[] = [];
    for (let c = 0; c < 6000; c++) {
      // A ready/valid producer keeps its word on offer until it is taken.
      if (offered === undefined && rng.chance(0.6)) offered = rng.int(0, 0xffff);
      const deqReady = rng.chance(c % 1000 < 500 ? 0.3 : 0.8);
      const enqReady = queue.length < P.depth || deqReady;
      inputs.push({ enq_valid: offered === undefined ? 0 : 1, enq_bits: offered ?? 0, deq_ready: deqReady ? 1 : 0 });
      model.push({
        enq_ready: BigInt(enqReady),
        deq_valid: BigInt(queue.length > 0),
        ...(queue.length > 0 ? { deq_bits: BigInt(queue[0]!) } : {}),
        count: BigInt(queue.length),
      });
      const doDeq = queue.length > 0 && deqReady;
      if (doDeq) queue.shift();
      if (offered !== undefined && enqReady) {
        queue.push(offered);
        offered = undefined;
      }
    }
    const hw = await runCycles(sim(), inputs, ['enq_ready', 'deq_valid', 'deq_bits', 'count']);
    expectSameTrace(hw, model, `seed ${rng.seed}`);
  });

  it('streams 3000 words through random backpressure: nothing lost, duplicated or reordered', async (ctx) => {
    const seed = testSeed(ctx);
    const rng = makeRng(seed);
    await sim().reset();
    const data = Array.from({ length: 3000 }, () => BigInt(rng.int(0, 0xffff)));
    const r = await sim().runStreams({
      sources: [{ port: 'enq', data, validProbability: 0.7 }],
      sinks: [{ port: 'deq', count: data.length, readyProbability: 0.5 }],
      seed,
      maxCycles: 50_000,
    });
    expect(r.received.deq!.values).toEqual(data);
    expect(r.sent.enq).toBe(data.length);
  });

  it('sinks that finish first leave the rest of a source unsent, and say how much was taken', async () => {
    await sim().reset();
    const data = Array.from({ length: 100 }, (_, i) => BigInt(i));
    const r = await sim().runStreams({ sources: [{ port: 'enq', data }], sinks: [{ port: 'deq', count: 40 }] });
    expect(r.received.deq!.values).toEqual(data.slice(0, 40));
    // The FIFO holds what was accepted but not yet taken: 40 drained plus at most `depth` buffered.
    expect(r.sent.enq).toBeGreaterThanOrEqual(40);
    expect(r.sent.enq).toBeLessThanOrEqual(40 + P.depth);
  });

  it('full throughput with no backpressure: one word per cycle', async () => {
    await sim().reset();
    const data = Array.from({ length: 1000 }, (_, i) => BigInt(i));
    const r = await sim().runStreams({ sources: [{ port: 'enq', data }], sinks: [{ port: 'deq', count: data.length }] });
    expect(r.received.deq!.values).toEqual(data);
    expect(r.cycles).toBeLessThanOrEqual(data.length + 2);
  });
});
