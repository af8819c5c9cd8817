/**
 * Harness throughput: simulated cycles per second when every cycle is its own round trip,
 * against many cycles per round trip (a batch) and a stream run done inside the simulator.
 */
import { Fifo } from '../generator/demos/index.js';
import type { DesignSources, PortInfo } from '../tb/design.js';
import { emitForSim } from '../tb/dsl.js';
import { makeRng } from '../tb/seed.js';
import { Simulator } from '../tb/sim.js';

/** The design under benchmark: the DSL example FIFO, 8 deep, 32-bit words. */
function loadBenchDesign(): Promise<DesignSources> {
  return emitForSim(Fifo, { depth: 8, width: 32 });
}

interface Stream {
  port: string;
  fields: PortInfo[];
}

function findStream(design: DesignSources, validDirection: 'input' | 'output'): Stream {
  const valid = design.ports.find((p) => p.name.endsWith('_valid') && p.direction === validDirection && p.width === 1);
  if (!valid) throw new Error(`bench design '${design.top}' has no ready/valid bundle whose valid is an ${validDirection}`);
  const port = valid.name.slice(0, -'_valid'.length);
  const fields = design.ports.filter((p) => p.name === `${port}_bits` || p.name.startsWith(`${port}_bits_`));
  return { port, fields };
}

function rate(cycles: number, ms: number): number {
  return (cycles * 1000) / ms;
}

async function main(): Promise<void> {
  const design = await loadBenchDesign();
  const enq = findStream(design, 'input');
  const deq = findStream(design, 'output');
  const r = makeRng(1);
  const payload = (): bigint[] => enq.fields.map((f) => r.bits(f.width));

  const sim = await Simulator.start(design, { name: 'bench', seed: 1, timeoutMs: 600_000 });
  console.log(`design ${design.top}: ${sim.build.cached ? 'cached build' : `built in ${(sim.build.ms / 1000).toFixed(1)} s`}`);
  try {
    // One round trip per cycle: drive both ends, step, read the output handshake.
    const singleCycles = 5_000;
    await sim.reset();
    let t = performance.now();
    for (let c = 0; c < singleCycles; c++) {
      const row = payload();
      await sim.batch((b) => {
        b.poke(`${enq.port}_valid`, r.int(0, 1));
        enq.fields.forEach((f, i) => b.poke(f.name, row[i]!));
        b.poke(`${deq.port}_ready`, r.int(0, 1));
        b.step();
        b.peek(`${deq.port}_valid`);
      });
    }
    const single = rate(singleCycles, performance.now() - t);

    // The same per-cycle work, 50,000 cycles in one round trip.
    const batchCycles = 50_000;
    await sim.reset();
    const rows = Array.from({ length: batchCycles }, payload);
    t = performance.now();
    await sim.batch((b) => {
      for (const row of rows) {
        b.poke(`${enq.port}_valid`, r.int(0, 1));
        enq.fields.forEach((f, i) => b.poke(f.name, row[i]!));
        b.poke(`${deq.port}_ready`, r.int(0, 1));
        b.step();
        b.peek(`${deq.port}_valid`);
      }
    });
    const batched = rate(batchCycles, performance.now() - t);

    // Handshakes generated and checked inside the simulator, with random backpressure on both sides.
    const items = 200_000;
    await sim.reset();
    const data = Array.from({ length: items }, payload);
    t = performance.now();
    const res = await sim.runStreams({
      sources: [{ port: enq.port, data, validProbability: 0.8 }],
      sinks: [{ port: deq.port, count: items, readyProbability: 0.8 }],
      maxCycles: items * 10,
    });
    const streamed = rate(res.cycles, performance.now() - t);
    if (res.received[deq.port]!.rows.length !== items) throw new Error('stream run lost payloads');

    const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(12);
    console.log(`single-step round trips (poke+step+peek per cycle): ${fmt(single)} cycles/s  (${singleCycles} cycles)`);
    console.log(`batched transactions (${batchCycles} cycles/round trip): ${fmt(batched)} cycles/s`);
    console.log(`stream run (${items} payloads, ${res.cycles} cycles):     ${fmt(streamed)} cycles/s`);
    console.log(`ratio batched / single-step: ${(batched / single).toFixed(1)}x`);
    console.log(`ratio stream / single-step:  ${(streamed / single).toFixed(1)}x`);
  } finally {
    await sim.close();
  }
}

await main();
