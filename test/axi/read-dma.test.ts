// The AXI read DMA against the C++ AXI slave memory (tb/driver/axi.cpp): random loads over a
// random memory image, random DRAM latency, delays, backpressure and bandwidth limits, random
// consumers; every stream word for word against the golden model, every burst answered, no
// protocol rule broken. Then the error paths, and masters that break the rules on purpose, so
// the slave's assertions are known to fire.
import { describe, expect, it } from 'vitest';
import { Bool, UInt, defineModule, lit, mux } from '../../generator/dsl/index.js';
import { AxiReadDma, type AxiReadDmaParams } from '../../generator/eyeriss/axi/read-dma.js';
import { axiReadMaster } from '../../generator/eyeriss/axi/common.js';
import { DMA_ERR_RESP, DMA_ERR_UNALIGNED, dmaBurstBytes, dmaSlotsPerBeat } from '../../spec/axi.js';
import { dmaBursts, dmaStreamWords, type DmaLoad } from '../../golden/axi/dma.js';
import { emitForSim } from '../../tb/dsl.js';
import { assertGatesPass } from '../../tb/lint.js';
import { makeRng, type Rng } from '../../tb/seed.js';
import { AxiProtocolError, type AxiSlaveMemory } from '../../tb/sim.js';
import { testSeed } from '../../tb/testing.js';
import { randomSlave as randomDram } from '../support/axi-slave.js';
import { useSimulator } from '../support/sim.js';

// Streams 1 and 3 hand out slot pairs.
const params: AxiReadDmaParams = { streams: 5, wordBits: 24, dataBits: 128, burstBeats: 4, bufferBeats: 8, outstanding: 4, countBits: 12, pairStreams: [1, 3] };
const BASE = 0x1000_0000;
const MEM_WORDS = 4096;

/** One to three loads per stream, in a random order, each with a random tag: a stream's later loads wait for its earlier ones. */
function randomLoads(r: Rng): DmaLoad[] {
  const align = dmaBurstBytes(params);
  const loads = Array.from({ length: params.streams }, (_, stream) =>
    Array.from({ length: r.int(1, 3) }, () => {
      const pick = r.pick([0, r.int(1, 5), r.int(1, 40), r.int(100, 700)]);
      const words = (params.pairStreams ?? []).includes(stream) ? 2 * Math.ceil(pick / 2) : pick;
      const slots = Math.ceil(words / dmaSlotsPerBeat(params)) * dmaSlotsPerBeat(params);
      const addr = BASE + align * r.int(0, Math.floor((MEM_WORDS * 4 - slots * 4) / align));
      return { stream, addr, words, tag: r.int(0, 1) };
    }),
  ).flat();
  for (let i = loads.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [loads[i], loads[j]] = [loads[j]!, loads[i]!];
  }
  return loads;
}

const randomSlave = (r: Rng, memory: Uint32Array): AxiSlaveMemory => randomDram(r, memory, BASE);

describe('AxiReadDma (5 streams of 24-bit words, 128-bit AXI, bursts of 4 beats)', () => {
  const sim = useSimulator(AxiReadDma, params, 'AxiReadDma-test');

  it('random loads under random DRAM timing and consumers deliver every stream word for word', async (ctx) => {
    const seed = testSeed(ctx);
    const r = makeRng(seed);
    await sim().reset(2);
    for (let phase = 0; phase < 12; phase++) {
      const memory = Uint32Array.from({ length: MEM_WORDS }, () => r.u32());
      const loads = randomLoads(r);
      const want = dmaStreamWords(memory, BASE, loads, params);
      const slave = randomSlave(r, memory);
      const prefer = r.int(0, 1);
      await sim().batch((b) => b.poke('prefer', prefer));
      const what = `SEED=${seed} phase ${phase}: prefer ${prefer}, loads ${JSON.stringify(loads)} slave ${JSON.stringify({ ...slave, memory: undefined })}`;
      const res = await sim().runStreams({
        sources: [{ port: 'load', data: loads.map((l) => [l.stream, l.addr, l.words, l.tag ?? 0]) }],
        sinks: want.map((w, s) => ({ port: `out_${s}`, count: w.length, readyProbability: r.pick([1, 0.7, 0.2]) })),
        axi: [slave],
        maxCycles: 100_000,
        seed: r.u32(),
      });
      want.forEach((w, s) => expect(res.received[`out_${s}`]!.values, `${what}: stream ${s}`).toEqual(w));
      const bursts = loads.reduce((n, l) => n + dmaBursts(l.words, dmaSlotsPerBeat(params), params.burstBeats), 0);
      expect(res.axi[0], `${what}: bursts issued and answered`).toMatchObject({ readBursts: bursts, readOpen: 0, writeBursts: 0 });
      const [idle, code, owed, held, ...valids] = await sim().batch((b) => {
        b.peek('idle');
        b.peek('error_code');
        b.peek('owed');
        b.peek('held');
        for (let s = 0; s < params.streams; s++) b.peek(`out_${s}_valid`);
      });
      expect({ idle, code, owed, held, valids }, `${what}: idle, no error, nothing owed or held, no word beyond the loads`).toEqual({
        idle: 1n,
        code: 0n,
        owed: 0n,
        held: 0n,
        valids: valids.map(() => 0n),
      });
    }
  }, 300_000);

  it('flags a load that is not burst-aligned (and drops it), and a read outside memory (SLVERR)', async () => {
    await sim().reset(2);
    const memory = new Uint32Array(64).fill(7);
    await sim().runStreams({ sources: [{ port: 'load', data: [[1, BASE + 4, 3, 0]] }], axi: [{ prefix: 'm_axi', memory, base: BASE }], maxCycles: 50 });
    expect(await sim().batch((b) => (b.peek('error_code'), b.peek('idle')))).toEqual([BigInt(DMA_ERR_UNALIGNED), 1n]);
    await sim().reset(2);
    const res = await sim().runStreams({
      sources: [{ port: 'load', data: [[2, BASE + 64 * dmaBurstBytes(params), 4, 1]] }],
      sinks: [{ port: 'out_2', count: 4 }],
      axi: [{ prefix: 'm_axi', memory, base: BASE }],
      maxCycles: 500,
    });
    const tagged = 1n << BigInt(params.wordBits);
    expect(res.received['out_2']!.values).toEqual([tagged, tagged, tagged, tagged]);
    expect(await sim().batch((b) => b.peek('error_code'))).toEqual([BigInt(DMA_ERR_RESP)]);
  });

  // The AXI side driven by hand: no slave answers, so the DMA's requests and its idle can be read cycle by cycle.
  const load = (b: Parameters<Parameters<ReturnType<typeof sim>['batch']>[0]>[0], stream: number, addr: number, words: number, tag = 0): void => {
    b.poke('load_valid', 1);
    b.poke('load_bits_stream', stream);
    b.poke('load_bits_addr', addr);
    b.poke('load_bits_words', words);
    b.poke('load_bits_tag', tag);
    b.step(1);
    b.poke('load_valid', 0);
  };

  it('is not idle while a burst it asked for is still on its way', async () => {
    await sim().reset(2);
    const got = await sim().batch((b) => {
      b.poke('m_axi_rvalid', 0);
      b.poke('m_axi_arready', 1);
      load(b, 0, BASE, 3);
      b.step(3);
      // Every word asked for, the request taken, nothing arrived: a burst in flight.
      b.peek('m_axi_arvalid');
      b.peek('idle');
    });
    expect(got).toEqual([0n, 0n]);
  });

  /**
   * Loads (stream, tag) pairs, each 400 words in a region of its own, while `arready` is low (the
   * first request waits), then takes requests for `cycles` cycles with no data returning: the
   * stream of each burst asked for, in order.
   */
  const requestOrder = async (loads: [number, number][], prefer: number, cycles: number): Promise<number[]> => {
    const region = 64 * dmaBurstBytes(params);
    await sim().reset(2);
    const seen = await sim().batch((b) => {
      b.poke('m_axi_rvalid', 0);
      b.poke('m_axi_arready', 0);
      b.poke('prefer', prefer);
      for (const [s, tag] of loads) load(b, s, BASE + s * region, 400, tag);
      b.poke('m_axi_arready', 1);
      for (let k = 0; k < cycles; k++) {
        b.peek('m_axi_arvalid');
        b.peek('m_axi_araddr');
        b.step(1);
      }
    });
    const streams: number[] = [];
    for (let k = 0; k < seen.length; k += 2) if (seen[k] === 1n) streams.push(Math.floor((Number(seen[k + 1]) - BASE) / region));
    return streams;
  };

  it('gives the preferred tag the bus first: streams fetching it win over the others', async () => {
    for (const prefer of [0, 1]) {
      // Stream 0 fetches tag 0, stream 2 tag 1. The first request (stream 0) went out before stream 2
      // was loaded; after it, the preferred stream's bursts while it has credit.
      const streams = await requestOrder(
        [
          [0, 0],
          [2, 1],
        ],
        prefer,
        4,
      );
      expect(streams.slice(1, 3), `prefer ${prefer}: bursts by stream ${streams.join(', ')}`).toEqual(prefer === 0 ? [0, 2] : [2, 2]);
    }
  });

  it('takes turns: with three streams always ready, bursts go round robin, not to the lowest stream first', async () => {
    // Up to `outstanding` requests go out while no data returns.
    const streams = await requestOrder(
      [
        [0, 0],
        [2, 0],
        [4, 0],
      ],
      0,
      8,
    );
    expect(streams.slice(0, params.outstanding), `bursts by stream: ${streams.join(', ')}`).toEqual([0, 2, 4, 0]);
  });
});

/** A read master that breaks one AXI rule on purpose: the slave must stop the run and name it. */
const BadMaster = defineModule(
  'BadMaster',
  (m, p: { fault: 'drop' | 'change' | 'cross4k' }) => {
    const io = {
      ...axiReadMaster(m, 32),
      go: m.input('go', Bool()),
      never: m.output('never', Bool()),
    };
    io.never.set(0);
    const cycle = m.reg('cycle', UInt(4), { init: 0 });
    m.when(io.go.and(cycle.ne(15)), () => cycle.set(cycle.addWrap(1)));
    io.m_axi_arvalid.set(p.fault === 'drop' ? io.go.and(cycle.eq(0)) : io.go.and(cycle.lt(8)));
    io.m_axi_araddr.set(p.fault === 'change' ? mux(cycle.eq(0), lit(0x100, 32), lit(0x200, 32)) : p.fault === 'cross4k' ? lit(0xff0, 32) : lit(0x100, 32));
    io.m_axi_arlen.set(p.fault === 'cross4k' ? 7 : 0);
    io.m_axi_arsize.set(2);
    io.m_axi_arburst.set(1);
    io.m_axi_arid.set(0);
    io.m_axi_rready.set(1);
    return io;
  },
  { nameFor: (p) => `BadMaster_${p.fault}` },
);

describe('the AXI slave model catches a master that breaks the protocol', () => {
  const rules = {
    drop: /AR channel, cycle \d+: arvalid fell before arready/,
    change: /AR channel, cycle \d+: the request changed while arvalid waited/,
    cross4k: /crosses a 4 KB boundary/,
  };
  for (const [fault, rule] of Object.entries(rules) as ['drop' | 'change' | 'cross4k', RegExp][]) {
    const sim = useSimulator(BadMaster, { fault }, `BadMaster-${fault}`);
    it(`${fault}: the run stops with the rule, the channel and the cycle`, async () => {
      await sim().batch((b) => b.poke('go', 1));
      const run = sim().runStreams({
        axi: [{ prefix: 'm_axi', memory: new Uint32Array(2048), arreadyProbability: fault === 'cross4k' ? 1 : 0 }],
        until: 'never',
        maxCycles: 20,
      });
      await expect(run).rejects.toThrow(AxiProtocolError);
      await expect(run).rejects.toThrow(rule);
    });
  }
});

describe('AxiReadDma is lint-clean and synthesizes without latches', () => {
  it('5 streams, 128-bit AXI', async () => {
    const s = await assertGatesPass(await emitForSim(AxiReadDma, params));
    expect(s.latches).toBe(0);
  }, 300_000);
});
