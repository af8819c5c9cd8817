// The AXI gather DMA against the C++ AXI slave memory (tb/driver/axi.cpp): random entries of
// constants, scattered bytes and runs of bytes in one beat under random DRAM latency, delays,
// backpressure and bandwidth, random producers and consumers; every word against the golden
// model, the reads it issues counted exactly, no protocol rule broken. Then its throughput
// against the latency, the reads it keeps in flight, an error response, and the gates.
import { describe, expect, it } from 'vitest';
import { AxiGatherDma, type AxiGatherDmaParams } from '../../generator/eyeriss/axi/gather-dma.js';
import { gatherBeatBytes, gatherByte, gatherConst, gatherEntry } from '../../spec/axi.js';
import { gatherReads, gatherWords, type GatherEntry } from '../../golden/axi/gather.js';
import { emitForSim } from '../../tb/dsl.js';
import { assertGatesPass } from '../../tb/lint.js';
import { makeRng, type Rng } from '../../tb/seed.js';
import type { AxiSlaveMemory } from '../../tb/sim.js';
import { testSeed } from '../../tb/testing.js';
import { randomSlave as randomDram } from '../support/axi-slave.js';
import { useSimulator } from '../support/sim.js';

const params: AxiGatherDmaParams = { dataBits: 128, outstanding: 8 };
const BEAT = gatherBeatBytes(params);
const BASE = 0x1000_0000;
const MEM_WORDS = 4096;
const MEM_BYTES = 4 * MEM_WORDS;

/** The byte at `addr` of a memory of little-endian words from BASE; zero outside (the slave answers SLVERR with zero data). */
const byteAt =
  (memory: Uint32Array) =>
  (addr: number): number => {
    const off = addr - BASE;
    return off < 0 || off >= MEM_BYTES ? 0 : (memory[off >> 2]! >>> (8 * (off & 3))) & 0xff;
  };

/**
 * A source list of every kind, paired into entries: constants, bytes anywhere, runs of bytes near
 * the last one (mostly in its beat), and bytes in the next beat or the one before.
 */
function randomEntries(r: Rng, count: number): GatherEntry[] {
  let last = BASE + r.int(0, MEM_BYTES - 1);
  const clamp = (a: number): number => Math.min(BASE + MEM_BYTES - 1, Math.max(BASE, a));
  const source = (): number => {
    const kind = r.pick(['const', 'any', 'near', 'near', 'near', 'next']);
    if (kind === 'const') return gatherConst(r.int(0, 4095));
    if (kind === 'any') last = BASE + r.int(0, MEM_BYTES - 1);
    else if (kind === 'near') last = clamp(last + r.int(-6, 6));
    else last = clamp(last + r.pick([-BEAT, BEAT]));
    return gatherByte(last);
  };
  return Array.from({ length: count }, () => [source(), source()] as const);
}

const randomSlave = (r: Rng, memory: Uint32Array): AxiSlaveMemory => randomDram(r, memory, BASE);

describe('AxiGatherDma (128-bit AXI, 8 reads in flight)', () => {
  const sim = useSimulator(AxiGatherDma, params, 'AxiGatherDma-test');

  /** Runs `entries` to their words: what came out, the cycles it took, the reads issued, and idle / error / out_valid after. */
  const run = async (
    entries: readonly GatherEntry[],
    slave: AxiSlaveMemory,
    opts: { validProbability?: number; readyProbability?: number; seed?: number } = {},
  ) => {
    const res = await sim().runStreams({
      sources: [{ port: 'entry', data: entries.map(([a, b]) => gatherEntry(a, b)), validProbability: opts.validProbability ?? 1 }],
      sinks: [{ port: 'out', count: entries.length, readyProbability: opts.readyProbability ?? 1 }],
      axi: [slave],
      maxCycles: 200_000,
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    });
    const [idle, error, outValid] = await sim().batch((b) => (b.peek('idle'), b.peek('error'), b.peek('out_valid')));
    return { words: res.received['out']!.values.map(Number), cycles: res.cycles, axi: res.axi[0]!, after: { idle, error, outValid } };
  };

  it('random entries under random DRAM timing, producers and consumers give every word and read each beat once per run', async (ctx) => {
    const seed = testSeed(ctx);
    const r = makeRng(seed);
    await sim().reset(2);
    for (let phase = 0; phase < 12; phase++) {
      const memory = Uint32Array.from({ length: MEM_WORDS }, () => r.u32());
      const entries = randomEntries(r, r.pick([1, r.int(2, 20), r.int(100, 400)]));
      const slave = randomSlave(r, memory);
      const valid = r.pick([1, 0.7, 0.2]);
      const ready = r.pick([1, 0.7, 0.2]);
      const what = `SEED=${seed} phase ${phase}: ${entries.length} entries, entry valid ${valid}, out ready ${ready}, slave ${JSON.stringify({ ...slave, memory: undefined })}`;
      const got = await run(entries, slave, { validProbability: valid, readyProbability: ready, seed: r.u32() });
      const want = gatherWords(entries, byteAt(memory));
      const bad = got.words.findIndex((w, i) => w !== want[i]);
      expect(bad, `${what}: first wrong word ${bad} of entry ${JSON.stringify(entries[bad])} (got ${got.words[bad]}, want ${want[bad]})`).toBe(-1);
      expect(got.words.length, what).toBe(want.length);
      expect(got.axi, `${what}: reads issued and answered`).toMatchObject({
        readBursts: gatherReads(entries, BEAT),
        readBeats: gatherReads(entries, BEAT),
        readOpen: 0,
      });
      expect(got.after, `${what}: idle, no error, no word beyond the entries`).toEqual({ idle: 1n, error: 0n, outValid: 0n });
    }
  }, 300_000);

  it('reuses the beat of the read issued last, within an entry and across entries, and reads nothing for constants', async () => {
    await sim().reset(2);
    const memory = Uint32Array.from({ length: MEM_WORDS }, (_, i) => (i * 0x01010101 + 0x03020100) >>> 0);
    const B = BASE + 4 * BEAT;
    const entries: GatherEntry[] = [
      [gatherByte(B), gatherByte(B + 1)], // one read, then its beat again
      [gatherConst(0xabc), gatherByte(B + BEAT - 1)], // the same beat, behind a constant
      [gatherByte(B + BEAT), gatherByte(B)], // two reads: the next beat, then back
      [gatherByte(B + 2 * BEAT), gatherByte(B + 3 * BEAT)], // two reads
      [gatherConst(1), gatherConst(4095)], // none
      [gatherByte(B + 3 * BEAT + 7), gatherByte(B + 3 * BEAT)], // the beat read last
    ];
    expect(gatherReads(entries, BEAT)).toBe(5);
    const got = await run(entries, { prefix: 'm_axi', memory, base: BASE, latency: 6 });
    expect(got.words).toEqual(gatherWords(entries, byteAt(memory)));
    expect(got.words[1]! >> 12).toBe(byteAt(memory)(B + BEAT - 1));
    expect(got.words[4]).toBe((4095 << 12) | 1);
    expect(got.axi).toMatchObject({ readBursts: 5, readOpen: 0 });
  });

  it('keeps `outstanding` reads in flight and no more while no data returns', async () => {
    await sim().reset(2);
    // One entry offered again and again: its two sources in different beats, so every source reads.
    const entry = gatherEntry(gatherByte(BASE), gatherByte(BASE + BEAT));
    const seen = await sim().batch((b) => {
      b.poke('m_axi_rvalid', 0);
      b.poke('m_axi_arready', 1);
      b.poke('out_ready', 1);
      b.poke('entry_bits', entry);
      b.poke('entry_valid', 1);
      for (let k = 0; k < 40; k++) {
        b.peek('m_axi_arvalid');
        b.step(1);
      }
      b.poke('entry_valid', 0);
      b.peek('idle');
    });
    expect(seen.slice(0, -1).filter((v) => v === 1n).length).toBe(params.outstanding);
    expect(seen.at(-1), 'not idle with reads in flight').toBe(0n);
  });

  it('streams: one read a cycle when the latency is covered, one entry a cycle from constants, the latency over `outstanding` reads otherwise', async (ctx) => {
    const r = makeRng(testSeed(ctx));
    const memory = Uint32Array.from({ length: MEM_WORDS }, () => r.u32());
    // 300 entries, every source in a beat of its own (consecutive beats, random bytes in them).
    const scattered: GatherEntry[] = Array.from({ length: 300 }, (_, i) => [
      gatherByte(BASE + 2 * i * BEAT + r.int(0, BEAT - 1)),
      gatherByte(BASE + (2 * i + 1) * BEAT + r.int(0, BEAT - 1)),
    ]);
    const reads = gatherReads(scattered, BEAT);
    expect(reads).toBe(600);
    const figures: Record<string, number> = {};
    for (const latency of [4, 20]) {
      await sim().reset(2);
      const got = await run(scattered, { prefix: 'm_axi', memory, base: BASE, latency });
      expect(got.words).toEqual(gatherWords(scattered, byteAt(memory)));
      expect(got.axi.readBursts).toBe(reads);
      figures[`latency ${latency}`] = got.cycles;
      // A read's round trip is the latency and a few cycles of the engine's own; `outstanding` of them overlap.
      const roundTrip = latency + 4;
      const perRead = Math.max(1, roundTrip / params.outstanding);
      expect(got.cycles, `${reads} reads at latency ${latency}`).toBeLessThan(reads * perRead * 1.3 + latency + 20);
      if (latency === 4) expect(got.cycles).toBeLessThan(reads * 1.3 + latency + 20);
    }
    await sim().reset(2);
    const constants: GatherEntry[] = Array.from({ length: 600 }, () => [gatherConst(r.int(0, 4095)), gatherConst(r.int(0, 4095))]);
    const got = await run(constants, { prefix: 'm_axi', memory, base: BASE, latency: 20 });
    expect(got.words).toEqual(gatherWords(constants, byteAt(memory)));
    expect(got.axi.readBursts).toBe(0);
    figures['constants'] = got.cycles;
    expect(got.cycles, '600 constant entries').toBeLessThan(600 + 10);
    console.log(`AxiGatherDma throughput (${reads} reads / 600 constant entries, cycles): ${JSON.stringify(figures)}`);
  }, 120_000);

  it('raises `error` on a response other than OKAY, still hands out the word, and clears only on reset', async () => {
    await sim().reset(2);
    const memory = Uint32Array.from({ length: MEM_WORDS }, () => 0x5a5a5a5a);
    // A byte past the memory: the slave answers SLVERR with zero data.
    const entries: GatherEntry[] = [
      [gatherByte(BASE + 3), gatherConst(7)],
      [gatherByte(BASE + MEM_BYTES + 5), gatherByte(BASE + 17)],
      [gatherConst(9), gatherByte(BASE + 40)],
    ];
    const got = await run(entries, { prefix: 'm_axi', memory, base: BASE, latency: 3 });
    expect(got.words).toEqual([(7 << 12) | 0x5a, (0x5a << 12) | 0, (0x5a << 12) | 9]);
    expect(got.after).toEqual({ idle: 1n, error: 1n, outValid: 0n });
    await sim().reset(2);
    expect(await sim().batch((b) => b.peek('error'))).toEqual([0n]);
  });
});

describe('AxiGatherDma is lint-clean and synthesizes without latches', () => {
  for (const p of [params, { dataBits: 64, outstanding: 16 }, { dataBits: 1024, outstanding: 1 }])
    it(`${p.dataBits}-bit AXI, ${p.outstanding} in flight`, async () => {
      const s = await assertGatesPass(await emitForSim(AxiGatherDma, p));
      expect(s.latches).toBe(0);
    }, 300_000);
});
